/**
 * The panel's sample rows made ahead a few classes a step (shownRows.ts): a row is made in
 * 1 + ⌈C / rowClassesPerStep⌉ steps and kept; a request for a row half made finishes it where it
 * stopped; either way the row is sampleRow's, to the bit (NaN equal to NaN, −0 apart from +0).
 */
import { describe, expect, it } from 'vitest';
import { prepare, sampleRow, type SampleRow } from '../../../src/core/kernel';
import { keptRow, rowClassesPerStep, stepRowAhead, type ShownRows } from '../../../src/worker/shownRows';
import { syntheticRequest } from '../requestBuilders';

const N = 4;
const C = 2 * rowClassesPerStep + 1234;
const p = prepare(
  syntheticRequest(
    N,
    C,
    (i) => (i % 977 === 5 ? Infinity : Math.sin(i * 0.41) * 9 + ((i * 7) % 13) / 3),
    (n) => (n * 4099) % C,
  ),
);

function sameRow(got: SampleRow, want: SampleRow): boolean {
  const lists = ['logits', 'shifted', 'exp', 'softmax', 'logSoftmax'] as const;
  const scalars = ['max', 'sumExp', 'logSumExp'] as const;
  const same = (a: number, b: number) => Object.is(a, b) || (a !== a && b !== b);
  return (
    scalars.every((k) => same(got[k] ?? NaN, want[k] ?? NaN)) &&
    lists.every((k) => {
      const a = got[k]!;
      const b = want[k]!;
      return a.length === b.length && a.every((v, c) => same(v, b[c]!));
    })
  );
}

describe('sample rows made ahead', () => {
  it('are made a few classes a step, kept, and taken as they are', () => {
    const rows: ShownRows = new Map();
    let steps = 1;
    while (!stepRowAhead(rows, 1, p, 2, () => true)) steps++;
    expect(steps).toBe(1 + Math.ceil(C / rowClassesPerStep));
    const row = keptRow(rows, 1, p, 2);
    expect(sameRow(row, sampleRow(p, 2))).toBe(true);
    // Kept: nothing left to make, and the same lists again.
    expect(stepRowAhead(rows, 1, p, 2, () => true)).toBe(true);
    expect(keptRow(rows, 1, p, 2)).toBe(row);
  });

  it('are finished where they stopped by a request that needs them', () => {
    for (const stopAfter of [1, 2, 3]) {
      const rows: ShownRows = new Map();
      for (let s = 0; s < stopAfter; s++) expect(stepRowAhead(rows, 1, p, 3, () => true)).toBe(false);
      const row = keptRow(rows, 1, p, 3);
      expect(sameRow(row, sampleRow(p, 3)), `stopped after ${stopAfter}`).toBe(true);
      expect(rows.get(`1|float32|logits|3`)).toBe(row);
    }
  });

  it('start again for another sample, and make none out of range', () => {
    const rows: ShownRows = new Map();
    expect(stepRowAhead(rows, 1, p, 0, () => true)).toBe(false);
    while (!stepRowAhead(rows, 1, p, 1, () => true));
    expect(sameRow(keptRow(rows, 1, p, 1), sampleRow(p, 1))).toBe(true);
    expect(sameRow(keptRow(rows, 1, p, 0), sampleRow(p, 0))).toBe(true);
    expect(stepRowAhead(rows, 1, p, N, () => true)).toBe(true);
    expect(stepRowAhead(rows, 1, p, -1, () => true)).toBe(true);
    expect([...rows.keys()]).toEqual(['1|float32|logits|1', '1|float32|logits|0']);
  });
});
