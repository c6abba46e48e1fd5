/**
 * pytorch-ignite's `Loss` metric (docs/detection.md 3.69, 4.21): `m = Loss(loss_fn,
 * output_transform=…, batch_size=len, device=cpu)` wraps one of torch's losses. Its rule, from
 * ignite/metrics/loss.py: `reset()` sets a float32 tensor `_sum = 0` and `_num_examples = 0`;
 * `update((y_pred, y))` computes `loss_fn(y_pred, y)`, raises ValueError unless it is 0-d, and adds
 * `loss * n` to `_sum` and `n = batch_size(y)` to the count; `compute()` is `_sum.item() / count`.
 * `output_transform` is applied by an engine, never by a direct `update`, so it changes nothing here.
 *
 * Each `update` is a pair: the wrapped loss of that batch, the number the code computes on that line.
 * `compute()` is a number only when it is exactly that loss: one update, a float32 loss, and a batch
 * whose size is a power of two (then `loss * n` in float32 and the division by n are exact). Otherwise
 * (several batches, n = 3, float64 losses summed into float32) it is not read: no claim on it is judged.
 * "One update" must be certain, so the metric, its update and compute() are in one segment, the update
 * a statement at the margin (not in a loop, block or function, which may run it any number of times),
 * and the metric's name is written nowhere but at the margin or in `name.compute(`, and between the
 * update and compute() only there: passed to a function, aliased or attached to an engine, it may be
 * updated where detection does not see it.
 */
import { recogniseLoss } from '../recognise';
import { findRecogniser, recogniserById, recogniserForPath } from '../catalogue';
import { opaqueCall, type CallNode, type Evaluation } from '../evaluation';
import type { CriterionValue, Value } from '../values';
import { hiddenUse, sameSegment } from './metricUses';

/** The callee paths of the metric class. */
const paths = new Set(['ignite.metrics.Loss', 'ignite.metrics.loss.Loss']);

/** torch's losses ignite's Loss is modelled with (the ones whose pair is torch's own kernel). */
const wrapped = new Set([
  'torch.nn.CrossEntropyLoss',
  'torch.nn.NLLLoss',
  'torch.nn.functional.cross_entropy',
  'torch.nn.functional.nll_loss',
]);

/** `Loss(loss_fn, …)`: the metric object, or undefined when `path` is not ignite's Loss. */
export function igniteLossMetric(ev: Evaluation, path: string, call: CallNode): Value | undefined {
  if (!paths.has(path)) return undefined;
  const fnNode = call.args[0] ?? call.keywords.find((k) => k.name === 'loss_fn')?.value;
  const fn = fnNode ? ev.evaluate(fnNode) : null;
  for (const k of call.keywords) if (k.name !== 'loss_fn') ev.evaluate(k.value);
  // A batch_size other than len: the count behind compute() is not known (the updates still are pairs).
  const batchSize = call.args.length > 2 || call.keywords.some((k) => k.name === 'batch_size') ? 'other' : 'len';
  let inner: { id: string; options: CriterionValue['options'] } | null = null;
  if (fn?.kind === 'criterion' && !fn.ignite && wrapped.has(fn.recogniser))
    inner = { id: fn.recogniser, options: fn.options };
  else if (fn?.kind === 'namespace') {
    const entry = recogniserForPath(fn.path);
    if (entry && entry.form === 'function' && wrapped.has(entry.id)) inner = { id: entry.id, options: {} };
  }
  if (!inner) return { kind: 'unknown', lossy: true, why: "the loss ignite's Loss wraps is not modelled here" };
  return {
    kind: 'criterion',
    recogniser: inner.id,
    options: inner.options,
    ignite: { batchSize, text: ev.ctx.text, cell: ev.ctx.cell, updates: 0, result: null, updateEnd: -1 },
  };
}

/** A loss module called on its operands; ignite's Loss is a metric, not callable (TypeError): no pair. */
export function criterionCall(ev: Evaluation, fn: CriterionValue, node: CallNode): Value {
  if (fn.ignite) return opaqueCall(ev, node, true);
  return recogniseLoss(ev, recogniserById(fn.recogniser), node, fn.options, 'known');
}

const notRead = (why: string): Value => ({ kind: 'unknown', lossy: true, why });

/** What a method of the metric returns, or undefined when `receiver` is not ignite's Loss. */
export function igniteLossMethod(
  ev: Evaluation,
  receiver: CriterionValue,
  name: string,
  node: CallNode,
  rebind: (v: Value) => void,
): Value | undefined {
  const state = receiver.ignite;
  if (!state) return undefined;
  switch (name) {
    case 'update': {
      const output = node.args[0];
      const lineStart = ev.ctx.text.lastIndexOf('\n', node.start - 1) + 1;
      const plain = ev.topLevel && node.start === lineStart && sameSegment(ev, state);
      if (output?.type !== 'sequence' || node.args.length !== 1) {
        rebind({ ...receiver, ignite: { ...state, updates: state.updates + 1, result: null } });
        return notRead("only `update((y_pred, y))` with the pair written in the call is modelled for ignite's Loss");
      }
      if (output.items.length !== 2) {
        rebind({ ...receiver, ignite: { ...state, updates: state.updates + 1, result: null } });
        return notRead("the keyword arguments ignite's Loss passes to its loss (a third item) are not modelled");
      }
      // The wrapped loss called on the two items, as ignite's update calls it.
      const inner: CallNode = { ...node, args: output.items, keywords: [] };
      const entry = findRecogniser(receiver.recogniser) ?? recogniserById(receiver.recogniser);
      const raises =
        receiver.options.reduction === 'none'
          ? "ignite's Loss raises ValueError: its loss_fn returns one loss per element (reduction='none'), not a 0-d loss"
          : undefined;
      const loss = recogniseLoss(ev, entry, inner, receiver.options, 'known', raises);
      rebind({
        ...receiver,
        ignite: {
          ...state,
          // An update that may run any number of times counts as more than one.
          updates: state.updates + (plain ? 1 : 2),
          result: loss.kind === 'loss' && !raises ? loss : null,
          updateEnd: node.end,
        },
      });
      return { kind: 'unknown', lossy: false };
    }
    case 'compute': {
      const loss = state.updates === 1 ? state.result : null;
      if (state.updates > 1) return notRead("ignite's running mean over several updates is not modelled");
      if (!loss || loss.kind !== 'loss')
        return notRead(
          state.updates ? "the loss of the metric's update is not known here" : 'the metric has no update yet',
        );
      const hidden = hiddenUse(ev, state, node, 'compute', 'update|reset');
      if (hidden) return notRead(hidden);
      const pair = ev.ctx.inputOf(loss.pair.id);
      const n = pair && pair.target.shape.length >= 1 ? pair.target.shape[0] : 0;
      const powerOfTwo = n > 0 && (n & (n - 1)) === 0;
      if (state.batchSize !== 'len' || loss.pair.dtype !== 'float32' || !powerOfTwo)
        return notRead(
          "ignite's compute() rounds loss × batch size to float32 before dividing: not exactly the loss for this batch",
        );
      return loss;
    }
    case 'reset':
      rebind({ ...receiver, ignite: { ...state, updates: 0, result: null } });
      return { kind: 'unknown', lossy: false };
    default:
      return notRead(`\`${name}\` of ignite's Loss is not modelled`);
  }
}
