/**
 * Evaluating a detected logits/target pair with the kernel, and the findings that only the data
 * can show (softmax applied twice, raw logits given to NLLLoss, one-hot integer targets, …).
 */
import { formatTorchScalar } from '../format';
import { computeLoss } from '../kernel';
import type { DType, InputKind, LossRequest, NdArray, Reduction } from '../types';
import { pythonRepr } from './claims';
import type { ArraySiteRef, Finding, LossCall, LossCallKind, PairAnalysis } from './types';
import { inDtype, numpyPairwiseSum, softmaxClasses, type ArrVal, type OptionVals, type PairRef } from './values';

/** Everything known about one pair before it is computed. */
export interface PairInput {
  kind: LossCallKind;
  input: ArrVal;
  target: ArrVal;
  /** For the unbatched hand-written formula: the one class index (target[k]). */
  targetIndex?: number;
  /** NLLLoss semantics asked for (nn.NLLLoss, F.nll_loss, a user `NLLLoss` function). */
  nll: boolean;
  options: OptionVals;
  call: LossCall | null;
  /** The value the hand-written formula computes (float64 numpy arithmetic). */
  formulaValue?: number;
  /** Span for findings about the input / target expressions. */
  inputSpan?: [number, number];
}

export interface ComputedPair {
  analysis: PairAnalysis;
  ref: PairRef;
  findings: Omit<Finding, 'line'>[];
}

/** Where a finding about this pair goes: the call when there is one, else the logits. */
function spanOf(p: PairInput, which: 'call' | 'target' | 'input'): [number, number] {
  if (which === 'target' && !p.call) return [p.target.site.start, p.target.site.end];
  if (which === 'input' && p.inputSpan) return p.inputSpan;
  if (p.call) return [p.call.start, p.call.end];
  return [p.input.site.start, p.input.site.end];
}

function ref(a: ArrVal): ArraySiteRef {
  const r: ArraySiteRef = { id: a.site.id, name: a.site.name, line: a.site.line, shape: a.site.shape.slice() };
  if (a.name !== null && a.name !== a.site.name) r.argName = a.name;
  if (a.site.cell !== undefined) r.cell = a.site.cell;
  return r;
}

/**
 * Computes one pair. `id` is its index; the dtype is the override, else the input's, else
 * torch's default float32.
 */
export function computePair(
  id: number,
  p: PairInput,
  dtypeOverride: DType | undefined,
  maxElements: number,
): ComputedPair {
  const findings: Omit<Finding, 'line'>[] = [];
  const input = p.input;
  const target = p.target;
  const dtype: DType = dtypeOverride ?? input.dtype ?? (input.kind === 'ndarray' ? 'float64' : 'float32');
  const dtypeSource = dtypeOverride ? 'override' : input.dtypeSource === 'explicit' ? 'explicit' : 'inferred';
  const reduction = (p.options.reduction ?? 'mean') as Reduction;
  const ignoreIndex = p.options.ignoreIndex ?? -100;
  const labelSmoothing = p.options.labelSmoothing ?? 0;
  const weightArr = p.options.weight ?? null;
  let inputKind: InputKind = p.nll ? 'log_probs' : 'logits';
  let error: { code: string; message: string } | null = null;
  let x: Float64Array | null = input.data;
  const shape = input.shape.slice();
  let tdata = target.data;
  let tshape = target.shape.slice();
  const ce = !p.nll;

  if (p.targetIndex !== undefined) {
    tdata = Float64Array.of(p.targetIndex);
    tshape = [];
  }

  if (x && input.integerTensor && !dtypeOverride) {
    error = {
      code: 'integer_input',
      message: ce
        ? `"log_softmax_lastdim_kernel_impl" not implemented for 'Long'`
        : `"nll_loss_out_frame" not implemented for 'Long'`,
    };
  }
  if (x && !error) {
    if (p.nll && input.transform === 'log_softmax') {
      // NLLLoss(log_softmax(x)) is CrossEntropyLoss(x): torch's cross_entropy is exactly that composition.
      inputKind = 'logits';
    } else if (input.transform === 'softmax') {
      const [s, e] = spanOf(p, 'input');
      findings.push(
        ce
          ? {
              code: 'softmax_applied_twice',
              severity: 'warning',
              start: s,
              end: e,
              message:
                'softmax is applied before CrossEntropyLoss, which applies log_softmax itself: pass the raw logits.',
            }
          : {
              code: 'log_probs_expected',
              severity: 'warning',
              start: s,
              end: e,
              message:
                'NLLLoss expects log-probabilities, but this is softmax output (probabilities): use log_softmax.',
            },
      );
      x = softmaxClasses(x, shape, dtype, false);
    } else if (input.transform === 'log_softmax') {
      x = softmaxClasses(x, shape, dtype, true);
    } else if (ce && p.kind !== 'formula' && rowsAreDistributions(x, shape)) {
      const [s, e] = spanOf(p, 'input');
      findings.push({
        code: 'softmax_applied_twice',
        severity: 'warning',
        start: s,
        end: e,
        message:
          'Every row of the input already sums to 1: these look like probabilities, and CrossEntropyLoss applies log_softmax to its input itself (softmax applied twice). Pass the raw logits.',
      });
    } else if (p.nll && !looksLikeLogProbs(x, shape)) {
      const [s, e] = spanOf(p, 'input');
      findings.push({
        code: 'log_probs_expected',
        severity: 'warning',
        start: s,
        end: e,
        message:
          'NLLLoss expects log-probabilities (log_softmax output), but these values are not: the loss below is what torch computes from them, not the cross-entropy. Apply log_softmax first, or use CrossEntropyLoss.',
      });
    }
  }

  let loss: number | null = null;
  let losses: number[] | null = null;
  let lossesArr: Float64Array | null = null;
  let numerator: number | null = null;
  let denominator: number | null = null;
  let targetKind: 'indices' | 'probabilities' | null = null;
  let request: LossRequest | undefined;
  let inputShape = shape;
  let targetShape = tshape;
  if (!error && (!x || !tdata)) {
    error = {
      code: input.site.error || target.site.error ? 'ragged_array' : 'too_large',
      message: input.site.error ?? target.site.error ?? 'The literal is too large to analyse.',
    };
  }
  if (!error && x && tdata) {
    const targetIntegral = target.integerTensor || (target.dtype === null && target.site.integral && !target.derived);
    const req: LossRequest = {
      input: { data: x, shape, integral: false } as NdArray,
      target: { data: tdata, shape: tshape, integral: targetIntegral } as NdArray,
      weight: weightArr && weightArr.data ? { data: weightArr.data, shape: weightArr.shape, integral: false } : null,
      ignoreIndex,
      reduction,
      labelSmoothing,
      dtype,
      inputKind,
    };
    request = req;
    const out = computeLoss(req, { maxElements });
    if (!out.ok) {
      error = out.error;
      if (error.code === 'integer_probability_target' && isOneHot(tdata, tshape)) {
        const [s, e] = spanOf(p, 'call');
        findings.push({
          code: 'one_hot_integer_target',
          severity: 'error',
          start: s,
          end: e,
          message: `The target is a one-hot integer tensor of the input's shape ${fmt(tshape)}. CrossEntropyLoss reads a target of the input's shape as class probabilities, which must be floats (torch: "${error.message}"). Pass class indices (target.argmax(dim=1)) or target.float().`,
        });
      }
    } else {
      const { prepared, result } = out;
      targetKind = prepared.targetKind;
      inputShape = prepared.inputShape;
      targetShape = tshape;
      lossesArr = result.losses;
      if (result.losses.length <= 1_000_000) losses = Array.from(result.losses);
      loss = reduction === 'none' ? null : result.loss;
      numerator = result.numerator;
      denominator = result.denominator;
      if (p.kind === 'formula' && p.formulaValue !== undefined) {
        loss = p.formulaValue;
        numerator = p.formulaValue;
        denominator = 1;
        losses = [p.formulaValue];
        lossesArr = Float64Array.of(p.formulaValue);
      }
      if (prepared.targetKind === 'probabilities') {
        const bad = unnormalisedRow(tdata, tshape);
        if (bad !== null) {
          const [s, e] = spanOf(p, 'target');
          findings.push({
            code: 'probabilities_not_normalised',
            severity: 'warning',
            start: s,
            end: e,
            message: `The target has the input's shape, so it is read as class probabilities, but ${bad}: each row should sum to 1.`,
          });
        }
      }
    }
  }
  if (error && !findings.some((f) => f.code === 'one_hot_integer_target')) {
    const [s, e] = spanOf(p, error.code === 'target_out_of_bounds' ? 'call' : 'call');
    findings.push({ code: error.code, severity: 'error', start: s, end: e, message: error.message });
  }

  const analysis: PairAnalysis = {
    id,
    logits: ref(input),
    target: ref(target),
    call: p.call,
    options: {
      weight: weightArr && weightArr.data ? Array.from(weightArr.data) : null,
      ignoreIndex,
      reduction,
      labelSmoothing,
      inputKind: p.nll ? 'log_probs' : 'logits',
    },
    dtype,
    dtypeSource,
    loss,
    losses,
    numerator,
    denominator,
    error: error ? { code: error.code as never, message: error.message } : null,
    claims: [],
    inputShape,
    targetShape,
    targetKind,
    inputTransform: input.transform,
    printed: loss === null ? null : p.kind === 'formula' ? pythonRepr(loss) : formatTorchScalar(loss, dtype),
  };
  if (request) analysis.request = request;
  if (input.site.cell !== undefined) analysis.cell = p.call?.cell ?? input.site.cell;
  const pref: PairRef = {
    id,
    kind: p.kind,
    dtype,
    loss,
    losses: lossesArr,
    reduction,
    errorMessage: error ? error.message : null,
    resultName: p.call?.resultName ?? null,
  };
  return { analysis, ref: pref, findings };
}

function fmt(shape: number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Class-dimension rows of x (C = shape[1], or shape[0] for a (C) input), as callbacks. */
function forEachRow(x: Float64Array, shape: number[], fn: (get: (c: number) => number, C: number) => boolean): boolean {
  if (shape.length === 0) return true;
  const batched = shape.length > 1;
  const N = batched ? shape[0] : 1;
  const C = batched ? shape[1] : shape[0];
  let S = 1;
  for (let d = 2; d < shape.length; d++) S *= shape[d];
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      const base = n * C * S + s;
      if (!fn((c) => x[base + c * S], C)) return false;
    }
  }
  return true;
}

/**
 * Every row in [0, 1] and summing to 1 (± 1e-3). With two classes a couple of rows summing to 1
 * is too common by chance to say anything, so that needs at least four rows.
 */
function rowsAreDistributions(x: Float64Array, shape: number[]): boolean {
  const C = shape.length > 1 ? shape[1] : shape[0];
  const rows = x.length / Math.max(C, 1);
  if (!(C >= 2) || x.length === 0 || (C === 2 && rows < 4)) return false;
  return forEachRow(x, shape, (get, n) => {
    let sum = 0;
    for (let c = 0; c < n; c++) {
      const v = get(c);
      if (!(v >= 0 && v <= 1)) return false;
      sum += v;
    }
    return Math.abs(sum - 1) <= 1e-3;
  });
}

/** Every row ≤ 0 with logsumexp ≈ 0: log-probabilities. */
function looksLikeLogProbs(x: Float64Array, shape: number[]): boolean {
  return forEachRow(x, shape, (get, C) => {
    let m = -Infinity;
    for (let c = 0; c < C; c++) {
      const v = get(c);
      if (v > 1e-6 || v !== v) return false;
      if (v > m) m = v;
    }
    if (m === -Infinity) return true;
    let s = 0;
    for (let c = 0; c < C; c++) s += Math.exp(get(c) - m);
    return Math.abs(m + Math.log(s)) <= 1e-3;
  });
}

/** One-hot rows of 0/1 integers. */
function isOneHot(t: Float64Array, shape: number[]): boolean {
  return forEachRow(t, shape, (get, C) => {
    let ones = 0;
    for (let c = 0; c < C; c++) {
      const v = get(c);
      if (v === 1) ones++;
      else if (v !== 0) return false;
    }
    return ones === 1;
  });
}

/** A description of the first row that does not sum to 1 (or has a negative entry), or null. */
function unnormalisedRow(t: Float64Array, shape: number[]): string | null {
  let found: string | null = null;
  let row = 0;
  forEachRow(t, shape, (get, C) => {
    let sum = 0;
    for (let c = 0; c < C; c++) {
      const v = get(c);
      if (v < 0) {
        found = `row ${row} has a negative entry (${v})`;
        return false;
      }
      sum += v;
    }
    if (Math.abs(sum - 1) > 1e-3) {
      found = `row ${row} sums to ${Number(sum.toPrecision(6))}`;
      return false;
    }
    row++;
    return true;
  });
  return found;
}

/**
 * The hand-written unbatched formula `log(Σ exp(x)) − x[t]` as the code computes it (no max shift),
 * in float64 (numpy / Python floats) or float32 (torch tensors). `sumKind` picks the summation
 * order: Python's builtin `sum` is sequential, `np.sum` is pairwise.
 */
export function formulaLoss(
  x: Float64Array,
  t: number,
  dtype: DType,
  sumKind: 'builtin' | 'numpy' | 'torch',
  logSumExpFn: boolean,
): number {
  const r = dtype === 'float32' ? Math.fround : (v: number) => v;
  const xs = inDtype(x, dtype);
  let lse: number;
  if (logSumExpFn) {
    let m = -Infinity;
    for (let i = 0; i < xs.length; i++) if (xs[i] > m) m = xs[i];
    let s = 0;
    for (let i = 0; i < xs.length; i++) s += Math.exp(xs[i] - m);
    lse = r(m + Math.log(s));
  } else {
    const e = new Float64Array(xs.length);
    for (let i = 0; i < xs.length; i++) e[i] = r(Math.exp(xs[i]));
    let s = 0;
    if (sumKind === 'numpy' && dtype === 'float64') s = numpyPairwiseSum(e, 0, e.length);
    else {
      for (let i = 0; i < e.length; i++) s = r(s + e[i]);
    }
    lse = r(Math.log(s));
  }
  return r(lse - xs[t]);
}
