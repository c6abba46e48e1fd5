/**
 * From a recognised loss to the torch computation it stands for: the dtype, the options with
 * torch's defaults, the input as the code transforms it (softmax, log_softmax, log of a softmax,
 * computed with the rounding the code does), and the kernel request. Also the findings the data
 * shows before any loss is computed (softmax applied twice, raw logits given to NLLLoss).
 * Nothing here runs the kernel.
 */
import type { FormulaGuard, FormulaLibrary, LibraryLossRequest, LibraryName } from '../libraries/types';
import type { DType, ErrorInfo, InputKind, LossRequest, NdArray, Reduction } from '../types';
import { expRowsSumToOne, looksLikeLogProbs, rowsAreDistributions } from './rows';
import type { ArraySiteRef, DetectedPair, Finding, LossCall, LossCallKind, ReducedFrom } from './types';
import { logElementwise, softmaxClasses, type ArrayValue, type AssumedTorch, type OptionValues } from './values';

/** Everything known about one pair when its loss is recognised. */
export interface PairInput {
  /** Catalogue entry that recognised it. */
  recogniser: string;
  kind: LossCallKind;
  input: ArrayValue;
  target: ArrayValue;
  /** For the unbatched hand-written formula: the one class index (target[k]). */
  targetIndex?: number;
  /** What the loss reads its input as: logits (cross-entropy) or log-probabilities (NLL). */
  reads: InputKind;
  options: OptionValues;
  call: LossCall | null;
  /** The value the hand-written formula computes (its own arithmetic). */
  formulaValue?: number;
  /** The per-row values a hand-written formula computes (a vector: no reduction). */
  formulaLosses?: number[];
  /** The pair is `how` of the per-element losses of pair `pair` (reducedPairs.ts): the analysis reduces them. */
  reducedFrom?: ReducedFrom;
  /** false: the formula's number is not the torch computation's (a log-likelihood without its minus): no kernel request. */
  breakdown?: false;
  /** A hand-written formula: whose arithmetic its value is, and a divisor that is not the row count. */
  formula?: { lib: FormulaLibrary; scaledBy: number | null; guard?: FormulaGuard | undefined };
  /** Span for findings about the input expression. */
  inputSpan?: [number, number];
  /** torch's loss read through a name the source never binds (values.ts OptionValues.assumed). */
  assumedTorch?: AssumedTorch;
  /** The values flow through something not modelled: the pair has no number, and this says why. */
  unverified?: string;
  /** A loss of another library, computed by its own rule (recognisers/). */
  library?: LibraryPairSpec;
  /**
   * Another library's call that torch's kernel computes, its losses being copies of torch's
   * (PaddlePaddle's cross_entropy, nll_loss): the library, and how its call maps to torch's in words.
   */
  callLibrary?: { name: LibraryName; mapping: string };
}

/** A library's loss as its recogniser read it (see recognisers/common.ts). */
export interface LibraryPairSpec {
  name: LibraryName;
  /** How it maps to torch, in words. */
  mapping: string;
  request: LibraryLossRequest | null;
  /** The same number as a torch request, when the mapping is exact (kept for the torch breakdown). */
  torch: LossRequest | null;
  reduction: Reduction;
  labelSmoothing: number;
  dtype: DType;
  dtypeExplicit: boolean;
  /** The dtype is one version's (recognisers/common.ts LibraryPairArgs.dtypeAssumed). */
  dtypeAssumed?: true;
  /** The library refuses the operands (its error). */
  error: { code: string; message: string } | null;
}

function siteRef(a: ArrayValue): ArraySiteRef {
  const r: ArraySiteRef = { id: a.site.id, name: a.site.name, line: a.site.line, shape: a.site.shape.slice() };
  // A hidden name (a callback's receiver, '\u0000receiver') is no name the source spells: the site's name stands.
  if (a.name !== null && a.name !== a.site.name && !a.name.includes('\u0000')) r.argName = a.name;
  if (a.site.cell !== undefined) r.cell = a.site.cell;
  return r;
}

/**
 * The detected pair for `p` (id `id`), and the findings its data shows. The dtype is the
 * override, else the input's, else numpy's float64 for ndarrays and torch's float32 otherwise.
 */
export function buildPair(
  id: number,
  p: PairInput,
  dtypeOverride: DType | undefined,
): { pair: DetectedPair; findings: Omit<Finding, 'line'>[] } {
  if (p.library) return { pair: libraryPair(id, p, p.library, dtypeOverride), findings: [] };
  const findings: Omit<Finding, 'line'>[] = [];
  const { input, target } = p;
  const nll = p.reads === 'log_probs';
  const dtype: DType = dtypeOverride ?? input.dtype ?? (input.container === 'ndarray' ? 'float64' : 'float32');
  const reduction = (p.options.reduction ?? 'mean') as Reduction;
  const ignoreIndex = p.options.ignoreIndex ?? -100;
  const labelSmoothing = p.options.labelSmoothing ?? 0;
  // torch checks only `label_smoothing <= 1` and smooths only above 0: a negative value is no smoothing
  // (torch 1.13 and later; docs/detection.md 3.145). The kernel's request keeps its [0, 1] contract.
  const requestSmoothing = labelSmoothing < 0 && p.recogniser.startsWith('torch.') ? 0 : labelSmoothing;
  const weight = p.options.weight ?? null;
  const callSpan: [number, number] = p.call ? [p.call.start, p.call.end] : [input.site.start, input.site.end];
  const targetSpan: [number, number] = p.call ? callSpan : [target.site.start, target.site.end];
  const inputSpan = p.inputSpan ?? callSpan;
  let inputKind: InputKind = p.reads;
  let error: DetectedPair['error'] = null;
  let x: Float64Array | null = input.data;
  const shape = input.shape.slice();
  let targetData = target.data;
  let targetShape = target.shape.slice();
  if (p.targetIndex !== undefined) {
    targetData = Float64Array.of(p.targetIndex);
    targetShape = [];
  }
  const warn = (code: string, message: string): void => {
    findings.push({ code, severity: 'warning', start: inputSpan[0], end: inputSpan[1], message });
  };

  if (p.unverified === undefined && x && input.integerTensor && !dtypeOverride) {
    error = {
      code: 'integer_input' as never,
      message: nll
        ? `"nll_loss_out_frame" not implemented for 'Long'`
        : `"log_softmax_lastdim_kernel_impl" not implemented for 'Long'`,
    };
  }
  // torch's own losses refuse class indices of 32, 16 or 8 bits (another library's copy takes them).
  const torchOwn =
    !p.callLibrary && !p.formula && ['CrossEntropyLoss', 'NLLLoss', 'cross_entropy', 'nll_loss'].includes(p.kind);
  if (
    p.unverified === undefined &&
    !error &&
    torchOwn &&
    target.integerTensor &&
    target.narrowInt &&
    p.targetIndex === undefined
  )
    error = { code: 'narrow_int_target', message: `expected scalar type Long but found ${target.narrowInt}` };
  if (p.unverified === undefined && x && !error) {
    if (nll && input.transform === 'log_softmax') {
      // NLLLoss(log_softmax(x)) is CrossEntropyLoss(x): torch's cross_entropy is exactly that composition.
      inputKind = 'logits';
    } else if (input.transform === 'log_of_softmax') {
      // log(softmax(x)) as the code computes it: the rounded probabilities, then their log.
      x = logElementwise(softmaxClasses(x, shape, dtype, false), dtype);
    } else if (input.transform === 'softmax') {
      if (nll)
        warn(
          'log_probs_expected',
          'NLLLoss expects log-probabilities, but this is softmax output (probabilities): use log_softmax.',
        );
      else
        warn(
          'softmax_applied_twice',
          'softmax is applied before CrossEntropyLoss, which applies log_softmax itself: pass the raw logits.',
        );
      x = softmaxClasses(x, shape, dtype, false);
    } else if (input.transform === 'log_softmax') {
      x = softmaxClasses(x, shape, dtype, true);
    } else if (p.formula || p.kind === 'formula') {
      // A formula's input is what the code computed: nothing to warn about in its data.
    } else if (!nll && rowsAreDistributions(x, shape)) {
      warn(
        'softmax_applied_twice',
        'Every row of the input already sums to 1: these look like probabilities, and CrossEntropyLoss applies log_softmax to its input itself (softmax applied twice). Pass the raw logits.',
      );
    } else if (nll && !looksLikeLogProbs(x, shape)) {
      warn(
        'log_probs_expected',
        'NLLLoss expects log-probabilities (log_softmax output), but these values are not: the loss below is what torch computes from them, not the cross-entropy. Apply log_softmax first, or use CrossEntropyLoss.',
      );
    }
  }
  if (p.unverified === undefined && !error && (!x || !targetData)) {
    // Codes of detection's own findings ('too_large' is not a kernel code).
    error = {
      code: (input.site.error || target.site.error ? 'ragged_array' : 'too_large') as never,
      message: input.site.error ?? target.site.error ?? 'The literal is too large to analyse.',
    };
  }
  let request: LossRequest | null = null;
  if (p.unverified === undefined && !error && x && targetData && p.breakdown !== false) {
    const targetIntegral = target.integerTensor || (target.dtype === null && target.site.integral && !target.derived);
    // −Σ y·log p with soft labels: torch has no NLLLoss for probability targets, but when each row of
    // p sums to 1 (to the dtype's rounding) CrossEntropyLoss of log p is the same loss: log_softmax(log p) = log p.
    if (p.formula && nll && !targetIntegral && targetShape.length === shape.length && expRowsSumToOne(x, shape, dtype))
      inputKind = 'logits';
    request = {
      input: { data: x, shape, integral: false } as NdArray,
      target: { data: targetData, shape: targetShape, integral: targetIntegral } as NdArray,
      weight: weight && weight.data ? { data: weight.data, shape: weight.shape, integral: false } : null,
      ignoreIndex,
      reduction,
      labelSmoothing: requestSmoothing,
      dtype,
      inputKind,
    };
  }
  const pair: DetectedPair = {
    id,
    logits: siteRef(input),
    target: siteRef(target),
    call: p.call,
    recogniser: p.recogniser,
    options: {
      weight: weight && weight.data ? Array.from(weight.data) : null,
      ignoreIndex,
      reduction,
      labelSmoothing,
      inputKind: p.reads,
    },
    dtype,
    dtypeSource: dtypeOverride ? 'override' : input.dtypeSource === 'explicit' ? 'explicit' : 'inferred',
    request,
    error,
    unverified: p.unverified ?? null,
    formulaValue: p.formulaValue ?? null,
    formulaLosses: p.formulaLosses ?? null,
    ...(p.formula ? { formulaLibrary: p.formula.lib } : {}),
    ...(p.formula?.guard ? { formulaGuard: p.formula.guard } : {}),
    ...(p.assumedTorch ? { assumedTorch: p.assumedTorch } : {}),
    valueStyle: p.formula
      ? p.formula.lib === 'torch'
        ? 'torch'
        : 'python'
      : p.kind === 'formula'
        ? 'python'
        : 'torch',
    inputShape: shape,
    targetShape,
    inputTransform: input.transform,
    callSpan,
    targetSpan,
    ...(p.callLibrary ? { library: p.callLibrary.name, mapping: p.callLibrary.mapping } : {}),
  };
  if (p.reducedFrom) pair.reducedFrom = p.reducedFrom;
  if (input.site.cell !== undefined) pair.cell = p.call?.cell ?? input.site.cell;
  return { pair, findings };
}

/**
 * The detected pair of another library's loss: its own computation (the analysis runs the
 * library's rule), with the torch request only when the mapping is exact. No torch findings
 * (softmax twice, log-probabilities expected): they are about torch's call, not this one.
 */
function libraryPair(id: number, p: PairInput, lib: LibraryPairSpec, dtypeOverride: DType | undefined): DetectedPair {
  const dtype = dtypeOverride ?? lib.dtype;
  const callSpan: [number, number] = p.call ? [p.call.start, p.call.end] : [p.input.site.start, p.input.site.end];
  const unverified = p.unverified ?? null;
  const request = unverified === null && lib.request ? { ...lib.request, dtype } : null;
  const torch = unverified === null && lib.torch ? { ...lib.torch, dtype } : null;
  const pair: DetectedPair = {
    id,
    logits: siteRef(p.input),
    target: siteRef(p.target),
    call: p.call,
    recogniser: p.recogniser,
    options: {
      weight: null,
      ignoreIndex: -100,
      reduction: lib.reduction,
      labelSmoothing: lib.labelSmoothing,
      inputKind: p.reads,
    },
    dtype,
    dtypeSource: dtypeOverride ? 'override' : lib.dtypeExplicit ? 'explicit' : 'inferred',
    request: torch,
    error: unverified === null && lib.error ? (lib.error as ErrorInfo) : null,
    unverified,
    formulaValue: null,
    inputShape: request ? request.input.shape.slice() : p.input.shape.slice(),
    targetShape: request ? request.target.shape.slice() : p.target.shape.slice(),
    inputTransform: p.input.transform,
    callSpan,
    targetSpan: callSpan,
    library: lib.name,
    mapping: lib.mapping,
    libraryRequest: request,
  };
  if (p.reducedFrom) pair.reducedFrom = p.reducedFrom;
  if (lib.dtypeAssumed && !dtypeOverride) pair.dtypeAssumed = true;
  if (p.input.site.cell !== undefined) pair.cell = p.call?.cell ?? p.input.site.cell;
  return pair;
}
