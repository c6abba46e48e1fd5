/**
 * Keras metric objects (`keras.metrics.CategoricalCrossentropy()`, the sparse one): each
 * `update_state(y_true, y_pred, sample_weight)` adds a batch, and `result()` is the weighted mean
 * Σ w·l / Σ w over every example added since the object was built or `reset_state()` was called
 * (keras/src/metrics/reduction_metrics.py, MeanMetricWrapper). The entries themselves are in
 * keras.ts; this file follows an object's state through its methods.
 *
 * One update is one pair, computed where the batch is added; `result()` is that pair's value. A
 * further update before a reset mixes batches: its pair is unverified, and `result()` is not read.
 */
import { recogniserById } from '../catalogue';
import type { CallNode, Evaluation } from '../evaluation';
import { recogniseLoss } from '../recognise';
import type { CriterionValue, OptionValues, Value } from '../values';
import { igniteLossMethod } from './igniteLoss';
import { hiddenUse, updateSite } from './metricUses';
import { mxnetMetricMethod } from './mxnetMetricMethods';

/** What the object's methods return, or undefined when `name` is not a metric method (ignite's Loss: igniteLoss.ts; MXNet's metrics: mxnetMetricMethods.ts). */
export function metricMethod(
  ev: Evaluation,
  receiver: CriterionValue,
  name: string,
  node: CallNode,
  rebind: (v: Value) => void,
): Value | undefined {
  if (receiver.ignite) return igniteLossMethod(ev, receiver, name, node, rebind);
  if (receiver.recogniser.startsWith('mxnet.metric.')) return mxnetMetricMethod(ev, receiver, name, node, rebind);
  if (!receiver.recogniser.startsWith('keras.metrics.')) return undefined;
  const compute = (options: OptionValues): Value =>
    recogniseLoss(ev, recogniserById(receiver.recogniser), node, options, 'known');
  const updates = receiver.updates ?? 0;
  switch (name) {
    case 'update_state': {
      const extra = { ...(receiver.options.extra ?? {}) };
      if (updates > 0) extra.accumulated = { kind: 'string', value: 'earlier updates' };
      const loss = compute({ ...receiver.options, extra });
      rebind({ ...receiver, updates: updates + 1, result: loss, updatedAt: updateSite(ev, node) });
      return { kind: 'unknown', lossy: false };
    }
    case 'result': {
      if (updates === 1 && receiver.result) {
        // An update detection does not see (the metric handed to a function, aliased, in a loop).
        const hidden = receiver.updatedAt
          ? hiddenUse(ev, receiver.updatedAt, node, 'result', 'update_state|reset_states?', true)
          : null;
        return hidden ? { kind: 'unknown', lossy: true, why: hidden } : receiver.result;
      }
      return {
        kind: 'unknown',
        lossy: true,
        why: updates ? 'the metric mixes several updates (not modelled)' : 'the metric has no update yet',
      };
    }
    case 'reset_state':
    case 'reset_states':
      rebind({ ...receiver, updates: 0, result: undefined });
      return { kind: 'unknown', lossy: false };
    default:
      return undefined;
  }
}
