/**
 * TensorFlow.js's binary cross-entropies (docs/detection.md 4.13), as installed here (4.22):
 * - tfjs-core `tf.losses.sigmoidCrossEntropy(multiClassLabels, logits, weights?, labelSmoothing = 0,
 *   reduction = SUM_BY_NONZERO_WEIGHTS)` (ops/losses/sigmoid_cross_entropy.ts): labels first, of
 *   the logits' shape; smoothing z·(1 − s) + s/2; per element relu(x) − x·z + log1p(e^−|x|); then
 *   the weights and the reduction of compute_weighted_loss.ts (as softmaxCrossEntropy's, tfjs.ts);
 * - tfjs-core `tf.losses.logLoss(labels, predictions, weights?, epsilon = 1e-7,
 *   reduction = SUM_BY_NONZERO_WEIGHTS)` (ops/losses/log_loss.ts): −z·log(p + ε) − (1 − z)·log(1 − p
 *   + ε) per element on the predictions as given (no clipping; labels outside [0, 1] are computed
 *   as written), then the same weights and reduction (docs/detection.md 3.235, 4.66);
 * - tfjs-layers `tf.metrics.binaryCrossentropy(yTrue, yPred)` (losses.ts binaryCrossentropy): the
 *   output clipped to [1e-7, 1 − 1e-7], turned into logits log(p / (1 − p)), the same sigmoid
 *   cross-entropy, then the mean over the last axis (one loss per sample). A prediction outside
 *   [0, 1] is clipped with the backend's epsilon (1e-7 on the CPU and float32 WebGL, 1e-4 on
 *   float16 WebGL), so such a call has no single number (3.236).
 * Everything is float32.
 */
import type { LibraryReduction } from '../../libraries/types';
import type { CallNode, Evaluation } from '../evaluation';
import { unknown, type OptionValues, type Value } from '../values';
import { givenNode, notAPair } from './common';
import type { LibraryEntry, Match } from './entry';
import { readOperands } from './requests';
import { elementwiseLogits, sigmoidPair } from './sigmoidPairs';
import { readCoreCall } from './tfjs';

function coreNote(reduction: LibraryReduction, weighted: boolean, smoothing: number): string {
  const rule = 'labels come first; relu(x) − x·z + log1p(e^−|x|) per element (torch’s BCEWithLogitsLoss in value)';
  const smooth = smoothing > 0 ? `; labels smoothed to z·(1 − ${smoothing}) + ${smoothing}/2` : '';
  const reduced =
    reduction === 'none'
      ? weighted
        ? 'each loss multiplied by its weight (Reduction.NONE)'
        : 'no reduction (Reduction.NONE)'
      : reduction === 'sum'
        ? 'summed (Reduction.SUM)'
        : reduction === 'tfjs_mean'
          ? 'the weighted sum divided by the sum of the weights (Reduction.MEAN)'
          : 'the weighted sum divided by the number of non-zero weights (the default SUM_BY_NONZERO_WEIGHTS: the mean without weights)';
  return `${rule}${smooth}; ${reduced}`;
}

function applyCore(entry: () => LibraryEntry) {
  return (ev: Evaluation, call: CallNode, _options: OptionValues, match: Match): Value => {
    const read = readCoreCall(ev, call, match);
    if (!('ops' in read)) return read;
    const { logitsNode, weightsNode, ops, scalarWeight, smoothing, reduction, unverified } = read;
    const red: LibraryReduction = reduction ?? 'sum_by_nonzero_weights';
    return sigmoidPair(ev, {
      entry: entry(),
      call,
      ops,
      inputNode: logitsNode,
      library: 'tfjs',
      rule: 'sigmoid_logits',
      fromLogits: true,
      labelSmoothing: smoothing ?? 0,
      reduction: red,
      perSample: 'element',
      dtype: 'float32',
      weights: { operand: ops.weights, scalar: scalarWeight },
      weightRule: 'broadcast',
      unverified,
      note: coreNote(red, weightsNode !== undefined, smoothing ?? 0),
    });
  };
}

function logLossNote(reduction: LibraryReduction, weighted: boolean, epsilon: number): string {
  const rule = `labels come first; −y·log(p + ${epsilon}) − (1 − y)·log(1 − p + ${epsilon}) per element, no clipping`;
  return `${rule}; ${coreNote(reduction, weighted, 0).split('; ').slice(1).join('; ')}`;
}

function applyLogLoss(entry: () => LibraryEntry) {
  return (ev: Evaluation, call: CallNode, _options: OptionValues, match: Match): Value => {
    // logLoss(labels, predictions, weights?, epsilon?, reduction?): the fourth argument is the
    // epsilon added inside both logs, where the cross-entropies have labelSmoothing.
    const read = readCoreCall(ev, call, match);
    if (!('ops' in read)) return read;
    const { logitsNode, weightsNode, ops, scalarWeight, reduction } = read;
    const epsilon = read.smoothing === undefined ? 1e-7 : read.smoothing;
    const unverified =
      epsilon === null
        ? 'the value of epsilon is not known here'
        : reduction === undefined
          ? 'the reduction is not one tf.Reduction has'
          : null;
    const red: LibraryReduction = reduction ?? 'sum_by_nonzero_weights';
    return sigmoidPair(ev, {
      entry: entry(),
      call,
      ops,
      inputNode: logitsNode,
      library: 'tfjs',
      rule: 'tfjs_log_loss',
      fromLogits: false,
      labelSmoothing: 0,
      reduction: red,
      perSample: 'element',
      dtype: 'float32',
      epsilon: epsilon ?? 1e-7,
      weights: { operand: ops.weights, scalar: scalarWeight },
      weightRule: 'broadcast',
      unverified,
      note: logLossNote(red, weightsNode !== undefined, epsilon ?? 1e-7),
    });
  };
}

/** Any element of a literal outside [0, 1] (NaN counts as outside). */
const outsideUnit = (data: ArrayLike<number> | null | undefined): boolean =>
  !!data && Array.prototype.some.call(data, (v: number) => !(v >= 0 && v <= 1));

function applyLayers(entry: () => LibraryEntry) {
  return (ev: Evaluation, call: CallNode, _options: OptionValues, match: Match): Value => {
    const targetNode = givenNode(call, { position: 0 });
    const outputNode = givenNode(call, { position: 1 });
    const ops = readOperands(ev, outputNode, targetNode);
    if (!ops.ok) return notAPair(ev, match, ops.missing);
    return sigmoidPair(ev, {
      entry: entry(),
      call,
      ops,
      inputNode: outputNode,
      library: 'tfjs-layers',
      rule: 'tfjs_layers_bce',
      fromLogits: false,
      labelSmoothing: 0,
      reduction: 'none',
      perSample: 'mean_last_axis',
      dtype: 'float32',
      weights: { operand: null, scalar: null },
      weightRule: 'broadcast',
      // Past [0, 1] the clip decides the number, and its epsilon is the backend's (3.236).
      unverified: outsideUnit(ops.input.array.data) ? 'a prediction read as a probability is outside [0, 1]' : null,
      note: 'tfjs-layers clips p to [1e-7, 1 − 1e-7], takes log(p / (1 − p)) as logits, then relu(x) − x·z + log1p(e^−|x|); the mean over the last axis, one loss per sample',
    });
  };
}

/**
 * tfjs-layers' own `losses.sigmoidCrossEntropyWithLogits(labels, logits)` (losses.ts, the step its
 * binaryCrossentropy takes after turning p into logits): relu(x) − x·z + log1p(e^−|x|) per element, no
 * clipping, no reduction, float32 (docs/detection.md 3.325, 4.87).
 */
function applyLayersLogits(entry: () => LibraryEntry) {
  return (ev: Evaluation, call: CallNode, _options: OptionValues, match: Match): Value => {
    // Only (labels, logits): the name is tfjs-layers' only by a guess, so any other call is left alone.
    if (call.args.length !== 2 || call.keywords.length) return unknown;
    const targetNode = givenNode(call, { position: 0 });
    const logitsNode = givenNode(call, { position: 1 });
    const ops = readOperands(ev, logitsNode, targetNode);
    if (!ops.ok) return notAPair(ev, match, ops.missing);
    return sigmoidPair(ev, {
      entry: entry(),
      call,
      ops,
      inputNode: logitsNode,
      library: 'tfjs-layers',
      ...elementwiseLogits,
      dtype: 'float32',
      unverified: null,
      note: 'labels come first; relu(x) − x·z + log1p(e^−|x|) per element (torch’s BCEWithLogitsLoss with reduction none), float32',
    });
  };
}

function entryOf(id: string, paths: string[], core: boolean, logLoss = false): LibraryEntry {
  const self: LibraryEntry = {
    id,
    paths,
    form: 'function',
    callKind: 'library',
    input: { position: 1 },
    target: { position: 0 },
    options: {},
    batchOfOne: false,
    mapping: {
      library: core ? 'tfjs' : 'tfjs-layers',
      reads: core && !logLoss ? 'logits' : 'log_probs',
      defaultReduction: core ? 'mean' : 'none',
      classAxis: 'none: one loss per element (a binary cross-entropy)',
      note: logLoss
        ? 'labels come first; −y·log(p + ε) − (1 − y)·log(1 − p + ε) per element (ε = 1e-7 unless given), weighted and reduced (SUM_BY_NONZERO_WEIGHTS by default)'
        : core
          ? 'labels come first; the sigmoid cross-entropy of each logit, weighted and reduced (SUM_BY_NONZERO_WEIGHTS by default)'
          : 'tfjs-layers clips p to [1e-7, 1 − 1e-7]; the mean over the last axis',
    },
    hooks: { apply: logLoss ? applyLogLoss(() => self) : core ? applyCore(() => self) : applyLayers(() => self) },
  };
  return self;
}

export const tfjsBinaryEntries: LibraryEntry[] = [
  entryOf('tf.losses.sigmoidCrossEntropy', ['tf.losses.sigmoidCrossEntropy'], true),
  entryOf('tf.losses.logLoss', ['tf.losses.logLoss'], true, true),
  entryOf('tfjs-layers.metrics.binaryCrossentropy', ['tf.metrics.binaryCrossentropy'], false),
  layersLogitsEntry(),
];

function layersLogitsEntry(): LibraryEntry {
  const self: LibraryEntry = {
    ...entryOf('tfjs-layers.losses.sigmoidCrossEntropyWithLogits', [], false),
    mapping: {
      library: 'tfjs-layers',
      reads: 'logits',
      defaultReduction: 'none',
      classAxis: 'none: one loss per element (a binary cross-entropy)',
      note: 'labels come first; the sigmoid cross-entropy of each logit, no reduction',
    },
    hooks: { apply: applyLayersLogits(() => self) },
  };
  return self;
}
