import type { Floats, Prepared } from './prepare';
import { gradIndexScalar } from './gradScalar';
import { probabilityLosses, rowMaxF32, rowMaxF64, rowMaxNoNaNF32, stepsF32, stepsF64, sumExpF32 } from './scalarRows';
import { inputOf, sampleLogits, stepsOutputs } from './input';
import { wasmForward, wasmRowStats, wasmRowsEligible } from './wasmForward';
import { wasmGradient, wasmSteps } from './wasmOutputs';
import { reduce, reduced } from './reduce';
import { smoothedLoss, smoothingOfLogp, smoothingSums } from './smoothing';
import { wasmSmoothedForward } from './wasmSmooth';
import { probRowsInWasm, wasmProbForward } from './wasmProb';
import { rowProbs } from './rowProbs';

export { reReduce } from './reduce';

const fround = Math.fround;
const identity = (v: number): number => v;

/**
 * The result of one evaluation. Every number is a value of the working dtype (float32 values are
 * exactly representable as float32), stored in doubles so it serialises without surprises.
 */
export interface LossResult {
  /** Per element (n, s) loss, in the layout of `lossShape`; 0 for ignored targets. */
  losses: Float64Array;
  /** The reduced loss: mean or sum; for reduction 'none', the sum of `losses` (what `.sum().backward()` differentiates). */
  loss: number;
  /** The reduction's numerator: Σ losses. */
  numerator: number;
  /** The reduction's denominator: Σ w[target] over non-ignored targets (index targets), N·d1·…·dK (probabilities); 1 for sum/none. */
  denominator: number;
  /** For index targets: 1 where the target equals ignore_index. */
  ignored: Uint8Array | null;
  /**
   * d loss / d input in the input's layout and the working dtype, when asked for. For logits with
   * index targets and no label smoothing this is the Prepared's own output array (for large
   * inputs a view into its workspace), reused (overwritten) by the next gradient computed for the
   * same Prepared: copy it to keep it.
   */
  grad?: Floats;
  /**
   * The running sums the reduction was made from (absent from a gradient's result): with
   * `losses`, what {@link reReduce} computes another reduction from.
   */
  sums?: ReductionSums;
}

/** The unrounded sums a forward's reduction is made from, in the kernel's own order. */
export interface ReductionSums {
  /** Σ of the per-element losses (index targets without smoothing, probability targets), or of the nll parts (smoothing). */
  nll: number;
  /** Σ of the smoothing parts (label smoothing with index targets); 0 otherwise. */
  smooth: number;
  /** Σ w[target] over the kept elements (index targets); 0 for probability targets. */
  den: number;
  /** The smoothing part's mean divisor (smoothing.ts: torch's own sum of the kept weights); 0 without smoothing. */
  smoothDen: number;
}

/**
 * Row statistics of the last {@link rowLogSumExp} call. `lse` is log Σ exp(x − max), so
 * log_softmax(x)_c = (x_c − max) − lse, in that order as torch does (pytorch#11752: forming
 * max + lse first loses digits when logits are large and close).
 */
const row = { max: 0, sumExp: 0, lse: 0 };

/**
 * log-sum-exp of one row with the max shift: max, Σ exp(x − max) and log of that sum.
 * See https://en.wikipedia.org/wiki/LogSumExp. A NaN anywhere makes the row NaN; a +Inf
 * makes x − max NaN (Inf − Inf) and hence the row NaN; an all −Inf row is NaN likewise —
 * the same propagation as torch's CPU log_softmax.
 * float32: each step is rounded to float32; the sum is accumulated in float64 and rounded once
 * (torch accumulates in float32 vector lanes; the difference is below float32's rounding error of
 * the sum). The exp is {@link fastExpNonPositive} (≤ 1e-13 relative, rounded to float32).
 */
function rowLogSumExp(x: Floats, base: number, C: number, S: number, f32: boolean): void {
  const m = f32 ? rowMaxF32(x as Float32Array, base, C, S) : rowMaxF64(x as Float64Array, base, C, S);
  if (f32) {
    const sum = fround(sumExpF32(x as Float32Array, base, C, S, m));
    row.sumExp = sum;
    row.lse = fround(Math.log(sum));
  } else {
    let sum = 0;
    for (let c = 0, i = base; c < C; c++, i += S) sum += Math.exp(x[i] - m);
    row.sumExp = sum;
    row.lse = Math.log(sum);
  }
  row.max = m;
}

/** log p of class `c` in the row at `base` after {@link rowLogSumExp}. */
function logProb(x: Floats, i: number, f32: boolean): number {
  return f32 ? fround(fround(x[i] - row.max) - row.lse) : x[i] - row.max - row.lse;
}

/**
 * Forward (and optionally backward) pass of `torch.nn.functional.cross_entropy` /
 * `nll_loss` on a prepared request. Semantics, per torch 1.13 (aten/src/ATen/native/LossNLL.cpp):
 * - index targets: loss_i = −w[t_i]·log p_i[t_i]; ignored targets contribute 0 and leave the
 *   denominator; mean = Σ loss_i / Σ w[t_i] (0/0 = NaN when all are ignored);
 * - label smoothing ε (index targets): (1 − ε)·nll + (ε/C)·(−Σ_c w_c log p_c), each part reduced
 *   with the same denominator;
 * - probability targets q (smoothed to (1 − ε)q + ε/C): loss_i = −Σ_c w_c q_c log p_c,
 *   mean divides by N·d1·…·dK whatever the weights;
 * - input_kind log_probs: the input is used as log p directly (nn.NLLLoss).
 * NOTE: expects unscaled logits (not softmax outputs) unless input_kind is log_probs.
 *
 * Logits with index targets and no label smoothing (the common case) take the fast paths: the
 * forward, or with `wantGrad` the forward and the gradient fused per row, in WebAssembly SIMD for
 * (N, C) inputs of ≥ 32 logits (wasmForward.ts), else in scalar loops; the rest takes the general
 * path below. See {@link LossResult.grad} for the gradient buffer's lifetime.
 */
export function crossEntropy(p: Prepared, wantGrad = false, options?: CrossEntropyOptions): LossResult {
  if (p.targetKind === 'indices' && p.labelSmoothing === 0 && p.inputKind === 'logits') {
    if (!wantGrad) {
      // WebAssembly SIMD where available and worth it (wasmForward.ts), else the scalar loops.
      const w = wasmForward(p, options?.oneShot === true);
      if (w) return reduce(p, w.losses, w.ignored, w.num, w.den);
      return p.dtype === 'float32' ? forwardIndexF32(p) : forwardIndexF64(p);
    }
    const g = wasmGradient(p);
    if (g) {
      // `ignored` always allocated with a gradient, as the general path does; the result built
      // whole, `grad` included, so it has one hidden class.
      const ignored = g.ignored ?? new Uint8Array(p.N);
      const f32 = p.dtype === 'float32';
      const numerator = f32 ? fround(g.num) : g.num;
      if (p.reduction !== 'mean')
        return { losses: g.losses, ignored, numerator, denominator: 1, loss: numerator, grad: g.grad };
      const denominator = f32 ? fround(g.den) : g.den;
      const loss = f32 ? fround(numerator / denominator) : numerator / denominator;
      return { losses: g.losses, ignored, numerator, denominator, loss, grad: g.grad };
    }
    return gradIndexScalar(p);
  }
  if (p.targetKind === 'indices' && p.inputKind === 'logits') {
    // Label smoothing: the rows' max and Σexp from the wasm kernel, as without it; the gradient
    // from the same statistics (rowStatistics).
    const s = wasmSmoothedForward(p, !wantGrad && options?.oneShot === true, wantGrad);
    if (s && wantGrad) s.grad ??= gradient(p, s);
    if (s) return s;
  }
  // Probability targets: the rows' statistics and losses from the wasm kernel (wasmProb.ts).
  const r = p.targetKind === 'probabilities' ? wasmProbForward(p, wantGrad) : null;
  if (r && wantGrad) r.grad ??= gradient(p, r);
  return r ?? general(p, wantGrad);
}

export interface CrossEntropyOptions {
  /**
   * The input is used this once (computeLoss): rather than copy a large input into a workspace
   * for later calls, read it from the request's float64 source (one copy of the input in memory).
   */
  oneShot?: boolean;
}

/**
 * The scalar hot path: index targets, no smoothing, forward only, float32 — small inputs, K-dim
 * inputs (S > 1), and the reference the wasm path (same semantics, exp within 1 float32 ulp) is
 * tested against. Monomorphic (Float32Array only: a loop shared with Float64Array inputs runs
 * ~15% slower in V8), no per-row object writes, `ignored` allocated only when a target is ignored.
 */
function forwardIndexF32(p: Prepared): LossResult {
  const x = inputOf(p) as Float32Array;
  const { N, C, S, weight, ignoreIndex } = p;
  const t = p.indices as Float64Array;
  const E = N * S;
  const losses = new Float64Array(E);
  let ignored: Uint8Array | null = null;
  let num = 0;
  let den = 0;
  const CS = C * S;
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      const e = n * S + s;
      const ti = t[e];
      if (ti === ignoreIndex) {
        (ignored ??= new Uint8Array(E))[e] = 1;
        continue;
      }
      const base = n * CS + s;
      const m = rowMaxNoNaNF32(x, base, C, S);
      const lse = fround(Math.log(fround(sumExpF32(x, base, C, S, m))));
      const w = weight ? weight[ti] : 1;
      const l = fround(-(fround(fround(x[base + ti * S] - m) - lse) * w));
      losses[e] = l;
      num += l;
      den += w;
    }
  }
  return reduce(p, losses, ignored, num, den);
}

/** The scalar hot path in float64 (Math.exp bound; monomorphic like the float32 one). */
function forwardIndexF64(p: Prepared): LossResult {
  const x = p.source as Float64Array; // a float64 request's source is float64 (prepare.ts)
  const { N, C, S, weight, ignoreIndex } = p;
  const t = p.indices as Float64Array;
  const E = N * S;
  const losses = new Float64Array(E);
  let ignored: Uint8Array | null = null;
  let num = 0;
  let den = 0;
  const CS = C * S;
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      const e = n * S + s;
      const ti = t[e];
      if (ti === ignoreIndex) {
        (ignored ??= new Uint8Array(E))[e] = 1;
        continue;
      }
      const base = n * CS + s;
      const m = rowMaxF64(x, base, C, S);
      let sum = 0;
      for (let c = 0, i = base; c < C; c++, i += S) sum += Math.exp(x[i] - m);
      const w = weight ? weight[ti] : 1;
      const l = -((x[base + ti * S] - m - Math.log(sum)) * w);
      losses[e] = l;
      num += l;
      den += w;
    }
  }
  return reduce(p, losses, ignored, num, den);
}

/**
 * Every other case, one row at a time through a scratch buffer of log p: label smoothing,
 * probability targets, log_probs input, and gradients.
 */
function general(p: Prepared, wantGrad: boolean): LossResult {
  const x = inputOf(p);
  const { N, C, S, weight, ignoreIndex, inputKind, labelSmoothing: eps, targetKind } = p;
  const f32 = p.dtype === 'float32';
  const round = f32 ? fround : identity;
  const E = N * S;
  const CS = C * S;
  const losses = new Float64Array(E);
  const ignored = targetKind === 'indices' ? new Uint8Array(E) : null;
  const logp = new Float64Array(C);
  const oneMinusEps = round(1 - eps);
  const epsOverC = round(eps / C);
  // Per-part sums, reduced separately as torch does for label smoothing.
  let nllSum = 0;
  let den = 0;
  const smoothParts = new Float64Array(targetKind === 'indices' && eps > 0 ? E : 0);
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      const e = n * S + s;
      const base = n * CS + s;
      let ti = -1;
      if (targetKind === 'indices') {
        ti = (p.indices as Float64Array)[e];
        if (ti === ignoreIndex) {
          (ignored as Uint8Array)[e] = 1;
          continue;
        }
      }
      if (inputKind === 'logits') {
        rowLogSumExp(x, base, C, S, f32);
        for (let c = 0, i = base; c < C; c++, i += S) logp[c] = logProb(x, i, f32);
      } else {
        for (let c = 0, i = base; c < C; c++, i += S) logp[c] = x[i];
      }
      if (targetKind === 'indices') {
        const w = weight ? weight[ti] : 1;
        const nll = round(-(logp[ti] * w));
        den += w;
        if (eps > 0) {
          const smooth = smoothingOfLogp(logp, C, S, weight, f32);
          smoothParts[e] = smooth;
          nllSum += nll;
          losses[e] = smoothedLoss(nll, smooth, eps, C, f32);
        } else {
          nllSum += nll;
          losses[e] = nll;
        }
      } else {
        const probs = p.probs as Floats;
        let acc = 0;
        for (let c = 0, i = base; c < C; c++, i += S) {
          const qc = eps > 0 ? round(round(probs[i] * oneMinusEps) + epsOverC) : probs[i];
          acc += round(round(logp[c] * qc) * (weight ? weight[c] : 1));
        }
        const l = round(-round(acc));
        losses[e] = l;
        nllSum += l;
      }
    }
  }
  const { smooth, smoothDen } =
    smoothParts.length > 0 ? smoothingSums(p, smoothParts, ignored) : { smooth: 0, smoothDen: 0 };
  const result = reduced(p, p.reduction, losses, ignored, { nll: nllSum, smooth, den, smoothDen });
  if (wantGrad) result.grad = gradient(p, result);
  return result;
}

/**
 * d loss / d input, what autograd returns (for reduction 'none', the gradient of the sum).
 * Written as torch's backward does it: first g_c = ∂loss/∂log p_c (from nll_loss's backward and
 * the smoothing term), then log_softmax's backward g_c − p_c·Σ_c g_c with p_c = exp(log p_c).
 * In closed form: for one-hot targets w_t·(p − onehot)/D; for distributions
 * (p·Σ_c w_c q_c − w·q)/D.
 */
export function gradient(p: Prepared, res: LossResult, only?: number): Floats {
  const x = inputOf(p);
  const { N, C, S } = p;
  // Every value is rounded to the dtype: a float32 array holds them exactly.
  const grad = p.dtype === 'float32' ? new Float32Array(x.length) : new Float64Array(x.length);
  const gout = new Float64Array(C);
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      const e = n * S + s;
      // `only`: one sample's row, the rest stays 0 (gradientRow gives that row alone).
      if (only !== undefined && e !== only) continue;
      sampleGradient(p, res, x, e, gout, grad, n * C * S + s, S);
    }
  }
  return grad;
}

/**
 * The gradient's row of sample `e` alone (C values, each rounded to the dtype), as
 * {@link gradient} computes it: the panel shows one sample, and the whole (N, C) array was 12.8 MB
 * to allocate and zero for a (64, 50 257) batch on every sample change. With `classes`, only
 * those classes' values, in that order (the panel's shown columns: no exp for the others).
 */
export function gradientRow(p: Prepared, res: LossResult, e: number, classes?: readonly number[]): Float64Array {
  const out = new Float64Array(classes ? classes.length : p.C);
  const { C, S } = p;
  const base = Math.floor(e / S) * C * S + (e % S);
  // A float32 input not yet copied to float32 (a panel's forward reads the float64 source): the row
  // alone, rounded as that copy would be, not the whole input's workspace for one row (7–14 ms and
  // 52 MB at (64, 50 257)); the row statistics are the kernel's either way (rowStatistics).
  if (p.dtype === 'float32' && !p.x) {
    sampleGradient(p, res, sampleLogits(p, e), e, new Float64Array(C), out, 0, 1, classes, 0, 1);
    return out;
  }
  sampleGradient(p, res, inputOf(p), e, new Float64Array(C), out, 0, 1, classes, base, S);
  return out;
}

/**
 * Sample `e`'s gradient written to `out[at + c·stride]`, or with `classes` the value of class
 * `classes[k]` to `out[k]`; `gout` is C values of scratch. Its logits are read from `x` at
 * `xBase + c·xStride` (by default where sample `e` sits in the input).
 */
function sampleGradient(
  p: Prepared,
  res: LossResult,
  x: Floats,
  e: number,
  gout: Float64Array,
  out: Floats,
  at: number,
  stride: number,
  classes?: readonly number[],
  xBase?: number,
  xStride?: number,
): void {
  const { C, S, weight, inputKind, labelSmoothing: eps, targetKind } = p;
  const f32 = p.dtype === 'float32';
  const round = f32 ? fround : identity;
  const D = p.reduction === 'mean' ? res.denominator : 1;
  // torch: grad = −(grad_output / total_weight) for mean; −grad_output otherwise.
  const g0 = round(-(p.reduction === 'mean' ? round(1 / D) : 1));
  const gNll = eps > 0 ? round(g0 * round(1 - eps)) : g0;
  const gSmooth = round(g0 * round(eps / C));
  const base = Math.floor(e / S) * C * S + (e % S);
  const xb = xBase ?? base;
  const xs = xStride ?? S;
  // Σ_c gout_c: set below for index targets, else (null) summed in class order.
  let sumG: number | null = null;
  if (targetKind === 'indices' && res.ignored && res.ignored[e]) {
    // An ignored sample still goes through log_softmax's backward with a zero upstream
    // gradient: 0 − p·0, which is NaN where p is NaN (torch does the same).
    gout.fill(0);
  } else if (targetKind === 'indices') {
    const ti = (p.indices as Float64Array)[e];
    let total = 0;
    if (eps > 0) {
      // round(1·G) is G, already rounded; no call through `round` per class (C = 50 257 shows).
      if (!weight) for (let c = 0; c < C; c++) total += gout[c] = gSmooth;
      else for (let c = 0; c < C; c++) total += gout[c] = f32 ? fround(weight[c] * gSmooth) : weight[c] * gSmooth;
    } else gout.fill(0);
    const gt = round(gout[ti] + round((weight ? weight[ti] : 1) * gNll));
    // Σ_c gout_c as the wasm kernel's rows get it (wasmSmooth.ts): Σ G − G_t + gout_t.
    sumG = round(total - gout[ti] + gt);
    gout[ti] = gt;
  } else {
    const probs = p.probs as Floats;
    const oneMinusEps = round(1 - eps);
    const epsOverC = round(eps / C);
    for (let c = 0, i = base; c < C; c++, i += S) {
      const qc = eps > 0 ? round(round(probs[i] * oneMinusEps) + epsOverC) : probs[i];
      gout[c] = round(round(qc * (weight ? weight[c] : 1)) * g0);
    }
  }
  if (inputKind === 'log_probs') {
    if (classes) for (let k = 0; k < classes.length; k++) out[k] = gout[classes[k]];
    else for (let c = 0, o = at; c < C; c++, o += stride) out[o] = gout[c];
    return;
  }
  if (sumG === null) {
    sumG = 0;
    for (let c = 0; c < C; c++) sumG += gout[c];
    sumG = round(sumG);
  }
  // The forward's own row statistics (the kernel's for rows run in wasm), hence its log p.
  const kernel = rowsInWasm(p);
  if (kernel) {
    const r = rowStatistics(p, e);
    row.max = r.max;
    row.lse = r.lse;
  } else rowLogSumExp(x, xb, C, xs, f32);
  // p_c with the exp of the row's other outputs (rowProbs.ts).
  const pr = rowProbs(x, xb, xs, C, classes ?? null, row.max, row.lse, f32, kernel);
  if (classes) {
    for (let k = 0; k < classes.length; k++) out[k] = round(gout[classes[k]] - round(pr[k] * sumG));
    return;
  }
  for (let c = 0, o = at; c < C; c++, o += stride) out[o] = round(gout[c] - round(pr[c] * sumG));
}

/**
 * Whether crossEntropy(p, …) runs `p`'s rows through the wasm kernel (forward and gradient alike).
 * Exactly those rows get their steps (crossEntropySteps) and breakdown (rowStatistics) from the
 * kernel too, so whatever the path, the loss, the materialised log_softmax, the gradient and the
 * per-sample breakdown agree to the bit.
 */
export function rowsInWasm(p: Prepared): boolean {
  return (p.targetKind === 'indices' && p.inputKind === 'logits' && wasmRowsEligible(p)) || probRowsInWasm(p);
}

/**
 * Access for the breakdown module: the statistics of sample `e`'s row (max, Σexp rounded to the
 * dtype, lse = log Σexp). Rows that run in wasm ({@link rowsInWasm}) get the kernel's, so the
 * breakdown's lse (and log_softmax) are the forward's and the steps' to the bit.
 */
export function rowStatistics(p: Prepared, e: number): { max: number; sumExp: number; lse: number } {
  const f32 = p.dtype === 'float32';
  if (rowsInWasm(p)) {
    const w = wasmRowStats(p, e);
    if (w) {
      const sumExp = f32 ? fround(w.sumExp) : w.sumExp;
      // The kernel's max skips NaN elements; a NaN makes Σexp NaN, and then torch's max is NaN.
      const max = sumExp !== sumExp ? rowMaxNaN(p, e * p.C, p.C) : w.max;
      return { max, sumExp, lse: f32 ? fround(Math.log(sumExp)) : Math.log(sumExp) };
    }
  }
  const base = Math.floor(e / p.S) * p.C * p.S + (e % p.S);
  rowLogSumExp(inputOf(p), base, p.C, p.S, f32);
  return { max: row.max, sumExp: row.sumExp, lse: row.lse };
}

/** torch's max of a row (NaN if any element is), read from the source as the dtype rounds it. */
function rowMaxNaN(p: Prepared, base: number, C: number): number {
  const x = p.source;
  const round = p.dtype === 'float32' ? fround : identity;
  let m = round(x[base]);
  for (let i = base + 1, end = base + C; i < end; i++) {
    const v = round(x[i]);
    if (v > m || v !== v) m = v;
    if (m !== m) break;
  }
  return m;
}

/** Every intermediate for every sample, materialised (the panel's heat map, `compute --steps`). */
export interface StepsResult extends LossResult {
  /** Per sample max_c x_c (NaN for log_probs input). */
  max: Float64Array;
  /** Per sample log Σ_c exp(x_c) (NaN for log_probs input). */
  logSumExp: Float64Array;
  /** softmax in the input's layout, in the working dtype. */
  softmax: Floats;
  /** log_softmax in the input's layout, in the working dtype. */
  logSoftmax: Floats;
}

/**
 * Forward pass that also materialises softmax and log_softmax for every element: per row the max,
 * then one pass storing x − max and exp(x − max), then one normalising pass. Rows whose forward
 * runs in WebAssembly ({@link rowsInWasm}) go through the same kernel (wasmSteps: same exp, same
 * partial-sum order, hence the forward's Σexp, lse and loss to the bit); other rows through
 * monomorphic scalar helpers with the scalar forward's Σexp. Either way the numbers equal
 * {@link sampleBreakdown}'s and `loss` equals crossEntropy(p, wantGrad).loss.
 *
 * With label smoothing the wasm steps sum each row's smoothing part in the same call, over the
 * log_softmax they store (wasmOutputs.ts); probability targets likewise their losses (stepsProb_*,
 * or on the scalar path from the materialised log_softmax, as the general forward forms them from
 * the same log p): neither runs the forward a second time.
 *
 * `softmax`, `logSoftmax`, `max`, `logSumExp` and (but where the losses come from a call of
 * crossEntropy: wantGrad, label smoothing over rows shorter than a vector, log_probs input with
 * index targets) `losses` are the Prepared's own output arrays (for large inputs softmax and logSoftmax are views into its
 * workspace), reused (overwritten) by the next crossEntropySteps on the same Prepared: copy them
 * to keep them. On small inputs a fresh typed array per call cost more than the arithmetic.
 */
export function crossEntropySteps(p: Prepared, wantGrad = false): StepsResult {
  const { N, C, S, inputKind } = p;
  const f32 = p.dtype === 'float32';
  const round = f32 ? fround : identity;
  const w = inputKind === 'logits' && rowsInWasm(p) ? wasmSteps(p) : null;
  if (w && !wantGrad && p.targetKind === 'probabilities') {
    // The losses summed by the steps' own call over the log_softmax it stored (stepsProb_*: the
    // terms and order of wasmProb.ts's forward and scalarRows.ts probabilityLosses).
    const res = reduced(p, p.reduction, w.losses, null, { nll: w.num, smooth: 0, den: 0, smoothDen: 0 });
    return stepsResult(res, w.max, w.logSumExp, w.softmax, w.logSoftmax);
  }
  if (w && !wantGrad && (p.labelSmoothing === 0 || w.parts)) {
    // The wasm pass gave the losses too (from its own log_softmax at the target; with label
    // smoothing also each row's smoothing part, summed over the log_softmax it stored).
    let res: LossResult;
    if (w.parts) {
      const { smooth, smoothDen } = smoothingSums(p, w.parts, w.ignored);
      res = reduced(p, p.reduction, w.losses, w.ignored, { nll: w.num, smooth, den: w.den, smoothDen });
    } else res = reduce(p, w.losses, w.ignored, w.num, w.den);
    return stepsResult(res, w.max, w.logSumExp, w.softmax, w.logSoftmax);
  }
  if (w) {
    // A gradient, or label smoothing over rows shorter than a vector: the forward's losses (from
    // the same row statistics).
    return stepsResult(crossEntropy(p, wantGrad), w.max, w.logSumExp, w.softmax, w.logSoftmax);
  }
  // The scalar steps; if the wasm steps could not get memory, the losses from the forward itself,
  // so steps.loss always equals crossEntropy(p).loss.
  const lossFromForward = rowsInWasm(p);
  const E = N * S;
  const CS = C * S;
  const len = N * C * S;
  const { softmax, logSoftmax, max, logSumExp, losses } = stepsOutputs(p);
  const x = inputOf(p);
  if (inputKind === 'log_probs') {
    for (let i = 0; i < len; i++) {
      logSoftmax[i] = x[i];
      softmax[i] = Math.exp(x[i]);
    }
    max.fill(NaN);
    logSumExp.fill(NaN);
  } else if (f32) {
    stepsF32(x as Float32Array, N, C, S, softmax as Float32Array, logSoftmax as Float32Array, max, logSumExp);
  } else {
    stepsF64(x as Float64Array, N, C, S, softmax as Float64Array, logSoftmax as Float64Array, max, logSumExp);
  }
  if (p.targetKind === 'probabilities' && !wantGrad) {
    // The general forward's losses from its own log p, which the steps have just materialised.
    const nll = probabilityLosses(p, logSoftmax, losses);
    const res = reduced(p, p.reduction, losses, null, { nll, smooth: 0, den: 0, smoothDen: 0 });
    return stepsResult(res, max, logSumExp, softmax, logSoftmax);
  }
  if (p.targetKind !== 'indices' || p.labelSmoothing !== 0 || inputKind !== 'logits' || wantGrad || lossFromForward) {
    return stepsResult(crossEntropy(p, wantGrad), max, logSumExp, softmax, logSoftmax);
  }
  // Losses straight from the materialised log_softmax: no second pass over the logits.
  const t = p.indices as Float64Array;
  const { weight, ignoreIndex } = p;
  let ignored: Uint8Array | null = null;
  let num = 0;
  let den = 0;
  for (let e = 0; e < E; e++) {
    const ti = t[e];
    if (ti === ignoreIndex) {
      (ignored ??= new Uint8Array(E))[e] = 1;
      losses[e] = 0;
      continue;
    }
    const i = S === 1 ? e * C + ti : Math.floor(e / S) * CS + (e % S) + ti * S;
    const wt = weight ? weight[ti] : 1;
    const l = round(-(logSoftmax[i] * wt));
    losses[e] = l;
    num += l;
    den += wt;
  }
  return stepsResult(reduce(p, losses, ignored, num, den), max, logSumExp, softmax, logSoftmax);
}

/**
 * A steps result as an explicit literal, not `{ ...res, … }`: V8's object spread is slow here and
 * gives the result a different hidden class from run to run.
 */
function stepsResult(
  res: LossResult,
  max: Float64Array,
  logSumExp: Float64Array,
  softmax: Floats,
  logSoftmax: Floats,
): StepsResult {
  return {
    losses: res.losses,
    loss: res.loss,
    numerator: res.numerator,
    denominator: res.denominator,
    ignored: res.ignored,
    grad: res.grad,
    max,
    logSumExp,
    softmax,
    logSoftmax,
  };
}
