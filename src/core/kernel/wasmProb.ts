/**
 * The forward with probability targets (logits, (N, C) rows) in the wasm kernel: per row the
 * statistics of rows_* and Σ_c log p_c·q_c·w_c in one pass (prob_* in wasmKernelModule.ts, emitted
 * by wasmProbEmit.ts), rows and their targets copied through the thread's scratch workspace a
 * chunk at a time. The float32 dtype without its dtype copy (the one-shot forward of computeLoss)
 * reads the float64 source and rounds on load, as the index forward does.
 *
 * The losses are those of the JS reference on the kernel's log_softmax (scalarRows.ts
 * probabilityLosses over crossEntropySteps' output): the same statistics (same emitters), the same
 * terms added in the same order, so the forward, the steps and the breakdown agree to the bit.
 * Every row's (max, Σexp) is kept for the gradient and the breakdown that read them after
 * (wasmForward.ts keepRowStats).
 */
import type { LossResult } from './crossEntropy';
import type { Prepared } from './prepare';
import { reduced } from './reduce';
import { scratchWorkspace } from './wasmKernel';
import { spanElems } from './wasmKernelModule';
import {
  copyIn,
  countWasmCall,
  dataOffset,
  keepRowStats,
  paramBytes,
  scratchLayout,
  scratchStatsArray,
  statSlots,
  wasmRowsEligible,
} from './wasmForward';

const fround = Math.fround;

/** Bytes of input rows per kernel call: with their targets, kept in the L2 cache. */
const chunkBytes = 128 * 1024;

/** Whether `p`'s rows with probability targets run in wasm: (N, C) logits, rows up to a span. */
export function probRowsInWasm(p: Prepared): boolean {
  return p.targetKind === 'probabilities' && p.inputKind === 'logits' && p.C <= spanElems && wasmRowsEligible(p);
}

/**
 * crossEntropy(p) for probability targets in wasm, or null when these rows do not run there
 * ({@link probRowsInWasm}) or the scratch memory cannot grow. loss_n = −Σ_c log p_c·q_c·w_c with
 * q smoothed to (1 − ε)·q + ε/C, rounded as the reference rounds it; mean divides by N.
 */
export function wasmProbForward(p: Prepared): LossResult | null {
  if (!probRowsInWasm(p)) return null;
  const k = scratchWorkspace();
  if (!k) return null;
  const { N, C, weight, labelSmoothing: eps } = p;
  const f32 = p.dtype === 'float32';
  const q = p.probs as Float32Array | Float64Array;
  const data = f32 && p.x !== null ? p.x : p.source;
  const elem = data instanceof Float64Array ? 8 : 4;
  const qSize = f32 ? 4 : 8;
  const kind = !f32 ? 'f64' : elem === 8 ? 'f64s' : 'f32';
  const fn = eps > 0 ? (`probSmooth_${kind}` as const) : (`prob_${kind}` as const);
  const rowsPer = Math.min(N, Math.max(1, Math.floor(chunkBytes / (C * elem))));
  const [, qOff, sOff, pOff, end] = scratchLayout(rowsPer, rowsPer * C * elem, rowsPer * C * qSize, 1);
  const wOff = weight ? (end + 63) & ~63 : 0;
  if (!k.ensure(weight ? wOff + C * qSize + 64 : end)) return null;
  if (weight) {
    if (f32) k.f32.set(weight, wOff >> 2);
    else k.f64.set(weight, wOff >> 3);
  }
  // No target class: rows_*' x_t slot stays 0.
  for (let j = 0, at = pOff >> 2; j < rowsPer; j++, at += paramBytes >> 2) k.i32[at] = -1;
  const a = f32 ? fround(1 - eps) : 1 - eps;
  const b = f32 ? fround(eps / C) : eps / C;
  const stats = scratchStatsArray(statSlots * N);
  const o = sOff >> 3;
  for (let r0 = 0; r0 < N; r0 += rowsPer) {
    const rows = Math.min(rowsPer, N - r0);
    copyIn(k, data, r0 * C, (r0 + rows) * C);
    if (f32) k.f32.set(q.subarray(r0 * C, (r0 + rows) * C), qOff >> 2);
    else k.f64.set(q.subarray(r0 * C, (r0 + rows) * C), qOff >> 3);
    k.fn[fn](dataOffset, rows, C, sOff, pOff, qOff, wOff, a, b);
    stats.set(k.f64.subarray(o, o + statSlots * rows), statSlots * r0);
  }
  countWasmCall(N);
  const st = { a: stats, at: 0 };
  keepRowStats(p, st);
  const losses = new Float64Array(N);
  let sum = 0;
  for (let n = 0, i = 3; n < N; n++, i += statSlots) {
    const l = f32 ? fround(-fround(stats[i])) : -stats[i];
    losses[n] = l;
    sum += l;
  }
  return reduced(p, p.reduction, losses, null, { nll: sum, smooth: 0, den: 0, smoothDen: 0 });
}
