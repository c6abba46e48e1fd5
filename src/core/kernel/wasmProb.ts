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
import { inputOf, outputArray } from './input';
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
  statSlots,
  wasmRowsEligible,
} from './wasmForward';

const fround = Math.fround;

/** Bytes of input rows per kernel call: with their targets, kept in the L2 cache. */
const chunkBytes = 128 * 1024;
/** Bytes of rows per call of the gradient, whose output shares the cache with the input. */
const gradChunkBytes = 64 * 1024;

/** Whether `p`'s rows with probability targets run in wasm: (N, C) logits, rows up to a span. */
export function probRowsInWasm(p: Prepared): boolean {
  return p.targetKind === 'probabilities' && p.inputKind === 'logits' && p.C <= spanElems && wasmRowsEligible(p);
}

/**
 * crossEntropy(p) for probability targets in wasm, or null when these rows do not run there
 * ({@link probRowsInWasm}) or the scratch memory cannot grow. loss_n = −Σ_c log p_c·q_c·w_c with
 * q smoothed to (1 − ε)·q + ε/C, rounded as the reference rounds it; mean divides by N.
 */
export function wasmProbForward(p: Prepared, wantGrad = false): LossResult | null {
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
  const res = reduced(p, p.reduction, losses, null, { nll: sum, smooth: 0, den: 0, smoothDen: 0 });
  if (wantGrad) {
    const grad = wasmProbGradient(p, res, stats);
    if (grad) res.grad = grad;
  }
  return res;
}

/**
 * d loss / d input with probability targets in the wasm kernel (gradG_*, one upstream row per
 * sample), or null when the scratch memory cannot grow. As sampleGradient (crossEntropy.ts) and
 * torch's backward form it: g0 = −1/N (mean) or −1, gout_c = (q_c·w_c)·g0 with q smoothed as in
 * the forward, each product rounded to the dtype; the row's Σ_c gout_c in class order in float64,
 * rounded to the dtype; then g_c = gout_c − p_c·Σ with the forward's row statistics (`stats`, read
 * by the kernel, not computed again) and the kernel's exp. The upstream row is written where the
 * row's gradient goes and overwritten there by the kernel (each vector read before it is
 * written). The gradient is the Prepared's own output array, reused by its next gradient.
 */
function wasmProbGradient(p: Prepared, res: LossResult, stats: Float64Array): Floats | null {
  const k = scratchWorkspace();
  if (!k) return null;
  const { N, C, weight, labelSmoothing: eps } = p;
  const f32 = p.dtype === 'float32';
  const round = f32 ? fround : (v: number): number => v;
  const q = p.probs as Float32Array | Float64Array;
  const g0 = round(-(p.reduction === 'mean' ? round(1 / res.denominator) : 1));
  // q smoothed (ε > 0) as round(round(q·a) + b), as the reference smooths it.
  const a = round(1 - eps);
  const b = round(eps / C);
  const sz = f32 ? 4 : 8;
  const rowsPer = Math.min(N, Math.max(1, Math.floor(gradChunkBytes / (C * sz))));
  const [, gOff, sOff, pOff, end] = scratchLayout(rowsPer, rowsPer * C * sz, rowsPer * C * sz, 1);
  if (!k.ensure(end)) return null;
  const grad = outputArray(p, 'grad');
  const xs = inputOf(p);
  const fn = f32 ? 'gradG_f32' : 'gradG_f64';
  const shift = f32 ? 2 : 3;
  for (let r0 = 0; r0 < N; r0 += rowsPer) {
    const rows = Math.min(rowsPer, N - r0);
    copyIn(k, xs, r0 * C, (r0 + rows) * C);
    k.f64.set(stats.subarray(statSlots * r0, statSlots * (r0 + rows)), sOff >> 3);
    const i32 = k.i32;
    const f64 = k.f64;
    for (let j = 0, pi = pOff >> 2, pf = pi >> 1; j < rows; j++, pi += 6, pf += 3) {
      const row = gOff + j * C * sz;
      const total = f32
        ? upstreamF32(
            q as Float32Array,
            weight as Float32Array | null,
            eps > 0,
            a,
            b,
            g0,
            C,
            (r0 + j) * C,
            k.f32,
            row >> 2,
          )
        : upstreamF64(
            q as Float64Array,
            weight as Float64Array | null,
            eps > 0,
            a,
            b,
            g0,
            C,
            (r0 + j) * C,
            k.f64,
            row >> 3,
          );
      i32[pi] = -1;
      i32[pi + 1] = row;
      f64[pf + 1] = total;
    }
    k.fn[fn](dataOffset, rows, C, sOff, pOff, gOff);
    const view = f32 ? k.f32 : k.f64;
    grad.set(view.subarray(gOff >> shift, (gOff >> shift) + rows * C), r0 * C);
  }
  countWasmCall(N);
  return grad;
}

/**
 * One sample's upstream gradients gout_c = fround(fround(q̃_c·w_c)·g0), q̃_c = fround(fround(q_c·a) +
 * b) when `smooth`, else q_c, from q[i0 …] to out[o …]; returns their Σ in class order, rounded to float32. One loop per
 * dtype: a loop over both typed array kinds runs several times slower.
 */
function upstreamF32(
  q: Float32Array,
  w: Float32Array | null,
  smooth: boolean,
  a: number,
  b: number,
  g0: number,
  C: number,
  i0: number,
  out: Float32Array,
  o: number,
): number {
  let total = 0;
  for (let c = 0, i = i0; c < C; c++, i++, o++) {
    const qc = smooth ? fround(fround(q[i] * a) + b) : q[i];
    total += out[o] = fround(fround(w === null ? qc : qc * w[c]) * g0);
  }
  return fround(total);
}

/** {@link upstreamF32} in float64: gout_c = (q̃_c·w_c)·g0, q̃_c = q_c·a + b or q_c, the Σ unrounded. */
function upstreamF64(
  q: Float64Array,
  w: Float64Array | null,
  smooth: boolean,
  a: number,
  b: number,
  g0: number,
  C: number,
  i0: number,
  out: Float64Array,
  o: number,
): number {
  let total = 0;
  for (let c = 0, i = i0; c < C; c++, i++, o++) {
    const qc = smooth ? q[i] * a + b : q[i];
    total += out[o] = (w === null ? qc : qc * w[c]) * g0;
  }
  return total;
}
