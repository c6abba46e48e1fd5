/**
 * The per-example softmax cross-entropies: TensorFlow's `tf.nn.softmax_cross_entropy_with_logits`
 * and `tf.nn.sparse_softmax_cross_entropy_with_logits` (labels first; OneFlow's copy of the sparse
 * one), and optax's `softmax_cross_entropy` / `softmax_cross_entropy_with_integer_labels` (logits
 * first). Each returns one loss per example and never reduces: the number is torch's
 * cross_entropy with reduction='none' (probability targets for the dense forms, class indices for
 * the sparse ones), along the last axis. JAX computes in float32 unless x64 is enabled; TensorFlow
 * and OneFlow in the logits' dtype. Objax's `cross_entropy_logits` / `_sparse` are the same per-example
 * losses written as logsumexp(x) − Σ y·x, with the labels broadcast against the logits (docs/detection.md
 * 3.38).
 */
import type { LibraryName } from '../../libraries/types';
import { argumentNode, type CallNode, type Evaluation } from '../evaluation';
import type { OptionValues, Value } from '../values';
import { broadcastIndex, broadcastShape } from '../broadcast';
import type { ArrayValue } from '../values';
import { withArray } from '../values';
import { asNumber, givenNode, libraryPair, notAPair, optionAt } from './common';
import type { LibraryEntry, Match } from './entry';
import { objaxSparseOperands } from './objaxScalarLabel';
import {
  baseRequest,
  explicitDtype,
  floatDtype,
  prepareOperands,
  readOperands,
  torchEquivalent,
  unmodelledReason,
} from './requests';

export interface FamilySpec {
  id: string;
  paths: string[];
  library: LibraryName;
  targets: 'probabilities' | 'indices';
  /** Argument order: TensorFlow's labels first, optax's logits first. */
  labelsFirst: boolean;
  /** TF1's keyword-only signature (a `_sentinel` first): positional operands are not modelled. */
  keywordsOnly?: boolean;
  /** optax computes in float32 (JAX without x64). */
  float32?: boolean;
  /** The axis argument's position and keyword, if the function has one. */
  axis?: { position: number; keyword: string };
  /**
   * Objax: the labels broadcast against the logits (numpy's rule), and the loss written as
   * logsumexp(x) − Σ y·x, which is torch's −Σ y·log_softmax(x) only where a row of labels sums to 1.
   */
  objax?: boolean;
  note: string;
}

/** Rows of labels further than this from a sum of 1 make Objax's formula differ from torch's. */
const rowSumTolerance = 1e-6;

/**
 * Objax's dense labels, broadcast to the logits' shape as `logits * labels` does in JAX; a reason
 * instead when they do not broadcast to it or a row does not sum to 1 (the formulas part there).
 */
function objaxLabels(input: ArrayValue, target: ArrayValue): ArrayValue | string {
  let t = target;
  const same = t.shape.length === input.shape.length && t.shape.every((d, i) => d === input.shape[i]);
  if (!same) {
    const out = broadcastShape(t.shape, input.shape);
    if (!out || out.length !== input.shape.length || out.some((d, i) => d !== input.shape[i]))
      return `Objax multiplies the logits by the labels: labels of shape [${t.shape.join(', ')}] do not broadcast to the logits' [${input.shape.join(', ')}]`;
    if (!t.data) return 'the labels are not known here';
    const idx = broadcastIndex(t.shape, out);
    const data = new Float64Array(idx.length);
    for (let k = 0; k < idx.length; k++) data[k] = t.data[idx[k]];
    t = withArray(t, { data, shape: out });
  }
  const c = t.shape[t.shape.length - 1] ?? 0;
  if (t.data && c > 0)
    for (let r = 0; r < t.data.length; r += c) {
      let sum = 0;
      for (let k = 0; k < c; k++) sum += t.data[r + k];
      if (Math.abs(sum - 1) > rowSumTolerance)
        return 'Objax computes logsumexp(x) − Σ y·x, torch Σ y·logsumexp(x) − Σ y·x: they differ where a row of labels does not sum to 1';
    }
  return t;
}

function apply(spec: FamilySpec, entry: () => LibraryEntry) {
  return (ev: Evaluation, call: CallNode, _options: OptionValues, match: Match): Value => {
    const labelsSlot = { position: spec.keywordsOnly ? -1 : spec.labelsFirst ? 0 : 1, keyword: 'labels' };
    const logitsSlot = { position: spec.keywordsOnly ? -1 : spec.labelsFirst ? 1 : 0, keyword: 'logits' };
    const logitsNode = argumentNode(call, logitsSlot);
    const labelsNode = argumentNode(call, labelsSlot);
    if (spec.keywordsOnly && call.args.length > 0 && (!logitsNode || !labelsNode))
      return notAPair(ev, match, undefined);
    const ops =
      spec.objax && spec.targets === 'indices'
        ? objaxSparseOperands(ev, logitsNode, labelsNode)
        : readOperands(ev, logitsNode, labelsNode);
    if (!ops.ok) return notAPair(ev, match, ops.missing);
    const axis = spec.axis ? asNumber(optionAt(ev, call, spec.axis)) : undefined;
    let unverified = unmodelledReason(ev, ops);
    if (spec.library === 'tensorflow' && !spec.keywordsOnly && call.args.length > 0 && tf1Program(ev))
      unverified ??= positionalInTf1;
    if (axis === null) unverified ??= 'the value of axis is not known here';
    if (givenNode(call, { position: -1, keyword: 'where' })) unverified ??= 'the `where` mask is not modelled';
    const dtype = spec.float32 ? 'float32' : floatDtype(ops.input.array);
    const base = {
      entry: entry(),
      call,
      input: ops.input.array,
      target: ops.target.array,
      inputNode: logitsNode,
      reduction: 'none' as const,
      labelSmoothing: 0,
      dtype,
      dtypeExplicit: spec.float32 === true || explicitDtype(ops.input.array),
    };
    if (unverified !== null) return libraryPair(ev, { ...base, request: null, unverified });
    let target = ops.target.array;
    if (spec.objax && spec.targets === 'probabilities') {
      const labels = objaxLabels(ops.input.array, target);
      if (typeof labels === 'string') return libraryPair(ev, { ...base, request: null, unverified: labels });
      target = labels;
    }
    const prepared = prepareOperands(ops.input.array, target, spec.targets, axis ?? -1, dtype, 'exact');
    if (typeof prepared === 'string') return libraryPair(ev, { ...base, request: null, unverified: prepared });
    const request = baseRequest(spec.library, 'softmax', prepared, dtype);
    return libraryPair(ev, { ...base, request, torch: torchEquivalent(request) });
  };
}

/**
 * A TensorFlow 1 program: a graph run in a session, or fed through placeholders. Positional operands
 * of the tf.nn softmax cross-entropies have no single meaning there: TF 1 raises for them (its
 * `_sentinel` first parameter), and TF 0.x read them as (logits, labels), the reverse of TF 2's
 * (labels, logits). Judged once per document (the whole document, which holds every segment and
 * notebook cell), so a file with thousands of such calls searches it once.
 */
const tf1Marks =
  /\btf\.(?:Session|InteractiveSession|placeholder)\s*\(|\bsess\.run\s*\(|\btf\.global_variables_initializer\b/;
const tf1Documents = new WeakMap<Evaluation['ctx'], boolean>();
function tf1Program(ev: Evaluation): boolean {
  let tf1 = tf1Documents.get(ev.ctx);
  if (tf1 === undefined) {
    tf1 = tf1Marks.test(ev.ctx.document || ev.ctx.text);
    tf1Documents.set(ev.ctx, tf1);
  }
  return tf1;
}
const positionalInTf1 =
  'its operands are positional in TensorFlow 1 code (a session or placeholders): TF 1 accepts only labels= and logits= by keyword, TF 0.x read them as (logits, labels) and TF 2 as (labels, logits), so which was meant cannot be told';

export function familyEntry(spec: FamilySpec): LibraryEntry {
  const self: LibraryEntry = {
    id: spec.id,
    paths: spec.paths,
    form: 'function',
    callKind: 'library',
    input: { position: spec.labelsFirst ? 1 : 0, keyword: 'logits' },
    target: { position: spec.labelsFirst ? 0 : 1, keyword: 'labels' },
    options: {},
    batchOfOne: false,
    mapping: {
      library: spec.library,
      reads: 'logits',
      defaultReduction: 'none',
      classAxis: 'the last axis (axis=-1)',
      note: spec.note,
    },
    hooks: { apply: apply(spec, () => self) },
  };
  return self;
}

export const denseNote =
  'one loss per example, never reduced: −Σ labels·log_softmax(logits) over the last axis (torch: cross_entropy with probability targets and reduction=\u2019none\u2019)';
export const sparseNote =
  'one loss per example, never reduced: −log_softmax(logits)[label] over the last axis (torch: cross_entropy with reduction=\u2019none\u2019)';

export const softmaxFamilyEntries: LibraryEntry[] = [
  familyEntry({
    id: 'tf.nn.softmax_cross_entropy_with_logits',
    paths: [
      'tf.nn.softmax_cross_entropy_with_logits',
      'tf.nn.softmax_cross_entropy_with_logits_v2',
      'tf.v1.nn.softmax_cross_entropy_with_logits_v2',
    ],
    library: 'tensorflow',
    targets: 'probabilities',
    labelsFirst: true,
    axis: { position: 2, keyword: 'axis' },
    note: `labels come first; ${denseNote}`,
  }),
  familyEntry({
    id: 'tf.v1.nn.softmax_cross_entropy_with_logits',
    paths: ['tf.v1.nn.softmax_cross_entropy_with_logits'],
    library: 'tensorflow',
    targets: 'probabilities',
    labelsFirst: true,
    keywordsOnly: true,
    axis: { position: -1, keyword: 'dim' },
    note: `TF1: labels= and logits= by keyword; ${denseNote}`,
  }),
  familyEntry({
    id: 'tf.nn.sparse_softmax_cross_entropy_with_logits',
    paths: ['tf.nn.sparse_softmax_cross_entropy_with_logits'],
    library: 'tensorflow',
    targets: 'indices',
    labelsFirst: true,
    note: `labels come first; ${sparseNote}`,
  }),
  familyEntry({
    id: 'tf.v1.nn.sparse_softmax_cross_entropy_with_logits',
    paths: ['tf.v1.nn.sparse_softmax_cross_entropy_with_logits'],
    library: 'tensorflow',
    targets: 'indices',
    labelsFirst: true,
    keywordsOnly: true,
    note: `TF1: labels= and logits= by keyword; ${sparseNote}`,
  }),
  familyEntry({
    id: 'oneflow.nn.functional.sparse_softmax_cross_entropy_with_logits',
    // OneFlow documents the function as `sparse_softmax_cross_entropy` too (docs/detection.md 3.110).
    paths: [
      'oneflow.nn.functional.sparse_softmax_cross_entropy_with_logits',
      'oneflow.nn.functional.sparse_softmax_cross_entropy',
    ],
    library: 'oneflow',
    targets: 'indices',
    labelsFirst: true,
    note: `OneFlow's copy of TensorFlow's: labels come first; ${sparseNote}`,
  }),
  familyEntry({
    id: 'optax.softmax_cross_entropy',
    paths: ['optax.softmax_cross_entropy'],
    library: 'optax',
    targets: 'probabilities',
    labelsFirst: false,
    float32: true,
    axis: { position: 2, keyword: 'axis' },
    note: `logits come first; ${denseNote}; float32 (JAX without x64)`,
  }),
  familyEntry({
    id: 'optax.softmax_cross_entropy_with_integer_labels',
    paths: ['optax.softmax_cross_entropy_with_integer_labels'],
    library: 'optax',
    targets: 'indices',
    labelsFirst: false,
    float32: true,
    axis: { position: 2, keyword: 'axis' },
    note: `logits come first; ${sparseNote}; float32 (JAX without x64)`,
  }),
  familyEntry({
    id: 'objax.functional.loss.cross_entropy_logits',
    paths: ['objax.functional.loss.cross_entropy_logits'],
    library: 'objax',
    targets: 'probabilities',
    labelsFirst: false,
    float32: true,
    objax: true,
    note: `logits come first; ${denseNote}, written as logsumexp(x) − Σ labels·x (the same where each row of labels sums to 1); the labels broadcast against the logits; float32 (JAX without x64)`,
  }),
  familyEntry({
    id: 'objax.functional.loss.cross_entropy_logits_sparse',
    paths: ['objax.functional.loss.cross_entropy_logits_sparse'],
    library: 'objax',
    targets: 'indices',
    labelsFirst: false,
    float32: true,
    objax: true,
    note: `logits come first; ${sparseNote}; float32 (JAX without x64)`,
  }),
];
