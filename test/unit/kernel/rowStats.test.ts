/**
 * The panel computes a new ε from every row's statistics kept from an earlier computation of the
 * same pair (allRowStatistics, crossEntropyFromRowStats in rowStats.ts) instead of a pass over the
 * input. The result must be the forward's to the bit, for any ε (0 included), reduction, dtype,
 * weight and ignore_index, whichever ε the statistics were made at, with rows holding NaN, ±Inf and
 * all −Inf, read from the float64 source or from the float32 copy; and the per-sample reads that
 * follow (sampleLists, gradientRow) must agree with those of a fresh forward, also from a sample's
 * row lists (sampleRow) kept from the computation the statistics came from.
 */
import { describe, expect, it } from 'vitest';
import {
  allRowStatistics,
  computeLoss,
  crossEntropyFromRowStats,
  gradientRow,
  prepare,
  sampleLists,
  sampleRow,
  type LossResult,
} from '../../../src/core/kernel';
import { inputOf } from '../../../src/core/kernel/input';
import type { DType, LossRequest, Reduction } from '../../../src/core/types';
import { indexRequest } from '../requestBuilders';
import { same } from './floatCompare';
import { xorshift32 } from './xorshift32';

function request(N: number, C: number, seed: number, options: Partial<LossRequest> = {}): LossRequest {
  const r = xorshift32(seed);
  const x = Float64Array.from({ length: N * C }, () => (r() - 0.5) * 30 + (r() < 0.01 ? 25 : 0));
  // Row 2 holds a NaN, row 3 a +Inf, row 4 only −Inf; row 1's target is ignored.
  if (N > 4) {
    x[2 * C + 5] = NaN;
    x[3 * C + 1] = Infinity;
    x.fill(-Infinity, 4 * C, 5 * C);
  }
  const t = Float64Array.from({ length: N }, (_, n) => (n === 1 ? -100 : Math.floor(r() * C)));
  return indexRequest(x, [N, C], t, options);
}

function expectSameResult(got: LossResult, want: LossResult, where: string): void {
  for (const k of ['loss', 'numerator', 'denominator'] as const)
    expect(same(got[k], want[k]), `${where}: ${k} ${got[k]} vs ${want[k]}`).toBe(true);
  expect(got.losses.length, where).toBe(want.losses.length);
  got.losses.forEach((v, i) =>
    expect(same(v, want.losses[i]!), `${where}: losses[${i}] ${v} vs ${want.losses[i]}`).toBe(true),
  );
  expect(got.ignored ? Array.from(got.ignored) : null, where).toEqual(want.ignored ? Array.from(want.ignored) : null);
  // What reReduce (another reduction) is made from.
  expect(got.sums, where).toEqual(want.sums);
}

const epsilons = [0, 0.05, 0.3, 1];
const reductions: Reduction[] = ['mean', 'sum', 'none'];

describe('a forward from kept row statistics', () => {
  for (const dtype of ['float32', 'float64'] as DType[]) {
    for (const weighted of [false, true]) {
      it(`equals a fresh forward, ${dtype}${weighted ? ', weighted' : ''}, any ε and reduction`, () => {
        const N = 9;
        const C = 1003;
        const r = xorshift32(7);
        const weight = weighted
          ? { data: Float64Array.from({ length: C }, () => 0.1 + 2 * r()), shape: [C], integral: false }
          : null;
        let checked = 0;
        for (const madeAt of [0, 0.2]) {
          const base = request(N, C, 11, { dtype, weight, labelSmoothing: madeAt });
          const made = prepare(base);
          const stats = allRowStatistics(made);
          expect(stats, 'rows the kernel runs').not.toBeNull();
          for (const eps of epsilons) {
            for (const reduction of reductions) {
              const req = { ...base, labelSmoothing: eps, reduction };
              const fresh = computeLoss(req);
              if (!fresh.ok) throw new Error(fresh.error.message);
              const p = prepare(req);
              const got = crossEntropyFromRowStats(p, stats!);
              expect(got).not.toBeNull();
              const where = `${dtype} made at ε ${madeAt}, ε ${eps} ${reduction}`;
              expectSameResult(got!, fresh.result, where);
              // The sample's breakdown and gradient row read the kept statistics: the fresh forward's.
              for (const e of [0, 2, 6]) {
                const a = sampleLists(p, got!, e);
                const b = sampleLists(fresh.prepared, fresh.result, e);
                expect(Array.from(a.softmax), `${where} softmax ${e}`).toEqual(Array.from(b.softmax));
                expect(Array.from(a.contributions), `${where} contributions ${e}`).toEqual(Array.from(b.contributions));
                // The row lists of the computation the statistics came from serve this one's sample.
                expect(sampleLists(p, got!, e, sampleRow(made, e)), `${where} lists ${e} from a kept row`).toEqual(b);
                const classes = [0, 1, 17, C - 1];
                expect(Array.from(gradientRow(p, got!, e, classes)), `${where} grad ${e}`).toEqual(
                  Array.from(gradientRow(fresh.prepared, fresh.result, e, classes)),
                );
              }
              checked++;
            }
          }
        }
        expect(checked).toBe(2 * epsilons.length * reductions.length);
      });
    }
  }

  it('float32 statistics from the float32 copy equal those read from the float64 source', () => {
    const req = request(6, 50257, 3, { labelSmoothing: 0.1 });
    const fromSource = allRowStatistics(prepare(req))!;
    const p = prepare(req);
    inputOf(p);
    expect(p.x).not.toBeNull();
    const fromCopy = allRowStatistics(p)!;
    // Row 1 is ignored: its slots are not read.
    for (let i = 0; i < fromSource.length; i++)
      if (Math.floor(i / 4) !== 1) expect(same(fromCopy[i]!, fromSource[i]!), `slot ${i}`).toBe(true);
    const fresh = computeLoss(req);
    if (!fresh.ok) throw new Error(fresh.error.message);
    expectSameResult(crossEntropyFromRowStats(prepare(req), fromCopy)!, fresh.result, 'from the copy');
  });

  it('serves only what it can, and statistics of the same number of rows', () => {
    // Rows shorter than torch's vector (float32: 8), K-dim inputs, log_probs input, probability targets.
    expect(allRowStatistics(prepare(request(40, 7, 1)))).toBeNull();
    const kdim = request(4, 100, 1);
    expect(
      allRowStatistics(
        prepare({
          ...kdim,
          input: { ...kdim.input, shape: [4, 50, 2] },
          target: { data: new Float64Array(8), shape: [4, 2], integral: true },
        }),
      ),
    ).toBeNull();
    expect(allRowStatistics(prepare(request(40, 100, 1, { inputKind: 'log_probs' })))).toBeNull();
    const probs = request(40, 100, 1);
    const q = new Float64Array(40 * 100).fill(0.01);
    expect(allRowStatistics(prepare({ ...probs, target: { data: q, shape: [40, 100], integral: false } }))).toBeNull();
    const stats = allRowStatistics(prepare(request(40, 100, 1)))!;
    expect(crossEntropyFromRowStats(prepare(request(39, 100, 1)), stats)).toBeNull();
  });
});
