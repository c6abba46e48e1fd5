/**
 * Where a clip of one element came from: `np.clip(p, eps, 1 - eps)` of an element of an array known
 * here is a new 0-d array (`clipped` below); this side table keeps the element it clipped,
 * so a per-sample loss read from it (labelBranches.ts) still says which sample it is. Keyed by the
 * clip's numbers, which a name bound to it shares (the array value itself is copied as it is bound).
 */
import { reluTerms } from './reluTerms';
import { computed, kindOf, libOf, rootOf, rounder } from './tensorMath';
import type { ArrayValue } from './values';

export const clipSources = new WeakMap<Float64Array, { root: ArrayValue; offset: number }>();

/** `clip(a, lo, hi)` elementwise (a new source array: clipping keeps what the numbers are). */
export function clipped(a: ArrayValue, lo: number | null, hi: number | null): ArrayValue | null {
  if (!a.data || a.transform !== null) return null;
  // An integer array clipped to a fractional bound becomes floating point, as numpy (float64) and
  // torch (its default float32) promote it; truncating the bound instead turned 1e-7 into 0.
  const fractional = (v: number | null) => v !== null && !Number.isInteger(v);
  const intKind = kindOf(a);
  const kind =
    intKind === 'int' && (fractional(lo) || fractional(hi)) ? (libOf(a) === 'torch' ? 'float32' : 'float64') : intKind;
  const r = rounder(kind);
  const l = lo === null ? -Infinity : r(lo);
  const h = hi === null ? Infinity : r(hi);
  const data = new Float64Array(a.data.length);
  for (let k = 0; k < data.length; k++) {
    const x = r(a.data[k]);
    data[k] = x !== x ? x : Math.min(Math.max(x, l), h);
  }
  // `x.clamp(min=0)`: a ReLU, the first part of the stable binary cross-entropy with logits (3.425).
  const terms = lo === 0 && hi === null && kind !== 'int' ? reluTerms(a) : null;
  const result = computed(a, data, a.shape.slice(), libOf(a) === 'list' ? 'numpy' : libOf(a), kind, terms);
  result.clippedTo = { lo, hi };
  const from = a.shape.length === 0 ? rootOf(a) : null;
  if (from) clipSources.set(data, from);
  return result;
}
