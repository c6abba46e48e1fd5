/**
 * FastEstimator's backend cross-entropies (docs/detection.md 3.43, semantics in 4.18):
 * `fastestimator.backend.categorical_crossentropy(y_pred, y_true, from_logits=False, average_loss=True)`
 * and `sparse_categorical_crossentropy(…)` with the same options, usually called as `fe.backend.…`.
 * Note the order: the prediction comes first, the labels second (Keras has them the other way).
 *
 * The function runs a different rule for each tensor library, and the tensors say which:
 * - TensorFlow tensors (`tf.constant`): Keras's `tf.losses.categorical_crossentropy` /
 *   `sparse_categorical_crossentropy` (rows divided by their sum and clipped; from_logits: softmax);
 * - torch tensors (`torch.tensor`, `torch.Tensor`): `torch.sum(-y * torch.log(p), 1)` for categorical
 *   and `NLLLoss(reduction='none')(torch.log(p), y.view(-1).long())` for sparse, on the probabilities
 *   as they are (the `log_probabilities` rule); with from_logits, `-y * LogSoftmax(dim=1)` and
 *   `CrossEntropyLoss(reduction='none')` (the `softmax` rule);
 * - `average_loss=True` (the default) takes their mean, else one loss per example.
 * Anything else (numpy arrays, lists, mixed tensors) fails FastEstimator's own type assertion, and
 * tensors whose library is not known here get no number. A probability of 0 or less makes the torch
 * branch inf or NaN (0·log 0): no number either.
 */
import type { DType } from '../../types';
import { type CallNode, type Evaluation } from '../evaluation';
import type { ArrayValue, OptionValues, Value } from '../values';
import { asBool, givenNode, libraryPair, notAPair, optionAt } from './common';
import type { LibraryEntry, Match } from './entry';
import {
  baseRequest,
  explicitDtype,
  floatDtype,
  prepareOperands,
  readOperands,
  squeezeLabelColumn,
  torchEquivalent,
  unmodelledReason,
} from './requests';

type Kind = 'categorical' | 'sparse';

const predSlot = { position: 0, keyword: 'y_pred' };
const trueSlot = { position: 1, keyword: 'y_true' };

function note(kind: Kind, backend: 'torch' | 'tensorflow', fromLogits: boolean, average: boolean): string {
  const rule =
    backend === 'tensorflow'
      ? fromLogits
        ? 'TensorFlow tensors, from_logits=True: Keras’s softmax cross-entropy, as torch'
        : kind === 'categorical'
          ? 'TensorFlow tensors: Keras divides y_pred by its row sum and clips it to [1e-7, 1 − 1e-7], then −Σ y·log p (not a log_softmax)'
          : 'TensorFlow tensors: Keras clips y_pred to [1e-7, 1 − 1e-7] and divides out its row sum: −log(p_t / Σ p) (not a log_softmax)'
      : fromLogits
        ? 'torch tensors, from_logits=True: −Σ y·log_softmax(x), as torch'
        : kind === 'categorical'
          ? 'torch tensors: −Σ y·log p on the probabilities as they are (no row sum, no clipping; not a log_softmax)'
          : 'torch tensors: NLLLoss on torch.log(y_pred), −log p_t (no row sum, no clipping; not a log_softmax)';
  return `FastEstimator, ${rule}; ${average ? 'averaged over the examples (average_loss=True)' : 'one loss per example (average_loss=False)'}`;
}

/** Which tensor library both operands belong to, or why FastEstimator's function would not run. */
function backendOf(pred: ArrayValue, truth: ArrayValue): 'torch' | 'tensorflow' | string {
  const p = pred.tensorOf;
  const t = truth.tensorOf;
  if (p !== undefined && p === t) return p;
  if (p !== undefined && t !== undefined)
    return 'y_pred and y_true are tensors of different libraries: FastEstimator asserts they are of the same type';
  return 'FastEstimator’s backend function takes tf.Tensor or torch.Tensor operands, and which library made these is not known here';
}

function apply(kind: Kind, entry: () => LibraryEntry) {
  return (ev: Evaluation, call: CallNode, _options: OptionValues, match: Match): Value => {
    const predNode = givenNode(call, predSlot);
    const trueNode = givenNode(call, trueSlot);
    const ops = readOperands(ev, predNode, trueNode);
    if (!ops.ok) return notAPair(ev, match, ops.missing);
    const fromLogits = asBool(optionAt(ev, call, { position: 2, keyword: 'from_logits' }));
    const average = asBool(optionAt(ev, call, { position: 3, keyword: 'average_loss' }));
    const backend = backendOf(ops.input.array, ops.target.array);
    const torchBranch = backend === 'torch';
    const dtype: DType = floatDtype(ops.input.array);
    const logits = fromLogits === true;
    const averaged = average !== false;
    const e = entry();
    const base = {
      entry: e,
      call,
      input: ops.input.array,
      target: ops.target.array,
      inputNode: predNode,
      reduction: averaged ? ('mean' as const) : ('none' as const),
      labelSmoothing: 0,
      dtype,
      dtypeExplicit: explicitDtype(ops.input.array),
      note: note(kind, torchBranch ? 'torch' : 'tensorflow', logits, averaged),
    };
    let unverified = unmodelledReason(ev, ops);
    if (backend !== 'torch' && backend !== 'tensorflow') unverified ??= backend;
    if (fromLogits === null) unverified ??= 'the value of from_logits is not known here';
    if (average === null) unverified ??= 'the value of average_loss is not known here';
    if (unverified !== null) return libraryPair(ev, { ...base, request: null, unverified });
    const prepared = prepareOperands(
      ops.input.array,
      ops.target.array,
      kind === 'categorical' ? 'probabilities' : 'indices',
      -1,
      dtype,
      'truncate',
    );
    if (typeof prepared === 'string') return libraryPair(ev, { ...base, request: null, unverified: prepared });
    squeezeLabelColumn(prepared);
    if (torchBranch && !logits && prepared.input.some((p) => !(p > 0)))
      return libraryPair(ev, {
        ...base,
        request: null,
        unverified:
          'a probability of 0 or less (or NaN) makes FastEstimator’s torch branch inf or NaN (torch.log, 0·log 0): no number is given',
      });
    const rule = logits
      ? 'softmax'
      : torchBranch
        ? 'log_probabilities'
        : kind === 'categorical'
          ? 'keras_probabilities'
          : 'keras_sparse_tf';
    const request = baseRequest('fastestimator', rule, prepared, dtype);
    request.fromLogits = logits;
    request.reduction = averaged ? 'mean' : 'none';
    return libraryPair(ev, { ...base, request, torch: torchEquivalent(request) });
  };
}

function entryOf(kind: Kind): LibraryEntry {
  const name = `${kind === 'categorical' ? '' : 'sparse_'}categorical_crossentropy`;
  const self: LibraryEntry = {
    id: `fastestimator.backend.${name}`,
    paths: [`fastestimator.backend.${name}`, `fastestimator.backend.${name}.${name}`],
    form: 'function',
    callKind: 'library',
    input: predSlot,
    target: trueSlot,
    options: {},
    batchOfOne: false,
    mapping: {
      library: 'fastestimator',
      reads: 'logits',
      defaultReduction: 'mean',
      classAxis: 'the last axis (dim 1 of a 2-D input)',
      note: 'FastEstimator: Keras’s rule on TensorFlow tensors, −Σ y·log p on torch tensors (from_logits: softmax)',
    },
    hooks: { apply: apply(kind, () => self) },
  };
  return self;
}

export const fastestimatorEntries: LibraryEntry[] = [entryOf('categorical'), entryOf('sparse')];
