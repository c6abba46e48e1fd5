/**
 * Label smoothing with index targets (torch 1.13, aten/src/ATen/native/LossNLL.cpp,
 * cross_entropy_loss_label_smoothing): besides nll_loss, a smoothing part per element,
 * smooth = −Σ_c log p_c (unweighted) or −Σ_c (log p_c · w_c) (the product a float32 tensor of its
 * own), set to 0 where the target is ignored; reduced as smooth.sum() (sum), smooth.sum() divided
 * by the number of kept targets (mean, unweighted) or by weight.gather(kept targets).sum() (mean,
 * weighted); loss = (1 − ε)·nll + (ε / C)·smooth.
 *
 * Each Σ is torch's own CPU sum in the dtype's arithmetic (aten/src/ATen/native/cpu/SumKernel.cpp,
 * `cascade_sum`, the AVX2 build, as src/core/torchSum.ts describes it): along a contiguous class
 * row the vectorised inner sum (8 float32 or 4 float64 lanes); along the classes of a K-dim input
 * (stride d1·…·dK) one element at a time with four interleaved partial sums; over the elements'
 * parts the whole-tensor sum. The per-class terms are the forward's own log p (x − max) − lse, so
 * the smoothing part of a row run in wasm uses the kernel's max and lse (wasmForward.ts), as its
 * nll part, the steps and the breakdown do.
 */
import type { Floats, Prepared } from './prepare';

const fround = Math.fround;

/** Cascade levels and interleaved accumulators of torch's `multi_row_sum`. */
const levels = 4;
const ilp = 4;

/** Accumulators (levels × ilp × at most 8 lanes) and the row's terms, per dtype, grown on demand. */
const acc32 = new Float32Array(levels * ilp * 8);
const acc64 = new Float64Array(levels * ilp * 8);
let terms32 = new Float32Array(1024);
let terms64 = new Float64Array(1024);

function scratch32(n: number): Float32Array {
  if (terms32.length < n) terms32 = new Float32Array(Math.max(n, 2 * terms32.length));
  return terms32;
}

function scratch64(n: number): Float64Array {
  if (terms64.length < n) terms64 = new Float64Array(Math.max(n, 2 * terms64.length));
  return terms64;
}

/**
 * `multi_row_sum` over `size` rows of `B` = ilp × width values each (row i at v[i·B …]): level 0
 * adds a row lane-wise; every 2^levelPower rows a level is carried into the next as the row
 * counter's bits say; at the end every level folds into level 0. The typed accumulator `A` rounds
 * each addition to its element type. Leaves the ilp × width partial sums in A[0 … B).
 */
function multiRowSum(v: Floats, size: number, B: number, A: Float32Array | Float64Array): void {
  const ceilLog2 = size <= 1 ? 0 : 32 - Math.clz32(size - 1);
  const levelPower = Math.max(4, Math.floor(ceilLog2 / levels));
  const levelStep = 1 << levelPower;
  const levelMask = levelStep - 1;
  A.fill(0, 0, levels * B);
  let i = 0;
  let at = 0;
  while (i + levelStep <= size) {
    for (let j = 0; j < levelStep; j++, i++) for (let q = 0; q < B; q++) A[q] += v[at++];
    for (let j = 1; j < levels; j++) {
      const to = j * B;
      const from = to - B;
      for (let q = 0; q < B; q++) {
        A[to + q] += A[from + q];
        A[from + q] = 0;
      }
      if ((i & (levelMask << (j * levelPower))) !== 0) break;
    }
  }
  for (; i < size; i++) for (let q = 0; q < B; q++) A[q] += v[at++];
  for (let j = 1; j < levels; j++) for (let q = 0, from = j * B; q < B; q++) A[q] += A[from + q];
}

/**
 * `row_sum` of `count` items of `width` lanes from v[0 …]: the interleaved partial sums of the
 * first ⌊count/ilp⌋·ilp items, the remaining items added to the first, then the others added to
 * it. Leaves the `width` lane sums in A[0 … width).
 */
function rowSum(v: Floats, width: number, count: number, A: Float32Array | Float64Array): void {
  const sizeIlp = Math.floor(count / ilp);
  multiRowSum(v, sizeIlp, ilp * width, A);
  for (let i = sizeIlp * ilp, at = i * width; i < count; i++) for (let l = 0; l < width; l++) A[l] += v[at++];
  for (let k = 1; k < ilp; k++) for (let l = 0; l < width; l++) A[l] += A[k * width + l];
}

/**
 * torch's sum of v[0 … n) in the dtype (values already of it): `contiguous`, the vectorised sum
 * of a contiguous run (a class row, or a whole tensor); otherwise the scalar sum torch uses along
 * a strided dimension. Accumulates in a typed array of the dtype, so every addition is rounded as
 * torch's is.
 */
export function torchSumOf(v: Floats, n: number, f32: boolean, contiguous: boolean): number {
  const A = f32 ? acc32 : acc64;
  const lanes = f32 ? 8 : 4;
  if (!contiguous || n < lanes) {
    rowSum(v, 1, n, A);
    return A[0];
  }
  const vectors = Math.floor(n / lanes);
  rowSum(v, lanes, vectors, A);
  let total = 0;
  for (let k = vectors * lanes; k < n; k++) total = f32 ? fround(total + v[k]) : total + v[k];
  for (let l = 0; l < lanes; l++) total = f32 ? fround(total + A[l]) : total + A[l];
  return total;
}

/**
 * The smoothing part of one element, −Σ_c log p_c·w_c in torch's order, from the row of `x` at
 * `base` (stride S; the dtype's values, or float64 ones rounded here for float32) given its max
 * and lse: log p_c = (x_c − max) − lse as the forward forms it.
 */
export function smoothingOfRow(
  x: Floats,
  base: number,
  C: number,
  S: number,
  max: number,
  lse: number,
  weight: Floats | null,
  f32: boolean,
): number {
  if (f32) {
    const t = scratch32(C);
    // Stores into a Float32Array round: each term is the float32 operation's result.
    if (weight)
      for (let c = 0, i = base; c < C; c++, i += S) t[c] = fround(fround(fround(x[i]) - max) - lse) * weight[c];
    else for (let c = 0, i = base; c < C; c++, i += S) t[c] = fround(fround(x[i]) - max) - lse;
    return -torchSumOf(t, C, true, S === 1);
  }
  const t = scratch64(C);
  if (weight) for (let c = 0, i = base; c < C; c++, i += S) t[c] = (x[i] - max - lse) * weight[c];
  else for (let c = 0, i = base; c < C; c++, i += S) t[c] = x[i] - max - lse;
  return -torchSumOf(t, C, false, S === 1);
}

/** The smoothing part of one element from its log p (C values, already in the dtype). */
export function smoothingOfLogp(logp: Floats, C: number, S: number, weight: Floats | null, f32: boolean): number {
  const t = f32 ? scratch32(C) : scratch64(C);
  if (weight) for (let c = 0; c < C; c++) t[c] = f32 ? fround(logp[c] * weight[c]) : logp[c] * weight[c];
  else t.set(logp.subarray(0, C));
  return -torchSumOf(t, C, f32, S === 1);
}

/** What a smoothed forward's reduction is made of (ReductionSums in crossEntropy.ts). */
export interface SmoothingSums {
  /** Σ of the smoothing parts over all elements (0 where ignored), torch's sum of that tensor. */
  smooth: number;
  /** The weighted mean's divisor of that sum: torch's sum of the kept targets' weights. */
  smoothDen: number;
}

/**
 * torch's reductions of the per-element smoothing parts `parts` (0 where ignored) and, with a
 * weight, of the kept targets' weights.
 */
export function smoothingSums(p: Prepared, parts: Float64Array, ignored: Uint8Array | null): SmoothingSums {
  const f32 = p.dtype === 'float32';
  const E = parts.length;
  const v = f32 ? scratch32(E) : scratch64(E);
  v.set(parts);
  const smooth = torchSumOf(v, E, f32, true);
  const { weight } = p;
  let smoothDen = 0;
  if (weight) {
    const t = p.indices as Float64Array;
    const kept = f32 ? scratch32(E) : scratch64(E);
    let k = 0;
    for (let e = 0; e < E; e++) if (!(ignored && ignored[e])) kept[k++] = weight[t[e]];
    smoothDen = torchSumOf(kept, k, f32, true);
  } else {
    let k = E;
    if (ignored) for (let e = 0; e < E; e++) k -= ignored[e];
    smoothDen = k;
  }
  return { smooth, smoothDen };
}

/** One element's loss, (1 − ε)·nll + (ε / C)·smooth, each product and the sum in the dtype. */
export function smoothedLoss(nll: number, smooth: number, eps: number, C: number, f32: boolean): number {
  if (!f32) return (1 - eps) * nll + smooth * (eps / C);
  return fround(fround(fround(1 - eps) * nll) + fround(smooth * fround(eps / C)));
}
