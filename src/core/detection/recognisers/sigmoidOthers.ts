/**
 * The sigmoid (binary) cross-entropies of MLX, MindSpore and optax (docs/detection.md 4.14):
 * - MLX `nn.losses.binary_cross_entropy(inputs, targets, weights=None, with_logits=True,
 *   reduction='mean')` (python/mlx/nn/losses.py): logaddexp(0, x) − x·t on logits, or
 *   −(t·max(log p, −100) + (1 − t)·max(log(1 − p), −100)) with with_logits=False; weights of the
 *   losses' own shape; float32;
 * - MindSpore `ops.SigmoidCrossEntropyWithLogits()(logits, label)`: one loss per element, never
 *   reduced, in TensorFlow's stable form (labels outside [0, 1] are computed as written);
 * - optax `sigmoid_binary_cross_entropy(logits, labels)`: −t·log_sigmoid(x) − (1 − t)·log_sigmoid(−x)
 *   per element, float32 (JAX without x64); braintools' `metric.sigmoid_binary_cross_entropy` is a copy of
 *   it (docs/detection.md 3.266).
 */
import type { LibraryReduction } from '../../libraries/types';
import { argumentNode, type CallNode, type Evaluation } from '../evaluation';
import type { OptionValues, Value } from '../values';
import { asBool, asName, givenNode, notAPair, optionAt } from './common';
import type { LibraryEntry, Match } from './entry';
import { optionsObject } from './optionsObject';
import { readOperands } from './requests';
import { sigmoidPair } from './sigmoidPairs';

const mlxReductions: Record<string, LibraryReduction> = { none: 'none', mean: 'mean', sum: 'sum' };

function applyMlx(entry: () => LibraryEntry, js: boolean) {
  return (ev: Evaluation, given: CallNode, _options: OptionValues, match: Match): Value => {
    // An MLX port's trailing options object (`{ withLogits: false }`, docs/detection.md 3.409).
    const { call, unverified: odd } = optionsObject(ev, given, ['weights', 'with_logits', 'reduction']);
    // JavaScript's `undefined` in a place takes that parameter's default (`null` does not).
    const option = (position: number, keyword: string) => {
      const node = argumentNode(call, { position, keyword });
      return js && node?.type === 'name' && node.id === 'undefined'
        ? undefined
        : optionAt(ev, call, { position, keyword });
    };
    const inputNode =
      givenNode(call, { position: 0, keyword: 'inputs' }) ?? givenNode(call, { position: -1, keyword: 'logits' });
    const targetNode = givenNode(call, { position: 1, keyword: 'targets' });
    const weightsNode = givenNode(call, { position: 2, keyword: 'weights' });
    const weightsValue = weightsNode ? ev.evaluate(weightsNode) : undefined;
    // A number in the third place is no weights array (an older signature): not modelled.
    const ops = readOperands(ev, inputNode, targetNode, weightsValue?.kind === 'number' ? undefined : weightsNode);
    if (!ops.ok) return notAPair(ev, match, ops.missing);
    const withLogits = asBool(option(3, 'with_logits'));
    const reductionName = asName(option(4, 'reduction'), (p) => p);
    const reduction =
      reductionName === undefined ? 'mean' : reductionName === null ? undefined : mlxReductions[reductionName];
    let unverified: string | null = odd;
    if (weightsValue?.kind === 'number') unverified = 'a number in the third place is not MLX’s weights array';
    if (withLogits === null) unverified ??= 'the value of with_logits is not known here';
    if (reduction === undefined) unverified ??= `the reduction ${reductionName ?? ''} is not one MLX has`;
    if ([ops.input.array, ops.target.array].some((a) => a.container === 'list'))
      unverified ??= 'MLX takes mx.array operands (a Python list has no shape)';
    const logits = withLogits !== false;
    const red: LibraryReduction = reduction ?? 'mean';
    return sigmoidPair(ev, {
      entry: entry(),
      call,
      ops,
      inputNode,
      library: 'mlx',
      rule: 'mlx_bce',
      fromLogits: logits,
      labelSmoothing: 0,
      reduction: red,
      perSample: 'element',
      dtype: 'float32',
      weights: { operand: ops.weights, scalar: null },
      weightRule: 'same_shape',
      unverified,
      note: `${logits ? 'logaddexp(0, x) − x·t per element (torch’s BCEWithLogitsLoss in value)' : 'with_logits=False: −(t·log p + (1 − t)·log(1 − p)), each log clamped at −100 (torch’s BCELoss in value)'}; weights of the losses’ shape; reduction '${red}' (MLX’s default is 'mean')`,
    });
  };
}

type Elementwise = 'mindspore' | 'optax' | 'braintools';

function applyElementwise(library: Elementwise, entry: () => LibraryEntry) {
  return (ev: Evaluation, call: CallNode, _options: OptionValues, match: Match): Value => {
    const logitsNode = givenNode(call, { position: 0, keyword: 'logits' });
    const optaxRule = library !== 'mindspore';
    const labelsNode = givenNode(call, { position: 1, keyword: optaxRule ? 'labels' : 'label' });
    const ops = readOperands(ev, logitsNode, labelsNode);
    if (!ops.ok) return notAPair(ev, match, ops.missing);
    return sigmoidPair(ev, {
      entry: entry(),
      call,
      ops,
      inputNode: logitsNode,
      library,
      rule: optaxRule ? 'optax_sigmoid' : 'sigmoid_logits',
      fromLogits: true,
      labelSmoothing: 0,
      reduction: 'none',
      perSample: 'element',
      dtype: 'float32',
      weights: { operand: null, scalar: null },
      weightRule: 'broadcast',
      unverified:
        library === 'mindspore' && ops.input.array.container === 'list' ? 'MindSpore takes Tensor operands' : null,
      note: optaxRule
        ? `${library === 'braintools' ? 'optax’s rule (braintools copies it): ' : ''}−t·log_sigmoid(x) − (1 − t)·log_sigmoid(−x) per element, never reduced (torch’s BCEWithLogitsLoss with reduction='none' in value); float32`
        : "max(x, 0) − x·y + log(1 + e^−|x|) per element, never reduced (torch’s BCEWithLogitsLoss with reduction='none' in value; labels outside [0, 1] as written); float32",
    });
  };
}

function entryOf(id: string, paths: string[], library: 'mlx' | Elementwise, form: 'module' | 'function'): LibraryEntry {
  const self: LibraryEntry = {
    id,
    paths,
    form,
    callKind: 'library',
    input: { position: 0 },
    target: { position: 1 },
    options: {},
    batchOfOne: false,
    mapping: {
      library,
      reads: 'logits',
      defaultReduction: library === 'mlx' ? 'mean' : 'none',
      classAxis: 'none: one loss per element (a binary cross-entropy)',
      note: 'the sigmoid cross-entropy of each element',
    },
    hooks: {
      apply: library === 'mlx' ? applyMlx(() => self, !id.includes('_')) : applyElementwise(library, () => self),
      ...(form === 'module' ? { moduleOptions: (): OptionValues => ({ extra: {} }) } : {}),
    },
  };
  return self;
}

export const sigmoidOtherEntries: LibraryEntry[] = [
  entryOf('mlx.nn.losses.binary_cross_entropy', ['mlx.nn.losses.binary_cross_entropy'], 'mlx', 'function'),
  // The node bindings' copy, positional only in the Python order (docs/detection.md 3.385).
  entryOf('mlx.nn.losses.binaryCrossEntropy', ['mlx.nn.losses.binaryCrossEntropy'], 'mlx', 'function'),
  entryOf(
    'mindspore.ops.SigmoidCrossEntropyWithLogits',
    ['mindspore.ops.SigmoidCrossEntropyWithLogits', 'mindspore.ops.operations.SigmoidCrossEntropyWithLogits'],
    'mindspore',
    'module',
  ),
  entryOf('optax.sigmoid_binary_cross_entropy', ['optax.sigmoid_binary_cross_entropy'], 'optax', 'function'),
  entryOf(
    'braintools.metric.sigmoid_binary_cross_entropy',
    ['braintools.metric.sigmoid_binary_cross_entropy'],
    'braintools',
    'function',
  ),
];
