/**
 * Probability targets (soft and one-hot written as floats) and the gradient with label smoothing
 * against PyTorch, at sizes where their rows run in WebAssembly (wasmProb.ts, wasmSmooth.ts) —
 * through the scratch memory (300 × 37), in chunks or in place in an input workspace (70 × 1000),
 * long rows (3 × 50 257) — and a K-dim input (6, 37, 3) on the general path; with and without a
 * weight and label smoothing, every reduction, float32 and float64; and hostile rows (NaN, +Inf,
 * all −Inf, one −Inf logit, a logit of 400, −0 and NaN targets, an ignored target: the
 * generator's spoil()), where NaN, ±Inf and a zero's sign must be torch's. References:
 * test/fixtures/kernel/target_cases.json from gen_target_cases.py (torch 1.13); the inputs are
 * regenerated here from the same seeds with the same exact arithmetic.
 *
 * Bounds, per value (the worst seen is printed by the last test):
 * - float32 loss: 2.5 ulps of max(|v|, 1) from the float64 computation on the float32-rounded
 *   input ("exact") and from torch's. A loss is −Σ_c log p_c·q_c·w_c: each log p carries lse's
 *   error (Σexp rounded to float32, ≤ 1 ulp of max(|log p|, 1)), and Σ_c q_c·w_c ≤ max w keeps
 *   the sum of those errors at the loss's scale.
 * - float32 gradient g_c = gout_c − p_c·Σgout: 2.5 ulps from exact (8·max(1, C / 1000) from
 *   torch, whose own float32 steps are that far: its Σexp over C classes moves its log p) at the
 *   scale of the steps' operands,
 *   max(|g|, |gout_c|, p_c·|Σgout|·max(1, |log p_c|)): log p_c is within an ulp of its own
 *   magnitude, which exp turns into that relative error of p_c; where p_c·Σgout ≈ gout_c, g
 *   cancels (torch's own float32 values are then hundreds of ulps of |g| from exact);
 *   gout_c = ∂loss/∂log p_c ({@link upstream}); flushed subnormal exps: absolute < 2^−126.
 *   Against torch never tighter than 2.5 ulps plus torch's own distance from exact at that value
 *   (a hostile row's p = 1 off the target makes g = −Σgout, which torch's float32 Σ misses by
 *   ~10 ulps where ours is within 0.1 of exact).
 * - float64: 1e−12 relative to max(|v|, 1) for the loss, to the same scale for the gradient.
 * The same request with the scalar backend (setKernelBackend('scalar')) must meet the same bounds,
 * and the forward, the steps and the gradient's loss must agree to the bit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { crossEntropy, crossEntropySteps, prepare } from '../../../src/core/kernel';
import { setKernelBackend, wasmKernelStats } from '../../../src/core/kernel/wasmForward';
import type { DType, LossRequest, Reduction } from '../../../src/core/types';
import { mulberry32 } from '../../shared/mulberry32';
import { decodeNumber } from './seeded';

interface Expected {
  loss: unknown[];
  grad: unknown[][];
}

interface Case {
  id: string;
  shape: number[];
  seed: number;
  dtype: DType;
  target: 'index' | 'soft' | 'onehot';
  reduction: Reduction;
  label_smoothing: number;
  weighted: boolean;
  hostile: boolean;
  rows: number[];
  cols: number[];
  expect: Expected;
  exact: Expected | null;
}

const file = JSON.parse(readFileSync(join(__dirname, '../../fixtures/kernel/target_cases.json'), 'utf8')) as {
  cases: Case[];
};

/** The generator's make_input, operation for operation. */
function makeRequest(k: Case): LossRequest {
  const [n, c] = k.shape;
  const d = k.shape.length > 2 ? k.shape[2] : 1;
  const r = mulberry32(k.seed);
  const x = new Float64Array(n * c * d);
  for (let i = 0; i < x.length; i++) {
    const u = r();
    const v = r();
    x[i] = (u - 0.5) * 12.0 + (v < 0.01 ? 20.0 : 0.0);
  }
  const samples = n * d;
  let target: LossRequest['target'];
  if (k.target === 'index') {
    const t = new Float64Array(samples);
    for (let s = 0; s < samples; s++) {
      const u = r();
      const v = r();
      t[s] = u < 0.05 ? -100 : Math.min(c - 1, Math.floor(v * c));
    }
    target = { data: t, shape: d > 1 ? [n, d] : [n], integral: true };
  } else {
    const t = new Float64Array(n * c * d);
    for (let s = 0; s < samples; s++) {
      const i = Math.floor(s / d);
      const kk = s % d;
      if (k.target === 'onehot') {
        t[(i * c + Math.min(c - 1, Math.floor(r() * c))) * d + kk] = 1.0;
      } else {
        const u = Array.from({ length: c }, () => r());
        let total = 0;
        for (const v of u) total += v;
        for (let j = 0; j < c; j++) t[(i * c + j) * d + kk] = u[j] / total;
      }
    }
    target = { data: t, shape: k.shape, integral: false };
  }
  const w = Float64Array.from({ length: c }, () => 0.5 + r());
  if (k.hostile) spoil(x, target.data as Float64Array, c, k.target);
  return {
    input: { data: x, shape: k.shape, integral: false },
    target,
    weight: k.weighted ? { data: w, shape: [c], integral: false } : null,
    ignoreIndex: -100,
    reduction: k.reduction,
    labelSmoothing: k.label_smoothing,
    dtype: k.dtype,
    inputKind: 'logits',
  };
}

/** The generator's spoil(): the hostile rows 1–7 (NaN, +Inf, −Inf logits; −0 and NaN targets). */
function spoil(x: Float64Array, t: Float64Array, c: number, target: Case['target']): void {
  x[1 * c + 5] = NaN;
  x[2 * c + 1] = Infinity;
  x.fill(-Infinity, 3 * c, 4 * c);
  x[4 * c + 7] = 400;
  x[5 * c + 2] = -Infinity;
  if (target === 'index') {
    t[6] = -100;
    x[7 * c + t[7]] = -Infinity;
  } else {
    t.fill(-0, 6 * c, 7 * c);
    t[7 * c + 3] = NaN;
  }
}

const f32Cell = new Float32Array(1);
const u32Cell = new Uint32Array(f32Cell.buffer);
function ulp32(v: number): number {
  f32Cell[0] = Math.abs(v);
  const e = (u32Cell[0] >>> 23) & 0xff;
  return e === 0 ? 2 ** -149 : 2 ** (e - 150);
}

const same = (a: number, b: number): boolean => Object.is(a, b) || (a !== a && b !== b) || a === b;

/** Deviation of `a` from `b`: float32 ulps at `scale`, or float64 relative to `scale`. */
function deviation(a: number, b: number, scale: number, f32: boolean): number {
  if (same(a, b)) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  return f32 ? Math.abs(a - b) / ulp32(scale) : Math.abs(a - b) / scale;
}

const worst = new Map<string, number>();
function note(what: string, v: number): void {
  worst.set(what, Math.max(worst.get(what) ?? 0, v));
}

/**
 * gout(n, c, k) = ∂loss/∂log p of sample (n, k) at class c, in float64 (a scale, not a reference):
 * the upstream gradient g0 = −1/D (mean) or −1 times q_c·w_c (probability targets, q smoothed) or
 * w_c·(ε/C) plus w_t·(1 − ε) at the target (index targets); 0 for an ignored sample.
 */
function upstream(k: Case, req: LossRequest): (n: number, c: number, kk: number) => number {
  const [N, C] = k.shape;
  const d = k.shape.length > 2 ? k.shape[2] : 1;
  const eps = k.label_smoothing;
  const w = (c: number): number => (req.weight ? req.weight.data[c] : 1);
  const t = req.target.data;
  let D = N * d;
  if (k.target === 'index') {
    D = 0;
    for (let s = 0; s < N * d; s++) if (t[s] !== -100) D += w(t[s]);
  }
  const g0 = k.reduction === 'mean' ? 1 / D : 1;
  return (n, c, kk) => {
    if (k.target !== 'index') return g0 * w(c) * (t[(n * C + c) * d + kk] * (1 - eps) + eps / C);
    const ti = t[n * d + kk];
    if (ti === -100) return 0;
    return g0 * w(c) * (eps / C + (c === ti ? 1 - eps : 0));
  };
}

afterEach(() => setKernelBackend('auto'));

describe('probability targets and label-smoothing gradients vs PyTorch (target_cases.json)', () => {
  for (const backend of ['auto', 'scalar'] as const) {
    for (const k of file.cases) {
      it(`${backend}: ${k.id}`, () => {
        setKernelBackend(backend);
        const f32 = k.dtype === 'float32';
        // float32: against exact 2.5 ulps; against torch the loss likewise, the gradient 8 ulps ×
        // max(1, C / 1000) (torch's own float32 steps: its Σexp over C classes moves its log p).
        const bounds = (name: string): [number, number] =>
          !f32 ? [1e-12, 1e-12] : name === 'exact' ? [2.5, 2.5] : [2.5, 8 * Math.max(1, k.shape[1] / 1000)];
        const p = prepare(makeRequest(k));
        const before = wasmKernelStats().wasmRows;
        const fwd = crossEntropy(p);
        // The rows of (N, C) inputs run in wasm with the auto backend, none with the scalar one.
        const inWasm = wasmKernelStats().wasmRows > before;
        expect(inWasm).toBe(backend === 'auto' && k.shape.length === 2);
        const steps = crossEntropySteps(p);
        const g = crossEntropy(p, true);
        expect(same(steps.loss, fwd.loss), 'steps loss = forward loss').toBe(true);
        expect(same(g.loss, fwd.loss), 'gradient loss = forward loss').toBe(true);
        const losses = k.reduction === 'none' ? Array.from(fwd.losses) : [fwd.loss];
        for (const [ref, name] of [
          [k.expect, 'torch'],
          [k.exact, 'exact'],
        ] as const) {
          if (!ref) continue;
          const [lossBound, gradBound] = bounds(name);
          expect(losses.length).toBe(ref.loss.length);
          losses.forEach((v, i) => {
            const want = decodeNumber(ref.loss[i]);
            const dv = deviation(v, want, Math.max(Math.abs(want), 1), f32);
            // Hostile rows: a zero's sign as torch's too (a row of −0 targets loses −0).
            if (k.hostile && v === 0 && want === 0) expect(Object.is(v, want), `loss[${i}] ${v} vs ${want}`).toBe(true);
            note(`${k.dtype} loss vs ${name}`, dv);
            expect(dv, `loss[${i}] ${v} vs ${name} ${want}`).toBeLessThanOrEqual(lossBound);
          });
          const [n, c] = k.shape;
          const d = k.shape.length > 2 ? k.shape[2] : 1;
          const grad = g.grad as ArrayLike<number>;
          const gout = upstream(k, makeRequest(k));
          k.rows.forEach((r, ri) => {
            k.cols.forEach((col, ci) => {
              const want = decodeNumber(ref.grad[ri][ci]);
              const got = grad[(r * c + col) * d + d - 1];
              // g = gout − p·Σgout (gout ≤ 0, Σgout < 0): the scale of the operands, |g|, |gout| and
              // p·|Σgout| = g + |gout| times max(1, |log p|) (log p's ulp is that of |log p|,
              // which exp turns into a relative error of p).
              const up = Math.abs(gout(r, col, d - 1));
              const lsm = Math.abs(steps.logSoftmax[(r * c + col) * d + d - 1]);
              // log p = −Inf (p = 0, g = gout exactly) or NaN: no scale from it.
              const lp = Number.isFinite(lsm) ? lsm : 1;
              const ps = Math.abs(want + up) * Math.max(1, lp);
              const scale = Math.max(Math.abs(want), up, ps, f32 ? 0 : 1e-300);
              let dv = deviation(got, want, scale, f32);
              // Against torch, float32: never tighter than torch's own distance from exact plus
              // the exact bound. Where p_c = 1 at a class other than the target (a logit of 400),
              // g_c = −Σgout exactly, and torch's float32 Σ over C classes is ~10 ulps off it.
              let bound = gradBound;
              if (f32 && name === 'torch' && k.exact) {
                const off = deviation(want, decodeNumber(k.exact.grad[ri][ci]), scale, f32);
                bound = Math.max(bound, 2.5 + off);
              }
              // Flushed exps: absolute < 2^−126 of the row's upstream scale.
              if (f32 && Math.abs(got - want) < 2 ** -126) dv = 0;
              if (k.hostile && got === 0 && want === 0)
                expect(Object.is(got, want), `grad[${r}][${col}] ${got} vs ${name} ${want}`).toBe(true);
              note(`${k.dtype} grad vs ${name}`, dv);
              expect(dv, `grad[${r}][${col}] ${got} vs ${name} ${want}`).toBeLessThanOrEqual(bound);
            });
          });
          void n;
        }
      });
    }
  }

  it('worst deviations (printed)', () => {
    for (const [what, v] of [...worst].sort()) console.log(`  ${what}: ${v.toExponential(3)}`);
    expect(worst.size).toBeGreaterThan(0);
  });
});
