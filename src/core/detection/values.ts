/**
 * What an expression evaluates to during detection: arrays (with where they came from and their
 * dtype), loss modules, detected losses, numbers, module namespaces, and "unknown". Losses are
 * never numbers here: detection does not run the kernel, so arithmetic over losses is kept as a
 * {@link ScalarExpr} that the analysis evaluates once the kernel has computed each pair.
 */
import type { DType } from '../types';
import type { ScalarExpr } from './scalars';
import type { ArrayDtypeSource, ArraySite, LossCallKind } from './types';

/** An array value: a literal, possibly converted (torch.tensor(list), .double(), softmax(x), …). */
export interface ArrayValue {
  site: ArraySite;
  data: Float64Array | null;
  shape: number[];
  /** An integer tensor/ndarray (LongTensor, torch.tensor of integer literals, np.array of ints). */
  integerTensor: boolean;
  /** Float dtype, or null for integer tensors and plain lists/arrays without a constructor. */
  dtype: DType | null;
  dtypeSource: ArrayDtypeSource;
  container: 'tensor' | 'ndarray' | 'list' | 'typed' | 'tf' | 'json';
  /**
   * What was applied over the class dimension in code: softmax, log_softmax, or log of a softmax
   * (`torch.log(F.softmax(x))`, computed as the code does: log of the rounded probabilities).
   */
  transform: ArrayTransform | null;
  /** Name the value was read through (`x_log`), or null for an inline expression. */
  name: string | null;
  /** Straight from the literal: an assignment names the site, a constructor sets its dtype. */
  fresh: boolean;
  /** The values were changed by arithmetic in code (no longer the literal as written). */
  derived: boolean;
  /** tf.oneHot(indices, depth): the one-hot encoding of these class indices. */
  oneHot?: number;
}

export type ArrayTransform = 'softmax' | 'log_softmax' | 'log_of_softmax';

/** Options as written (undefined: the loss's default). */
export interface OptionValues {
  weight?: ArrayValue | null;
  ignoreIndex?: number;
  reduction?: string;
  labelSmoothing?: number;
  /** Options only another library has (`from_logits`, `axis`, …), by the library's own name. */
  extra?: Record<string, Value | null>;
}

/** A detected loss computation, as later values refer to it. Its number is the analysis's. */
export interface PairRef {
  id: number;
  kind: LossCallKind;
  dtype: DType;
  reduction: string;
  resultName: string | null;
}

/** A loss module instance: `nn.CrossEntropyLoss(...)`, remembered with its catalogue entry. */
export interface CriterionValue {
  kind: 'criterion';
  /** Catalogue id of the loss this module computes when called. */
  recogniser: string;
  options: OptionValues;
}

export type SymbolicOp = 'exp' | 'sum' | 'log' | 'logsumexp' | 'div' | 'neg';
export type SumKind = 'builtin' | 'numpy' | 'torch';

export type Value =
  | { kind: 'array'; array: ArrayValue }
  /**
   * An array that went through an operation detection does not model (`x.clamp(0)`, `x @ w`):
   * its values are unknown, but it still comes from `from`. A loss of it is unverified, never a number.
   */
  | { kind: 'opaqueArray'; from: ArrayValue; why: string }
  | CriterionValue
  | { kind: 'module'; module: 'LogSoftmax' | 'Softmax'; dim: number | null }
  | { kind: 'namespace'; path: string }
  | { kind: 'userFunction'; name: string }
  | { kind: 'method'; receiver: Value; name: string }
  | { kind: 'loss'; pair: PairRef }
  /** Arithmetic over losses and numbers; `expr` null when an operand is not known. */
  | { kind: 'scalar'; expr: ScalarExpr | null; pairs: PairRef[]; dtype: DType }
  | { kind: 'number'; value: number; integer: boolean; fromArray?: ArrayValue }
  | { kind: 'string'; value: string }
  /** An element x[i] of a 1-D array, for the hand-written formula. */
  | { kind: 'element'; array: ArrayValue; index: number; indexArray: ArrayValue | null }
  /** np.exp / np.sum / np.log / logsumexp applied symbolically, for the hand-written formula. */
  | { kind: 'symbolic'; op: SymbolicOp; operand: Value; divisor?: Value; sumKind?: SumKind }
  | { kind: 'sequence'; items: Value[] }
  | { kind: 'dict'; entries: Map<string, Value> }
  /** lossy: the expression involves a loss (so a claim on it is a claim about a loss). */
  | { kind: 'unknown'; lossy: boolean; why?: string };

export type ValueOf<K extends Value['kind']> = Extract<Value, { kind: K }>;

export const unknown: Value = { kind: 'unknown', lossy: false };
export const unknownLossy: Value = { kind: 'unknown', lossy: true };

/** Does this value carry (or derive from) a loss? */
export function isLossy(v: Value): boolean {
  if (v.kind === 'sequence') return v.items.some(isLossy);
  return v.kind === 'loss' || (v.kind === 'scalar' && v.pairs.length > 0) || (v.kind === 'unknown' && v.lossy);
}

/** A copy of an array value with changes (no longer fresh: it does not name or re-type its site). */
export function withArray(a: ArrayValue, changes: Partial<ArrayValue>): ArrayValue {
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
  const round = dtype === 'float32' ? Math.fround : (v: number) => v;
  const x = inDtype(data, dtype);
  const out = new Float64Array(x.length);
  const batched = shape.length > 1;
  const rows = batched ? shape[0] : 1;
  const classes = batched ? shape[1] : shape[0];
  let inner = 1;
  for (let d = 2; d < shape.length; d++) inner *= shape[d];
  for (let n = 0; n < rows; n++) {
    for (let s = 0; s < inner; s++) {
      const base = n * classes * inner + s;
      let max = -Infinity;
      for (let c = 0; c < classes; c++) {
        const v = x[base + c * inner];
        if (v > max || v !== v) max = v;
      }
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += round(Math.exp(round(x[base + c * inner] - max)));
      sum = round(sum);
      const lse = round(Math.log(sum));
      for (let c = 0; c < classes; c++) {
        const i = base + c * inner;
        const shifted = round(x[i] - max);
        out[i] = log ? round(shifted - lse) : round(round(Math.exp(shifted)) / sum);
      }
    }
  }
  return out;
}

/** Elementwise natural log in the dtype (torch.log / np.log of an array). */
export function logElementwise(data: Float64Array, dtype: DType): Float64Array {
  const round = dtype === 'float32' ? Math.fround : (v: number) => v;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = round(Math.log(data[i]));
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
