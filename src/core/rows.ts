import type { InputArray, NdArray } from './types';

/** Rows of two arrays one after the other: (k, …) and (m, …) give (k + m, …), in doubles. */
export function catRows(a: InputArray, b: InputArray): NdArray {
  const data = new Float64Array(a.data.length + b.data.length);
  data.set(a.data);
  data.set(b.data, a.data.length);
  return { data, shape: [(a.shape[0] ?? 0) + (b.shape[0] ?? 0), ...a.shape.slice(1)], integral: a.integral };
}
