/**
 * grad_*'s fast rows (wasmKernelModule.ts gradFunc): where every log p of a row has a normal exp,
 * no element is NaN and s has its sign bit set, the row's exps leave out the clamp, the float32
 * flush and float64's second 2^k factor, scale by an integer addition to the exponent, and write
 * g = p·(−s) instead of 0 − p·s. Each gradient element must still be, bit for bit, the stated
 * operations on the kernel's exp (exp_* exports, which keep the clamp and both factors):
 * g = 0 − exp((x − max) − lse)·s (+ s at the target), each step rounded to the dtype. The rows
 * are built around the thresholds (a range of x − max near 87.3 for float32 and 707 for float64,
 * the exps near float32's smallest normal and float64's subnormals), with NaN (payloads too), −Inf, an ignored
 * target (s = +0), a weight of 0 (s = −0) and negative weights (s > 0), so both sides of every
 * condition are taken; the test counts them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { crossEntropy, prepare } from '../../../src/core/kernel';
import { setKernelBackend, wasmExp, wasmRowStats } from '../../../src/core/kernel/wasmForward';
import type { DType, LossRequest, Reduction } from '../../../src/core/types';
import { mulberry32 } from '../../shared/mulberry32';
import { indexRequest } from '../requestBuilders';
import { same } from './floatCompare';
import { hostileWeights, thresholdLogits } from './gradData';

afterEach(() => setKernelBackend('auto'));

/** The spans of x − max per row: around each dtype's threshold, well inside it, and past it. */
const spans: Record<DType, number[]> = {
  float32: [5, 60, 83, 84, 85, 86, 86.5, 87, 87.2, 87.4, 88, 100],
  float64: [5, 300, 700, 702, 704, 705, 706, 707, 708, 710, 745, 800],
};

function request(
  N: number,
  C: number,
  seed: number,
  dtype: DType,
  reduction: Reduction,
  weighted: boolean,
): LossRequest {
  const r = mulberry32(seed);
  const data = thresholdLogits(N, C, spans[dtype], r);
  const targets = Float64Array.from({ length: N }, (_, n) => (n % 13 === 3 ? -100 : Math.floor(r() * C)));
  const weight = weighted ? hostileWeights(C, r) : null;
  return indexRequest(data, [N, C], targets, {
    weight: weight ? { data: weight, shape: [C], integral: false } : null,
    reduction,
    dtype,
  });
}

/** Rows of each kind met, over all cases of a dtype: the fast condition's sides. */
const met: Record<DType, { fast: number; slow: number; nearMiss: number }> = {
  float32: { fast: 0, slow: 0, nearMiss: 0 },
  float64: { fast: 0, slow: 0, nearMiss: 0 },
};

describe('grad_* fast rows: the same bits as the general pass', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    const f32 = dtype === 'float32';
    const round = f32 ? Math.fround : (v: number): number => v;
    const threshold = f32 ? Math.fround(-87.33654) : -707;
    for (const [N, C] of [
      [96, 1000],
      [40, 37],
      [2, 70_001],
    ] as Array<[number, number]>) {
      for (const [reduction, weighted] of [
        ['mean', true],
        ['sum', false],
        ['none', true],
      ] as Array<[Reduction, boolean]>) {
        it(`${dtype} ${N}×${C} ${reduction}${weighted ? ' weighted' : ''}`, () => {
          setKernelBackend('wasm');
          const req = request(N, C, N * 31 + C + reduction.length, dtype, reduction, weighted);
          const p = prepare(req);
          const grad = crossEntropy(p, true).grad;
          expect(grad).toBeInstanceOf(f32 ? Float32Array : Float64Array);
          const g = grad as Float32Array | Float64Array;
          const x = req.input.data;
          const t = req.target.data;
          const w = req.weight?.data;
          let den = 0;
          for (const ti of t) if (ti !== -100) den += w ? round(w[ti]) : 1;
          const g0 = reduction === 'mean' ? round(-round(1 / round(den))) : -1;
          const bad: string[] = [];
          for (let n = 0; n < N; n++) {
            const stats = wasmRowStats(p, n);
            if (!stats) throw new Error('no wasm');
            const lse = f32 ? Math.fround(Math.log(Math.fround(stats.sumExp))) : Math.log(stats.sumExp);
            const ti = t[n];
            const s = ti === -100 ? 0 : round((w ? round(w[ti]) : 1) * g0);
            const z = f32 ? new Float32Array(C) : new Float64Array(C);
            let lo = Infinity;
            for (let c = 0; c < C; c++) {
              const v = round(x[n * C + c]);
              if (v < lo) lo = v;
              z[c] = round(round(v - stats.max) - lse);
            }
            const range = round(round(lo - stats.max) - lse);
            const fast = round(lo - stats.max) >= threshold && range >= threshold && (s < 0 || Object.is(s, -0));
            if (fast) met[dtype].fast++;
            else met[dtype].slow++;
            if (!fast && range < threshold && range > threshold - 1) met[dtype].nearMiss++;
            const pe = wasmExp(z);
            if (!pe) throw new Error('no wasm');
            for (let c = 0; c < C; c++) {
              let want = round(0 - round(pe[c] * s));
              if (c === ti) want = round(s + want);
              const got = g[n * C + c];
              if (!same(got, want) && bad.length < 5) bad.push(`g[${n}][${c}] ${got} vs ${want} (fast ${fast})`);
            }
          }
          expect(bad).toEqual([]);
        });
      }
    }
    it(`${dtype}: both sides of the fast condition were met, near the threshold too`, () => {
      expect(met[dtype].fast).toBeGreaterThan(50);
      expect(met[dtype].slow).toBeGreaterThan(50);
      expect(met[dtype].nearMiss).toBeGreaterThan(0);
    });
  }
});
