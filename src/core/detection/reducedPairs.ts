/**
 * A torch loss computed with `reduction='none'`, held by a name, then reduced by the code
 * (`losses.mean()`, `losses.sum()`, `torch.mean(losses)`, `torch.sum(losses)`): the reduced value is a
 * loss of its own, reported on the line that reduces. Its number is the analysis's reduction of the
 * per-element losses in torch's own summation order (torchSum.ts), never the kernel's reduction,
 * and it is made only where the two agree in meaning: `.sum()` always (an ignored target's loss is
 * 0 in the vector), `.mean()` only without class weights and without an ignored target (torch's
 * `reduction='mean'` divides by the weights' sum and skips ignored targets; `.mean()` divides by the
 * count; the BCE family's weights are per element, so its mean agrees). Another library's per-element
 * losses (Keras with `reduction=None`, `tf.nn`, optax) and a hand-written formula's per-row losses are
 * plain vectors the code averages or sums (`tf.reduce_mean(v)`, `np.mean(v)`, `v.mean()`): the mean is
 * their count-mean whatever the library, so those are reduced pairs too, without torch's conditions.
 * A rule that averages the last axis (Keras' and tfjs-layers' binary cross-entropy) over a one-axis
 * prediction gives one sample's scalar: reducing it gives the same loss, so no second pair is made.
 */
import type { CallNode, Evaluation } from './evaluation';
import { reducedLosses } from './scalarValues';
import type { Value, ValueOf } from './values';

/** The pair of `how` applied to the losses `v` holds, or null when it is not made here. */
export function reducedPair(ev: Evaluation, v: ValueOf<'loss'>, how: 'mean' | 'sum', node: CallNode): Value | null {
  if (v.pair.reduction !== 'none' || v.rounded !== undefined) return null;
  if (v.pair.resultName === null) return inlineReduced(ev, v, how, node);
  const base = ev.ctx.inputOf(v.pair.id);
  if (!base || base.unverified !== undefined || !base.call) return null;
  if (base.library?.error) return null;
  // One sample: a rule that averages the last axis gives a scalar for a prediction of one axis, and its
  // mean or sum is that same loss, not another (`tf.reduce_mean(binary_crossentropy(y, p))` with 1-D y, p).
  if (base.library?.request?.perSample === 'mean_last_axis' && base.input.shape.length <= 1) return v;
  // torch's own losses: CrossEntropyLoss / NLLLoss (the kernel), the BCE family (a library rule).
  const torchOwn = base.library ? base.library.name === 'torch' : !base.formula && base.recogniser.startsWith('torch.');
  // Another library's vector, or a hand-written formula's per-row losses: plain numbers to average.
  const plain = base.library ? base.library.name !== 'torch' : !!base.formula && !!base.formulaLosses;
  if (!torchOwn && !plain) return null;
  const library = base.library && { ...base.library, reduction: how, request: null, torch: null };
  if (how === 'mean' && torchOwn && !base.library) {
    if (base.options.weight) return null;
    const ignore = base.options.ignoreIndex ?? -100;
    const t = base.target;
    if (!t.data || (t.integerTensor && t.data.includes(ignore))) return null;
  }
  // The reducing call names the pair (`per_sample.mean`, `torch.sum`), not the call that made the vector.
  const callee = ev.ctx.text.slice(node.callee.start, Math.min(node.callee.end, node.callee.start + 80));
  const call = ev.ctx.lossCallAt(base.call.kind, node.start, node.end, callee);
  const ref = ev.ctx.addPair({
    ...base,
    ...(library ? { library } : {}),
    options: { ...base.options, reduction: how },
    call,
    breakdown: false,
    reducedFrom: { pair: v.pair.id, how },
  });
  return { kind: 'loss', pair: ref };
}

/** `torch.mean(losses)` / `torch.sum(losses)` of per-element losses: their pair, else their expression. */
export function torchReduced(ev: Evaluation, path: string, node: CallNode): Value | null {
  const how = path === 'torch.mean' ? 'mean' : path === 'torch.sum' ? 'sum' : null;
  if (!how || node.args.length !== 1 || node.keywords.length) return null;
  const v = ev.evaluate(node.args[0]);
  if (v.kind !== 'loss' || v.pair.reduction !== 'none' || v.rounded !== undefined) return null;
  return reducedPair(ev, v, how, node) ?? reducedLosses(v.pair, how);
}

/**
 * The per-element call written as the reducing call's only argument (`tf.reduce_mean(tf.nn.
 * softmax_cross_entropy_with_logits(...))`, `torch.mean(F.cross_entropy(x, y, reduction='none'))`) or as
 * the receiver of `.mean()` / `.sum()` (`optax.softmax_cross_entropy(z, p).mean()`):
 * the one loss of that line is the reduced one, so the pair itself is rebuilt with the reduction
 * (docs/detection.md 3.200). Made only where the count-mean is the library's own reduction: another
 * library's rule without weights, or torch's kernel under reducedPair's conditions; else null (the
 * vector stays, and the value is reduced as an expression).
 */
function inlineReduced(ev: Evaluation, v: ValueOf<'loss'>, how: 'mean' | 'sum', node: CallNode): Value | null {
  const base = ev.ctx.inputOf(v.pair.id);
  if (!base?.call || base.unverified !== undefined || base.formula || base.reducedFrom) return null;
  // The reducer's only argument, or the receiver of a method without arguments (`….mean()`).
  const args = node.args.length + node.keywords.length;
  const arg =
    args === 1 && node.args.length === 1
      ? node.args[0]
      : args === 0 && node.callee.type === 'attribute'
        ? node.callee.object
        : null;
  if (!arg || base.call.start !== arg.start || base.call.end !== arg.end) return null;
  const lib = base.library;
  if (lib) {
    if (lib.error || !lib.request || lib.request.weights || lib.request.reduction !== 'none') return null;
    const library = {
      ...lib,
      reduction: how,
      request: { ...lib.request, reduction: how },
      torch: lib.torch && { ...lib.torch, reduction: how },
    };
    ev.ctx.rebuildPair(v.pair, { ...base, library, options: { ...base.options, reduction: how } });
    return { kind: 'loss', pair: v.pair };
  }
  if (!base.recogniser.startsWith('torch.')) return null;
  if (how === 'mean') {
    const t = base.target;
    if (base.options.weight || !t.data || (t.integerTensor && t.data.includes(base.options.ignoreIndex ?? -100)))
      return null;
  }
  ev.ctx.rebuildPair(v.pair, { ...base, options: { ...base.options, reduction: how } });
  return { kind: 'loss', pair: v.pair };
}
