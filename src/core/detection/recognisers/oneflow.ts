/**
 * OneFlow's softmax cross-entropy and NLL (docs/detection.md 3.41), which its documentation gives as
 * torch's ("The documentation is referenced from: pytorch.org/docs/…CrossEntropyLoss"):
 * - `oneflow.nn.CrossEntropyLoss(weight=None, ignore_index=-100, reduction='mean', label_smoothing=0.0)`
 *   and `oneflow.nn.functional.cross_entropy(input, target, weight, ignore_index, reduction,
 *   label_smoothing)`;
 * - `oneflow.nn.NLLLoss(weight=None, ignore_index=-100, reduction='mean')` and
 *   `oneflow.nn.functional.nll_loss(input, target, weight, ignore_index, reduction)`.
 * torch's kernel computes them (the pair names OneFlow as its library). Two differences from torch's
 * signatures: the options follow in that order, by position too (torch has `size_average` and
 * `reduce` between them); and OneFlow's examples give the class indices as int32 (`dtype=flow.int32`),
 * which it reads as indices. `flow.` is `oneflow.` (paths.ts), as are its `experimental` namespaces.
 * This file imports no stage: its entries are plain catalogue entries (catalogue.ts lists them).
 */
import type { LibraryName } from '../../libraries/types';
import type { ArgumentSlot } from '../evaluation';
import type { LossCallKind } from '../types';

/** A OneFlow entry: the shape of the catalogue's LossRecogniser without hooks (torch's kernel computes it). */
export interface OneflowEntry {
  id: string;
  paths: string[];
  form: 'module' | 'function';
  callKind: LossCallKind;
  input: ArgumentSlot;
  target: ArgumentSlot;
  options: { weight: ArgumentSlot; ignoreIndex: ArgumentSlot; reduction: ArgumentSlot; labelSmoothing?: ArgumentSlot };
  batchOfOne: false;
  mapping: {
    library: LibraryName;
    reads: 'logits' | 'log_probs';
    defaultReduction: 'mean';
    classAxis: string;
    note: string;
  };
}

const classAxis = 'dim 1 (dim 0 for a (C) input)';
const note =
  "OneFlow's copy of torch's loss (same definition, computed by torch's rule); int32 class indices are read as indices";

/** Option slots after the operands: from position 0 in a module's constructor, from 2 in a function's call. */
function slots(first: number, smoothing: boolean): OneflowEntry['options'] {
  const options: OneflowEntry['options'] = {
    weight: { position: first, keyword: 'weight' },
    ignoreIndex: { position: first + 1, keyword: 'ignore_index' },
    reduction: { position: first + 2, keyword: 'reduction' },
  };
  if (smoothing) options.labelSmoothing = { position: first + 3, keyword: 'label_smoothing' };
  return options;
}

function entry(
  path: string,
  form: 'module' | 'function',
  callKind: LossCallKind,
  reads: 'logits' | 'log_probs',
): OneflowEntry {
  return {
    id: path,
    paths: [path],
    form,
    callKind,
    input: { position: 0, keyword: 'input' },
    target: { position: 1, keyword: 'target' },
    options: slots(form === 'module' ? 0 : 2, reads === 'logits'),
    batchOfOne: false,
    mapping: { library: 'oneflow', reads, defaultReduction: 'mean', classAxis, note },
  };
}

export const oneflowEntries: OneflowEntry[] = [
  entry('oneflow.nn.CrossEntropyLoss', 'module', 'CrossEntropyLoss', 'logits'),
  entry('oneflow.nn.NLLLoss', 'module', 'NLLLoss', 'log_probs'),
  entry('oneflow.nn.functional.cross_entropy', 'function', 'cross_entropy', 'logits'),
  entry('oneflow.nn.functional.nll_loss', 'function', 'nll_loss', 'log_probs'),
];
