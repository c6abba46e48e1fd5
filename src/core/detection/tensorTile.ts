/**
 * torch's `Tensor.repeat(*sizes)`: the whole tensor tiled `sizes[i]` times along each dimension, the
 * shape padded with leading ones when more sizes than dimensions are given (numpy's `np.tile`; not
 * numpy's `ndarray.repeat`, which repeats each element and is left alone).
 */
import { gathered, materialise } from './tensorIndex';
import { affordable } from './computeBudget';
import type { ArrayValue } from './values';

/** The tiled array, or null when torch would raise (fewer sizes than dimensions) or it is too large. */
export function tiled(a0: ArrayValue, sizes: number[]): ArrayValue | null {
  const a = materialise(a0);
  if (!a.data || sizes.length < a.shape.length) return null;
  if (!sizes.every((s) => Number.isInteger(s) && s >= 0)) return null;
  const inner = [...Array<number>(sizes.length - a.shape.length).fill(1), ...a.shape];
  const shape = inner.map((d, i) => d * sizes[i]);
  const total = shape.reduce((p, d) => p * d, 1);
  if (!affordable(total)) return null;
  const flats: number[] = new Array<number>(total);
  const idx = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < total; k++) {
    let f = 0;
    for (let i = 0; i < shape.length; i++) f = f * inner[i] + (idx[i] % inner[i]);
    flats[k] = f;
    for (let i = shape.length - 1; i >= 0; i--) {
      if (++idx[i] < shape[i]) break;
      idx[i] = 0;
    }
  }
  const out = gathered(a, flats, shape, null);
  out.site = a.site;
  return out;
}
