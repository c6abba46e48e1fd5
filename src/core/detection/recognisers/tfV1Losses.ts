/**
 * TensorFlow 1's weighted losses, `tf.losses.*` in TF 1.x and `tf.compat.v1.losses.*` since
 * (tensorflow/python/ops/losses/losses_impl.py, docs/detection.md 3.21):
 * - `softmax_cross_entropy(onehot_labels, logits, weights=1.0, label_smoothing=0, scope,
 *   loss_collection, reduction)`: labels first, one-hot or probabilities of the logits' shape;
 *   smoothing y·(1 − s) + s/C; one loss per example (tf.nn.softmax_cross_entropy_with_logits_v2);
 * - `sparse_softmax_cross_entropy(labels, logits, weights=1.0, scope, loss_collection, reduction)`:
 *   class indices, of shape (N) or (N, 1) (a trailing 1 is squeezed, and then one of the weights);
 * - `sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0, label_smoothing=0, …)`: one loss
 *   per element, max(x, 0) − x·z + log1p(e^−|x|); smoothing z·(1 − s) + s/2;
 * - `log_loss(labels, predictions, weights=1.0, epsilon=1e-7, …)`: −y·log(p + ε) − (1 − y)·log(1 −
 *   p + ε) per element, with no clipping.
 * Then compute_weighted_loss: the losses times the weights (a number, or a tensor of the losses'
 * rank whose dimensions are 1 or the losses'), reduced by `reduction`, SUM_BY_NONZERO_WEIGHTS by
 * default (the weighted sum over the number of non-zero weights; 0 when there is none, div_no_nan);
 * MEAN divides by the sum of the weights, SUM_OVER_BATCH_SIZE by the number of losses, SUM adds,
 * NONE keeps them. The arithmetic is in the logits' dtype (float32 for Python numbers).
 *
 * The same function names live in tfjs-core (camelCase, tfjs.ts) with the same rule; TF 2 has no
 * `tf.losses.softmax_cross_entropy` (its `tf.losses` is Keras's), so these spellings are TF 1's
 * (paths.ts keeps them apart from Keras's).
 */
import type { LibraryReduction } from '../../libraries/types';
import type { DType } from '../../types';
import type { CallNode, Evaluation } from '../evaluation';
import type { Node } from '../expr';
import type { ArrayValue, OptionValues, Value } from '../values';
import { asName, asNumber, givenNode, libraryPair, nd, notAPair, optionAt, valuesOf } from './common';
import type { LibraryEntry, Match } from './entry';
import { sigmoidPair } from './sigmoidPairs';
import { baseRequest, floatDtype, prepareOperands, readOperands, torchEquivalent, unmodelledReason } from './requests';

type Kind = 'softmax' | 'sparse' | 'sigmoid' | 'log_loss';

/** Argument names, in order, of each function (the first two are the labels and the predictions). */
const signatures: Record<Kind, string[]> = {
  softmax: ['onehot_labels', 'logits', 'weights', 'label_smoothing', 'scope', 'loss_collection', 'reduction'],
  sparse: ['labels', 'logits', 'weights', 'scope', 'loss_collection', 'reduction'],
  sigmoid: ['multi_class_labels', 'logits', 'weights', 'label_smoothing', 'scope', 'loss_collection', 'reduction'],
  log_loss: ['labels', 'predictions', 'weights', 'epsilon', 'scope', 'loss_collection', 'reduction'],
};

/** tf.compat.v1.losses.Reduction, by constant name and by its string value. */
const v1Reductions: Record<string, LibraryReduction> = {
  NONE: 'none',
  SUM: 'sum',
  MEAN: 'tfjs_mean',
  SUM_OVER_BATCH_SIZE: 'mean',
  SUM_BY_NONZERO_WEIGHTS: 'sum_by_nonzero_weights',
  SUM_OVER_NONZERO_WEIGHTS: 'sum_by_nonzero_weights',
  none: 'none',
  weighted_sum: 'sum',
  weighted_mean: 'tfjs_mean',
  weighted_sum_over_batch_size: 'mean',
  weighted_sum_by_nonzero_weights: 'sum_by_nonzero_weights',
};

const reductionWords: Record<LibraryReduction, string> = {
  none: 'no reduction (Reduction.NONE)',
  sum: 'the weighted losses summed (Reduction.SUM)',
  mean: 'the weighted sum divided by the number of losses (Reduction.SUM_OVER_BATCH_SIZE)',
  tfjs_mean: 'the weighted sum divided by the sum of the weights (Reduction.MEAN)',
  weighted_mean: 'the weighted sum divided by the sum of the weights (Reduction.MEAN)',
  sum_by_nonzero_weights:
    'the weighted sum divided by the number of non-zero weights (the default SUM_BY_NONZERO_WEIGHTS: the mean without weights)',
};

const ruleWords: Record<Kind, string> = {
  softmax: 'labels come first; −Σ labels·log_softmax(logits) per example, as torch',
  sparse: 'labels come first; −log_softmax(logits)[label] per example, as torch (a trailing 1 of the labels squeezed)',
  sigmoid: 'labels come first; max(x, 0) − x·z + log1p(e^−|x|) per element (torch’s BCEWithLogitsLoss in value)',
  log_loss: '−y·log(p + ε) − (1 − y)·log(1 − p + ε) per element, p not clipped',
};

/** The reduction a `reduction=` value names; undefined when it is not one of TF 1's. */
function readReduction(v: Value | null | undefined): LibraryReduction | undefined | 'default' {
  if (v === undefined || v === null) return 'default';
  if (v.kind === 'string') return v1Reductions[v.value];
  const name = asName(v, (p) => p);
  if (!name) return undefined;
  return v1Reductions[name.slice(name.lastIndexOf('.') + 1)];
}

/**
 * The weights as TF 1 broadcasts them: a number, or an array of the losses' rank whose dimensions
 * are 1 or the losses'. Returns the array (null for a number or none) or why it is not modelled.
 */
function checkWeights(weights: ArrayValue | null, lossShape: number[]): string | null {
  if (!weights) return null;
  const w = weights.shape;
  if (w.length === 0) return null;
  if (w.length !== lossShape.length || w.some((d, i) => d !== 1 && d !== lossShape[i]))
    return `weights of shape [${w.join(', ')}] against losses of shape [${lossShape.join(', ')}]: TensorFlow 1's broadcast_weights accepts a number or the losses' rank`;
  return null;
}

function allZero(a: ArrayValue | null, scalar: number | null, dtype: DType): boolean {
  if (scalar !== null) return scalar === 0;
  const d = a ? valuesOf(a, dtype) : null;
  return d !== null && d.length > 0 && d.every((x) => x === 0);
}

/** The call's arguments: operands, weights (an array or a number), options, or no pair. */
interface V1Call {
  labelsNode: Node | undefined;
  predsNode: Node | undefined;
  weightsNode: Node | undefined;
  ops: Extract<ReturnType<typeof readOperands>, { ok: true }>;
  scalarWeight: number | null;
  option: (name: string) => Value | null | undefined;
}

function readCall(ev: Evaluation, call: CallNode, match: Match, kind: Kind): V1Call | Value {
  const names = signatures[kind];
  const slot = (name: string) => ({ position: names.indexOf(name), keyword: name });
  const labelsNode = givenNode(call, slot(names[0]));
  const predsNode = givenNode(call, slot(names[1]));
  const weightsNode = givenNode(call, slot('weights'));
  const weightsValue = weightsNode ? ev.evaluate(weightsNode) : undefined;
  const scalarWeight = weightsValue?.kind === 'number' ? weightsValue.value : null;
  const ops = readOperands(ev, predsNode, labelsNode, scalarWeight === null ? weightsNode : undefined);
  if (!ops.ok) return notAPair(ev, match, ops.missing);
  return { labelsNode, predsNode, weightsNode, ops, scalarWeight, option: (n) => optionAt(ev, call, slot(n)) };
}

/** The options every function shares, and the first reason there is no number. */
function commonOptions(read: V1Call, ev: Evaluation, dtype: DType) {
  const red = readReduction(read.option('reduction'));
  let unverified = unmodelledReason(ev, read.ops);
  if (read.ops.weights?.why) unverified ??= `the weights are not computed here (${read.ops.weights.why})`;
  if (red === undefined) unverified ??= 'the reduction is not one tf.compat.v1.losses.Reduction has';
  let reduction: LibraryReduction = red === undefined || red === 'default' ? 'sum_by_nonzero_weights' : red;
  const weights = read.ops.weights?.array ?? null;
  // No non-zero weight: TensorFlow's divisions are div_no_nan, so the loss is the weighted sum, 0.
  if (
    (reduction === 'sum_by_nonzero_weights' || reduction === 'tfjs_mean') &&
    allZero(weights, read.scalarWeight, dtype)
  )
    reduction = 'sum';
  return { reduction, unverified, weights };
}

function note(kind: Kind, reduction: LibraryReduction, smoothing: number, zeroWeights: boolean): string {
  const smooth =
    smoothing > 0
      ? kind === 'sigmoid'
        ? `; labels smoothed to z·(1 − ${smoothing}) + ${smoothing}/2`
        : `; labels smoothed to y·(1 − ${smoothing}) + ${smoothing}/C`
      : '';
  const reduced = zeroWeights
    ? 'every weight is 0, and TensorFlow’s division by their count or sum gives 0 (div_no_nan)'
    : reductionWords[reduction];
  return `${ruleWords[kind]}${smooth}; ${reduced}`;
}

/** The softmax forms (dense and sparse): the per-example losses, weighted and reduced. */
function applySoftmax(kind: 'softmax' | 'sparse', entry: () => LibraryEntry) {
  return (ev: Evaluation, call: CallNode, _options: OptionValues, match: Match): Value => {
    const read = readCall(ev, call, match, kind);
    if (!('ops' in read)) return read;
    const dtype = floatDtype(read.ops.input.array);
    const { reduction, weights, ...rest } = commonOptions(read, ev, dtype);
    let unverified = rest.unverified;
    const smoothing = kind === 'softmax' ? asNumber(read.option('label_smoothing')) : 0;
    if (smoothing === null) unverified ??= 'the value of label_smoothing is not known here';
    const input = read.ops.input.array;
    let target = read.ops.target.array;
    let weightArray = weights;
    // sparse: labels of the logits' rank lose their trailing 1, and then weights one rank more too.
    if (kind === 'sparse' && target.shape.length === input.shape.length && target.shape.at(-1) === 1) {
      target = { ...target, shape: target.shape.slice(0, -1) };
      if (weightArray && weightArray.shape.length === target.shape.length + 1 && weightArray.shape.at(-1) === 1)
        weightArray = { ...weightArray, shape: weightArray.shape.slice(0, -1) };
    }
    if ((smoothing ?? 0) > 0 && input.shape.length !== 2)
      unverified ??= 'label smoothing divides by the size of the last dimension, modelled for 2-D logits only';
    unverified ??= checkWeights(weightArray, input.shape.slice(0, -1));
    const zero = reduction === 'sum' && rest.unverified === null && allZero(weights, read.scalarWeight, dtype);
    const base = {
      entry: entry(),
      call,
      input,
      target,
      inputNode: read.predsNode,
      reduction: reduction === 'none' ? ('none' as const) : reduction === 'sum' ? ('sum' as const) : ('mean' as const),
      labelSmoothing: smoothing ?? 0,
      dtype,
      dtypeExplicit: true,
      note: note(kind, reduction, smoothing ?? 0, zero),
    };
    if (unverified !== null) return libraryPair(ev, { ...base, request: null, unverified });
    const prepared = prepareOperands(
      input,
      target,
      kind === 'softmax' ? 'probabilities' : 'indices',
      -1,
      dtype,
      'exact',
    );
    if (typeof prepared === 'string') return libraryPair(ev, { ...base, request: null, unverified: prepared });
    const request = baseRequest('tensorflow', 'softmax', prepared, dtype);
    request.labelSmoothing = smoothing ?? 0;
    request.reduction = reduction;
    if (read.scalarWeight !== null) request.weights = nd(Float64Array.of(read.scalarWeight), []);
    else if (weightArray) {
      const w = valuesOf(weightArray, dtype);
      if (!w) return libraryPair(ev, { ...base, request: null, unverified: 'the weights cannot be read' });
      request.weights = nd(w, weightArray.shape);
    }
    const torchLike = request.weights
      ? request
      : { ...request, reduction: reduction === 'none' || reduction === 'sum' ? reduction : 'mean' };
    return libraryPair(ev, { ...base, request, torch: torchEquivalent(torchLike as typeof request) });
  };
}

/** The element-wise forms: sigmoid_cross_entropy on logits, log_loss on probabilities. */
function applyElementwise(kind: 'sigmoid' | 'log_loss', entry: () => LibraryEntry) {
  return (ev: Evaluation, call: CallNode, _options: OptionValues, match: Match): Value => {
    const read = readCall(ev, call, match, kind);
    if (!('ops' in read)) return read;
    const dtype = floatDtype(read.ops.input.array);
    const { reduction, weights, unverified: first } = commonOptions(read, ev, dtype);
    let unverified = first;
    const smoothing = kind === 'sigmoid' ? asNumber(read.option('label_smoothing')) : 0;
    if (smoothing === null) unverified ??= 'the value of label_smoothing is not known here';
    unverified ??= checkWeights(weights, read.ops.input.array.shape);
    if (kind === 'log_loss') {
      const eps = read.option('epsilon');
      if (eps !== undefined && asNumber(eps) !== 1e-7) unverified ??= 'an epsilon other than 1e-7 is not modelled';
      // Modelled as Keras's tf.keras 2 rule, which clips to [ε, 1 − ε] first: the same number
      // only when no prediction lies outside that range.
      const p = valuesOf(read.ops.input.array, dtype);
      if (p && p.some((x) => !(x >= 1e-7 && x <= 1 - 1e-7)))
        unverified ??=
          'a prediction lies outside [1e-7, 1 − 1e-7], where log_loss (which does not clip) is not modelled';
    }
    const zero = reduction === 'sum' && first === null && allZero(weights, read.scalarWeight, dtype);
    return sigmoidPair(ev, {
      entry: entry(),
      call,
      ops: read.ops,
      inputNode: read.predsNode,
      library: 'tensorflow',
      rule: kind === 'sigmoid' ? 'sigmoid_logits' : 'keras_bce',
      fromLogits: kind === 'sigmoid',
      labelSmoothing: smoothing ?? 0,
      reduction,
      perSample: 'element',
      dtype,
      weights: { operand: read.ops.weights, scalar: read.scalarWeight },
      weightRule: 'broadcast',
      ...(kind === 'log_loss' ? { kerasEra: 'tf_keras2' as const } : {}),
      unverified,
      note: note(kind, reduction, smoothing ?? 0, zero),
    });
  };
}

function entryOf(kind: Kind, name: string): LibraryEntry {
  const elementwise = kind === 'sigmoid' || kind === 'log_loss';
  const self: LibraryEntry = {
    id: `tf.v1.losses.${name}`,
    paths: [`tf.v1.losses.${name}`],
    form: 'function',
    callKind: 'library',
    input: { position: 1, keyword: signatures[kind][1] },
    target: { position: 0, keyword: signatures[kind][0] },
    options: {},
    batchOfOne: false,
    mapping: {
      library: 'tensorflow',
      reads: kind === 'log_loss' ? 'log_probs' : 'logits',
      defaultReduction: 'mean',
      classAxis: elementwise ? 'none: one loss per element (a binary cross-entropy)' : 'the last axis',
      note: `TensorFlow 1 (tf.compat.v1.losses): ${ruleWords[kind]}; weighted, then divided by the number of non-zero weights by default (the mean without weights)`,
    },
    hooks: {
      apply: elementwise ? applyElementwise(kind, () => self) : applySoftmax(kind, () => self),
    },
  };
  return self;
}

export const tfV1LossEntries: LibraryEntry[] = [
  entryOf('softmax', 'softmax_cross_entropy'),
  entryOf('sparse', 'sparse_softmax_cross_entropy'),
  entryOf('sigmoid', 'sigmoid_cross_entropy'),
  entryOf('log_loss', 'log_loss'),
];
