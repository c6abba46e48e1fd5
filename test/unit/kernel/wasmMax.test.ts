/**
 * The wasm row max (wasmMaxEmit.ts) takes four chains of vectors for speed, and a row whose max
 * is ±0 again with the two chains it always had, because the chains' order decides which zero is
 * kept (and the sign shows in x − max, log_softmax and the loss). Checked here against a model of
 * the two-chain order, written from the emitter's description, on rows full of zeros of both
 * signs, NaNs and −Inf, for every way a row reaches the kernel: float32 in the scratch workspace,
 * float32 in an input workspace, float32 read from the float64 source, float64.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { prepare, type Prepared } from '../../../src/core/kernel';
import { inputOf } from '../../../src/core/kernel/input';
import { setKernelBackend, wasmForwardStats } from '../../../src/core/kernel/wasmForward';
import type { DType, LossRequest } from '../../../src/core/types';
// mulberry32, seeded: the same rows on every run.
import { mulberry32 as rng } from '../../shared/mulberry32';
import { indexRequest } from '../requestBuilders';

afterEach(() => setKernelBackend('auto'));

/**
 * The two-chain max over one row as the kernel reads it: `lanes` per 16-byte vector, blocks of
 * four vectors into chains vm (vectors 0, 2) and vm1 (1, 3), every chain starting from the first
 * element in each lane, pmax(a, b) = a < b ? b : a; then single vectors into vm; vm, vm1 joined
 * by pmax, the lanes by wasm's max (NaN wins, +0 over −0: Math.max); `demote` rounds that to
 * float32 (float32 read from float64); then the leftover elements, each as the kernel loads it.
 */
function twoChainMax(vector: number[], scalar: number[], lanes: number, demote: boolean): number {
  const pmax = (a: number, b: number): number => (a < b ? b : a);
  const n = vector.length;
  const vm = new Array<number>(lanes).fill(vector[0]);
  const vm1 = vm.slice();
  let p = 0;
  for (; p + 4 * lanes <= n; p += 4 * lanes) {
    for (let j = 0; j < lanes; j++) {
      vm[j] = pmax(vm[j], vector[p + j]);
      vm1[j] = pmax(vm1[j], vector[p + lanes + j]);
      vm[j] = pmax(vm[j], vector[p + 2 * lanes + j]);
      vm1[j] = pmax(vm1[j], vector[p + 3 * lanes + j]);
    }
  }
  for (; p + lanes <= n; p += lanes) for (let j = 0; j < lanes; j++) vm[j] = pmax(vm[j], vector[p + j]);
  let m = Math.max(...vm.map((v, j) => pmax(v, vm1[j])));
  if (demote) m = Math.fround(m);
  for (; p < n; p++) m = m < scalar[p] ? scalar[p] : m;
  return m;
}

function rowsRequest(N: number, C: number, seed: number, dtype: DType): LossRequest {
  const r = rng(seed);
  const data = new Float64Array(N * C);
  for (let i = 0; i < data.length; i++) {
    const u = r();
    // Mostly ≤ 0, so most rows' max is a zero; a few positives, NaNs and −Inf.
    data[i] = u < 0.03 ? NaN : u < 0.06 ? -Infinity : u < 0.08 ? r() : u < 0.3 ? 0 : u < 0.52 ? -0 : -1 - 5 * r();
    if (i % C === 0 && r() < 0.5) data[i] = r() < 0.5 ? 0 : -0; // the first element: a zero
  }
  return indexRequest(data, [N, C], new Float64Array(N), { dtype });
}

/** Each row's max from the kernel's statistics against the model; returns rows with max ±0. */
function check(p: Prepared, oneShot: boolean, lanes: number, read: 'f32' | 'f64s' | 'f64'): number {
  const st = wasmForwardStats(p, oneShot);
  expect(st).not.toBeNull();
  const { a, at } = st as NonNullable<typeof st>;
  const { N, C } = p;
  let zeros = 0;
  for (let n = 0; n < N; n++) {
    const src = Array.from(p.source.subarray(n * C, (n + 1) * C));
    const f32 = src.map(Math.fround);
    const want = twoChainMax(read === 'f32' ? f32 : src, read === 'f64' ? src : f32, lanes, read === 'f64s');
    const got = a[at + 4 * n];
    if (!Object.is(got, want) && !(got !== got && want !== want)) {
      const text = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));
      throw new Error(`${read} ${N}×${C} row ${n}: kernel max ${text(got)}, model ${text(want)}`);
    }
    if (got === 0) zeros++;
  }
  return zeros;
}

describe('wasm row max: the zero kept is the two-chain order’s', () => {
  setKernelBackend('wasm');
  const widths = [1, 3, 4, 7, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 100, 129, 1000];

  it('float32 rows in the scratch workspace and in an input workspace', () => {
    setKernelBackend('wasm');
    let zeros = 0;
    for (const C of widths) {
      for (const N of [37, Math.ceil(20000 / C)]) {
        const p = prepare(rowsRequest(N, C, C * 7 + N, 'float32'));
        inputOf(p); // float32 copy (or workspace): the kernel reads float32
        zeros += check(p, false, 4, 'f32');
      }
    }
    expect(zeros).toBeGreaterThan(1000);
  });

  it('float32 read from the float64 source, and float64', () => {
    setKernelBackend('wasm');
    let zeros = 0;
    for (const C of widths) {
      zeros += check(prepare(rowsRequest(37, C, C * 11, 'float32')), true, 2, 'f64s');
      zeros += check(prepare(rowsRequest(37, C, C * 13, 'float64')), true, 2, 'f64');
      const big = prepare(rowsRequest(Math.ceil(20000 / C), C, C * 17, 'float64'));
      zeros += check(big, false, 2, 'f64');
    }
    expect(zeros).toBeGreaterThan(1000);
  });
});
