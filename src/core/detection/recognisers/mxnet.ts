/**
 * mxnet's softmax cross-entropies (docs/detection.md 3.49, 4.19), mapped to torch's as
 * softmaxCopies.ts maps Chainer's:
 * - `mx.nd.softmax_cross_entropy(data, label)` (also `mxnet.ndarray.`, `from mxnet import nd`): the
 *   operator takes 2-D data (N, C) and N labels, and returns one number (shape (1,)): the SUM over
 *   the batch of −log softmax(data)[label], torch's cross-entropy with reduction='sum'.
 * - `gluon.loss.SoftmaxCrossEntropyLoss(axis=-1, sparse_label=True, from_logits=False, weight=None,
 *   batch_axis=0)` (alias `SoftmaxCELoss`), called as (pred, label, sample_weight=None): log_softmax
 *   over `axis`, −pick(label) (or −Σ label·log_softmax with sparse_label=False), times `weight` and
 *   `sample_weight`, then the mean over every axis but `batch_axis`. For 2-D pred that is one loss per
 *   row: torch's reduction='none', with class indices or with probability targets.
 * mxnet arrays made from lists are float32 (`mx.nd.array`), labels included: mxnet reads float labels
 * holding whole numbers as indices, so the labels are handed to torch as integers. What torch would
 * not compute alike is refused with the reason: labels that are not whole numbers in [0, C) (mxnet's
 * `pick` clips them), data that is not 2-D, half precision (mxnet's float16 arithmetic is not run
 * here), `from_logits`, `weight`, `sample_weight`, another axis.
 */
import { withArray, type ArrayValue, type Value } from '../values';
import { asBool, asNumber } from './common';
import type { LibraryEntry } from './entry';
import { entryOf, type Reading } from './softmaxCopies';

/** Labels mxnet would read as the same class indices torch reads: whole numbers in [0, classes). */
function labelIssue(target: ArrayValue, classes: number): string | null {
  const d = target.transform === null ? target.data : null;
  if (!d) return 'the labels of this call are not known here';
  if (d.some((v) => !Number.isInteger(v)))
    return 'labels that are not whole numbers (mxnet truncates them to an index)';
  if (d.some((v) => v < 0 || v >= classes))
    return `a label outside [0, ${classes}) (mxnet's pick clips it to the nearest class)`;
  return null;
}

const asIndices = (t: ArrayValue): ArrayValue =>
  withArray(t, { integerTensor: true, dtype: null, narrowInt: undefined, halfPrecision: undefined });

function halfIssue(...arrays: ArrayValue[]): string | null {
  return arrays.some((a) => a.halfPrecision)
    ? "half-precision (float16) arrays: mxnet's own float16 arithmetic is not reproduced here"
    : null;
}

const ndSoftmaxCrossEntropy = (_raw: Record<string, Value | null>, input: ArrayValue, target: ArrayValue): Reading => {
  const classes = input.shape[1] ?? 0;
  let unverified =
    halfIssue(input, target) ??
    (input.shape.length !== 2
      ? `mxnet's softmax_cross_entropy takes 2-D data (these are ${input.shape.length}-D)`
      : target.shape.length !== 1 || target.shape[0] !== input.shape[0]
        ? 'the operator takes one label per row of the data'
        : labelIssue(target, classes));
  if (!unverified && input.integerTensor) unverified = 'integer data: mxnet arrays of integers are not modelled here';
  return {
    options: { reduction: 'sum' },
    input,
    target: unverified ? target : asIndices(target),
    ...(unverified ? { unverified } : {}),
  };
};

const gluonSoftmaxCE = (raw: Record<string, Value | null>, input: ArrayValue, target: ArrayValue): Reading => {
  const given = <T>(v: T | null | undefined, fallback: T): T | null => (v === undefined ? fallback : v);
  const axis = given(asNumber(raw.axis), -1);
  const batchAxis = given(asNumber(raw.batch_axis), 0);
  const sparse = given(asBool(raw.sparse_label), true);
  const fromLogits = given(asBool(raw.from_logits), false);
  const weighted = raw.weight !== undefined && raw.weight !== null;
  let unverified: string | null = halfIssue(input, target);
  if (unverified === null) {
    if (axis === null || batchAxis === null || sparse === null || fromLogits === null)
      unverified = 'an option of this loss is not known here';
    else if (fromLogits) unverified = 'from_logits=True (pred read as log-probabilities) is not modelled here';
    else if (weighted) unverified = "gluon's global `weight` factor is not modelled here";
    else if (input.shape.length !== 2)
      unverified = `only 2-D predictions are modelled (these are ${input.shape.length}-D; gluon averages the other axes)`;
    else if ((axis !== -1 && axis !== 1) || batchAxis !== 0)
      unverified = `axis=${axis}, batch_axis=${batchAxis}: only classes on the last axis of (batch, classes) are modelled`;
    else if (sparse) {
      unverified =
        target.shape.length !== 1 || target.shape[0] !== input.shape[0]
          ? 'sparse labels take one label per row'
          : labelIssue(target, input.shape[1]);
    } else if (target.shape.length !== 2 || target.shape[0] !== input.shape[0] || target.shape[1] !== input.shape[1])
      unverified = "sparse_label=False takes probability rows of pred's shape";
  }
  const t = unverified ? target : sparse ? asIndices(target) : withArray(target, { integerTensor: false });
  return { options: { reduction: 'none' }, input, target: t, ...(unverified ? { unverified } : {}) };
};

const gluonEntry = entryOf({
  id: 'mxnet.gluon.loss.SoftmaxCrossEntropyLoss',
  paths: ['mxnet.gluon.loss.SoftmaxCrossEntropyLoss', 'mxnet.gluon.loss.SoftmaxCELoss'],
  library: 'mxnet',
  form: 'module',
  callKind: 'CrossEntropyLoss',
  input: { position: 0, keyword: 'pred' },
  target: { position: 1, keyword: 'label' },
  options: ['axis', 'sparse_label', 'from_logits', 'weight', 'batch_axis'],
  defaultReduction: 'none',
  classAxis: 'axis=-1 of 2-D pred: dim 1, as torch',
  note: "gluon's SoftmaxCrossEntropyLoss is torch's cross-entropy per row (reduction='none'): log_softmax over the last axis, −log p[label] (or −Σ label·log p with sparse_label=False), in float32",
  read: gluonSoftmaxCE,
  // A `sample_weight` (third argument) multiplies each row's loss: not modelled, so no number.
  callIssue: (call) =>
    call.args.length > 2 || call.keywords.some((k) => k.name === 'sample_weight')
      ? "gluon's sample_weight is not modelled here"
      : undefined,
});

export const mxnetEntries: LibraryEntry[] = [
  entryOf({
    id: 'mxnet.nd.softmax_cross_entropy',
    library: 'mxnet',
    form: 'function',
    callKind: 'cross_entropy',
    input: { position: 0, keyword: 'data' },
    target: { position: 1, keyword: 'label' },
    options: [],
    defaultReduction: 'sum',
    classAxis: 'axis 1 of 2-D data, as torch',
    note: "mxnet's softmax_cross_entropy operator is torch's cross-entropy summed over the batch (reduction='sum'), one number of shape (1,), in float32",
    read: ndSoftmaxCrossEntropy,
  }),
  gluonEntry,
];
