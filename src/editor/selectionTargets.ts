/**
 * What Inspect Selection may offer as the target of selected logits: class-index arrays whose shape
 * torch accepts with them, and what a user types instead (one class index, or one per sample).
 * Pure: no `vscode`, so vitest checks it.
 */
import type { ArraySite } from '../core/detection';

/** The target shape torch expects for class indices with logits of this shape: (C) → (), (N, C, d…) → (N, d…). */
export function classTargetShape(logitsShape: readonly number[]): number[] | null {
  if (logitsShape.length === 1) return [];
  if (logitsShape.length < 2) return null;
  return [logitsShape[0]!, ...logitsShape.slice(2)];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * The arrays that can be the class-index target of logits of `logitsShape`: written as integers
 * (or an integer tensor), of the shape torch expects; a one-element list also fits 1-D logits
 * (the row is then read as a batch of one). The logits array itself is never offered.
 */
export function targetCandidates(
  logitsShape: readonly number[],
  arrays: readonly ArraySite[],
  exclude?: number,
): ArraySite[] {
  const want = classTargetShape(logitsShape);
  if (!want) return [];
  return arrays.filter((a) => {
    if (a.id === exclude || a.error || !(a.integral || a.isIntegerTensor)) return false;
    if (sameShape(a.shape, want)) return true;
    return want.length === 0 && sameShape(a.shape, [1]);
  });
}

/**
 * A typed target: `3`, or `1, 5` / `[1, 5]` (one class index per sample), as the literal text to
 * compute with; null when it is not a list of class indices in 0..C-1 of the right count.
 */
export function typedTarget(value: string, logitsShape: readonly number[]): string | null {
  const want = classTargetShape(logitsShape);
  if (!want || want.length > 1) return null;
  const C = logitsShape.length === 1 ? logitsShape[0]! : logitsShape[1]!;
  const inner = value.trim().replace(/^\[(.*)\]$/s, '$1');
  if (!/^\s*\d+(\s*,\s*\d+)*\s*,?\s*$/.test(inner)) return null;
  const indices = inner
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map(Number);
  if (indices.some((k) => !Number.isSafeInteger(k) || k >= C)) return null;
  const count = want.length === 0 ? 1 : want[0]!;
  if (indices.length !== count) return null;
  return `[${indices.join(', ')}]`;
}
