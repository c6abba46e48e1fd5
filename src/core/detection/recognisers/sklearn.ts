/**
 * scikit-learn's `sklearn.metrics.log_loss(y_true, y_pred, *, eps='auto', normalize=True,
 * sample_weight=None, labels=None)` (sklearn/metrics/_classification.py, 1.2.1 as installed here):
 * - y_true holds labels (numbers or strings); the sorted distinct labels (or `labels=`) are the
 *   columns of y_pred; a 2-D 0/1 indicator matrix is its own columns;
 * - y_pred holds probabilities: clipped to [eps, 1 − eps] with eps = the float epsilon of its
 *   dtype (2.2e-16 for float64), each row divided by its sum; a 1-D y_pred is the probability of
 *   the second of two classes;
 * - −log p[label] per sample, then the mean (weighted by `sample_weight`), or the sum with
 *   normalize=False.
 */
import type { LibraryReduction } from '../../libraries/types';
import type { DType } from '../../types';
import { argumentNode, type CallNode, type Evaluation } from '../evaluation';
import type { Node } from '../expr';
import type { OptionValues, Value } from '../values';
import {
  asBool,
  asNumber,
  givenNode,
  labelSite,
  libraryPair,
  nd,
  notAPair,
  operandOf,
  optionAt,
  valuesOf,
  withData,
  type LibraryPairArgs,
} from './common';
import type { LibraryEntry, Match } from './entry';
import { explicitDtype, readOperands, unmodelledReason } from './requests';

type Label = string | number;

/** Labels written in the source: a list or tuple of strings / numbers (possibly in np.array(...)), or null. */
function labelsOf(ev: Evaluation, node: Node, depth = 0): Label[] | null {
  const v = ev.evaluate(node);
  const fromValue = (x: Value): Label[] | null => {
    if (x.kind !== 'sequence') return null;
    const out: Label[] = [];
    for (const item of x.items) {
      if (item.kind === 'string') out.push(item.value);
      else if (item.kind === 'number') out.push(item.value);
      else return null;
    }
    return out;
  };
  const direct = fromValue(v);
  if (direct) return direct;
  // `labels=[0, 1]`: a list of numbers is read as an array; a 1-D one is its labels.
  const numbers = operandOf(v);
  if (numbers?.array.data && numbers.array.shape.length === 1) return Array.from(numbers.array.data);
  // np.array(["spam", "ham"]) is not an array of numbers: read the list inside.
  if (depth === 0 && node.type === 'call' && node.args.length >= 1) return labelsOf(ev, node.args[0], 1);
  return null;
}

/** numpy's sort of distinct labels (numbers numerically, strings by code point); null when mixed. */
function sortedClasses(labels: Label[]): Label[] | null {
  const distinct = [...new Set(labels)];
  if (distinct.every((x) => typeof x === 'number')) return (distinct as number[]).sort((a, b) => a - b);
  if (distinct.every((x) => typeof x === 'string'))
    return (distinct as string[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return null;
}

/** Why a call whose number depends on the scikit-learn version gets none. */
const versionEpsReason =
  "y_pred has a probability of 0 or 1, which scikit-learn clips by a bound its version decides (1e-15 before 1.2, the dtype's epsilon from 1.2): the number depends on the version";

/**
 * Some sample's −log p[label] changes between scikit-learn's old bound (1e-15) and the dtype's epsilon
 * (a probability of 0 or 1 where it counts: a certain row, a label given 0). Rows are clipped, divided by
 * their sum and read at the label as scikit-learn does; a 1-D y_pred is the second of two columns.
 */
function versionDependent(x: ArrayLike<number>, shape: number[], labels: Float64Array, epsilon: number): boolean {
  const C = shape.length === 1 ? 2 : shape[shape.length - 1];
  const at = (i: number, c: number): number => (shape.length === 1 ? (c === 1 ? x[i] : 1 - x[i]) : x[i * C + c]);
  const term = (i: number, label: number, eps: number): number => {
    const clip = (v: number): number => Math.min(Math.max(v, eps), 1 - eps);
    let sum = 0;
    for (let c = 0; c < C; c++) sum += clip(at(i, c));
    return -Math.log(clip(at(i, label)) / sum);
  };
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!(label >= 0 && label < C)) continue;
    const before = term(i, label, 1e-15);
    const after = term(i, label, epsilon);
    if (Math.abs(before - after) > 1e-9 * Math.max(Math.abs(before), Math.abs(after))) return true;
  }
  return false;
}

/**
 * `defaultEps`: the clip bound when the call gives no `eps` (scikit-learn 1.2 takes its dtype's
 * epsilon, `'auto'`; its ports keep the older fixed 1e-15).
 */
function apply(entry: () => LibraryEntry, defaultEps: number | null = null) {
  return (ev: Evaluation, call: CallNode, _options: OptionValues, match: Match): Value => {
    const trueNode = argumentNode(call, { position: 0, keyword: 'y_true' });
    const predNode = argumentNode(call, { position: 1, keyword: 'y_pred' });
    if (!trueNode || !predNode) return notAPair(ev, match, trueNode ?? predNode);
    const pred = operandOf(ev.evaluate(predNode));
    if (!pred) return notAPair(ev, match, predNode);
    // y_true: a numeric array, or a list of labels that are not all numbers.
    const numeric = operandOf(ev.evaluate(trueNode));
    const written = numeric ? null : labelsOf(ev, trueNode);
    if (!numeric && !written) return notAPair(ev, match, trueNode);
    const weightsNode = givenNode(call, { position: -1, keyword: 'sample_weight' });
    const ops = readOperands(ev, predNode, numeric ? trueNode : predNode, weightsNode);
    if (!ops.ok) return notAPair(ev, match, ops.missing);
    const normalize = asBool(optionAt(ev, call, { position: -1, keyword: 'normalize' }));
    const epsValue = optionAt(ev, call, { position: -1, keyword: 'eps' });
    const eps = epsValue?.kind === 'string' && epsValue.value === 'auto' ? undefined : asNumber(epsValue);
    const labelsNode = givenNode(call, { position: -1, keyword: 'labels' });
    let unverified = unmodelledReason(ev, ops);
    if (call.args.length > 2) unverified ??= 'positional options of log_loss are not modelled';
    if (normalize === null) unverified ??= 'the value of normalize is not known here';
    if (eps === null) unverified ??= 'the value of eps is not known here';
    // Python lists and numpy float arrays are float64; an explicit float32 array stays float32.
    const dtype: DType = pred.array.dtype ?? 'float64';
    const reduction: LibraryReduction = normalize === false ? 'sum' : ops.weights ? 'weighted_mean' : 'mean';
    // The labels, as class indices in sorted order.
    let labels: Label[] | null = written;
    let indicator = false;
    if (numeric) {
      const t = numeric.array;
      if (t.shape.length === 2 && t.data && t.data.every((v) => v === 0 || v === 1)) indicator = true;
      else labels = t.data ? Array.from(t.data) : null;
    }
    let classes: Label[] | null = null;
    if (labels) classes = labelsNode ? labelsOf(ev, labelsNode) : labels;
    if (labelsNode && !classes) unverified ??= 'the labels= list is not written in this source';
    const sorted = classes ? sortedClasses(classes) : null;
    const base: Omit<LibraryPairArgs, 'request' | 'target'> = {
      entry: entry(),
      call,
      input: pred.array,
      inputNode: predNode,
      reduction: reduction === 'sum' ? 'sum' : 'mean',
      labelSmoothing: 0,
      dtype,
      dtypeExplicit: explicitDtype(pred.array),
      // float32 terms averaged in float64 (np.average): a Python float whose last digits are not float32's.
      float64Reduction: dtype === 'float32',
    };
    const x = valuesOf(pred.array, dtype);
    let indices: Float64Array | null = null;
    let error: { code: string; message: string } | undefined;
    if (indicator && numeric?.array.data) {
      // A 0/1 indicator matrix: one 1 per row is a label; anything else is not modelled.
      const t = numeric.array.data;
      const C = numeric.array.shape[1];
      indices = new Float64Array(numeric.array.shape[0]);
      for (let i = 0; i < indices.length; i++) {
        let k = -1;
        for (let c = 0; c < C; c++) if (t[i * C + c] === 1) k = k === -1 ? c : -2;
        if (k < 0) unverified ??= 'an indicator row without exactly one 1 is not modelled';
        indices[i] = k;
      }
    } else if (labels && sorted) {
      const position = new Map(sorted.map((c, i) => [c, i]));
      indices = Float64Array.from(labels, (l) => position.get(l) ?? -1);
      if (sorted.length === 1)
        error = {
          code: 'invalid_request',
          message: `y_true contains only one label (${String(sorted[0])}). Please provide the true labels explicitly through the labels argument.`,
        };
      else if (indices.some((i) => i < 0))
        error = { code: 'invalid_request', message: 'y_true contains labels not in labels=' };
      const C = pred.array.shape.length === 1 ? 2 : pred.array.shape[pred.array.shape.length - 1];
      if (!error && sorted.length !== C)
        error = {
          code: 'target_shape_mismatch',
          message: `y_true and y_pred contain different number of classes ${sorted.length}, ${C}.`,
        };
    } else if (labels) unverified ??= 'labels of mixed types are not modelled';
    if (!indices) return notAPair(ev, match, trueNode);
    const target = numeric ? withData(numeric.array, indices, [indices.length]) : labelSite(ev, trueNode, indices);
    if (unverified !== null) return libraryPair(ev, { ...base, target, request: null, unverified });
    if (error) return libraryPair(ev, { ...base, target, request: null, error });
    if (!x) return libraryPair(ev, { ...base, target, request: null, unverified: 'y_pred cannot be read' });
    const w = ops.weights?.array;
    if (ops.weights && !w?.data)
      return libraryPair(ev, { ...base, target, request: null, unverified: 'the sample_weight cannot be read' });
    const epsilon = eps ?? defaultEps ?? (dtype === 'float32' ? 1.1920928955078125e-7 : 2.220446049250313e-16);
    // With no eps written, the bound is the version's: 1e-15 before scikit-learn 1.2, the dtype's epsilon
    // from 1.2. A probability of 0 or 1 where it counts gives two numbers (one certain wrong row: 34.5388
    // before, 36.0437 after; a certain right one: 2.1e-15 against 4.4e-16), so neither is claimed (§3.232).
    if (epsValue === undefined && defaultEps === null && versionDependent(x, pred.array.shape, indices, epsilon))
      return libraryPair(ev, { ...base, target, request: null, unverified: versionEpsReason });
    return libraryPair(ev, {
      ...base,
      target,
      request: {
        library: 'sklearn',
        rule: 'sklearn',
        input: nd(x, pred.array.shape),
        target: { data: indices, shape: [indices.length], integral: true },
        targetKind: 'indices',
        fromLogits: false,
        epsilon,
        labelSmoothing: 0,
        smoothing: 'mix_targets',
        weights: w?.data ? nd(w.data, w.shape) : null,
        weightRule: 'broadcast',
        reduction,
        dtype,
      },
    });
  };
}

const self: LibraryEntry = {
  id: 'sklearn.metrics.log_loss',
  paths: ['sklearn.metrics.log_loss'],
  form: 'function',
  callKind: 'library',
  input: { position: 1, keyword: 'y_pred' },
  target: { position: 0, keyword: 'y_true' },
  options: {},
  batchOfOne: false,
  mapping: {
    library: 'sklearn',
    reads: 'log_probs',
    defaultReduction: 'mean',
    classAxis: 'the columns of y_pred, in the sorted order of the labels',
    note: 'scikit-learn clips y_pred to [eps, 1 − eps] (eps of its dtype), divides each row by its sum, and averages −log p[label] over the samples (float64)',
  },
  hooks: { apply: apply(() => self) },
};

/**
 * MaxFrame's `maxframe.learn.metrics.log_loss` and Mars's `mars.learn.metrics.log_loss` (its
 * predecessor) are ports of scikit-learn's function with the same arguments and rule, their
 * docstring and doctest included; only `eps` defaults to 1e-15, as scikit-learn's did before 1.3.
 */
const port: LibraryEntry = {
  ...self,
  id: 'maxframe.learn.metrics.log_loss',
  paths: ['maxframe.learn.metrics.log_loss', 'mars.learn.metrics.log_loss'],
  mapping: {
    ...self.mapping,
    note: 'a port of scikit-learn’s log_loss (MaxFrame, Mars): y_pred clipped to [1e-15, 1 − 1e-15] by default, each row divided by its sum, −log p[label] averaged over the samples (float64)',
  },
  hooks: { apply: apply(() => port, 1e-15) },
};

export const sklearnEntries: LibraryEntry[] = [self, port];
