/**
 * Where an element of a computed array comes from: the same source array (`sameRoot`), an element's
 * row and class in a (C) or (N, C) source, and a source's class count. Shared by terms.ts and the
 * term families beside it (oneHotDots.ts), so that none of them imports another's algebra.
 */
import type { ArrayValue } from './values';

/** The same source array: same literal, same numbers (object identity is lost when values are copied). */
export function sameRoot(a: ArrayValue | null, b: ArrayValue | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  // A list and the ndarray numpy makes of it are the same numbers; a float32 copy is not.
  const kind = (x: ArrayValue): string =>
    x.integerTensor ? 'int' : (x.dtype ?? (x.site.integral && !x.derived ? 'int' : 'float64'));
  return (
    a.site.id === b.site.id &&
    a.data === b.data &&
    kind(a) === kind(b) &&
    a.shape.length === b.shape.length &&
    a.shape.every((s, i) => s === b.shape[i])
  );
}

/** Row and class of flat position `f` of a (C) or (N, C) root; null for other ranks. */
export function rowClass(root: ArrayValue, f: number): { r: number; c: number } | null {
  const s = root.shape;
  if (s.length === 1) return { r: -1, c: f };
  if (s.length === 2 && s[1] > 0) return { r: Math.floor(f / s[1]), c: f % s[1] };
  return null;
}

/** Number of classes of a root (its last axis). */
export function classesOf(root: ArrayValue): number {
  return root.shape.length ? root.shape[root.shape.length - 1] : 0;
}

/**
 * `p + eps` of a source (no terms) and a number: the source's numbers it shifted and by how much
 * (values.ts `plusOf`), for a result of the source's rank; null for other operands.
 */
export function shiftedSource(
  a: ArrayValue | { num: number },
  b: ArrayValue | { num: number },
  rank: number,
): { root: ArrayValue; offset: number; by: number } | null {
  const [arr, num] = 'site' in a ? [a, b] : [b, a];
  if (!('site' in arr) || 'site' in num || arr.terms || arr.shape.length !== rank || arr.view === null) return null;
  const at = arr.view ?? { root: arr, offset: 0 };
  return { ...at, by: num.num };
}
