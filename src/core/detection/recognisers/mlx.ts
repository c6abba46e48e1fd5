/**
 * MLX: `mlx.nn.losses.cross_entropy(logits, targets, weights=None, axis=-1, label_smoothing=0.0,
 * reduction='none')` and `nll_loss(inputs, targets, axis=-1, reduction='none')` (python/mlx/nn/
 * losses.py), and the same functions of the node bindings (`nn.losses.crossEntropy(logits,
 * targets, weights?, axis, labelSmoothing, reduction)`, `nn.losses.nllLoss`).
 * - targets are probabilities when they have the logits' rank, else class indices;
 * - loss = logsumexp(x) − score, score = x_t or Σ x·y; with label smoothing s:
 *   logsumexp(x) − (1 − s)·score − s·mean(x) (torch's smoothing for index targets);
 * - `weights` multiply each example's loss (the loss's shape, not torch's per-class weights);
 * - the default reduction is 'none' (torch's is 'mean'); float32 (mx.array of Python floats).
 * Older MLX had `cross_entropy(logits, targets, axis, reduction)`: a number in the third place is
 * read as that axis.
 */
import type { LibraryReduction } from '../../libraries/types';
import { argumentNode, type CallNode, type Evaluation } from '../evaluation';
import type { OptionValues, Value } from '../values';
import { asName, asNumber, givenNode, libraryPair, nd, notAPair, optionAt, type LibraryPairArgs } from './common';
import type { LibraryEntry, Match } from './entry';
import { optionsObject } from './optionsObject';
import { baseRequest, prepareOperands, readOperands, torchEquivalent, unmodelledReason } from './requests';

type Kind = 'cross_entropy' | 'nll';

const reductions: Record<string, LibraryReduction> = { none: 'none', mean: 'mean', sum: 'sum' };

const notes: Record<Kind, string> = {
  cross_entropy:
    "logsumexp(x) − x_t (or −Σ y·log_softmax(x) for probability targets); weights multiply each example's loss; the default reduction is 'none'",
  nll: "−x_t on log-probabilities; the default reduction is 'none'",
};

function apply(kind: Kind, js: boolean, entry: () => LibraryEntry) {
  return (ev: Evaluation, given: CallNode, _options: OptionValues, match: Match): Value => {
    // An MLX port's trailing options object (`{ weights, labelSmoothing: 0.3 }`, docs/detection.md 3.409).
    const known = kind === 'nll' ? ['axis', 'reduction'] : ['weights', 'axis', 'label_smoothing', 'reduction'];
    const { call, unverified: odd } = optionsObject(ev, given, known);
    const inputNode = givenNode(call, { position: 0, keyword: kind === 'nll' ? 'inputs' : 'logits' });
    const targetNode = givenNode(call, { position: 1, keyword: 'targets' });
    // The third place holds weights (an array) in current MLX, the axis (a number) in older MLX.
    const third = kind === 'cross_entropy' ? givenNode(call, { position: 2, keyword: 'weights' }) : undefined;
    const thirdValue = third ? ev.evaluate(third) : undefined;
    const oldSignature = !js && thirdValue?.kind === 'number' && call.keywords.every((k) => k.name !== 'weights');
    const weightsNode = third && !oldSignature ? third : undefined;
    const ops = readOperands(ev, inputNode, targetNode, weightsNode);
    if (!ops.ok) return notAPair(ev, match, ops.missing);
    // JavaScript's `undefined` in a place takes that parameter's default (docs/detection.md 3.385).
    const at = (position: number, keyword: string) => {
      const node = argumentNode(call, { position, keyword });
      return js && node?.type === 'name' && node.id === 'undefined'
        ? undefined
        : optionAt(ev, call, { position, keyword });
    };
    let axisAt = kind === 'nll' ? 2 : oldSignature ? 2 : 3;
    let smoothingAt = oldSignature ? -1 : 4;
    let reductionAt = kind === 'nll' ? 3 : oldSignature ? 3 : 5;
    if (js) {
      // The node bindings take positional arguments only, in the Python order.
      axisAt = kind === 'nll' ? 2 : 3;
      smoothingAt = kind === 'nll' ? -1 : 4;
      reductionAt = kind === 'nll' ? 3 : 5;
    }
    const axis = asNumber(at(axisAt, 'axis'));
    const smoothing = kind === 'cross_entropy' ? asNumber(at(smoothingAt, 'label_smoothing')) : 0;
    const reductionName = asName(at(reductionAt, 'reduction'), (p) => p);
    const reduction =
      reductionName === undefined ? 'none' : reductionName === null ? undefined : reductions[reductionName];
    let unverified = odd ?? unmodelledReason(ev, ops);
    if (axis === null) unverified ??= 'the value of axis is not known here';
    if (smoothing === null) unverified ??= 'the value of label_smoothing is not known here';
    if (reduction === undefined) unverified ??= `the reduction ${reductionName ?? ''} is not one MLX has`;
    const red: LibraryReduction = reduction ?? 'none';
    const base: Omit<LibraryPairArgs, 'request'> = {
      entry: entry(),
      call,
      input: ops.input.array,
      target: ops.target.array,
      inputNode,
      reduction: red === 'mean' ? 'mean' : red === 'sum' ? 'sum' : 'none',
      labelSmoothing: smoothing ?? 0,
      dtype: 'float32',
      dtypeExplicit: true,
    };
    if (unverified !== null) return libraryPair(ev, { ...base, request: null, unverified });
    const lists = [ops.input.array, ops.target.array].filter((a) => a.container === 'list');
    if (lists.length > 0 && !js)
      return libraryPair(ev, {
        ...base,
        request: null,
        error: { code: 'invalid_request', message: 'MLX takes mx.array operands: a Python list has no ndim' },
      });
    if ((smoothing ?? 0) < 0 || (smoothing ?? 0) >= 1)
      return libraryPair(ev, {
        ...base,
        request: null,
        error: { code: 'label_smoothing_out_of_range', message: `Label smoothing must in [0, 1), got ${smoothing}.` },
      });
    const prepared = prepareOperands(
      ops.input.array,
      ops.target.array,
      kind === 'nll' ? 'indices' : 'by_rank',
      axis ?? -1,
      'float32',
      'exact',
    );
    if (typeof prepared === 'string') return libraryPair(ev, { ...base, request: null, unverified: prepared });
    const request = baseRequest('mlx', kind === 'nll' ? 'nll' : 'softmax', prepared, 'float32');
    request.labelSmoothing = smoothing ?? 0;
    request.smoothing = 'mlx';
    request.reduction = red;
    request.weightRule = 'same_shape';
    if (ops.weights) {
      const w = ops.weights.array;
      if (!w.data) return libraryPair(ev, { ...base, request: null, unverified: 'the weights cannot be read' });
      request.weights = nd(w.data, w.shape);
    }
    return libraryPair(ev, { ...base, request, torch: torchEquivalent(request) });
  };
}

function mlxEntry(id: string, paths: string[], kind: Kind, js: boolean): LibraryEntry {
  const self: LibraryEntry = {
    id,
    paths,
    form: 'function',
    callKind: 'library',
    input: { position: 0, keyword: kind === 'nll' ? 'inputs' : 'logits' },
    target: { position: 1, keyword: 'targets' },
    options: {},
    batchOfOne: false,
    mapping: {
      library: 'mlx',
      reads: kind === 'nll' ? 'log_probs' : 'logits',
      defaultReduction: 'none',
      classAxis: 'the last axis (axis=-1)',
      note: notes[kind],
    },
    hooks: { apply: apply(kind, js, () => self) },
  };
  return self;
}

export const mlxEntries: LibraryEntry[] = [
  mlxEntry('mlx.nn.losses.cross_entropy', ['mlx.nn.losses.cross_entropy'], 'cross_entropy', false),
  mlxEntry('mlx.nn.losses.nll_loss', ['mlx.nn.losses.nll_loss'], 'nll', false),
  mlxEntry('mlx.nn.losses.crossEntropy', ['mlx.nn.losses.crossEntropy'], 'cross_entropy', true),
  mlxEntry('mlx.nn.losses.nllLoss', ['mlx.nn.losses.nllLoss'], 'nll', true),
];
