/**
 * braintools (`braintools.metric`, a JAX library whose classification losses are a copy of optax's,
 * docs/detection.md 3.55, 4.20):
 * - `softmax_cross_entropy(logits, labels)`: −Σ labels·log_softmax(logits) over the last axis, one
 *   loss per example (optax's rule, 4.7);
 * - `softmax_cross_entropy_with_integer_labels(logits, labels)`: logsumexp(logits) − logits[label]
 *   per example; the labels must be an integer array (the function asserts it);
 * - `nll_loss(log_probs, targets)`: −log_probs[target] per example, never reduced (torch's
 *   NLLLoss with reduction='none'): a 1-D row with one scalar target, or (N, C) rows with N targets.
 *   Higher ranks take the classes on axis 1 (torch's convention): not modelled here.
 * JAX computes in float32 (x64 off), so every number is float32.
 */
import { numberArray } from '../arrays';
import { argumentNode, sourceOf, type CallNode, type Evaluation } from '../evaluation';
import { withArray, type OptionValues, type Value } from '../values';
import { libraryPair, notAPair, operandOf } from './common';
import type { LibraryEntry, Match } from './entry';
import { denseNote, familyEntry, sparseNote } from './softmaxFamily';
import { baseRequest, prepareOperands, torchEquivalent } from './requests';

/** A Python integer made a 0-d array: an integer array (JAX reads it as int32). */
const integerArray = (v: Value): Value =>
  v.kind === 'array' ? { kind: 'array', array: withArray(v.array, { integerTensor: true, dtype: null }) } : v;

const nllNote =
  'one loss per example, never reduced: −log_probs[target] over the last axis (torch: nll_loss with reduction=\u2019none\u2019); float32 (JAX without x64)';

function nllApply(entry: () => LibraryEntry) {
  return (ev: Evaluation, call: CallNode, _options: OptionValues, match: Match): Value => {
    const inputNode = argumentNode(call, { position: 0, keyword: 'log_probs' });
    const targetNode = argumentNode(call, { position: 1, keyword: 'targets' });
    const input = inputNode ? operandOf(ev.evaluate(inputNode)) : null;
    if (!input) return notAPair(ev, match, inputNode);
    // A Python integer as the target (`nll_loss(log_probs, 1)`) is a 0-d array of it.
    const t = targetNode ? ev.evaluate(targetNode) : null;
    const tv =
      t?.kind === 'number' && t.integer && targetNode ? integerArray(numberArray(ev, targetNode, t.value, true)) : t;
    const target = tv ? operandOf(tv) : null;
    if (!target || !targetNode) return notAPair(ev, match, targetNode);
    const targetArray = target.array;
    const x = input.array;
    const base = {
      entry: entry(),
      call,
      input: x,
      target: targetArray,
      inputNode,
      reduction: 'none' as const,
      labelSmoothing: 0,
      dtype: 'float32' as const,
      dtypeExplicit: true,
    };
    const why = input.why ?? target.why;
    const through = (input.why ? inputNode : undefined) ?? targetNode;
    let unverified: string | null = why === null ? null : `\`${sourceOf(ev, through)}\` is not computed here (${why})`;
    if (call.args.length + call.keywords.length > 2)
      unverified ??= 'an argument of nll_loss beyond (log_probs, targets) is not modelled';
    const rank = x.shape.length;
    if (rank !== 1 && rank !== 2)
      unverified ??= `log-probabilities of ${rank} dimensions take their classes on axis 1 (not modelled here)`;
    else if (targetArray.shape.length !== rank - 1 || (rank === 2 && targetArray.shape[0] !== x.shape[0]))
      unverified ??=
        'braintools takes one target per row of log-probabilities (a scalar for a 1-D row); this call raises';
    if (!unverified && !targetArray.integerTensor)
      unverified = 'targets that are not an integer array are not modelled';
    const classes = x.shape[rank - 1] ?? 0;
    if (!unverified && targetArray.data?.some((v) => v < 0 || v >= classes))
      unverified = `a target outside [0, ${classes}): JAX's indexing wraps or clamps it instead of raising (not modelled)`;
    if (unverified) return libraryPair(ev, { ...base, request: null, unverified });
    const prepared = prepareOperands(x, targetArray, 'indices', -1, 'float32', 'exact');
    if (typeof prepared === 'string') return libraryPair(ev, { ...base, request: null, unverified: prepared });
    const request = baseRequest('braintools', 'nll', prepared, 'float32');
    return libraryPair(ev, { ...base, request, torch: torchEquivalent(request) });
  };
}

const nllEntry: LibraryEntry = {
  id: 'braintools.metric.nll_loss',
  paths: ['braintools.metric.nll_loss'],
  form: 'function',
  callKind: 'library',
  input: { position: 0, keyword: 'log_probs' },
  target: { position: 1, keyword: 'targets' },
  options: {},
  batchOfOne: false,
  mapping: {
    library: 'braintools',
    reads: 'log_probs',
    defaultReduction: 'none',
    classAxis: 'the last axis of 1-D or 2-D log-probabilities',
    note: nllNote,
  },
  hooks: { apply: nllApply(() => nllEntry) },
};

/** The integer-labels form asserts integer labels: float labels raise there, so they get no number. */
function integerLabelsOnly(entry: LibraryEntry): LibraryEntry {
  const apply = entry.hooks.apply;
  const checked: LibraryEntry = {
    ...entry,
    hooks: {
      apply: (ev, call, options, match) => {
        const labelsNode = argumentNode(call, { position: 1, keyword: 'labels' });
        const labels = labelsNode ? ev.evaluate(labelsNode) : null;
        if (labels?.kind === 'array' && !labels.array.integerTensor && labels.array.data) {
          const logitsNode = argumentNode(call, { position: 0, keyword: 'logits' });
          const logits = logitsNode ? ev.evaluate(logitsNode) : null;
          if (logits?.kind !== 'array') return notAPair(ev, match, logitsNode);
          return libraryPair(ev, {
            entry: checked,
            call,
            input: logits.array,
            target: labels.array,
            inputNode: logitsNode,
            request: null,
            unverified: 'braintools asserts integer labels: these are not an integer array',
            reduction: 'none',
            labelSmoothing: 0,
            dtype: 'float32',
            dtypeExplicit: true,
          });
        }
        return apply(ev, call, options, match);
      },
    },
  };
  return checked;
}

export const braintoolsEntries: LibraryEntry[] = [
  familyEntry({
    id: 'braintools.metric.softmax_cross_entropy',
    paths: ['braintools.metric.softmax_cross_entropy'],
    library: 'braintools',
    targets: 'probabilities',
    labelsFirst: false,
    float32: true,
    note: `optax's rule (braintools copies optax's losses): logits come first; ${denseNote}; float32 (JAX without x64)`,
  }),
  integerLabelsOnly(
    familyEntry({
      id: 'braintools.metric.softmax_cross_entropy_with_integer_labels',
      paths: ['braintools.metric.softmax_cross_entropy_with_integer_labels'],
      library: 'braintools',
      targets: 'indices',
      labelsFirst: false,
      float32: true,
      note: `optax's rule (braintools copies optax's losses): logits come first; ${sparseNote}; float32 (JAX without x64)`,
    }),
  ),
  nllEntry,
];
