/**
 * The forward with label smoothing (index targets, logits) in the wasm kernel: row statistics and
 * smoothing parts in one pass (smooth_* in wasmKernelModule.ts, emitted by wasmSmoothEmit.ts),
 * each row read for its max, its Σexp and its smoothing sum while it is in the cache. In place in
 * the input's workspace when it has one (input.ts; rows split across threads with a row runner),
 * else through the thread's scratch workspace a chunk at a time (small inputs, and the one-shot
 * forward, which reads the float64 source). The statistics are those of rows_* to the bit (the
 * same emitters), and the smoothing part is smoothing.ts's smoothingOfRow to the bit (torch's
 * summation order, the same rounded terms). With the gradient, the forward and the gradient run
 * in one call (smoothGrad_*: the row's gradient written in its smoothing sum's pass, while the
 * row is still in the cache; one row-pool job instead of two); rows shorter than torch's vector
 * take the forward's statistics and gradG_* apart.
 */
import type { LossResult } from './crossEntropy';
import { inputOf, inputSpace, outputArray, writeTargets, type InputSpace } from './input';
import type { Floats, Prepared } from './prepare';
import { reduced } from './reduce';
import { smoothedLoss, smoothingOfRow, smoothingSums } from './smoothing';
import { runJob, scratchWorkspace, type Workspace } from './wasmKernel';
import { spanElems } from './wasmKernelModule';
import {
  copyIn,
  countWasmCall,
  dataOffset,
  keepRowStats,
  paramBytes,
  scratchLayout,
  scratchStatsArray,
  smoothRowsFit,
  smoothRowsLong,
  spaceJob,
  statSlots,
  wasmForwardStats,
  wasmRowsEligible,
  type Stats,
} from './wasmForward';

const fround = Math.fround;

/** Bytes of input rows per kernel call: as the forward's chunks, kept in the L2 cache. */
const chunkBytes = 256 * 1024;
/** Bytes of rows per scratch call of the gradient, whose output shares the cache with the input. */
const gradChunkBytes = 64 * 1024;

/**
 * Per row (max, Σexp, x_t, smoothing part) at a[at + 4n …] as float64, or null when these rows do
 * not run in wasm here: not eligible (K-dim, too small, no wasm), a row shorter than torch's
 * vector ({@link smoothRowsFit}), or no memory. `oneShot`: the input is used once (computeLoss):
 * unless it has an input workspace already, read through the scratch workspace rather than make
 * one. The statistics are in memory the next kernel call on this thread (or on this workspace)
 * reuses: read them first.
 */
export function wasmSmoothedStats(p: Prepared, oneShot: boolean): Stats | null {
  // The statistics do not depend on ε: allRowStatistics (rowStats.ts) asks for them at ε = 0 too.
  if (!wasmRowsEligible(p) || !smoothRowsLong(p)) return null;
  const { N, C } = p;
  const f32 = p.dtype === 'float32';
  const space = inputSpace(p, !oneShot);
  if (space) {
    spaceJob(space, f32 ? 'smooth_f32' : 'smooth_f64', N, C, [], [space.w]);
    countWasmCall(N);
    return { a: space.ws.f64, at: space.stats >> 3 };
  }
  const stats = scratchStatsArray(statSlots * N);
  if (!scratchSmoothRows(p, 0, N, stats, 0)) return null;
  countWasmCall(N);
  const st = { a: stats, at: 0 };
  if (oneShot) keepRowStats(p, st);
  return st;
}

/**
 * smooth_* over rows [r0, r1) of `p` through the thread's scratch workspace, a chunk of whole rows
 * at a time; their statistics go to out[at …] (statSlots per row). False when its memory cannot
 * grow. Each call lays the scratch out again (another computation may have used it in between),
 * and a row's statistics do not depend on the chunk it ran in, so rows may be done a few at a time.
 */
export function scratchSmoothRows(p: Prepared, r0: number, r1: number, out: Float64Array, at: number): boolean {
  const k = scratchWorkspace();
  if (!k) return false;
  const { C } = p;
  const f32 = p.dtype === 'float32';
  // A float32 input not copied to float32 yet is read from its float64 source, rounded on load.
  const data = f32 && p.x !== null ? p.x : p.source;
  const elem = data instanceof Float64Array ? 8 : 4;
  const fn = !f32 ? 'smooth_f64' : elem === 8 ? 'smooth_f64s' : 'smooth_f32';
  const rowsPer = Math.min(r1 - r0, Math.max(1, Math.floor(chunkBytes / (C * elem))));
  const [, sOff, pOff, end] = scratchLayout(rowsPer, rowsPer * C * elem, 0, 0);
  const wSize = f32 ? 4 : 8;
  const wOff = p.weight ? (end + 63) & ~63 : 0;
  if (!k.ensure(p.weight ? wOff + C * wSize + 64 : end)) return false;
  if (p.weight) {
    if (f32) k.f32.set(p.weight, wOff >> 2);
    else k.f64.set(p.weight, wOff >> 3);
  }
  const o = sOff >> 3;
  for (let a = r0; a < r1; a += rowsPer) {
    const rows = Math.min(rowsPer, r1 - a);
    copyIn(k, data, a * C, (a + rows) * C);
    writeTargets(p, k, pOff, a, a + rows);
    k.fn[fn](dataOffset, rows, C, sOff, pOff, wOff);
    out.set(k.f64.subarray(o, o + statSlots * rows), at + statSlots * (a - r0));
  }
  return true;
}

/**
 * smooth_* over rows [r0, r1) of `p`'s input workspace `space` (split across the row runner's
 * threads where it pays), their statistics copied to out[at …]: another job on the workspace may
 * write its statistics region before the pass that asked for these rows is done.
 */
export function spaceSmoothRows(
  p: Prepared,
  space: InputSpace,
  r0: number,
  r1: number,
  out: Float64Array,
  at: number,
): void {
  const { C } = p;
  const row = C * space.size;
  const rows = r1 - r0;
  runJob(space.ws, {
    fn: p.dtype === 'float32' ? 'smooth_f32' : 'smooth_f64',
    nRows: rows,
    C,
    args: [space.x + r0 * row, rows, C, space.stats + r0 * statSlots * 8, space.params + r0 * paramBytes, space.w],
    strides: [row, 0, 0, statSlots * 8, paramBytes, 0],
  });
  const s = (space.stats >> 3) + statSlots * r0;
  out.set(space.ws.f64.subarray(s, s + statSlots * rows), at);
}

/**
 * The forward with label smoothing (index targets, logits) from the wasm kernel's row statistics,
 * or null when its rows do not run in wasm: per row the nll part as the wasm forward forms it
 * (wasmForward.ts lossesFromStats) and the smoothing part from the same max and lse: summed by the
 * kernel in the same pass ({@link wasmSmoothedStats}), or here (smoothing.ts) for rows shorter
 * than a vector.
 */
export function wasmSmoothedForward(p: Prepared, oneShot: boolean, wantGrad = false): LossResult | null {
  const both = wantGrad ? wasmSmoothedStatsAndGradient(p) : null;
  const fused = both ? both.st : wasmSmoothedStats(p, oneShot);
  const st = fused ?? wasmForwardStats(p, oneShot);
  if (!st) return null;
  const res = smoothedFromStats(p, st, !!fused);
  if (wantGrad) {
    const grad = both ? both.grad : wasmSmoothGradient(p, res, st);
    if (grad) res.grad = grad;
  }
  return res;
}

/**
 * The smoothed forward's result from every row's statistics `st` (max, Σexp, x_t and, when
 * `fused`, the smoothing part the kernel summed; else summed here from the input).
 */
export function smoothedFromStats(p: Prepared, st: Stats, fused: boolean): LossResult {
  const { N, C, weight, ignoreIndex, labelSmoothing: eps } = p;
  const f32 = p.dtype === 'float32';
  const x = f32 && p.x !== null ? p.x : p.source;
  const t = p.indices as Float64Array;
  const losses = new Float64Array(N);
  const parts = new Float64Array(N);
  let ignored: Uint8Array | null = null;
  let nllSum = 0;
  let den = 0;
  const { a, at } = st;
  for (let n = 0, i = at; n < N; n++, i += statSlots) {
    const ti = t[n];
    if (ti === ignoreIndex) {
      (ignored ??= new Uint8Array(N))[n] = 1;
      continue;
    }
    const m = a[i];
    const w = weight ? weight[ti] : 1;
    let nll: number;
    let lse: number;
    if (f32) {
      lse = fround(Math.log(fround(a[i + 1])));
      nll = fround(-(fround(fround(a[i + 2] - m) - lse) * w));
    } else {
      lse = Math.log(a[i + 1]);
      nll = -((a[i + 2] - m - lse) * w);
    }
    const smooth = fused ? a[i + 3] : smoothingOfRow(x, n * C, C, 1, m, lse, weight, f32);
    parts[n] = smooth;
    losses[n] = smoothedLoss(nll, smooth, eps, C, f32);
    nllSum += nll;
    den += w;
  }
  const { smooth, smoothDen } = smoothingSums(p, parts, ignored);
  return reduced(p, p.reduction, losses, ignored, { nll: nllSum, smooth, den, smoothDen });
}

/** The upstream gradients of a smoothed request: see {@link wasmSmoothGradient}. */
interface Upstream {
  /** G_c = w_c·(g0·ε/C), rounded to the dtype. */
  G: Float32Array | Float64Array;
  /** Σ_c G_c in class order (float64). */
  total: number;
  /** g0·(1 − ε), rounded to the dtype. */
  gNll: number;
}

/** The upstream gradients for the reduction's denominator `D` (mean; 1 otherwise). */
function upstreamOf(p: Prepared, D: number): Upstream {
  const { C, weight, labelSmoothing: eps } = p;
  const f32 = p.dtype === 'float32';
  const round = f32 ? fround : (v: number): number => v;
  const g0 = round(-(p.reduction === 'mean' ? round(1 / D) : 1));
  const gNll = round(g0 * round(1 - eps));
  const gSmooth = round(g0 * round(eps / C));
  // Each G_c rounded to the dtype by the store into its array; unweighted, every one is gSmooth. Two
  // plain loops: with the rounding and the weight chosen per element this was 0.2-1 ms per call
  // at C = 50 257, 13% of the gradient's time at (64, 50 257).
  const G = f32 ? new Float32Array(C) : new Float64Array(C);
  if (weight) for (let c = 0; c < C; c++) G[c] = weight[c] * gSmooth;
  else G.fill(gSmooth);
  let total = 0;
  for (let c = 0; c < C; c++) total += G[c];
  return { G, total, gNll };
}

/**
 * Writes rows [r0, r0 + rows)'s gradient parameters into the params region at `pOff` (its first
 * row's): the target (−1: ignored), the address of the row's upstream gradients (`gRows`, shared;
 * `zeros` for an ignored row), Σ_c gout_c and gout_t (see {@link wasmSmoothGradient}).
 */
function writeGradParams(
  p: Prepared,
  k: Workspace,
  pOff: number,
  r0: number,
  rows: number,
  u: Upstream,
  gRows: number,
  zeros: number,
): void {
  const round = p.dtype === 'float32' ? fround : (v: number): number => v;
  const { weight, ignoreIndex } = p;
  const t = p.indices as Float64Array;
  const { G, total, gNll } = u;
  const i32 = k.i32;
  const f64 = k.f64;
  for (let j = 0, pi = pOff >> 2, pf = pi >> 1; j < rows; j++, pi += 6, pf += 3) {
    const ti = t[r0 + j];
    if (ti === ignoreIndex) {
      i32[pi] = -1;
      i32[pi + 1] = zeros;
      f64[pf + 1] = 0;
      f64[pf + 2] = 0;
      continue;
    }
    const gt = round(G[ti] + round((weight ? weight[ti] : 1) * gNll));
    i32[pi] = ti;
    i32[pi + 1] = gRows;
    f64[pf + 1] = round(total - G[ti] + gt);
    f64[pf + 2] = gt;
  }
}

/**
 * The smoothed forward's statistics (as {@link wasmSmoothedStats}) and the gradient (as
 * {@link wasmSmoothGradient}) in one kernel call per chunk (smoothGrad_*: each row read for its
 * max, its Σexp, its smoothing sum and its gradient while it is in the cache, and in the input
 * workspace one job split across the row pool), or null where those rows do not run so. The
 * mean's denominator is formed before the forward as reduced() forms it after (Σ w_t over the
 * kept targets in sample order, rounded to the dtype): it depends on the targets alone. The
 * gradient is the Prepared's own output array or a view into its input workspace (copy to keep).
 */
function wasmSmoothedStatsAndGradient(p: Prepared): { st: Stats; grad: Floats } | null {
  if (!wasmRowsEligible(p) || !smoothRowsFit(p) || p.C > spanElems) return null;
  const { N, C, weight, ignoreIndex } = p;
  const f32 = p.dtype === 'float32';
  const t = p.indices as Float64Array;
  let den = 0;
  for (let n = 0; n < N; n++) if (t[n] !== ignoreIndex) den += weight ? weight[t[n]] : 1;
  const u = upstreamOf(p, f32 ? fround(den) : den);
  const fn = f32 ? 'smoothGrad_f32' : 'smoothGrad_f64';
  const sz = f32 ? 4 : 8;
  const shift = f32 ? 2 : 3;
  const gStride = (C * sz + 64 + 63) & ~63;
  const space = inputSpace(p, true);
  if (space) {
    const k = space.ws;
    const view = f32 ? k.f32 : k.f64;
    view.set(u.G, space.G >> shift);
    view.fill(0, (space.G + gStride) >> shift, (space.G + gStride + C * sz) >> shift);
    writeGradParams(p, k, space.params, 0, N, u, space.G, space.G + gStride);
    spaceJob(space, fn, N, C, [space.g], [space.w]);
    countWasmCall(N);
    const grad = f32
      ? new Float32Array(k.memory.buffer, space.g, N * C)
      : new Float64Array(k.memory.buffer, space.g, N * C);
    return { st: { a: k.f64, at: space.stats >> 3 }, grad };
  }
  const k = scratchWorkspace();
  if (!k) return null;
  const xs = inputOf(p);
  const rowsPer = Math.min(N, Math.max(1, Math.floor(gradChunkBytes / (C * sz))));
  const [, gOff, sOff, pOff, end] = scratchLayout(rowsPer, rowsPer * C * sz, rowsPer * C * sz, 1);
  const gRows = (end + 63) & ~63;
  const wOff = weight ? gRows + 2 * gStride : 0;
  if (!k.ensure(gRows + 2 * gStride + (weight ? C * sz : 0) + 64)) return null;
  const view = f32 ? k.f32 : k.f64;
  if (weight) view.set(weight, wOff >> shift);
  view.set(u.G, gRows >> shift);
  view.fill(0, (gRows + gStride) >> shift, (gRows + gStride + C * sz) >> shift);
  const stats = scratchStatsArray(statSlots * N);
  const grad = outputArray(p, 'grad');
  const o = sOff >> 3;
  for (let r0 = 0; r0 < N; r0 += rowsPer) {
    const rows = Math.min(rowsPer, N - r0);
    copyIn(k, xs, r0 * C, (r0 + rows) * C);
    writeGradParams(p, k, pOff, r0, rows, u, gRows, gRows + gStride);
    k.fn[fn](dataOffset, rows, C, sOff, pOff, gOff, wOff);
    stats.set(k.f64.subarray(o, o + statSlots * rows), statSlots * r0);
    grad.set(view.subarray(gOff >> shift, (gOff >> shift) + rows * C), r0 * C);
  }
  countWasmCall(N);
  return { st: { a: stats, at: 0 }, grad };
}

/**
 * d loss / d input with label smoothing (index targets, logits) in the wasm kernel (gradG_* in
 * wasmKernelModule.ts), or null when its rows do not run there. `st`: the rows' statistics the
 * forward of the same request just computed (in place in the input workspace, or a copy), which
 * gradG_* reads instead of computing max and Σexp again. As sampleGradient
 * (crossEntropy.ts) and torch's backward form it: the upstream gradients g0 = −1/D (mean) or −1,
 * G_c = w_c·(g0·ε/C) for every class and at the target gout_t = G_t + w_t·(g0·(1 − ε)), each
 * rounded to the dtype; the row's Σ_c gout_c = (Σ_c G_c − G_t) + gout_t (the Σ over G made once,
 * in class order, in float64, and rounded to the dtype per row as sampleGradient does); then
 * log_softmax's backward g_c = gout_c − p_c·Σ with the forward's row statistics (the same
 * emitters) and the kernel's exp. An ignored row has gout = 0: 0 − p·0.
 *
 * The gradient is the Prepared's own output array (a view into its input workspace for large
 * inputs), reused by the next gradient on the same Prepared: copy it to keep it.
 */
function wasmSmoothGradient(p: Prepared, res: LossResult, st: Stats): Floats | null {
  if (!wasmRowsEligible(p) || p.C > spanElems) return null;
  const { N, C } = p;
  const f32 = p.dtype === 'float32';
  const u = upstreamOf(p, res.denominator);
  const space = inputSpace(p, true);
  const sz = f32 ? 4 : 8;
  const shift = f32 ? 2 : 3;
  const gStride = (C * sz + 64 + 63) & ~63;
  const k = space ? space.ws : scratchWorkspace();
  if (!k) return null;
  const rowsPer = space ? N : Math.min(N, Math.max(1, Math.floor(gradChunkBytes / (C * sz))));
  // Scratch: the rows, their gradient, statistics and parameters, then the two G rows.
  const [, gOff, sOff, pOff, end] = space
    ? [0, space.g, space.stats, space.params, 0]
    : scratchLayout(rowsPer, rowsPer * C * sz, rowsPer * C * sz, 1);
  const gRows = space ? space.G : (end + 63) & ~63;
  if (!space && !k.ensure(gRows + 2 * gStride + 64)) return null;
  // The forward's statistics where gradG_* reads them, unless they are there already.
  if (space && !(st.a === k.f64 && st.at === sOff >> 3))
    k.f64.set(st.a.subarray(st.at, st.at + statSlots * N), sOff >> 3);
  const view = f32 ? k.f32 : k.f64;
  view.set(u.G, gRows >> shift);
  view.fill(0, (gRows + gStride) >> shift, (gRows + gStride + C * sz) >> shift);
  const grad = space
    ? f32
      ? new Float32Array(k.memory.buffer, space.g, N * C)
      : new Float64Array(k.memory.buffer, space.g, N * C)
    : outputArray(p, 'grad');
  const xs = space ? null : inputOf(p);
  const fn = f32 ? 'gradG_f32' : 'gradG_f64';
  for (let r0 = 0; r0 < N; r0 += rowsPer) {
    const rows = Math.min(rowsPer, N - r0);
    if (xs) copyIn(k, xs, r0 * C, (r0 + rows) * C);
    if (!space) k.f64.set(st.a.subarray(st.at + statSlots * r0, st.at + statSlots * (r0 + rows)), sOff >> 3);
    writeGradParams(p, k, pOff, r0, rows, u, gRows, gRows + gStride);
    if (space) spaceJob(space, fn, N, C, [space.g]);
    else {
      k.fn[fn](dataOffset, rows, C, sOff, pOff, gOff);
      grad.set(view.subarray(gOff >> shift, (gOff >> shift) + rows * C), r0 * C);
    }
  }
  countWasmCall(N);
  return grad;
}
