/**
 * The k most likely classes plus the target, in class order: what a hover or the panel shows for
 * a row with many classes (C = 50 257 must never become a 50 257-row table). O(C·k) with a small
 * sorted buffer ({@link topIndices}); NaN counts as largest so that a broken row stays visible.
 */
export function topKClasses(probs: ArrayLike<number>, target: number | null, k: number): number[] {
  const C = probs.length;
  if (k <= 0 || C <= k + 1) return Array.from({ length: C }, (_, i) => i);
  const top = topIndices(probs, k);
  if (target !== null && target >= 0 && target < C && !top.includes(target)) top.push(target);
  return top.sort((a, b) => a - b);
}

/**
 * The indices of the k largest values, largest first (ties: the earlier index first), NaN counting
 * as largest. O(n·k) with a small sorted buffer.
 */
export function topIndices(values: ArrayLike<number>, k: number): number[] {
  const top: number[] = [];
  if (k <= 0) return top;
  const key = (i: number): number => (values[i] !== values[i] ? Infinity : values[i]);
  for (let i = 0; i < values.length; i++) {
    const v = key(i);
    if (top.length < k || v > key(top[top.length - 1])) {
      let j = top.length;
      while (j > 0 && !(key(top[j - 1]) >= v)) j--;
      top.splice(j, 0, i);
      if (top.length > k) top.pop();
    }
  }
  return top;
}
