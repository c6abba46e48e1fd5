/**
 * The methods of MXNet 1.x's metric objects (the entries and their rule: mxnetMetric.ts): each
 * `update(labels, preds)` is one batch's pair, `get()` the tuple `(name, value)` of the one update's
 * loss, `reset()` / `reset_local()` forget the batches. A second update before a reset makes the pair
 * unverified and leaves `get()` not read, as for Keras's metric objects (kerasMetrics.ts).
 */
import type { CallNode, Evaluation } from '../evaluation';
import { recogniseLoss } from '../recognise';
import { recogniserById } from '../catalogue';
import type { CriterionValue, Value } from '../values';
import { hiddenUse, updateSite } from './metricUses';
import { metricName, notRead, type Kind } from './mxnetMetric';

/** What the metric's methods return, or undefined when `receiver` is not one of MXNet's metrics. */
export function mxnetMetricMethod(
  ev: Evaluation,
  receiver: CriterionValue,
  name: string,
  node: CallNode,
  rebind: (v: Value) => void,
): Value | undefined {
  if (!receiver.recogniser.startsWith('mxnet.metric.')) return undefined;
  const updates = receiver.updates ?? 0;
  switch (name) {
    case 'update': {
      const extra = { ...(receiver.options.extra ?? {}) };
      if (updates > 0) extra.accumulated = { kind: 'string', value: 'earlier updates' };
      const loss = recogniseLoss(
        ev,
        recogniserById(receiver.recogniser),
        node,
        { ...receiver.options, extra },
        'known',
      );
      rebind({ ...receiver, updates: updates + 1, result: loss, updatedAt: updateSite(ev, node) });
      return { kind: 'unknown', lossy: false };
    }
    case 'get': {
      if (updates !== 1 || !receiver.result || receiver.result.kind !== 'loss')
        return notRead(
          updates > 1 ? 'the metric mixes several updates (not modelled)' : 'the metric has no update yet',
        );
      const hidden = receiver.updatedAt ? hiddenUse(ev, receiver.updatedAt, node, 'get', 'update|reset') : null;
      if (hidden) return notRead(hidden);
      const given = receiver.options.extra?.name;
      const label = given === undefined ? metricName[receiver.recogniser.slice('mxnet.metric.'.length) as Kind] : null;
      const title: Value =
        given?.kind === 'string'
          ? given
          : label !== null
            ? { kind: 'string', value: label }
            : { kind: 'unknown', lossy: false };
      return { kind: 'sequence', items: [title, receiver.result] };
    }
    case 'reset':
    case 'reset_local':
      rebind({ ...receiver, updates: 0, result: undefined });
      return { kind: 'unknown', lossy: false };
    default:
      return notRead(`\`${name}\` of MXNet's metric is not modelled`);
  }
}
