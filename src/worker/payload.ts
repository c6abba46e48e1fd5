import type { LossResult, Prepared } from '../core/kernel';
import type { LossPayload } from '../protocol/worker';

/**
 * The wire form of one evaluation, shared by the worker's replies and the client's inline path.
 * With `copy`, the typed arrays are copies (the result stays cached for later breakdowns, or the
 * caller must not be able to change what they read); otherwise they are the result's own and may
 * be transferred.
 */
export function lossPayload(
  p: Prepared,
  r: LossResult,
  resultId: number,
  kernelMs: number,
  copy: boolean,
): LossPayload {
  const payload: LossPayload = {
    resultId,
    loss: r.loss,
    losses: copy ? r.losses.slice() : r.losses,
    numerator: r.numerator,
    denominator: r.denominator,
    ignored: r.ignored && copy ? r.ignored.slice() : r.ignored,
    dtype: p.dtype,
    reduction: p.reduction,
    targetKind: p.targetKind,
    inputShape: p.inputShape,
    lossShape: p.lossShape,
    N: p.N,
    C: p.C,
    S: p.S,
    kernelMs,
  };
  // Always a copy: the kernel's gradient is in the working dtype and may be a view into wasm
  // memory that the next gradient reuses, which cannot be transferred either.
  if (r.grad) (payload.grad = new Float64Array(r.grad.length)).set(r.grad);
  return payload;
}

/** The buffers of a payload to put in a postMessage transfer list. */
export function payloadBuffers(p: LossPayload): ArrayBuffer[] {
  const out: ArrayBuffer[] = [p.losses.buffer as ArrayBuffer];
  if (p.ignored) out.push(p.ignored.buffer as ArrayBuffer);
  if (p.grad) out.push(p.grad.buffer as ArrayBuffer);
  return out;
}
