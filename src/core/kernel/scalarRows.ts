/**
 * The scalar (plain JS) row loops that the float32 and float64 paths share: the row max and the
 * float32 path's Σexp, and the scalar steps. One module so that the forward (crossEntropy.ts), the
 * steps and the fused gradient (gradScalar.ts) use the same code, hence the same bits.
 */
import type { Floats, Prepared } from './prepare';
import { expTable } from './fastExp';

const fround = Math.fround;

/**
 * max_c x_c of a float32 row; NaN if any element is NaN (torch's propagation). The hot loops use
 * {@link sumExpF32} right after, which yields NaN for a NaN element anyway, so they call
 * {@link rowMaxNoNaNF32} and skip the NaN test.
 */
export function rowMaxF32(x: Float32Array, base: number, C: number, S: number): number {
  let m = x[base];
  for (let c = 1, i = base + S; c < C; c++, i += S) {
    const v = x[i];
    if (v > m || v !== v) m = v;
    if (m !== m) break;
  }
  return m;
}

export function rowMaxF64(x: Float64Array, base: number, C: number, S: number): number {
  let m = x[base];
  for (let c = 1, i = base + S; c < C; c++, i += S) {
    const v = x[i];
    if (v > m || v !== v) m = v;
    if (m !== m) break;
  }
  return m;
}

/**
 * max over the non-NaN elements of a row (NaN only if the first is NaN), two lanes for
 * instruction-level parallelism. Only valid where a NaN element poisons the result anyway.
 */
export function rowMaxNoNaNF32(x: Float32Array, base: number, C: number, S: number): number {
  let m0 = x[base];
  let m1 = m0;
  const end = base + C * S;
  const S2 = 2 * S;
  let i = base + S;
  for (; i + S < end; i += S2) {
    const a = x[i];
    const b = x[i + S];
    if (a > m0) m0 = a;
    if (b > m1) m1 = b;
  }
  if (i < end && x[i] > m0) m0 = x[i];
  return m1 > m0 ? m1 : m0;
}

/**
 * Σ_c fround(exp(fround(x_c − m))) in float64, unrounded: the float32 path's Σexp. Four partial
 * sums (the loop is bound by the add latency otherwise); the order changes the float64 sum by a
 * few 1e-16 relative, which rounding to float32 absorbs except in rare ties. The exp is
 * fastExpNonPositive inlined: literals and a local table, see fastExp.ts. A NaN element makes the
 * sum NaN; −Inf and elements below −110 contribute 0.
 */
export function sumExpF32(x: Float32Array, base: number, C: number, S: number, m: number): number {
  const T = expTable;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const end = base + C * S;
  let i = base;
  if (S === 1) {
    for (; i + 3 < end; i += 4) {
      const y0 = fround(x[i] - m);
      const y1 = fround(x[i + 1] - m);
      const y2 = fround(x[i + 2] - m);
      const y3 = fround(x[i + 3] - m);
      if (y0 >= -110) {
        const k = (0.5 - y0 * 92.33248261689366) | 0;
        const r = y0 + k * 0.010830424696249145;
        s0 += fround(T[k] * (1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * 0.041666666666666664)))));
      } else if (y0 !== y0) s0 = NaN;
      if (y1 >= -110) {
        const k = (0.5 - y1 * 92.33248261689366) | 0;
        const r = y1 + k * 0.010830424696249145;
        s1 += fround(T[k] * (1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * 0.041666666666666664)))));
      } else if (y1 !== y1) s1 = NaN;
      if (y2 >= -110) {
        const k = (0.5 - y2 * 92.33248261689366) | 0;
        const r = y2 + k * 0.010830424696249145;
        s2 += fround(T[k] * (1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * 0.041666666666666664)))));
      } else if (y2 !== y2) s2 = NaN;
      if (y3 >= -110) {
        const k = (0.5 - y3 * 92.33248261689366) | 0;
        const r = y3 + k * 0.010830424696249145;
        s3 += fround(T[k] * (1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * 0.041666666666666664)))));
      } else if (y3 !== y3) s3 = NaN;
    }
  }
  for (; i < end; i += S) {
    const y = fround(x[i] - m);
    if (y >= -110) {
      const k = (0.5 - y * 92.33248261689366) | 0;
      const r = y + k * 0.010830424696249145;
      s0 += fround(T[k] * (1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * 0.041666666666666664)))));
    } else if (y !== y) s0 = NaN;
  }
  return s0 + s1 + (s2 + s3);
}

/**
 * The scalar steps of crossEntropySteps (crossEntropy.ts) for float32 rows: per row the max, then
 * x − max and exp(x − max) stored while summed in {@link sumExpF32}'s order, then the normalising
 * pass. Writes softmax, log_softmax and per row max (NaN for a row with a NaN) and logSumExp.
 */
export function stepsF32(
  x: Float32Array,
  N: number,
  C: number,
  S: number,
  softmax: Float32Array,
  logSoftmax: Float32Array,
  max: Float64Array,
  logSumExp: Float64Array,
): void {
  const CS = C * S;
  const T = expTable;
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      const base = n * CS + s;
      const end = base + CS;
      // The max over non-NaN elements suffices for the sums (a NaN element makes Σ NaN); the
      // reported max is then corrected to NaN below, as torch's max propagates NaN.
      const m = rowMaxNoNaNF32(x, base, C, S);
      // x − max and exp(x − max) stored (the stores round to float32) and summed in exactly
      // sumExpF32's order — lane j mod 4 for S = 1, then the tail in lane 0 — so Σexp, and hence
      // every number here, equals the forward's and sampleBreakdown's.
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let i = base;
      if (S === 1) {
        for (; i + 3 < end; i += 4) {
          s0 += storeExpF32(x, i, m, T, softmax, logSoftmax);
          s1 += storeExpF32(x, i + 1, m, T, softmax, logSoftmax);
          s2 += storeExpF32(x, i + 2, m, T, softmax, logSoftmax);
          s3 += storeExpF32(x, i + 3, m, T, softmax, logSoftmax);
        }
      }
      for (; i < end; i += S) s0 += storeExpF32(x, i, m, T, softmax, logSoftmax);
      const sum = fround(s0 + s1 + (s2 + s3));
      const lse = fround(Math.log(sum));
      // softmax as torch computes it (softmaxScale); both stores round to float32.
      const inv = fround(1 / sum);
      for (let j = base; j < end; j += S) {
        softmax[j] = S === 1 ? softmax[j] * inv : softmax[j] / sum;
        logSoftmax[j] = logSoftmax[j] - lse;
      }
      const e = n * S + s;
      max[e] = sum !== sum ? rowMaxF32(x, base, C, S) : m;
      logSumExp[e] = fround(max[e] + lse);
    }
  }
}

/**
 * Stores fround(x_i − m) and fround(exp of it) at i and returns the latter (0 below −110, NaN
 * for NaN): sumExpF32's term. Small enough for V8 to inline into the loop above.
 */
function storeExpF32(
  x: Float32Array,
  i: number,
  m: number,
  T: Float64Array,
  softmax: Float32Array,
  logSoftmax: Float32Array,
): number {
  const y = fround(x[i] - m);
  logSoftmax[i] = y;
  let ex = 0;
  if (y >= -110) {
    const k = (0.5 - y * 92.33248261689366) | 0;
    const r = y + k * 0.010830424696249145;
    ex = fround(T[k] * (1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * 0.041666666666666664)))));
  } else if (y !== y) ex = NaN;
  softmax[i] = ex;
  return ex;
}

/** {@link stepsF32} for float64 rows (Math.exp). */
export function stepsF64(
  x: Float64Array,
  N: number,
  C: number,
  S: number,
  softmax: Float64Array,
  logSoftmax: Float64Array,
  max: Float64Array,
  logSumExp: Float64Array,
): void {
  const CS = C * S;
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      const base = n * CS + s;
      const end = base + CS;
      const m = rowMaxF64(x, base, C, S);
      let sum = 0;
      for (let i = base; i < end; i += S) {
        const d = x[i] - m;
        logSoftmax[i] = d;
        const ex = Math.exp(d);
        softmax[i] = ex;
        sum += ex;
      }
      const lse = Math.log(sum);
      const inv = 1 / sum;
      for (let i = base; i < end; i += S) {
        softmax[i] = S === 1 ? softmax[i] * inv : softmax[i] / sum;
        logSoftmax[i] = logSoftmax[i] - lse;
      }
      const e = n * S + s;
      max[e] = m;
      logSumExp[e] = m + lse;
    }
  }
}

/**
 * softmax of one element, e = exp(x − max) in the dtype, as torch 1.13's CPU softmax forms it:
 * over the last dimension (S = 1, the class dimension of (N, C) and (C) inputs) e·(1/Σ) with the
 * reciprocal rounded to the dtype first (aten's _vec_softmax_lastdim), over another dimension
 * (S > 1) e / Σ. Checked against torch itself (test/unit/kernel/softmaxScale.test.ts). e·fl(1/Σ)
 * is within 1 ulp of fl(e / Σ): |fl(1/Σ) − 1/Σ| ≤ u/Σ, so e·fl(1/Σ) is within u·e/Σ (less than
 * one ulp of e/Σ) of e/Σ before its own rounding.
 */
export function softmaxScale(e: number, sumExp: number, S: number, f32: boolean): number {
  if (S !== 1) return f32 ? fround(e / sumExp) : e / sumExp;
  return f32 ? fround(e * fround(1 / sumExp)) : e * (1 / sumExp);
}

/**
 * Probability targets' per-element losses from a materialised log_softmax (the steps' own, in the
 * input's layout and dtype), as crossEntropy's general path forms them from the same log p:
 * q_c smoothed to (1 − ε)·q_c + ε/C, loss = −Σ_c (log p_c·q_c)·w_c, each product rounded to the
 * dtype, the Σ in float64 and rounded once. Writes `losses` (N·S) and returns Σ of them. One
 * monomorphic loop per dtype (a loop shared by Float32Array and Float64Array runs ~3× slower).
 */
export function probabilityLosses(p: Prepared, logSoftmax: Floats, losses: Float64Array): number {
  if (p.dtype === 'float32') {
    return probabilityLossesF32(
      p,
      logSoftmax as Float32Array,
      p.probs as Float32Array,
      p.weight as Float32Array | null,
      losses,
    );
  }
  return probabilityLossesF64(
    p,
    logSoftmax as Float64Array,
    p.probs as Float64Array,
    p.weight as Float64Array | null,
    losses,
  );
}

function probabilityLossesF32(
  p: Prepared,
  lsm: Float32Array,
  probs: Float32Array,
  weight: Float32Array | null,
  losses: Float64Array,
): number {
  const { N, C, S, labelSmoothing: eps } = p;
  const oneMinusEps = fround(1 - eps);
  const epsOverC = fround(eps / C);
  let sum = 0;
  for (let e = 0; e < N * S; e++) {
    let acc = 0;
    for (let c = 0, i = (e - (e % S)) * C + (e % S); c < C; c++, i += S) {
      const qc = eps > 0 ? fround(fround(probs[i] * oneMinusEps) + epsOverC) : probs[i];
      acc += weight ? fround(fround(lsm[i] * qc) * weight[c]) : fround(lsm[i] * qc);
    }
    const l = fround(-fround(acc));
    losses[e] = l;
    sum += l;
  }
  return sum;
}

function probabilityLossesF64(
  p: Prepared,
  lsm: Float64Array,
  probs: Float64Array,
  weight: Float64Array | null,
  losses: Float64Array,
): number {
  const { N, C, S, labelSmoothing: eps } = p;
  const oneMinusEps = 1 - eps;
  const epsOverC = eps / C;
  let sum = 0;
  for (let e = 0; e < N * S; e++) {
    let acc = 0;
    for (let c = 0, i = (e - (e % S)) * C + (e % S); c < C; c++, i += S) {
      const qc = eps > 0 ? probs[i] * oneMinusEps + epsOverC : probs[i];
      acc += weight ? lsm[i] * qc * weight[c] : lsm[i] * qc;
    }
    const l = -acc;
    losses[e] = l;
    sum += l;
  }
  return sum;
}
