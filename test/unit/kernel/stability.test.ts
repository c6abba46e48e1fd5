/**
 * Why the careful version exists: the naive exp(x)/Σexp(x) overflows for logits past ~88.7 in
 * float32 (~709.8 in float64); the max-shifted log-sum-exp does not. Reference: log-softmax
 * is invariant under adding a constant to every logit, so shifted inputs must give the same loss.
 */
import { describe, expect, it } from 'vitest';
import { computeLoss, fastExpNonPositive, inputOf } from '../../../src/core/kernel';
import type { DType, LossRequest } from '../../../src/core/types';

function request(row: number[], target: number, dtype: DType): LossRequest {
  return {
    input: { data: Float64Array.from(row), shape: [1, row.length], integral: false },
    target: { data: Float64Array.of(target), shape: [1], integral: true },
    ignoreIndex: -100,
    reduction: 'mean',
    labelSmoothing: 0,
    dtype,
    inputKind: 'logits',
  };
}

function loss(row: number[], target: number, dtype: DType): number {
  const o = computeLoss(request(row, target, dtype));
  if (!o.ok) throw new Error(o.error.message);
  return o.result.loss;
}

describe('numerical stability', () => {
  const row = [0.8982, 0.805, 0.6393, 0.9983, 0.5731];

  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: a shift of 1e4 leaves the loss unchanged where the naive formula overflows`, () => {
      const naive = (xs: number[], t: number) => -Math.log(Math.exp(xs[t]) / xs.reduce((a, x) => a + Math.exp(x), 0));
      const shifted = row.map((v) => v + 1e4);
      expect(Number.isNaN(naive(shifted, 1))).toBe(true);
      const base = loss(row, 1, dtype);
      // float32 cannot hold 1e4 + 0.8982 exactly (ulp ≈ 1e-3), so compare at that resolution.
      expect(loss(shifted, 1, dtype)).toBeCloseTo(base, dtype === 'float32' ? 2 : 9);
      expect(
        Number.isFinite(
          loss(
            row.map((v) => v - 1e4),
            1,
            dtype,
          ),
        ),
      ).toBe(true);
    });

    it(`${dtype}: a spread of 1e4 gives the exact difference`, () => {
      // −log softmax of the small logit: lse − x_t ≈ 1e4 (the big term dominates the sum).
      expect(loss([1e4, 0], 1, dtype)).toBeCloseTo(1e4, 3);
      expect(loss([1e4, 0], 0, dtype)).toBe(0);
    });
  }

  it('float32 rounds every step: the input itself is rounded to float32', () => {
    const a = computeLoss(request([0.1, 0.2], 0, 'float32'));
    if (!a.ok) throw new Error();
    expect(inputOf(a.prepared)[0]).toBe(Math.fround(0.1));
    expect(Math.fround(a.result.loss)).toBe(a.result.loss);
  });
});

describe('fastExpNonPositive', () => {
  it('is within 1e-13 relative of Math.exp on [-105, 0] and rounds to the same float32', () => {
    let worst = 0;
    let differentF32 = 0;
    for (let i = 0; i <= 200_000; i++) {
      const y = -105 * (i / 200_000);
      const a = fastExpNonPositive(y);
      const b = Math.exp(y);
      worst = Math.max(worst, Math.abs(a - b) / b);
      if (Math.fround(a) !== Math.fround(b)) differentF32++;
    }
    expect(worst).toBeLessThan(1e-13);
    expect(differentF32).toBeLessThanOrEqual(2);
  });

  it('handles the edges of its domain', () => {
    expect(fastExpNonPositive(0)).toBe(1);
    expect(fastExpNonPositive(-Infinity)).toBe(0);
    expect(fastExpNonPositive(-1000)).toBe(0);
    expect(Number.isNaN(fastExpNonPositive(NaN))).toBe(true);
  });
});
