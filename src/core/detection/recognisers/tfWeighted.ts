/**
 * TensorFlow's `tf.nn.weighted_cross_entropy_with_logits(labels, logits, pos_weight)` (TF 1.0 named
 * the first argument `targets`; the order is the same in every version): the sigmoid cross-entropy
 * with its positive term scaled by `pos_weight`, one loss per element, never reduced:
 * (1 − z)·x + (1 + (q − 1)·z)·(log1p(e^−|x|) + max(−x, 0)) (tensorflow/python/ops/nn_impl.py), torch's
 * BCEWithLogitsLoss(pos_weight=q, reduction='none') in value (docs/detection.md 3.310, 4.84). The
 * pos_weight is required (a TypeError without it) and is a number or an array that broadcasts to the
 * logits.
 */
import type { NdArray } from '../../types';
import { argumentNode, type CallNode, type Evaluation } from '../evaluation';
import type { OptionValues, Value } from '../values';
import { givenNode, libraryPair, nd, notAPair, operandOf } from './common';
import type { LibraryEntry, Match } from './entry';
import { floatDtype, readOperands } from './requests';
import { sigmoidPair, elementwiseLogits } from './sigmoidPairs';

/** The pos_weight as an array; null when the call has none; a reason when it is not written here. */
function posWeightOf(ev: Evaluation, call: CallNode): NdArray | string | null {
  const node = givenNode(call, { position: 2, keyword: 'pos_weight' });
  if (!node) return null;
  const v = ev.evaluate(node);
  if (v.kind === 'number') return nd(Float64Array.of(v.value), []);
  const op = operandOf(v);
  if (!op || op.why || !op.array.data) return 'the pos_weight is not a number or an array written in this source';
  return nd(op.array.data, op.array.shape);
}

function apply(entry: () => LibraryEntry) {
  return (ev: Evaluation, call: CallNode, _options: OptionValues, match: Match): Value => {
    const labelsNode =
      argumentNode(call, { position: 0, keyword: 'labels' }) ??
      argumentNode(call, { position: -1, keyword: 'targets' });
    const logitsNode = argumentNode(call, { position: 1, keyword: 'logits' });
    const ops = readOperands(ev, logitsNode, labelsNode);
    if (!ops.ok) return notAPair(ev, match, ops.missing);
    const posWeight = posWeightOf(ev, call);
    const note =
      "(1 − z)·x + (1 + (q − 1)·z)·(log1p(e^−|x|) + max(−x, 0)) per element, q the pos_weight (torch’s BCEWithLogitsLoss with pos_weight and reduction='none' in value); never reduced";
    if (typeof posWeight === 'string' || posWeight === null)
      return libraryPair(ev, {
        entry: entry(),
        call,
        input: ops.input.array,
        target: ops.target.array,
        inputNode: logitsNode,
        reduction: 'none',
        labelSmoothing: 0,
        dtype: floatDtype(ops.input.array),
        dtypeExplicit: false,
        note,
        request: null,
        ...(posWeight === null
          ? {
              error: {
                code: 'invalid_request',
                message: "weighted_cross_entropy_with_logits() missing 1 required positional argument: 'pos_weight'",
              },
            }
          : { unverified: posWeight }),
      });
    return sigmoidPair(ev, {
      entry: entry(),
      call,
      ops,
      inputNode: logitsNode,
      library: 'tensorflow',
      ...elementwiseLogits,
      dtype: floatDtype(ops.input.array),
      posWeight,
      unverified: null,
      note,
    });
  };
}

const entry: LibraryEntry = {
  id: 'tf.nn.weighted_cross_entropy_with_logits',
  paths: ['tf.nn.weighted_cross_entropy_with_logits', 'tf.v1.nn.weighted_cross_entropy_with_logits'],
  form: 'function',
  callKind: 'library',
  input: { position: 1, keyword: 'logits' },
  target: { position: 0, keyword: 'labels' },
  options: {},
  batchOfOne: false,
  mapping: {
    library: 'tensorflow',
    reads: 'logits',
    defaultReduction: 'none',
    classAxis: 'none: one loss per element (a binary cross-entropy)',
    note: 'TensorFlow’s sigmoid cross-entropy per element, the positive term scaled by pos_weight',
  },
  hooks: { apply: apply(() => entry) },
};

export const tfWeightedEntries: LibraryEntry[] = [entry];
