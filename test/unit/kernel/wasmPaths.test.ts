/**
 * The wasm paths step by step: each step of the fused float32 steps and gradient is the stated
 * operation on the previous step's value, rounded once (bit for bit, given the kernel's exp);
 * the float32 Σexp is within 1 ulp of the correctly rounded sum; the float64 path (exp in f64x2
 * lanes, forward, steps, gradient) within 1e−12 of the scalar float64 path (Math.exp) on rows with
 * extreme and non-finite values; and the float64 exp within 2 ulps of Math.exp, subnormals
 * included.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { crossEntropy, crossEntropySteps, prepare } from '../../../src/core/kernel';
import { setKernelBackend, wasmExp, wasmRowStats } from '../../../src/core/kernel/wasmForward';
import type { DType, LossRequest, Reduction } from '../../../src/core/types';
// mulberry32, seeded: the same rows on every run.
import { mulberry32 as rng } from '../../shared/mulberry32';

const fround = Math.fround;

afterEach(() => setKernelBackend('auto'));

type RowKind = 'normal' | 'spread' | 'huge' | 'specials' | 'allNegInf' | 'constant' | 'deep';
const kinds: RowKind[] = ['normal', 'spread', 'huge', 'specials', 'allNegInf', 'constant', 'deep'];

function request(
  N: number,
  C: number,
  seed: number,
  dtype: DType,
  reduction: Reduction,
  withWeight: boolean,
  only?: RowKind,
): LossRequest {
  const r = rng(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const data = new Float64Array(N * C);
  for (let n = 0; n < N; n++) {
    const kind = only ?? kinds[Math.floor(r() * kinds.length)];
    const offset = (r() - 0.5) * 2e4;
    for (let c = 0; c < C; c++) {
      let v: number;
      const u = r();
      if (kind === 'normal') v = 3 * gauss();
      else if (kind === 'spread') v = -200 * u + (r() < 0.1 ? 50 : 0);
      // float64 exps below 2^−1022 and down to 0: x − max to −800.
      else if (kind === 'deep') v = -800 * u;
      else if (kind === 'huge') v = u < 0.05 ? (r() < 0.5 ? -3e38 : 3e38) : offset + 10 * gauss();
      else if (kind === 'specials') v = u < 0.04 ? NaN : u < 0.08 ? Infinity : u < 0.2 ? -Infinity : gauss();
      else if (kind === 'allNegInf') v = -Infinity;
      else v = 1.25;
      data[n * C + c] = v;
    }
  }
  const targets = Float64Array.from({ length: N }, () => (r() < 0.05 ? -100 : Math.floor(r() * C)));
  const weight = withWeight ? Float64Array.from({ length: C }, () => (r() < 0.1 ? 0 : 0.1 + 3 * r())) : null;
  return {
    input: { data, shape: [N, C], integral: false },
    target: { data: targets, shape: [N], integral: true },
    weight: weight ? { data: weight, shape: [C], integral: false } : null,
    ignoreIndex: -100,
    reduction,
    labelSmoothing: 0,
    dtype,
    inputKind: 'logits',
  };
}

function same(a: number, b: number): boolean {
  return Object.is(a, b) || (a !== a && b !== b);
}

const f32Cell = new Float32Array(1);
const u32Cell = new Uint32Array(f32Cell.buffer);
function ulp32(v: number): number {
  f32Cell[0] = Math.abs(v);
  const e = (u32Cell[0] >>> 23) & 0xff;
  return e === 0 ? 2 ** -149 : 2 ** (e - 150);
}

/** Relative distance, or 0 for equal values (NaN = NaN), Infinity for a NaN / ±Inf mismatch. */
function rel(a: number, b: number, floor: number): number {
  if (same(a, b) || a === b) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  return Math.abs(a - b) / Math.max(Math.abs(b), floor);
}

/** The shapes: the scratch path (< 16 384 elements), in place, rows longer than a span. */
const shapes: Array<[number, number]> = [
  [200, 1],
  [200, 3],
  [100, 17],
  [64, 1001],
  [90, 1000],
  [2, 70_001],
];

describe('float32 steps and gradient, step by step', () => {
  // softmax as torch's over the last dimension forms it (scalarRows.ts softmaxScale): e·(1/Σ), the
  // reciprocal rounded first; and within 1 ulp of the correctly rounded division e / Σ.
  let divided = 0;
  let differ = 0;
  afterAll(() => {
    // Not vacuous: the product and the quotient do differ (by that one ulp) somewhere.
    expect(divided).toBeGreaterThan(10000);
    expect(differ).toBeGreaterThan(0);
  });
  for (const [N, C] of shapes) {
    it(`${N}×${C}: log_softmax = fround(y − lse), softmax = fround(exp(y)·fround(1 / Σ)), g = fround(0 − fround(exp(log p)·s)) (+ g_t), bit for bit`, () => {
      const req = request(N, C, N * 7 + C, 'float32', 'mean', true);
      const p = prepare(req);
      const st = crossEntropySteps(p);
      const lsm = Float32Array.from(st.logSoftmax);
      const sm = Float32Array.from(st.softmax);
      const gr = crossEntropy(p, true);
      expect(gr.grad).toBeInstanceOf(Float32Array);
      const grad = Float32Array.from(gr.grad ?? []);
      const x = req.input.data;
      const t = req.target.data;
      const w = req.weight?.data as Float64Array;
      let den = 0;
      for (const ti of t) if (ti !== -100) den += fround(w[ti]);
      const g0 = fround(-fround(1 / fround(den)));
      const bad: string[] = [];
      for (let n = 0; n < N; n++) {
        const base = n * C;
        const stats = wasmRowStats(p, n);
        if (!stats) throw new Error('no wasm');
        const sigma = fround(stats.sumExp);
        const lse = fround(Math.log(sigma));
        const y = new Float32Array(C);
        for (let c = 0; c < C; c++) y[c] = fround(fround(x[base + c]) - stats.max);
        const e = wasmExp(y) as Float32Array;
        for (let c = 0; c < C; c++) {
          const i = base + c;
          if (!same(lsm[i], fround(y[c] - lse))) bad.push(`log_softmax[${n}][${c}] ${lsm[i]}`);
          if (!same(sm[i], fround(e[c] * fround(1 / sigma)))) bad.push(`softmax[${n}][${c}] ${sm[i]}`);
          const q = fround(e[c] / sigma);
          if (sm[i] === sm[i]) divided++;
          if (!same(sm[i], q)) {
            differ++;
            if (!(Math.abs(sm[i] - q) <= ulp32(q))) bad.push(`softmax[${n}][${c}] ${sm[i]} vs ${q}: over 1 ulp`);
          }
        }
        if (!same(st.logSumExp[n], fround(st.max[n] + lse))) bad.push(`logSumExp[${n}]`);
        // Gradient: p = exp(fround(y − lse)) with the kernel's exp (flushed), s = w_t·g0.
        const ti = t[n];
        const s = ti === -100 ? 0 : fround(fround(w[ti]) * g0);
        const lp = new Float32Array(C);
        for (let c = 0; c < C; c++) lp[c] = fround(y[c] - lse);
        const pe = wasmExp(lp) as Float32Array;
        for (let c = 0; c < C; c++) {
          let want = fround(0 - fround(pe[c] * s));
          if (c === ti) want = fround(s + want);
          if (!same(grad[base + c], want)) bad.push(`grad[${n}][${c}] ${grad[base + c]} vs ${want}`);
        }
      }
      expect(bad.slice(0, 5)).toEqual([]);
    });
  }

  it('Σexp is within 1 ulp of the correctly rounded sum of correctly rounded exps', () => {
    const N = 400;
    const C = 1000;
    const req = request(N, C, 5, 'float32', 'none', false, 'normal');
    const p = prepare(req);
    const x = req.input.data;
    let worst = 0;
    for (let n = 0; n < N; n++) {
      const stats = wasmRowStats(p, n);
      if (!stats) throw new Error('no wasm');
      let exact = 0;
      for (let c = 0; c < C; c++) exact += fround(Math.exp(fround(fround(x[n * C + c]) - stats.max)));
      worst = Math.max(worst, Math.abs(fround(stats.sumExp) - fround(exact)) / ulp32(exact));
    }
    expect(worst).toBeLessThanOrEqual(1);
  });
});

describe('float64 path vs the scalar float64 path (Math.exp)', () => {
  for (const [N, C] of shapes) {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      it(`${N}×${C} ${reduction}: loss, log_softmax, softmax, gradient within 1e−12`, () => {
        const req = request(N, C, N + C + reduction.length, 'float64', reduction, reduction === 'mean');
        setKernelBackend('scalar');
        const pScalar = prepare(req);
        const fS = crossEntropy(pScalar);
        const sS = crossEntropySteps(pScalar);
        const gS = crossEntropy(pScalar, true);
        setKernelBackend('wasm');
        const p = prepare(req);
        const f = crossEntropy(p);
        const s = crossEntropySteps(p);
        const g = crossEntropy(p, true);
        const worst = { loss: rel(f.loss, fS.loss, 1), logSoftmax: 0, softmax: 0, grad: 0, logSumExp: 0 };
        const at = { logSoftmax: -1, softmax: -1, grad: -1 };
        const t = req.target.data;
        const w = req.weight?.data;
        let den = 0;
        for (const ti of t) if (ti !== -100) den += w ? w[ti] : 1;
        const g0 = reduction === 'mean' ? -(1 / den) : -1;
        for (let n = 0; n < N; n++) worst.loss = Math.max(worst.loss, rel(f.losses[n], fS.losses[n], 1));
        // The forward, the steps and the gradient share their Σexp code: the same losses, bit for bit.
        expect(Array.from(g.losses)).toEqual(Array.from(f.losses));
        expect(Array.from(s.losses)).toEqual(Array.from(f.losses));
        const track = (key: 'logSoftmax' | 'softmax' | 'grad', v: number, i: number): void => {
          if (v > worst[key]) {
            worst[key] = v;
            at[key] = i;
          }
        };
        for (let i = 0; i < N * C; i++) {
          const n = Math.floor(i / C);
          track('logSoftmax', rel(s.logSoftmax[i], sS.logSoftmax[i], 1), i);
          // Subnormal probabilities: absolute.
          track('softmax', rel(s.softmax[i], sS.softmax[i], 1e-290), i);
          // At the target g = s − p·s may cancel: relative to |s| there.
          const sRow = t[n] === -100 ? 0 : Math.abs((w ? w[t[n]] : 1) * g0);
          const floor = i - n * C === t[n] ? sRow : 1e-290;
          track('grad', rel((g.grad as Float64Array)[i], (gS.grad as Float64Array)[i], floor), i);
        }
        for (let n = 0; n < N; n++) {
          expect(same(s.max[n], sS.max[n])).toBe(true);
          worst.logSumExp = Math.max(worst.logSumExp, rel(s.logSumExp[n], sS.logSumExp[n], 1));
        }
        const where = `worst ${JSON.stringify(worst)} at ${JSON.stringify(at)}`;
        for (const v of Object.values(worst)) expect(v, where).toBeLessThanOrEqual(1e-12);
      });
    }
  }
});

describe('float64 exp (f64x2 lanes)', () => {
  it('is within 2 ulps of Math.exp on [−745, 0], subnormal results within 1 subnormal step', () => {
    const n = 400_001;
    const y = Float64Array.from({ length: n }, (_, i) => -745.2 * (i / (n - 1)) ** 1.5);
    const got = wasmExp(y) as Float64Array;
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const want = Math.exp(y[i]);
      if (want < 2 ** -1022) {
        expect(Math.abs(got[i] - want), `exp(${y[i]})`).toBeLessThanOrEqual(2 ** -1074);
        continue;
      }
      worst = Math.max(worst, Math.abs(got[i] - want) / (want * 2 ** -52));
    }
    expect(worst).toBeLessThanOrEqual(2);
  });

  it('handles the special values', () => {
    const got = wasmExp(new Float64Array([0, -0, NaN, -Infinity, -1e300, -746, -5e-324]));
    expect(Array.from(got as Float64Array)).toEqual([1, 1, NaN, 0, 0, 0, 1]);
  });
});
