/**
 * Targets that are not class indices. torch raises on the first one ("Target 10 is out of
 * bounds.") and prints no loss at all, so there is no total to show. A learner still gains from
 * the steps of the other samples (softmax, log-softmax, the picked −log p) beside a clear mark on
 * the bad one; this module finds the bad targets and builds the request whose other samples are
 * exactly what torch would compute for them, with the bad ones masked as ignored. Pure.
 */
import type { InvalidTargetList, LossRequest } from './types';

/** Most invalid targets listed one by one; a panel page holds 200 sample losses. */
export const maxListedInvalidTargets = 10_000;

/** Number of classes of an input of shape (C), (N, C) or (N, C, d1, …): null for an empty shape. */
export function classCountOf(inputShape: readonly number[]): number | null {
  if (inputShape.length === 0) return null;
  return inputShape.length === 1 ? inputShape[0]! : inputShape[1]!;
}

/**
 * The targets outside 0 … C − 1 that are not ignore_index, or null when every target is valid or
 * the request does not hold class indices (a float target of the input's shape is probabilities).
 * Linear in the number of targets.
 */
export function findInvalidTargets(request: LossRequest, limit = maxListedInvalidTargets): InvalidTargetList | null {
  const C = classCountOf(request.input.shape);
  if (C === null || !request.target.integral) return null;
  const data = request.target.data;
  const elements: number[] = [];
  const values: number[] = [];
  let count = 0;
  for (let i = 0; i < data.length; i++) {
    const t = data[i]!;
    if (t === request.ignoreIndex || (t >= 0 && t < C)) continue;
    count++;
    if (elements.length < limit) {
      elements.push(i);
      values.push(t);
    }
  }
  return count === 0 ? null : { C, ignoreIndex: request.ignoreIndex, count, elements, values };
}

/**
 * `request` with every out-of-range target replaced by ignore_index, so the kernel computes the
 * valid samples as torch would and leaves the bad ones out (loss 0, not counted). The totals of
 * such a request are not torch's (torch raises): callers must not present them as the loss.
 */
export function maskInvalidTargets(request: LossRequest): LossRequest {
  const C = classCountOf(request.input.shape) ?? 0;
  const source = request.target.data;
  const data = Float64Array.from(source);
  for (let i = 0; i < data.length; i++) {
    const t = data[i]!;
    if (t !== request.ignoreIndex && !(t >= 0 && t < C)) data[i] = request.ignoreIndex;
  }
  return { ...request, target: { ...request.target, data } };
}
