/**
 * Keras's binary cross-entropies and TensorFlow's sigmoid cross-entropy (docs/detection.md 4.12):
 * - `keras.losses.BinaryCrossentropy(from_logits=False, label_smoothing=0.0, axis=-1,
 *   reduction=…)` called on (y_true, y_pred, sample_weight): each sample's loss is the mean over
 *   the last axis, then × sample_weight and `sum_over_batch_size` (the losses object's float32);
 * - `keras.metrics.BinaryCrossentropy(name, dtype, from_logits, label_smoothing)`: `update_state`
 *   then `result()`, the weighted mean Σ w·l / Σ w (kerasMetrics.ts follows the object);
 * - `keras.losses.binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0,
 *   axis=-1)`: one loss per sample (the mean over the last axis), in y_pred's dtype;
 * - `keras.backend.binary_crossentropy(target, output, from_logits=False)` and Keras 3's
 *   `keras.ops.binary_crossentropy`: one loss per element;
 * - `tf.nn.sigmoid_cross_entropy_with_logits(labels=, logits=)`: one loss per element,
 *   max(x, 0) − x·z + log1p(e^−|x|).
 * On probabilities Keras clips p to [1e-7, 1 − 1e-7]; tf.keras 2 then adds 1e-7 inside each log,
 * Keras 3 does not (kerasEra below decides which, or the rule computes both).
 */
import type { KerasEra, LibraryReduction } from '../../libraries/types';
import { argumentNode, type CallNode, type Evaluation } from '../evaluation';
import type { OptionValues, Value } from '../values';
import { asBool, asName, asNumber, notAPair, optionAt } from './common';
import type { LibraryEntry, Match } from './entry';
import { kerasReductions, sampleWeights } from './keras';
import { libraryPath } from './paths';
import { floatDtype, readOperands } from './requests';
import { perSampleWords, sigmoidPair, elementwiseLogits } from './sigmoidPairs';

type Form = 'object' | 'metric' | 'function' | 'backend' | 'ops';

/**
 * Which Keras the source runs, from what it writes: Keras 3 has `keras.ops` and no Reduction
 * enum, `losses_utils`, or `reset_states()`; a page of TensorFlow 2.0–2.15 names its version.
 * `either` when nothing says (or both do). Computed once per text.
 */
export function kerasEraOf(ev: Evaluation): KerasEra {
  const text = ev.ctx.text;
  if (eraCache?.text === text) return eraCache.era;
  const three = /\bkeras\.ops\.|\bkeras_core\b|\bKeras 3\b|\bkeras(?:==|>=)3/.test(text) || kerasThreeModules(text);
  const two =
    /\bReduction(?:V2)?\.(?:AUTO|SUM|NONE|SUM_OVER_BATCH_SIZE)\b|\blosses_utils\b|\.reset_states\(|\bTensorFlow 2\.(?:[0-9]|1[0-5])\b|\btf_keras\b/.test(
      text,
    );
  const era: KerasEra = three === two ? 'either' : three ? 'keras3' : 'tf_keras2';
  eraCache = { text, era };
  return era;
}

let eraCache: { text: string; era: KerasEra } | null = null;

/**
 * Modules only Keras 3 has, imported by name: `keras.ops` and the test harness `keras.src.testing`
 * (`from keras.src import testing`, `from keras import ops`; Keras 2.13-2.15's `keras.src` has
 * `testing_infra`, never `testing`, and no `ops`). Keras's own test files all start this way (3.413).
 */
export function kerasThreeModules(text: string): boolean {
  return /\bfrom[ \t]+keras(?:\.src)?[ \t]+import[ \t(][^\n]{0,200}?\b(?:ops|testing)\b(?![.\w])|\bkeras\.src\.(?:ops|testing)\b(?!_)/.test(
    text,
  );
}

/** Constructor options of the loss object. */
function objectOptions(ev: Evaluation, call: CallNode): OptionValues {
  const extra: Record<string, Value | null> = {};
  const put = (name: string, position: number): void => {
    const v = optionAt(ev, call, { position, keyword: name });
    if (v !== undefined) extra[name] = v;
  };
  put('from_logits', 0);
  put('label_smoothing', 1);
  // The third place is `reduction` up to TF 2.3 and `axis` since: keywords only.
  if (call.args.length > 2) extra.ambiguous = { kind: 'string', value: 'a third positional argument' };
  put('axis', -1);
  put('reduction', -1);
  put('dtype', -1);
  return { extra };
}

/** Constructor options of the metric: `name` and `dtype` first. */
function metricOptions(ev: Evaluation, call: CallNode): OptionValues {
  const extra: Record<string, Value | null> = { reduction: { kind: 'string', value: 'mean_with_sample_weight' } };
  (['from_logits', 'label_smoothing'] as const).forEach((keyword, k) => {
    const v = optionAt(ev, call, { position: k + 2, keyword });
    if (v !== undefined) extra[keyword] = v;
  });
  const dtype = optionAt(ev, call, { position: 1, keyword: 'dtype' });
  if (dtype !== undefined) extra.dtype = dtype;
  return { extra };
}

/** A function's options, from its own arguments. */
function functionOptions(ev: Evaluation, call: CallNode, form: Form): Record<string, Value | null> {
  const extra: Record<string, Value | null> = {};
  const put = (name: string, position: number): void => {
    const v = optionAt(ev, call, { position, keyword: name });
    if (v !== undefined) extra[name] = v;
  };
  put('from_logits', 2);
  if (form === 'function') {
    put('label_smoothing', 3);
    put('axis', 4);
  }
  return extra;
}

function kerasNote(
  form: Form,
  fromLogits: boolean,
  era: KerasEra,
  smoothing: number,
  reduction: LibraryReduction,
): string {
  const rule = fromLogits
    ? 'from_logits=True: max(x, 0) − x·y + log1p(e^−|x|) per element (TensorFlow’s sigmoid cross-entropy; torch’s BCEWithLogitsLoss in value)'
    : era === 'keras3'
      ? 'Keras 3 clips p to [1e-7, 1 − 1e-7], then −(y·log p + (1 − y)·log(1 − p)) per element'
      : era === 'tf_keras2'
        ? 'Keras clips p to [1e-7, 1 − 1e-7], then −(y·log(p + 1e-7) + (1 − y)·log(1 − p + 1e-7)) per element (tf.keras 2)'
        : 'Keras clips p to [1e-7, 1 − 1e-7], then −(y·log(p + 1e-7) + (1 − y)·log(1 − p + 1e-7)) per element (tf.keras 2; Keras 3 leaves out the + 1e-7: a claim of either number holds, and when they differ past the fifth digit there is no number)';
  const smooth = smoothing > 0 ? `; labels smoothed to y·(1 − ${smoothing}) + ${smoothing}/2` : '';
  const per = form === 'backend' || form === 'ops' ? perSampleWords('element') : perSampleWords('mean_last_axis');
  const reduced =
    form === 'metric'
      ? '; the metric’s result is the weighted mean Σ w·l / Σ w'
      : form === 'object'
        ? reduction === 'none'
          ? '; reduction none'
          : reduction === 'sum'
            ? '; summed'
            : '; sample_weight multiplies each loss, then the sum is divided by the number of samples (sum_over_batch_size)'
        : '';
  return `${rule}${smooth}; ${per}${reduced}${form === 'object' || form === 'metric' ? '; float32' : ''}`;
}

function applyKeras(form: Form, entry: () => LibraryEntry) {
  return (ev: Evaluation, call: CallNode, options: OptionValues, match: Match): Value => {
    const objectLike = form === 'object' || form === 'metric';
    const extra = objectLike ? (options.extra ?? {}) : functionOptions(ev, call, form);
    const low = form === 'backend' || form === 'ops';
    const trueNode = argumentNode(call, { position: 0, keyword: low ? 'target' : 'y_true' });
    const predNode = argumentNode(call, { position: 1, keyword: low ? 'output' : 'y_pred' });
    const ops = readOperands(ev, predNode, trueNode);
    if (!ops.ok) return notAPair(ev, match, ops.missing);
    const weights = objectLike ? sampleWeights(ev, call) : { operand: null, scalar: null };
    const fromLogits = asBool(extra.from_logits);
    const smoothing = asNumber(extra.label_smoothing);
    const axis = asNumber(extra.axis);
    const reductionName =
      form === 'object' ? asName(extra.reduction, libraryPath) : form === 'metric' ? 'mean_with_sample_weight' : 'none';
    const reduction =
      reductionName === undefined ? 'mean' : reductionName === null ? undefined : kerasReductions[reductionName];
    const dtypeName = asName(extra.dtype, libraryPath);
    let unverified: string | null = null;
    if (typeof weights === 'string') unverified = weights;
    if (fromLogits === null) unverified ??= 'the value of from_logits is not known here';
    if (smoothing === null) unverified ??= 'the value of label_smoothing is not known here';
    if (axis === null || (axis !== undefined && axis !== -1 && axis !== ops.input.array.shape.length - 1))
      unverified ??= 'an axis other than the last is not modelled';
    if (reduction === undefined) unverified ??= `the reduction ${reductionName ?? ''} is not one Keras documents`;
    // 1-D predictions are one sample: how its single loss meets several weights is not modelled.
    const weighted = typeof weights !== 'string' && (weights.operand !== null || weights.scalar !== null);
    if (weighted && !low && ops.input.array.shape.length < 2)
      unverified ??= 'sample weights on 1-D predictions (a single sample) are not modelled';
    if (extra.accumulated) unverified ??= 'the metric has earlier updates: its result mixes batches (not modelled)';
    if (extra.ambiguous)
      unverified ??= `${(extra.ambiguous as { value: string }).value} means different options in different Keras versions`;
    if (dtypeName !== undefined && dtypeName !== 'None' && !/float(32|64)$/.test(dtypeName ?? ''))
      unverified ??= `the loss dtype ${dtypeName ?? '(unknown)'} is not modelled`;
    const dtype = objectLike
      ? dtypeName && /float64$/.test(dtypeName)
        ? 'float64'
        : 'float32'
      : floatDtype(ops.input.array);
    const era: KerasEra = form === 'ops' ? 'keras3' : kerasEraOf(ev);
    const red: LibraryReduction = reduction ?? 'mean';
    return sigmoidPair(ev, {
      entry: entry(),
      call,
      ops,
      inputNode: predNode,
      library: 'keras',
      rule: 'keras_bce',
      fromLogits: fromLogits === true,
      labelSmoothing: smoothing ?? 0,
      reduction: red,
      perSample: low ? 'element' : 'mean_last_axis',
      dtype,
      weights: typeof weights === 'string' ? { operand: null, scalar: null } : weights,
      weightRule: 'keras',
      kerasEra: era,
      unverified,
      note: kerasNote(form, fromLogits === true, era, smoothing ?? 0, red),
    });
  };
}

/** `tf.nn.sigmoid_cross_entropy_with_logits`: keywords only (positional order changed across TensorFlow versions). */
function applyTfNn(entry: () => LibraryEntry) {
  return (ev: Evaluation, call: CallNode, _options: OptionValues, match: Match): Value => {
    const labelsNode =
      argumentNode(call, { position: -1, keyword: 'labels' }) ??
      argumentNode(call, { position: -1, keyword: 'targets' });
    const logitsNode = argumentNode(call, { position: -1, keyword: 'logits' });
    const positional = call.args.length > 0;
    const ops = readOperands(
      ev,
      logitsNode ?? argumentNode(call, { position: 1 }),
      labelsNode ?? argumentNode(call, { position: 0 }),
    );
    if (!ops.ok) return notAPair(ev, match, ops.missing);
    return sigmoidPair(ev, {
      entry: entry(),
      call,
      ops,
      inputNode: logitsNode,
      library: 'tensorflow',
      ...elementwiseLogits,
      dtype: floatDtype(ops.input.array),
      unverified: positional
        ? 'positional arguments: TensorFlow 0.x took (logits, targets), TensorFlow 1 a sentinel first, TensorFlow 2 (labels, logits)'
        : null,
      note: "max(x, 0) − x·z + log1p(e^−|x|) per element (torch’s BCEWithLogitsLoss with reduction='none' in value); never reduced",
    });
  };
}

function entryOf(id: string, paths: string[], form: Form | 'tf.nn'): LibraryEntry {
  const low = form === 'backend' || form === 'ops';
  const self: LibraryEntry = {
    id,
    paths,
    form: form === 'object' || form === 'metric' ? 'module' : 'function',
    callKind: 'library',
    input: form === 'tf.nn' ? { position: -1, keyword: 'logits' } : { position: 1, keyword: low ? 'output' : 'y_pred' },
    target:
      form === 'tf.nn' ? { position: -1, keyword: 'labels' } : { position: 0, keyword: low ? 'target' : 'y_true' },
    options: {},
    batchOfOne: false,
    mapping: {
      library: form === 'tf.nn' ? 'tensorflow' : 'keras',
      reads: form === 'tf.nn' ? 'logits' : 'log_probs',
      defaultReduction: form === 'object' ? 'mean' : 'none',
      classAxis: 'none: one loss per element (a binary cross-entropy; the loss functions average the last axis)',
      note:
        form === 'tf.nn'
          ? 'TensorFlow’s sigmoid cross-entropy per element'
          : 'Keras clips p to [1e-7, 1 − 1e-7] (probabilities unless from_logits=True)',
    },
    hooks:
      form === 'tf.nn'
        ? { apply: applyTfNn(() => self) }
        : {
            apply: applyKeras(form, () => self),
            ...(form === 'object'
              ? { moduleOptions: objectOptions }
              : form === 'metric'
                ? { moduleOptions: metricOptions }
                : {}),
          },
  };
  return self;
}

export const kerasBinaryEntries: LibraryEntry[] = [
  entryOf('keras.losses.BinaryCrossentropy', ['keras.losses.BinaryCrossentropy'], 'object'),
  entryOf('keras.metrics.BinaryCrossentropy', ['keras.metrics.BinaryCrossentropy'], 'metric'),
  entryOf(
    'keras.losses.binary_crossentropy',
    ['keras.losses.binary_crossentropy', 'keras.metrics.binary_crossentropy'],
    'function',
  ),
  entryOf('keras.backend.binary_crossentropy', ['keras.backend.binary_crossentropy'], 'backend'),
  entryOf('keras.ops.binary_crossentropy', ['keras.ops.binary_crossentropy'], 'ops'),
  entryOf(
    'tf.nn.sigmoid_cross_entropy_with_logits',
    ['tf.nn.sigmoid_cross_entropy_with_logits', 'tf.v1.nn.sigmoid_cross_entropy_with_logits'],
    'tf.nn',
  ),
];
