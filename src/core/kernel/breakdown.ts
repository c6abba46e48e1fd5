import { rowStatistics, rowsInWasm, type LossResult } from './crossEntropy';
import type { ReductionBreakdown, SampleBreakdown } from '../types';
import type { Floats, Prepared } from './prepare';
import { sampleLogits } from './input';
import { wasmExp } from './wasmForward';

export type { ReductionBreakdown, SampleBreakdown };

/** Position coordinates of element e in a loss of shape lossShape. */
export function positionOf(e: number, lossShape: readonly number[]): number[] {
  const pos = new Array<number>(lossShape.length);
  for (let d = lossShape.length - 1; d >= 0; d--) {
    pos[d] = e % lossShape[d];
    e = Math.floor(e / lossShape[d]);
  }
  return pos;
}

/**
 * A sample's breakdown with its per-class lists as typed arrays (each value exactly the number
 * {@link sampleBreakdown} lists): what the worker reads a page of classes from without building C
 * JavaScript numbers per list, and without the gradient, which it asks for the shown classes alone
 * (`gradientRow`'s `classes`).
 */
export interface SampleLists extends Omit<
  SampleBreakdown,
  'logits' | 'shifted' | 'exp' | 'softmax' | 'logSoftmax' | 'targetDistribution' | 'weight' | 'contributions' | 'grad'
> {
  logits: Float64Array;
  shifted: Float64Array | null;
  exp: Float64Array | null;
  softmax: Float64Array;
  logSoftmax: Float64Array;
  targetDistribution: Float64Array;
  weight: Float64Array;
  contributions: Float64Array;
}

/**
 * What element `e`'s lists hold that its row of the input alone decides (logits, the row's
 * statistics, exp, softmax, log_softmax): the same for any target, ε, weight, ignore_index and
 * reduction of the same input, dtype and input kind, so that a caller showing the same sample
 * under other such options can pass it to {@link sampleLists} instead of its C exps again.
 */
export type SampleRow = Pick<
  SampleLists,
  'logits' | 'max' | 'shifted' | 'exp' | 'sumExp' | 'logSumExp' | 'softmax' | 'logSoftmax'
>;

/** Element `e`'s {@link SampleRow}. */
export function sampleRow(p: Prepared, e: number): SampleRow {
  return new SampleRowBuilder(p, e, p.C).finish();
}

/**
 * Makes element `e`'s {@link SampleRow} a step at a time, for work done ahead in a worker's idle
 * time: first its logits and the row's statistics, then its per-class lists `classesPerStep`
 * classes a step. Each class's values come from the row's statistics and its own logit alone (the
 * kernel's exp is elementwise), so any split gives the lists of one pass, to the bit.
 */
export class SampleRowBuilder {
  private readonly C: number;
  private readonly round: (v: number) => number;
  private logits: Float64Array | null = null;
  private stats: { max: number; sumExp: number; lse: number } | null = null;
  private readonly wasmRows: boolean;
  private shifted: Float64Array | null = null;
  private exps: Float64Array | null = null;
  private readonly softmax: Float64Array;
  private readonly logSoftmax: Float64Array;
  /** Classes done so far (the lists are filled below it). */
  private done = 0;

  constructor(
    private readonly p: Prepared,
    private readonly e: number,
    private readonly classesPerStep: number,
  ) {
    this.C = p.C;
    this.round = p.dtype === 'float32' ? Math.fround : (v: number) => v;
    this.wasmRows = p.inputKind === 'logits' && rowsInWasm(p);
    this.softmax = new Float64Array(p.C);
    this.logSoftmax = new Float64Array(p.C);
  }

  /** Runs steps until `enough()` says stop (at least one when any is left); true when none is left. */
  step(enough: () => boolean): boolean {
    for (;;) {
      if (this.done >= this.C && this.logits) return true;
      this.one();
      if (enough()) return this.done >= this.C && this.logits !== null;
    }
  }

  /** The row, making what is left of it at once. */
  finish(): SampleRow {
    this.step(() => false);
    const { logits, stats, shifted, exps, softmax, logSoftmax } = this;
    if (this.p.inputKind !== 'logits' || !stats)
      return {
        logits: logits!,
        max: null,
        shifted: null,
        exp: null,
        sumExp: null,
        logSumExp: null,
        softmax,
        logSoftmax,
      };
    return {
      logits: logits!,
      max: stats.max,
      shifted,
      exp: exps,
      sumExp: stats.sumExp,
      logSumExp: this.round(stats.max + stats.lse),
      softmax,
      logSoftmax,
    };
  }

  private one(): void {
    const { p, C, round } = this;
    if (!this.logits) {
      this.logits = sampleLogits(p, this.e);
      if (p.inputKind === 'logits') {
        // The forward's own row statistics (wasm or scalar; the gradient uses the same), and for
        // wasm rows the kernel's exp too, so the exps add up to sumExp and softmax is the steps'.
        this.stats = rowStatistics(p, this.e);
        this.shifted = new Float64Array(C);
        this.exps = new Float64Array(C);
      }
      return;
    }
    const c0 = this.done;
    const c1 = Math.min(C, c0 + Math.max(1, this.classesPerStep));
    const logits = this.logits;
    const { softmax, logSoftmax } = this;
    const r = this.stats;
    // A loop per dtype rather than `round` called through a variable per class (most of a step's
    // time on a 50 257-class row): the same roundings, so the same values to the bit.
    const f32 = p.dtype === 'float32';
    if (r && this.shifted && this.exps) {
      const sh = this.shifted;
      const ex = this.exps;
      const { max, sumExp, lse } = r;
      if (f32) for (let c = c0; c < c1; c++) sh[c] = Math.fround(logits[c] - max);
      else for (let c = c0; c < c1; c++) sh[c] = logits[c] - max;
      const part = sh.subarray(c0, c1);
      const kernelExps = this.wasmRows ? wasmExp(f32 ? Float32Array.from(part) : part) : null;
      if (kernelExps) ex.set(kernelExps, c0);
      else for (let c = c0; c < c1; c++) ex[c] = round(Math.exp(sh[c]));
      // softmaxScale's rule (torch multiplies by 1/Σ over a last class axis, divides otherwise), one loop per dtype.
      const inv = p.S === 1 ? (f32 ? Math.fround(1 / sumExp) : 1 / sumExp) : 0;
      if (f32)
        for (let c = c0; c < c1; c++) {
          softmax[c] = Math.fround(p.S === 1 ? ex[c] * inv : ex[c] / sumExp);
          logSoftmax[c] = Math.fround(sh[c] - lse);
        }
      else
        for (let c = c0; c < c1; c++) {
          softmax[c] = p.S === 1 ? ex[c] * inv : ex[c] / sumExp;
          logSoftmax[c] = sh[c] - lse;
        }
    } else {
      for (let c = c0; c < c1; c++) {
        logSoftmax[c] = logits[c];
        softmax[c] = round(Math.exp(logits[c]));
      }
    }
    this.done = c1;
  }
}

/**
 * Element `e`'s breakdown (0 ≤ e < N·S) as typed lists: O(C), cheap to ask for one sample of a
 * large batch once the result exists. `row`: its {@link sampleRow}, kept from another computation
 * of the same input, dtype and input kind.
 */
export function sampleLists(p: Prepared, res: LossResult, e: number, row: SampleRow = sampleRow(p, e)): SampleLists {
  const { C, S, weight, labelSmoothing: eps } = p;
  const f32 = p.dtype === 'float32';
  const round = f32 ? Math.fround : (v: number) => v;
  const n = Math.floor(e / S);
  const s = e % S;
  const base = n * C * S + s;
  const { logSoftmax } = row;
  const w = new Float64Array(C);
  if (weight) w.set(weight);
  else w.fill(1);
  const target = p.targetKind === 'indices' ? (p.indices as Float64Array)[e] : null;
  const ignored = !!(res.ignored && res.ignored[e]);
  const q = new Float64Array(C);
  if (target !== null) {
    // q_c = (1 − ε)·[c = t] + ε/C, each step rounded to the dtype: ε/C off the target (0·(1 − ε)
    // is +0, and +0 + ε/C is ε/C, already rounded), one value on it. Filled, not computed per class
    // (C rounded steps were most of an ε change's sample on a 50 257-class row).
    const off = eps > 0 ? round(eps / C) : 0;
    if (off !== 0) q.fill(off);
    if (target >= 0 && target < C) q[target] = eps > 0 ? round(round(1 * round(1 - eps)) + off) : 1;
  } else {
    const probs = p.probs as Floats;
    for (let c = 0; c < C; c++) {
      const v = probs[base + c * S];
      q[c] = eps > 0 ? round(round(v * round(1 - eps)) + round(eps / C)) : v;
    }
  }
  const contributions = new Float64Array(C);
  // −q·log p·w rounded to the dtype, 0 where q is 0 (so that 0·(−∞) does not make NaN); a loop per
  // dtype, so that the rounding is not a call through a variable C times.
  if (!ignored && f32) {
    for (let c = 0; c < C; c++) {
      const qc = q[c];
      if (qc !== 0) contributions[c] = Math.fround(-Math.fround(Math.fround(logSoftmax[c] * qc) * w[c]));
    }
  } else if (!ignored) {
    for (let c = 0; c < C; c++) {
      const qc = q[c];
      if (qc !== 0) contributions[c] = -(logSoftmax[c] * qc * w[c]);
    }
  }
  return {
    element: e,
    position: positionOf(e, p.lossShape),
    target,
    ignored,
    ...row,
    targetDistribution: q,
    weight: w,
    contributions,
    loss: res.losses[e],
    denominatorShare: ignored ? 0 : target !== null ? w[target] : 1,
  };
}

/**
 * The full step-by-step breakdown of element `e` (0 ≤ e < N·S) with plain lists: {@link sampleLists}
 * as arrays. Its gradient row comes from `gradRow` (C values, see gradientRow) when given, else
 * from `res.grad` when that holds the whole gradient.
 */
export function sampleBreakdown(p: Prepared, res: LossResult, e: number, gradRow?: ArrayLike<number>): SampleBreakdown {
  const lists = sampleLists(p, res, e);
  const out: SampleBreakdown = {
    ...lists,
    logits: Array.from(lists.logits),
    shifted: lists.shifted && Array.from(lists.shifted),
    exp: lists.exp && Array.from(lists.exp),
    softmax: Array.from(lists.softmax),
    logSoftmax: Array.from(lists.logSoftmax),
    targetDistribution: Array.from(lists.targetDistribution),
    weight: Array.from(lists.weight),
    contributions: Array.from(lists.contributions),
  };
  if (gradRow) out.grad = Array.from(gradRow);
  else if (res.grad) {
    const { C, S } = p;
    const base = Math.floor(e / S) * C * S + (e % S);
    const g = new Array<number>(C);
    for (let c = 0; c < C; c++) g[c] = res.grad[base + c * S];
    out.grad = g;
  }
  return out;
}

export function reductionBreakdown(p: Prepared, res: LossResult): ReductionBreakdown {
  let ignoredCount = 0;
  if (res.ignored) for (let e = 0; e < res.ignored.length; e++) ignoredCount += res.ignored[e];
  return {
    reduction: p.reduction,
    numerator: res.numerator,
    denominator: res.denominator,
    loss: res.loss,
    count: p.N * p.S,
    ignoredCount,
  };
}
