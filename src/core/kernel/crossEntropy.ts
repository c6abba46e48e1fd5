import type { Floats, Prepared } from './prepare';
import { fastExpNonPositive } from './fastExp';

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
  /** d loss / d input in the input's layout, when asked for. */
  grad?: Float64Array;
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
  let m = x[base];
  for (let c = 1, i = base + S; c < C; c++, i += S) {
    const v = x[i];
    if (v > m || v !== v) m = v;
    if (m !== m) break;
  }
  let sum = 0;
  if (f32) {
    for (let c = 0, i = base; c < C; c++, i += S) sum += fround(fastExpNonPositive(fround(x[i] - m)));
    sum = fround(sum);
    row.lse = fround(Math.log(sum));
  } else {
    for (let c = 0, i = base; c < C; c++, i += S) sum += Math.exp(x[i] - m);
    row.lse = Math.log(sum);
  }
  row.max = m;
  row.sumExp = sum;
}

/** log p of class `c` in the row at `base` after {@link rowLogSumExp}. */
function logProb(x: Floats, i: number, f32: boolean): number {
  return f32 ? fround(fround(x[i] - row.max) - row.lse) : (x[i] - row.max) - row.lse;
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
 */
export function crossEntropy(p: Prepared, wantGrad = false): LossResult {
  if (p.targetKind === 'indices' && p.labelSmoothing === 0 && p.inputKind === 'logits' && !wantGrad) {
    return p.dtype === 'float32' ? forwardIndexF32(p) : forwardIndexF64(p);
  }
  return general(p, wantGrad);
}

/** The hot path: index targets, no smoothing, forward only, float32. */
function forwardIndexF32(p: Prepared): LossResult {
  const { x, N, C, S, weight, ignoreIndex } = p;
  const t = p.indices as Float64Array;
  const losses = new Float64Array(N * S);
  const ignored = new Uint8Array(N * S);
  let num = 0;
  let den = 0;
  const CS = C * S;
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      const e = n * S + s;
      const ti = t[e];
      if (ti === ignoreIndex) { ignored[e] = 1; continue; }
      const base = n * CS + s;
      rowLogSumExp(x, base, C, S, true);
      const logpt = fround(fround(x[base + ti * S] - row.max) - row.lse);
      const w = weight ? weight[ti] : 1;
      const l = fround(-(logpt * w));
      losses[e] = l;
      num += l;
      den += w;
    }
  }
  return reduce(p, losses, ignored, num, den, fround);
}

/** The hot path in float64. */
function forwardIndexF64(p: Prepared): LossResult {
  const { x, N, C, S, weight, ignoreIndex } = p;
  const t = p.indices as Float64Array;
  const losses = new Float64Array(N * S);
  const ignored = new Uint8Array(N * S);
  let num = 0;
  let den = 0;
  const CS = C * S;
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      const e = n * S + s;
      const ti = t[e];
      if (ti === ignoreIndex) { ignored[e] = 1; continue; }
      const base = n * CS + s;
      rowLogSumExp(x, base, C, S, false);
      const logpt = (x[base + ti * S] - row.max) - row.lse;
      const w = weight ? weight[ti] : 1;
      const l = -(logpt * w);
      losses[e] = l;
      num += l;
      den += w;
    }
  }
  return reduce(p, losses, ignored, num, den, identity);
}

function reduce(p: Prepared, losses: Float64Array, ignored: Uint8Array | null, num: number, den: number,
  round: (v: number) => number): LossResult {
  const numerator = round(num);
  if (p.reduction === 'mean') {
    const denominator = round(den);
    return { losses, ignored, numerator, denominator, loss: round(numerator / denominator) };
  }
  return { losses, ignored, numerator, denominator: 1, loss: numerator };
}

/**
 * Every other case, one row at a time through a scratch buffer of log p: label smoothing,
 * probability targets, log_probs input, and gradients.
 */
function general(p: Prepared, wantGrad: boolean): LossResult {
  const { x, N, C, S, weight, ignoreIndex, inputKind, labelSmoothing: eps, targetKind } = p;
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
  let smoothSum = 0;
  let den = 0;
  const nllPart = new Float64Array(targetKind === 'indices' && eps > 0 ? E : 0);
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      const e = n * S + s;
      const base = n * CS + s;
      let ti = -1;
      if (targetKind === 'indices') {
        ti = (p.indices as Float64Array)[e];
        if (ti === ignoreIndex) { (ignored as Uint8Array)[e] = 1; continue; }
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
          let smooth = 0;
          for (let c = 0; c < C; c++) smooth += round(logp[c] * (weight ? weight[c] : 1));
          smooth = round(-round(smooth));
          nllPart[e] = nll;
          nllSum += nll;
          smoothSum += smooth;
          losses[e] = round(round(oneMinusEps * nll) + round(smooth * epsOverC));
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
  let result: LossResult;
  if (targetKind === 'probabilities') {
    const numerator = round(nllSum);
    const denominator = p.reduction === 'mean' ? E : 1;
    result = { losses, ignored, numerator, denominator, loss: p.reduction === 'mean' ? round(numerator / E) : numerator };
  } else if (eps > 0) {
    // (1 − ε)·reduce(nll) + (ε/C)·reduce(smooth), as torch combines the two reduced parts.
    const d = round(den);
    const nllR = p.reduction === 'mean' ? round(round(nllSum) / d) : round(nllSum);
    const smoothR = p.reduction === 'mean' ? round(round(smoothSum) / d) : round(smoothSum);
    const loss = round(round(oneMinusEps * nllR) + round(smoothR * epsOverC));
    let num = 0;
    for (let e = 0; e < E; e++) num += losses[e];
    result = { losses, ignored, numerator: round(num), denominator: p.reduction === 'mean' ? d : 1,
      loss: p.reduction === 'none' ? round(num) : loss };
  } else {
    result = reduce(p, losses, ignored, nllSum, den, round);
  }
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
export function gradient(p: Prepared, res: LossResult): Float64Array {
  const { x, N, C, S, weight, inputKind, labelSmoothing: eps, targetKind } = p;
  const f32 = p.dtype === 'float32';
  const round = f32 ? fround : identity;
  const grad = new Float64Array(x.length);
  const D = p.reduction === 'mean' ? res.denominator : 1;
  // torch: grad = −(grad_output / total_weight) for mean; −grad_output otherwise.
  const g0 = round(-(p.reduction === 'mean' ? round(1 / D) : 1));
  const gNll = eps > 0 ? round(g0 * round(1 - eps)) : g0;
  const gSmooth = round(g0 * round(eps / C));
  const gout = new Float64Array(C);
  const CS = C * S;
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      const e = n * S + s;
      const base = n * CS + s;
      if (targetKind === 'indices' && res.ignored && res.ignored[e]) {
        // An ignored sample still goes through log_softmax's backward with a zero upstream
        // gradient: 0 − p·0, which is NaN where p is NaN (torch does the same).
        gout.fill(0);
      } else if (targetKind === 'indices') {
        const ti = (p.indices as Float64Array)[e];
        if (eps > 0) {
          for (let c = 0; c < C; c++) gout[c] = round((weight ? weight[c] : 1) * gSmooth);
        } else gout.fill(0);
        gout[ti] = round(gout[ti] + round((weight ? weight[ti] : 1) * gNll));
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
        for (let c = 0, i = base; c < C; c++, i += S) grad[i] = gout[c];
        continue;
      }
      let sumG = 0;
      for (let c = 0; c < C; c++) sumG += gout[c];
      sumG = round(sumG);
      rowLogSumExp(x, base, C, S, f32);
      for (let c = 0, i = base; c < C; c++, i += S) {
        const pc = round(Math.exp(logProb(x, i, f32)));
        grad[i] = round(gout[c] - round(pc * sumG));
      }
    }
  }
  return grad;
}

/** Access for the breakdown module: row statistics after a call. */
export function computeRow(x: Floats, base: number, C: number, S: number, f32: boolean): { max: number; sumExp: number; lse: number } {
  rowLogSumExp(x, base, C, S, f32);
  return { max: row.max, sumExp: row.sumExp, lse: row.lse };
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
 * Forward pass that also materialises softmax and log_softmax for every element. Two passes per
 * row beyond the forward (exp stored, then normalised), so it costs about 1.3–1.5× the forward.
 */
export function crossEntropySteps(p: Prepared, wantGrad = false): StepsResult {
  const { x, N, C, S, inputKind } = p;
  const f32 = p.dtype === 'float32';
  const E = N * S;
  const CS = C * S;
  const softmax: Floats = f32 ? new Float32Array(x.length) : new Float64Array(x.length);
  const logSoftmax: Floats = f32 ? new Float32Array(x.length) : new Float64Array(x.length);
  const max = new Float64Array(E);
  const logSumExp = new Float64Array(E);
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      const e = n * S + s;
      const base = n * CS + s;
      if (inputKind === 'log_probs') {
        for (let c = 0, i = base; c < C; c++, i += S) { logSoftmax[i] = x[i]; softmax[i] = Math.exp(x[i]); }
        max[e] = NaN;
        logSumExp[e] = NaN;
        continue;
      }
      let m = x[base];
      for (let c = 1, i = base + S; c < C; c++, i += S) {
        const v = x[i];
        if (v > m || v !== v) m = v;
      }
      let sum = 0;
      if (f32) {
        for (let c = 0, i = base; c < C; c++, i += S) {
          const d = fround(x[i] - m);
          logSoftmax[i] = d;
          const ex = fround(fastExpNonPositive(d));
          softmax[i] = ex;
          sum += ex;
        }
        sum = fround(sum);
      } else {
        for (let c = 0, i = base; c < C; c++, i += S) {
          const d = x[i] - m;
          logSoftmax[i] = d;
          const ex = Math.exp(d);
          softmax[i] = ex;
          sum += ex;
        }
      }
      const lse = f32 ? fround(Math.log(sum)) : Math.log(sum);
      for (let c = 0, i = base; c < C; c++, i += S) {
        // Float32Array stores round to float32; softmax as torch computes it, exp(x − max) / Σ.
        softmax[i] = softmax[i] / sum;
        logSoftmax[i] = logSoftmax[i] - lse;
      }
      max[e] = m;
      logSumExp[e] = f32 ? fround(m + lse) : m + lse;
    }
  }
  let res: LossResult;
  if (p.targetKind === 'indices' && p.labelSmoothing === 0 && inputKind === 'logits' && !wantGrad) {
    // Losses straight from the materialised log_softmax: no second pass over the logits.
    const t = p.indices as Float64Array;
    const { weight, ignoreIndex } = p;
    const losses = new Float64Array(E);
    const ignored = new Uint8Array(E);
    let num = 0;
    let den = 0;
    const round = f32 ? fround : identity;
    for (let e = 0; e < E; e++) {
      const ti = t[e];
      if (ti === ignoreIndex) { ignored[e] = 1; continue; }
      const i = Math.floor(e / S) * CS + (e % S) + ti * S;
      const w = weight ? weight[ti] : 1;
      const l = round(-(logSoftmax[i] * w));
      losses[e] = l;
      num += l;
      den += w;
    }
    res = reduce(p, losses, ignored, num, den, round);
  } else {
    res = crossEntropy(p, wantGrad);
  }
  return { ...res, max, logSumExp, softmax, logSoftmax };
}
