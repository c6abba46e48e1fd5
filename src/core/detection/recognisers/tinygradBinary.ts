/**
 * tinygrad's binary cross-entropies, methods of its `Tensor` (docs/detection.md 3.267, 4.74), said in torch's terms:
 * - `p.binary_crossentropy(Y, reduction='mean')`: (−Y·log p − (1 − Y)·log(1 − p)) reduced. tinygrad does not clamp
 *   the logarithm as torch's BCELoss does (at −100), so the number is torch's only for every p strictly inside
 *   (0, 1) (tinygrad gives inf or NaN at 0 and 1, and NaN outside);
 * - `x.binary_crossentropy_logits(Y, reduction='mean', pos_weight=None)`: −(Y·logsigmoid(x) + (1 − Y)·logsigmoid(−x)),
 *   torch's BCEWithLogitsLoss in value; a `pos_weight` is not modelled.
 * The receiver is the first operand (tinygrad.ts reads the call); float32, tinygrad's default float.
 */
import type { LibraryReduction } from '../../libraries/types';
import type { CallNode, Evaluation } from '../evaluation';
import type { OptionValues, Value } from '../values';
import { asName, givenNode, notAPair, optionAt } from './common';
import type { LibraryEntry, Match } from './entry';
import { readOperands } from './requests';
import { sigmoidPair } from './sigmoidPairs';

const reductions: Record<string, LibraryReduction> = { none: 'none', mean: 'mean', sum: 'sum' };

/** The smallest positive float32 whose logarithm torch's clamp at −100 leaves as it is. */
const clampFree = Math.exp(-100);

function apply(logits: boolean, entry: () => LibraryEntry) {
  return (ev: Evaluation, call: CallNode, _options: OptionValues, match: Match): Value => {
    const inputNode = givenNode(call, { position: 0 });
    const targetNode = givenNode(call, { position: 1, keyword: 'Y' });
    const ops = readOperands(ev, inputNode, targetNode);
    if (!ops.ok) return notAPair(ev, match, ops.missing);
    const name = asName(optionAt(ev, call, { position: 2, keyword: 'reduction' }), (p) => p);
    const reduction = name === undefined ? 'mean' : name === null ? undefined : reductions[name];
    let unverified: string | null = null;
    if (reduction === undefined) unverified = 'the `reduction` of this call is not known here';
    if (logits && givenNode(call, { position: 3, keyword: 'pos_weight' }))
      unverified ??= 'a pos_weight of tinygrad’s binary_crossentropy_logits is not modelled';
    const p = ops.input.array.data;
    if (!logits && p?.some((v) => !(v > clampFree && 1 - v > clampFree)))
      unverified ??=
        'a probability at 0 or 1 (or outside them): tinygrad takes its logarithm unclamped (inf or NaN), torch clamps it at −100';
    return sigmoidPair(ev, {
      entry: entry(),
      call,
      ops,
      inputNode,
      library: 'tinygrad',
      // Both rules give torch's numbers: MLX's on probabilities clamps at −100, which the check above makes moot.
      rule: logits ? 'optax_sigmoid' : 'mlx_bce',
      fromLogits: logits,
      labelSmoothing: 0,
      reduction: reduction ?? 'mean',
      perSample: 'element',
      dtype: 'float32',
      weights: { operand: null, scalar: null },
      weightRule: 'same_shape',
      unverified,
      note: `${logits ? '−(Y·logsigmoid(x) + (1 − Y)·logsigmoid(−x)) per element (torch’s BCEWithLogitsLoss in value)' : '−Y·log p − (1 − Y)·log(1 − p) per element, unclamped (torch’s BCELoss in value for p inside (0, 1))'}; reduction '${reduction ?? 'mean'}' (tinygrad’s default is 'mean'); float32`,
    });
  };
}

function entryOf(name: string, logits: boolean): LibraryEntry {
  const id = `tinygrad.Tensor.${name}`;
  const self: LibraryEntry = {
    id,
    paths: [id],
    form: 'function',
    callKind: 'library',
    input: { position: 0 },
    target: { position: 1, keyword: 'Y' },
    options: {},
    batchOfOne: false,
    mapping: {
      library: 'tinygrad',
      reads: 'logits',
      defaultReduction: 'mean',
      classAxis: 'none: one loss per element (a binary cross-entropy)',
      note: logits
        ? "tinygrad's binary_crossentropy_logits is torch's BCEWithLogitsLoss (pos_weight not modelled)"
        : "tinygrad's binary_crossentropy is torch's BCELoss for probabilities strictly inside (0, 1) (tinygrad does not clamp the log)",
    },
    hooks: { apply: apply(logits, () => self) },
  };
  return self;
}

/** The binary loss methods of a tinygrad Tensor, by method name. */
export const tinygradBinaryMethods: Record<string, LibraryEntry> = {
  binary_crossentropy: entryOf('binary_crossentropy', false),
  binary_crossentropy_logits: entryOf('binary_crossentropy_logits', true),
};
