/**
 * MindSpore's primitive `ops.SparseSoftmaxCrossEntropyWithLogits(is_grad=False)`, called as
 * (logits, labels) with integer labels of shape (N,). Its page writes the loss as a sum over the
 * batch, but the operator returns the mean (the page's own example prints 3.4878292 for two rows
 * whose losses sum to 6.9757): torch's cross-entropy with reduction='mean' (docs/detection.md 3.111,
 * 4.31). With is_grad=True it returns the gradient of that mean with respect to the logits, not a loss.
 */
import type { Value } from '../values';
import { asBool } from './common';
import type { LibraryEntry } from './entry';
import { entryOf, integral, type Reading } from './softmaxCopies';
import type { ArrayValue } from '../values';

function read(raw: Record<string, Value | null>, input: ArrayValue, target: ArrayValue): Reading {
  const grad = asBool(raw.is_grad);
  let unverified: string | undefined;
  if (grad === null) unverified = 'the `is_grad` option of this call is not known here';
  else if (grad) unverified = 'is_grad=True returns the gradient with respect to the logits, not the loss';
  else if (input.shape.length !== 2) unverified = `only 2-D logits are modelled (these are ${input.shape.length}-D)`;
  else if (!integral(target)) unverified = 'the primitive takes integer class indices';
  else if (target.data?.some((v) => v < 0)) unverified = 'a negative label: MindSpore has no ignore_index';
  return { options: { reduction: 'mean' }, input, target, ...(unverified ? { unverified } : {}) };
}

export const mindsporeSparseEntries: LibraryEntry[] = [
  entryOf({
    id: 'mindspore.ops.SparseSoftmaxCrossEntropyWithLogits',
    paths: [
      'mindspore.ops.SparseSoftmaxCrossEntropyWithLogits',
      'mindspore.ops.operations.SparseSoftmaxCrossEntropyWithLogits',
    ],
    library: 'mindspore',
    form: 'module',
    callKind: 'CrossEntropyLoss',
    input: { position: 0, keyword: 'logits' },
    target: { position: 1, keyword: 'labels' },
    options: ['is_grad'],
    defaultReduction: 'mean',
    classAxis: 'the last axis of 2-D logits: dim 1, as torch',
    note: "MindSpore's sparse primitive returns torch's cross-entropy of class indices averaged over the batch (reduction='mean'), although its page writes a sum; is_grad=True returns the gradient instead",
    read,
  }),
];
