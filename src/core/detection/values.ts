/**
 * What an expression evaluates to during detection: arrays (with where they came from and their
 * dtype), loss modules, detected losses, numbers, module namespaces, and "unknown". Losses are
 * never numbers here: detection does not run the kernel, so arithmetic over losses is kept as a
 * {@link ScalarExpr} that the analysis evaluates once the kernel has computed each pair.
 */
import type { DType } from '../types';
import type { FunctionRecord } from './functions';
import type { PickedLogs } from './pickedLogs';
import type { ScalarExpr } from './scalars';
import type { ArrayDtypeSource, ArraySite, LossCallKind } from './types';
import type { Term } from './termTypes';

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
  /**
   * What holds the numbers, which decides the arithmetic: a torch tensor, a numpy ndarray, a
   * Python number (`scalar`: an element of a list, a `math` result), a plain list, a typed array,
   * a tfjs tensor, JSON.
   */
  container: 'tensor' | 'ndarray' | 'scalar' | 'list' | 'typed' | 'tf' | 'json';
  /** Applied over the classes in code: softmax, log_softmax, or log of a softmax (`torch.log(F.softmax(x))`). */
  transform: ArrayTransform | null;
  /** Name the value was read through (`x_log`), or null for an inline expression. */
  name: string | null;
  /** Straight from the literal: an assignment names the site, a constructor sets its dtype. */
  fresh: boolean;
  /** The values were changed by arithmetic in code (no longer the literal as written). */
  derived: boolean;
  /** A TensorFlow (Python) tensor: arithmetic never promotes its dtype (int32 times float32 raises). */
  strictDtype?: boolean;
  /**
   * The library whose constructor made this tensor (`torch.tensor`, `tf.constant`), when it is torch
   * or TensorFlow: a FastEstimator backend function runs a different rule for each (fastestimator.ts).
   */
  tensorOf?: 'torch' | 'tensorflow' | 'tinygrad';
  /**
   * Stored in half precision (`dtype=torch.float16`, `.half()`, `torch.HalfTensor`, bfloat16): the
   * numbers are held as float32 here, but torch computes a loss of it in half precision (and torch
   * 1.13 has no float16 log_softmax on the CPU), so no loss of it is given a number.
   */
  halfPrecision?: 'float16' | 'bfloat16';
  /**
   * An array of 32-, 16- or 8-bit integers (torch: `dtype=torch.int32`, `torch.IntTensor`, `.int()`,
   * `.short()`, `.char()`; numpy: `dtype=np.int32`, `.astype('i4')`): torch 1.13 refuses it as class
   * indices ("expected scalar type Long but found Int"), so a torch loss on it is an error, never a
   * number (docs/detection.md 3.41, 3.46). Kept through operations that keep the dtype, promoted by
   * arithmetic as torch and numpy do, cleared by conversions and int64 results (narrowInts.ts).
   */
  narrowInt?: 'Int' | 'Short' | 'Char';
  /** tf.oneHot(indices, depth): the one-hot encoding of these class indices. */
  oneHot?: number;
  /**
   * A torch leaf tensor that requires grad (`requires_grad=True` in its constructor,
   * `.requires_grad_()`), or a view of one: torch refuses to change it in place ("a leaf Variable
   * that requires grad is being used in an in-place operation"), so an indexed assignment to it is
   * an error, never a number. Kept by whatever spreads the array (conservatively also arithmetic);
   * cleared by `.detach()` and `.clone()`, whose results torch lets a program change.
   */
  gradLeaf?: boolean;
  /**
   * The array whose numbers these are, unchanged, from `offset` on (row-major): set on every value
   * whose data is a source as written or converted (a literal, a constructor's result, a reshape or
   * a row of one), null on values computed by a formula (their elements are described by `terms`).
   * Formulas find what each element is (which logit, which target class) through it.
   */
  view?: { root: ArrayValue; offset: number } | null;
  /** What each element is, as a step of a cross-entropy (terms.ts); absent when none is. */
  terms?: (Term | null)[];
  /** This array is −root (a negated target, as in `(-y * np.log(p)).sum()`). */
  negatedOf?: ArrayValue;
  /**
   * Element k is 1 − root[offset + k] (`complementOf`: the `1 - p`, `1 - y` of a binary log loss) or
   * 1 / root[offset + k] (`reciprocalOf`: the `log(1 / p)` of information content, −log p), in the code's own
   * arithmetic; the array stays a source of its own, which terms.ts reads as such when its elements meet a log.
   */
  complementOf?: { root: ArrayValue; offset: number };
  reciprocalOf?: { root: ArrayValue; offset: number };
  /** A micrograd `Value` holding this one number (jsValueGraphs.ts): its methods are the arithmetic they do. */
  graphValue?: boolean;
  /**
   * Element k of this array is root[offset + k] + by, computed in the code's own arithmetic (the ε
   * of `np.log(p + eps)` and `np.log(1 - p + eps)`); the array stays a source of its own.
   */
  plusOf?: { root: ArrayValue; offset: number; by: number };
  /** Picked from this whole array of softmax probabilities: `probs[…] + ε` is a pick of `probs + ε` (softmaxPicks.ts). */
  pickedFrom?: ArrayValue;
  /** Made by a clip of its numbers to [lo, hi] (`np.clip`, `torch.clamp`, `.clip()`; an open bound is null), as written. */
  clippedTo?: { lo: number | null; hi: number | null };
  /**
   * `x - m` with m constant along x's last axis (the max shift of a stable log-sum-exp): the
   * logits x and the array m came from, so that `m + log Σ exp(x - m)` is known as log Σ exp(x).
   */
  shiftOf?: { root: ArrayValue; by: ArrayValue };
  /**
   * Made by a torch call read through a name the source never binds (`torch.softmax(x, 1)`,
   * `torch.tensor([…])` in a file without `import torch`), or computed from such a value: a hand
   * formula of it is torch's only by that assumption, and says so (recognisers/formulas.ts).
   */
  assumed?: AssumedTorch;
}

export type ArrayTransform = 'softmax' | 'log_softmax' | 'log_of_softmax';

/** Options as written (undefined: the loss's default). */
export interface OptionValues {
  weight?: ArrayValue | null;
  ignoreIndex?: number;
  reduction?: string;
  labelSmoothing?: number;
  /**
   * An option the call gives whose value is not known here (`label_smoothing=eps` with `eps` not
   * read): why. The loss is then not computed: the default in its place would be another number.
   */
  unknown?: string;
  /** Options only another library has (`from_logits`, `axis`, …), by the library's own name. */
  extra?: Record<string, Value | null>;
  /**
   * Not an option of the call but how its callee was read, carried with the options because every
   * recogniser passes them on: the loss was reached through `name`, which the source never binds,
   * and taken to be torch's `path` (`F` → `torch.nn.functional.cross_entropy`).
   */
  assumed?: AssumedTorch;
}

/** A torch loss read through a name the source never binds (see {@link OptionValues.assumed}). */
export interface AssumedTorch {
  name: string;
  path: string;
}

/** A namespace call's value marked as read through an unbound torch name (see {@link ArrayValue.assumed}). */
export function assumedValue(v: Value, assumed: string | undefined, path: string): Value {
  if (assumed === undefined || v.kind !== 'array' || v.array.assumed) return v;
  return { kind: 'array', array: { ...v.array, assumed: { name: assumed, path } } };
}

/** A detected loss computation, as later values refer to it. Its number is the analysis's. */
/** Pair `pair`'s losses under a mask (maskedLosses.ts): `losses[mask]` keeps `keep`; `losses * mask` scales. */
export interface MaskedVector {
  pair: PairRef;
  keep: number[] | null;
  scale: number[] | null;
  shape?: number[]; // `losses.view(…)` (neither keep nor scale): the vector under another shape
}

export interface PairRef {
  id: number;
  kind: LossCallKind;
  dtype: DType;
  reduction: string;
  resultName: string | null;
}

/** ignite's Loss (igniteLoss.ts): where it was built, its updates, and the one plain update's loss and end. */
export interface IgniteState {
  batchSize: 'len' | 'other';
  text: string;
  cell: number | undefined;
  updates: number;
  /** The only update's loss, when it ran once at the top level of the segment the metric was built in. */
  result: Value | null;
  updateEnd: number;
}

/** A loss module instance: `nn.CrossEntropyLoss(...)`, remembered with its catalogue entry. */
export interface CriterionValue {
  kind: 'criterion';
  /** Catalogue id of the loss this module computes when called. */
  recogniser: string;
  options: OptionValues;
  /** A Keras metric object: batches added since it was built or reset, and the last one's loss. */
  updates?: number;
  result?: Value;
  /** A Keras metric object's last update: its segment and end (recognisers/metricUses.ts). */
  updatedAt?: { text: string; cell: number | undefined; updateEnd: number };
  /** pytorch-ignite's `Loss` wrapping this loss (igniteLoss.ts): its updates and the one update's loss. */
  ignite?: IgniteState;
}

export type Value =
  | { kind: 'array'; array: ArrayValue }
  /**
   * An array that went through an operation detection does not model (`x.clamp(0)`, `x @ w`):
   * its values are unknown, but it still comes from `from`. A loss of it is unverified, never a number.
   */
  | { kind: 'opaqueArray'; from: ArrayValue; why: string; maskedLog?: boolean }
  | CriterionValue
  | { kind: 'module'; module: 'LogSoftmax' | 'Softmax' | 'Sigmoid'; dim: number | null }
  /**
   * A module or one of its members. `assumed`: read through a name the source never binds, that
   * detection takes to be torch's (`F`, `nn`, `torch` in a snippet that leaves its imports out).
   */
  | { kind: 'namespace'; path: string; assumed?: string }
  /** A JavaScript function whose name says it computes a loss (its body is not read). */
  | { kind: 'userFunction'; name: string }
  /** A Python function defined in the source, with its body as recorded (functions.ts). */
  | { kind: 'function'; record: FunctionRecord }
  /** Python's `slice` in a subscript (`x[:, 0]`, `x[1:]`); null bounds are open. */
  | { kind: 'slice'; start: number | null; stop: number | null; step: number | null }
  | { kind: 'method'; receiver: Value; name: string }
  /**
   * A loss, or per-example losses; `rounded`: numpy rounded them to that many decimals for a
   * print (`np.around(losses, 5)`), which a printed claim's own digits already judge.
   */
  | { kind: 'loss'; pair: PairRef; rounded?: number }
  /** Arithmetic over losses and numbers; `expr` null when an operand is not known. */
  | { kind: 'scalar'; expr: ScalarExpr | null; pairs: PairRef[]; dtype: DType }
  | {
      kind: 'number';
      value: number;
      integer: boolean;
      fromArray?: ArrayValue;
      /**
       * Bound by a literal to a name (scalarSources.ts): where (in which notebook cell), so a
       * formula can read it as a source and an assertion's claim can point at the number written.
       */
      literal?: { start: number; end: number; name: string; cell: number | undefined };
      /** The 0-d source this number is (`1 - y` of a literal number): scalarSources.ts. */
      source?: ArrayValue;
      /** Σ exp(t) of these exponents, as Python floats (`exp(0.3) + exp(1.2)`): recognisers/floatLse.ts. */
      expTerms?: number[];
      /** log Σ exp(t) of these exponents: a log-sum-exp over numbers written in the source. */
      logSumExp?: number[];
      picked?: PickedLogs; // log-softmax values worked out over typed numbers (recognisers/floatPicks.ts)
    }
  | { kind: 'string'; value: string }
  /** A Python list or tuple (also `range(n)`); `names`: a named tuple's fields (torch's `max(dim)`: `values`, `indices`). */
  | { kind: 'sequence'; items: Value[]; names?: string[] }
  /** `complete`: every key of the literal is in `entries` (a key absent from it is absent in Python). */
  | { kind: 'dict'; entries: Map<string, Value>; complete?: boolean }
  /**
   * lossy: the expression involves a loss (so a claim on it is a claim about a loss); none: it is
   * Python's `None` (conditions.ts), known, but nothing computed with.
   */
  /** `masked`: an earlier pair's per-element losses under a mask (maskedLosses.ts), reduced only by the code. */
  | { kind: 'unknown'; lossy: boolean; why?: string; none?: boolean; masked?: MaskedVector };

export type ValueOf<K extends Value['kind']> = Extract<Value, { kind: K }>;

export const unknown: Value = { kind: 'unknown', lossy: false };
export const unknownLossy: Value = { kind: 'unknown', lossy: true };

/** Does this value carry (or derive from) a loss? */
export function isLossy(v: Value): boolean {
  if (v.kind === 'sequence') return v.items.some(isLossy);
  return v.kind === 'loss' || (v.kind === 'scalar' && v.pairs.length > 0) || (v.kind === 'unknown' && v.lossy);
}

/** A Python number, or the one element of a 0-d array (a divisor, an element read from a list), as a double; else null. */
export function zeroDimNumber(v: Value): number | null {
  if (v.kind === 'number') return v.value;
  if (v.kind === 'array' && v.array.data?.length === 1 && v.array.shape.length === 0) return v.array.data[0];
  return null;
}

/** A copy of an array value with changes (no longer fresh: it does not name or re-type its site). */
export function withArray(a: ArrayValue, changes: Partial<ArrayValue>): ArrayValue {
  return { ...a, fresh: false, ...changes };
}

/** The array a literal site holds, as written (before any constructor): a Python list of its numbers. */
export function siteArray(site: ArraySite): ArrayValue {
  return {
    site,
    data: site.data ?? null,
    shape: site.shape,
    integerTensor: false,
    dtype: null,
    dtypeSource: 'default',
    container: 'list',
    transform: null,
    name: null,
    fresh: true,
    derived: false,
  };
}

/**
 * The operands of an NLLLoss over probabilities written as numbers (`-log 0.7`, `np.log(0.8)`), from
 * the site `src` that holds them: one column per sample, the probability its true class got, as a
 * log-probability, and target 0 for every row.
 */
export function writtenProbOperands(src: ArrayValue): { input: ArrayValue; target: ArrayValue } {
  const k = src.data?.length ?? 0;
  return {
    input: withArray(src, {
      data: Float64Array.from(src.data ?? [], Math.log),
      shape: [k, 1],
      dtype: 'float64',
      integerTensor: false,
      transform: null,
      name: null,
    }),
    target: withArray(src, { data: new Float64Array(k), shape: [k], integerTensor: true, dtype: null }),
  };
}

/** Values rounded to the dtype (float32: Math.fround each). */
export function inDtype(data: Float64Array, dtype: DType): Float64Array {
  if (dtype === 'float64') return data;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Math.fround(data[i]);
  return out;
}

/** One number rounded to float16 (via float32, as torch converts a Python float), ties to even. */
function toFloat16(x: number): number {
  const v = Math.fround(x);
  const a = Math.abs(v);
  if (!Number.isFinite(v) || a === 0) return v;
  if (a >= 65520) return v > 0 ? Infinity : -Infinity;
  let e = Math.max(-14, Math.floor(Math.log2(a)));
  if (e > -14 && 2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  const r = a / 2 ** (e - 10);
  let n = Math.floor(r);
  const frac = r - n;
  if (frac > 0.5 || (frac === 0.5 && n % 2 === 1)) n++;
  return Math.sign(v) * n * 2 ** (e - 10);
}

/** One number rounded to bfloat16: the top 16 bits of its float32, ties to even. */
function toBfloat16(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer);
  if (!Number.isFinite(f[0])) return f[0];
  u[0] = ((u[0] + 0x7fff + ((u[0] >>> 16) & 1)) & 0xffff0000) >>> 0;
  return f[0];
}

/** Values rounded to a half-precision type, as torch stores them (`.half()`, `dtype=torch.bfloat16`). */
export function inHalf(data: Float64Array, half: 'float16' | 'bfloat16'): Float64Array {
  const round = half === 'float16' ? toFloat16 : toBfloat16;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = round(data[i]);
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

/**
 * numpy's pairwise summation (numpy/core/src/umath/loops_utils.h.src), for np.sum of floats;
 * `round` is the dtype's rounding (float32 sums round every addition).
 */
export function numpyPairwiseSum(
  a: ArrayLike<number>,
  from: number,
  n: number,
  round: (v: number) => number = (v) => v,
): number {
  if (n < 8) {
    let res = round(-0);
    for (let i = 0; i < n; i++) res = round(res + a[from + i]);
    return res;
  }
  if (n <= 128) {
    const r = [a[from], a[from + 1], a[from + 2], a[from + 3], a[from + 4], a[from + 5], a[from + 6], a[from + 7]];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] = round(r[j] + a[from + i + j]);
    let res = round(round(round(r[0] + r[1]) + round(r[2] + r[3])) + round(round(r[4] + r[5]) + round(r[6] + r[7])));
    for (; i < n; i++) res = round(res + a[from + i]);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return round(numpyPairwiseSum(a, from, n2, round) + numpyPairwiseSum(a, from + n2, n - n2, round));
}

/* What an element of a computed array is, as a step of a cross-entropy written by hand: termTypes.ts (terms.ts). */
export type { Cls, FormulaForm, Term, TermOf, Via } from './termTypes';

/** `.data` of an array, `.data` / `.array` of a loss (a Chainer or DeZero Variable's data): the same values. */
export function isDataOf(v: Value, attribute: string): boolean {
  if (attribute === 'data') return v.kind === 'array' || v.kind === 'loss';
  return attribute === 'array' && v.kind === 'loss';
}

/** A Python list or tuple as numpy converts it beside an ndarray (`a + [0.5, 1.0]`): int64 when every item is an int, else float64. */
export function listAsNdarray(a: ArrayValue): ArrayValue {
  const int = a.integerTensor || (!a.dtype && a.site.integral && !a.derived);
  return { ...a, container: 'ndarray', dtype: int ? null : 'float64', integerTensor: int };
}
