/**
 * The JS side of the WebAssembly SIMD kernel (wasmKernelModule.ts) for (N, C) and (C) inputs with
 * logits: per row the max and Σexp in wasm (float32 or float64 lanes), and around them the same
 * arithmetic as the scalar path (crossEntropy.ts): losses, the reduction and lse. The fused steps
 * (log_softmax, softmax) and gradient are in wasmOutputs.ts, the label-smoothing forward in
 * wasmSmooth.ts; both use this file's layout and statistics.
 *
 * Where the rows come from:
 * - an input workspace (input.ts): the input in the working dtype lives in wasm memory and the
 *   kernel runs on it in place; with a row runner installed its rows are split across threads;
 * - otherwise the thread's scratch workspace, rows copied in a chunk at a time (~256 KiB, whole
 *   rows, kept in the L2 cache for the kernel's two passes): small inputs, and the one-shot
 *   forward of computeLoss, which reads the request's float64 source straight (rounding to float32
 *   in the kernel for the float32 dtype) so it never holds a second full copy of the input. A row
 *   longer than a span (wasmKernelModule.ts) goes span by span: its max over the spans, then its
 *   Σexp, the spans' sums added in order exactly as the module adds them.
 * Either way a row's statistics come from the same code, so the forward, the steps, the gradient
 * and the breakdown agree to the bit whichever path ran.
 *
 * The module is compiled synchronously on first use (wasmKernel.ts; a few ms, once per thread)
 * and used when `WebAssembly` exists and validates it (SIMD support); otherwise the scalar path
 * runs.
 */
import type { Floats, Prepared } from './prepare';
import { existingInputSpace, inputSpace, writeTargets, type InputSpace } from './input';
import {
  readPad,
  resetWasmKernel as resetRuntime,
  runJob,
  runRows,
  scratchWorkspace,
  wasmCompiled,
  wasmForwardEligible,
  type RowJob,
  type Workspace,
} from './wasmKernel';
import { spanElems, type RowFunction } from './wasmKernelModule';

export {
  getKernelBackend,
  setKernelBackend,
  wasmForwardEligible,
  wasmMinElements,
  type KernelBackend,
} from './wasmKernel';

const fround = Math.fround;

/**
 * Largest error of the wasm float32 exp (Cody–Waite and a degree-6 minimax polynomial in float32
 * lanes, wasmKernelEmit.ts emitExpF32), in float32 ulps of the correctly rounded result, where
 * that result is a normal float32 (≥ 2^−126, i.e. y ≥ −87.3365). Measured over every float32 y in
 * [−110, 0] (1 121 714 177 values) against exp rounded to float32, with a NumPy float32 model of
 * the module's operations in their order (which reproduces the previous, Cephes degree-7 exp's
 * figures exactly: 9 432 742 off by 1 ulp): of the 1 118 743 632 normal results, 9 481 668
 * (0.85%) are 1 ulp off and none more. Where the exps are stored (steps, gradient, breakdown), the 2 970 545 inputs
 * whose exp is subnormal give 0 (flushed: absolute error < 2^−126 ≈ 1.2e−38), as do those whose
 * exp rounds to 0. NaN → NaN, −Inf → 0, 0 → 1 exactly.
 * In the loss: 1 ulp is ≤ 1.2e−7 relative per term, so Σexp (≥ 1, accumulated in float64 but for
 * one float32 rounding of each pair of terms, ≤ 6e−8 relative) moves by at most ~1.5 ulp before
 * its rounding to float32, lse = log Σexp by ≤ 2e−7 absolute — far inside the fixtures' float32
 * tolerance (1e−5 relative, 1e−6 absolute); measured against the scalar path (whose exp is
 * correctly rounded but for rare ties): ≤ 2 ulps of max(|loss|, |w|, 1) over ≥ 10 000 random rows
 * (test/unit/kernel/wasmForward.test.ts).
 */
export const EXP_F32X4_MAX_ULP = 1;

/** Bytes of input rows copied into the scratch workspace per kernel call: kept in the L2 cache. */
const chunkBytes = 256 * 1024;
/** Scratch data starts here (pointer 0 stays free of meaning). */
export const dataOffset = 64;

const usage = { wasmCalls: 0, wasmRows: 0 };

/** Forgets the compiled kernel so the next use probes `WebAssembly` again (tests). */
export function resetWasmKernel(): void {
  resetRuntime();
}

/** Counts a kernel call over `rows` rows in {@link wasmKernelStats}. */
export function countWasmCall(rows: number): void {
  usage.wasmCalls++;
  usage.wasmRows += rows;
}

/** How often the wasm path ran since start-up, and whether it is available (null: not probed). */
export function wasmKernelStats(): { available: boolean | null; wasmCalls: number; wasmRows: number } {
  return { available: wasmCompiled() !== null, ...usage };
}

/** Whether `p`'s rows run in wasm: contiguous rows (S = 1) of a size where it pays. */
export function wasmRowsEligible(p: Prepared): boolean {
  return p.S === 1 && wasmForwardEligible(p.N, p.C);
}

/**
 * Whether the kernel sums `p`'s label-smoothing parts (smooth_*, stepsSmooth_*): label smoothing,
 * and rows at least torch's vector long (8 float32, 4 float64); shorter rows torch sums in one
 * scalar lane, which smoothing.ts does.
 */
export function smoothRowsFit(p: Prepared): boolean {
  return p.labelSmoothing > 0 && smoothRowsLong(p);
}

/** Whether `p`'s rows are at least torch's vector long, whatever its ε (see {@link smoothRowsFit}). */
export function smoothRowsLong(p: Prepared): boolean {
  return p.C >= (p.dtype === 'float32' ? 8 : 4);
}

/** What the forward hands back for crossEntropy.ts's reduce(). */
export interface ForwardSums {
  losses: Float64Array;
  ignored: Uint8Array | null;
  num: number;
  den: number;
}

/**
 * Row statistics of all rows as the module writes them: per row (max, Σexp, x_t, –), four
 * float64 from index `at` + 4n.
 */
export interface Stats {
  a: Float64Array;
  at: number;
}

/** Float64 slots per row of statistics (32 bytes, wasmKernelModule.ts). */
export const statSlots = 4;

/**
 * Row statistics and gradient parameters of the scratch path land in this buffer, reused from
 * call to call (each call reads them back before returning): on small inputs typed-array
 * allocations, not the arithmetic, are what a call costs.
 */
let scratchF64 = new Float64Array(1024);
export function scratchStatsArray(n: number): Float64Array {
  if (scratchF64.length < n) scratchF64 = new Float64Array(Math.max(n, 2 * scratchF64.length));
  return scratchF64;
}
/** Bytes per row of parameters (target class, upstream gradients). */
export const paramBytes = 24;

/**
 * Per row, as the scalar path: float32 lse = fround(log(fround(Σexp))), loss = fround(−fround(
 * fround(x_t − max) − lse)·w); float64 loss = −((x_t − max − log Σexp)·w). Ignored targets give
 * 0 and stay out of the sums. `haveLse`: the kernel stored lse (steps, gradient): the same value,
 * not computed again.
 */
export function lossesFromStats(p: Prepared, st: Stats, haveLse = false): ForwardSums {
  const { N, weight, ignoreIndex } = p;
  const t = p.indices as Float64Array;
  const f32 = p.dtype === 'float32';
  const losses = new Float64Array(N);
  let ignored: Uint8Array | null = null;
  let num = 0;
  let den = 0;
  const { a, at } = st;
  for (let n = 0; n < N; n++) {
    const ti = t[n];
    if (ti === ignoreIndex) {
      (ignored ??= new Uint8Array(N))[n] = 1;
      continue;
    }
    const i = at + statSlots * n;
    const m = a[i];
    const xt = a[i + 2];
    const w = weight ? weight[ti] : 1;
    let l: number;
    if (f32) {
      const lse = haveLse ? a[i + 3] : fround(Math.log(fround(a[i + 1])));
      l = fround(-(fround(fround(xt - m) - lse) * w));
    } else l = -((xt - m - (haveLse ? a[i + 3] : Math.log(a[i + 1]))) * w);
    losses[n] = l;
    num += l;
    den += w;
  }
  return { losses, ignored, num, den };
}

/** The row function for the statistics of `p`'s rows read as `elem`. */
function rowsFn(p: Prepared, fromSource: boolean): RowFunction {
  if (p.dtype === 'float64') return 'rows_f64';
  return fromSource ? 'rows_f64s' : 'rows_f32';
}

/**
 * Runs a row function over all rows of an input space: (x, nRows, C, stats, params, …outputs,
 * …constants), each output a region with one row of C elements per row, each constant the same
 * for every row (the weights' offset).
 */
export function spaceJob(
  s: InputSpace,
  fn: RowFunction,
  N: number,
  C: number,
  outputs: number[],
  constants: number[] = [],
): void {
  spaceRowJob(s, fn, N, C, [...outputs.map((row) => ({ row })), ...constants.map((value) => ({ value }))]);
}

/**
 * {@link spaceJob} with the arguments after params in any order: `{ row }` a region of one row of
 * C elements (the dtype) per row, `{ value }` the same for every row (an offset, or a float such
 * as 1 − ε: the row pool carries it with its bits).
 */
export function spaceRowJob(
  s: InputSpace,
  fn: RowFunction,
  N: number,
  C: number,
  rest: Array<{ row: number } | { value: number }>,
): void {
  const row = C * s.size;
  const job: RowJob = {
    fn,
    nRows: N,
    C,
    args: [s.x, N, C, s.stats, s.params, ...rest.map((r) => ('row' in r ? r.row : r.value))],
    strides: [row, 0, 0, statSlots * 8, paramBytes, ...rest.map((r) => ('row' in r ? row : 0))],
  };
  runJob(s.ws, job);
  s.statsReady = true;
}

/**
 * Every row's (max, Σexp) of a Prepared whose one-shot forward (computeLoss) computed them
 * through the scratch workspace, kept for the per-sample reads that follow it (the panel's heat
 * map and breakdown: {@link wasmRowStats}), which would otherwise compute them again row by row.
 * Only one-shot forwards keep them: a Prepared computed again and again (the bench, tests) has an
 * input workspace, or is small, and a Map write per call would show on small inputs.
 */
const keptStats = new WeakMap<Prepared, Float64Array>();

/** Keeps `st`'s (max, Σexp) of all of `p`'s rows (see {@link keptStats}). */
export function keepRowStats(p: Prepared, st: Stats): void {
  const N = p.N;
  const kept = new Float64Array(2 * N);
  const { a, at } = st;
  for (let n = 0, i = at; n < N; n++, i += statSlots) {
    kept[2 * n] = a[i];
    kept[2 * n + 1] = a[i + 1];
  }
  keptStats.set(p, kept);
}

/**
 * The index-target forward (S = 1) in wasm, or null when the scalar path must run (backend
 * 'scalar', too small, or no wasm). `oneShot`: the input is used once (computeLoss): unless it
 * has an input workspace already, read it from the float64 source through the scratch workspace
 * rather than making one.
 */
export function wasmForward(p: Prepared, oneShot: boolean): ForwardSums | null {
  const st = wasmForwardStats(p, oneShot);
  return st ? lossesFromStats(p, st) : null;
}

/**
 * The statistics of every row as {@link wasmForward} computes them (per row max, Σexp, x_t at
 * a[at + 4n …]), or null when the scalar path must run. They live in memory the next kernel call
 * on this thread reuses: read them before another.
 */
export function wasmForwardStats(p: Prepared, oneShot: boolean): Stats | null {
  if (!wasmRowsEligible(p)) return null;
  const { N, C } = p;
  const space = inputSpace(p, !oneShot);
  let out: Stats;
  if (space) {
    spaceJob(space, rowsFn(p, false), N, C, []);
    out = { a: space.ws.f64, at: space.stats >> 3 };
  } else {
    const fromSource = p.x === null || p.dtype === 'float64';
    const stats = scratchStats(p, fromSource ? p.source : (p.x as Float32Array));
    if (!stats) return null;
    out = { a: stats, at: 0 };
    if (oneShot) keepRowStats(p, out);
  }
  countWasmCall(N);
  return out;
}

/** Scratch layout for chunks of `rowsPer` rows of `rowBytes`: input, then stats, then params. */
export function scratchLayout(rowsPer: number, inBytes: number, outBytes: number, outs: number): number[] {
  const at = [dataOffset];
  let next = dataOffset + inBytes;
  for (let i = 0; i < outs; i++) {
    next = (next + readPad + 63) & ~63;
    at.push(next);
    next += outBytes;
  }
  const stats = (next + readPad + 63) & ~63;
  const params = (stats + rowsPer * statSlots * 8 + 63) & ~63;
  at.push(stats, params, params + rowsPer * paramBytes + readPad);
  return at;
}

/**
 * The statistics of every row of `data` (float32: the input or its float64 source; float64: the
 * input) through the scratch workspace, 4 per row, or null when its memory cannot grow.
 */
function scratchStats(p: Prepared, data: Floats): Float64Array | null {
  const k = scratchWorkspace();
  if (!k) return null;
  const { N, C } = p;
  const f64data = data instanceof Float64Array;
  const elem = f64data ? 8 : 4;
  const fn = p.dtype === 'float64' ? 'f64' : f64data ? 'f64s' : 'f32';
  const spans = C > spanElems;
  const rowsPer = spans ? 1 : Math.min(N, Math.max(1, Math.floor(chunkBytes / (C * elem))));
  const [, sOff, pOff, end] = scratchLayout(rowsPer, spans ? spanElems * elem : rowsPer * C * elem, 0, 0);
  if (!k.ensure(end)) return null;
  const stats = scratchStatsArray(statSlots * N);
  const o = sOff >> 3;
  for (let r0 = 0; r0 < N; r0 += rowsPer) {
    const rows = Math.min(rowsPer, N - r0);
    if (spans) {
      spanRowStats(k, data, r0 * C, C, fn, stats, statSlots * r0);
      const ti = (p.indices as Float64Array)[r0];
      stats[statSlots * r0 + 2] =
        ti === p.ignoreIndex ? 0 : p.dtype === 'float32' ? fround(data[r0 * C + ti]) : data[r0 * C + ti];
      continue;
    }
    copyIn(k, data, r0 * C, (r0 + rows) * C);
    writeTargets(p, k, pOff, r0, r0 + rows);
    k.fn[`rows_${fn}`](dataOffset, rows, C, sOff, pOff);
    stats.set(k.f64.subarray(o, o + statSlots * rows), statSlots * r0);
  }
  return stats;
}

export function copyIn(k: Workspace, data: Floats, a: number, b: number): void {
  if (data instanceof Float64Array) k.f64.set(data.subarray(a, b), dataOffset >> 3);
  else k.f32.set(data.subarray(a, b), dataOffset >> 2);
}

/**
 * One row longer than a span, span by span: the max over spans (combined as pmax does:
 * m < v ? v : m), then Σexp over spans given the max, added in order. Writes (max, Σexp) at
 * out[at], out[at + 1].
 */
function spanRowStats(
  k: Workspace,
  x: Floats,
  start: number,
  C: number,
  fn: 'f32' | 'f64s' | 'f64',
  out: Float64Array,
  at: number,
): void {
  let m = NaN;
  for (let a = 0; a < C; a += spanElems) {
    const b = Math.min(C, a + spanElems);
    copyIn(k, x, start + a, start + b);
    const v = k.fn[`maxSpan_${fn}`](dataOffset, b - a);
    if (a === 0 || m < v) m = v;
  }
  let sum = 0;
  for (let a = 0; a < C; a += spanElems) {
    const b = Math.min(C, a + spanElems);
    copyIn(k, x, start + a, start + b);
    sum += k.fn[`sumSpan_${fn}`](dataOffset, b - a, m);
  }
  out[at] = m;
  out[at + 1] = sum;
}

/**
 * exp of each value with the kernel's exp (float32 lanes, flushed below 2^−126; or float64
 * lanes), for the breakdown and the error measurements; null without wasm. Inputs are meant to be
 * ≤ 0 or NaN, as the kernel's are.
 */
export function wasmExp(values: Floats): Floats | null {
  const k = scratchWorkspace();
  if (!k) return null;
  const wide = values instanceof Float64Array;
  const n = values.length;
  const len = wide ? (n + 1) & ~1 : (n + 3) & ~3;
  const sz = wide ? 8 : 4;
  if (!k.ensure(dataOffset + len * sz + readPad)) return null;
  if (wide) {
    const at = dataOffset >> 3;
    k.f64.fill(0, at, at + len).set(values, at);
    k.fn.exp_f64(dataOffset, len);
    return k.f64.slice(at, at + n);
  }
  const at = dataOffset >> 2;
  k.f32.fill(0, at, at + len).set(values, at);
  k.fn.exp_f32(dataOffset, len);
  return k.f32.slice(at, at + n);
}

/** {@link wasmExp} of float32 values (tests). */
export function wasmExpF32(values: Float32Array): Float32Array | null {
  return wasmExp(values) as Float32Array | null;
}

/**
 * max and Σexp (float64, unrounded) of row `n` of `p` exactly as the wasm forward computes them,
 * or null when that forward would run the scalar path. Lets the per-sample breakdown agree with
 * the forward bit for bit.
 */
export function wasmRowStats(p: Prepared, n: number): { max: number; sumExp: number } | null {
  if (!wasmRowsEligible(p)) return null;
  const { C } = p;
  // Kept from a one-shot forward, or in the workspace after a pass over every row: the same bits.
  const kept = keptStats.get(p);
  if (kept) return { max: kept[2 * n], sumExp: kept[2 * n + 1] };
  const space = existingInputSpace(p);
  if (space?.statsReady) {
    const at = (space.stats >> 3) + statSlots * n;
    return { max: space.ws.f64[at], sumExp: space.ws.f64[at + 1] };
  }
  if (space) {
    const job: RowJob = {
      fn: rowsFn(p, false),
      nRows: 1,
      C,
      args: [space.x, 1, C, space.stats, space.params],
      strides: [C * space.size, 0, 0, statSlots * 8, paramBytes],
    };
    runRows(space.ws, job, n, n + 1);
    const at = (space.stats >> 3) + statSlots * n;
    return { max: space.ws.f64[at], sumExp: space.ws.f64[at + 1] };
  }
  const data = p.dtype === 'float64' || p.x === null ? p.source : p.x;
  const row = data.subarray(n * C, (n + 1) * C);
  const one: Prepared = { ...p, N: 1, x: null, indices: p.indices ? p.indices.subarray(n, n + 1) : null };
  const stats = scratchStats(one, row);
  return stats ? { max: stats[0], sumExp: stats[1] } : null;
}
