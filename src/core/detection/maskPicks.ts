/**
 * Boolean masks and the picks they make (docs/detection.md 3.214–3.215): `y == 1`, `labels != 0`,
 * `labels.bool()`, `y.astype(bool)` over a numpy or torch array with a number, then `p[mask]`
 * (numpy and torch both keep the elements where the mask is true, in order, as a 1-D array; a 1-D
 * mask over the rows keeps those rows), `p[mask] = v`, `np.count_nonzero(mask)`, `mask.sum()`,
 * `torch.masked_select(p, mask)`, and `.float()` / `.astype(float)` of a mask.
 *
 * A mask is an array whose numbers are left unknown to every other step (its `data` is null), so
 * nothing computes with a bool as if it were an int (numpy's `mask + mask` is a logical or, torch's
 * `1 - mask` raises); its bits live here. A mask `y == K` (or `!=`) of labels that are all 0 or 1
 * remembers them: an element of `p[y == 1]` is the probability of a sample whose label is 1, so its
 * log is that sample's binary log-likelihood, and the log of `1 - p[y == 0]`'s element too
 * (binaryTerms.ts), which is what `-(np.log(p[y == 1]).sum() + np.log(1 - p[y == 0]).sum()) / n` sums.
 *
 * Left out (no number): a comparison of two arrays, of a Python list, of a TensorFlow tensor or of
 * a number that the array's float32 cannot hold exactly (where numpy's and torch's casts of the
 * number would decide), `~mask`, `mask & other`, a mask of another shape than the array (both
 * libraries raise) and a mask among other index parts.
 */
import { rememberPick } from './maskedSamples';
import { computed, kindOf, libOf, rootOf } from './tensorMath';
import type { Node, NodeOf } from './expr';
import type { ArrayValue, Value } from './values';
import { broadcastIndex, broadcastShape } from './broadcast';

/** A mask as an index part (tensorIndex.ts `IndexPart`). */
export interface MaskPart {
  k: 'mask';
  bits: Float64Array;
  shape: number[];
  label: MaskInfo['label'];
}

interface MaskInfo {
  bits: Float64Array;
  lib: 'numpy' | 'torch';
  /** `y == k` of labels all 0 or 1: the labels' root array and the label every kept sample has. */
  label: { y: ArrayValue; k: number } | null;
}

/**
 * By the mask's shape array (its own, made with it), which a copy under a name keeps; only an array
 * with no numbers (`data` null) is read as a mask.
 */
const masks = new WeakMap<number[], MaskInfo>();
const maskInfo = (a: ArrayValue): MaskInfo | undefined => (a.data === null ? masks.get(a.shape) : undefined);

/** Python's comparison operators on two known numbers (also `evalSteps.ts`'s, for plain numbers). */
export const comparisons: Record<string, (a: number, b: number) => boolean> = {
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '<': (a, b) => a < b,
  '>': (a, b) => a > b,
  '<=': (a, b) => a <= b,
  '>=': (a, b) => a >= b,
};
const flipped: Record<string, string> = { '==': '==', '!=': '!=', '<': '>', '>': '<', '<=': '>=', '>=': '<=' };

function maskLib(a: ArrayValue): 'numpy' | 'torch' | null {
  if (!a.data || a.transform !== null || a.tensorOf === 'tensorflow' || a.strictDtype || a.halfPrecision) return null;
  const lib = libOf(a);
  return lib === 'numpy' || lib === 'torch' ? lib : null;
}

/** A new mask value over `base` with these bits. */
function maskValue(base: ArrayValue, bits: Float64Array, lib: 'numpy' | 'torch', label: MaskInfo['label']): Value {
  const out = computed(base, new Float64Array(0), base.shape.slice(), lib, 'int', null);
  out.data = null;
  out.narrowInt = undefined;
  masks.set(out.shape, { bits, lib, label });
  return { kind: 'array', array: out };
}

/** The labels' root when `a` is the whole of it (the pair's target is read there), else `a`. */
function labelRoot(a: ArrayValue): ArrayValue {
  const r = rootOf(a);
  return r && r.offset === 0 && r.root.data?.length === a.data?.length ? r.root : a;
}

function maskOfTest(a: ArrayValue, op: string, n: number): Value | null {
  const lib = maskLib(a);
  if (!lib || !comparisons[op]) return null;
  // A float32 array against a number it cannot hold: which cast the library makes would decide.
  if (kindOf(a) === 'float32' && Math.fround(n) !== n) return null;
  const d = a.data as Float64Array;
  const bits = Float64Array.from(d, (x) => (comparisons[op](x, n) ? 1 : 0));
  const labels = (op === '==' || op === '!=') && (n === 0 || n === 1) && d.every((x) => x === 0 || x === 1);
  const k = op === '==' ? n : 1 - n;
  return maskValue(a, bits, lib, labels ? { y: labelRoot(a), k } : null);
}

/** Whole numbers every dtype holds exactly (below 2^24): comparing them cannot depend on a cast. */
const exactWhole = (d: Float64Array): boolean => d.every((x) => Number.isInteger(x) && Math.abs(x) < 2 ** 24);

/**
 * `a op b` of two arrays of one library, broadcast (`torch.arange(T)[None, :] < lengths[:, None]`,
 * the padding mask of sequence models, docs/detection.md 3.371): a mask of the broadcast shape. Only
 * over whole numbers below 2^24 (no dtype's cast can change them, so the promotion does not decide);
 * null otherwise, and for shapes that do not broadcast (both libraries raise).
 */
function maskOfArrays(a: ArrayValue, op: string, b: ArrayValue): Value | null {
  const lib = maskLib(a);
  if (!lib || maskLib(b) !== lib || isMask(a) || isMask(b)) return null;
  const x = a.data as Float64Array;
  const y = b.data as Float64Array;
  if (!exactWhole(x) || !exactWhole(y)) return null;
  const shape = broadcastShape(a.shape, b.shape);
  if (!shape) return null;
  const ia = broadcastIndex(a.shape, shape);
  const ib = broadcastIndex(b.shape, shape);
  const bits = Float64Array.from(ia, (k, i) => (comparisons[op](x[k], y[ib[i]]) ? 1 : 0));
  const out = computed(a, new Float64Array(0), shape, lib, 'int', null);
  out.data = null;
  out.narrowInt = undefined;
  masks.set(out.shape, { bits, lib, label: null });
  return { kind: 'array', array: out };
}

/** `a op n` / `n op a` of an array and a number, or of two arrays, as a mask; null for anything else. */
export function comparisonMask(op: string, l: Value, r: Value): Value | null {
  if (!comparisons[op]) return null;
  if (l.kind === 'array' && r.kind === 'number') return maskOfTest(l.array, op, r.value);
  if (r.kind === 'array' && l.kind === 'number') return maskOfTest(r.array, flipped[op], l.value);
  if (l.kind === 'array' && r.kind === 'array') return maskOfArrays(l.array, op, r.array);
  return null;
}

export function isMask(a: ArrayValue): boolean {
  return maskInfo(a) !== undefined;
}

/** The index part of a mask value, or null when `a` is no mask. */
export function maskPartOf(a: ArrayValue): MaskPart | null {
  const m = maskInfo(a);
  return m ? { k: 'mask', bits: m.bits, shape: a.shape, label: m.label } : null;
}

function count(bits: Float64Array): number {
  let n = 0;
  for (const b of bits) n += b;
  return n;
}

/**
 * The flat positions a mask keeps in an array of `shape`, in order, and the shape of the pick: the
 * elements (a mask of the array's shape) or the rows (a 1-D mask of its first axis); null otherwise.
 */
export function maskFlats(part: MaskPart, shape: number[]): { flats: number[]; shape: number[] } | null {
  const same = part.shape.length === shape.length && part.shape.every((s, i) => s === shape[i]);
  const rows = !same && part.shape.length === 1 && shape.length > 1 && part.shape[0] === shape[0];
  if (!same && !rows) return null;
  const row = same ? 1 : shape.slice(1).reduce((p, x) => p * x, 1);
  const flats: number[] = [];
  part.bits.forEach((b, i) => {
    if (b) for (let e = 0; e < row; e++) flats.push(i * row + e);
  });
  return { flats, shape: same ? [flats.length] : [count(part.bits), ...shape.slice(1)] };
}

/**
 * `a[mask]` (`a` materialised), made by `gather` from the flat positions. A pick of the elements of
 * a whole source array by a label mask of the same size remembers which samples it holds.
 */
export function maskPick(
  a: ArrayValue,
  part: MaskPart,
  gather: (flats: number[], shape: number[]) => ArrayValue,
): ArrayValue | null {
  const at = maskFlats(part, a.shape);
  if (!at) return null;
  const out = gather(at.flats, at.shape);
  const root = rootOf(a);
  const label = part.label;
  const whole = root && root.offset === 0 && root.root.data?.length === a.data?.length && !a.terms;
  if (label && whole && at.shape.length === 1 && label.y.data?.length === a.data?.length)
    rememberPick(out, { src: root.root, flats: at.flats, y: label.y, k: label.k });
  return out;
}

/** `np.count_nonzero(mask)`, `np.sum(mask)`, `torch.sum(mask)`: how many are true. */
export function maskCount(a: ArrayValue): Value | null {
  const m = maskInfo(a);
  return m ? { kind: 'number', value: count(m.bits), integer: true } : null;
}

/** The dtype an `.astype(…)` argument names, by its spelling: bool, an int or a float; null otherwise. */
function astypeKind(n: Node | undefined): 'bool' | 'int' | 'float64' | 'float32' | null {
  const word = !n
    ? null
    : n.type === 'name'
      ? n.id
      : n.type === 'attribute'
        ? n.name
        : n.type === 'string'
          ? n.value
          : null;
  if (word === null) return null;
  if (/^bool_?$/.test(word)) return 'bool';
  if (/^(?:int|int64|long)$/.test(word)) return 'int';
  if (/^(?:float|float64|double)$/.test(word)) return 'float64';
  return word === 'float32' ? 'float32' : null;
}

/** The mask's bits as numbers of `kind` (`mask.float()`, `mask.astype(np.float32)`): 0 and 1. */
function asNumbers(a: ArrayValue, m: MaskInfo, kind: 'int' | 'float64' | 'float32'): Value {
  return { kind: 'array', array: computed(a, Float64Array.from(m.bits), a.shape.slice(), m.lib, kind, null) };
}

/**
 * A method of a mask (`.sum()`, `.float()`, `.astype(float)`), or the mask `.bool()` (torch) /
 * `.astype(bool)` (numpy) makes of an array (x != 0); undefined for anything else.
 */
export function maskMethod(a: ArrayValue, name: string, call: NodeOf<'call'>): Value | undefined {
  const m = maskInfo(a);
  const bare = call.args.length === 0 && call.keywords.length === 0;
  const cast =
    name === 'astype' && call.args.length === 1 && call.keywords.length === 0 ? astypeKind(call.args[0]) : null;
  if (!m) {
    const lib = maskLib(a);
    if ((lib === 'torch' && name === 'bool' && bare) || (lib === 'numpy' && cast === 'bool'))
      return maskOfTest(a, '!=', 0) ?? undefined;
    return undefined;
  }
  if (name === 'sum' && bare) return maskCount(a) ?? undefined;
  if (name === 'sum') return axisCounts(a, m, call) ?? undefined;
  if (m.lib === 'torch' && bare && (name === 'float' || name === 'double' || name === 'long'))
    return asNumbers(a, m, name === 'float' ? 'float32' : name === 'double' ? 'float64' : 'int');
  if (m.lib === 'torch' && name === 'bool' && bare) return { kind: 'array', array: a };
  if (m.lib === 'numpy' && cast) return cast === 'bool' ? { kind: 'array', array: a } : asNumbers(a, m, cast);
  return undefined;
}

/**
 * `mask.sum(dim=1)` / `mask.sum(-1)` (torch), `mask.sum(axis=1)` (numpy), `keepdim=True` /
 * `keepdims=True` beside: how many are true along that axis, as the library's int64 counts
 * (exact whatever the order); null for anything else.
 */
function axisCounts(a: ArrayValue, m: MaskInfo, call: NodeOf<'call'>): Value | null {
  const word = m.lib === 'torch' ? 'dim' : 'axis';
  const keepWord = m.lib === 'torch' ? 'keepdim' : 'keepdims';
  let axisNode: Node | null = call.args.length === 1 ? call.args[0] : null;
  let keep = false;
  if (call.args.length > 1) return null;
  for (const k of call.keywords) {
    if (k.name === word && !axisNode) axisNode = k.value;
    else if (k.name === keepWord && k.value.type === 'name' && (k.value.id === 'True' || k.value.id === 'False'))
      keep = k.value.id === 'True';
    else return null;
  }
  const raw =
    axisNode?.type === 'number'
      ? axisNode.value
      : axisNode?.type === 'unary' && axisNode.op === '-' && axisNode.operand.type === 'number'
        ? -axisNode.operand.value
        : null;
  const shape = a.shape;
  if (raw === null || !Number.isInteger(raw) || raw < -shape.length || raw >= shape.length) return null;
  const axis = raw < 0 ? raw + shape.length : raw;
  const inner = shape.slice(axis + 1).reduce((p, x) => p * x, 1);
  const n = shape[axis];
  const outer = shape.slice(0, axis).reduce((p, x) => p * x, 1);
  const counts = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      let c = 0;
      for (let k = 0; k < n; k++) c += m.bits[(o * n + k) * inner + i];
      counts[o * inner + i] = c;
    }
  const out = keep ? shape.map((x, d) => (d === axis ? 1 : x)) : shape.filter((_, d) => d !== axis);
  return { kind: 'array', array: computed(a, counts, out, m.lib, 'int', null) };
}

/** `np.count_nonzero(mask)` / `torch.count_nonzero(mask)` (no axis); undefined for other paths or values. */
export function maskCall(path: string, call: NodeOf<'call'>, evaluate: (n: Node) => Value): Value | undefined {
  if (path !== 'numpy.count_nonzero' && path !== 'torch.count_nonzero') return undefined;
  if (call.args.length !== 1 || call.keywords.length !== 0) return undefined;
  const x = evaluate(call.args[0]);
  return x.kind === 'array' ? (maskCount(x.array) ?? undefined) : undefined;
}

/** `~mask`: the mask's complement (a label mask then keeps the other label); null for anything else. */
export function invertedMask(op: string, x: Value): Value | null {
  const m = op === '~' && x.kind === 'array' ? maskInfo(x.array) : undefined;
  if (!m || x.kind !== 'array') return null;
  const label = m.label && { y: m.label.y, k: 1 - m.label.k };
  return maskValue(
    x.array,
    Float64Array.from(m.bits, (b) => 1 - b),
    m.lib,
    label,
  );
}
