/**
 * The WebAssembly SIMD float32 forward: index targets, no label smoothing, logits, (N, C) or (C)
 * input. The module (wasmKernelModule.ts) computes each row's max and Σexp in float32 lanes;
 * this side copies rows into its memory chunk by chunk and turns the row statistics into losses
 * exactly as the scalar forward does (crossEntropy.ts). It is assembled and compiled synchronously
 * on first use (`new WebAssembly.Module` on a 7.5 KB module: 1–3 ms, once per thread) and used when
 * `WebAssembly` exists and validates the module (SIMD support); otherwise the scalar path runs.
 *
 * Data: wasm can only read its own memory, so rows are copied in chunks of ~256 KiB (kept in the
 * L2 cache for the kernel's two passes over each row; memory stays small whatever N is); a row
 * longer than 256 Ki elements goes span by span (its max over the spans, then its Σexp). The rows
 * come from the float32 input, or — when `prepare` left the float32 copy unmade (large inputs,
 * see prepare.ts) — straight from the request's float64 array, rounded to float32 in the kernel
 * (f32x4.demote_f64x2_zero, round-to-nearest like Math.fround), so computeLoss never holds a
 * second full copy of the input.
 *
 * crossEntropySteps (wasmStepsF32) runs the same rows through the same max / Σexp code, storing
 * x − max and exp(x − max) on the way, then a SIMD pass turns them into log_softmax and softmax;
 * smaller chunks there (its input, x − max and exp areas share the L2 cache), copied out into the
 * result arrays chunk by chunk, so the kernel's memory stays within a few MB (4 MB for a 256 Ki-class row) whatever N is.
 */
import { deferredSource } from './deferredInput';
import type { Prepared } from './prepare';
import { kernelModuleBytes, type KernelExports } from './wasmKernelModule';

const fround = Math.fround;

/**
 * Largest error of the wasm exp (Cephes expf in float32 lanes, wasmKernelModule.ts), in float32
 * ulps of the correctly rounded result, where that result is a normal float32 (≥ 2^−126, i.e.
 * y ≥ −87.3365). Measured over every float32 y in [−110, 0] (1 121 714 177 values) against
 * Math.fround(Math.exp(y)): of the 1 118 743 632 normal results, 9 432 742 (0.84%) are 1 ulp off
 * and none more. The 2 970 545 inputs whose exp is subnormal give 0 (flushed: absolute error
 * < 2^−126 ≈ 1.2e−38), as do those whose exp rounds to 0. NaN → NaN, −Inf → 0, 0 → 1 exactly.
 * In the loss: 1 ulp is ≤ 1.2e−7 relative per term, so Σexp (≥ 1, accumulated in float64) moves by
 * at most that much before its rounding to float32, lse = log Σexp by ≤ 1.2e−7 absolute — ~80×
 * inside the fixtures' float32 tolerance (1e−5 relative, 1e−6 absolute); measured against the
 * scalar path (whose exp is correctly rounded but for rare ties): ≤ 2 ulps of max(|loss|, |w|, 1)
 * over 24 339 random rows, 99.8% bit-equal (test/unit/kernel/wasmForward.test.ts).
 */
export const EXP_F32X4_MAX_ULP = 1;

/**
 * Below this many logits the scalar path is as fast as a trip through wasm (measured, ns per
 * call, scalar vs wasm: (1, 10) 222 vs 264, (1, 16) 245 vs 263, (1, 32) 342 vs 305, (64, 4)
 * 4321 vs 2665, (4096, 2) 217 µs vs 128 µs).
 */
export const wasmMinElements = 32;

/** Bytes of rows copied into wasm memory per kernel call: whole rows, kept in the L2 cache. */
const chunkBytes = 256 * 1024;
/**
 * A longer row is one chunk by itself up to this many elements (2 MiB of float64), and goes span
 * by span of {@link spanElems} beyond it. Counted in elements, not bytes, so a row is split the
 * same way whether it is read from the float32 input or the deferred float64 source: the spans'
 * partial sums, hence Σexp's bits, then do not depend on which one the forward, the steps or the
 * breakdown happened to read.
 */
const maxRowElems = 256 * 1024;
const spanElems = chunkBytes / 8;
/** Room after the data for the vector loads that read past a row's end. */
const pad = 64;
/** Data starts here (the first bytes are left unused: pointer 0 stays free of meaning). */
const dataOffset = 64;

/** Minimal typing of the WebAssembly JS API (lib.dom is not in this project's lib). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}

interface Kernel {
  memory: WasmMemory;
  fn: KernelExports;
  /** Views over the current buffer (renewed after memory.grow, which detaches the old one). */
  f32: Float32Array;
  f64: Float64Array;
}

/** undefined: not probed yet; null: unavailable (no WebAssembly, no SIMD, or it failed). */
let kernel: Kernel | null | undefined;
let backend: KernelBackend = 'auto';
const usage = { wasmCalls: 0, wasmRows: 0 };

/**
 * 'auto': wasm where it pays off (≥ {@link wasmMinElements} logits) and is available;
 * 'scalar': always the JS path; 'wasm': wasm whenever available, whatever the size (tests).
 */
export type KernelBackend = 'auto' | 'scalar' | 'wasm';

/**
 * Chooses the float32 forward's implementation, for tests and the bench (the scalar path stays
 * the reference). Does not re-probe: see {@link resetWasmKernel}.
 */
export function setKernelBackend(mode: KernelBackend): void {
  backend = mode;
}

/** The current {@link KernelBackend}. */
export function getKernelBackend(): KernelBackend {
  return backend;
}

/** Forgets the compiled kernel so the next use probes `WebAssembly` again (tests). */
export function resetWasmKernel(): void {
  kernel = undefined;
}

/** How often the wasm path ran since start-up, and whether it is available (null: not probed). */
export function wasmKernelStats(): { available: boolean | null; wasmCalls: number; wasmRows: number } {
  return { available: kernel === undefined ? null : kernel !== null, ...usage };
}

function probe(): Kernel | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api || typeof api.validate !== 'function') return null;
  try {
    const bytes = kernelModuleBytes();
    if (!api.validate(bytes)) return null; // no SIMD (or a bug in the module: the tests catch that)
    const memory = new api.Memory({ initial: 1 });
    const instance = new api.Instance(new api.Module(bytes), { env: { memory } });
    const fn = instance.exports as unknown as KernelExports;
    return { memory, fn, f32: new Float32Array(memory.buffer), f64: new Float64Array(memory.buffer) };
  } catch {
    return null; // e.g. a Content-Security-Policy without 'wasm-unsafe-eval'
  }
}

function getKernel(): Kernel | null {
  if (kernel === undefined) kernel = probe();
  return kernel;
}

/** Grows the memory to at least `bytes` and renews the views. */
function ensureBytes(k: Kernel, bytes: number): void {
  const have = k.memory.buffer.byteLength;
  if (bytes <= have) return;
  k.memory.grow(Math.ceil((bytes - have) / 65536));
  k.f32 = new Float32Array(k.memory.buffer);
  k.f64 = new Float64Array(k.memory.buffer);
}

/** Whether the forward of an (N, C) float32 input would run in wasm (probes on first call). */
export function wasmForwardEligible(N: number, C: number): boolean {
  if (backend === 'scalar' || (backend === 'auto' && N * C < wasmMinElements)) return false;
  return getKernel() !== null;
}

/** What {@link wasmForwardF32} hands back for crossEntropy.ts's reduce(). */
export interface ForwardSums {
  losses: Float64Array;
  ignored: Uint8Array | null;
  num: number;
  den: number;
}

/**
 * The float32 index-target forward (S = 1) in wasm, or null when the scalar path must run
 * (backend 'scalar', too small, or no wasm). Rows come from the request's float64 input while the
 * float32 copy is deferred (then `p.x` is not touched, which would make it), else from `p.x`.
 * Per row, as the scalar path: lse = fround(log(fround(Σexp))), loss = fround(−fround(fround(x_t −
 * max) − lse)·w); ignored targets give 0 and stay out of the sums.
 */
export function wasmForwardF32(p: Prepared): ForwardSums | null {
  const { N, C } = p;
  if (!wasmForwardEligible(N, C)) return null;
  const k = kernel as Kernel;
  const source = deferredSource(p);
  const elem = source ? 8 : 4;
  const rowBytes = C * elem;
  const spans = C > maxRowElems;
  const rowsPer = spans ? 1 : Math.min(N, Math.max(1, Math.floor(chunkBytes / rowBytes)));
  const dataBytes = spans ? chunkBytes : rowsPer * rowBytes;
  const outOffset = (dataOffset + dataBytes + pad + 15) & ~15; // float64 stats, 16-byte aligned
  try {
    ensureBytes(k, outOffset + rowsPer * 16); // ≤ ~2.1 MB in all
  } catch {
    return null; // memory.grow refused: the scalar path needs no extra memory
  }
  const x32 = source ? null : (p.x as Float32Array);
  const t = p.indices as Float64Array;
  const { weight, ignoreIndex } = p;
  const losses = new Float64Array(N);
  let ignored: Uint8Array | null = null;
  let num = 0;
  let den = 0;
  const outIndex = outOffset >> 3;
  for (let r0 = 0; r0 < N; r0 += rowsPer) {
    const rows = Math.min(rowsPer, N - r0);
    if (spans) {
      spanRowStats(k, source ?? (x32 as Float32Array), r0 * C, C, outOffset);
    } else if (source) {
      k.f64.set(source.subarray(r0 * C, (r0 + rows) * C), dataOffset >> 3);
      k.fn.rowsF64(dataOffset, rows, C, outOffset);
    } else {
      k.f32.set((x32 as Float32Array).subarray(r0 * C, (r0 + rows) * C), dataOffset >> 2);
      k.fn.rowsF32(dataOffset, rows, C, outOffset);
    }
    const out = k.f64;
    for (let j = 0; j < rows; j++) {
      const n = r0 + j;
      const ti = t[n];
      if (ti === ignoreIndex) {
        (ignored ??= new Uint8Array(N))[n] = 1;
        continue;
      }
      const m = out[outIndex + 2 * j];
      const lse = fround(Math.log(fround(out[outIndex + 2 * j + 1])));
      const xt = source ? fround(source[n * C + ti]) : (x32 as Float32Array)[n * C + ti];
      const w = weight ? weight[ti] : 1;
      const l = fround(-(fround(fround(xt - m) - lse) * w));
      losses[n] = l;
      num += l;
      den += w;
    }
  }
  usage.wasmCalls++;
  usage.wasmRows += N;
  return { losses, ignored, num, den };
}

/** The max of a long row, span by span, combined as pmax does (m < v ? v : m). */
function spanRowMax(k: Kernel, x: Float64Array | Float32Array, start: number, C: number, f64: boolean): number {
  let m = NaN;
  for (let a = 0; a < C; a += spanElems) {
    const b = Math.min(C, a + spanElems);
    copySpan(k, x, start + a, start + b, f64);
    const v = f64 ? k.fn.maxF64(dataOffset, b - a) : k.fn.maxF32(dataOffset, b - a);
    if (a === 0 || m < v) m = v;
  }
  return m;
}

/**
 * One row longer than maxRowElems, span by span: the max over spans (combined as pmax does:
 * m < v ? v : m), then Σexp over spans given the max. Writes (max, Σexp) at `outOffset`.
 */
function spanRowStats(k: Kernel, x: Float64Array | Float32Array, start: number, C: number, outOffset: number): void {
  const f64 = x instanceof Float64Array;
  const span = spanElems;
  const m = spanRowMax(k, x, start, C, f64);
  let sum = 0;
  for (let a = 0; a < C; a += span) {
    const b = Math.min(C, a + span);
    copySpan(k, x, start + a, start + b, f64);
    sum += f64 ? k.fn.sumF64(dataOffset, b - a, m) : k.fn.sumF32(dataOffset, b - a, m);
  }
  k.f64[outOffset >> 3] = m;
  k.f64[(outOffset >> 3) + 1] = sum;
}

function copySpan(k: Kernel, x: Float64Array | Float32Array, a: number, b: number, f64: boolean): void {
  if (f64) k.f64.set(x.subarray(a, b), dataOffset >> 3);
  else k.f32.set(x.subarray(a, b), dataOffset >> 2);
}

/**
 * exp of each value with the kernel's float32x4 exp (for tests and error measurement), or null
 * without wasm. Inputs are meant to be ≤ 0 or NaN, as the kernel's are.
 */
export function wasmExpF32(values: Float32Array): Float32Array | null {
  const k = getKernel();
  if (!k) return null;
  const len = (values.length + 3) & ~3;
  ensureBytes(k, dataOffset + len * 4 + pad);
  k.f32.fill(0, dataOffset >> 2, (dataOffset >> 2) + len);
  k.f32.set(values, dataOffset >> 2);
  k.fn.expF32(dataOffset, len);
  return k.f32.slice(dataOffset >> 2, (dataOffset >> 2) + values.length);
}

/** Rows of the steps' input per kernel call: its input, x − max and exp areas stay in the L2 cache. */
const stepsChunkBytes = 64 * 1024;

/**
 * crossEntropySteps' float32 rows in wasm (S = 1): fills `logSoftmax`, `softmax` (the input's
 * layout), and per row `max` and `logSumExp`, and returns true; false (nothing written) when the
 * scalar path must run — the forward then runs scalar too (same {@link wasmForwardEligible}), so
 * steps and forward always agree. Per row: max and Σexp exactly as {@link wasmForwardF32} (same
 * code, same chunking into spans for long rows, hence the same bits), x − max and exp(x − max)
 * stored on the way; lse = fround(log(fround(Σexp))) here in JS; then softmax = exp / fround(Σexp)
 * and log_softmax = (x − max) − lse in float32. The reported max is NaN when the row holds a NaN
 * (as torch's max and the scalar steps), logSumExp = fround(max + lse).
 */
export function wasmStepsF32(
  p: Prepared,
  softmax: Float32Array,
  logSoftmax: Float32Array,
  max: Float64Array,
  logSumExp: Float64Array,
): boolean {
  const { N, C } = p;
  if (p.S !== 1 || !wasmForwardEligible(N, C)) return false;
  const k = kernel as Kernel;
  const source = deferredSource(p);
  const elem = source ? 8 : 4;
  const rowBytes = C * elem;
  const spans = C > maxRowElems; // exactly when the forward goes span by span
  const rowsPer = spans ? 1 : Math.min(N, Math.max(1, Math.floor(stepsChunkBytes / rowBytes)));
  const inBytes = spans ? spanElems * elem : rowsPer * rowBytes;
  const outElems = spans ? spanElems : rowsPer * C;
  const dOffset = (dataOffset + inBytes + pad + 15) & ~15;
  const eOffset = (dOffset + outElems * 4 + pad + 15) & ~15;
  const statsOffset = (eOffset + outElems * 4 + pad + 15) & ~15;
  try {
    ensureBytes(k, statsOffset + rowsPer * 16);
  } catch {
    return false;
  }
  const x32 = source ? null : (p.x as Float32Array);
  const x = source ?? (x32 as Float32Array);
  const d0 = dOffset >> 2;
  const e0 = eOffset >> 2;
  const s0 = statsOffset >> 3;
  for (let r0 = 0; r0 < N; r0 += rowsPer) {
    const rows = Math.min(rowsPer, N - r0);
    if (spans) {
      spanRowSteps(k, x, r0, C, dOffset, eOffset, softmax, logSoftmax, max, logSumExp);
      continue;
    }
    if (source) {
      k.f64.set(source.subarray(r0 * C, (r0 + rows) * C), dataOffset >> 3);
      k.fn.stepsRowsF64(dataOffset, rows, C, dOffset, eOffset, statsOffset);
    } else {
      k.f32.set((x32 as Float32Array).subarray(r0 * C, (r0 + rows) * C), dataOffset >> 2);
      k.fn.stepsRowsF32(dataOffset, rows, C, dOffset, eOffset, statsOffset);
    }
    const st = k.f64;
    for (let j = 0; j < rows; j++) {
      const m = st[s0 + 2 * j];
      const sum = fround(st[s0 + 2 * j + 1]);
      const lse = fround(Math.log(sum));
      st[s0 + 2 * j] = sum;
      st[s0 + 2 * j + 1] = lse;
      const n = r0 + j;
      const rm = sum !== sum ? rowMaxNaN(x, n * C, C) : m;
      max[n] = rm;
      logSumExp[n] = fround(rm + lse);
    }
    k.fn.normRows(dOffset, eOffset, rows, C, statsOffset);
    const f = k.f32;
    logSoftmax.set(f.subarray(d0, d0 + rows * C), r0 * C);
    softmax.set(f.subarray(e0, e0 + rows * C), r0 * C);
  }
  usage.wasmCalls++;
  usage.wasmRows += N;
  return true;
}

/**
 * One row longer than maxRowElems (row `n`), span by span as {@link spanRowStats}: the max over
 * spans, then per span its Σexp (added in the forward's order) with x − max and exp copied out;
 * the normalising pass then runs here over the row's outputs (rare: C > 256 Ki).
 */
function spanRowSteps(
  k: Kernel,
  x: Float64Array | Float32Array,
  n: number,
  C: number,
  dOffset: number,
  eOffset: number,
  softmax: Float32Array,
  logSoftmax: Float32Array,
  max: Float64Array,
  logSumExp: Float64Array,
): void {
  const f64 = x instanceof Float64Array;
  const span = spanElems;
  const start = n * C;
  const m = spanRowMax(k, x, start, C, f64);
  let acc = 0;
  for (let a = 0; a < C; a += span) {
    const b = Math.min(C, a + span);
    copySpan(k, x, start + a, start + b, f64);
    acc += f64
      ? k.fn.stepsSpanF64(dataOffset, b - a, m, dOffset, eOffset)
      : k.fn.stepsSpanF32(dataOffset, b - a, m, dOffset, eOffset);
    logSoftmax.set(k.f32.subarray(dOffset >> 2, (dOffset >> 2) + (b - a)), start + a);
    softmax.set(k.f32.subarray(eOffset >> 2, (eOffset >> 2) + (b - a)), start + a);
  }
  const sum = fround(acc);
  const lse = fround(Math.log(sum));
  // The Float32Array stores round once: fround(e / sum) equals f32x4.div's result.
  for (let i = start, end = start + C; i < end; i++) {
    softmax[i] = softmax[i] / sum;
    logSoftmax[i] = logSoftmax[i] - lse;
  }
  const rm = sum !== sum ? rowMaxNaN(x, start, C) : m;
  max[n] = rm;
  logSumExp[n] = fround(rm + lse);
}

/** max of a row as float32, NaN if any element is NaN (torch's max; the kernel's skips NaN). */
function rowMaxNaN(x: Float64Array | Float32Array, start: number, C: number): number {
  let m = fround(x[start]);
  for (let i = start + 1, end = start + C; i < end; i++) {
    const v = fround(x[i]);
    if (v > m || v !== v) m = v;
    if (m !== m) break;
  }
  return m;
}

/**
 * max and Σexp (float64, unrounded) of the float32 row at `base` (length C, contiguous) exactly as
 * {@link wasmForwardF32} computes them for a batch of `N` such rows, or null when that forward
 * would run the scalar path. Lets the per-sample breakdown agree with the forward bit for bit.
 */
export function wasmRowStatsF32(
  x: Float32Array,
  base: number,
  N: number,
  C: number,
): { max: number; sumExp: number } | null {
  if (!wasmForwardEligible(N, C)) return null;
  const k = kernel as Kernel;
  const spans = C > maxRowElems;
  const outOffset = (dataOffset + (spans ? spanElems * 4 : C * 4) + pad + 15) & ~15;
  try {
    ensureBytes(k, outOffset + 16);
  } catch {
    return null;
  }
  if (spans) spanRowStats(k, x, base, C, outOffset);
  else {
    k.f32.set(x.subarray(base, base + C), dataOffset >> 2);
    k.fn.rowsF32(dataOffset, 1, C, outOffset);
  }
  return { max: k.f64[outOffset >> 3], sumExp: k.f64[(outOffset >> 3) + 1] };
}
