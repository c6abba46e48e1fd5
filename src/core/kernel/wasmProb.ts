/**
 * The forward with probability targets (logits, (N, C) rows) in the wasm kernel: per row the
 * statistics of rows_* and Σ_c log p_c·q_c·w_c in one pass (prob_* in wasmKernelModule.ts, emitted
 * by wasmProbEmit.ts), in place in the input's workspace when it has one (input.ts: it holds the
 * targets too, copied in once), else rows and their targets copied through the thread's scratch
 * workspace a chunk at a time. The float32 dtype without its dtype copy (the one-shot forward of computeLoss)
 * reads the float64 source and rounds on load, as the index forward does.
 *
 * The losses are those of the JS reference on the kernel's log_softmax (scalarRows.ts
 * probabilityLosses over crossEntropySteps' output): the same statistics (same emitters), the same
 * terms added in the same order, so the forward, the steps and the breakdown agree to the bit.
 * Every row's (max, Σexp) is kept for the breakdown and gradientRow that read them after
 * (wasmForward.ts keepRowStats).
 *
 * With the gradient (crossEntropy(p, true)) the forward and the gradient run in one kernel call
 * per chunk (probGrad_*, wasmProbEmit.ts): each row read for its statistics, then once for its
 * loss sum together with its upstream row and that row's Σ (the two serial float64 sums side by
 * side), then once to write log_softmax's backward over the upstream row — as sampleGradient
 * (crossEntropy.ts) and torch's backward form it: g0 = −1/N (mean) or −1, gout_c = (q̃_c·w_c)·g0,
 * each product rounded to the dtype, Σ_c gout_c in class order in float64 rounded to the dtype,
 * g_c = gout_c − p_c·Σ with the kernel's exp. The gradient is the Prepared's own output array,
 * reused by its next gradient (copy it to keep it).
 */
import type { LossResult } from './crossEntropy';
import { existingInputSpace, inputOf, inputSpace, outputArray, type InputSpace } from './input';
import type { Floats, Prepared } from './prepare';
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
  spaceRowJob,
  statSlots,
  wasmRowsEligible,
} from './wasmForward';

const fround = Math.fround;

/** Bytes of input rows per kernel call: with their targets, kept in the L2 cache. */
const chunkBytes = 128 * 1024;
/** Bytes of input rows per call with the gradient, whose targets and output share the cache. */
const gradChunkBytes = 64 * 1024;

/** Whether `p`'s rows with probability targets run in wasm: (N, C) logits, rows up to a span. */
export function probRowsInWasm(p: Prepared): boolean {
  return p.targetKind === 'probabilities' && p.inputKind === 'logits' && p.C <= spanElems && wasmRowsEligible(p);
}

/**
 * crossEntropy(p, wantGrad) for probability targets in wasm, or null when these rows do not run
 * there ({@link probRowsInWasm}) or the scratch memory cannot grow. loss_n = −Σ_c log p_c·q_c·w_c
 * with q smoothed to (1 − ε)·q + ε/C, rounded as the reference rounds it; mean divides by N.
 * `wantGrad`: the gradient too, in the same calls (see the file comment).
 */
export function wasmProbForward(p: Prepared, wantGrad = false): LossResult | null {
  if (!probRowsInWasm(p)) return null;
  const { N, C, weight, labelSmoothing: eps } = p;
  const f32 = p.dtype === 'float32';
  const round = f32 ? fround : (v: number): number => v;
  const a = round(1 - eps);
  const b = round(eps / C);
  // The upstream scale as torch's backward forms it (crossEntropy.ts sampleGradient): −1/D for
  // mean, D = N·d1·…·dK as reduced() divides the loss by (S = 1 here), else −1.
  const g0 = round(-(p.reduction === 'mean' ? round(1 / N) : 1));
  // In place where the input has a workspace (input.ts: it holds the targets too); a gradient
  // makes one, as the dtype copy it needs would be made there.
  const space = wantGrad ? inputSpace(p, true) : existingInputSpace(p);
  if (space) return inSpace(p, space, wantGrad, a, b, g0);
  const k = scratchWorkspace();
  if (!k) return null;
  const q = p.probs as Float32Array | Float64Array;
  // The gradient reads (and writes) rows in the dtype: a float32 input gets its dtype copy.
  const data = wantGrad ? inputOf(p) : f32 && p.x !== null ? p.x : p.source;
  const elem = data instanceof Float64Array ? 8 : 4;
  const qSize = f32 ? 4 : 8;
  const kind = !f32 ? 'f64' : elem === 8 ? 'f64s' : 'f32';
  const rowsPer = Math.min(N, Math.max(1, Math.floor((wantGrad ? gradChunkBytes : chunkBytes) / (C * elem))));
  const [, qOff, gOff, sOff, pOff, end] = scratchLayout(rowsPer, rowsPer * C * elem, rowsPer * C * qSize, 2);
  const wOff = weight ? (end + 63) & ~63 : 0;
  if (!k.ensure(weight ? wOff + C * qSize + 64 : end)) return null;
  if (weight) {
    if (f32) k.f32.set(weight, wOff >> 2);
    else k.f64.set(weight, wOff >> 3);
  }
  // No target class: rows_*' x_t slot stays 0.
  for (let j = 0, at = pOff >> 2; j < rowsPer; j++, at += paramBytes >> 2) k.i32[at] = -1;
  const grad = wantGrad ? outputArray(p, 'grad') : null;
  const view = f32 ? k.f32 : k.f64;
  const shift = f32 ? 2 : 3;
  const stats = scratchStatsArray(statSlots * N);
  const o = sOff >> 3;
  for (let r0 = 0; r0 < N; r0 += rowsPer) {
    const rows = Math.min(rowsPer, N - r0);
    copyIn(k, data, r0 * C, (r0 + rows) * C);
    view.set(q.subarray(r0 * C, (r0 + rows) * C), qOff >> shift);
    if (grad) {
      const fn = f32
        ? eps > 0
          ? 'probGradSmooth_f32'
          : 'probGrad_f32'
        : eps > 0
          ? 'probGradSmooth_f64'
          : 'probGrad_f64';
      k.fn[fn](dataOffset, rows, C, sOff, pOff, qOff, wOff, a, b, gOff, g0);
      grad.set(view.subarray(gOff >> shift, (gOff >> shift) + rows * C), r0 * C);
    } else {
      const fn = eps > 0 ? (`probSmooth_${kind}` as const) : (`prob_${kind}` as const);
      k.fn[fn](dataOffset, rows, C, sOff, pOff, qOff, wOff, a, b);
    }
    stats.set(k.f64.subarray(o, o + statSlots * rows), statSlots * r0);
  }
  countWasmCall(N);
  keepRowStats(p, { a: stats, at: 0 });
  return result(p, stats, 0, grad);
}

/** {@link wasmProbForward} in `p`'s input workspace: one job over all rows, no copies. */
function inSpace(p: Prepared, s: InputSpace, wantGrad: boolean, a: number, b: number, g0: number): LossResult {
  const { N, C } = p;
  const f32 = p.dtype === 'float32';
  const smooth = p.labelSmoothing > 0;
  const targets = [{ row: s.q }, { value: s.w }, { value: a }, { value: b }];
  let grad: Floats | null = null;
  // Split across the row pool like the index rows (its jobs carry a, b and g0 with their bits).
  if (wantGrad) {
    const g = f32 ? (smooth ? 'probGradSmooth_f32' : 'probGrad_f32') : smooth ? 'probGradSmooth_f64' : 'probGrad_f64';
    spaceRowJob(s, g, N, C, [...targets, { row: s.g }, { value: g0 }]);
    const buf = s.ws.memory.buffer;
    grad = f32 ? new Float32Array(buf, s.g, N * C) : new Float64Array(buf, s.g, N * C);
  } else spaceRowJob(s, `prob${smooth ? 'Smooth' : ''}_${f32 ? 'f32' : 'f64'}`, N, C, targets);
  countWasmCall(N);
  return result(p, s.ws.f64, s.stats >> 3, grad);
}

/** The losses and reduction from the rows' Σ_c log p_c·q_c·w_c at `st[at + 4n + 3]`. */
function result(p: Prepared, st: Float64Array, at: number, grad: Floats | null): LossResult {
  const N = p.N;
  const f32 = p.dtype === 'float32';
  const losses = new Float64Array(N);
  let sum = 0;
  for (let n = 0, i = at + 3; n < N; n++, i += statSlots) {
    const l = f32 ? fround(-fround(st[i])) : -st[i];
    losses[n] = l;
    sum += l;
  }
  const res = reduced(p, p.reduction, losses, null, { nll: sum, smooth: 0, den: 0, smoothDen: 0 });
  if (grad) res.grad = grad;
  return res;
}
