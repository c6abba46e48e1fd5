/**
 * What an expression evaluates to during detection: arrays (with where they came from and their
 * dtype), loss modules, loss results, numbers, module namespaces, and "unknown".
 */
import type { DType } from '../types';
import type { ArrayDtypeSource, ArraySite, LossCallKind } from './types';

/** An array value: a literal, possibly converted (torch.tensor(list), .double(), softmax(x), …). */
export interface ArrVal {
  site: ArraySite;
  data: Float64Array | null;
  shape: number[];
  /** An integer tensor/ndarray (LongTensor, torch.tensor of integer literals, np.array of ints). */
  integerTensor: boolean;
  /** Float dtype, or null for integer tensors and plain lists/arrays without a constructor. */
  dtype: DType | null;
  dtypeSource: ArrayDtypeSource;
  kind: 'tensor' | 'ndarray' | 'list' | 'typed' | 'tf' | 'json';
  /** softmax / log_softmax over the class dimension, applied in code. */
  transform: 'softmax' | 'log_softmax' | null;
  /** Name the value was read through (`x_log`), or null for an inline expression. */
  name: string | null;
  /** Straight from the literal: an assignment names the site, a constructor sets its dtype. */
  fresh: boolean;
  /** The values were changed by arithmetic in code (no longer the literal as written). */
  derived: boolean;
  /** tf.oneHot(indices, depth): the one-hot encoding of these class indices. */
  oneHot?: number;
}

/** A loss module instance: `nn.CrossEntropyLoss(...)`. */
export interface CriterionVal {
  k: 'criterion';
  kind: 'CrossEntropyLoss' | 'NLLLoss';
  options: OptionVals;
}

/** Options as written (undefined: torch's default). */
export interface OptionVals {
  weight?: ArrVal | null;
  ignoreIndex?: number;
  reduction?: string;
  labelSmoothing?: number;
}

/** A detected loss computation (see pairs.ts). */
export interface PairRef {
  id: number;
  kind: LossCallKind;
  dtype: DType;
  /** Reduced loss, or null on error / reduction none. */
  loss: number | null;
  /** Per-element losses. */
  losses: Float64Array | null;
  reduction: string;
  errorMessage: string | null;
  resultName: string | null;
}

export type Value =
  | { k: 'array'; a: ArrVal }
  | CriterionVal
  | { k: 'module'; kind: 'LogSoftmax' | 'Softmax'; dim: number | null }
  | { k: 'ns'; path: string }
  | { k: 'userfn'; name: string }
  | { k: 'method'; recv: Value; name: string }
  | { k: 'loss'; pair: PairRef }
  /** Arithmetic over losses and numbers; value null when not computable. */
  | { k: 'scalar'; value: number | null; pairs: PairRef[]; dtype: DType }
  | { k: 'num'; value: number; int: boolean; fromArray?: ArrVal; index?: number }
  | { k: 'str'; value: string }
  /** An element x[i] of a 1-D array, for the hand-written formula. */
  | { k: 'elem'; a: ArrVal; index: number; indexArray: ArrVal | null }
  /** np.exp / np.sum / np.log / logsumexp applied symbolically, for the hand-written formula. */
  | {
      k: 'sym';
      op: 'exp' | 'sum' | 'log' | 'logsumexp' | 'div' | 'neg';
      arg: Value;
      arg2?: Value;
      sumKind?: 'builtin' | 'numpy' | 'torch';
    }
  | { k: 'seq'; items: Value[] }
  | { k: 'dict'; entries: Map<string, Value> }
  /** lossy: the expression involves a loss (so a claim on it is a claim about a loss). */
  | { k: 'unknown'; lossy: boolean; why?: string };

export const unknown: Value = { k: 'unknown', lossy: false };
export const unknownLossy: Value = { k: 'unknown', lossy: true };

/** Does this value carry (or derive from) a loss? */
export function isLossy(v: Value): boolean {
  if (v.k === 'seq') return v.items.some(isLossy);
  return v.k === 'loss' || (v.k === 'scalar' && v.pairs.length > 0) || (v.k === 'unknown' && v.lossy);
}

/** A copy of an array value with changes. */
export function withArr(a: ArrVal, changes: Partial<ArrVal>): ArrVal {
  return { ...a, fresh: false, ...changes };
}

/** Values rounded to the dtype (float32: Math.fround each). */
export function inDtype(data: Float64Array, dtype: DType): Float64Array {
  if (dtype === 'float64') return data;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Math.fround(data[i]);
  return out;
}

/**
 * softmax or log_softmax over the class dimension (dim 0 of a (C) array, dim 1 otherwise), in the
 * dtype (float32 rounds each step). Max-shifted, as torch does.
 */
export function softmaxClasses(data: Float64Array, shape: number[], dtype: DType, log: boolean): Float64Array {
  const r = dtype === 'float32' ? Math.fround : (v: number) => v;
  const x = inDtype(data, dtype);
  const out = new Float64Array(x.length);
  const batched = shape.length > 1;
  const N = batched ? shape[0] : 1;
  const C = batched ? shape[1] : shape[0];
  let S = 1;
  for (let d = 2; d < shape.length; d++) S *= shape[d];
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      const base = n * C * S + s;
      let m = -Infinity;
      for (let c = 0; c < C; c++) {
        const v = x[base + c * S];
        if (v > m || v !== v) m = v;
      }
      let sum = 0;
      for (let c = 0; c < C; c++) sum += r(Math.exp(r(x[base + c * S] - m)));
      sum = r(sum);
      const lse = r(Math.log(sum));
      for (let c = 0; c < C; c++) {
        const i = base + c * S;
        const shifted = r(x[i] - m);
        out[i] = log ? r(shifted - lse) : r(r(Math.exp(shifted)) / sum);
      }
    }
  }
  return out;
}

/** numpy's pairwise summation (numpy/core/src/umath/loops_utils.h.src), for np.sum of float64. */
export function numpyPairwiseSum(a: ArrayLike<number>, from: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[from + i];
    return res;
  }
  if (n <= 128) {
    const r = [a[from], a[from + 1], a[from + 2], a[from + 3], a[from + 4], a[from + 5], a[from + 6], a[from + 7]];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[from + i + j];
    let res = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) res += a[from + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return numpyPairwiseSum(a, from, n2) + numpyPairwiseSum(a, from + n2, n - n2);
}
