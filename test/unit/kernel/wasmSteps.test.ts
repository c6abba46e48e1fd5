/**
 * crossEntropySteps' WebAssembly SIMD float32 path (wasmSteps in src/core/kernel/wasmForward.ts)
 * against the scalar steps (the reference, which breakdown.test.ts ties to the per-sample path):
 * random rows with extreme and non-finite values, C not a multiple of 4, C = 1, rows long enough
 * to go span by span, the input read from its source or its workspace; and the loss, which must be
 * the forward's to the bit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  computeLoss,
  crossEntropy,
  crossEntropySteps,
  prepare,
  sampleBreakdown,
  type StepsResult,
} from '../../../src/core/kernel';
import { existingInputSpace } from '../../../src/core/kernel/input';
import { setKernelBackend, wasmKernelStats } from '../../../src/core/kernel/wasmForward';
import type { LossRequest, Reduction } from '../../../src/core/types';
// mulberry32, seeded: the same rows on every run.
import { mulberry32 as rng } from '../../shared/mulberry32';

afterEach(() => {
  setKernelBackend('auto');
});

type RowKind = 'normal' | 'spread' | 'huge' | 'specials' | 'allNegInf' | 'constant';
const kinds: RowKind[] = ['normal', 'spread', 'huge', 'specials', 'allNegInf', 'constant'];

function fillRow(out: Float64Array, base: number, C: number, kind: RowKind, r: () => number): void {
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const offset = (r() - 0.5) * 2e4;
  for (let c = 0; c < C; c++) {
    let v: number;
    switch (kind) {
      case 'normal':
        v = 3 * gauss();
        break;
      // x − max down to −200: exp underflows (flushed in wasm, subnormal or 0 in the scalar path).
      case 'spread':
        v = -200 * r() + (r() < 0.1 ? 50 : 0);
        break;
      case 'huge':
        v = r() < 0.05 ? (r() < 0.5 ? -3e38 : 3e38) : offset + 10 * gauss();
        break;
      case 'specials': {
        const u = r();
        v = u < 0.04 ? NaN : u < 0.08 ? Infinity : u < 0.2 ? -Infinity : gauss();
        break;
      }
      case 'allNegInf':
        v = -Infinity;
        break;
      default:
        v = 1.25;
    }
    out[base + c] = v;
  }
}

function makeReq(
  N: number,
  C: number,
  seed: number,
  reduction: Reduction,
  withWeight: boolean,
  only?: RowKind,
): LossRequest {
  const r = rng(seed);
  const data = new Float64Array(N * C);
  for (let n = 0; n < N; n++) fillRow(data, n * C, C, only ?? kinds[Math.floor(r() * kinds.length)], r);
  const targets = new Float64Array(N);
  for (let n = 0; n < N; n++) targets[n] = r() < 0.05 ? -100 : Math.floor(r() * C);
  const weight = withWeight ? Float64Array.from({ length: C }, () => (r() < 0.1 ? 0 : 0.1 + 3 * r())) : null;
  return {
    input: { data, shape: [N, C], integral: false },
    target: { data: targets, shape: [N], integral: true },
    weight: weight ? { data: weight, shape: [C], integral: false } : null,
    ignoreIndex: -100,
    reduction,
    labelSmoothing: 0,
    dtype: 'float32',
    inputKind: 'logits',
  };
}

const f32Cell = new Float32Array(1);
const u32Cell = new Uint32Array(f32Cell.buffer);

/** Spacing of float32 values at |v|. */
function ulp32(v: number): number {
  f32Cell[0] = Math.abs(v);
  const e = (u32Cell[0] >>> 23) & 0xff;
  return e === 0 ? 2 ** -149 : 2 ** (e - 150);
}

function same(a: number, b: number): boolean {
  return a === b || (a !== a && b !== b);
}

/**
 * Σ of one row's float32 exps in the kernel's order (wasmKernelModule.ts, emitSpanSumF32): blocks
 * of 16 add element j and j + 4, j + 8 and j + 12 in float32, each sum into lane j mod 4 (float64);
 * the rest one by one into lane c mod 4; then (lane0 + lane1) + (lane2 + lane3).
 */
function kernelOrderSum(e: number[]): number {
  const lanes = [0, 0, 0, 0];
  let c = 0;
  for (; c + 16 <= e.length; c += 16) {
    for (let j = 0; j < 4; j++) lanes[j] += Math.fround(e[c + j] + e[c + 4 + j]);
    for (let j = 0; j < 4; j++) lanes[j] += Math.fround(e[c + 8 + j] + e[c + 12 + j]);
  }
  for (; c < e.length; c++) lanes[c % 4] += e[c];
  return lanes[0] + lanes[1] + (lanes[2] + lanes[3]);
}

/** Steps with the given backend, and whether the wasm path ran. */
function steps(req: LossRequest, backend: 'scalar' | 'wasm' | 'auto'): { s: StepsResult; wasm: boolean } {
  setKernelBackend(backend);
  const before = wasmKernelStats().wasmCalls;
  const s = crossEntropySteps(prepare(req));
  return { s, wasm: wasmKernelStats().wasmCalls > before };
}

/**
 * Largest deviations of the wasm steps from the scalar ones, in float32 ulps. The wasm exp is
 * within 1 ulp (EXP_F32X4_MAX_ULP) and flushes results below 2^−126 to 0, so: Σexp within ~1
 * ulp, lse = log Σexp within 1 ulp of itself (Σexp ≥ 1, lse ≥ 0); log_softmax = (x − max) − lse
 * within 2 ulps of max(|log p|, lse, 1); softmax = exp / Σexp within 3 ulps (plus 2^−126 where the
 * exp was flushed); max identical; NaN exactly where the scalar path has NaN.
 */
function compare(w: StepsResult, sc: StepsResult, N: number, C: number): void {
  for (let n = 0; n < N; n++) {
    expect(same(w.max[n], sc.max[n]), `max[${n}] ${w.max[n]} vs ${sc.max[n]}`).toBe(true);
    const lse = sc.logSumExp[n] - sc.max[n];
    const scale = Number.isFinite(lse) ? Math.abs(lse) : 0;
    if (!same(w.logSumExp[n], sc.logSumExp[n])) {
      const b = sc.logSumExp[n];
      expect(Math.abs(w.logSumExp[n] - b), `logSumExp[${n}] ${w.logSumExp[n]} vs ${b}`).toBeLessThanOrEqual(
        2 * ulp32(Math.max(Math.abs(b), Math.abs(sc.max[n]), scale, 1)),
      );
    }
    for (let c = 0; c < C; c++) {
      const i = n * C + c;
      const a = w.logSoftmax[i];
      const b = sc.logSoftmax[i];
      if (!same(a, b)) {
        expect(Math.abs(a - b), `logSoftmax[${n}][${c}] ${a} vs ${b}`).toBeLessThanOrEqual(
          2 * ulp32(Math.max(Math.abs(b), scale, 1)),
        );
      }
      const pa = w.softmax[i];
      const pb = sc.softmax[i];
      // Each side: e·fround(1/Σ) (torch's softmax over the last dimension), with its own exp (1
      // ulp apart) and Σ order (Σ, hence 1/Σ, 1 ulp apart), the reciprocal and the product rounded.
      if (!same(pa, pb)) {
        expect(Math.abs(pa - pb), `softmax[${n}][${c}] ${pa} vs ${pb}`).toBeLessThanOrEqual(4 * ulp32(pb) + 2 ** -126);
      }
    }
  }
}

describe('crossEntropySteps in wasm (float32, index targets, S = 1)', () => {
  it('agrees with the scalar steps on random rows: C 1..9, 31..33, 1000, 4099; NaN, ±Inf, huge, underflowing', () => {
    const shapes: Array<[number, number]> = [];
    for (let C = 1; C <= 9; C++) shapes.push([120, C]);
    shapes.push([100, 31], [100, 32], [100, 33], [40, 1000], [6, 4099]);
    let rows = 0;
    let changed = 0;
    shapes.forEach(([N, C], i) => {
      const req = makeReq(N, C, 100 + i, 'mean', i % 2 === 1);
      const w = steps(req, 'wasm');
      const sc = steps(req, 'scalar');
      expect(w.wasm).toBe(true);
      expect(sc.wasm).toBe(false);
      expect(w.s.softmax).toBeInstanceOf(Float32Array);
      expect(w.s.logSoftmax).toBeInstanceOf(Float32Array);
      compare(w.s, sc.s, N, C);
      rows += N;
      for (let k = 0; k < N * C; k++) if (!same(w.s.logSoftmax[k], sc.s.logSoftmax[k])) changed++;
    });
    expect(rows).toBeGreaterThan(1300);
    // Not vacuous: the two exps differ somewhere, and the comparison above tolerated it.
    expect(changed).toBeGreaterThan(0);
  });

  it('agrees with the scalar steps on rows long enough to go span by span (C = 300 001)', () => {
    const req = makeReq(2, 300001, 7, 'sum', false, 'normal');
    const w = steps(req, 'auto');
    const sc = steps(req, 'scalar');
    expect(w.wasm).toBe(true);
    compare(w.s, sc.s, 2, 300001);
    expect(w.s.loss).toBe(crossEntropy(prepare(req)).loss);
  });

  it('gives the forward’s loss, losses and sums bit for bit (every reduction, weights, ignored targets, input workspaces)', () => {
    const shapes: Array<[number, number]> = [
      [1, 1],
      [1, 32],
      [3, 5],
      [64, 33],
      [50, 1000],
      [70, 1000],
      [8, 50257],
    ];
    let inWorkspace = 0;
    shapes.forEach(([N, C], i) => {
      for (const reduction of ['none', 'mean', 'sum'] as const) {
        for (const backend of ['auto', 'wasm'] as const) {
          const req = makeReq(N, C, 300 + i, reduction, i % 2 === 0);
          setKernelBackend(backend);
          const p = prepare(req);
          const before = wasmKernelStats().wasmCalls;
          const s = crossEntropySteps(p);
          if (existingInputSpace(p)) inWorkspace++;
          const ran = wasmKernelStats().wasmCalls > before;
          const f = crossEntropy(prepare(req));
          expect(ran).toBe(backend === 'wasm' || N * C >= 32);
          expect(same(s.loss, f.loss), `${N}×${C} ${reduction} ${backend}: steps ${s.loss} vs forward ${f.loss}`).toBe(
            true,
          );
          expect(same(s.numerator, f.numerator)).toBe(true);
          expect(s.denominator).toBe(f.denominator);
          expect(Array.from(s.losses)).toEqual(Array.from(f.losses));
          expect(s.ignored ? Array.from(s.ignored) : null).toEqual(f.ignored ? Array.from(f.ignored) : null);
        }
      }
    });
    expect(inWorkspace).toBeGreaterThan(0);
  });

  it('reuses its arrays per Prepared: a second call gives the same bits in the same arrays, another input leaves them alone', () => {
    const snap = (s: StepsResult): number[][] =>
      [s.losses, s.max, s.logSumExp, s.softmax, s.logSoftmax].map((a) => Array.from(a));
    for (const [N, C] of [
      [64, 10],
      [1, 40],
      [70, 1000],
    ] as Array<[number, number]>) {
      for (const dtype of ['float32', 'float64'] as const) {
        const a = prepare({ ...makeReq(N, C, 900 + C, 'none', true), dtype });
        const b = prepare({ ...makeReq(N, C, 901 + C, 'none', false), dtype });
        const first = crossEntropySteps(a);
        const want = snap(first);
        const other = snap(crossEntropySteps(b));
        expect(other).not.toEqual(want);
        const again = crossEntropySteps(a);
        expect(again.losses).toBe(first.losses);
        // The same memory (for a workspace input a new view of the same region).
        expect(again.softmax.buffer).toBe(first.softmax.buffer);
        expect(again.softmax.byteOffset).toBe(first.softmax.byteOffset);
        expect(snap(again)).toEqual(want);
        expect(snap(first)).toEqual(want); // b's call wrote into b's arrays only
        // The losses, with ignored targets' zeros, are the forward's.
        const f = crossEntropy(a);
        expect(Array.from(again.losses)).toEqual(Array.from(f.losses));
        expect(again.ignored ? Array.from(again.ignored) : null).toEqual(f.ignored ? Array.from(f.ignored) : null);
      }
    }
  });

  it('gives the same bits after a one-shot forward from the float64 source as on a fresh input', () => {
    const req = makeReq(80, 1000, 11, 'mean', false);
    const out = computeLoss(req);
    if (!out.ok) throw new Error(out.error.message);
    expect(out.prepared.x).toBeNull(); // the forward read the source
    const afterForward = crossEntropySteps(out.prepared);
    const fresh = crossEntropySteps(prepare(req));
    expect(Array.from(afterForward.softmax)).toEqual(Array.from(fresh.softmax));
    expect(Array.from(afterForward.logSoftmax)).toEqual(Array.from(fresh.logSoftmax));
    expect(Array.from(afterForward.max)).toEqual(Array.from(fresh.max));
    expect(Array.from(afterForward.logSumExp)).toEqual(Array.from(fresh.logSumExp));
    expect(afterForward.loss).toBe(out.result.loss);
    expect(fresh.loss).toBe(out.result.loss);
  });

  it('matches the per-sample breakdown bit for bit: max, log-sum-exp, log_softmax, softmax; its exps add up to its Σexp', () => {
    const req = makeReq(300, 37, 21, 'mean', true);
    const out = computeLoss(req);
    if (!out.ok) throw new Error(out.error.message);
    const s = crossEntropySteps(out.prepared);
    for (let e = 0; e < 300; e++) {
      const b = sampleBreakdown(out.prepared, out.result, e);
      expect(same(s.max[e], b.max as number)).toBe(true);
      expect(same(s.logSumExp[e], b.logSumExp as number)).toBe(true);
      for (let c = 0; c < 37; c++) {
        expect(same(s.logSoftmax[e * 37 + c], b.logSoftmax[c]), `${e} ${c}`).toBe(true);
        expect(same(s.softmax[e * 37 + c], b.softmax[c]), `${e} ${c}`).toBe(true);
      }
      // The kernel's exps, added as the kernel does, give its Σexp.
      expect(same(Math.fround(kernelOrderSum(b.exp as number[])), b.sumExp as number)).toBe(true);
    }
  });

  it('leaves K-dimensional inputs and log-probabilities to the scalar path', () => {
    setKernelBackend('wasm');
    const base = makeReq(4, 6, 5, 'mean', false, 'normal');
    const kdim: LossRequest = {
      ...base,
      input: { data: base.input.data, shape: [2, 6, 2], integral: false },
      target: { data: Float64Array.from([0, 5, 3, 1]), shape: [2, 2], integral: true },
    };
    for (const req of [kdim, { ...base, inputKind: 'log_probs' as const }]) {
      const before = wasmKernelStats().wasmCalls;
      const p = prepare(req);
      const s = crossEntropySteps(p);
      expect(wasmKernelStats().wasmCalls).toBe(before);
      expect(s.softmax.length).toBe(24);
    }
  });

  it('runs label smoothing in wasm too, with the forward’s losses (smoothing part included) bit for bit', () => {
    setKernelBackend('wasm');
    for (const reduction of ['none', 'mean', 'sum'] as const) {
      const req = { ...makeReq(40, 1000, 17, reduction, true, 'normal'), labelSmoothing: 0.1 };
      const before = wasmKernelStats().wasmCalls;
      const s = crossEntropySteps(prepare(req));
      expect(wasmKernelStats().wasmCalls).toBeGreaterThan(before);
      const f = crossEntropy(prepare(req));
      setKernelBackend('scalar');
      const scalar = crossEntropy(prepare(req));
      setKernelBackend('wasm');
      expect(same(s.loss, f.loss)).toBe(true);
      expect(Array.from(s.losses)).toEqual(Array.from(f.losses));
      // The smoothing part moves the loss: not the no-smoothing losses.
      const plain = crossEntropy(prepare({ ...req, labelSmoothing: 0 }));
      expect(same(f.loss, plain.loss)).toBe(false);
      // The scalar path's exp differs by ≤ 1 ulp per term: the losses agree closely, not to the bit.
      for (let e = 0; e < 40; e++)
        expect(Math.abs(f.losses[e] - scalar.losses[e])).toBeLessThanOrEqual(4e-6 * Math.max(1, Math.abs(f.losses[e])));
    }
  });
});
