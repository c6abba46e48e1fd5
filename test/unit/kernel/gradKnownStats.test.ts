/**
 * grad_* on rows whose statistics are known (wasmOutputs.ts wasmGradient): once a job has left
 * every row's max, Σexp and x_t in an input workspace (a forward, the steps, a gradient on the
 * same Prepared), the gradient reads them instead of its max and Σexp passes. Its loss, losses
 * and gradient must equal, bit for bit, those of the same request computed from nothing (a fresh
 * Prepared, and the same Prepared after forgetRowStats) — on rows with NaN (payloads too), ±Inf,
 * ranges past each dtype's exp threshold, ignored targets and hostile weights, rows longer than a
 * span — and it must really read them: a kept max changed by hand changes the gradient.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { crossEntropy, crossEntropySteps, prepare } from '../../../src/core/kernel';
import { existingInputSpace, forgetRowStats } from '../../../src/core/kernel/input';
import { setKernelBackend } from '../../../src/core/kernel/wasmForward';
import type { DType, LossRequest, Reduction } from '../../../src/core/types';
import { mulberry32 } from '../../shared/mulberry32';
import { indexRequest } from '../requestBuilders';
import { same } from './floatCompare';
import { hostileWeights, thresholdLogits } from './gradData';

afterEach(() => setKernelBackend('auto'));

const spans: Record<DType, number[]> = {
  float32: [5, 60, 86, 87.2, 87.4, 100],
  float64: [5, 300, 705, 707, 708, 800],
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
  const data = thresholdLogits(N, C, spans[dtype], r, { posInf: true });
  const targets = Float64Array.from({ length: N }, (_, n) => (n % 13 === 3 ? -100 : Math.floor(r() * C)));
  const weight = weighted ? hostileWeights(C, r) : null;
  return indexRequest(data, [N, C], targets, {
    weight: weight ? { data: weight, shape: [C], integral: false } : null,
    reduction,
    dtype,
  });
}

/** Index of the first element where two results differ (-1: none), and what differs. */
function firstDifference(a: ReturnType<typeof crossEntropy>, b: ReturnType<typeof crossEntropy>): string | null {
  if (!same(a.loss, b.loss)) return `loss ${a.loss} vs ${b.loss}`;
  for (let i = 0; i < a.losses.length; i++)
    if (!same(a.losses[i], b.losses[i])) return `losses[${i}] ${a.losses[i]} vs ${b.losses[i]}`;
  const ga = a.grad as ArrayLike<number>;
  const gb = b.grad as ArrayLike<number>;
  if (ga.length !== gb.length) return `grad length ${ga.length} vs ${gb.length}`;
  for (let i = 0; i < ga.length; i++) if (!same(ga[i], gb[i])) return `grad[${i}] ${ga[i]} vs ${gb[i]}`;
  return null;
}

/** A copy of a result (its gradient is a view that the next gradient overwrites). */
function kept(r: ReturnType<typeof crossEntropy>): ReturnType<typeof crossEntropy> {
  return { ...r, losses: r.losses.slice(), grad: (r.grad as Float32Array | Float64Array).slice() };
}

describe('grad_* with the row statistics known: the same bits as computing them', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [N, C] of [
      [64, 300],
      [97, 257],
      [3, 70001],
    ] as const) {
      for (const reduction of ['mean', 'sum'] as const) {
        for (const weighted of [false, true]) {
          it(`${dtype} (${N}, ${C}) ${reduction}${weighted ? ' weighted' : ''}`, () => {
            setKernelBackend('wasm');
            const req = request(N, C, N * 7919 + C + (weighted ? 1 : 0), dtype, reduction, weighted);
            const cold = kept(crossEntropy(prepare(req), true));
            const p = prepare(req);
            // After the forward: the statistics are there and read.
            const forward = crossEntropy(p);
            const space = existingInputSpace(p);
            expect(space?.statsReady).toBe(true);
            const warm = crossEntropy(p, true);
            expect(firstDifference(warm, cold)).toBeNull();
            expect(same(warm.loss, forward.loss)).toBe(true);
            // After a gradient, and after the steps: the same again.
            expect(firstDifference(crossEntropy(p, true), cold)).toBeNull();
            crossEntropySteps(p);
            expect(firstDifference(crossEntropy(p, true), cold)).toBeNull();
            // Forgotten: computed from the rows again, the same.
            forgetRowStats(p);
            expect(space?.statsReady).toBe(false);
            expect(firstDifference(crossEntropy(p, true), cold)).toBeNull();
          });
        }
      }
    }
  }

  it('reads the kept statistics: a max changed by hand changes that row of the gradient', () => {
    setKernelBackend('wasm');
    for (const dtype of ['float32', 'float64'] as const) {
      const req = indexRequest(
        Float64Array.from({ length: 64 * 300 }, (_, i) => Math.sin(i) * 3),
        [64, 300],
        Float64Array.from({ length: 64 }, (_, n) => (n * 7) % 300),
        { dtype },
      );
      const p = prepare(req);
      crossEntropy(p);
      const space = existingInputSpace(p);
      if (!space) throw new Error('expected an input workspace');
      const cold = kept(crossEntropy(prepare(req), true));
      // Row 5's max, 0.5 higher: its gradient (and loss) move, the other rows' do not.
      space.ws.f64[(space.stats >> 3) + 4 * 5] += 0.5;
      const warm = crossEntropy(p, true);
      const g = warm.grad as Float32Array | Float64Array;
      const gc = cold.grad as Float32Array | Float64Array;
      let moved = 0;
      let others = 0;
      for (let i = 0; i < g.length; i++) {
        if (same(g[i], gc[i])) continue;
        if (Math.floor(i / 300) === 5) moved++;
        else others++;
      }
      expect(moved).toBeGreaterThan(250);
      expect(others).toBe(0);
    }
  });
});
