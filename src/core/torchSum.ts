/**
 * torch's sum of a contiguous CPU tensor, in its own order (aten/src/ATen/native/cpu/SumKernel.cpp,
 * `cascade_sum`, torch 1.13, the AVX2 build): accumulators of the tensor's own dtype; at least one
 * vector of lanes (8 float32, 4 float64) is summed lane-wise through `row_sum` (four interleaved
 * rows of vectors, cascaded in levels), the tail and then the lanes added one by one; a shorter
 * tensor goes through the scalar `row_sum` (four interleaved partial sums). Checked against torch
 * 1.13 on random tensors of every length up to 80 and several longer ones
 * (test/unit/libraries/torchSum.test.ts checks it on sums torch wrote).
 */
import type { DType } from './types';

type Round = (v: number) => number;

/** The four interleaved rows of `multi_row_sum`, each a vector of `width` lanes (1: scalars). */
function multiRowSum(x: ArrayLike<number>, rowStride: number, width: number, size: number, r: Round): Float64Array[] {
  const levels = 4;
  const ilp = 4;
  const ceilLog2 = size <= 1 ? 0 : Math.ceil(Math.log2(size));
  const levelPower = Math.max(4, Math.floor(ceilLog2 / levels));
  const levelStep = 1 << levelPower;
  const levelMask = levelStep - 1;
  const acc: Float64Array[][] = [];
  for (let j = 0; j < levels; j++) acc.push(Array.from({ length: ilp }, () => new Float64Array(width)));
  const addRow = (i: number): void => {
    for (let k = 0; k < ilp; k++) {
      const base = i * rowStride + k * width;
      const a = acc[0][k];
      for (let l = 0; l < width; l++) a[l] = r(a[l] + x[base + l]);
    }
  };
  let i = 0;
  while (i + levelStep <= size) {
    for (let j = 0; j < levelStep; j++, i++) addRow(i);
    for (let j = 1; j < levels; j++) {
      for (let k = 0; k < ilp; k++) {
        const to = acc[j][k];
        const from = acc[j - 1][k];
        for (let l = 0; l < width; l++) to[l] = r(to[l] + from[l]);
        from.fill(0);
      }
      if ((i & (levelMask << (j * levelPower))) !== 0) break;
    }
  }
  for (; i < size; i++) addRow(i);
  for (let j = 1; j < levels; j++)
    for (let k = 0; k < ilp; k++) {
      const to = acc[0][k];
      for (let l = 0; l < width; l++) to[l] = r(to[l] + acc[j][k][l]);
    }
  return acc[0];
}

/** `row_sum`: the interleaved partial sums of `count` items of `width` lanes, the tail, then their sum. */
function rowSum(x: ArrayLike<number>, width: number, count: number, r: Round): Float64Array {
  const ilp = 4;
  const sizeIlp = Math.floor(count / ilp);
  const partial = multiRowSum(x, ilp * width, width, sizeIlp, r);
  const out = partial[0];
  for (let i = sizeIlp * ilp; i < count; i++) for (let l = 0; l < width; l++) out[l] = r(out[l] + x[i * width + l]);
  for (let k = 1; k < ilp; k++) for (let l = 0; l < width; l++) out[l] = r(out[l] + partial[k][l]);
  return out;
}

/** `tensor.sum()` of these values (already in the dtype), as torch computes it on the CPU. */
export function torchSum(values: ArrayLike<number>, dtype: DType): number {
  const r: Round = dtype === 'float32' ? Math.fround : (v) => v;
  const lanes = dtype === 'float32' ? 8 : 4;
  const n = values.length;
  if (n < lanes) return rowSum(values, 1, n, r)[0];
  const vectors = Math.floor(n / lanes);
  const acc = rowSum(values, lanes, vectors, r);
  let total = 0;
  for (let k = vectors * lanes; k < n; k++) total = r(total + values[k]);
  for (let l = 0; l < lanes; l++) total = r(total + acc[l]);
  return total;
}
