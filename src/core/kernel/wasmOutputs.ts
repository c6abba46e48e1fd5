/**
 * The materialised outputs of the WebAssembly kernel (wasmKernelModule.ts): crossEntropySteps'
 * log_softmax and softmax (with label smoothing, each row's smoothing part, and with probability
 * targets each row's loss, summed by the same call while the row is in the cache) and
 * crossEntropy's gradient, for (N, C) inputs with index targets. Rows run in place in the
 * input's workspace (input.ts; split across threads with a row runner), or through the thread's
 * scratch workspace a chunk at a time for small inputs and probability targets. The statistics
 * are the forward's (wasmForward.ts: same emitters, same bits).
 */
import type { Floats, Prepared } from './prepare';
import {
  inputOf,
  inputSpace,
  outputArray,
  rowOutputArrays,
  stepsOutputs,
  writeTargets,
  type RowOutputs,
} from './input';
import { smoothedLoss } from './smoothing';
import { scratchWorkspace } from './wasmKernel';
import { spanElems } from './wasmKernelModule';
import {
  copyIn,
  countWasmCall,
  dataOffset,
  lossesFromStats,
  scratchLayout,
  scratchStatsArray,
  smoothRowsFit,
  spaceJob,
  spaceRowJob,
  statSlots,
  wasmRowsEligible,
  type ForwardSums,
} from './wasmForward';

const fround = Math.fround;

/** Bytes of rows per scratch call for the steps and the gradient, whose outputs share the cache with the input. */
const outChunkBytes = 64 * 1024;

type StepsProbFn = 'stepsProb_f32' | 'stepsProb_f64' | 'stepsProbSmooth_f32' | 'stepsProbSmooth_f64';

/** The materialised steps of {@link wasmSteps}, with the forward's per-row losses and sums. */
export interface WasmSteps extends ForwardSums {
  softmax: Floats;
  logSoftmax: Floats;
  max: Float64Array;
  logSumExp: Float64Array;
  /**
   * With label smoothing summed by the kernel ({@link smoothRowsFit}): each row's smoothing part
   * (0 where ignored); `losses` are then the smoothed losses and `num` the Σ of the nll parts.
   * Null otherwise (with label smoothing the caller takes the losses from the forward).
   */
  parts: Float64Array | null;
}

/**
 * crossEntropySteps' rows in wasm (S = 1): log_softmax, softmax and per row max and logSumExp,
 * or null when the scalar path must run (then the forward runs scalar too: same eligibility).
 * Per row: max and Σexp exactly as the forward, x − max and exp(x − max) stored on the way, then
 * lse = log Σ (float32: fround(log(fround(Σ)))), softmax = exp·(1/Σ) and log_softmax = (x − max) − lse
 * in the dtype. The reported max is NaN when the row holds a NaN (as torch's max and the scalar
 * steps), logSumExp = max + lse (rounded for float32). The losses come in the same pass over the
 * rows, from log_softmax at the target as the kernel's own operations on x_t give it (bit for bit
 * the stored value, without reading it back from the large, no longer cached output):
 * loss = −(log p_t·w), rounded to the dtype. With label smoothing (C at least torch's vector) the
 * same call sums each row's smoothing part −Σ_c log p_c·w_c over the log_softmax it has just
 * stored, in torch's order (smooth_* in wasmSmoothEmit.ts: the same terms, the same sum), and
 * loss = (1 − ε)·nll + (ε / C)·part as the forward (wasmSmooth.ts) forms it: the forward's bits.
 * Probability targets (in the input workspace, which holds their targets, or through the scratch
 * one with their targets copied in with the rows) sum −Σ_c log p_c·q_c·w_c in the normalising pass (stepsProb_* in wasmProbEmit.ts: the
 * terms and order of prob_* and scalarRows.ts probabilityLosses over the stored log_softmax).
 *
 * Every array is the Prepared's own (input.ts: stepsOutputs, rowOutputArrays; views into its input
 * workspace for large inputs), reused by the next steps call on the same Prepared: copy to keep.
 */
export function wasmSteps(p: Prepared): WasmSteps | null {
  if (!wasmRowsEligible(p)) return null;
  const { N, C, weight, ignoreIndex, labelSmoothing: eps } = p;
  const f32 = p.dtype === 'float32';
  // Probability targets: their loss sums taken by the same call (stepsProb_*), into `parts` as
  // scratch; in place in the input workspace (which holds their targets), split across the row
  // pool like the others (its jobs carry 1 − ε and ε / C with their bits), else through the
  // scratch one.
  const prob = p.targetKind === 'probabilities';
  const smooth = !prob && smoothRowsFit(p);
  const space = inputSpace(p, true);
  let softmax: Floats;
  let logSoftmax: Floats;
  let rows: RowOutputs;
  let st: Float64Array;
  let at: number;
  if (space) {
    if (prob) {
      const fn = `stepsProb${eps > 0 ? 'Smooth' : ''}_${f32 ? 'f32' : 'f64'}` as const;
      const [a, b] = f32 ? [fround(1 - eps), fround(eps / C)] : [1 - eps, eps / C];
      const rest = [
        { row: space.d },
        { row: space.e },
        { row: space.q },
        { value: space.w },
        { value: a },
        { value: b },
      ];
      spaceRowJob(space, fn, N, C, rest);
    } else if (smooth) {
      spaceJob(space, f32 ? 'stepsSmooth_f32' : 'stepsSmooth_f64', N, C, [space.d, space.e], [space.w]);
    } else spaceJob(space, f32 ? 'steps_f32' : 'steps_f64', N, C, [space.d, space.e]);
    const b = space.ws.memory.buffer;
    logSoftmax = f32 ? new Float32Array(b, space.d, N * C) : new Float64Array(b, space.d, N * C);
    softmax = f32 ? new Float32Array(b, space.e, N * C) : new Float64Array(b, space.e, N * C);
    rows = rowOutputArrays(p);
    st = space.ws.f64;
    at = space.stats >> 3;
    if (smooth || prob) {
      // The parts (sums) at params + 24n + 8, read before anything else runs on the workspace.
      const { parts } = rows;
      for (let n = 0, j = (space.params >> 3) + 1; n < N; n++, j += 3) parts[n] = st[j];
    }
  } else {
    if (C > spanElems) return null; // only when the input workspace could not be had
    const o = stepsOutputs(p);
    ({ logSoftmax, softmax } = o);
    rows = o;
    const fn = prob
      ? (`stepsProb${eps > 0 ? 'Smooth' : ''}_${f32 ? 'f32' : 'f64'}` as const)
      : (`steps${smooth ? 'Smooth' : ''}_${f32 ? 'f32' : 'f64'}` as const);
    const stats = scratchRows(p, fn, logSoftmax, softmax, 0, smooth || prob ? o.parts : null);
    if (!stats) return null;
    st = stats;
    at = 0;
  }
  const { max, logSumExp, losses } = rows;
  const parts = smooth ? rows.parts : null;
  const sums = rows.parts;
  const t = p.indices;
  let ignored: Uint8Array | null = null;
  let num = 0;
  let den = 0;
  for (let n = 0; n < N; n++) {
    const i = at + statSlots * n;
    const m = st[i];
    const sum = st[i + 1];
    const lse = st[i + 3]; // the kernel's: fround(log(fround(Σ))) for float32
    const rm = sum !== sum ? rowMaxNaN(p, n) : m;
    max[n] = rm;
    logSumExp[n] = f32 ? fround(rm + lse) : rm + lse;
    if (!t) {
      // Probability targets: −Σ_c log p_c·q_c·w_c, rounded as scalarRows.ts probabilityLosses.
      const l = f32 ? fround(-fround(sums[n])) : -sums[n];
      losses[n] = l;
      num += l;
      continue;
    }
    const ti = t[n];
    if (ti === ignoreIndex) {
      (ignored ??= new Uint8Array(N))[n] = 1;
      losses[n] = 0;
      if (parts) parts[n] = 0;
      continue;
    }
    const w = weight ? weight[ti] : 1;
    const l = f32 ? fround(-(fround(fround(st[i + 2] - m) - lse) * w)) : -((st[i + 2] - m - lse) * w);
    losses[n] = parts ? smoothedLoss(l, parts[n], eps, C, f32) : l;
    num += l;
    den += w;
  }
  countWasmCall(N);
  return { softmax, logSoftmax, max, logSumExp, losses, ignored, num, den, parts };
}

/**
 * Runs steps_* or grad_* over all rows of `p` through the scratch workspace, a chunk of rows at a
 * time, copying the outputs into `d` and `e` (steps) or `d` alone (grad: `e` null, the rows'
 * upstream gradients written with their targets in one pass, w_t·g0 at the target and as the
 * row's Σ, 0 for an ignored row). stepsSmooth_*: the weights copied in once, each row's
 * smoothing part copied out into `parts`. Returns the rows' statistics, or null when the scratch
 * memory cannot grow.
 */
function scratchRows(
  p: Prepared,
  fn: 'steps_f32' | 'steps_f64' | 'stepsSmooth_f32' | 'stepsSmooth_f64' | 'grad_f32' | 'grad_f64' | StepsProbFn,
  d: Floats,
  e: Floats | null,
  g0: number,
  parts: Float64Array | null = null,
): Float64Array | null {
  const k = scratchWorkspace();
  if (!k) return null;
  const { N, C, weight, ignoreIndex } = p;
  const t = p.indices as Float64Array;
  const xs = inputOf(p);
  const f32 = p.dtype === 'float32';
  const sz = f32 ? 4 : 8;
  const rowsPer = Math.min(N, Math.max(1, Math.floor(outChunkBytes / (C * sz))));
  const bytes = rowsPer * C * sz;
  const prob = fn.startsWith('stepsProb');
  // stepsProb_*: the rows' targets q too, in the dtype, before the two outputs.
  const [, qOff, dOff, eOff, sOff, pOff, end] = prob
    ? scratchLayout(rowsPer, bytes, bytes, 3)
    : [0, 0, ...scratchLayout(rowsPer, bytes, bytes, 2).slice(1)];
  const wOff = parts && weight ? (end + 63) & ~63 : 0;
  if (!k.ensure(wOff ? wOff + C * sz + 64 : end)) return null;
  if (wOff) {
    if (f32) k.f32.set(weight as Floats, wOff >> 2);
    else k.f64.set(weight as Floats, wOff >> 3);
  }
  const stats = scratchStatsArray(statSlots * N);
  const view = f32 ? k.f32 : k.f64;
  // 1 − ε and ε / C in the dtype (stepsProbSmooth_*), as wasmProb.ts passes them.
  const a = f32 ? fround(1 - p.labelSmoothing) : 1 - p.labelSmoothing;
  const b = f32 ? fround(p.labelSmoothing / C) : p.labelSmoothing / C;
  const shift = f32 ? 2 : 3;
  for (let r0 = 0; r0 < N; r0 += rowsPer) {
    const rows = Math.min(rowsPer, N - r0);
    copyIn(k, xs, r0 * C, (r0 + rows) * C);
    if (e === null) {
      const i32 = k.i32;
      const f64 = k.f64;
      for (let j = 0, pi = pOff >> 2, pf = pOff >> 3; j < rows; j++, pi += 6, pf += 3) {
        const ti = t[r0 + j];
        let gt = 0;
        i32[pi + 1] = 0; // statistics not known: computed
        if (ti === ignoreIndex) i32[pi] = -1;
        else {
          i32[pi] = ti;
          gt = f32 ? fround((weight ? weight[ti] : 1) * g0) : (weight ? weight[ti] : 1) * g0;
        }
        f64[pf + 1] = gt;
        f64[pf + 2] = gt;
      }
      k.fn[fn as 'grad_f32'](dataOffset, rows, C, sOff, pOff, dOff);
    } else if (prob) {
      writeTargets(p, k, pOff, r0, r0 + rows);
      view.set((p.probs as Floats).subarray(r0 * C, (r0 + rows) * C), qOff >> shift);
      k.fn[fn as StepsProbFn](dataOffset, rows, C, sOff, pOff, dOff, eOff, qOff, wOff, a, b);
      for (let j = 0, at = (pOff >> 3) + 1; j < rows; j++, at += 3) (parts as Float64Array)[r0 + j] = k.f64[at];
    } else if (parts) {
      writeTargets(p, k, pOff, r0, r0 + rows);
      k.fn[fn as 'stepsSmooth_f32'](dataOffset, rows, C, sOff, pOff, dOff, eOff, wOff);
      for (let j = 0, at = (pOff >> 3) + 1; j < rows; j++, at += 3) parts[r0 + j] = k.f64[at];
    } else {
      writeTargets(p, k, pOff, r0, r0 + rows);
      k.fn[fn as 'steps_f32'](dataOffset, rows, C, sOff, pOff, dOff, eOff);
    }
    d.set(view.subarray(dOff >> shift, (dOff >> shift) + rows * C), r0 * C);
    if (e) e.set(view.subarray(eOff >> shift, (eOff >> shift) + rows * C), r0 * C);
    stats.set(k.f64.subarray(sOff >> 3, (sOff >> 3) + statSlots * rows), statSlots * r0);
  }
  return stats;
}

/** torch's max of row n (NaN if any element is), read from the source as the dtype rounds it. */
function rowMaxNaN(p: Prepared, n: number): number {
  const x = p.source;
  const f32 = p.dtype === 'float32';
  const start = n * p.C;
  let m = f32 ? fround(x[start]) : x[start];
  for (let i = start + 1, end = start + p.C; i < end; i++) {
    const v = f32 ? fround(x[i]) : x[i];
    if (v > m || v !== v) m = v;
    if (m !== m) break;
  }
  return m;
}

/** The gradient and forward sums of {@link wasmGradient}. */
export interface WasmGradient extends ForwardSums {
  grad: Floats;
}

/**
 * crossEntropy(p, true) for index targets without label smoothing, in wasm: per row the forward's
 * statistics (same code, same bits: the loss equals the forward's) and the gradient in the same
 * call, as torch's backward computes it — the upstream gradient g0 = −1/D (mean, D = Σ w over
 * counted targets; −1 otherwise), gout_t = w_t·g0 at the target, then log_softmax's backward
 * g_c = 0 − p_c·gout_t and g_t += gout_t; an ignored row gets 0 − p_c·0 (NaN where p is).
 * Null when the scalar path must run.
 *
 * In the input workspace, once a job has left every row's statistics there (a forward, the
 * steps or a gradient on the same Prepared: InputSpace.statsReady), the rows are read once, for
 * the gradient alone, instead of three times (max, Σexp, gradient): the forward's own max and Σ,
 * so the same lse, loss and gradient bits as computing them again.
 *
 * `grad` is the Prepared's own output array (a view into its input workspace for large inputs),
 * reused by the next gradient on the same Prepared: copy it to keep it.
 */
export function wasmGradient(p: Prepared): WasmGradient | null {
  if (!wasmRowsEligible(p)) return null;
  const { N, C, weight, ignoreIndex } = p;
  const f32 = p.dtype === 'float32';
  const round = f32 ? fround : (v: number): number => v;
  const t = p.indices as Float64Array;
  let den = 0;
  for (let n = 0; n < N; n++) if (t[n] !== ignoreIndex) den += weight ? weight[t[n]] : 1;
  const D = p.reduction === 'mean' ? round(den) : 1;
  // torch: grad = −(grad_output / total_weight) for mean; −grad_output otherwise.
  const g0 = round(-(p.reduction === 'mean' ? round(1 / D) : 1));
  const space = inputSpace(p, true);
  let grad: Floats;
  let st: Float64Array;
  let at: number;
  if (space) {
    const ws = space.ws;
    const f64 = ws.f64;
    const i32 = ws.i32;
    const base = space.params >> 3;
    // Every row's max, Σexp and x_t in the stats region already (a forward, steps or gradient
    // ran over this input): grad_* reads them instead of its max and Σexp passes.
    const known = space.statsReady ? 1 : 0;
    for (let n = 0; n < N; n++) {
      const ti = t[n];
      // Σ_c gout_c has one non-zero term, gout_t; an ignored row's is 0.
      const gt = ti === ignoreIndex ? 0 : round((weight ? weight[ti] : 1) * g0);
      i32[2 * base + 6 * n + 1] = known;
      f64[base + 3 * n + 1] = gt;
      f64[base + 3 * n + 2] = gt;
    }
    spaceJob(space, f32 ? 'grad_f32' : 'grad_f64', N, C, [space.g]);
    grad = f32
      ? new Float32Array(ws.memory.buffer, space.g, N * C)
      : new Float64Array(ws.memory.buffer, space.g, N * C);
    st = f64;
    at = space.stats >> 3;
  } else {
    if (C > spanElems) return null;
    grad = outputArray(p, 'grad');
    const stats = scratchRows(p, f32 ? 'grad_f32' : 'grad_f64', grad, null, g0);
    if (!stats) return null;
    st = stats;
    at = 0;
  }
  const sums = lossesFromStats(p, { a: st, at }, true);
  countWasmCall(N);
  // An explicit literal: V8's object spread is slow at this size of call.
  return { losses: sums.losses, ignored: sums.ignored, num: sums.num, den: sums.den, grad };
}
