/**
 * Running the kernel on each detected pair: the loss torch computes for the request detection
 * made, what torch would print, and the findings only the kernel's outcome shows (its errors in
 * torch's words, a one-hot integer target, soft targets that do not sum to 1). A pair detection
 * could not derive (unverified, or an error it already knows) is reported without a number.
 */
import { formatTorchScalar } from '../format';
import { computeLoss } from '../kernel';
import { computeLibraryLoss } from '../libraries';
import { libraryCallOptions } from '../libraryView';
import { torchSum } from '../torchSum';
import type { DType } from '../types';
import { pythonRepr } from '../detection/claims';
import { isOneHot, unnormalisedRow } from '../detection/rows';
import type { DetectedPair, Finding, PairAnalysis, ReducedFrom } from '../detection/types';

/** A finding with where it is (pairs may be in another notebook cell than the last one read). */
function placed(f: Omit<Finding, 'line' | 'start' | 'end'>, pair: DetectedPair, span: [number, number]): Finding {
  const onCall = pair.call !== null;
  const out: Finding = {
    ...f,
    start: span[0],
    end: span[1],
    line: onCall
      ? (pair.call?.line ?? pair.logits.line)
      : span === pair.targetSpan
        ? pair.target.line
        : pair.logits.line,
    pairId: pair.id,
  };
  const cell = onCall ? pair.call?.cell : span === pair.targetSpan ? pair.target.cell : pair.logits.cell;
  if (cell !== undefined) out.cell = cell;
  return out;
}

/** The pair's loss as torch computes it (or the formula's own value), and its findings. */
export function computePair(
  pair: DetectedPair,
  maxElements: number,
  earlier: (id: number) => PairAnalysis | undefined = () => undefined,
): { analysis: PairAnalysis; findings: Finding[] } {
  const findings: Finding[] = [];
  let error = pair.error;
  let loss: number | null = null;
  let losses: number[] | null = null;
  let numerator: number | null = null;
  let denominator: number | null = null;
  let targetKind: PairAnalysis['targetKind'] = null;
  let inputShape = pair.inputShape;
  const request = pair.request;
  let lossesShape: number[] | undefined;
  const libraryRequest = pair.libraryRequest;
  // The library's versions disagree on these operands: no number, as for an unverified pair.
  let unsettled: string | null = null;
  let alternative: PairAnalysis['alternative'];
  let versions: PairAnalysis['versions'];
  if (libraryRequest && !error && pair.unverified === null) {
    // Another library's rule gives the number; a torch request, if any, is only for the breakdown.
    const out = computeLibraryLoss(libraryRequest);
    if (!out.ok) error = out.error;
    else if (out.result.unsettled !== undefined) {
      unsettled = out.result.unsettled;
      versions = out.result.versions?.map((v) => ({ loss: v.loss, losses: Array.from(v.losses), version: v.version }));
    } else {
      const r = out.result;
      loss = r.loss;
      losses = r.losses.length <= 1_000_000 ? Array.from(r.losses) : null;
      lossesShape = r.shape;
      numerator = r.numerator;
      denominator = r.denominator;
      targetKind = libraryRequest.targetKind;
      inputShape = libraryRequest.input.shape;
      if (r.alternative)
        alternative = {
          loss: r.alternative.loss,
          losses: Array.from(r.alternative.losses),
          version: r.alternative.version,
        };
    }
  } else if (request && !error && pair.unverified === null) {
    const out = computeLoss(request, { maxElements });
    if (!out.ok) {
      error = out.error;
      if (error.code === 'integer_probability_target' && isOneHot(request.target.data, request.target.shape)) {
        findings.push(
          placed(
            {
              code: 'one_hot_integer_target',
              severity: 'error',
              message: `The target is a one-hot integer tensor of the input's shape [${request.target.shape.join(', ')}]. CrossEntropyLoss reads a target of the input's shape as class probabilities, which must be floats (torch: "${error.message}"). Pass class indices (target.argmax(dim=1)) or target.float().`,
            },
            pair,
            pair.callSpan,
          ),
        );
      }
    } else {
      const { prepared, result } = out;
      targetKind = prepared.targetKind;
      inputShape = prepared.inputShape;
      if (result.losses.length <= 1_000_000) losses = Array.from(result.losses);
      loss = request.reduction === 'none' ? null : result.loss;
      numerator = result.numerator;
      denominator = result.denominator;
      if (pair.formulaValue !== null && result.losses.length <= 1) losses = [pair.formulaValue];
      if (prepared.targetKind === 'probabilities') {
        const bad = unnormalisedRow(request.target.data, request.target.shape);
        if (bad !== null)
          findings.push(
            placed(
              {
                code: 'probabilities_not_normalised',
                severity: 'warning',
                message: `The target has the input's shape, so it is read as class probabilities, but ${bad}: each row should sum to 1.`,
              },
              pair,
              pair.targetSpan,
            ),
          );
      }
    }
  }
  const formulaLosses = pair.formulaLosses ?? null;
  if (pair.unverified === null && (pair.formulaValue !== null || formulaLosses)) {
    // A hand-written formula reports what its own arithmetic gives (the kernel's run, on the torch
    // computation it corresponds to, is for the breakdown only).
    error = null;
    // The kernel refused the torch computation (NLLLoss of soft targets): the targets are still what they are.
    if (targetKind === null && request)
      targetKind = request.target.shape.length === request.input.shape.length ? 'probabilities' : 'indices';
    if (formulaLosses) {
      losses = formulaLosses.slice();
      loss = null;
      numerator = formulaLosses.reduce((a, b) => a + b, 0);
      denominator = 1;
    } else {
      loss = pair.formulaValue;
      numerator = pair.formulaValue;
      denominator = 1;
      losses ??= [pair.formulaValue as number];
    }
  }
  let reduces: PairAnalysis['reduces'];
  if (pair.reducedFrom && pair.unverified === null && !error) {
    // `losses.mean()` / `.sum()` written in the code: torch's sum of the earlier pair's per-element
    // losses (its own order, torchSum.ts), then the division by their count, in the pair's dtype.
    // A pair rebuilt as its own reduction (an instance's call, maskedLosses.ts): the kernel's vector above.
    const base = pair.reducedFrom.pair === pair.id ? undefined : earlier(pair.reducedFrom.pair);
    const from = pair.reducedFrom.pair === pair.id ? losses : base?.losses;
    const picked = from ? maskedLosses(from, pair.reducedFrom, pair.dtype) : null;
    const round = pair.dtype === 'float32' ? Math.fround : (v: number) => v;
    if (!picked || picked.length === 0) unsettled = 'the per-element losses it reduces have no number';
    else if (pair.reducedFrom.rows) {
      // One reduction per row of the last axis (contiguous: torch's inner sum, the same order as a whole sum).
      const shape = pair.reducedFrom.rows;
      const n = shape[shape.length - 1];
      const rows: number[] = [];
      for (let at = 0; n > 0 && at + n <= picked.length; at += n) {
        const sum = torchSum(picked.slice(at, at + n), pair.dtype);
        const by = pair.reducedFrom.divisors?.[rows.length] ?? n;
        rows.push(pair.reducedFrom.how === 'mean' ? round(sum / by) : sum);
      }
      if (rows.length * n !== picked.length) unsettled = 'the per-element losses it reduces have no number';
      else losses = rows;
    } else {
      const sum = torchSum(picked, pair.dtype);
      const count = pair.reducedFrom.divisor ?? picked.length;
      loss = pair.reducedFrom.how === 'mean' ? round(sum / count) : sum;
      losses = [loss];
      numerator = sum;
      denominator = pair.reducedFrom.how === 'mean' ? count : 1;
    }
    // An earlier pair's losses reduced by the code: the panel shows that pair's steps (pairOrigin says how),
    // when the kernel computes them (another library's rule without torch's request keeps its own card).
    if (base?.request && from && picked && picked.length > 0 && unsettled === null) {
      const r = pair.reducedFrom;
      reduces = {
        pair: r.pair,
        line: base.call?.line ?? null,
        how: r.how,
        kept: picked.length,
        of: from.length,
        masked: !!(r.keep || r.scale),
        rows: !!r.rows,
      };
    }
  }
  if (error && !findings.some((f) => f.code === 'one_hot_integer_target'))
    findings.push(placed({ code: error.code, severity: 'error', message: error.message }, pair, pair.callSpan));
  const unverified = pair.unverified ?? unsettled;
  if (unverified !== null)
    findings.push(
      placed(
        { code: 'pair_unverified', severity: 'information', message: `This loss is not computed: ${unverified}.` },
        pair,
        pair.callSpan,
      ),
    );
  const analysis: PairAnalysis = {
    id: pair.id,
    logits: pair.logits,
    target: pair.target,
    call: pair.call,
    options: pair.options,
    dtype: pair.dtype,
    dtypeSource: pair.dtypeSource,
    loss,
    losses,
    numerator,
    denominator,
    // The detail goes with it: the editor and the panel word Loss Inspector's own refusals from it.
    error: error
      ? { code: error.code, message: error.message, ...(error.detail ? { detail: error.detail } : {}) }
      : null,
    claims: [],
    inputShape,
    targetShape: pair.targetShape,
    targetKind,
    inputTransform: pair.inputTransform,
    printed:
      loss === null
        ? null
        : (pair.valueStyle ?? (pair.call?.kind === 'formula' ? 'python' : 'torch')) === 'python'
          ? pythonRepr(loss)
          : formatTorchScalar(loss, pair.dtype),
    recogniser: pair.recogniser,
  };
  if (request && unverified === null && !pair.error && !(libraryRequest && error)) analysis.request = request;
  if (request && request.inputKind !== pair.options.inputKind) analysis.kernelInputKind = request.inputKind;
  if (pair.library !== undefined) analysis.library = pair.library;
  if (pair.dtypeAssumed) analysis.dtypeAssumed = true;
  if (pair.mapping !== undefined) analysis.mapping = pair.mapping;
  // Another library's call without a rule of its own (PaddlePaddle's copies of torch's losses): torch's kernel is its number.
  if (pair.library !== undefined && pair.libraryRequest === undefined && unverified === null)
    analysis.torchKernel = true;
  // The torch request of a library pair is its exact mapping (see recognisers/requests.ts torchEquivalent).
  if (libraryRequest) analysis.libraryCall = libraryCallOptions(libraryRequest, analysis.request !== undefined);
  if (pair.formulaLibrary !== undefined) analysis.formulaLibrary = pair.formulaLibrary;
  if (pair.formulaGuard !== undefined) analysis.formulaGuard = pair.formulaGuard;
  if (pair.assumedTorch !== undefined) analysis.assumedTorch = pair.assumedTorch;
  if (lossesShape) analysis.lossesShape = lossesShape;
  if (unverified !== null) {
    analysis.unverified = unverified;
    if (versions && pair.unverified === null) analysis.versions = versions;
  } else if (alternative) analysis.alternative = alternative;
  if (pair.cell !== undefined) analysis.cell = pair.cell;
  // Set only when this pair's reduction settled (unsettled null, pair.unverified null): never unverified here.
  if (reduces) analysis.reduces = reduces;
  return { analysis, findings };
}

/**
 * The elements a reduction written in the code sums (ReducedFrom): each loss times its mask's 0 or 1
 * (`losses * mask`, rounded to the dtype as torch multiplies), then the kept positions in order
 * (`losses[mask]`); null when the mask does not fit the losses.
 */
function maskedLosses(from: number[], r: ReducedFrom, dtype: DType): number[] | null {
  const round = dtype === 'float32' ? Math.fround : (v: number) => v;
  let v = from;
  if (r.scale) {
    const scale = r.scale;
    if (scale.length !== v.length) return null;
    v = v.map((x, i) => round(x * scale[i]));
  }
  if (r.keep) {
    const n = v.length;
    if (r.keep.some((i) => i >= n)) return null;
    const src = v;
    v = r.keep.map((i) => src[i]);
  }
  return v;
}
