/**
 * Inspect Selection's two literals: each read on its own and computed with torch's defaults.
 */
import { analyzeText } from '../core/analysis';
import { KernelError } from '../core/errors';
import { formatTorchScalar } from '../core/format';
import type { ArraySite } from '../core/detection';
import { computeLoss } from '../core/kernel';
import type { LossRequest } from '../core/types';
import type { ArrayPairParams, ArrayPairResult } from '../protocol/worker';

/**
 * The loss of two literals read as logits and target with torch's defaults. Each literal is
 * read on its own (detection's reading of one array expression); an unbatched (C) logits row
 * with a one-element target is read as (1, C), as the inferred pairs of a document are.
 */
export function arrayPair(params: ArrayPairParams): ArrayPairResult {
  const read = (source: ArrayPairParams['logits'], what: 'logits' | 'target'): ArraySite => {
    const analysis = analyzeText(source.text, {
      languageId: source.languageId,
      ...(params.maxElements !== undefined ? { maxElements: params.maxElements } : {}),
    });
    const site = analysis.arrays[0];
    if (!site)
      throw new KernelError('invalid_request', `The ${what} selection holds no numeric array.`, {
        id: 'selection_no_array',
        role: what,
      });
    if (!site.data) {
      const reason = site.error ?? 'no values';
      throw new KernelError('invalid_request', `The ${what} array cannot be read: ${reason}.`, {
        id: 'selection_unreadable',
        role: what,
        reason,
      });
    }
    return site;
  };
  const logits = read(params.logits, 'logits');
  const target = read(params.target, 'target');
  const dtype = params.dtypeOverride ?? logits.dtype ?? 'float32';
  const inputShape =
    logits.shape.length === 1 && target.shape.length === 1 && target.shape[0] === 1
      ? [1, ...logits.shape]
      : logits.shape;
  const request: LossRequest = {
    input: { data: logits.data!, shape: inputShape, integral: logits.integral },
    target: { data: target.data!, shape: target.shape, integral: target.integral },
    weight: null,
    ignoreIndex: -100,
    reduction: 'mean',
    labelSmoothing: 0,
    dtype,
    inputKind: 'logits',
  };
  const outcome = computeLoss(request, params.maxElements !== undefined ? { maxElements: params.maxElements } : {});
  // The panel can show a pair whose targets are out of range (the valid samples' steps), not an unreadable one.
  const withRequest = params.withRequest ? { request } : {};
  if (!outcome.ok) return { loss: null, printed: null, inputShape, dtype, error: outcome.error, ...withRequest };
  const loss = outcome.result.loss;
  return { loss, printed: formatTorchScalar(loss, dtype), inputShape, dtype, error: null, ...withRequest };
}
