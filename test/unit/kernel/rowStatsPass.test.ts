/**
 * The rows' statistics made a few rows at a time (RowStatisticsPass, rowStats.ts), as the worker
 * makes them in its idle time, must be allRowStatistics' to the bit whatever the steps: one row or
 * many per step, read through the scratch workspace or the input's own workspace, or the workspace
 * made half-way through the pass (a shown sample's gradient makes it), with another computation's
 * use of the scratch workspace between two steps.
 */
import { describe, expect, it } from 'vitest';
import { allRowStatistics, computeLoss, prepare, RowStatisticsPass } from '../../../src/core/kernel';
import { inputSpace } from '../../../src/core/kernel/input';
import type { DType, LossRequest } from '../../../src/core/types';
import { indexRequest } from '../requestBuilders';
import { xorshift32 } from './xorshift32';

function request(N: number, C: number, seed: number, options: Partial<LossRequest> = {}): LossRequest {
  const r = xorshift32(seed);
  const x = Float64Array.from({ length: N * C }, () => (r() - 0.5) * 30 + (r() < 0.01 ? 25 : 0));
  // Row 2 holds a NaN, row 3 a +Inf; row 1's target is ignored.
  x[2 * C + 5] = NaN;
  x[3 * C + 1] = Infinity;
  const t = Float64Array.from({ length: N }, (_, n) => (n === 1 ? -100 : Math.floor(r() * C)));
  return indexRequest(x, [N, C], t, options);
}

/** Bit-for-bit equality of two float64 arrays (NaN equals NaN, 0 does not equal −0). */
function expectBits(got: Float64Array | null, want: Float64Array | null, where: string): void {
  expect(got, where).not.toBeNull();
  expect(want, where).not.toBeNull();
  expect(got!.length, where).toBe(want!.length);
  const a = new Uint32Array(got!.buffer, got!.byteOffset, 2 * got!.length);
  const b = new Uint32Array(want!.buffer, want!.byteOffset, 2 * want!.length);
  let differ = -1;
  for (let i = 0; i < a.length && differ < 0; i++) if (a[i] !== b[i]) differ = i >> 1;
  expect(differ, `${where}: first differing value at ${differ}`).toBe(-1);
}

/** Runs `pass` one step at a time; returns how many steps it took. */
function stepOneByOne(pass: RowStatisticsPass): number {
  let steps = 0;
  while (!pass.step(() => true)) steps++;
  return steps + 1;
}

describe('the rows’ statistics a step at a time', () => {
  for (const dtype of ['float32', 'float64'] as DType[]) {
    for (const weighted of [false, true]) {
      const label = `${dtype}${weighted ? ', weighted' : ''}`;
      // Rows of 40 000 classes: one row per step; rows of 3 000: ten per step.
      for (const C of [40_000, 3000]) {
        it(`equals allRowStatistics through the scratch workspace, ${label}, C = ${C}`, () => {
          const N = 23;
          const weight = weighted
            ? { data: Float64Array.from({ length: C }, (_, c) => 0.25 + (c % 5) / 3), shape: [C], integral: false }
            : null;
          const req = request(N, C, 7 + C, { dtype, weight, labelSmoothing: 0.1 });
          const whole = allRowStatistics(prepare(req));
          const p = prepare(req);
          const pass = RowStatisticsPass.of(p)!;
          const steps = stepOneByOne(pass);
          expect(steps).toBe(Math.ceil(N / Math.max(1, Math.floor(2 ** 15 / C))));
          expect(pass.rowsDone).toBe(N);
          expectBits(pass.finish(), whole, label);
        });
      }

      it(`equals allRowStatistics in the input workspace, and across its making mid-pass, ${label}`, () => {
        const N = 40;
        const C = 5000;
        const weight = weighted
          ? { data: Float64Array.from({ length: C }, (_, c) => 1 + (c % 3)), shape: [C], integral: false }
          : null;
        const req = request(N, C, 99, { dtype, weight });
        const want = allRowStatistics(prepare(req));
        // The workspace there from the start.
        const inSpace = prepare(req);
        expect(inputSpace(inSpace, true)).not.toBeNull();
        const a = RowStatisticsPass.of(inSpace)!;
        stepOneByOne(a);
        expectBits(a.finish(), want, `${label}, workspace`);
        // Made after the first step; another pair's forward uses the scratch workspace in between.
        const late = prepare(req);
        const b = RowStatisticsPass.of(late)!;
        expect(b.step(() => true)).toBe(false);
        const between = computeLoss(request(N, 3001, 5, { dtype, labelSmoothing: 0.2 }));
        expect(between.ok).toBe(true);
        expect(inputSpace(late, true)).not.toBeNull();
        b.step(() => true);
        expect(b.rowsDone).toBeLessThan(N);
        expectBits(b.finish(), want, `${label}, workspace made mid-pass`);
      });
    }
  }

  it('is null where allRowStatistics is (short rows, probability targets)', () => {
    expect(RowStatisticsPass.of(prepare(request(8, 4, 1, { dtype: 'float32' })))).toBeNull();
    expect(allRowStatistics(prepare(request(8, 4, 1, { dtype: 'float32' })))).toBeNull();
  });
});
