/**
 * The forward with label smoothing, row statistics and smoothing parts in one pass of the wasm
 * kernel (smooth_* in wasmKernelModule.ts, emitted by wasmSmoothEmit.ts): rows go through the
 * thread's scratch workspace a chunk at a time (an input with label smoothing has no input
 * workspace, input.ts), and each row is read for its max, its Σexp and its smoothing sum while it
 * is in the cache. The statistics are those of rows_* to the bit (the same emitters), and the
 * smoothing part is smoothing.ts's smoothingOfRow to the bit (torch's summation order, the same
 * rounded terms).
 */
import { writeTargets } from './input';
import type { Prepared } from './prepare';
import { scratchWorkspace } from './wasmKernel';
import {
  copyIn,
  countWasmCall,
  dataOffset,
  scratchLayout,
  scratchStatsArray,
  statSlots,
  wasmRowsEligible,
  type Stats,
} from './wasmForward';

/** Bytes of input rows per kernel call: as the forward's chunks, kept in the L2 cache. */
const chunkBytes = 256 * 1024;

/**
 * Per row (max, Σexp, x_t, smoothing part) at a[at + 4n …] as float64, or null when these rows do
 * not run in wasm here: not eligible (K-dim, too small, no wasm), a row shorter than torch's
 * vector (8 float32, 4 float64; torch sums it in one scalar lane, smoothing.ts does), or no
 * memory. The statistics are in a buffer the next kernel call on this thread reuses: read them
 * first.
 */
export function wasmSmoothedStats(p: Prepared): Stats | null {
  if (!wasmRowsEligible(p)) return null;
  const { N, C } = p;
  const f32 = p.dtype === 'float32';
  if (C < (f32 ? 8 : 4)) return null;
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
  return { a: stats, at: 0 };
}
