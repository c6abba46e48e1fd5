/**
 * A row's probabilities p_c = exp(log p_c) for the gradient (crossEntropy.ts sampleGradient), with
 * the exp the row's other outputs use: the kernel's (f32x4 lanes, flushed below 2^−126; or f64x2)
 * for rows that run in wasm — as the fused gradients (wasmOutputs.ts, wasmSmooth.ts) compute them,
 * so a shown gradient row equals the whole gradient's to the bit — else Math.exp rounded to the
 * dtype, as the scalar paths.
 */
import type { Floats } from './prepare';
import { wasmExp } from './wasmForward';

const fround = Math.fround;

/**
 * p_c of the classes `classes` (all C when null) of the row at x[xb + c·xs], log p_c formed as
 * (x_c − max) − lse in the dtype.
 */
export function rowProbs(
  x: Floats,
  xb: number,
  xs: number,
  C: number,
  classes: readonly number[] | null,
  max: number,
  lse: number,
  f32: boolean,
  kernel: boolean,
): Floats {
  const n = classes ? classes.length : C;
  const lp = f32 ? new Float32Array(n) : new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const v = x[xb + (classes ? classes[k] : k) * xs];
    lp[k] = f32 ? fround(fround(v - max) - lse) : v - max - lse;
  }
  const fromKernel = kernel ? wasmExp(lp) : null;
  if (fromKernel) return fromKernel;
  for (let k = 0; k < n; k++) lp[k] = Math.exp(lp[k]); // a Float32Array store rounds to float32
  return lp;
}
