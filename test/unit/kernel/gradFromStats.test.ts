/**
 * The gradients that do not compute the row statistics on their own: label smoothing's
 * (smoothGrad_* through wasmSmooth.ts, the forward and the gradient in one call; gradG_* reading
 * the forward's statistics for rows of 3, shorter than a vector) and probability targets'
 * (probGrad_* through wasmProb.ts, likewise in one call): every row of the whole gradient must equal gradientRow's row for that sample to the
 * bit (sampleGradient: the same upstream gradients, the same statistics, the kernel's exp), on
 * inputs with hostile values — NaN, ±Inf and −Inf-only rows in the logits, −0, 0 and NaN in the
 * probability targets, ignored targets — both dtypes, every reduction, probability targets with
 * and without weights and label smoothing (each combination: probGrad_* forms the upstream row
 * and its Σ in the kernel), small inputs (through the scratch workspace; rows of 3, shorter than a
 * vector, whose statistics come from rows_*), rows ending in a partial vector (37, 1003) and
 * larger ones (in the input workspace), and with another request's gradient computed between
 * two of the same Prepared (the statistics read must be this request's, not the last one's).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { crossEntropy, gradientRow, prepare, type Prepared } from '../../../src/core/kernel';
import { setKernelBackend, wasmKernelStats } from '../../../src/core/kernel/wasmForward';
import type { DType } from '../../../src/core/types';
import { same } from './floatCompare';
import { probabilityTargets } from './gradData';
import { xorshift32 } from './xorshift32';

afterEach(() => setKernelBackend('auto'));

function logits(N: number, C: number, seed: number): Float64Array {
  const r = xorshift32(seed);
  const x = Float64Array.from({ length: N * C }, () => (r() - 0.5) * 30);
  // Row 2: a NaN; row 3: +Inf; row 4: all −Inf; row 5: one very large logit (exps flushed to 0).
  x[2 * C + 5] = NaN;
  x[3 * C + 1] = Infinity;
  x.fill(-Infinity, 4 * C, 5 * C);
  x[5 * C + 7] = 400;
  return x;
}

function request(N: number, C: number, dtype: DType, kind: 'smooth' | 'probs', seed: number): Prepared {
  const r = xorshift32(seed + 1);
  const w = Float64Array.from({ length: C }, () => 0.2 + 2 * r());
  let target;
  if (kind === 'smooth') {
    const t = Float64Array.from({ length: N }, (_, n) => (n % 7 === 1 ? -100 : Math.floor(r() * C)));
    target = { data: t, shape: [N], integral: true };
  } else {
    target = { data: probabilityTargets(N, C, r), shape: [N, C], integral: false };
  }
  return prepare({
    input: { data: logits(N, C, seed), shape: [N, C], integral: false },
    target,
    weight: seed % 2 ? { data: w, shape: [C], integral: false } : null,
    ignoreIndex: -100,
    reduction: (['sum', 'mean', 'none'] as const)[seed % 3],
    // Probability targets: weighted (odd seeds) and smoothed (seeds 2, 3 mod 4) independently.
    labelSmoothing: kind === 'smooth' || (seed >> 1) % 2 ? 0.1 : 0,
    dtype,
    inputKind: 'logits',
  });
}

const show = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));

function checkRows(p: Prepared, label: string): void {
  const before = wasmKernelStats().wasmRows;
  const res = crossEntropy(p, true);
  expect(wasmKernelStats().wasmRows, `${label}: rows in wasm`).toBeGreaterThan(before);
  const grad = Float64Array.from(res.grad as ArrayLike<number>);
  const { N, C } = p;
  const wrong: string[] = [];
  for (let n = 0; n < N; n++) {
    const row = gradientRow(p, res, n);
    for (let c = 0; c < C; c++) {
      const got = grad[n * C + c];
      if (!same(got, row[c])) wrong.push(`[${n}][${c}]: ${show(got)} vs gradientRow ${show(row[c])}`);
    }
  }
  expect(wrong.slice(0, 5), `${label}: ${wrong.length} differ`).toEqual([]);
}

describe('gradients from the forward’s row statistics = gradientRow, to the bit', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const kind of ['smooth', 'probs'] as const) {
      for (const [N, C] of [
        [40, 3],
        [40, 37],
        [90, 1000],
        [33, 1003],
      ]) {
        for (const seed of [3, 4, 5, 6, 7]) {
          it(`${dtype} ${kind} (${N}, ${C}) seed ${seed}`, () => {
            checkRows(request(N, C, dtype, kind, seed), `${dtype} ${kind} (${N}, ${C}) ${seed}`);
          });
        }
      }
    }
  }

  it('reads its own statistics when other requests ran in between', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const kind of ['smooth', 'probs'] as const) {
        const a = request(90, 1000, dtype, kind, 5);
        const b = request(90, 1000, dtype, kind, 8);
        const first = Float64Array.from(crossEntropy(a, true).grad as ArrayLike<number>);
        crossEntropy(b, true);
        crossEntropy(b);
        const again = Float64Array.from(crossEntropy(a, true).grad as ArrayLike<number>);
        expect(
          again.every((v, i) => same(v, first[i])),
          `${dtype} ${kind}`,
        ).toBe(true);
        checkRows(a, `${dtype} ${kind} after another request`);
      }
    }
  });
});
