/**
 * binnedSoftmax (the heat map's cells without materialising softmax) against the largest value of
 * each bin of the steps' materialised softmax (crossEntropySteps): equal to the bit, or — where the
 * kernel's float32 exp is not monotonic between two logits of a bin — within 1 float32 ulp, in
 * both dtypes, wasm and scalar rows, (N, C) and K-dim inputs, log_probs input, NaN and ±Inf
 * logits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { binnedSoftmax, crossEntropySteps, prepare } from '../../../src/core/kernel';
import type { Prepared } from '../../../src/core/kernel/prepare';
import { setKernelBackend } from '../../../src/core/kernel/wasmForward';
import type { DType } from '../../../src/core/types';
import { same, ulp32 } from './floatCompare';
import { xorshift32 } from './xorshift32';

afterEach(() => setKernelBackend('auto'));

function prepared(shape: number[], dtype: DType, seed: number, logProbs = false, special = false): Prepared {
  const r = xorshift32(seed);
  const [N, C] = shape;
  const S = shape.length > 2 ? shape[2] : 1;
  const x = Float64Array.from({ length: N * C * S }, () => (logProbs ? -12 * r() : (r() - 0.5) * 30));
  if (special) {
    x[3] = -Infinity; // row 0: one class never chosen
    x[C * S + 2 * S] = NaN; // row 1 (element S): every p NaN
    x[2 * C * S] = Infinity; // row 2: Inf − Inf
  }
  const t = Float64Array.from({ length: N * S }, () => Math.floor(r() * C));
  return prepare({
    input: { data: x, shape, integral: false },
    target: { data: t, shape: S > 1 ? [N, S] : [N], integral: true },
    weight: null,
    ignoreIndex: -100,
    reduction: 'mean',
    labelSmoothing: 0,
    dtype,
    inputKind: logProbs ? 'log_probs' : 'logits',
  });
}

function bounds(C: number, bins: number): number[] {
  return Array.from({ length: bins + 1 }, (_, i) => Math.floor((i * C) / bins));
}

/** Counts cells equal to the steps' bin max and checks every other one is within 1 float32 ulp. */
function compare(p: Prepared, bins: number, label: string): { equal: number; total: number } {
  const { N, C, S } = p;
  const f32 = p.dtype === 'float32';
  const steps = crossEntropySteps(p);
  const softmax = Float64Array.from(steps.softmax);
  const colStart = bounds(C, bins);
  const got = new Float64Array(bins);
  let equal = 0;
  let total = 0;
  for (let e = 0; e < N * S; e++) {
    binnedSoftmax(p, e, colStart, got);
    const base = Math.floor(e / S) * C * S + (e % S);
    for (let j = 0; j < bins; j++) {
      let want = NaN;
      for (let c = colStart[j]; c < colStart[j + 1]; c++) {
        const v = softmax[base + c * S];
        if (v > want || want !== want) want = v;
      }
      total++;
      if (same(got[j], want)) {
        equal++;
        continue;
      }
      expect(f32, `${label} e ${e} bin ${j}: ${got[j]} vs steps ${want}`).toBe(true);
      expect(Math.abs(got[j] - want), `${label} e ${e} bin ${j}`).toBeLessThanOrEqual(ulp32(want));
    }
  }
  return { equal, total };
}

describe('binnedSoftmax = the steps’ softmax, binned', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const backend of ['auto', 'scalar'] as const) {
      it(`${dtype}, ${backend} rows, (N, C) with NaN and ±Inf rows, and K-dim`, () => {
        setKernelBackend(backend);
        const cases: Array<[Prepared, number, string]> = [
          [prepared([6, 5000], dtype, 11, false, true), 512, '(6, 5000) specials'],
          [prepared([8, 1000], dtype, 12), 37, '(8, 1000) 37 bins'],
          [prepared([4, 300, 3], dtype, 13), 300, 'K-dim one class per bin'],
          [prepared([5, 50], dtype, 14, true), 7, 'log_probs'],
        ];
        let equal = 0;
        let total = 0;
        for (const [p, bins, label] of cases) {
          const r = compare(p, bins, `${dtype} ${backend} ${label}`);
          equal += r.equal;
          total += r.total;
        }
        // Bit-for-bit but for rare ties of the float32 kernel exp.
        expect(equal / total).toBeGreaterThan(0.99);
        if (dtype === 'float64' || backend === 'scalar') expect(equal).toBe(total);
      });
    }
  }
});
