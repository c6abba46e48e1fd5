/**
 * topIndices (the k largest, largest first, ties by the earlier index, NaN largest) against a full
 * stable sort, on seeded arrays with ties and NaN; the live reader's top rows and the panel's top
 * classes both come from it.
 */
import { describe, expect, it } from 'vitest';
import { topIndices, topKClasses } from '../../../src/core/kernel/topK';

function bySort(values: number[], k: number): number[] {
  const key = (i: number) => (Number.isNaN(values[i]!) ? Infinity : values[i]!);
  return values
    .map((_, i) => i)
    .sort((a, b) => key(b) - key(a) || a - b)
    .slice(0, Math.max(0, k));
}

describe('topIndices', () => {
  it('gives what a full stable sort gives, for ties, NaN and every k', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let run = 0; run < 200; run++) {
      const n = 1 + Math.floor(rand() * 40);
      // Few distinct values so that ties are common; some NaN and infinities.
      const values = Array.from({ length: n }, () => {
        const r = rand();
        return r < 0.1 ? NaN : r < 0.15 ? Infinity : r < 0.2 ? -Infinity : Math.floor(rand() * 6) / 2;
      });
      for (const k of [0, 1, 3, n - 1, n, n + 2]) expect(topIndices(values, k)).toEqual(bySort(values, k));
    }
  });

  it('serves topKClasses: the top k in class order, plus the target', () => {
    const p = [0.1, 0.4, NaN, 0.05, 0.3, 0.15];
    expect(topKClasses(p, 3, 2)).toEqual([1, 2, 3]);
    expect(topKClasses(p, 1, 3)).toEqual([1, 2, 4]);
  });
});
