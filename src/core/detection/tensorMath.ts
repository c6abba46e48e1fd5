/**
 * Arithmetic on arrays as the code computes it: torch tensors, numpy arrays and Python numbers,
 * each with its own dtype rules (torch: float32 by default and 0-d operands that do not widen;
 * numpy 1.x: float64 by default and value-based casting of scalars) and its own summation order
 * (numpy's pairwise sum along a contiguous axis, sequential otherwise; Python's `sum` left to right).
 * Every result carries terms (terms.ts) saying what its elements are, when a cross-entropy step
 * is among them. Nothing here guesses: an operation it does not model returns null.
 */
import {
  binaryTerm,
  meanTerms,
  rowClass,
  sameRoot,
  sumTerms,
  unaryTerm,
  type Operand,
  type Term,
  type TermOf,
} from './terms';
import { negatedRaws } from './binaryTerms';
import { mayBeLogitProduct } from './logitTerms';
import { torchSum } from '../torchSum';
import { mayPickByOneHot } from './oneHotDots';
import { softmaxPickPlusNumber } from './softmaxPicks';
import { shiftedSource } from './termRoots';
import { listAsNdarray, numpyPairwiseSum, withArray, type ArrayValue } from './values';
import { elementwise, type UnaryFn } from './elementwise';
import { promotedNarrow } from './narrowInts';
import { broadcastIndex, broadcastShape } from './broadcast';
import { affordable, maxComputed } from './computeBudget';
import { besideTensor, denseOneHot } from './tfOperands';

/** Which library's rules apply: torch, numpy, Python numbers, or a plain list (no arithmetic). */
export type Lib = 'torch' | 'numpy' | 'python' | 'list';
export type Kind = 'float32' | 'float64' | 'int';

export { maxComputed } from './computeBudget';
/** Largest array whose elements are described by terms. */
export const maxTermed = 200_000;

export function libOf(a: ArrayValue): Lib {
  switch (a.container) {
    case 'tensor':
      return 'torch';
    case 'ndarray':
      return 'numpy';
    case 'scalar':
      return 'python';
    default:
      return 'list';
  }
}

/** The element kind: an integer tensor, a float dtype, or (lists, Python numbers) what was written. */
export function kindOf(a: ArrayValue): Kind {
  if (a.integerTensor) return 'int';
  if (a.dtype) return a.dtype;
  return a.site.integral && !a.derived ? 'int' : 'float64';
}

const round32 = Math.fround;
const keep = (v: number): number => v;

export function rounder(kind: Kind): (v: number) => number {
  return kind === 'float32' ? round32 : kind === 'int' ? Math.trunc : keep;
}

/** Where a value's numbers are in a source array; null for a computed value. */
export function rootOf(a: ArrayValue): { root: ArrayValue; offset: number } | null {
  if (a.view === null) return null;
  return a.view ?? { root: a, offset: 0 };
}

/** Element k of an array, as an operand of the term algebra. */
export function operandAt(a: ArrayValue, k: number): Operand {
  if (a.terms) {
    const t = a.terms[k];
    return t ? { term: t } : null;
  }
  const v = rootOf(a);
  if (!v) return null;
  if (v.root.shape.length === 0) return { raw: { root: v.root, r: -1, c: 0 } };
  const rc = rowClass(v.root, v.offset + k);
  return rc ? { raw: { root: v.root, ...rc } } : null;
}

/** A computed array (a new value, not a view of its inputs). */
export function computed(
  base: ArrayValue,
  data: Float64Array,
  shape: number[],
  lib: Lib,
  kind: Kind,
  terms: (Term | null)[] | null,
): ArrayValue {
  const hasTerms = terms !== null && terms.some((t) => t !== null);
  const out: ArrayValue = {
    site: base.site,
    data,
    shape,
    integerTensor: kind === 'int',
    dtype: kind === 'int' ? null : kind,
    dtypeSource: base.dtypeSource,
    container: lib === 'torch' ? 'tensor' : lib === 'numpy' ? 'ndarray' : lib === 'python' ? 'scalar' : base.container,
    transform: null,
    name: null,
    fresh: false,
    derived: true,
  };
  // A TensorFlow tensor's result is TensorFlow's (no dtype promotion, lists converted beside it).
  if (base.strictDtype && lib === 'torch') out.strictDtype = true;
  // An integer result keeps its array's width (narrowInts.ts); a sum, argmax or binaryOp sets its own.
  if (kind === 'int' && base.narrowInt && (lib === 'torch' || lib === 'numpy') && libOf(base) === lib)
    out.narrowInt = base.narrowInt;
  // A TensorFlow tensor's result stays one (`tf.log(p)`): its dtype rule and library carry over.
  if (lib === 'torch' && base.container === 'tensor' && base.tensorOf === 'tensorflow') {
    out.tensorOf = 'tensorflow';
    out.strictDtype = base.strictDtype;
  }
  // A computed value without terms is a new source in its own right (`y + 1e-7`, `x / T`).
  if (hasTerms) {
    out.view = null;
    out.terms = terms as (Term | null)[];
  }
  return out;
}

/** An operand of an elementwise operation: an array, or a Python number. */
export type Arg = ArrayValue | { num: number; integer: boolean };

const isArray = (x: Arg): x is ArrayValue => 'site' in x;

/** Precedence of kinds (numpy widens int with float32 to float64; torch keeps float32). */
function widest(a: Kind, b: Kind, lib: Lib): Kind {
  if (a === b) return a;
  if (a === 'float64' || b === 'float64') return 'float64';
  if (a === 'float32' || b === 'float32') return lib === 'numpy' ? 'float64' : 'float32';
  return 'int';
}

/** The kind of `a op b` under `lib`'s rules; "weak" operands (Python numbers, 0-d arrays) do not widen. */
function resultKind(op: string, a: Arg, b: Arg, lib: Lib): Kind {
  const info = (x: Arg): { kind: Kind; weak: boolean; python: boolean } =>
    isArray(x)
      ? { kind: kindOf(x), weak: x.shape.length === 0 || libOf(x) === 'python', python: libOf(x) === 'python' }
      : { kind: x.integer ? 'int' : 'float64', weak: true, python: true };
  const A = info(a);
  const B = info(b);
  let kind: Kind;
  if (A.weak !== B.weak) {
    const strong = A.weak ? B : A;
    const weak = A.weak ? A : B;
    if (weak.kind === 'int' || strong.kind !== 'int') kind = strong.kind;
    // A float scalar with an integer array: torch's default float, numpy's float64.
    else kind = lib === 'torch' ? (weak.python ? 'float32' : weak.kind) : 'float64';
  } else if (A.python && !B.python) kind = B.kind === 'int' && A.kind !== 'int' ? A.kind : B.kind;
  else if (B.python && !A.python) kind = A.kind === 'int' && B.kind !== 'int' ? B.kind : A.kind;
  else kind = widest(A.kind, B.kind, lib);
  if (op === '/' && kind === 'int') kind = lib === 'torch' ? 'float32' : 'float64';
  return kind;
}

export function arith(op: string, x: number, y: number): number {
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return x / y;
    case '**':
      return Math.pow(x, y);
    case '//':
      return Math.floor(x / y);
    case '%':
      return x - Math.floor(x / y) * y;
    default:
      return NaN;
  }
}

const elementwiseOps = new Set(['+', '-', '*', '/', '**', '//', '%']);

/** `a op b` elementwise with broadcasting, as `lib` computes it; null when it is not modelled. */
function tfDtypesAgree(a: Arg, b: Arg): boolean {
  const int = (x: Arg): boolean => (isArray(x) ? kindOf(x) === 'int' : x.integer);
  if (isArray(a) && isArray(b)) return int(a) === int(b);
  const [arr, num] = isArray(a) ? [a, b] : [b, a];
  return !(int(arr) && !int(num));
}

export function binaryOp(op: string, a0: Arg, b0: Arg): ArrayValue | null {
  if (!elementwiseOps.has(op)) return null;
  const [a, b] = [denseOneHot(a0), denseOneHot(b0)];
  const arrays = [a, b].filter(isArray);
  if (arrays.length === 0 || arrays.some((x) => !x.data || x.transform !== null)) return null;
  const libs = arrays.map(libOf);
  // Python lists do not do arithmetic elementwise (`[1, 2] * 2` repeats the list); beside an ndarray numpy converts them.
  const nd = (x: Arg): Arg => (isArray(x) && x.container === 'list' ? listAsNdarray(x) : x);
  const plain = arrays.every((x) => libOf(x) !== 'list' || x.container === 'list');
  // Beside a TensorFlow tensor a list is converted to the tensor's dtype (`[1, 0] * tf.math.log(p)`, 3.76).
  const tf = arrays.find((x) => x.strictDtype && libOf(x) === 'torch');
  if (tf && libs.includes('list') && plain) return binaryOp(op, besideTensor(a, tf), besideTensor(b, tf));
  if (libs.includes('list')) return libs.includes('numpy') && plain ? binaryOp(op, nd(a), nd(b)) : null;
  const lib: Lib = libs.includes('torch') ? 'torch' : libs.includes('numpy') ? 'numpy' : 'python';
  // TensorFlow does not promote: an int32 tensor with a float operand raises, so nothing is computed.
  // (A Python number takes the tensor's dtype: only a float number with an int tensor raises.)
  if (arrays.some((x) => x.strictDtype) && !tfDtypesAgree(a, b)) return null;
  const sa = isArray(a) ? a.shape : [];
  const sb = isArray(b) ? b.shape : [];
  const shape = broadcastShape(sa, sb);
  if (!shape) return null;
  const size = shape.reduce((p, x) => p * x, 1);
  if (!affordable(size)) return null;
  const kind = resultKind(op, a, b, lib);
  const ra = isArray(a) ? rounder(kindOf(a)) : keep;
  const rb = isArray(b) ? rounder(kindOf(b)) : keep;
  const out = rounder(kind === 'int' && op !== '//' && op !== '%' ? 'float64' : kind);
  const ia = isArray(a) ? broadcastIndex(sa, shape) : null;
  const ib = isArray(b) ? broadcastIndex(sb, shape) : null;
  const da = isArray(a) ? (a.data as Float64Array) : null;
  const db = isArray(b) ? (b.data as Float64Array) : null;
  const na = isArray(a) ? 0 : a.num;
  const nb = isArray(b) ? 0 : b.num;
  const data = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    const x = da ? ra(da[(ia as Int32Array)[k]]) : na;
    const y = db ? rb(db[(ib as Int32Array)[k]]) : nb;
    data[k] = out(arith(op, x, y));
  }
  let terms: (Term | null)[] | null = op === '+' ? pickedPlusNumber(a, b) : null;
  const tagged =
    arrays.some((x) => x.terms) ||
    arrays.some((x) => x.negatedOf) ||
    (op === '*' && isArray(a) && isArray(b) && mayPickByOneHot(rootOf(a)?.root, rootOf(b)?.root)) ||
    (op === '*' && isArray(a) && isArray(b) && mayBeLogitProduct(rootOf(a)?.root, rootOf(b)?.root));
  if (!terms && tagged && size <= maxTermed) {
    terms = new Array<Term | null>(size);
    const at = (x: Arg, idx: Int32Array | null, k: number): Operand =>
      isArray(x) ? operandAt(x, (idx as Int32Array)[k]) : { num: x.num };
    // The divisor's value too: a sum of class weights the code computed has no term (classWeights.ts).
    const by = (k: number): number | undefined => (op !== '/' ? undefined : db ? rb(db[(ib as Int32Array)[k]]) : nb);
    for (let k = 0; k < size; k++) terms[k] = binaryTerm(op, at(a, ia, k), at(b, ib, k), by(k));
  }
  const base = arrays[0];
  const result = computed(base, data, shape, lib, kind, terms);
  result.narrowInt = kind === 'int' ? promotedNarrow(a, b) : undefined;
  if (op === '+' && !result.terms && size === 1) {
    const view = elementPlusNumber(a, b);
    if (view && view.root.data?.[view.offset] === data[0]) result.view = view;
  }
  if (op === '-' && !result.terms && !isArray(a) && a.num === 1 && isArray(b) && !b.terms) {
    // `1 - p`: a source of its own whose elements terms.ts can read as complements of p's.
    const r = rootOf(b);
    if (r && b.shape.length === shape.length) result.complementOf = r;
  }
  // `1 / p` likewise: a source of its own whose elements a log reads as −log p (`log2(1 / p)`, 3.418).
  const inverse = op === '/' && !result.terms && !isArray(a) && a.num === 1 && isArray(b) && !b.terms;
  if (inverse && b.shape.length === shape.length) result.reciprocalOf = rootOf(b) ?? undefined;
  // `-1 * t`, `t * -1`: a negation written as a product, read as `-t` is (unaryOp's negatedOf).
  const [arr, num] = isArray(a) ? [a, b] : [b, a];
  if (op === '*' && !result.terms && isArray(arr) && !isArray(num) && num.num === -1 && !arr.terms) {
    const r = rootOf(arr);
    if (r && r.offset === 0 && r.root.data?.length === size) result.negatedOf = r.root;
  }
  // `p + eps`, `1 - p + eps`: a source of its own that still knows the numbers it shifted.
  const plus = op === '+' && !result.terms ? shiftedSource(a, b, shape.length) : null;
  if (plus) result.plusOf = plus;
  if (op === '-' && !result.terms && isArray(a) && isArray(b)) {
    const shift = rowShift(a, b);
    if (shift) result.shiftOf = shift;
  }
  return result;
}

/**
 * `p[rows, t] + ε`: elements picked from one source plus a number are the same elements picked
 * from `p + ε`, a new source computed as the code computes it (so `log(p[rows, t] + 1e-7)` is the
 * log-likelihood of the probabilities `p + ε`, and the breakdown's input is exactly that).
 * Null when the operands are not picked elements and a number.
 */
function pickedPlusNumber(a: Arg, b: Arg): (Term | null)[] | null {
  const [arr, num] = isArray(a) ? [a, b] : [b, a];
  if (!isArray(arr) || isArray(num) || !arr.terms || arr.terms.length === 0) return null;
  const first = arr.terms[0];
  if (first?.t === 'p') return softmaxPickPlusNumber(arr, num, (p, n) => binaryOp('+', p, n));
  if (!first || first.t !== 'x') return null;
  const src = first.src;
  if (!arr.terms.every((t) => t !== null && t.t === 'x' && sameRoot(t.src, src))) return null;
  const shifted = binaryOp('+', src, num);
  if (!shifted || shifted.terms || !shifted.data) return null;
  const root = withArray(shifted, { name: src.name, view: undefined });
  return arr.terms.map((t) => ({ ...(t as TermOf<'x'>), src: root }));
}

const plusNumber = new WeakMap<Float64Array, Map<number, ArrayValue>>();

/**
 * `q[i] + ε` for one element of a list or float64 source: that element of `q + ε`, one source
 * shared by every element so shifted (memoised by the source's numbers and ε), so `log2(q[i] + eps)`
 * over a comprehension reads one array, as `log(q + eps)` does. Null for other operands.
 */
function elementPlusNumber(a: Arg, b: Arg): { root: ArrayValue; offset: number } | null {
  const [arr, num] = isArray(a) ? [a, b] : [b, a];
  if (!isArray(arr) || isArray(num) || arr.shape.length !== 0) return null;
  const at = rootOf(arr);
  const root = at?.root;
  if (!at || !root?.data || root.terms || root.transform !== null || root.shape.length < 1 || root.shape.length > 2)
    return null;
  const ok = (x: ArrayValue): boolean => kindOf(x) === 'float64' || (kindOf(x) === 'int' && libOf(root) === 'list');
  if (!ok(root) || !ok(arr)) return null;
  const byNumber = plusNumber.get(root.data) ?? new Map<number, ArrayValue>();
  plusNumber.set(root.data, byNumber);
  let shifted = byNumber.get(num.num);
  if (!shifted) {
    const data = Float64Array.from(root.data, (x) => x + num.num);
    shifted = { ...computed(root, data, root.shape.slice(), libOf(root), 'float64', null), name: root.name };
    shifted.view = undefined;
    byNumber.set(num.num, shifted);
  }
  return { root: shifted, offset: at.offset };
}

/**
 * `a - b` where a is a whole (C) or (N, C) source and b one number per row (shape (N, 1), or a
 * single number): the shift's source and the array of b's numbers.
 */
function rowShift(a: ArrayValue, b: ArrayValue): { root: ArrayValue; by: ArrayValue } | null {
  const ra = rootOf(a);
  const rb = rootOf(b);
  if (!ra || !rb || ra.offset !== 0 || ra.root.shape.length !== a.shape.length) return null;
  if (!a.shape.every((s, i) => s === ra.root.shape[i])) return null;
  const perRow = b.shape.length === 2 && a.shape.length === 2 && b.shape[0] === a.shape[0] && b.shape[1] === 1;
  const single = b.shape.every((s) => s === 1);
  return perRow || single ? { root: ra.root, by: rb.root } : null;
}

export type { UnaryFn } from './elementwise';

/**
 * `fn(a)` elementwise under `lib` (the library of the function called: `np.log` of a torch tensor
 * still gives a tensor, `math.log` a Python float). Integer input becomes the library's float.
 */
export function unaryOp(fn: UnaryFn, a: ArrayValue, lib: Lib): ArrayValue | null {
  if (!a.data || a.transform !== null) return null;
  const size = a.data.length;
  if (!affordable(size)) return null;
  const inKind = kindOf(a);
  const resultLib: Lib = lib === 'python' ? 'python' : libOf(a) === 'torch' ? 'torch' : lib;
  const keepsInt = fn === 'neg' || fn === 'abs' || fn === 'square';
  const kind: Kind =
    resultLib === 'python'
      ? inKind === 'int' && keepsInt
        ? 'int'
        : 'float64'
      : inKind !== 'int' || keepsInt
        ? inKind
        : resultLib === 'torch'
          ? 'float32'
          : 'float64';
  const rin = rounder(inKind);
  const rout = rounder(kind);
  // torch's float32 sigmoid is 1 / (1 + e^−x) in float32 steps (its scalar loop), not rounded once.
  const f = elementwise(fn, kind === 'float32');
  const data = new Float64Array(size);
  for (let k = 0; k < size; k++) data[k] = rout(f(rin(a.data[k])));
  let terms: (Term | null)[] | null = null;
  const termOp =
    fn === 'log' || fn === 'log2' || fn === 'exp' || fn === 'neg' || fn === 'abs' || fn === 'log1p' ? fn : null;
  if (termOp && size <= maxTermed) {
    terms = new Array<Term | null>(size);
    for (let k = 0; k < size; k++) terms[k] = unaryTerm(termOp, operandAt(a, k));
  }
  const r0 = fn === 'neg' && terms?.every((t) => t === null) ? rootOf(a) : null;
  if (r0 && !(r0.offset === 0 && r0.root.data?.length === size))
    terms = negatedRaws(Array.from({ length: size }, (_, k) => operandAt(a, k)));
  const out = computed(a, data, a.shape.slice(), resultLib, kind, terms);
  if (fn === 'neg' && !out.terms) {
    const r = rootOf(a);
    if (r && r.offset === 0 && r.root.data?.length === size) out.negatedOf = r.root;
  }
  return out;
}

/** How a sum is accumulated: numpy (pairwise along a contiguous axis), torch, or Python's `sum`. */
export type SumStyle = 'numpy' | 'torch' | 'builtin';

/** Groups of flat positions reduced together over `axes` (sorted), and the output shape. */
function groupsOf(shape: number[], axes: number[], keepdim: boolean): { groups: Int32Array[]; outShape: number[] } {
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const outShape = keepdim ? shape.map((s, i) => (axes.includes(i) ? 1 : s)) : kept.map((i) => shape[i]);
  const outSize = kept.reduce((p, i) => p * shape[i], 1);
  const groupSize = axes.reduce((p, i) => p * shape[i], 1);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, x) => p * x, 1));
  const groups: Int32Array[] = [];
  for (let o = 0; o < outSize; o++) {
    let base = 0;
    let rest = o;
    for (let j = kept.length - 1; j >= 0; j--) {
      const i = kept[j];
      base += (rest % shape[i]) * strides[i];
      rest = Math.floor(rest / shape[i]);
    }
    const g = new Int32Array(groupSize);
    for (let k = 0; k < groupSize; k++) {
      let off = base;
      let r = k;
      for (let j = axes.length - 1; j >= 0; j--) {
        const i = axes[j];
        off += (r % shape[i]) * strides[i];
        r = Math.floor(r / shape[i]);
      }
      g[k] = off;
    }
    groups.push(g);
  }
  return { groups, outShape };
}

/** Normalised axes of a reduction (null: all), or null when out of range. */
export function normaliseAxes(axis: number | number[] | null, ndim: number): number[] | null {
  if (axis === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = Array.isArray(axis) ? axis : [axis];
  const out: number[] = [];
  for (const x of list) {
    const i = x < 0 ? x + ndim : x;
    if (!Number.isInteger(i) || i < 0 || i >= Math.max(ndim, 1) || out.includes(i)) return null;
    out.push(i);
  }
  return out.sort((p, q) => p - q);
}

/** Sum, mean, max or min over `axis` (null: every element), as `style` accumulates. */
export function reduceOp(
  a: ArrayValue,
  how: 'sum' | 'mean' | 'max' | 'min',
  axis: number | number[] | null,
  keepdim: boolean,
  style: SumStyle,
): ArrayValue | null {
  if (!a.data || a.transform !== null || a.data.length > maxComputed) return null;
  const lib = libOf(a) === 'list' ? (style === 'numpy' ? 'numpy' : 'python') : libOf(a);
  const axes = a.shape.length === 0 ? [] : normaliseAxes(axis, a.shape.length);
  if (!axes) return null;
  const inKind = kindOf(a);
  if (how === 'mean' && inKind === 'int' && lib === 'torch') return null;
  const kind: Kind = how === 'mean' && inKind === 'int' ? 'float64' : inKind;
  const r = rounder(inKind === 'int' ? 'float64' : kind);
  const { groups, outShape } = groupsOf(a.shape, axes, keepdim);
  const src = a.data;
  const values = new Float64Array(a.data.length);
  for (let k = 0; k < src.length; k++) values[k] = rounder(inKind)(src[k]);
  // numpy's pairwise sum runs along the contiguous (last) axis, or over a whole contiguous array.
  const contiguous = axes.length === a.shape.length || (axes.length === 1 && axes[0] === a.shape.length - 1);
  const data = new Float64Array(groups.length);
  groups.forEach((g, o) => {
    let v: number;
    if (how === 'max' || how === 'min') {
      v = how === 'max' ? -Infinity : Infinity;
      for (const k of g) {
        const x = values[k];
        if (x !== x) {
          v = NaN;
          break;
        }
        v = how === 'max' ? Math.max(v, x) : Math.min(v, x);
      }
    } else {
      v = sumOf(values, g, style, kind, contiguous && (lib === 'numpy' || lib === 'torch'));
      if (how === 'mean') v = r(v / g.length);
    }
    data[o] = v;
  });
  let terms: (Term | null)[] | null = null;
  if (a.terms && (how === 'sum' || how === 'mean') && a.data.length <= maxTermed) {
    terms = groups.map((g) => {
      const ops = Array.from(g, (k) => operandAt(a, k));
      if (ops.some((x) => !x || !('term' in x))) return null;
      const ts = ops.map((x) => (x as { term: Term }).term);
      return how === 'sum' ? sumTerms(ts) : meanTerms(ts);
    });
  }
  const out = computed(a, data, outShape, lib, kind, terms);
  // torch and numpy sum small integers into int64; max and min keep the dtype.
  if (how === 'sum') out.narrowInt = undefined;
  return out;
}

function sumOf(values: Float64Array, g: Int32Array, style: SumStyle, kind: Kind, pairwise: boolean): number {
  const r = rounder(kind === 'int' ? 'float64' : kind);
  if (kind === 'int') {
    let s = 0;
    for (const k of g) s += values[k];
    return s;
  }
  if (style === 'numpy' && pairwise) {
    const run = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) run[i] = values[g[i]];
    return numpyPairwiseSum(run, 0, run.length, r);
  }
  if (style === 'torch' && pairwise) {
    // A whole tensor, or its last axis: torch's own cascade over vector lanes (torchSum.ts).
    const run = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) run[i] = values[g[i]];
    return torchSum(run, kind === 'float32' ? 'float32' : 'float64');
  }
  if (style === 'torch') {
    // Another axis goes through torch's outer-sum kernel (not modelled here): the exact sum,
    // rounded once, is within an ulp of it.
    let s = 0;
    for (const k of g) s += values[k];
    return r(s);
  }
  let s = 0;
  for (const k of g) s = r(s + values[k]);
  return s;
}
