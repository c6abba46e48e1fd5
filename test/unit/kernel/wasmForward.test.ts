/**
 * The WebAssembly SIMD float32 forward (src/core/kernel/wasmForward.ts) against the scalar path,
 * which the torch fixtures pin down (torchFixtures.test.ts runs those through wasm as well):
 * randomized rows with extreme and non-finite values, long rows, the input read from its float64
 * source or from its workspace, the wasm exp against Math.exp, and the fallback when WebAssembly
 * is missing.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { computeLoss, crossEntropy, crossEntropySteps, inputOf, prepare } from '../../../src/core/kernel';
import { RowPool } from '../../../src/worker/rowPool';
import { existingInputSpace, inputWorkspaceMinElements } from '../../../src/core/kernel/input';
import {
  EXP_F32X4_MAX_ULP,
  resetWasmKernel,
  setKernelBackend,
  wasmExpF32,
  wasmKernelStats,
  wasmMinElements,
} from '../../../src/core/kernel/wasmForward';
import type { LossRequest, Reduction } from '../../../src/core/types';
// mulberry32, seeded: the same rows on every run.
import { mulberry32 as rng } from '../../shared/mulberry32';

const fround = Math.fround;

afterEach(() => {
  setKernelBackend('auto');
  vi.unstubAllGlobals();
});

type RowKind = 'normal' | 'spread' | 'huge' | 'tiny' | 'specials' | 'allNegInf' | 'constant';
const kinds: RowKind[] = ['normal', 'spread', 'huge', 'tiny', 'specials', 'allNegInf', 'constant'];

/** One row of logits of the given kind, as float64 (not necessarily float32 values). */
function fillRow(out: Float64Array, base: number, C: number, kind: RowKind, r: () => number): void {
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const offset = (r() - 0.5) * 2e4;
  for (let c = 0; c < C; c++) {
    let v: number;
    switch (kind) {
      case 'normal':
        v = 3 * gauss();
        break;
      // x − max down to −200: exp underflows (flushed / 0) for many elements.
      case 'spread':
        v = -200 * r() + (r() < 0.1 ? 50 : 0);
        break;
      // Large magnitudes, close together, and near float32's range.
      case 'huge':
        v = r() < 0.05 ? (r() < 0.5 ? -3e38 : 3e38) : offset + 10 * gauss();
        break;
      // Subnormal and tiny values: float32 subnormals after rounding, ±0.
      case 'tiny':
        v = r() < 0.2 ? 0 * (r() < 0.5 ? -1 : 1) : (r() - 0.5) * 1e-38 * 2 ** -Math.floor(20 * r());
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

interface Batch {
  req: LossRequest;
  N: number;
  C: number;
}

function makeBatch(
  N: number,
  C: number,
  seed: number,
  reduction: Reduction,
  withWeight: boolean,
  only?: RowKind,
): Batch {
  const r = rng(seed);
  const data = new Float64Array(N * C);
  for (let n = 0; n < N; n++) fillRow(data, n * C, C, only ?? kinds[Math.floor(r() * kinds.length)], r);
  const targets = new Float64Array(N);
  for (let n = 0; n < N; n++) targets[n] = r() < 0.05 ? -100 : Math.floor(r() * C);
  const weight = withWeight ? Float64Array.from({ length: C }, () => (r() < 0.1 ? 0 : 0.1 + 3 * r())) : null;
  return {
    N,
    C,
    req: {
      input: { data, shape: [N, C], integral: false },
      target: { data: targets, shape: [N], integral: true },
      weight: weight ? { data: weight, shape: [C], integral: false } : null,
      ignoreIndex: -100,
      reduction,
      labelSmoothing: 0,
      dtype: 'float32',
      inputKind: 'logits',
    },
  };
}

const f32Cell = new Float32Array(1);
const u32Cell = new Uint32Array(f32Cell.buffer);

/** Spacing of float32 values at |v| (the ulp of fround(|v|)). */
function ulp32(v: number): number {
  f32Cell[0] = Math.abs(v);
  const e = (u32Cell[0] >>> 23) & 0xff;
  return e === 0 ? 2 ** -149 : 2 ** (e - 150);
}

/**
 * Distance of `a` from `b` in float32 ulps at the scale max(|b|, |w|, 1)·: loss = w·(lse + |x_t −
 * max|) with both terms ≥ 0, so the loss is never a small difference of large terms, but when it
 * is below |w| its error is the Σexp's rounding (≤ 1 ulp of a sum ≥ 1), i.e. absolute, not relative.
 */
function ulpDistance(a: number, b: number, w: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b ? 0 : Infinity;
  return Math.abs(a - b) / ulp32(Math.max(Math.abs(b), Math.abs(w), 1));
}

function run(batch: Batch, backend: 'scalar' | 'wasm'): ReturnType<typeof crossEntropy> {
  setKernelBackend(backend);
  const before = wasmKernelStats().wasmCalls;
  const out = computeLoss(batch.req);
  if (!out.ok) throw new Error(out.error.message);
  expect(wasmKernelStats().wasmCalls - before).toBe(backend === 'wasm' ? 1 : 0);
  return out.result;
}

describe('wasm float32 forward vs the scalar path', () => {
  it('is available here (Node 20 has WebAssembly SIMD)', () => {
    setKernelBackend('wasm');
    const p = prepare(makeBatch(4, 8, 1, 'mean', false).req);
    crossEntropy(p);
    expect(wasmKernelStats().available).toBe(true);
  });

  it('agrees within 2 float32 ulps on ≥ 10 000 random rows (C 1..9 and up to 50257, extreme and non-finite values)', () => {
    const shapes: Array<[number, number]> = [];
    for (let C = 1; C <= 17; C++) shapes.push([400, C]);
    shapes.push([300, 31], [300, 32], [300, 33], [200, 100], [150, 1000], [60, 4099], [3, 50257]);
    let rows = 0;
    let worst = 0;
    let equal = 0;
    let compared = 0;
    shapes.forEach(([N, C], i) => {
      for (const reduction of ['none', 'mean', 'sum'] as const) {
        const batch = makeBatch(N, C, 1000 + 7 * i + reduction.length, reduction, i % 3 === 1);
        const scalar = run(batch, 'scalar');
        const wasm = run(batch, 'wasm');
        const w = batch.req.weight?.data;
        const t = batch.req.target.data;
        for (let n = 0; n < N; n++) {
          const wn = t[n] === -100 ? 1 : w ? fround(w[t[n]]) : 1;
          const d = ulpDistance(wasm.losses[n], scalar.losses[n], wn);
          if (d > 2)
            throw new Error(`${N}×${C} row ${n}: wasm ${wasm.losses[n]}, scalar ${scalar.losses[n]} (${d} ulps)`);
          worst = Math.max(worst, d);
          if (Object.is(wasm.losses[n], scalar.losses[n])) equal++;
          compared++;
        }
        expect(wasm.ignored).toEqual(scalar.ignored);
        expect(wasm.denominator).toBe(scalar.denominator);
        // The reduction adds N per-row values: a few ulps of the total at most.
        if (Number.isFinite(scalar.loss)) {
          expect(Math.abs(wasm.loss - scalar.loss)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(scalar.loss)));
        } else {
          expect(wasm.loss).toBe(scalar.loss);
        }
        rows += N;
      }
    });
    expect(rows).toBeGreaterThanOrEqual(10_000);
    // Most rows are bit-equal: the exp differs by ≤ 1 ulp in < 1% of elements.
    expect(equal / compared).toBeGreaterThan(0.95);
    expect(worst).toBeLessThanOrEqual(2);
  });

  it('propagates NaN and ±Inf as torch: NaN anywhere → NaN, +Inf in the row → NaN, all −Inf → NaN, −Inf target → +Inf', () => {
    const rows = [
      [1, 2, NaN, 4, 5],
      [NaN, 1, 2, 3, 4],
      [1, Infinity, 2, 3, 4],
      [-Infinity, -Infinity, -Infinity, -Infinity, -Infinity],
      [-Infinity, 0, 1, 2, 3],
      [0, 1, 2, 3, -1e30],
    ];
    const targets = [0, 1, 0, 2, 0, 4];
    const req: LossRequest = {
      input: { data: Float64Array.from(rows.flat()), shape: [rows.length, 5], integral: false },
      target: { data: Float64Array.from(targets), shape: [rows.length], integral: true },
      weight: null,
      ignoreIndex: -100,
      reduction: 'none',
      labelSmoothing: 0,
      dtype: 'float32',
      inputKind: 'logits',
    };
    setKernelBackend('wasm');
    const out = computeLoss(req);
    if (!out.ok) throw new Error(out.error.message);
    const l = Array.from(out.result.losses);
    expect(l.slice(0, 4).every(Number.isNaN)).toBe(true);
    expect(l[4]).toBe(Infinity);
    expect(l[5]).toBeCloseTo(1e30, -25);
  });

  it('takes rows longer than a span span by span, with the same bits from the source and in place', () => {
    // A span is 65 536 elements: one row of 70 001 is two spans, one of 300 007 five.
    for (const C of [70_001, 300_007]) {
      const batch = makeBatch(2, C, C, 'none', false);
      const scalar = run(batch, 'scalar');
      setKernelBackend('wasm');
      const streamed = computeLoss(batch.req); // one-shot: read from the float64 source
      if (!streamed.ok) throw new Error(streamed.error.message);
      expect(streamed.prepared.x).toBeNull();
      expect(existingInputSpace(streamed.prepared)).toBeNull();
      const inPlace = crossEntropy(prepare(batch.req)); // copies the input into its workspace
      for (let n = 0; n < 2; n++) {
        expect(ulpDistance(streamed.result.losses[n], scalar.losses[n], 1)).toBeLessThanOrEqual(2);
        expect(inPlace.losses[n]).toBe(streamed.result.losses[n]);
      }
    }
  });
});

describe('the input in the working dtype (input.ts)', () => {
  const big = (): LossRequest => makeBatch(80, 1000, 42, 'mean', false, 'normal').req; // 80 000 elements

  it('computeLoss on a large float32 input leaves x unmade and reads the float64 source', () => {
    const req = big();
    const out = computeLoss(req);
    if (!out.ok) throw new Error(out.error.message);
    expect(out.prepared.x).toBeNull();
    expect(out.prepared.source).toBe(req.input.data);
    // x is made on demand (in the input's workspace) and equals the rounded source.
    const x = inputOf(out.prepared);
    expect(out.prepared.x).toBe(x);
    expect(existingInputSpace(out.prepared)).not.toBeNull();
    expect(Array.from(x)).toEqual(Array.from(req.input.data, Math.fround));
    // In place from the workspace: the same bits as from the source.
    expect(crossEntropy(out.prepared).loss).toBe(out.result.loss);
    setKernelBackend('scalar');
    expect(Number.isFinite(out.result.loss)).toBe(true);
    expect(Math.abs(crossEntropy(out.prepared).loss - out.result.loss)).toBeLessThanOrEqual(2 * ulp32(out.result.loss));
  });

  it('float64 inputs are used as they are', () => {
    const req = { ...big(), dtype: 'float64' as const };
    const p = prepare(req);
    expect(p.x).toBe(req.input.data);
    expect(inputOf(p)).toBe(req.input.data);
  });

  it('crossEntropy on a prepared input makes its workspace once and runs in place', () => {
    const p = prepare(big());
    expect(p.x).toBeNull();
    const first = crossEntropy(p);
    const x = p.x;
    expect(x).toBeInstanceOf(Float32Array);
    expect(existingInputSpace(p)).not.toBeNull();
    expect(crossEntropy(p).loss).toBe(first.loss);
    expect(p.x).toBe(x); // not made again
  });

  it(`small inputs (< ${inputWorkspaceMinElements} elements) and the scalar backend get a plain copy`, () => {
    const small = prepare(makeBatch(8, 1000, 3, 'mean', false).req);
    crossEntropy(small);
    expect(existingInputSpace(small)).toBeNull();
    expect(inputOf(small)).toBeInstanceOf(Float32Array);
    setKernelBackend('scalar');
    const p = prepare(big());
    crossEntropy(p);
    expect(existingInputSpace(p)).toBeNull();
    expect(Array.from(inputOf(p))).toEqual(Array.from(p.source, Math.fround));
  });
});

describe('wasm exp (Cody–Waite and a degree-6 minimax polynomial in float32 lanes)', () => {
  it(`is within ${EXP_F32X4_MAX_ULP} ulp of the correctly rounded exp for normal results, 0 below 2^−126`, () => {
    // Every 97th float32 bit pattern from −0 down to −110 (11.6 M values), plus the edges.
    const lo = 0x80000000;
    const hi = new Uint32Array(new Float32Array([-110]).buffer)[0];
    const bits = new Uint32Array(Math.floor((hi - lo) / 97) + 9);
    let i = 0;
    for (let b = lo; b <= hi; b += 97) bits[i++] = b;
    const vals = new Float32Array(bits.buffer);
    vals.set([-87.33654, -87.33655, -87.3365, -1e-45, -103.97, -88, -0.5, -Math.LN2 / 2], i);
    const got = wasmExpF32(vals);
    expect(got).not.toBeNull();
    const e = got as Float32Array;
    const eb = new Uint32Array(e.buffer, e.byteOffset, e.length);
    const ref = new Float32Array(1);
    const rb = new Uint32Array(ref.buffer);
    let worst = 0;
    let off = 0;
    for (let j = 0; j < vals.length; j++) {
      ref[0] = Math.exp(vals[j]);
      if (ref[0] >= 2 ** -126) {
        const d = Math.abs(eb[j] - rb[0]);
        worst = Math.max(worst, d);
        if (d) off++;
      } else {
        expect(e[j], `exp(${vals[j]})`).toBe(0);
      }
    }
    expect(worst).toBeLessThanOrEqual(EXP_F32X4_MAX_ULP);
    expect(off / vals.length).toBeLessThan(0.02);
  });

  it('handles the special values', () => {
    const e = wasmExpF32(new Float32Array([0, -0, NaN, -Infinity, -1e30, -1e-45])) as Float32Array;
    expect(Array.from(e)).toEqual([1, 1, NaN, 0, 0, 1]);
  });
});

describe('fallback to the scalar path', () => {
  const req = (): LossRequest => makeBatch(80, 1000, 9, 'mean', true, 'normal').req;
  const reference = (): number => {
    setKernelBackend('scalar');
    const out = computeLoss(req());
    setKernelBackend('auto');
    if (!out.ok) throw new Error(out.error.message);
    return out.result.loss;
  };

  for (const [what, stub] of [
    ['WebAssembly is missing', undefined],
    ['SIMD is unsupported (validate fails)', { validate: () => false }],
    [
      'compiling throws (e.g. a CSP)',
      {
        validate: () => true,
        Module: function () {
          throw new Error('CompileError: blocked');
        },
      },
    ],
  ] as const) {
    it(`computes with the scalar path when ${what}`, () => {
      const expected = reference();
      vi.stubGlobal('WebAssembly', stub);
      resetWasmKernel();
      try {
        const before = wasmKernelStats().wasmCalls;
        const out = computeLoss(req());
        if (!out.ok) throw new Error(out.error.message);
        expect(wasmKernelStats().available).toBe(false);
        expect(wasmKernelStats().wasmCalls).toBe(before);
        expect(out.result.loss).toBe(expected);
        expect(existingInputSpace(out.prepared)).toBeNull();
        expect(wasmExpF32(new Float32Array(4))).toBeNull();
      } finally {
        vi.unstubAllGlobals();
        resetWasmKernel();
      }
      expect(computeLoss(req()).ok).toBe(true);
      expect(wasmKernelStats().available).toBe(true);
    });
  }

  it('without shared memories (a browser page without isolation) uses plain ones, with the same results', () => {
    const req = makeBatch(80, 1000, 13, 'mean', true).req;
    const p = prepare(req);
    const shared = { loss: crossEntropy(p).loss, steps: Array.from(crossEntropySteps(p).softmax) };
    expect(existingInputSpace(p)?.ws.shared).toBe(true);
    vi.stubGlobal('SharedArrayBuffer', undefined);
    resetWasmKernel();
    try {
      const q = prepare(req);
      expect(crossEntropy(q).loss).toBe(shared.loss);
      expect(Array.from(crossEntropySteps(q).softmax)).toEqual(shared.steps);
      expect(existingInputSpace(q)?.ws.shared).toBe(false);
      expect(RowPool.create(1)).toBeNull();
    } finally {
      vi.unstubAllGlobals();
      resetWasmKernel();
    }
  });

  it(`keeps tiny inputs (< ${wasmMinElements} logits) on the scalar path in auto mode`, () => {
    const before = wasmKernelStats().wasmCalls;
    const out = computeLoss(makeBatch(1, 10, 5, 'mean', false).req);
    expect(out.ok).toBe(true);
    expect(wasmKernelStats().wasmCalls).toBe(before);
    computeLoss(makeBatch(4, 10, 5, 'mean', false).req);
    expect(wasmKernelStats().wasmCalls).toBe(before + 1);
  });
});
