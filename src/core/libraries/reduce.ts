/**
 * Weights and reductions of the per-example losses, each library's way (see LibraryReduction and
 * WeightRule in types.ts): numpy broadcasting, Keras's squeeze of a trailing dimension of size 1,
 * and the tfjs / TF1 divisions by the sum of weights or by the count of non-zero weights.
 */
import type { DType, NdArray } from '../types';
import { rounding } from './rules';
import type { LibraryLossResult, LibraryReduction, WeightRule } from './types';

/** A library error with its own wording (the caller turns it into an ErrorInfo). */
export class LibraryRuleError extends Error {
  constructor(
    readonly code:
      'target_shape_mismatch' | 'target_out_of_bounds' | 'invalid_input_shape' | 'invalid_option' | 'invalid_request',
    message: string,
  ) {
    super(message);
  }
}

/** numpy's broadcast shape of a and b, or null when they do not broadcast. */
export function broadcastShape(a: number[], b: number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Values of `data` (of `shape`) read at every position of `out` (broadcast). */
function expand(data: Float64Array, shape: number[], out: number[]): Float64Array {
  const size = out.reduce((p, d) => p * d, 1);
  const result = new Float64Array(size);
  const offset = out.length - shape.length;
  const strides = new Array<number>(shape.length).fill(0);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = shape[i] === 1 ? 0 : stride;
    stride *= shape[i];
  }
  const index = new Array<number>(out.length).fill(0);
  for (let k = 0; k < size; k++) {
    let at = 0;
    for (let i = 0; i < shape.length; i++) at += index[offset + i] * strides[i];
    result[k] = data[at];
    for (let d = out.length - 1; d >= 0; d--) {
      if (++index[d] < out[d]) break;
      index[d] = 0;
    }
  }
  return result;
}

/** Keras's rank alignment of the sample weights with the losses (a trailing 1 squeezed or added). */
function kerasWeightShape(losses: number[], weights: number[]): number[] {
  if (weights.length === losses.length + 1 && weights[weights.length - 1] === 1) return weights.slice(0, -1);
  if (weights.length + 1 === losses.length && losses[losses.length - 1] === 1) return [...weights, 1];
  return weights;
}

/** Multiplies the losses by the weights and reduces them. */
export function weightAndReduce(
  losses: Float64Array,
  shape: number[],
  weights: NdArray | null,
  weightRule: WeightRule,
  reduction: LibraryReduction,
  dtype: DType,
): LibraryLossResult {
  const r = rounding(dtype);
  let values = losses;
  let outShape = shape;
  let w: Float64Array | null = null;
  let wShape: number[] = [];
  if (weights) {
    wShape = weightRule === 'keras' ? kerasWeightShape(shape, weights.shape) : weights.shape;
    if (weightRule === 'same_shape' && (wShape.length !== shape.length || wShape.some((d, i) => d !== shape[i])))
      throw new LibraryRuleError(
        'invalid_option',
        `Weights with shape (${wShape.join(', ')}) is not the same as output loss with shape (${shape.join(', ')}).`,
      );
    const both = broadcastShape(shape, wShape);
    if (!both)
      throw new LibraryRuleError(
        'invalid_option',
        `The weights of shape [${weights.shape.join(', ')}] do not broadcast against the losses of shape [${shape.join(', ')}].`,
      );
    outShape = both;
    w = Float64Array.from(expand(weights.data, wShape, both), r);
    const l = expand(losses, shape, both);
    values = new Float64Array(l.length);
    for (let i = 0; i < l.length; i++) values[i] = r(l[i] * w[i]);
  }
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum = r(sum + values[i]);
  const result = (loss: number | null, numerator: number, denominator: number): LibraryLossResult => ({
    losses: reduction === 'none' ? values : losses,
    shape: reduction === 'none' ? outShape : shape,
    loss,
    numerator,
    denominator,
  });
  switch (reduction) {
    case 'none':
      return result(outShape.length === 0 ? values[0] : null, sum, 1);
    case 'sum':
      return result(sum, sum, 1);
    case 'mean':
      return result(r(sum / values.length), sum, values.length);
    case 'weighted_mean':
    case 'tfjs_mean': {
      if (!weights || !w) return result(r(sum / values.length), sum, values.length);
      let wSum = 0;
      // The weights as given (not broadcast) are summed, as tfjs's sum($weights) and np.average do.
      for (let i = 0; i < weights.data.length; i++) wSum = r(wSum + r(weights.data[i]));
      const factor = reduction === 'tfjs_mean' ? losses.length / weights.data.length : 1;
      let loss = r(sum / wSum);
      if (factor > 1) loss = r(loss / factor);
      return result(loss, sum, factor > 1 ? r(wSum * factor) : wSum);
    }
    case 'sum_by_nonzero_weights': {
      if (!w) return result(r(sum / values.length), sum, values.length);
      let nonZero = 0;
      for (let i = 0; i < w.length; i++) if (w[i] !== 0) nonZero++;
      return result(r(sum / nonZero), sum, nonZero);
    }
  }
}
