/**
 * MXNet 1.x's metric objects `mx.metric.CrossEntropy(eps=1e-12)` and
 * `mx.metric.NegativeLogLikelihood(eps=1e-12)` (docs/detection.md 3.173, 4.49). Both read
 * probabilities: `update(labels, preds)` takes lists of NDArrays (one NDArray is wrapped in a list),
 * ravels each label array, picks `preds[i, labels[i]]` as numpy does, adds ε, and adds the float32 sum
 * of −log(p + ε) to `sum_metric` and the number of rows to `num_inst`; `get()` returns
 * `(name, sum_metric / num_inst)` (names 'cross-entropy' and 'nll-loss'), `reset()` clears both.
 *
 * One update of one batch is a pair at the update: the mean over its rows of −log p[label] on the
 * probabilities as they are (the `log_probabilities` rule), which is MXNet's number when ε changes no
 * picked float32 probability (p + ε rounds back to p: every p ≥ 2⁻¹⁵ with the default ε). A picked
 * probability that ε moves, float64 or half-precision predictions, labels numpy would read otherwise
 * (fractions, negatives, a class outside the row), arrays not made by mxnet, several batches in one
 * update, or a second update before a reset leave the pair without a number, with the reason.
 * `get()` divides the float32 sum in float64; the pair reports the float32 mean, so its claims are
 * judged as an assumed float32 is (within two float32 steps when the print is no float32 value).
 */
import type { DType } from '../../types';
import { argumentNode, type CallNode, type Evaluation } from '../evaluation';
import type { OptionValues, Value } from '../values';
import { libraryPair, operandOf, optionAt, type Operand } from './common';
import type { LibraryEntry, Match } from './entry';
import { baseRequest, prepareOperands, unmodelledReason } from './requests';

export type Kind = 'CrossEntropy' | 'NegativeLogLikelihood';

export const metricName: Record<Kind, string> = { CrossEntropy: 'cross-entropy', NegativeLogLikelihood: 'nll-loss' };

export const notRead = (why: string): Value => ({ kind: 'unknown', lossy: true, why });

/** The metric's constructor options: `eps` (first argument) and `name` (second). */
function metricOptions(ev: Evaluation, call: CallNode): OptionValues {
  const extra: OptionValues['extra'] = {};
  const eps = optionAt(ev, call, { position: 0, keyword: 'eps' });
  if (eps !== undefined) extra.eps = eps;
  const name = optionAt(ev, call, { position: 1, keyword: 'name' });
  if (name !== undefined) extra.name = name;
  return { extra };
}

/** The one array of an update argument: an NDArray, or a list / tuple holding exactly one. */
function oneArray(ev: Evaluation, call: CallNode, position: number, keyword: string): Operand | string {
  const node = argumentNode(call, { position, keyword });
  if (!node) return `\`update\` is given no ${keyword}`;
  let v = ev.evaluate(node);
  if (v.kind === 'sequence') {
    if (v.items.length !== 1)
      return `an update of ${v.items.length} arrays at once: MXNet sums them into one count (not modelled here)`;
    v = v.items[0];
  }
  return operandOf(v) ?? `the ${keyword} of this update are not arrays known here`;
}

/** Why MXNet would not compute the log_probabilities rule's number on these operands, or null. */
function operandIssue(preds: Operand['array'], labels: Operand['array']): string | null {
  const made = (a: Operand['array']): boolean => a.site.constructorName?.startsWith('mxnet.') ?? false;
  if (!made(preds) || !made(labels))
    return 'the metric calls `asnumpy()` on MXNet NDArrays: arrays not made by mxnet are not modelled';
  if (preds.halfPrecision || labels.halfPrecision)
    return "half-precision (float16) arrays: mxnet's own float16 arithmetic is not reproduced here";
  if (preds.dtype !== 'float32') return 'predictions that are not float32: ε=1e-12 changes their logs';
  if (preds.shape.length !== 2)
    return `only 2-D predictions (rows, classes) are modelled (these are ${preds.shape.length}-D)`;
  const n = labels.shape.reduce((p, d) => p * d, 1);
  if (n !== preds.shape[0]) return 'the metric takes one label per row of the predictions (AssertionError)';
  return null;
}

function apply(entry: () => LibraryEntry) {
  return (ev: Evaluation, call: CallNode, options: OptionValues, _match: Match): Value => {
    // The object is no function (EvalMetric has no __call__): only its update computes.
    if (call.callee.type !== 'attribute' || call.callee.name !== 'update')
      return notRead("MXNet's metric objects are not callable: `update(labels, preds)` adds a batch");
    const labels = oneArray(ev, call, 0, 'labels');
    const preds = oneArray(ev, call, 1, 'preds');
    if (typeof labels === 'string') return notRead(labels);
    if (typeof preds === 'string') return notRead(preds);
    const dtype: DType = 'float32';
    const base = {
      entry: entry(),
      call,
      input: preds.array,
      target: labels.array,
      inputNode: argumentNode(call, { position: 1, keyword: 'preds' }),
      reduction: 'mean' as const,
      labelSmoothing: 0,
      dtype,
      dtypeExplicit: preds.array.dtypeSource === 'explicit',
      // get() is the float64 quotient of the float32 sum: claims on it are judged as an assumed float32's.
      dtypeAssumed: true,
    };
    const extra = options.extra ?? {};
    const epsValue = extra.eps === undefined ? 1e-12 : extra.eps?.kind === 'number' ? extra.eps.value : null;
    let unverified =
      unmodelledReason(ev, {
        ok: true,
        input: preds,
        target: labels,
        weights: null,
        why: preds.why ?? labels.why,
        through: argumentNode(call, { position: preds.why ? 1 : 0, keyword: preds.why ? 'preds' : 'labels' }),
      }) ??
      (extra.accumulated ? 'the metric has earlier updates: its result mixes batches (not modelled)' : null) ??
      (epsValue === null ? 'the value of eps is not known here' : null) ??
      operandIssue(preds.array, labels.array);
    if (unverified !== null) return libraryPair(ev, { ...base, request: null, unverified });
    const prepared = prepareOperands(preds.array, labels.array, 'indices', -1, dtype, 'exact');
    if (typeof prepared === 'string') return libraryPair(ev, { ...base, request: null, unverified: prepared });
    const [rows, classes] = prepared.inputShape;
    prepared.targetShape = [rows];
    const eps = Math.fround(epsValue!);
    for (let i = 0; i < rows && unverified === null; i++) {
      const t = prepared.target[i];
      if (!Number.isInteger(t) || t < 0 || t >= classes)
        unverified = `the label ${t} is no class of [0, ${classes}): numpy would truncate, wrap or refuse it`;
      else {
        const p = Math.fround(prepared.input[i * classes + t]);
        // Not (p > 0) catches NaN too; p + ε must round back to p for the rule's log to be MXNet's.
        if (!(p > 0) || Math.fround(p + eps) !== p)
          unverified = `the picked probability ${p} is moved by ε=${epsValue} before its log (not modelled)`;
      }
    }
    if (unverified !== null) return libraryPair(ev, { ...base, request: null, unverified });
    const request = baseRequest('mxnet', 'log_probabilities', prepared, dtype);
    request.reduction = 'mean';
    return libraryPair(ev, { ...base, request, torch: null });
  };
}

function entryOf(kind: Kind): LibraryEntry {
  const self: LibraryEntry = {
    id: `mxnet.metric.${kind}`,
    paths: [`mxnet.metric.${kind}`],
    form: 'module',
    callKind: 'library',
    input: { position: 1, keyword: 'preds' },
    target: { position: 0, keyword: 'labels' },
    options: {},
    batchOfOne: false,
    mapping: {
      library: 'mxnet',
      reads: 'logits',
      defaultReduction: 'mean',
      classAxis: 'axis 1 of 2-D predictions',
      note: `mxnet.metric.${kind}: −log(p[label] + 1e-12) on the probabilities as they are (no softmax), averaged over the rows of the update; get() returns ('${metricName[kind]}', mean)`,
    },
    hooks: { apply: apply(() => self), moduleOptions: metricOptions },
  };
  return self;
}

export const mxnetMetricEntries: LibraryEntry[] = [entryOf('CrossEntropy'), entryOf('NegativeLogLikelihood')];
