/**
 * What the panel's step table and stability card show of one sample: its breakdown over all C
 * classes cut down to a page of classes, with sums over the others. The worker builds it where the
 * breakdown is, so that only the shown columns cross to the host and the webview; the host builds
 * it from a full breakdown it holds (tests, older replies). Pure: no Node, DOM or `vscode`.
 */
import { topKClasses } from './kernel/topK';
import type { DType, InputKind, Reduction, SampleBreakdown, SampleView, StabilityCard } from './types';

/** A breakdown whose per-class lists are plain lists or typed arrays (as the worker transfers them). */
export type BreakdownLists = Omit<
  SampleBreakdown,
  'logits' | 'shifted' | 'exp' | 'softmax' | 'logSoftmax' | 'targetDistribution' | 'weight' | 'contributions' | 'grad'
> & {
  logits: ArrayLike<number>;
  shifted: ArrayLike<number> | null;
  exp: ArrayLike<number> | null;
  softmax: ArrayLike<number>;
  logSoftmax: ArrayLike<number>;
  targetDistribution: ArrayLike<number>;
  weight: ArrayLike<number>;
  contributions: ArrayLike<number>;
  grad?: ArrayLike<number> | null | undefined;
};

/**
 * The classes the step table shows, ascending: with `start` null the `size` most likely ones
 * (NaN counts as most likely, so a broken row is visible), otherwise `size` consecutive classes
 * from `start`; the target is added when it is not among them. All classes when C ≤ size + 1.
 */
export function selectClasses(
  softmax: ArrayLike<number>,
  target: number | null,
  start: number | null,
  size: number,
): number[] {
  const C = softmax.length;
  if (C <= size + 1) return Array.from({ length: C }, (_, i) => i);
  // The top-k (with the target) is the kernel's own selection, as hovers use it.
  if (start === null) return topKClasses(softmax, target, size);
  const first = Math.max(0, Math.min(Math.floor(start), C - size));
  const picked = Array.from({ length: size }, (_, i) => first + i);
  if (target !== null && target >= 0 && target < C && !picked.includes(target)) picked.push(target);
  return picked.sort((a, b) => a - b);
}

/** Options for {@link buildSampleView}. */
export interface SampleViewOptions {
  /** Working dtype of the breakdown. */
  dtype: DType;
  /** Input kind in effect. */
  inputKind: InputKind;
  /** ε in effect. */
  labelSmoothing: number;
  /** Reduction in effect (sets the gradient's D). */
  reduction: Reduction;
  /** The mean's denominator of the whole batch. */
  denominator: number;
  /** First class of the page, or null for the top-k. */
  classStart: number | null;
  /** Classes per page (the panel's classPageSize). */
  pageSize: number;
}

/** The step table of one sample: the breakdown restricted to the shown classes, plus sums over the hidden ones. */
export function buildSampleView(b: BreakdownLists, o: SampleViewOptions): SampleView {
  const C = b.logits.length;
  const size = o.pageSize;
  const round = o.dtype === 'float32' ? Math.fround : (v: number) => v;
  const classes = selectClasses(b.softmax, b.target, o.classStart, size);
  // `classes` are valid class indices (selectClasses): each has a value.
  const pick = (values: ArrayLike<number>) => classes.map((c) => values[c]!);
  // −q·log p as the kernel rounds it, 0 where q is 0 (so that 0·(−∞) does not make NaN).
  const qLogP = classes.map((c) =>
    b.ignored || b.targetDistribution[c]! === 0 ? 0 : round(-round(b.logSoftmax[c]! * b.targetDistribution[c]!)),
  );
  let hiddenSoftmax = 0;
  let hiddenContribution = 0;
  if (classes.length < C) {
    const shown = new Uint8Array(C);
    for (const c of classes) shown[c] = 1;
    for (let c = 0; c < C; c++) {
      if (shown[c]) continue;
      hiddenSoftmax += b.softmax[c]!;
      hiddenContribution += b.contributions[c]!;
    }
  }
  let weightedTargetSum = 0;
  for (let c = 0; c < C; c++)
    if (b.targetDistribution[c]! !== 0) weightedTargetSum += b.weight[c]! * b.targetDistribution[c]!;
  // The predicted class is torch.argmax(p): the first largest p over all C (NaN wins, as in torch).
  let predicted: number | null = null;
  for (let c = 0; c < C; c++) {
    const p = b.softmax[c]!;
    if (p !== p) {
      predicted = c;
      break;
    }
    if (predicted === null || p > b.softmax[predicted]!) predicted = c;
  }
  let argmax: number | null = null;
  if (b.max !== null) {
    argmax = 0;
    for (let c = 0; c < C; c++)
      if (b.logits[c] === b.max) {
        argmax = c;
        break;
      }
  }
  return {
    element: b.element,
    position: b.position.slice(),
    target: b.target,
    ignored: b.ignored,
    dtype: o.dtype,
    inputKind: o.inputKind,
    labelSmoothing: o.labelSmoothing,
    C,
    classIndices: classes,
    window: { start: classes.length < C ? o.classStart : null, size },
    logits: pick(b.logits),
    max: b.max,
    argmax,
    predicted,
    shifted: b.shifted ? pick(b.shifted) : null,
    exp: b.exp ? pick(b.exp) : null,
    sumExp: b.sumExp,
    logSumExp: b.logSumExp,
    softmax: pick(b.softmax),
    logSoftmax: pick(b.logSoftmax),
    q: pick(b.targetDistribution),
    qLogP,
    weight: pick(b.weight),
    contributions: pick(b.contributions),
    grad: b.grad ? pick(b.grad) : null,
    weightedTargetSum,
    gradDenominator: o.reduction === 'mean' ? o.denominator : 1,
    hiddenSoftmax,
    hiddenContribution,
    loss: b.loss,
    denominatorShare: b.denominatorShare,
  };
}

/**
 * The stability card for logits `x` (all C of them) plus the constant `shift`, in float32 as
 * torch's default tensors compute it. Naive: p = exp(x + k) / Σ exp(x + k), which overflows once
 * some x + k passes ln(FLT_MAX) ≈ 88.72 (Σ = Infinity, p = 0 or Infinity/Infinity = NaN) and
 * underflows to 0/0 = NaN once every x + k is below ≈ −103.9. Shifted: exp(x + k − max) / Σ,
 * finite for every finite input. See https://en.wikipedia.org/wiki/LogSumExp.
 */
export function buildStability(x: ArrayLike<number>, classIndices: readonly number[], shift: number): StabilityCard {
  const f = Math.fround;
  const C = x.length;
  const k = f(shift);
  const xs = new Float32Array(C);
  for (let c = 0; c < C; c++) xs[c] = f(f(x[c]!) + k);
  let naiveSum = 0;
  let overflowCount = 0;
  let max = -Infinity;
  for (let c = 0; c < C; c++) {
    const e = f(Math.exp(xs[c]!));
    if (e === Infinity) overflowCount++;
    naiveSum = f(naiveSum + e);
    if (xs[c]! > max || xs[c]! !== xs[c]!) max = xs[c]!;
  }
  let stableSum = 0;
  for (let c = 0; c < C; c++) stableSum = f(stableSum + f(Math.exp(f(xs[c]! - max))));
  return {
    shift,
    classIndices: classIndices.slice(),
    shiftedLogits: classIndices.map((c) => xs[c]!),
    naiveExp: classIndices.map((c) => f(Math.exp(xs[c]!))),
    naiveSum,
    naiveSoftmax: classIndices.map((c) => f(f(Math.exp(xs[c]!)) / naiveSum)),
    overflowCount,
    stableMax: max,
    stableSumExp: stableSum,
    stableSoftmax: classIndices.map((c) => f(f(Math.exp(f(xs[c]! - max))) / stableSum)),
  };
}
