/**
 * The shorter gradient pass of the label-smoothing and probability-target gradients
 * (smoothGrad_* and probGrad_*, emitGradPassByRange): where every log p of a row has a normal exp,
 * the row's exps leave out the clamp, the float32 flush and float64's second 2^k factor, and are
 * scaled by an integer addition to the exponent. Each gradient element must still equal
 * gradientRow's for its sample to the bit (crossEntropy.ts sampleGradient: the same upstream
 * gradients, the kernel's row statistics, the exp_* exports, which keep the clamp and both
 * factors), so the rows are built around the thresholds (a range of x − max near 87.3 for
 * float32 and 707 for float64, the exps near float32's smallest normal and float64's
 * subnormals), with NaN (payloads too), −Inf and +Inf logits, ignored targets, weights of 0 and
 * below, and NaN, 0 and −0 probability targets, so both sides of the condition are taken; the test
 * counts them, and checks the rows ran in the kernel.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { crossEntropy, gradientRow, prepare } from '../../../src/core/kernel';
import { setKernelBackend, wasmKernelStats, wasmRowStats } from '../../../src/core/kernel/wasmForward';
import type { DType, LossRequest, Reduction } from '../../../src/core/types';
import { mulberry32 } from '../../shared/mulberry32';
import { same } from './floatCompare';
import { hostileWeights, probabilityTargets, thresholdLogits } from './gradData';

afterEach(() => setKernelBackend('auto'));

/** The spans of x − max per row: around each dtype's threshold, well inside it, and past it. */
const spans: Record<DType, number[]> = {
  float32: [5, 60, 83, 84, 85, 86, 86.5, 87, 87.2, 87.4, 88, 88.5, 89, 100],
  float64: [5, 300, 700, 702, 704, 705, 706, 707, 708, 710, 745, 800],
};

type Kind = 'smooth' | 'probs' | 'probs smooth';

function request(
  N: number,
  C: number,
  seed: number,
  dtype: DType,
  kind: Kind,
  reduction: Reduction,
  weighted: boolean,
): LossRequest {
  const r = mulberry32(seed);
  const data = thresholdLogits(N, C, spans[dtype], r, { nearBottom: true, posInf: true });
  // Weights: some 0, some negative.
  const weight = weighted ? hostileWeights(C, r) : null;
  let target;
  if (kind === 'smooth') {
    const t = Float64Array.from({ length: N }, (_, n) => (n % 13 === 3 ? -100 : Math.floor(r() * C)));
    target = { data: t, shape: [N], integral: true };
  } else {
    target = { data: probabilityTargets(N, C, r), shape: [N, C], integral: false };
  }
  return {
    input: { data, shape: [N, C], integral: false },
    target,
    weight: weight ? { data: weight, shape: [C], integral: false } : null,
    ignoreIndex: -100,
    reduction,
    labelSmoothing: kind === 'probs' ? 0 : 0.1,
    dtype,
    inputKind: 'logits',
  };
}

/** Rows of each kind met, over all cases of a dtype: the fast condition's sides. */
const met: Record<DType, { fast: number; slow: number; nearMiss: number }> = {
  float32: { fast: 0, slow: 0, nearMiss: 0 },
  float64: { fast: 0, slow: 0, nearMiss: 0 },
};

function check(req: LossRequest, dtype: DType): string[] {
  const f32 = dtype === 'float32';
  const round = f32 ? Math.fround : (v: number): number => v;
  const threshold = f32 ? Math.fround(-87.33654) : -707;
  // The forward alone first, on a Prepared of its own: its row statistics are rows_*'s (smooth_*,
  // prob_*: the general Σexp), which the gradient's call, taking the shorter Σexp on fast rows,
  // must equal; gradientRow then reads the gradient call's own.
  const alone = prepare(req);
  const fwd = crossEntropy(alone);
  const p = prepare(req);
  const before = wasmKernelStats().wasmRows;
  const res = crossEntropy(p, true);
  expect(same(res.loss, fwd.loss), `loss ${res.loss} vs the forward's ${fwd.loss}`).toBe(true);
  expect(wasmKernelStats().wasmRows, 'rows in wasm').toBeGreaterThan(before);
  expect(res.grad).toBeInstanceOf(f32 ? Float32Array : Float64Array);
  const g = Float64Array.from(res.grad as ArrayLike<number>);
  const { N, C } = p;
  const x = p.source;
  const bad: string[] = [];
  for (let n = 0; n < N; n++) {
    // The kernel's fast condition: (min − max) and ((min − max) − lse) have normal exps.
    const stats = wasmRowStats(p, n);
    const ref = wasmRowStats(alone, n);
    if (!stats || !ref) throw new Error('no wasm');
    if (!same(stats.max, ref.max) || !same(stats.sumExp, ref.sumExp))
      bad.push(`row ${n}: max, Σ ${stats.max}, ${stats.sumExp} vs the forward's ${ref.max}, ${ref.sumExp}`);
    const lse = f32 ? Math.fround(Math.log(Math.fround(stats.sumExp))) : Math.log(stats.sumExp);
    let lo = Infinity;
    for (let c = 0; c < C; c++) {
      const v = round(x[n * C + c]);
      if (v < lo) lo = v;
    }
    const range = round(round(lo - stats.max) - lse);
    const fast = round(lo - stats.max) >= threshold && range >= threshold;
    if (fast) met[dtype].fast++;
    else met[dtype].slow++;
    if (!fast && range < threshold && range > threshold - 1) met[dtype].nearMiss++;
    const want = gradientRow(p, res, n);
    for (let c = 0; c < C; c++) {
      const got = g[n * C + c];
      if (!same(got, want[c]) && bad.length < 10) bad.push(`g[${n}][${c}] ${got} vs ${want[c]} (fast ${fast})`);
    }
  }
  return bad;
}

describe('smoothGrad_* and probGrad_* shorter rows: gradientRow’s bits', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const kind of ['smooth', 'probs', 'probs smooth'] as const) {
      for (const [N, C] of [
        [96, 1000],
        [40, 37],
        [2, 50_257],
      ] as Array<[number, number]>) {
        for (const [reduction, weighted] of [
          ['mean', true],
          ['sum', false],
          ['none', true],
        ] as Array<[Reduction, boolean]>) {
          it(`${dtype} ${kind} ${N}×${C} ${reduction}${weighted ? ' weighted' : ''}`, () => {
            setKernelBackend('wasm');
            const seed = N * 31 + C + reduction.length + kind.length;
            expect(check(request(N, C, seed, dtype, kind, reduction, weighted), dtype).slice(0, 5)).toEqual([]);
          });
        }
      }
    }
    it(`${dtype}: both sides of the fast condition were met, near the threshold too`, () => {
      expect(met[dtype].fast).toBeGreaterThan(100);
      expect(met[dtype].slow).toBeGreaterThan(100);
      expect(met[dtype].nearMiss).toBeGreaterThan(0);
    });
  }
});
