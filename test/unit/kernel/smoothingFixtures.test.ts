/**
 * Label smoothing with index targets against PyTorch at large C (C = 1000 and 50 257; (N, C) rows
 * that run in WebAssembly and K-dim inputs that run in scalar JS; ε 0.1 and 0.05; with and without
 * a weight; ignore_index; every reduction; float32 and float64). References:
 * test/fixtures/kernel/smoothing_cases.json from gen_smoothing_cases.py (torch 1.13); the inputs
 * are regenerated here from the same seeds with the same exact arithmetic.
 *
 * The sums: torch's own float32 and float64 sums of values both sides make exactly, along
 * contiguous rows, along the classes of K-dim tensors and over whole tensors, must equal
 * torchSumOf's to the bit (smoothing.ts reproduces torch's order).
 * The losses: torch's float32 log_softmax carries the error of its float32 Σexp (its lse is off by
 * up to ~1e−5 at C = 50 257, ~20 ulps), and the smoothing part sums C of them, so torch's own
 * float32 numbers are several ulps from the exact ones; ours are checked against the same
 * computation in float64 on the float32-rounded input ("exact"): each smoothing part within
 * 3e−7 relative (1.7e−7 measured) (its C terms ≤ 1 ulp each, mostly cancelling, and the float32 sum), each loss and
 * the reduced loss within 2 ulps (one rounding of each of the two products and of their sum, of
 * terms ≥ 0 that cannot cancel). The worst deviations of ours and of torch's are printed.
 * float64: 1e−12 relative from torch's.
 * Whichever path runs, the forward, the steps, the breakdown and the shown gradient agree to the bit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  computeLoss,
  crossEntropy,
  crossEntropySteps,
  gradient,
  gradientRow,
  prepare,
  sampleBreakdown,
} from '../../../src/core/kernel';
import { rowsInWasm } from '../../../src/core/kernel/crossEntropy';
import { smoothedLoss, smoothingOfLogp, torchSumOf } from '../../../src/core/kernel/smoothing';
import { setKernelBackend, wasmKernelStats } from '../../../src/core/kernel/wasmForward';
import type { DType, LossRequest, Reduction } from '../../../src/core/types';
import { decode, same, ulp32 } from './floatCompare';
import { xorshift32 } from './xorshift32';

interface Case {
  id: string;
  shape: number[];
  seed: number;
  dtype: DType;
  reduction: Reduction;
  label_smoothing: number;
  weighted: boolean;
  expect: { loss: unknown[]; smooth: unknown[] };
  exact: { loss: unknown[]; smooth: unknown[] } | null;
  /** torch's float64 log_softmax of the last element's row (the small cases). */
  last_log_softmax?: unknown[];
}

interface SumCase {
  shape: number[];
  seed: number;
  dtype: DType;
  dim1: unknown[];
  all: unknown;
}

const file = JSON.parse(readFileSync(join(__dirname, '../../fixtures/kernel/smoothing_cases.json'), 'utf8')) as {
  cases: Case[];
  sums: SumCase[];
};

/** The generator's make_input, operation for operation. */
function makeRequest(k: Case): LossRequest {
  const [n, c] = k.shape;
  const d = k.shape.length > 2 ? k.shape[2] : 1;
  const r = xorshift32(k.seed);
  const x = new Float64Array(n * c * d);
  for (let i = 0; i < x.length; i++) {
    const u = r();
    const v = r();
    x[i] = (u - 0.5) * 16.0 + (v < 0.02 ? 12.0 : 0.0);
  }
  const t = new Float64Array(n * d);
  for (let i = 0; i < t.length; i++) {
    const u = r();
    const v = r();
    t[i] = i === 0 || u < 0.06 ? -100 : Math.min(c - 1, Math.floor(v * c));
  }
  const w = Float64Array.from({ length: c }, () => 0.25 + 1.5 * r());
  return {
    input: { data: x, shape: k.shape, integral: false },
    target: { data: t, shape: d > 1 ? [n, d] : [n], integral: true },
    weight: k.weighted ? { data: w, shape: [c], integral: false } : null,
    ignoreIndex: -100,
    reduction: k.reduction,
    labelSmoothing: k.label_smoothing,
    dtype: k.dtype,
    inputKind: 'logits',
  };
}

afterEach(() => setKernelBackend('auto'));

/** Worst deviations, printed by the last test. */
const worst: Record<string, number> = {};
function note(key: string, v: number): void {
  worst[key] = Math.max(worst[key] ?? 0, v);
}

/** |a − b| in float32 ulps of b, or relative for float64. */
function dev(a: number, b: number, f32: boolean): number {
  if (same(a, b)) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  return f32 ? Math.abs(a - b) / ulp32(b) : Math.abs(a - b) / Math.abs(b);
}

function rel(a: number, b: number): number {
  return same(a, b) ? 0 : Math.abs(a - b) / Math.abs(b);
}

describe('torch sums in torch order (smoothing_cases.json "sums")', () => {
  it('covers rows, K-dim classes and whole tensors in both dtypes', () => {
    expect(file.sums.length).toBe(22);
    expect(file.sums.some((k) => k.shape.length === 3 && k.shape[1] === 50257)).toBe(true);
  });

  for (const k of file.sums) {
    it(`${k.dtype} ${k.shape.join('×')}`, () => {
      const f32 = k.dtype === 'float32';
      const r = xorshift32(k.seed);
      const count = k.shape.reduce((a, b) => a * b, 1);
      const v = f32 ? new Float32Array(count) : new Float64Array(count);
      for (let i = 0; i < count; i++) v[i] = (r() - 0.5) * 64.0;
      const [n, c] = k.shape;
      const d = k.shape.length > 2 ? k.shape[2] : 1;
      const want = k.dim1.map(decode);
      const col = f32 ? new Float32Array(c) : new Float64Array(c);
      for (let a = 0; a < n; a++)
        for (let j = 0; j < d; j++) {
          for (let q = 0; q < c; q++) col[q] = v[a * c * d + q * d + j];
          const got = torchSumOf(col, c, f32, d === 1);
          expect(same(got, want[a * d + j]), `dim1 [${a}, ${j}] ${got} vs torch ${want[a * d + j]}`).toBe(true);
        }
      const all = torchSumOf(v, count, f32, true);
      expect(same(all, decode(k.all)), `all ${all} vs torch ${decode(k.all)}`).toBe(true);
    });
  }
});

describe('label smoothing at large C vs PyTorch (smoothing_cases.json)', () => {
  it('has the cases: both dtypes, C = 1000 and 50 257, (N, C) and K-dim, weights, every reduction', () => {
    expect(file.cases.length).toBe(46);
    const c = file.cases;
    expect(new Set(c.map((k) => k.shape[1]))).toEqual(new Set([4, 8, 100, 1000, 1001, 50257]));
    // Small weighted float64 inputs with ignored targets, whose steps run through the scratch
    // workspace, carry torch's log_softmax of a row.
    expect(c.filter((k) => k.last_log_softmax && k.weighted && k.dtype === 'float64').length).toBe(8);
    expect(c.some((k) => k.shape.length === 3)).toBe(true);
    expect(new Set(c.map((k) => k.label_smoothing))).toEqual(new Set([0.1, 0.05]));
    for (const r of ['none', 'mean', 'sum'])
      for (const dt of ['float32', 'float64'])
        for (const w of [true, false])
          expect(
            c.some((k) => k.reduction === r && k.dtype === dt && k.weighted === w),
            `${r} ${dt} ${w}`,
          ).toBe(true);
  });

  for (const k of file.cases) {
    for (const backend of ['auto', 'scalar'] as const) {
      it(`${backend}: ${k.id}`, () => {
        setKernelBackend(backend);
        const req = makeRequest(k);
        const f32 = k.dtype === 'float32';
        const out = computeLoss(req);
        if (!out.ok) throw new Error(out.error.message);
        const { prepared: p, result } = out;
        const kdim = k.shape.length > 2;
        expect(rowsInWasm(p), 'rows in wasm').toBe(backend === 'auto' && !kdim);
        const before = wasmKernelStats().wasmCalls;
        crossEntropy(prepare(req));
        expect(wasmKernelStats().wasmCalls > before, 'ran in wasm').toBe(backend === 'auto' && !kdim);
        // Per element: the smoothing part from the breakdown's log p (the forward's), summed in
        // torch's order, is torch's to the bit; the forward's loss is made of it and of the nll
        // part at the target.
        const wantSmooth = k.expect.smooth.map(decode);
        const E = p.N * p.S;
        expect(wantSmooth.length).toBe(E);
        const lossesTorch = k.expect.loss.map(decode);
        const weight = p.weight;
        for (let e = 0; e < E; e++) {
          const b = sampleBreakdown(p, result, e);
          if (b.ignored) {
            expect(wantSmooth[e]).toBe(0);
            expect(result.losses[e]).toBe(0);
            continue;
          }
          const logp = Float64Array.from(b.logSoftmax);
          const part = smoothingOfLogp(logp, p.C, p.S, weight, f32);
          const t = b.target as number;
          const nll = f32 ? Math.fround(-(logp[t] * b.weight[t])) : -(logp[t] * b.weight[t]);
          expect(same(result.losses[e], smoothedLoss(nll, part, p.labelSmoothing, p.C, f32)), `loss[${e}]`).toBe(true);
          if (f32) {
            const exact = decode(k.exact!.smooth[e]);
            note('float32 smoothing part vs exact (relative)', rel(part, exact));
            note('torch float32 smoothing part vs exact (relative)', rel(wantSmooth[e], exact));
            expect(rel(part, exact), `smooth[${e}] ${part} vs exact ${exact}`).toBeLessThanOrEqual(3e-7);
          } else {
            note('float64 smoothing part vs torch (relative)', rel(part, wantSmooth[e]));
            expect(rel(part, wantSmooth[e]), `smooth[${e}] ${part} vs torch ${wantSmooth[e]}`).toBeLessThanOrEqual(
              1e-12,
            );
          }
        }
        const got = k.reduction === 'none' ? Array.from(result.losses) : [result.loss];
        expect(got.length).toBe(lossesTorch.length);
        got.forEach((v, i) => {
          if (f32) {
            const exact = decode(k.exact!.loss[i]);
            note('float32 loss vs exact (ulps)', dev(v, Math.fround(exact), true));
            note('torch float32 loss vs exact (ulps)', dev(lossesTorch[i], Math.fround(exact), true));
            expect(dev(v, Math.fround(exact), true), `loss[${i}] ${v} vs exact ${exact}`).toBeLessThanOrEqual(2);
          } else {
            note('float64 loss vs torch (relative)', dev(v, lossesTorch[i], false));
            expect(dev(v, lossesTorch[i], false), `loss[${i}] ${v} vs torch ${lossesTorch[i]}`).toBeLessThanOrEqual(
              1e-12,
            );
          }
        });
        // The other ways to the same numbers agree to the bit: a forward on a fresh Prepared, the
        // steps (loss, losses, log_softmax = the breakdown's), a gradient's forward, and the
        // shown gradient row = that row of the full gradient.
        const p2 = prepare(req);
        const fwd = crossEntropy(p2);
        expect(same(fwd.loss, result.loss)).toBe(true);
        expect(Array.from(fwd.losses)).toEqual(Array.from(result.losses));
        const steps = crossEntropySteps(p2);
        expect(same(steps.loss, result.loss), `steps ${steps.loss} vs ${result.loss}`).toBe(true);
        expect(Array.from(steps.losses)).toEqual(Array.from(result.losses));
        const last = E - 1;
        const bl = sampleBreakdown(p, result, last);
        const base = Math.floor(last / p.S) * p.C * p.S + (last % p.S);
        if (k.last_log_softmax) {
          const want = k.last_log_softmax.map(decode);
          expect(want.length).toBe(p.C);
          // Relative to max(|v|, 1), as wasmFixtures does: a log p near 0 is −lse + (x_t − max) with
          // lse near 0, whose last-place error (Σexp's order) is large relative to it.
          want.forEach((v, c) => {
            const got = steps.logSoftmax[base + c * p.S];
            const d = same(got, v) ? 0 : Math.abs(got - v) / Math.max(Math.abs(v), 1);
            note('float64 steps log_softmax vs torch (relative to max(|v|, 1))', d);
            expect(d, `log_softmax[${last}][${c}] ${got} vs torch ${v}`).toBeLessThanOrEqual(1e-12);
          });
        }
        for (let c = 0; c < p.C; c += 97)
          expect(same(steps.logSoftmax[base + c * p.S], bl.logSoftmax[c]), `log_softmax[${last}][${c}]`).toBe(true);
        const g = crossEntropy(prepare(req), true);
        expect(same(g.loss, result.loss)).toBe(true);
        // The shown row of a fresh forward's Prepared: when that forward made no float32 copy of
        // the input (wasm rows read the float64 source), the row is read and rounded alone.
        const fresh = computeLoss(req);
        if (!fresh.ok) throw new Error(fresh.error.message);
        const uncopied = fresh.prepared.x === null;
        const classes = [p.C - 1, 0, Math.floor(p.C / 2)];
        const picked = gradientRow(fresh.prepared, fresh.result, last, classes);
        if (uncopied) expect(fresh.prepared.x, 'a copy of the input').toBeNull();
        const row = gradientRow(p, result, last);
        const whole = gradient(p, result);
        classes.forEach((c, k) => expect(same(picked[k], whole[base + c * p.S]), `grad[${last}][${c}]`).toBe(true));
        for (let c = 0; c < p.C; c += 97) {
          expect(same(row[c], whole[base + c * p.S]), `grad[${last}][${c}]`).toBe(true);
          expect(same(row[c], (g.grad as Float64Array)[base + c * p.S]), `grad[${last}][${c}] vs the gradient's`).toBe(
            true,
          );
        }
      });
    }
  }

  it('worst deviations (printed)', () => {
    console.log('label smoothing, worst deviations:', JSON.stringify(worst));
    expect(Object.keys(worst).length).toBeGreaterThan(0);
  });
});
