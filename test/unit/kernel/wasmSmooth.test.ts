/**
 * The wasm kernel's label-smoothing pass (smooth_* in wasmKernelModule.ts, wasmSmooth.ts) against
 * the JavaScript reference (smoothing.ts smoothingOfRow, whose order torch's own sums check bit for
 * bit in smoothingFixtures.test.ts), to the bit: every row length from 8 float32 / 4 float64 up to
 * rows whose sum carries through every cascade level (and one long enough for torch's
 * levelPower 5), with and without a weight, float32 read from its float32 copy or rounded from the
 * float64 source, and float64. The statistics (max, Σexp, x_t) must equal the forward's rows_*.
 */
import { describe, expect, it } from 'vitest';
import { prepare } from '../../../src/core/kernel';
import { inputOf } from '../../../src/core/kernel/input';
import type { Prepared } from '../../../src/core/kernel/prepare';
import { smoothingOfRow } from '../../../src/core/kernel/smoothing';
import { wasmForwardStats } from '../../../src/core/kernel/wasmForward';
import { wasmSmoothedStats } from '../../../src/core/kernel/wasmSmooth';
import type { DType } from '../../../src/core/types';
import { same } from './floatCompare';
import { xorshift32 } from './xorshift32';

function prepared(N: number, C: number, dtype: DType, weighted: boolean, seed: number): Prepared {
  const r = xorshift32(seed);
  // Spread wide enough that float32 sums round at every step, with a few large logits.
  const x = Float64Array.from({ length: N * C }, () => (r() - 0.5) * 40 + (r() < 0.01 ? 30 : 0));
  const t = Float64Array.from({ length: N }, (_, n) => (n === 1 ? -100 : Math.floor(r() * C)));
  const w = Float64Array.from({ length: C }, () => 0.1 + 3 * r());
  return prepare({
    input: { data: x, shape: [N, C], integral: false },
    target: { data: t, shape: [N], integral: true },
    weight: weighted ? { data: w, shape: [C], integral: false } : null,
    ignoreIndex: -100,
    reduction: 'mean',
    labelSmoothing: 0.1,
    dtype,
    inputKind: 'logits',
  });
}

/** The JS reference per row from the forward's statistics, as crossEntropy.ts forms lse. */
function check(p: Prepared, label: string): void {
  const f32 = p.dtype === 'float32';
  const { N, C } = p;
  const fused = wasmSmoothedStats(p, true);
  expect(fused, label).not.toBeNull();
  const got = Float64Array.from(fused!.a.subarray(fused!.at, fused!.at + 4 * N));
  const plain = wasmForwardStats(p, true)!;
  const x = f32 && p.x !== null ? p.x : p.source;
  for (let n = 0; n < N; n++) {
    const i = plain.at + 4 * n;
    for (let s = 0; s < 3; s++) {
      expect(same(got[4 * n + s], plain.a[i + s]), `${label} row ${n} stat ${s}`).toBe(true);
    }
    const m = plain.a[i];
    const lse = f32 ? Math.fround(Math.log(Math.fround(plain.a[i + 1]))) : Math.log(plain.a[i + 1]);
    const want = smoothingOfRow(x, n * C, C, 1, m, lse, p.weight, f32);
    expect(same(got[4 * n + 3], want), `${label} row ${n}: ${got[4 * n + 3]} vs ${want}`).toBe(true);
  }
}

describe('wasm label smoothing pass = smoothingOfRow, to the bit', () => {
  // 8·4·16 float32 = one cascade step; 8·4·16² and 8·4·16³ carry into levels 2 and 3 (and beyond a
  // span, 65 536, for the last); tails of 1–7 elements and of 1–3 vectors.
  const lengths = [8, 9, 15, 31, 33, 100, 513, 1000, 2047, 8195, 50257, 131101];
  for (const dtype of ['float32', 'float64'] as const) {
    for (const weighted of [false, true]) {
      it(`${dtype}${weighted ? ' weighted' : ''}, C = ${lengths.join(', ')}`, () => {
        for (const C of lengths) {
          const N = C > 10000 ? 3 : 5;
          const p = prepared(N, C, dtype, weighted, C * 7 + (weighted ? 1 : 0));
          check(p, `${dtype} C=${C} from source`);
          if (dtype === 'float32') {
            inputOf(p); // the float32 copy: the f32 rows instead of the rounded float64 ones
            expect(p.x).not.toBeNull();
            check(p, `${dtype} C=${C} float32 copy`);
          }
        }
      });
    }
  }

  it('float64 rows long enough for torch’s levelPower 5 (more than 2^19 groups)', () => {
    const C = (1 << 19) * 16 + 16 * 5 + 3;
    check(prepared(1, C, 'float64', false, 99), 'float64 long row');
  });

  it('leaves rows shorter than torch’s vector to the JS side', () => {
    expect(wasmSmoothedStats(prepared(8, 7, 'float32', false, 3), true)).toBeNull();
    expect(wasmSmoothedStats(prepared(16, 3, 'float64', false, 3), true)).toBeNull();
    expect(wasmSmoothedStats(prepared(16, 4, 'float64', false, 3), true)).not.toBeNull();
  });
});
