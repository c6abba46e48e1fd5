/**
 * The forward with label smoothing (index targets, logits) in the wasm kernel: row statistics and
 * smoothing parts in one pass (smooth_* in wasmKernelModule.ts, emitted by wasmSmoothEmit.ts),
 * each row read for its max, its Σexp and its smoothing sum while it is in the cache. In place in
 * the input's workspace when it has one (input.ts; rows split across threads with a row runner),
 * else through the thread's scratch workspace a chunk at a time (small inputs, and the one-shot
 * forward, which reads the float64 source). The statistics are those of rows_* to the bit (the
 * same emitters), and the smoothing part is smoothing.ts's smoothingOfRow to the bit (torch's
 * summation order, the same rounded terms).
 */
import type { LossResult } from './crossEntropy';
import { inputSpace, writeTargets } from './input';
import type { Prepared } from './prepare';
import { reduced } from './reduce';
import { smoothedLoss, smoothingOfRow, smoothingSums } from './smoothing';
import { scratchWorkspace } from './wasmKernel';
import {
  copyIn,
  countWasmCall,
  dataOffset,
  keepRowStats,
  scratchLayout,
  scratchStatsArray,
  smoothRowsFit,
  spaceJob,
  statSlots,
  wasmForwardStats,
  wasmRowsEligible,
  type Stats,
} from './wasmForward';

const fround = Math.fround;

/** Bytes of input rows per kernel call: as the forward's chunks, kept in the L2 cache. */
const chunkBytes = 256 * 1024;

/**
 * Per row (max, Σexp, x_t, smoothing part) at a[at + 4n …] as float64, or null when these rows do
 * not run in wasm here: not eligible (K-dim, too small, no wasm), a row shorter than torch's
 * vector ({@link smoothRowsFit}), or no memory. `oneShot`: the input is used once (computeLoss):
 * unless it has an input workspace already, read through the scratch workspace rather than make
 * one. The statistics are in memory the next kernel call on this thread (or on this workspace)
 * reuses: read them first.
 */
export function wasmSmoothedStats(p: Prepared, oneShot: boolean): Stats | null {
  if (!wasmRowsEligible(p) || !smoothRowsFit(p)) return null;
  const { N, C } = p;
  const f32 = p.dtype === 'float32';
  const space = inputSpace(p, !oneShot);
  if (space) {
    spaceJob(space, f32 ? 'smooth_f32' : 'smooth_f64', N, C, [], [space.w]);
    countWasmCall(N);
    return { a: space.ws.f64, at: space.stats >> 3 };
  }
  const k = scratchWorkspace();
  if (!k) return null;
  // A float32 input not copied to float32 yet is read from its float64 source, rounded on load.
  const data = f32 && p.x !== null ? p.x : p.source;
  const elem = data instanceof Float64Array ? 8 : 4;
  const fn = !f32 ? 'smooth_f64' : elem === 8 ? 'smooth_f64s' : 'smooth_f32';
  const rowsPer = Math.min(N, Math.max(1, Math.floor(chunkBytes / (C * elem))));
  const [, sOff, pOff, end] = scratchLayout(rowsPer, rowsPer * C * elem, 0, 0);
  const wSize = f32 ? 4 : 8;
  const wOff = p.weight ? (end + 63) & ~63 : 0;
  if (!k.ensure(p.weight ? wOff + C * wSize + 64 : end)) return null;
  if (p.weight) {
    if (f32) k.f32.set(p.weight, wOff >> 2);
    else k.f64.set(p.weight, wOff >> 3);
  }
  const stats = scratchStatsArray(statSlots * N);
  const o = sOff >> 3;
  for (let r0 = 0; r0 < N; r0 += rowsPer) {
    const rows = Math.min(rowsPer, N - r0);
    copyIn(k, data, r0 * C, (r0 + rows) * C);
    writeTargets(p, k, pOff, r0, r0 + rows);
    k.fn[fn](dataOffset, rows, C, sOff, pOff, wOff);
    stats.set(k.f64.subarray(o, o + statSlots * rows), statSlots * r0);
  }
  countWasmCall(N);
  const st = { a: stats, at: 0 };
  if (oneShot) keepRowStats(p, st);
  return st;
}

/**
 * The forward with label smoothing (index targets, logits) from the wasm kernel's row statistics,
 * or null when its rows do not run in wasm: per row the nll part as the wasm forward forms it
 * (wasmForward.ts lossesFromStats) and the smoothing part from the same max and lse: summed by the
 * kernel in the same pass ({@link wasmSmoothedStats}), or here (smoothing.ts) for rows shorter
 * than a vector.
 */
export function wasmSmoothedForward(p: Prepared, oneShot: boolean): LossResult | null {
  const fused = wasmSmoothedStats(p, oneShot);
  const st = fused ?? wasmForwardStats(p, oneShot);
  if (!st) return null;
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
