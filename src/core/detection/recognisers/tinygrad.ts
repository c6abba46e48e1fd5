/**
 * tinygrad's loss methods of its `Tensor` (docs/detection.md 3.129, 4.37), said in torch's terms:
 * - `x.sparse_categorical_crossentropy(Y, ignore_index=-1, label_smoothing=0.0, reduction='mean')`:
 *   log_softmax over the last axis, Y's one-hot row times a mask, smoothing as torch's; the mean divides
 *   by the mask's count. With ignore_index other than -1 the mask is `Y != ignore_index`: torch's
 *   cross-entropy with that ignore_index. With the default -1 the mask is all ones, so a label of -1
 *   (or any label outside the classes) adds 0 and still counts: no torch call gives that (no number).
 * - `x.cross_entropy(Y, reduction='mean', label_smoothing=0.0)`: classes on dim 1 (dim 0 of a 1-D x);
 *   Y of x's shape holds probabilities, else class indices made one-hot; smoothing `(1-ls)·Y + ls/C`.
 *   torch's cross-entropy, with no ignore_index (a label outside the classes is a zero row: no number).
 * - `x.nll_loss(Y, weight=None, ignore_index=None, reduction='mean')`: −x gathered at Y on dim 1, times
 *   the class weight and the ignore mask; the mean divides by the weights kept: torch's nll_loss.
 * A Tensor of Python integers is int32, its log_softmax float32 (tinygrad's default float).
 * The binary cross-entropies (`binary_crossentropy`, `binary_crossentropy_logits`) are in tinygradBinary.ts.
 */
import type { CallNode, Evaluation } from '../evaluation';
import type { Node } from '../expr';
import { withArray, type ArrayValue, type OptionValues, type Value } from '../values';
import { asName, asNumber } from './common';
import type { LibraryEntry } from './entry';
import { entryOf, integral, type Reading, type Spec } from './softmaxCopies';
import { tinygradBinaryMethods } from './tinygradBinary';

const reductions = new Set(['mean', 'sum', 'none']);

/** Integer logits become tinygrad's default float (float32) before log_softmax. */
function floated(a: ArrayValue): ArrayValue {
  return integral(a) ? withArray(a, { integerTensor: false, dtype: 'float32', narrowInt: undefined }) : a;
}

/** Labels as torch reads class indices (int64); tinygrad's own are int32, which torch's kernel would refuse. */
function labels(a: ArrayValue): ArrayValue {
  return a.narrowInt ? withArray(a, { narrowInt: undefined }) : a;
}

function outside(target: ArrayValue, classes: number, ignore?: number): boolean {
  return target.data?.some((v) => v !== ignore && (v < 0 || v >= classes || !Number.isInteger(v))) ?? true;
}

function common(raw: Record<string, Value | null>, input: ArrayValue): { reduction: string | null; why?: string } {
  const reduction = asName(raw.reduction, (p) => p) ?? 'mean';
  if (!reductions.has(reduction)) return { reduction: null, why: 'the `reduction` of this call is not known here' };
  if (input.shape.length !== 2)
    return { reduction, why: `only 2-D logits are modelled (these are ${input.shape.length}-D)` };
  return { reduction };
}

const sparse = (raw: Record<string, Value | null>, x: ArrayValue, y: ArrayValue): Reading => {
  const input = floated(x);
  const { reduction, why } = common(raw, input);
  const ignore = raw.ignore_index === undefined ? -1 : asNumber(raw.ignore_index);
  const smoothing = raw.label_smoothing === undefined ? 0 : asNumber(raw.label_smoothing);
  const options: OptionValues = { reduction: (reduction ?? 'mean') as OptionValues['reduction'] };
  if (typeof ignore === 'number' && ignore !== -1) options.ignoreIndex = ignore;
  if (typeof smoothing === 'number') options.labelSmoothing = smoothing;
  let unverified = why;
  if (!unverified && (typeof ignore !== 'number' || typeof smoothing !== 'number'))
    unverified = 'an option of this call is not known here';
  else if (!unverified && !integral(y)) unverified = 'tinygrad takes integer labels here';
  else if (!unverified && outside(y, input.shape[1], ignore === -1 ? undefined : (ignore ?? undefined)))
    unverified =
      ignore === -1
        ? 'a label outside the classes (with the default ignore_index=-1 tinygrad counts it in the mean with loss 0)'
        : 'a label outside the classes adds 0 in tinygrad (torch refuses it)';
  return { options, input, target: labels(y), ...(unverified ? { unverified } : {}) };
};

const crossEntropy = (raw: Record<string, Value | null>, x: ArrayValue, y: ArrayValue): Reading => {
  const input = floated(x);
  const { reduction, why } = common(raw, input);
  const smoothing = raw.label_smoothing === undefined ? 0 : asNumber(raw.label_smoothing);
  const options: OptionValues = { reduction: (reduction ?? 'mean') as OptionValues['reduction'] };
  if (typeof smoothing === 'number') options.labelSmoothing = smoothing;
  const probabilities = y.shape.length === input.shape.length;
  let unverified = why;
  if (!unverified && typeof smoothing !== 'number') unverified = 'the `label_smoothing` of this call is not known here';
  else if (!unverified && !probabilities && !integral(y)) unverified = 'float class indices are not modelled';
  else if (!unverified && !probabilities && outside(y, input.shape[1]))
    unverified = 'a label outside the classes is a zero one-hot row in tinygrad (torch refuses it)';
  const target = probabilities ? withArray(y, { integerTensor: false, dtype: input.dtype ?? 'float32' }) : labels(y);
  return { options, input, target, ...(unverified ? { unverified } : {}) };
};

const nll = (raw: Record<string, Value | null>, x: ArrayValue, y: ArrayValue): Reading => {
  const input = floated(x);
  const { reduction, why } = common(raw, input);
  const ignore = raw.ignore_index === undefined || raw.ignore_index === null ? undefined : asNumber(raw.ignore_index);
  const weight = raw.weight;
  const options: OptionValues = { reduction: (reduction ?? 'mean') as OptionValues['reduction'] };
  if (typeof ignore === 'number') options.ignoreIndex = ignore;
  let unverified = why;
  if (!unverified && ignore === null) unverified = 'the `ignore_index` of this call is not known here';
  else if (!unverified && weight !== undefined && weight !== null) {
    if (weight.kind === 'array' && weight.array.shape.length === 1 && weight.array.data) options.weight = weight.array;
    else unverified = 'the class weight of this call is not computed here';
  }
  if (!unverified && !integral(y)) unverified = 'tinygrad gathers at integer labels';
  else if (!unverified && outside(y, input.shape[1], ignore ?? undefined))
    unverified = 'a label outside the classes: tinygrad gathers where torch refuses';
  return { options, input, target: labels(y), ...(unverified ? { unverified } : {}) };
};

const base: Pick<Spec, 'library' | 'form' | 'input' | 'target' | 'defaultReduction'> = {
  library: 'tinygrad',
  form: 'function',
  input: { position: 0 },
  target: { position: 1, keyword: 'Y' },
  defaultReduction: 'mean',
};

const methods: Record<string, LibraryEntry> = {
  sparse_categorical_crossentropy: entryOf({
    ...base,
    id: 'tinygrad.Tensor.sparse_categorical_crossentropy',
    callKind: 'cross_entropy',
    options: ['ignore_index', 'label_smoothing', 'reduction'],
    classAxis: 'the last axis (dim 1 of 2-D logits, as torch)',
    note: "tinygrad's sparse_categorical_crossentropy is torch's cross-entropy of class indices: ignore_index (when not the default -1) and label_smoothing as torch's, the mean over the labels kept",
    read: sparse,
  }),
  cross_entropy: entryOf({
    ...base,
    id: 'tinygrad.Tensor.cross_entropy',
    callKind: 'cross_entropy',
    options: ['reduction', 'label_smoothing'],
    classAxis: 'dim 1 (dim 0 of 1-D logits), as torch',
    note: "tinygrad's cross_entropy is torch's: class indices become one-hot rows, a target of the logits' shape holds probabilities, label_smoothing mixes in 1/C as torch does; there is no ignore_index",
    read: crossEntropy,
  }),
  nll_loss: entryOf({
    ...base,
    id: 'tinygrad.Tensor.nll_loss',
    callKind: 'nll_loss',
    options: ['weight', 'ignore_index', 'reduction'],
    classAxis: 'dim 1, as torch',
    note: "tinygrad's nll_loss is torch's: the log-probability at each label times its class weight, ignore_index (default None: none) masked, the mean divided by the weights kept",
    read: nll,
  }),
};
methods.nll_loss.mapping.reads = 'log_probs';

for (const [name, entry] of Object.entries(tinygradBinaryMethods)) methods[name] = entry;

export const tinygradEntries: LibraryEntry[] = Object.values(methods);

/**
 * A loss method called on a tinygrad tensor (`t.cross_entropy(Y)`): the entry's pair, with the receiver
 * read as the first operand; undefined for any other method.
 */
export function tinygradMethod(ev: Evaluation, name: string, call: CallNode): Value | undefined {
  const entry = Object.prototype.hasOwnProperty.call(methods, name) ? methods[name] : undefined;
  if (!entry || call.callee.type !== 'attribute') return undefined;
  const receiver: Node = call.callee.object;
  return entry.hooks.apply(ev, { ...call, args: [receiver, ...call.args] }, {}, 'known');
}

/** `Tensor.log_softmax(axis=-1)` / `softmax(axis=-1)`: tinygrad's default axis is the last. */
export function tinygradAxis(ev: Evaluation, call: CallNode): number | null {
  const node = call.keywords.find((k) => k.name === 'axis')?.value ?? call.args[0];
  if (!node) return -1;
  const v = ev.evaluate(node);
  return v.kind === 'number' ? v.value : null;
}
