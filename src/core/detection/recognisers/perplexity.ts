/**
 * The functional perplexity of torcheval and torchmetrics (docs/detection.md 3.352, 4.92):
 * `perplexity(input, target, ignore_index=None)` with logits of shape (N, T, V) and token indices of
 * shape (N, T). Both flatten the tokens, take the softmax over the vocabulary, sum −log p of each
 * token's target over the tokens not equal to `ignore_index`, divide by their count and return the
 * exp of that mean (torcheval as float64, torchmetrics in the logits' dtype). The mean is torch's
 * cross-entropy of the flattened logits with that `ignore_index` (reduction='mean'), which is the
 * pair; the call's value is the exp of the pair's loss, so a printed perplexity is judged as
 * `torch.exp(loss)` is (the libraries take the log of the softmax where torch takes log_softmax: the
 * same number to float32 precision while no probability underflows, so a row whose logits spread over
 * more than 80 is left without a number).
 */
import { withArray, type ArrayValue, type Value } from '../values';
import type { CallNode, Evaluation } from '../evaluation';
import { pairValue } from '../pairValue';
import { scalarFunction } from '../scalarValues';
import { materialise } from '../tensorIndex';
import { givenNode, notAPair, optionAt } from './common';
import type { LibraryEntry, Match } from './entry';
import { readOperands, unmodelledReason } from './requests';

type Library = 'torcheval' | 'torchmetrics';

function spread(x: ArrayValue): boolean {
  const d = x.data;
  const v = x.shape[x.shape.length - 1];
  if (!d || !v) return false;
  for (let r = 0; r < d.length; r += v) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = r; k < r + v; k++) {
      lo = Math.min(lo, d[k]);
      hi = Math.max(hi, d[k]);
    }
    if (hi - lo > 80) return true;
  }
  return false;
}

function entry(library: Library, paths: string[]): LibraryEntry {
  const apply = (ev: Evaluation, call: CallNode, _options: unknown, match: Match): Value => {
    const inputNode = givenNode(call, self.input);
    const targetNode = givenNode(call, self.target);
    const ops = readOperands(ev, inputNode, targetNode);
    if (!ops.ok) return notAPair(ev, match, ops.missing);
    const input = materialise(ops.input.array);
    const target = materialise(ops.target.array);
    const ignoreValue = optionAt(ev, call, { position: 2, keyword: 'ignore_index' });
    const ignore =
      ignoreValue === undefined || ignoreValue === null
        ? null
        : ignoreValue.kind === 'number' && Number.isInteger(ignoreValue.value)
          ? ignoreValue.value
          : undefined;
    let unverified = unmodelledReason(ev, ops) ?? undefined;
    const [n, t, v] = input.shape;
    if (input.shape.length !== 3 || target.shape.length !== 2 || target.shape[0] !== n || target.shape[1] !== t)
      unverified ??= 'the perplexity takes logits (N, T, V) and targets (N, T)';
    else if (ignore === undefined) unverified ??= 'the `ignore_index` of this call is not known here';
    else if (ignore === null && target.data?.some((x) => x < 0))
      unverified ??= 'a negative token without ignore_index: the library raises';
    else if (spread(input))
      unverified ??= 'a softmax probability may underflow: the library takes the log of the softmax';
    const flat = unverified === undefined;
    const x = flat ? withArray(input, { shape: [n * t, v], name: input.name }) : input;
    const y = flat ? withArray(target, { shape: [n * t], name: target.name }) : target;
    // Without ignore_index no token is skipped: torch's -100 is outside every vocabulary's indices.
    const options = { reduction: 'mean' as const, ignoreIndex: ignore ?? -100 };
    const loss = pairValue(ev, self, call, options, x, y, inputNode, unverified);
    return loss.kind === 'loss' && unverified === undefined ? scalarFunction('exp', loss) : loss;
  };
  const self: LibraryEntry = {
    id: `${library}.perplexity`,
    paths,
    form: 'function',
    callKind: 'cross_entropy',
    input: { position: 0, keyword: library === 'torcheval' ? 'input' : 'preds' },
    target: { position: 1, keyword: 'target' },
    options: {},
    batchOfOne: false,
    mapping: {
      library,
      reads: 'logits',
      defaultReduction: 'mean',
      classAxis: 'the last axis of (N, T, V) logits, flattened to (N·T, V)',
      note: `${library}'s perplexity is the exp of torch's mean cross-entropy over the tokens not equal to ignore_index; the pair is that mean, the call's value its exp`,
    },
    hooks: { apply },
  };
  return self;
}

export const perplexityEntries: LibraryEntry[] = [
  entry('torcheval', [
    'torcheval.metrics.functional.perplexity',
    'torcheval.metrics.functional.text.perplexity',
    'torcheval.metrics.functional.text.perplexity.perplexity',
  ]),
  entry('torchmetrics', [
    'torchmetrics.functional.text.perplexity',
    'torchmetrics.functional.text.perplexity.perplexity',
    'torchmetrics.functional.perplexity',
  ]),
];
