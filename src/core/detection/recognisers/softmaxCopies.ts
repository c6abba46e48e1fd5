/**
 * Softmax cross-entropies of other libraries whose numbers are torch's (docs/detection.md 3.27, 4.16),
 * each read with its own options and mapped to a torch call, as paddle.ts does for PaddlePaddle:
 * - Chainer `chainer.functions.softmax_cross_entropy(x, t, normalize=True, cache_score=True,
 *   class_weight=None, ignore_label=-1, reduce='mean')`: classes on axis 1, x float. reduce='mean'
 *   with normalize=True is the mean over the labels that are not ignore_label (torch's mean with
 *   ignore_index=ignore_label); normalize=False divides the sum by the batch size, torch's mean only
 *   when no label is ignored; reduce='no' is torch's 'none' (0 where ignored). class_weight scales
 *   log-softmax per class and the mean still divides by the count (not by the weights' sum as torch
 *   does): modelled only with reduce='no' (torch's 'none' with weight).
 * - DeZero `dezero.functions.softmax_cross_entropy(x, t)` (and clones with its layout, paths.ts):
 *   logsumexp(x) − x[t] averaged over the N rows, numpy's dtype (integers become float64).
 * - MindSpore `nn.SoftmaxCrossEntropyWithLogits(sparse=False, reduction='none')`: labels one-hot
 *   (probabilities) unless sparse=True (class indices); per row by default. `nn.CrossEntropyLoss(weight,
 *   ignore_index=-100, reduction='mean', label_smoothing=0.0)` and `ops.cross_entropy(input, target,
 *   weight, ignore_index, reduction, label_smoothing)` are torch's.
 * - MegEngine `functional.nn.cross_entropy(pred, label, axis=1, with_logits=True, label_smooth=0,
 *   reduction='mean')`: torch's, its label_smooth torch's label_smoothing; with_logits=False (pred holds
 *   probabilities) and another axis are not modelled.
 * Anything else these libraries accept (soft targets in Chainer, labels torch would read as ignored)
 * leaves the pair without a number, with the reason.
 */
import type { LibraryName } from '../../libraries/types';
import type { ArgumentSlot, CallNode, Evaluation } from '../evaluation';
import type { LossCallKind } from '../types';
import { withArray, type ArrayValue, type OptionValues, type Value } from '../values';
import { asBool, asName, asNumber, givenNode, notAPair, operandOf, optionAt } from './common';
import type { LibraryEntry, Match } from './entry';
import { readOperands, unmodelledReason } from './requests';
import { pairValue } from '../pairValue';

/** What a library call means in torch's terms, decided once the operands are known. */
export interface Reading {
  options: OptionValues;
  input: ArrayValue;
  target: ArrayValue;
  unverified?: string;
}

export interface Spec {
  id: string;
  library: LibraryName;
  form: 'module' | 'function';
  callKind: LossCallKind;
  input: ArgumentSlot;
  target: ArgumentSlot;
  /** Option names in their positional order (after the operands for a function). */
  options: string[];
  defaultReduction: 'mean' | 'sum' | 'none';
  classAxis: string;
  note: string;
  read(raw: Record<string, Value | null>, input: ArrayValue, target: ArrayValue): Reading;
  /** The call returns a tuple whose first item is the loss (MindSpore's primitive: `(loss, dlogits)`). */
  tupleFirst?: string;
  /** Canonical paths (default: the id). */
  paths?: string[];
  /** Why the call itself (beyond its operands and options) leaves the pair without a number. */
  callIssue?(call: CallNode): string | undefined;
}

/** Integer values (an integer tensor, or an untyped array of integer literals). */
export function integral(a: ArrayValue): boolean {
  return a.integerTensor || (a.dtype === null && a.site.integral && !a.derived);
}

function labelsOf(a: ArrayValue): Float64Array | null {
  return a.transform === null && a.data ? a.data : null;
}

/**
 * Float labels that are all whole numbers (`Tensor([1., 1., 1.])`): MegEngine's own API example
 * passes such labels and prints the loss of those classes (3.165).
 */
function wholeLabels(target: ArrayValue): boolean {
  const d = labelsOf(target);
  return d !== null && d.length > 0 && d.every((v) => Number.isInteger(v));
}

/** A label torch would read otherwise (negative: torch ignores -100 and refuses the rest). */
function negativeLabel(target: ArrayValue): boolean {
  const d = labelsOf(target);
  return d !== null && d.some((v) => v < 0);
}

function reductionOf(raw: Record<string, Value | null>, fallback: string): string | null {
  const r = asName(raw.reduction, (p) => p);
  if (r === undefined) return fallback;
  return r === 'mean' || r === 'sum' || r === 'none' ? r : null;
}

function weightOf(raw: Record<string, Value | null>, key: string): ArrayValue | null | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  const w = operandOf(v);
  return w && w.why === null ? w.array : null;
}

const chainer = (raw: Record<string, Value | null>, input: ArrayValue, target: ArrayValue): Reading => {
  const reduce = asName(raw.reduce, (p) => p) ?? 'mean';
  const normalize = asBool(raw.normalize) ?? true;
  const ignore = asNumber(raw.ignore_label) ?? -1;
  const weight = weightOf(raw, 'class_weight');
  const options: OptionValues = { reduction: reduce === 'no' ? 'none' : 'mean', ignoreIndex: ignore };
  let unverified: string | undefined;
  if (reduce !== 'mean' && reduce !== 'no')
    unverified = `chainer's reduce=${JSON.stringify(reduce)} is not 'mean' or 'no'`;
  else if (asNumber(raw.ignore_label) === null) unverified = 'the `ignore_label` of this call is not known here';
  else if (integral(input)) unverified = 'chainer takes float scores x (these are integers)';
  else if (!integral(target)) unverified = 'float targets (chainer reads them as soft labels) are not modelled here';
  else if (weight === null) unverified = 'the `class_weight` of this call is not computed here';
  else if (weight && reduce !== 'no')
    unverified =
      "chainer's class_weight mean divides by the count of labels, not by the weights' sum as torch does: not modelled";
  const labels = labelsOf(target);
  const ignored = labels ? labels.filter((v) => v === ignore).length : 0;
  if (!unverified && reduce === 'mean' && labels && ignored === labels.length)
    unverified = 'every label is ignore_label (chainer gives 0, torch nan)';
  if (!unverified && reduce === 'mean' && normalize === false && ignored > 0)
    unverified = 'normalize=False divides by the batch size, counting ignored labels: no torch reduction gives that';
  if (weight) options.weight = weight;
  return { options, input, target, ...(unverified ? { unverified } : {}) };
};

const dezero = (_raw: Record<string, Value | null>, input: ArrayValue, target: ArrayValue): Reading => {
  let x = input;
  // numpy computes integer scores in float64 (logsumexp and the division promote them).
  if (integral(x)) x = withArray(x, { integerTensor: false, dtype: 'float64', dtypeSource: 'explicit', name: x.name });
  let t = target;
  if (t.shape.length === 2 && t.shape[1] === 1) t = withArray(t, { shape: [t.shape[0]] });
  let unverified: string | undefined;
  if (x.shape.length !== 2)
    unverified = `DeZero's softmax_cross_entropy takes 2-D scores (these are ${x.shape.length}-D)`;
  else if (!integral(t)) unverified = 'DeZero indexes with the labels: float labels are not modelled';
  else if (negativeLabel(t)) unverified = 'a negative label indexes from the end in numpy: not modelled';
  return { options: { reduction: 'mean' }, input: x, target: t, ...(unverified ? { unverified } : {}) };
};

const mindsporeWithLogits = (raw: Record<string, Value | null>, input: ArrayValue, target: ArrayValue): Reading => {
  const sparse = asBool(raw.sparse) ?? false;
  const reduction = reductionOf(raw, 'none');
  let unverified: string | undefined;
  if (asBool(raw.sparse) === null) unverified = 'the `sparse` option of this call is not known here';
  else if (reduction === null) unverified = 'the `reduction` of this call is not known here';
  else if (input.shape.length !== 2) unverified = `only 2-D logits are modelled (these are ${input.shape.length}-D)`;
  else if (sparse && !integral(target)) unverified = 'sparse=True takes integer class indices';
  else if (sparse && negativeLabel(target)) unverified = 'a negative label: MindSpore has no ignore_index';
  else if (!sparse && integral(target)) unverified = "sparse=False takes float one-hot labels of the logits' dtype";
  return { options: { reduction: reduction ?? 'none' }, input, target, ...(unverified ? { unverified } : {}) };
};

const torchLike =
  (weightKey: string) =>
  (raw: Record<string, Value | null>, input: ArrayValue, target: ArrayValue): Reading => {
    const reduction = reductionOf(raw, 'mean');
    const weight = weightOf(raw, weightKey);
    const ignore = asNumber(raw.ignore_index);
    const smoothing = asNumber(raw.label_smoothing ?? raw.label_smooth);
    const options: OptionValues = { reduction: reduction ?? 'mean' };
    let unverified: string | undefined;
    if (reduction === null) unverified = 'the `reduction` of this call is not known here';
    else if (weight === null) unverified = 'the class weight of this call is not computed here';
    else if (ignore === null || smoothing === null) unverified = 'an option of this call is not known here';
    if (weight) options.weight = weight;
    if (ignore !== undefined && ignore !== null) options.ignoreIndex = ignore;
    if (smoothing !== undefined && smoothing !== null) options.labelSmoothing = smoothing;
    return { options, input, target, ...(unverified ? { unverified } : {}) };
  };

const mindsporeTorch = torchLike('weight');

const megengine = (raw: Record<string, Value | null>, input: ArrayValue, target: ArrayValue): Reading => {
  const r = torchLike('none')(raw, input, target);
  const axis = asNumber(raw.axis);
  const logits = asBool(raw.with_logits);
  if (r.unverified) return r;
  let unverified: string | undefined;
  if (raw.label_smoothing !== undefined)
    unverified = "MegEngine's keyword is `label_smooth` (it refuses `label_smoothing`)";
  else if (logits === false)
    unverified = 'with_logits=False reads pred as probabilities (torch: nll_loss of their log): not modelled here';
  else if (logits === null || axis === null) unverified = 'an option of this call is not known here';
  else if (input.shape.length !== 2)
    unverified = `only 2-D predictions are modelled (these are ${input.shape.length}-D)`;
  else if (axis !== undefined && axis !== 1 && axis !== -1)
    unverified = `axis=${axis} is not the class axis torch reads`;
  else if (!integral(target) && !wholeLabels(target)) unverified = 'MegEngine takes integer labels';
  else if (negativeLabel(target)) unverified = 'a negative label: MegEngine has no ignore_index';
  // Whole float labels index the classes as the integers they hold.
  const labels = integral(target) ? r.target : withArray(r.target, { integerTensor: true, dtype: null });
  return { ...r, target: labels, ...(unverified ? { unverified } : {}) };
};

function readRaw(ev: Evaluation, call: CallNode, names: string[], shift: number): Record<string, Value | null> {
  const raw: Record<string, Value | null> = {};
  names.forEach((name, i) => {
    const v = optionAt(ev, call, { position: i + shift, keyword: name });
    if (v !== undefined) raw[name] = v;
  });
  return raw;
}

export function entryOf(spec: Spec): LibraryEntry {
  const functional = spec.form === 'function';
  const apply = (ev: Evaluation, call: CallNode, moduleOptions: OptionValues, match: Match): Value => {
    const inputNode = givenNode(call, spec.input);
    const targetNode = givenNode(call, spec.target);
    const ops = readOperands(ev, inputNode, targetNode);
    if (!ops.ok) return notAPair(ev, match, ops.missing);
    const raw = functional
      ? readRaw(ev, call, spec.options, 2)
      : ((moduleOptions.extra ?? {}) as Record<string, Value | null>);
    const r = spec.read(raw, ops.input.array, ops.target.array);
    if (r.options.weight) ev.ctx.usedSites.add(r.options.weight.site.id);
    const unverified = unmodelledReason(ev, ops) ?? r.unverified ?? spec.callIssue?.(call);
    const loss = pairValue(ev, self, call, r.options, r.input, r.target, inputNode, unverified ?? undefined);
    if (spec.tupleFirst === undefined) return loss;
    return { kind: 'sequence', items: [loss, { kind: 'unknown', lossy: false, why: spec.tupleFirst }] };
  };
  const self: LibraryEntry = {
    id: spec.id,
    paths: spec.paths ?? [spec.id],
    form: spec.form,
    callKind: spec.callKind,
    input: spec.input,
    target: spec.target,
    options: {},
    batchOfOne: false,
    mapping: {
      library: spec.library,
      reads: 'logits',
      defaultReduction: spec.defaultReduction,
      classAxis: spec.classAxis,
      note: spec.note,
    },
    hooks: {
      apply,
      ...(functional
        ? {}
        : { moduleOptions: (ev: Evaluation, call: CallNode) => ({ extra: readRaw(ev, call, spec.options, 0) }) }),
    },
  };
  return self;
}

const xt = { input: { position: 0, keyword: 'x' }, target: { position: 1, keyword: 't' } };

/** MindSpore's `nn.SoftmaxCrossEntropyWithLogits` and the primitive of that name: called as (logits, labels), per row. */
const mindsporeWithLogitsCall: Pick<
  Spec,
  'library' | 'form' | 'callKind' | 'input' | 'target' | 'defaultReduction' | 'classAxis'
> = {
  library: 'mindspore',
  form: 'module',
  callKind: 'CrossEntropyLoss',
  input: { position: 0, keyword: 'logits' },
  target: { position: 1, keyword: 'labels' },
  defaultReduction: 'none',
  classAxis: 'the last axis of 2-D logits: dim 1, as torch',
};

/** MindSpore's `nn.CrossEntropyLoss` and `ops.cross_entropy`: torch's loss, option for option. */
const mindsporeAsTorch: Pick<Spec, 'library' | 'options' | 'defaultReduction' | 'classAxis' | 'note' | 'read'> = {
  library: 'mindspore',
  options: ['weight', 'ignore_index', 'reduction', 'label_smoothing'],
  defaultReduction: 'mean',
  classAxis: 'dim 1, as torch',
  note: "MindSpore computes it as torch does: weight, ignore_index, reduction and label_smoothing are torch's",
  read: mindsporeTorch,
};

export const softmaxCopyEntries: LibraryEntry[] = [
  entryOf({
    id: 'chainer.functions.softmax_cross_entropy',
    library: 'chainer',
    form: 'function',
    callKind: 'cross_entropy',
    ...xt,
    options: ['normalize', 'cache_score', 'class_weight', 'ignore_label', 'reduce'],
    defaultReduction: 'mean',
    classAxis: 'axis 1, as torch',
    note: "Chainer computes torch's cross-entropy: log_softmax over axis 1, −log p[t], the mean over the labels that are not ignore_label (−1; torch: ignore_index=-1); reduce='no' per element",
    read: chainer,
  }),
  entryOf({
    id: 'dezero.functions.softmax_cross_entropy',
    library: 'dezero',
    form: 'function',
    callKind: 'cross_entropy',
    ...xt,
    options: [],
    defaultReduction: 'mean',
    classAxis: 'axis 1 of 2-D scores, as torch',
    note: "DeZero computes torch's cross-entropy: logsumexp(x) − x[t] over the rows, averaged over N, in numpy's dtype",
    read: dezero,
  }),
  entryOf({
    id: 'mindspore.nn.SoftmaxCrossEntropyWithLogits',
    ...mindsporeWithLogitsCall,
    options: ['sparse', 'reduction'],
    note: "MindSpore computes torch's cross-entropy per row (reduction='none' by default): one-hot labels as probability targets, class indices with sparse=True",
    read: mindsporeWithLogits,
  }),
  entryOf({
    // The primitive: no options, one-hot (float) labels of the logits' shape, and it returns the
    // tuple (loss, dlogits), the loss one value per row.
    id: 'mindspore.ops.SoftmaxCrossEntropyWithLogits',
    ...mindsporeWithLogitsCall,
    options: [],
    note: "MindSpore's primitive returns (loss, dlogits): the loss is −Σ y·log_softmax(x) per row (torch's cross-entropy with probability targets, reduction='none'); labels are one-hot floats of the logits' shape",
    paths: ['mindspore.ops.SoftmaxCrossEntropyWithLogits', 'mindspore.ops.operations.SoftmaxCrossEntropyWithLogits'],
    read: (_raw, input, target) => mindsporeWithLogits({}, input, target),
    tupleFirst: 'the gradient (dlogits) the primitive also returns is not computed here',
  }),
  entryOf({
    id: 'mindspore.nn.CrossEntropyLoss',
    form: 'module',
    callKind: 'CrossEntropyLoss',
    input: { position: 0, keyword: 'logits' },
    target: { position: 1, keyword: 'labels' },
    ...mindsporeAsTorch,
  }),
  entryOf({
    id: 'mindspore.ops.cross_entropy',
    form: 'function',
    callKind: 'cross_entropy',
    input: { position: 0, keyword: 'input' },
    target: { position: 1, keyword: 'target' },
    ...mindsporeAsTorch,
  }),
  entryOf({
    id: 'megengine.functional.nn.cross_entropy',
    library: 'megengine',
    form: 'function',
    callKind: 'cross_entropy',
    input: { position: 0, keyword: 'pred' },
    target: { position: 1, keyword: 'label' },
    options: ['axis', 'with_logits', 'label_smooth', 'reduction', 'label_smoothing'],
    defaultReduction: 'mean',
    classAxis: 'axis=1, as torch',
    note: "MegEngine computes torch's cross-entropy on logits (with_logits=True) and class labels, its label_smooth torch's label_smoothing, the mean by default",
    read: megengine,
  }),
];
