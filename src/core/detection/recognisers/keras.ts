/**
 * Keras and tf.keras: the loss objects `CategoricalCrossentropy` / `SparseCategoricalCrossentropy`
 * (built, then called with `y_true, y_pred, sample_weight`) and the functions
 * `categorical_crossentropy` / `sparse_categorical_crossentropy` of `keras.losses`, `keras.metrics`,
 * `keras.backend` (`K.`) and `keras.ops`, under every import path (libraryPath folds them).
 *
 * What Keras computes (keras/src/backend/tensorflow/nn.py, keras/src/losses/losses.py; the same in
 * tf.keras 2's backend.py):
 * - categorical, from probabilities: y_pred / Σ y_pred, clipped to [1e-7, 1 − 1e-7], −Σ y·log p;
 * - sparse, from probabilities (TensorFlow, Keras's default backend): clipped to [1e-7, 1 − 1e-7],
 *   then its log is taken as logits: −log(p_t) + log Σ p (the row sum is divided out after clipping);
 * - from_logits=True: tf.nn.softmax_cross_entropy_with_logits (log_softmax, as torch);
 * - label_smoothing: y·(1 − s) + s/C;
 * - the functions return one loss per example; the loss objects multiply by `sample_weight` and
 *   reduce with `sum_over_batch_size` (the sum over the number of examples) unless told otherwise;
 * - the loss objects convert their inputs to float32 (Keras 3's floatx); the functions keep the
 *   dtype of `y_pred` (Python lists become float32, numpy float arrays stay float64).
 */
import type { LibraryReduction } from '../../libraries/types';
import type { Reduction } from '../../types';
import { argumentNode, type ArgumentSlot, type CallNode, type Evaluation } from '../evaluation';
import type { OptionValues, Value } from '../values';
import {
  asBool,
  asName,
  asNumber,
  givenNode,
  libraryPair,
  nd,
  notAPair,
  operandOf,
  optionAt,
  type Operand,
} from './common';
import type { LibraryEntry, Match } from './entry';
import { libraryPath } from './paths';
import { kindOf } from '../tensorMath';
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

/** Keras's reduction names (strings and Reduction constants) and what they do. */
export const kerasReductions: Record<string, LibraryReduction> = {
  sum_over_batch_size: 'mean',
  auto: 'mean',
  mean: 'mean',
  sum: 'sum',
  none: 'none',
  None: 'none',
  mean_with_sample_weight: 'weighted_mean',
  'keras.losses.Reduction.SUM_OVER_BATCH_SIZE': 'mean',
  'keras.losses.Reduction.AUTO': 'mean',
  'keras.losses.Reduction.SUM': 'sum',
  'keras.losses.Reduction.NONE': 'none',
};

export const torchWords: Record<LibraryReduction, Reduction> = {
  none: 'none',
  sum: 'sum',
  mean: 'mean',
  weighted_mean: 'mean',
  tfjs_mean: 'mean',
  sum_by_nonzero_weights: 'mean',
};

const probabilitiesNote: Record<Kind, string> = {
  categorical:
    'Keras divides y_pred by its row sum and clips it to [1e-7, 1 − 1e-7], then −Σ y·log p (not a log_softmax)',
  sparse:
    'Keras (TensorFlow backend) clips y_pred to [1e-7, 1 − 1e-7] and divides out its row sum: −log(p_t / Σ p) (not a log_softmax)',
};

function note(
  kind: Kind,
  fromLogits: boolean,
  reduction: LibraryReduction,
  weighted: boolean,
  object: boolean,
): string {
  const rule = fromLogits ? 'from_logits=True: −Σ y·log_softmax(x), as torch' : probabilitiesNote[kind];
  const reduced =
    reduction === 'none'
      ? object
        ? '; reduction none: one loss per example'
        : '; one loss per example (no reduction)'
      : reduction === 'sum'
        ? '; summed over the examples'
        : weighted && reduction === 'mean'
          ? '; sample_weight multiplies each loss, then the sum is divided by the number of examples'
          : reduction === 'weighted_mean'
            ? '; divided by the sum of the sample weights'
            : '; averaged over the examples (sum_over_batch_size)';
  return rule + reduced + (object ? '; the loss object computes in float32' : '');
}

/** Constructor options of the loss objects, kept until the object is called. */
function moduleOptions(kind: Kind) {
  return (ev: Evaluation, call: CallNode): OptionValues => {
    const at = (position: number, keyword: string): Value | null | undefined =>
      optionAt(ev, call, { position, keyword });
    const extra: Record<string, Value | null> = {};
    const put = (name: string, v: Value | null | undefined): void => {
      if (v !== undefined) extra[name] = v;
    };
    put('from_logits', at(0, 'from_logits'));
    if (kind === 'categorical') {
      put('label_smoothing', at(1, 'label_smoothing'));
      put('axis', at(2, 'axis'));
      put('reduction', at(3, 'reduction'));
    } else {
      // Position 1 is `ignore_class` since Keras 2.10 and `reduction` before: keywords only.
      if (call.args.length > 1) extra.ambiguous = { kind: 'string', value: 'a second positional argument' };
      put('ignore_class', at(-1, 'ignore_class'));
      put('reduction', at(-1, 'reduction'));
    }
    put('dtype', at(-1, 'dtype'));
    return { extra };
  };
}

/** Constructor options of the metric classes: `name` and `dtype` first, then the loss's options. */
function metricOptions(kind: Kind) {
  return (ev: Evaluation, call: CallNode): OptionValues => {
    // A metric is the weighted mean of every example added: Σ w·l / Σ w.
    const extra: Record<string, Value | null> = { reduction: { kind: 'string', value: 'mean_with_sample_weight' } };
    const slots = kind === 'categorical' ? ['from_logits', 'label_smoothing', 'axis'] : ['from_logits', 'axis'];
    slots.forEach((keyword, k) => {
      const v = optionAt(ev, call, { position: k + 2, keyword });
      if (v !== undefined) extra[keyword] = v;
    });
    const dtype = optionAt(ev, call, { position: 1, keyword: 'dtype' });
    if (dtype !== undefined) extra.dtype = dtype;
    if (kind === 'sparse' && call.keywords.some((k) => k.name === 'ignore_class'))
      extra.ignore_class = { kind: 'string', value: 'ignore_class' };
    return { extra };
  };
}

/** Reads a function form's options from its own arguments. */
function functionOptions(ev: Evaluation, call: CallNode, kind: Kind, backend: boolean): Record<string, Value | null> {
  const extra: Record<string, Value | null> = {};
  const put = (name: string, slot: ArgumentSlot): void => {
    const v = optionAt(ev, call, slot);
    if (v !== undefined) extra[name] = v;
  };
  put('from_logits', { position: 2, keyword: 'from_logits' });
  if (backend) put('axis', { position: 3, keyword: 'axis' });
  else if (kind === 'categorical') {
    put('label_smoothing', { position: 3, keyword: 'label_smoothing' });
    put('axis', { position: 4, keyword: 'axis' });
  } else {
    // The 4th position is `axis` in tf.keras 2 and `ignore_class` in Keras 3.
    const fourth = optionAt(ev, call, { position: 3 });
    if (fourth !== undefined && fourth !== null && !(fourth.kind === 'number' && fourth.value === -1))
      extra.ambiguous = { kind: 'string', value: 'a fourth positional argument' };
    put('ignore_class', { position: -1, keyword: 'ignore_class' });
    put('axis', { position: -1, keyword: 'axis' });
  }
  return extra;
}

/** The sample weights of a loss object's call: an array, a number, or none. */
export function sampleWeights(
  ev: Evaluation,
  call: CallNode,
): { operand: Operand | null; scalar: number | null } | string {
  const node = givenNode(call, { position: 2, keyword: 'sample_weight' });
  if (!node) return { operand: null, scalar: null };
  const v = ev.evaluate(node);
  if (v.kind === 'number') return { operand: null, scalar: v.value };
  const op = operandOf(v);
  if (!op) return 'the sample_weight is not an array written in this source';
  return { operand: op, scalar: null };
}

/** Is the call Keras 2's `keras.backend.…` function (not Keras 3's `keras.ops.…`, which each backend converts its own way)? */
function kerasTwoBackend(ev: Evaluation, call: CallNode): boolean {
  const fn = ev.evaluate(call.callee);
  return fn.kind === 'namespace' && libraryPath(fn.path).startsWith('keras.backend.');
}

const integerBackendTarget =
  'the target is integers: tf.keras 2 raises when it multiplies them with the float output, Keras 2.2 cast them first, so the number depends on the version';

function apply(kind: Kind, form: 'module' | 'function', backend: boolean, entry: () => LibraryEntry) {
  return (ev: Evaluation, call: CallNode, options: OptionValues, match: Match): Value => {
    const object = form === 'module';
    const extra = object ? (options.extra ?? {}) : functionOptions(ev, call, kind, backend);
    const trueNode = argumentNode(call, { position: 0, keyword: backend ? 'target' : 'y_true' });
    const predNode = argumentNode(call, { position: 1, keyword: backend ? 'output' : 'y_pred' });
    const ops = readOperands(ev, predNode, trueNode);
    if (!ops.ok) return notAPair(ev, match, ops.missing);
    const weights = object ? sampleWeights(ev, call) : { operand: null, scalar: null };
    const fromLogits = asBool(extra.from_logits);
    const smoothing = asNumber(extra.label_smoothing);
    const axis = asNumber(extra.axis);
    const reductionName = object ? asName(extra.reduction, libraryPath) : 'none';
    const reduction =
      reductionName === undefined ? 'mean' : reductionName === null ? undefined : kerasReductions[reductionName];
    const dtypeName = asName(extra.dtype, libraryPath);
    let unverified = unmodelledReason(ev, ops);
    if (typeof weights === 'string') unverified ??= weights;
    else if (weights.operand?.why) unverified ??= `the sample_weight is not computed here (${weights.operand.why})`;
    if (fromLogits === null) unverified ??= 'the value of from_logits is not known here';
    if (smoothing === null) unverified ??= 'the value of label_smoothing is not known here';
    // Outside [0, 1] Keras versions part ways: some refuse it (ValueError), others mix the labels
    // with it all the same; torch's kernel would refuse it too. No number is the right answer.
    else if (smoothing !== undefined && (smoothing < 0 || smoothing > 1))
      unverified ??= `label_smoothing ${smoothing} is outside [0, 1]: some Keras versions refuse it and others use it as written`;
    if (axis === null) unverified ??= 'the value of axis is not known here';
    if (reduction === undefined) unverified ??= `the reduction ${reductionName ?? ''} is not one Keras documents`;
    if (extra.ignore_class !== undefined && extra.ignore_class !== null)
      unverified ??= 'ignore_class (a masked mean) is not modelled';
    if (extra.accumulated) unverified ??= 'the metric has earlier updates: its result mixes batches (not modelled)';
    if (extra.ambiguous)
      unverified ??= `${(extra.ambiguous as { value: string }).value} means different options in Keras 2 and 3`;
    // The backend's categorical form multiplies the target with the log of the float output as it is:
    // tf.keras 2 raises for an integer target, Keras 2.2 cast it first (3.223), so no version is sure.
    if (backend && kind === 'categorical' && kindOf(ops.target.array) === 'int' && kerasTwoBackend(ev, call))
      unverified ??= integerBackendTarget;
    if (dtypeName !== undefined && dtypeName !== 'None' && !/float(32|64)$/.test(dtypeName ?? ''))
      unverified ??= `the loss dtype ${dtypeName ?? '(unknown)'} is not modelled`;
    const dtype = object
      ? dtypeName && /float64$/.test(dtypeName)
        ? 'float64'
        : 'float32'
      : floatDtype(ops.input.array);
    const red: LibraryReduction = reduction ?? 'mean';
    const weighted = typeof weights !== 'string' && (weights.operand !== null || weights.scalar !== null);
    const logits = fromLogits === true;
    const e = entry();
    const base = {
      entry: e,
      call,
      input: ops.input.array,
      target: ops.target.array,
      inputNode: predNode,
      reduction: torchWords[red],
      labelSmoothing: smoothing ?? 0,
      dtype,
      dtypeExplicit: object || explicitDtype(ops.input.array),
      // A loss object without `dtype=`: float32 is Keras 3's floatx; tf.keras 2 keeps float64 inputs.
      dtypeAssumed: object && (dtypeName === undefined || dtypeName === 'None'),
      note: note(kind, logits, red, weighted, object),
    };
    if (unverified !== null) return libraryPair(ev, { ...base, request: null, unverified });
    const prepared = prepareOperands(
      ops.input.array,
      ops.target.array,
      kind === 'categorical' ? 'probabilities' : 'indices',
      axis ?? -1,
      dtype,
      'truncate',
    );
    if (typeof prepared === 'string') return libraryPair(ev, { ...base, request: null, unverified: prepared });
    squeezeLabelColumn(prepared);
    const rule = logits ? 'softmax' : kind === 'categorical' ? 'keras_probabilities' : 'keras_sparse_tf';
    const request = baseRequest('keras', rule, prepared, dtype);
    request.fromLogits = logits;
    request.labelSmoothing = kind === 'categorical' ? (smoothing ?? 0) : 0;
    request.reduction = red;
    request.weightRule = 'keras';
    if (typeof weights !== 'string') {
      if (weights.operand) {
        const w = weights.operand.array;
        if (!w.data) return libraryPair(ev, { ...base, request: null, unverified: 'the sample_weight cannot be read' });
        request.weights = nd(w.data, w.shape);
      } else if (weights.scalar !== null) request.weights = nd(Float64Array.of(weights.scalar), []);
    }
    return libraryPair(ev, { ...base, request, torch: torchEquivalent(request) });
  };
}

function kerasEntry(
  id: string,
  paths: string[],
  form: 'module' | 'function',
  kind: Kind,
  backend = false,
  metric = false,
): LibraryEntry {
  const self: LibraryEntry = {
    id,
    paths,
    form,
    callKind: 'library',
    input: { position: 1, keyword: backend ? 'output' : 'y_pred' },
    target: { position: 0, keyword: backend ? 'target' : 'y_true' },
    options: {},
    batchOfOne: false,
    mapping: {
      library: 'keras',
      reads: 'logits',
      defaultReduction: form === 'module' ? 'mean' : 'none',
      classAxis: 'the last axis (axis=-1)',
      note: probabilitiesNote[kind],
    },
    hooks: {
      apply: apply(kind, form, backend, () => self),
      ...(form === 'module' ? { moduleOptions: metric ? metricOptions(kind) : moduleOptions(kind) } : {}),
    },
  };
  return self;
}

export const kerasEntries: LibraryEntry[] = [
  kerasEntry('keras.losses.CategoricalCrossentropy', ['keras.losses.CategoricalCrossentropy'], 'module', 'categorical'),
  kerasEntry(
    'keras.metrics.CategoricalCrossentropy',
    ['keras.metrics.CategoricalCrossentropy'],
    'module',
    'categorical',
    false,
    true,
  ),
  kerasEntry(
    'keras.metrics.SparseCategoricalCrossentropy',
    ['keras.metrics.SparseCategoricalCrossentropy'],
    'module',
    'sparse',
    false,
    true,
  ),
  kerasEntry(
    'keras.losses.SparseCategoricalCrossentropy',
    ['keras.losses.SparseCategoricalCrossentropy'],
    'module',
    'sparse',
  ),
  kerasEntry(
    'keras.losses.categorical_crossentropy',
    ['keras.losses.categorical_crossentropy', 'keras.metrics.categorical_crossentropy'],
    'function',
    'categorical',
  ),
  kerasEntry(
    'keras.losses.sparse_categorical_crossentropy',
    ['keras.losses.sparse_categorical_crossentropy', 'keras.metrics.sparse_categorical_crossentropy'],
    'function',
    'sparse',
  ),
  kerasEntry(
    'keras.backend.categorical_crossentropy',
    ['keras.backend.categorical_crossentropy', 'keras.ops.categorical_crossentropy'],
    'function',
    'categorical',
    true,
  ),
  kerasEntry(
    'keras.backend.sparse_categorical_crossentropy',
    ['keras.backend.sparse_categorical_crossentropy', 'keras.ops.sparse_categorical_crossentropy'],
    'function',
    'sparse',
    true,
  ),
];
