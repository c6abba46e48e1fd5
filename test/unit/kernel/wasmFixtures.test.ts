/**
 * The kernel's WebAssembly paths against PyTorch at sizes where they run: the float64 SIMD path,
 * the fused gradient and the materialised steps, through the scratch memory (300 × 37), in place
 * in an input workspace (70 × 1000) and span by span (6 × 70 001); float32 and float64, every
 * reduction, weights, ignored targets, NaN / −Inf / underflowing rows. References:
 * test/fixtures/kernel/wasm_cases.json from gen_wasm_cases.py (torch 1.13); the inputs are
 * regenerated here from the same seeds with the same exact arithmetic.
 *
 * Each of our float32 steps is within 1 ulp of the correctly rounded step given the previous one
 * (wasmPaths.test.ts); torch's are not exact either (it adds Σexp in float32 lanes; its softmax is
 * up to 10 ulps from exp(x − max) / Σ computed exactly here). So, per value:
 * - float32 loss: 1 ulp from torch's and 1.5 from the float64 computation on the same float32
 *   input ("exact"), at the scale max(|loss|, 1) (Σexp ≥ 1 fixes the scale of lse's error).
 * - float32 log_softmax = (x − max) − lse: 1.5 ulps from exact, 3 from torch (whose float32 Σ
 *   moves its lse), at max(|log p|, 1).
 * - float32 softmax: 3 ulps from exp(x − max) / Σ computed exactly from our float32 x − max
 *   (exp ≤ 1 ulp, Σ rounded to float32, then e·(1/Σ) with the reciprocal rounded, as torch's
 *   softmax over the last dimension forms it), 12 from torch's; where the result is
 *   subnormal ours is 0 (flushed, absolute error < 2^−126).
 * - float32 gradient = 0 − exp(log p)·s (+ s at the target): log p may differ from torch's by 2
 *   ulps of max(|log p|, 1), which exp turns into a relative error of that size; then 2 ulps of
 *   |g|, and at the target, where g = s − p·s may cancel, 1 ulp of |s|; subnormal: < 2^−126.
 * - float64: 1e−12 relative; log_softmax 1e−12 at the scale max(|log p|, 1) (Σ ≥ 1 rounds to
 *   1.1e−16 absolute, which a log p near 0 cannot be relative to).
 * Measured worst deviations are printed by the last test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { computeLoss, crossEntropy, crossEntropySteps, prepare } from '../../../src/core/kernel';
import { existingInputSpace, inputWorkspaceMinElements } from '../../../src/core/kernel/input';
import { setKernelBackend, wasmKernelStats } from '../../../src/core/kernel/wasmForward';
import type { DType, LossRequest, Reduction } from '../../../src/core/types';
import { mulberry32 } from '../../shared/mulberry32';
import { decodeNumber } from './seeded';

interface Case {
  id: string;
  n: number;
  c: number;
  seed: number;
  specials: boolean;
  dtype: DType;
  reduction: Reduction;
  weighted: boolean;
  rows: number[];
  cols: number[];
  expect: Expected;
  /** float32 cases: the same in float64 from the float32-rounded input. */
  exact: Expected | null;
}

interface Expected {
  loss: unknown[];
  log_softmax: unknown[][];
  softmax: unknown[][];
  grad: unknown[][];
}

const file = JSON.parse(readFileSync(join(__dirname, '../../fixtures/kernel/wasm_cases.json'), 'utf8')) as {
  cases: Case[];
};

/** The generator's make_input, operation for operation. */
function makeRequest(k: Case): LossRequest {
  const { n, c } = k;
  const r = mulberry32(k.seed);
  const x = new Float64Array(n * c);
  for (let i = 0; i < n * c; i++) {
    const u = r();
    const v = r();
    x[i] = (u - 0.5) * 12.0 + (v < 0.01 ? 20.0 : 0.0);
  }
  if (k.specials && n > 3) {
    x[c + Math.min(7, c - 1)] = NaN;
    for (let j = 0; j < Math.min(4, c); j++) x[2 * c + j] = -Infinity;
    for (let j = 0; j < c; j++) x[3 * c + j] = -200.0 * r();
  }
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = r();
    const v = r();
    t[i] = u < 0.05 ? -100 : Math.min(c - 1, Math.floor(v * c));
  }
  const w = Float64Array.from({ length: c }, () => 0.5 + r());
  return {
    input: { data: x, shape: [n, c], integral: false },
    target: { data: t, shape: [n], integral: true },
    weight: k.weighted ? { data: w, shape: [c], integral: false } : null,
    ignoreIndex: -100,
    reduction: k.reduction,
    labelSmoothing: 0,
    dtype: k.dtype,
    inputKind: 'logits',
  };
}

const f32Cell = new Float32Array(1);
const u32Cell = new Uint32Array(f32Cell.buffer);
function ulp32(v: number): number {
  f32Cell[0] = Math.abs(v);
  const e = (u32Cell[0] >>> 23) & 0xff;
  return e === 0 ? 2 ** -149 : 2 ** (e - 150);
}

function same(a: number, b: number): boolean {
  return Object.is(a, b) || (a !== a && b !== b) || a === b;
}

/** Deviation of `a` from torch's `b` in float32 ulps at `scale` (≥ |b|), or 0 when identical. */
function ulps(a: number, b: number, scale: number): number {
  if (same(a, b)) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  return Math.abs(a - b) / ulp32(Math.max(Math.abs(b), scale));
}

function rel64(a: number, b: number): number {
  if (same(a, b)) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  const d = Math.abs(a - b);
  return d <= 1e-300 ? 0 : d / Math.abs(b);
}

afterEach(() => setKernelBackend('auto'));

/** Per row the upstream gradient at the target, w_t·(−1/D) (mean) or −w_t, as torch forms it. */
function upstream(req: LossRequest): Float64Array {
  const f32 = req.dtype === 'float32';
  const round = f32 ? Math.fround : (v: number): number => v;
  const t = req.target.data;
  const w = req.weight?.data;
  let den = 0;
  for (const ti of t) if (ti !== -100) den += w ? round(w[ti]) : 1;
  const g0 = req.reduction === 'mean' ? round(-round(1 / round(den))) : -1;
  return Float64Array.from(t, (ti) => (ti === -100 ? 0 : round((w ? round(w[ti]) : 1) * g0)));
}

/** Worst deviations over all cases, per dtype and quantity (printed at the end). */
const worst: Record<string, number> = {};
function note(key: string, v: number): void {
  worst[key] = Math.max(worst[key] ?? 0, v);
}

describe('kernel wasm paths vs PyTorch (wasm_cases.json)', () => {
  it('has the cases: both dtypes, scratch, workspace and span sizes', () => {
    expect(file.cases.length).toBe(18);
    expect(new Set(file.cases.map((k) => `${k.n}x${k.c}`))).toEqual(new Set(['300x37', '70x1000', '6x70001']));
  });

  for (const k of file.cases) {
    it(k.id, () => {
      const req = makeRequest(k);
      const f32 = k.dtype === 'float32';
      const p = prepare(req);
      const before = wasmKernelStats().wasmCalls;
      const fwd = crossEntropy(p);
      expect(wasmKernelStats().wasmCalls, 'ran in wasm').toBe(before + 1);
      expect(existingInputSpace(p) !== null).toBe(k.n * k.c >= inputWorkspaceMinElements);
      const oneShot = computeLoss(req);
      if (!oneShot.ok) throw new Error(oneShot.error.message);
      expect(Array.from(oneShot.result.losses)).toEqual(Array.from(fwd.losses));

      // Loss: the reduced value, or every sample's.
      const want = k.expect.loss.map(decodeNumber);
      const got = k.reduction === 'none' ? Array.from(fwd.losses) : [fwd.loss];
      expect(got.length).toBe(want.length);
      got.forEach((v, i) => {
        if (f32) {
          const dExact = ulps(v, decodeNumber((k.exact as Expected).loss[i]), 1);
          note('float32 loss vs exact', dExact);
          expect(dExact, `loss[${i}] ${v} vs exact`).toBeLessThanOrEqual(1.5);
          const d = ulps(v, want[i], 1);
          note('float32 loss vs torch', d);
          expect(d, `loss[${i}] ${v} vs torch ${want[i]}`).toBeLessThanOrEqual(1);
        } else {
          const d = rel64(v, want[i]);
          note(`${k.dtype} loss`, d);
          expect(d, `loss[${i}] ${v} vs torch ${want[i]}`).toBeLessThanOrEqual(1e-12);
        }
      });

      const steps = crossEntropySteps(p);
      expect(Object.is(steps.loss, fwd.loss) || (steps.loss !== steps.loss && fwd.loss !== fwd.loss)).toBe(true);
      const lsm = Array.from(steps.logSoftmax);
      const sm = Array.from(steps.softmax);
      const g = crossEntropy(p, true);
      expect(Object.is(g.loss, fwd.loss) || (g.loss !== g.loss && fwd.loss !== fwd.loss)).toBe(true);
      const grad = g.grad as Float32Array | Float64Array;
      expect(grad).toBeInstanceOf(f32 ? Float32Array : Float64Array);
      const gout = upstream(req);
      // Per checked row, Σ exp(fround(x − max)) in float64 with Math.exp: the exact steps' Σ.
      const xs = req.input.data;
      const sumRef = k.rows.map((row) => {
        let acc = 0;
        for (let c = 0; c < k.c; c++) acc += Math.exp(Math.fround(Math.fround(xs[row * k.c + c]) - steps.max[row]));
        return acc;
      });

      k.rows.forEach((row, ri) => {
        k.cols.forEach((col, ci) => {
          const i = row * k.c + col;
          const tl = decodeNumber(k.expect.log_softmax[ri][ci]);
          const ts = decodeNumber(k.expect.softmax[ri][ci]);
          const tg = decodeNumber(k.expect.grad[ri][ci]);
          const where = `[${row}][${col}]`;
          if (f32) {
            const ex = k.exact as Expected;
            const el = decodeNumber(ex.log_softmax[ri][ci]);
            const dlExact = ulps(lsm[i], el, 1);
            const dlTorch = ulps(lsm[i], tl, 1);
            // softmax step by step in float64 from our float32 x − max: exp(y) / Σ exp(y).
            const y = Math.fround(Math.fround(xs[i]) - steps.max[row]);
            const ref = Math.exp(y) / sumRef[ri];
            const dsRef = ref < 2 ** -126 ? (Math.abs(sm[i] - ref) < 2 ** -126 ? 0 : Infinity) : ulps(sm[i], ref, 0);
            const dsTorch = ts < 2 ** -126 ? (Math.abs(sm[i] - ts) < 2 ** -126 ? 0 : Infinity) : ulps(sm[i], ts, 0);
            if (ref >= 2 ** -126) note('torch softmax vs exact steps (ulps)', ulps(ts, ref, 0));
            const atTarget = col === req.target.data[row];
            const sRow = Math.abs(gout[row]);
            const bound =
              2 * ulp32(Math.abs(tg)) +
              sRow * Math.exp(tl) * 2 * ulp32(Math.max(Math.abs(tl), 1)) +
              (atTarget ? ulp32(sRow) : 0);
            const dg = same(grad[i], tg)
              ? 0
              : Math.abs(tg) < 2 ** -126
                ? Math.abs(grad[i] - tg) < 2 ** -126
                  ? 0
                  : Infinity
                : Math.abs(grad[i] - tg) / bound;
            note('float32 log_softmax vs exact', dlExact);
            note('float32 log_softmax vs torch', dlTorch);
            note('float32 softmax vs exact steps', dsRef);
            note('float32 softmax vs torch', dsTorch);
            note('float32 grad vs torch (/bound)', dg);
            expect(dlExact, `log_softmax${where} ${lsm[i]} vs exact ${el}`).toBeLessThanOrEqual(1.5);
            expect(dlTorch, `log_softmax${where} ${lsm[i]} vs torch ${tl}`).toBeLessThanOrEqual(3);
            expect(dsRef, `softmax${where} ${sm[i]} vs exact steps ${ref}`).toBeLessThanOrEqual(3);
            expect(dsTorch, `softmax${where} ${sm[i]} vs torch ${ts}`).toBeLessThanOrEqual(12);
            expect(dg, `grad${where} ${grad[i]} vs torch ${tg}`).toBeLessThanOrEqual(1);
          } else {
            const dl = same(lsm[i], tl) ? 0 : Math.abs(lsm[i] - tl) / Math.max(Math.abs(tl), 1);
            const ds = rel64(sm[i], ts);
            const dg = rel64(grad[i], tg);
            note('float64 log_softmax', dl);
            note('float64 softmax', ds);
            note('float64 grad', dg);
            expect(dl, `log_softmax${where} ${lsm[i]} vs torch ${tl}`).toBeLessThanOrEqual(1e-12);
            expect(ds, `softmax${where} ${sm[i]} vs torch ${ts}`).toBeLessThanOrEqual(1e-12);
            expect(dg, `grad${where} ${grad[i]} vs torch ${tg}`).toBeLessThanOrEqual(1e-12);
          }
        });
      });
    });
  }

  it('worst deviations (printed)', () => {
    console.log('worst deviation from torch:', JSON.stringify(worst));
    expect(Object.keys(worst).length).toBeGreaterThan(0);
  });
});
