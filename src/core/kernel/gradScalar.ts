/**
 * crossEntropy(p, true) for index targets without label smoothing, in scalar JS (small and K-dim
 * inputs, the scalar backend): per row the scalar forward's statistics (so the loss is the
 * forward's bit for bit) and then, in the same pass, log_softmax's backward as `gradient` in
 * crossEntropy.ts computes it: g_c = 0 − p_c·s with p_c = exp(log p_c) rounded to the dtype
 * (float32: the table exp, which rounds the same but for rare ties), s = w_t·g0 (0 for an ignored
 * target), g_t += s. `grad` is the Prepared's reused output array (see LossResult.grad).
 *
 * One function per dtype, each monomorphic (one typed-array class per access, no per-element dtype
 * test): at (1, 10) a call is a few hundred nanoseconds, and a loop shared by Float32Array and
 * Float64Array inputs, with the dtype tested per element, cost about as much again.
 */
import type { LossResult } from './crossEntropy';
import { expTable } from './fastExp';
import { inputOf, outputArray } from './input';
import type { Prepared } from './prepare';
import { rowMaxF64, rowMaxNoNaNF32, sumExpF32 } from './scalarRows';

const fround = Math.fround;

export function gradIndexScalar(p: Prepared): LossResult {
  return p.dtype === 'float32' ? gradIndexF32(p) : gradIndexF64(p);
}

/** Σ of the weights of the targets that count (the mean's denominator). */
function totalWeight(p: Prepared): number {
  const t = p.indices as Float64Array;
  const { weight, ignoreIndex } = p;
  const E = p.N * p.S;
  let den = 0;
  for (let e = 0; e < E; e++) if (t[e] !== ignoreIndex) den += weight ? weight[t[e]] : 1;
  return den;
}

function gradIndexF32(p: Prepared): LossResult {
  const x = inputOf(p) as Float32Array;
  const grad = outputArray(p, 'grad') as Float32Array;
  const T = expTable;
  const { N, C, S, weight, ignoreIndex } = p;
  const t = p.indices as Float64Array;
  const E = N * S;
  const CS = C * S;
  const den = totalWeight(p);
  const mean = p.reduction === 'mean';
  // torch: grad = −(grad_output / total_weight) for mean; −grad_output otherwise.
  const g0 = fround(-(mean ? fround(1 / fround(den)) : 1));
  const losses = new Float64Array(E);
  // Always allocated with a gradient, as the general path does.
  const ignored = new Uint8Array(E);
  let num = 0;
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      const e = n * S + s;
      const base = n * CS + s;
      const ti = t[e];
      const m = rowMaxNoNaNF32(x, base, C, S);
      const lse = fround(Math.log(fround(sumExpF32(x, base, C, S, m))));
      let sg = 0;
      let target = -1;
      if (ti === ignoreIndex) ignored[e] = 1;
      else {
        const w = weight ? weight[ti] : 1;
        const l = fround(-(fround(fround(x[base + ti * S] - m) - lse) * w));
        losses[e] = l;
        num += l;
        sg = fround(w * g0);
        target = ti;
      }
      for (let c = 0, i = base; c < C; c++, i += S) {
        const lp = fround(fround(x[i] - m) - lse);
        // fastExpNonPositive inlined (fastExp.ts): literals and a local table.
        let pc: number;
        if (lp >= -110) {
          const k = (0.5 - lp * 92.33248261689366) | 0;
          const r = lp + k * 0.010830424696249145;
          pc = fround(T[k] * (1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * 0.041666666666666664)))));
        } else pc = lp !== lp ? NaN : 0;
        const g = fround(0 - fround(pc * sg));
        grad[i] = c === target ? fround(sg + g) : g;
      }
    }
  }
  const numerator = fround(num);
  if (mean) {
    const denominator = fround(den);
    return { losses, ignored, numerator, denominator, loss: fround(numerator / denominator), grad };
  }
  return { losses, ignored, numerator, denominator: 1, loss: numerator, grad };
}

function gradIndexF64(p: Prepared): LossResult {
  const x = inputOf(p) as Float64Array;
  const grad = outputArray(p, 'grad') as Float64Array;
  const { N, C, S, weight, ignoreIndex } = p;
  const t = p.indices as Float64Array;
  const E = N * S;
  const CS = C * S;
  const den = totalWeight(p);
  const mean = p.reduction === 'mean';
  const g0 = -(mean ? 1 / den : 1);
  const losses = new Float64Array(E);
  const ignored = new Uint8Array(E);
  let num = 0;
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      const e = n * S + s;
      const base = n * CS + s;
      const ti = t[e];
      const m = rowMaxF64(x, base, C, S);
      let sum = 0;
      for (let c = 0, i = base; c < C; c++, i += S) sum += Math.exp(x[i] - m);
      const lse = Math.log(sum);
      let sg = 0;
      let target = -1;
      if (ti === ignoreIndex) ignored[e] = 1;
      else {
        const w = weight ? weight[ti] : 1;
        const l = -((x[base + ti * S] - m - lse) * w);
        losses[e] = l;
        num += l;
        sg = w * g0;
        target = ti;
      }
      for (let c = 0, i = base; c < C; c++, i += S) {
        const g = 0 - Math.exp(x[i] - m - lse) * sg;
        grad[i] = c === target ? sg + g : g;
      }
    }
  }
  if (mean) return { losses, ignored, numerator: num, denominator: den, loss: num / den, grad };
  return { losses, ignored, numerator: num, denominator: 1, loss: num, grad };
}
