/**
 * TensorFlow.js, as installed here (4.22):
 * - tfjs-core `tf.losses.softmaxCrossEntropy(onehotLabels, logits, weights?, labelSmoothing = 0,
 *   reduction = SUM_BY_NONZERO_WEIGHTS)` (ops/losses/softmax_cross_entropy.ts and
 *   compute_weighted_loss.ts): labels first, of the logits' shape; smoothing y·(1 − s) + s/C with C
 *   = shape[1]; the per-example losses are multiplied by the weights (broadcast), then NONE keeps
 *   them, SUM adds them, MEAN divides by the sum of the weights (and again by |losses| / |weights|
 *   when they broadcast), SUM_BY_NONZERO_WEIGHTS divides by the number of non-zero broadcast weights.
 * - tfjs-layers `losses.categoricalCrossentropy(target, output, fromLogits = false)` (losses.ts):
 *   softmax when fromLogits, else division by the row sum; then clipping to [ε, 1 − ε] with the
 *   backend's ε (1e-7 in float32), −Σ target·log p; one loss per example. `sparseCategorical…` clips
 *   the raw output first, one-hot encodes the floored target, then does the same. The metrics
 *   `tf.metrics.categoricalCrossentropy(yTrue, yPred)` are these functions without fromLogits.
 * Everything is float32.
 */
import type { LibraryReduction } from '../../libraries/types';
import type { CallNode, Evaluation } from '../evaluation';
import type { Node } from '../expr';
import type { OptionValues, Value } from '../values';
import {
  asBool,
  asName,
  asNumber,
  givenNode,
  libraryPair,
  nd,
  notAPair,
  optionAt,
  type LibraryPairArgs,
} from './common';
import type { LibraryEntry, Match } from './entry';
import { baseRequest, prepareOperands, readOperands, torchEquivalent, unmodelledReason } from './requests';

/** tf.Reduction, by constant path and by its enum value. */
export const coreReductions: Record<string, LibraryReduction> = {
  'tf.Reduction.NONE': 'none',
  'tf.Reduction.MEAN': 'tfjs_mean',
  'tf.Reduction.SUM': 'sum',
  'tf.Reduction.SUM_BY_NONZERO_WEIGHTS': 'sum_by_nonzero_weights',
  '0': 'none',
  '1': 'tfjs_mean',
  '2': 'sum',
  '3': 'sum_by_nonzero_weights',
};

/** The arguments of a tfjs-core loss call `f(labels, logits, weights?, labelSmoothing?, reduction?)`. */
export interface CoreCall {
  logitsNode: Node | undefined;
  weightsNode: Node | undefined;
  ops: Extract<ReturnType<typeof readOperands>, { ok: true }>;
  /** A number written as the weights (tfjs broadcasts it), else null. */
  scalarWeight: number | null;
  /** null: not known here; undefined: not given (0). */
  smoothing: number | null | undefined;
  /** undefined: not a reduction tf.Reduction has. */
  reduction: LibraryReduction | undefined;
  /** Why the number would not be the call's: the smoothing or the reduction is not known. */
  unverified: string | null;
}

/**
 * Reads a tfjs-core loss call's arguments (softmaxCrossEntropy and sigmoidCrossEntropy share the
 * signature); a call whose operands are not read is no pair, returned as that value.
 */
export function readCoreCall(ev: Evaluation, call: CallNode, match: Match): CoreCall | Value {
  const labelsNode = givenNode(call, { position: 0 });
  const logitsNode = givenNode(call, { position: 1 });
  const weightsNode = givenNode(call, { position: 2 });
  const weightsValue = weightsNode ? ev.evaluate(weightsNode) : undefined;
  const scalarWeight = weightsValue?.kind === 'number' ? weightsValue.value : null;
  const ops = readOperands(ev, logitsNode, labelsNode, scalarWeight === null ? weightsNode : undefined);
  if (!ops.ok) return notAPair(ev, match, ops.missing);
  const smoothing = asNumber(optionAt(ev, call, { position: 3 }));
  const reductionValue = optionAt(ev, call, { position: 4 });
  const reductionName =
    reductionValue?.kind === 'number' ? String(reductionValue.value) : asName(reductionValue, (p) => p);
  const reduction =
    reductionName === undefined || reductionName === 'None'
      ? 'sum_by_nonzero_weights'
      : reductionName === null
        ? undefined
        : coreReductions[reductionName];
  let unverified: string | null = null;
  if (smoothing === null) unverified = 'the value of labelSmoothing is not known here';
  if (reduction === undefined) unverified ??= 'the reduction is not one tf.Reduction has';
  return { logitsNode, weightsNode, ops, scalarWeight, smoothing, reduction, unverified };
}

function applyCore(entry: () => LibraryEntry) {
  return (ev: Evaluation, call: CallNode, _options: OptionValues, match: Match): Value => {
    const read = readCoreCall(ev, call, match);
    if (!('ops' in read)) return read;
    const { logitsNode, weightsNode, ops, scalarWeight, smoothing, reduction } = read;
    let unverified = unmodelledReason(ev, ops);
    unverified ??= read.unverified;
    const rank = ops.input.array.shape.length;
    // A source written for tfjs 0.x (3.9, 3.392): softmaxCrossEntropy returned one loss per example there, so a
    // batch gets no number; the evidence is read over the whole document (a page's other fences).
    const legacy = legacyApi(ev);
    if (legacy !== null && (rank !== 1 || call.args.length > 2))
      unverified ??= `this source uses tfjs 0.x (${legacy}), whose softmaxCrossEntropy returned one loss per example`;
    // Without such evidence, softmaxCrossEntropy(labels, logits, dim) is 0.x's per-example call and
    // (labels, logits, weights) 1.x's: which one the code was written for is not knowable, so no number.
    if (scalarWeight !== null && Number.isInteger(scalarWeight) && call.args.length === 3)
      unverified ??= 'an integer third argument was the class dimension in tfjs 0.x, where the result was per example';
    if ((smoothing ?? 0) > 0 && rank !== 2)
      unverified ??= 'label smoothing divides by the size of dimension 1, which is modelled for 2-D logits only';
    const red: LibraryReduction = reduction ?? 'sum_by_nonzero_weights';
    const base: Omit<LibraryPairArgs, 'request'> = {
      entry: entry(),
      call,
      input: ops.input.array,
      target: ops.target.array,
      inputNode: logitsNode,
      reduction: red === 'none' ? 'none' : red === 'sum' ? 'sum' : 'mean',
      labelSmoothing: smoothing ?? 0,
      dtype: 'float32',
      dtypeExplicit: true,
      note: coreNote(red, weightsNode !== undefined),
    };
    if (unverified !== null) return libraryPair(ev, { ...base, request: null, unverified });
    const prepared = prepareOperands(ops.input.array, ops.target.array, 'probabilities', -1, 'float32', 'exact');
    if (typeof prepared === 'string') return libraryPair(ev, { ...base, request: null, unverified: prepared });
    const request = baseRequest('tfjs', 'softmax', prepared, 'float32');
    request.labelSmoothing = smoothing ?? 0;
    request.reduction = red;
    if (scalarWeight !== null) request.weights = nd(Float64Array.of(scalarWeight), []);
    else if (ops.weights) {
      const w = ops.weights.array;
      if (!w.data) return libraryPair(ev, { ...base, request: null, unverified: 'the weights cannot be read' });
      request.weights = nd(w.data, w.shape);
    }
    // Without weights, SUM_BY_NONZERO_WEIGHTS and MEAN are torch's mean.
    const torchLike = request.weights
      ? request
      : { ...request, reduction: red === 'none' || red === 'sum' ? red : 'mean' };
    return libraryPair(ev, { ...base, request, torch: torchEquivalent(torchLike as typeof request) });
  };
}

/**
 * Evidence that a file was written for tfjs 0.x: a pinned 0.x version, or `.get(…)` called on a
 * name bound to a `tf.` value (Tensor.get was removed in tfjs 1.0; only TensorBuffer kept it).
 * Null when there is none. Computed once per text: a test file holds many calls.
 */
function legacyApi(ev: Evaluation): string | null {
  // A page's other fences (a script tag pinning the version) are evidence too: the whole document.
  const text = ev.ctx.whole;
  if (legacyCache?.text === text) return legacyCache.why;
  let why: string | null = null;
  if (/tfjs(?:-core)?@0\.|tfjs(?:-core)?\/0\.|"@tensorflow\/tfjs(?:-core)?":\s*"[~^]?0\./.test(text))
    why = 'a 0.x version is named';
  else {
    const bound = new Set<string>();
    // A TensorBuffer (`tf.buffer(…)`) still has `.get` in 1.x: it is no evidence.
    for (const m of text.matchAll(/(?<![\w$.])([A-Za-z_$][\w$]*)\s*=\s*tf\.([\w.]+)\(/g))
      if (m[2] !== 'buffer') bound.add(m[1]);
    for (const m of text.matchAll(/(?<![\w$.])([A-Za-z_$][\w$]*)\.get\(/g))
      if (bound.has(m[1])) {
        why = `\`${m[1]}.get(…)\` reads a tensor the way only 0.x allowed`;
        break;
      }
  }
  legacyCache = { text, why };
  return why;
}

let legacyCache: { text: string; why: string | null } | null = null;

function coreNote(reduction: LibraryReduction, weighted: boolean): string {
  const rule = 'labels come first; −Σ labels·log_softmax(logits) over the last axis, as torch';
  if (!weighted)
    return `${rule}; ${reduction === 'none' ? 'one loss per example' : reduction === 'sum' ? 'summed' : 'averaged over the examples'}`;
  switch (reduction) {
    case 'none':
      return `${rule}; each loss multiplied by its weight (torch has no per-example weights)`;
    case 'sum':
      return `${rule}; the weighted losses summed (torch has no per-example weights)`;
    case 'tfjs_mean':
      return `${rule}; the weighted losses divided by the sum of the weights (Reduction.MEAN; torch has no per-example weights)`;
    default:
      return `${rule}; the weighted losses divided by the number of non-zero weights (SUM_BY_NONZERO_WEIGHTS; torch has no per-example weights)`;
  }
}

type LayersKind = 'categorical' | 'sparse';

const layersNote: Record<LayersKind, string> = {
  categorical:
    'tfjs-layers divides the output by its row sum (or takes its softmax when fromLogits), clips it to [1e-7, 1 − 1e-7], then −Σ target·log p per example',
  sparse:
    'tfjs-layers clips the raw output to [1e-7, 1 − 1e-7] first (logits too), one-hot encodes the floored target, then divides by the row sum (or takes the softmax): −log p[target] per example',
};

function applyLayers(kind: LayersKind, metric: boolean, entry: () => LibraryEntry) {
  return (ev: Evaluation, call: CallNode, _options: OptionValues, match: Match): Value => {
    const targetNode = givenNode(call, { position: 0 });
    const outputNode = givenNode(call, { position: 1 });
    const ops = readOperands(ev, outputNode, targetNode);
    if (!ops.ok) return notAPair(ev, match, ops.missing);
    const fromLogits = metric ? false : asBool(optionAt(ev, call, { position: 2 }));
    let unverified = unmodelledReason(ev, ops);
    if (fromLogits === null) unverified ??= 'the value of fromLogits is not known here';
    const logits = fromLogits === true;
    const base: Omit<LibraryPairArgs, 'request'> = {
      entry: entry(),
      call,
      input: ops.input.array,
      target: ops.target.array,
      inputNode: outputNode,
      reduction: 'none',
      labelSmoothing: 0,
      dtype: 'float32',
      dtypeExplicit: true,
      note: layersNote[kind] + (logits ? ' (fromLogits: the softmax is clipped too)' : ''),
    };
    if (unverified !== null) return libraryPair(ev, { ...base, request: null, unverified });
    const prepared = prepareOperands(
      ops.input.array,
      ops.target.array,
      kind === 'categorical' ? 'probabilities' : 'indices',
      -1,
      'float32',
      'floor',
    );
    if (typeof prepared === 'string') return libraryPair(ev, { ...base, request: null, unverified: prepared });
    const request = baseRequest(
      'tfjs-layers',
      kind === 'categorical' ? 'tfjs_layers' : 'tfjs_layers_sparse',
      prepared,
      'float32',
    );
    request.fromLogits = logits;
    return libraryPair(ev, { ...base, request });
  };
}

function entryOf(
  id: string,
  paths: string[],
  library: 'tfjs' | 'tfjs-layers',
  note: string,
  hooks: (self: () => LibraryEntry) => LibraryEntry['hooks'],
  labelsFirst = true,
): LibraryEntry {
  const self: LibraryEntry = {
    id,
    paths,
    form: 'function',
    callKind: library === 'tfjs' ? 'tf_softmax_cross_entropy' : 'library',
    input: { position: labelsFirst ? 1 : 0 },
    target: { position: labelsFirst ? 0 : 1 },
    options: {},
    batchOfOne: false,
    mapping: {
      library,
      reads: 'logits',
      defaultReduction: library === 'tfjs' ? 'mean' : 'none',
      classAxis: 'the last axis',
      note,
    },
    hooks: hooks(() => self),
  };
  return self;
}

export const tfjsEntries: LibraryEntry[] = [
  entryOf(
    'tf.losses.softmaxCrossEntropy',
    ['tf.losses.softmaxCrossEntropy'],
    'tfjs',
    'labels come first; the weights multiply each example’s loss, and the default reduction (SUM_BY_NONZERO_WEIGHTS) divides by the number of non-zero weights: the mean over the batch without weights',
    (self) => ({ apply: applyCore(self) }),
  ),
  entryOf(
    'tfjs-layers.losses.categoricalCrossentropy',
    ['tf.losses.categoricalCrossentropy', 'tf.categoricalCrossentropy'],
    'tfjs-layers',
    layersNote.categorical,
    (self) => ({ apply: applyLayers('categorical', false, self) }),
  ),
  entryOf(
    'tfjs-layers.losses.sparseCategoricalCrossentropy',
    ['tf.losses.sparseCategoricalCrossentropy', 'tf.sparseCategoricalCrossentropy'],
    'tfjs-layers',
    layersNote.sparse,
    (self) => ({ apply: applyLayers('sparse', false, self) }),
  ),
  entryOf(
    'tfjs-layers.metrics.categoricalCrossentropy',
    ['tf.metrics.categoricalCrossentropy'],
    'tfjs-layers',
    layersNote.categorical,
    (self) => ({ apply: applyLayers('categorical', true, self) }),
  ),
  entryOf(
    'tfjs-layers.metrics.sparseCategoricalCrossentropy',
    ['tf.metrics.sparseCategoricalCrossentropy'],
    'tfjs-layers',
    layersNote.sparse,
    (self) => ({ apply: applyLayers('sparse', true, self) }),
  ),
];
