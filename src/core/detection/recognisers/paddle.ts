/**
 * PaddlePaddle's softmax cross-entropy and NLL (docs/detection.md 3.22), which copy torch's:
 * - `paddle.nn.CrossEntropyLoss(weight=None, ignore_index=-100, reduction='mean', soft_label=False,
 *   axis=-1, use_softmax=True, label_smoothing=0.0)` and `paddle.nn.functional.cross_entropy(input,
 *   label, weight, ignore_index, reduction, soft_label, axis, use_softmax, label_smoothing)`: the
 *   classes on the LAST axis (torch: dim 1), class indices of shape (N) or (N, 1); with hard labels
 *   the loss, the per-class weights (weighted mean) and ignore_index are torch's;
 * - `paddle.nn.NLLLoss(weight=None, ignore_index=-100, reduction='mean')` and
 *   `paddle.nn.functional.nll_loss(input, label, weight, ignore_index, reduction)`: torch's.
 * The number is torch's kernel on 2-D inputs; `soft_label=True` is torch's probability targets (3.77,
 * a weight only when every row weighs the same); another axis, use_softmax=False and label smoothing
 * are not modelled (the pair has no number), and neither is a 3-D or larger input, whose classes
 * paddle and torch read on different axes.
 */
import type { CallNode, Evaluation } from '../evaluation';
import type { LossCallKind } from '../types';
import { withArray, type ArrayValue, type OptionValues, type Value } from '../values';
import { asName, givenNode, notAPair, operandOf, optionAt } from './common';
import type { LibraryEntry, Match } from './entry';
import { readOperands, unmodelledReason } from './requests';
import { pairValue } from '../pairValue';

type Kind = 'cross_entropy' | 'nll';

/** Option positions after the operands (a module takes them from 0, a function from 2). */
const optionNames: Record<Kind, string[]> = {
  cross_entropy: ['weight', 'ignore_index', 'reduction', 'soft_label', 'axis', 'use_softmax', 'label_smoothing'],
  nll: ['weight', 'ignore_index', 'reduction'],
};

/** Options whose meaning differs from torch's cross-entropy when given other than their default. */
const neutral: Record<string, (v: Value) => boolean> = {
  soft_label: (v) => v.kind === 'number' && v.value === 0,
  axis: (v) => v.kind === 'number' && (v.value === -1 || v.value === 1),
  use_softmax: (v) => v.kind === 'number' && v.value === 1,
  label_smoothing: (v) => v.kind === 'number' && v.value === 0,
};

function readOptions(ev: Evaluation, call: CallNode, kind: Kind, shift: number): OptionValues {
  const options: OptionValues = { extra: {} };
  optionNames[kind].forEach((name, i) => {
    const v = optionAt(ev, call, { position: i + shift, keyword: name });
    if (v === undefined || v === null) return;
    if (name === 'weight') {
      const w = operandOf(v);
      if (w && w.why === null) {
        options.weight = w.array;
        ev.ctx.usedSites.add(w.array.site.id);
      } else options.extra!.weight = v;
    } else if (name === 'ignore_index' && v.kind === 'number') options.ignoreIndex = v.value;
    else if (name === 'reduction') {
      const r = asName(v, (p) => p);
      if (r === 'mean' || r === 'sum' || r === 'none') options.reduction = r;
      else options.extra!.reduction = v;
    } else if (!(neutral[name]?.(v) ?? false)) options.extra![name] = v;
  });
  return options;
}

function apply(kind: Kind, functional: boolean, entry: () => LibraryEntry) {
  return (ev: Evaluation, call: CallNode, moduleOptions: OptionValues, match: Match): Value => {
    const inputNode = givenNode(call, { position: 0, keyword: 'input' });
    const labelNode = givenNode(call, { position: 1, keyword: 'label' });
    const ops = readOperands(ev, inputNode, labelNode);
    if (!ops.ok) return notAPair(ev, match, ops.missing);
    const options = functional ? readOptions(ev, call, kind, 2) : moduleOptions;
    let unverified = unmodelledReason(ev, ops) ?? undefined;
    const input = ops.input.array;
    let target = ops.target.array;
    let opts = options;
    if (kind === 'cross_entropy' && isTrue(options.extra?.soft_label)) {
      const soft = softLabels(input, target, options);
      const { soft_label: _given, ...rest } = options.extra ?? {};
      opts = { ...options, extra: rest, weight: soft.dropWeight ? undefined : options.weight };
      if (soft.why) unverified ??= soft.why;
    }
    const extra = Object.keys(opts.extra ?? {});
    if (extra.length) unverified ??= `the \`${extra[0]}\` option of ${entry().id} is not modelled here`;
    if (input.shape.length !== 2)
      unverified ??= `paddle reads the classes on the last axis and torch on dim 1: only 2-D inputs are modelled (this one is ${input.shape.length}-D)`;
    // Class indices of shape (N, 1), which paddle accepts: the indices of shape (N).
    if (target.shape.length === 2 && target.shape[1] === 1 && input.shape.length === 2)
      target = withArray(target, { shape: [target.shape[0]] });
    return pairValue(ev, entry(), call, { ...opts, extra: undefined }, input, target, inputNode, unverified);
  };
}

const isTrue = (v: Value | null | undefined): boolean => v?.kind === 'number' && v.value !== 0;

/**
 * `soft_label=True` (3.75): the label rows are probabilities over the last axis, torch's probability
 * targets. Without a weight the loss is torch's. With one, paddle scales row i's loss by
 * s_i = Σ_c w_c·label_ic and divides the mean by Σ s_i, where torch weighs each class inside the
 * sum: when every s_i is the same the weighted mean is the plain one (the weight drops out); any
 * other case has no number.
 */
function softLabels(
  input: ArrayValue,
  target: ArrayValue,
  options: OptionValues,
): { dropWeight: boolean; why?: string } {
  const same = input.shape.length === target.shape.length && input.shape.every((n, i) => n === target.shape[i]);
  if (!same || target.integerTensor)
    return { dropWeight: false, why: "with soft_label=True paddle needs float labels of the input's shape" };
  const w = options.weight?.data;
  if (!options.weight) return { dropWeight: false };
  const t = target.data;
  const C = input.shape[input.shape.length - 1];
  if (!w || !t || w.length !== C || (options.reduction ?? 'mean') !== 'mean')
    return {
      dropWeight: false,
      why: "paddle's weighting of soft labels (each row scaled by Σ weight·label) is modelled for reduction='mean' only",
    };
  const rows = t.length / C;
  const s = Array.from({ length: rows }, (_, i) => w.reduce((acc, wc, c) => acc + wc * t[i * C + c], 0));
  if (s.some((x) => Math.abs(x - s[0]) > 1e-9 * Math.max(1, Math.abs(s[0]))))
    return {
      dropWeight: false,
      why: 'paddle scales each soft-label row by Σ weight·label and torch weighs classes inside the sum: rows of different weight have no number here',
    };
  return { dropWeight: true };
}

function entryOf(id: string, kind: Kind, functional: boolean, callKind: LossCallKind): LibraryEntry {
  const self: LibraryEntry = {
    id,
    paths: [id],
    form: functional ? 'function' : 'module',
    callKind,
    input: { position: 0, keyword: 'input' },
    target: { position: 1, keyword: 'label' },
    options: {},
    batchOfOne: false,
    mapping: {
      library: 'paddle',
      reads: kind === 'nll' ? 'log_probs' : 'logits',
      defaultReduction: 'mean',
      classAxis: kind === 'nll' ? 'dim 1, as torch' : 'the last axis (axis=-1): dim 1 of a 2-D input, as torch',
      note:
        kind === 'nll'
          ? 'PaddlePaddle computes it as torch does: −input[label], the weighted mean by default'
          : 'PaddlePaddle computes it as torch does on 2-D logits with class indices (of shape N or N×1): log_softmax, −log p[label], the weighted mean by default; with soft_label=True, torch’s probability targets (a weight only when every row’s Σ weight·label is the same: paddle scales whole rows by it, torch weighs classes)',
    },
    hooks: {
      apply: apply(kind, functional, () => self),
      ...(functional ? {} : { moduleOptions: (ev: Evaluation, call: CallNode) => readOptions(ev, call, kind, 0) }),
    },
  };
  return self;
}

export const paddleEntries: LibraryEntry[] = [
  entryOf('paddle.nn.CrossEntropyLoss', 'cross_entropy', false, 'CrossEntropyLoss'),
  entryOf('paddle.nn.functional.cross_entropy', 'cross_entropy', true, 'cross_entropy'),
  entryOf('paddle.nn.NLLLoss', 'nll', false, 'NLLLoss'),
  entryOf('paddle.nn.functional.nll_loss', 'nll', true, 'nll_loss'),
];
