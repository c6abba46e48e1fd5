/**
 * torch's binary cross-entropies: `nn.BCELoss(weight=None, size_average=None, reduce=None,
 * reduction='mean')` and `F.binary_cross_entropy(input, target, weight=None, size_average=None,
 * reduce=None, reduction='mean')` on probabilities; `nn.BCEWithLogitsLoss(weight=None,
 * size_average=None, reduce=None, reduction='mean', pos_weight=None)` and
 * `F.binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
 * reduction='mean', pos_weight=None)` on logits. One loss per element (no class axis), computed
 * by torch's own rule in src/core/libraries/binary.ts. Only tensors of one float dtype with
 * targets in [0, 1] get a number; the deprecated `size_average` / `reduce`, and anything not
 * written in the source, make the pair unverified. `nn.MultiLabelSoftMarginLoss(weight=None,
 * size_average=None, reduce=None, reduction='mean')` and `F.multilabel_soft_margin_loss(input, target,
 * …)` take logits too and average each row's element losses over its last axis (docs/detection.md 3.340):
 * an integer target is promoted (the product), a target of another shape is not modelled.
 */
import type { LibraryLossRequest, LibraryReduction } from '../../libraries/types';
import type { DType } from '../../types';
import type { CallNode, Evaluation } from '../evaluation';
import type { OptionValues, Value } from '../values';
import {
  asName,
  givenNode,
  libraryPair,
  nd,
  notAPair,
  operandOf,
  optionAt,
  valuesOf,
  type LibraryPairArgs,
} from './common';
import type { LibraryEntry, Match } from './entry';
import { explicitDtype, readOperands, unmodelledReason } from './requests';

type Kind = 'probabilities' | 'logits' | 'multilabel';

const reductions: Record<string, 'none' | 'mean' | 'sum'> = { none: 'none', mean: 'mean', sum: 'sum' };

const notes: Record<Kind, string> = {
  probabilities:
    "torch's binary cross-entropy per element, −(y·log p + (1 − y)·log(1 − p)) with each log clamped at −100, then weight, then the reduction (mean by default)",
  logits:
    "torch's binary cross-entropy on logits per element, (1 − y)·x + log(1 + e^−x) computed with a max shift (pos_weight scales the positive term), then weight, then the reduction (mean by default)",
  multilabel:
    "torch's MultiLabelSoftMarginLoss: −(y·logσ(x) + (1 − y)·logσ(−x)) per element, times weight, averaged over the last (class) axis of each row, then the reduction over the rows (mean by default)",
};

/**
 * Whether torch's versions disagree on this BCELoss: torch 1.13 takes `log(1 − p)` with 1 − p rounded
 * to the dtype first, later versions `log1p(−p)`. For p near 1 (a sigmoid of a large logit) the two
 * sums differ beyond float noise (more than 1e-6 relative), and neither number is safe to print.
 */
function versionSensitive(p: Float64Array, y: Float64Array, dtype: DType): boolean {
  const r = dtype === 'float32' ? Math.fround : (v: number) => v;
  let rounded = 0;
  let exact = 0;
  for (let i = 0; i < p.length; i++) {
    const t = y.length === p.length ? y[i] : y[0];
    if (t === 1) continue;
    const q = r(p[i]);
    rounded += (1 - t) * Math.max(r(Math.log(r(1 - q))), -100);
    exact += (1 - t) * Math.max(r(Math.log1p(-q)), -100);
  }
  return Math.abs(rounded - exact) > 1e-6 * Math.max(Math.abs(exact), 1e-30);
}

/**
 * The libraries with torch's binary cross-entropies: torch, and the copies that compute torch's per-element rule
 * under their own signatures (no deprecated arguments): PaddlePaddle (`paddle.nn.BCELoss(weight=None,
 * reduction='mean')`, `BCEWithLogitsLoss(weight, reduction, pos_weight)`, `F.binary_cross_entropy(input, label, …)`,
 * `F.binary_cross_entropy_with_logits(logit, label, …)`), OneFlow and MindSpore (docs/detection.md 3.361, 4.95:
 * their option orders differ, and MindSpore's `nn.BCELoss` reduces nothing by default). A copy other than paddle's
 * gets a number on probabilities only where every p lies in [1e-4, 1 − 1e-4] (`guarded`): how it guards the
 * logarithm near 0 and 1 (torch clamps at −100, MindSpore adds an ε) is not modelled.
 */
interface Family {
  library: 'torch' | 'paddle' | 'oneflow' | 'mindspore' | 'megengine';
  /** Option positions after the operands (a module has no operands before them). */
  positions: Record<string, number>;
  input: string;
  logitsInput: string;
  target: string;
  /** The reduction when the call states none (torch's and most copies': mean). */
  defaultReduction?: 'mean' | 'none';
  /** Probabilities near 0 or 1 are not modelled (the library's guard of the logarithm is not torch's). */
  guarded?: boolean;
}

const torchFamily: Family = {
  library: 'torch',
  positions: { weight: 0, size_average: 1, reduce: 2, reduction: 3, pos_weight: 4 },
  input: 'input',
  logitsInput: 'input',
  target: 'target',
};

/** torch's MultiLabelSoftMarginLoss(weight, size_average, reduce, reduction): BCELoss's options without pos_weight. */
const multilabelFamily: Family = { ...torchFamily, positions: { weight: 0, size_average: 1, reduce: 2, reduction: 3 } };

const copyNames: Record<Family['library'], string> = {
  torch: 'torch',
  paddle: 'PaddlePaddle',
  oneflow: 'OneFlow',
  mindspore: 'MindSpore',
  megengine: 'MegEngine',
};

const sameShape = (a: number[], b: number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

const paddleFamily: Family = {
  library: 'paddle',
  positions: { weight: 0, reduction: 1, pos_weight: 2 },
  input: 'input',
  logitsInput: 'logit',
  target: 'label',
};

/** OneFlow: `nn.BCELoss(weight, reduction)`, `nn.BCEWithLogitsLoss(weight, reduction, pos_weight)`, its functions the same after the operands. */
const oneflowFamily: Family = {
  library: 'oneflow',
  positions: { weight: 0, reduction: 1, pos_weight: 2 },
  input: 'input',
  logitsInput: 'input',
  target: 'target',
  guarded: true,
};

const mindspore = (
  positions: Record<string, number>,
  input: string,
  target: string,
  defaultReduction?: 'none',
): Family => ({
  library: 'mindspore',
  positions,
  input,
  logitsInput: input,
  target,
  guarded: true,
  ...(defaultReduction ? { defaultReduction } : {}),
});

/** MindSpore's signatures, one per spelling (the option orders differ between nn, mint and ops). */
const msFamilies = {
  nnBce: mindspore({ weight: 0, reduction: 1 }, 'logits', 'labels', 'none'),
  nnLogits: mindspore({ reduction: 0, weight: 1, pos_weight: 2 }, 'logits', 'labels'),
  mint: mindspore({ weight: 0, reduction: 1, pos_weight: 2 }, 'input', 'target'),
  opsBce: mindspore({ weight: 0, reduction: 1 }, 'input', 'target'),
  opsLogits: mindspore({ weight: 0, pos_weight: 1, reduction: 2 }, 'input', 'target'),
};

/** The options a call or a constructor states: weight, reduction, pos_weight, and the deprecated ones. */
function readBinaryOptions(
  ev: Evaluation,
  call: CallNode,
  kind: Kind,
  functional: boolean,
  family: Family,
): OptionValues {
  const shift = functional ? 2 : 0;
  const extra: Record<string, Value | null> = {};
  for (const [name, position] of Object.entries(family.positions)) {
    if (name === 'pos_weight' && kind !== 'logits') continue;
    const v = optionAt(ev, call, { position: position + shift, keyword: name });
    if (v !== undefined) extra[name] = v;
  }
  return { extra };
}

function apply(kind: Kind, functional: boolean, family: Family, entry: () => LibraryEntry, forced?: string) {
  return (ev: Evaluation, call: CallNode, moduleOptions: OptionValues, match: Match): Value => {
    const inputKeyword = functional && kind === 'logits' ? family.logitsInput : family.input;
    const inputNode = givenNode(call, { position: 0, keyword: inputKeyword });
    const targetNode = givenNode(call, { position: 1, keyword: family.target });
    const ops = readOperands(ev, inputNode, targetNode);
    if (!ops.ok) return notAPair(ev, match, ops.missing);
    const options = functional ? readBinaryOptions(ev, call, kind, true, family) : moduleOptions;
    const extra = options.extra ?? {};
    const input = ops.input.array;
    const target = ops.target.array;
    const dtype: DType = input.dtype ?? 'float32';
    let unverified = forced ?? unmodelledReason(ev, ops);
    if (extra.size_average != null || extra.reduce != null)
      unverified ??= 'the deprecated size_average / reduce arguments are not modelled';
    const reductionName =
      extra.reduction === undefined ? (family.defaultReduction ?? 'mean') : asName(extra.reduction, (p) => p);
    const reduction = reductionName ? reductions[reductionName] : undefined;
    if (!reduction) unverified ??= 'the reduction is not one torch has, or not known here';
    const tensorOf = (v: Value | null | undefined, what: string): Float64Array | null | undefined => {
      if (v === undefined || v === null) return undefined;
      const a = operandOf(v);
      if (!a?.array.data || a.why !== null) {
        unverified ??= `the ${what} is not an array written in this source`;
        return null;
      }
      return a.array.data;
    };
    const weightData = tensorOf(extra.weight, 'weight');
    const posWeightData = tensorOf(extra.pos_weight, 'pos_weight');
    if (input.container !== 'tensor' || target.container !== 'tensor')
      unverified ??= "torch's binary cross-entropy takes tensors (a list or an ndarray has no .size())";
    // MultiLabelSoftMarginLoss multiplies the target in (an integer target is promoted; 0 and 1 stay exact).
    const promoted = kind === 'multilabel' && target.integerTensor === true;
    if (input.integerTensor || (!promoted && (target.integerTensor || (target.dtype ?? 'float32') !== dtype)))
      unverified ??= 'input and target are not tensors of one float dtype (torch raises)';
    if (kind === 'multilabel' && !sameShape(input.shape, target.shape))
      unverified ??= "the target's shape is not the input's: how torch broadcasts it here is not modelled";
    const x = valuesOf(input, dtype);
    const y = target.data;
    // On logits torch's formula is linear in y and takes any target (a label 2 or 5 as published);
    // BCELoss on probabilities is only modelled for targets in [0, 1].
    if (family.guarded && kind === 'probabilities' && x?.some((v) => !(v >= 1e-4 && v <= 1 - 1e-4)))
      unverified ??= `a probability within 1e-4 of 0 or 1: how ${family.library} guards the logarithm there is not modelled`;
    if (kind === 'probabilities' && y && y.some((v) => !(v >= 0 && v <= 1)))
      unverified ??= 'a target outside [0, 1] is not modelled';
    if (y && y.some((v) => !Number.isFinite(v))) unverified ??= 'a target that is not a finite number is not modelled';
    const base: Omit<LibraryPairArgs, 'request'> = {
      entry: entry(),
      call,
      input,
      target,
      inputNode,
      reduction: reduction ?? 'mean',
      labelSmoothing: 0,
      dtype,
      dtypeExplicit: explicitDtype(input),
    };
    if (kind === 'probabilities' && x && y && versionSensitive(x, y, dtype))
      unverified ??=
        'p is so close to 1 that torch 1.13 (log of 1 − p, rounded first) and later versions (log1p(−p)) give different numbers';
    if (unverified !== null) return libraryPair(ev, { ...base, request: null, unverified });
    if (!x || !y) return libraryPair(ev, { ...base, request: null, unverified: 'the literal cannot be read' });
    const shapeOf = (v: Value | null | undefined): number[] => (v && operandOf(v)?.array.shape) || [];
    const request: LibraryLossRequest = {
      library: family.library,
      rule:
        kind === 'logits' ? 'torch_bce_logits' : kind === 'multilabel' ? 'torch_multilabel_soft_margin' : 'torch_bce',
      input: nd(x, input.shape.slice()),
      target: nd(y, target.shape.slice()),
      targetKind: 'probabilities',
      fromLogits: kind !== 'probabilities',
      epsilon: 0,
      labelSmoothing: 0,
      smoothing: 'mix_targets',
      weights: weightData ? nd(weightData, shapeOf(extra.weight)) : null,
      posWeight: posWeightData ? nd(posWeightData, shapeOf(extra.pos_weight)) : null,
      weightRule: 'broadcast',
      reduction: reduction as LibraryReduction,
      dtype,
    };
    return libraryPair(ev, { ...base, request });
  };
}

function binaryEntry(id: string, kind: Kind, functional: boolean, family: Family = torchFamily): LibraryEntry {
  const self: LibraryEntry = {
    id,
    paths: [id],
    form: functional ? 'function' : 'module',
    callKind: 'library',
    input: { position: 0, keyword: functional && kind === 'logits' ? family.logitsInput : family.input },
    target: { position: 1, keyword: family.target },
    options: {},
    batchOfOne: false,
    mapping: {
      library: family.library,
      reads: kind === 'probabilities' ? 'log_probs' : 'logits',
      defaultReduction: family.defaultReduction ?? 'mean',
      classAxis:
        kind === 'multilabel'
          ? 'last: each row’s mean over its classes is one loss (input and target of the same shape)'
          : 'none: one loss per element (input and target of the same shape)',
      note:
        family.library === 'torch'
          ? notes[kind]
          : `${copyNames[family.library]} computes it as torch does: ${notes[kind]}`,
    },
    hooks: {
      apply: apply(kind, functional, family, () => self),
      ...(functional
        ? {}
        : { moduleOptions: (ev: Evaluation, call: CallNode) => readBinaryOptions(ev, call, kind, false, family) }),
    },
  };
  return self;
}

/** MegEngine: `F.nn.binary_cross_entropy(pred, label, with_logits=True, reduction='mean')`, no weight. */
const megengineFamily: Family = {
  library: 'megengine',
  positions: { reduction: 1 },
  input: 'pred',
  logitsInput: 'pred',
  target: 'label',
  guarded: true,
};

/**
 * MegEngine's `binary_cross_entropy` reads `pred` as LOGITS unless `with_logits=False` (docs/detection.md 3.360,
 * 4.94): its source is `-(label·logsigmoid(pred) + (1 − label)·logsigmoid(−pred)).mean()`, torch's
 * `binary_cross_entropy_with_logits`, never torch's `binary_cross_entropy` on the same numbers. `with_logits=False`
 * takes probabilities, unclamped (a number only inside [1e-4, 1 − 1e-4]); a `with_logits` not written as True or
 * False keeps the pair without a number.
 */
function megengineEntry(): LibraryEntry {
  const self = binaryEntry('megengine.functional.nn.binary_cross_entropy', 'logits', true, megengineFamily);
  const onLogits = apply('logits', true, megengineFamily, () => self);
  const onProbabilities = apply('probabilities', true, megengineFamily, () => self);
  const unknownFlag = apply(
    'logits',
    true,
    megengineFamily,
    () => self,
    'with_logits is not written as True or False here',
  );
  self.hooks = {
    apply: (ev, call, options, match) => {
      const flag = optionAt(ev, call, { position: 2, keyword: 'with_logits' });
      if (flag === undefined || (flag?.kind === 'number' && flag.value === 1))
        return onLogits(ev, call, options, match);
      if (flag?.kind === 'number' && flag.value === 0) return onProbabilities(ev, call, options, match);
      return unknownFlag(ev, call, options, match);
    },
  };
  return self;
}

export const torchBinaryEntries: LibraryEntry[] = [
  binaryEntry('torch.nn.BCELoss', 'probabilities', false),
  binaryEntry('torch.nn.functional.binary_cross_entropy', 'probabilities', true),
  binaryEntry('torch.nn.BCEWithLogitsLoss', 'logits', false),
  binaryEntry('torch.nn.functional.binary_cross_entropy_with_logits', 'logits', true),
  binaryEntry('torch.nn.MultiLabelSoftMarginLoss', 'multilabel', false, multilabelFamily),
  binaryEntry('torch.nn.functional.multilabel_soft_margin_loss', 'multilabel', true, multilabelFamily),
  binaryEntry('paddle.nn.BCELoss', 'probabilities', false, paddleFamily),
  binaryEntry('paddle.nn.functional.binary_cross_entropy', 'probabilities', true, paddleFamily),
  binaryEntry('paddle.nn.BCEWithLogitsLoss', 'logits', false, paddleFamily),
  binaryEntry('paddle.nn.functional.binary_cross_entropy_with_logits', 'logits', true, paddleFamily),
  binaryEntry('oneflow.nn.BCELoss', 'probabilities', false, oneflowFamily),
  binaryEntry('oneflow.nn.functional.binary_cross_entropy', 'probabilities', true, oneflowFamily),
  binaryEntry('oneflow.nn.BCEWithLogitsLoss', 'logits', false, oneflowFamily),
  binaryEntry('oneflow.nn.functional.binary_cross_entropy_with_logits', 'logits', true, oneflowFamily),
  binaryEntry('mindspore.nn.BCELoss', 'probabilities', false, msFamilies.nnBce),
  binaryEntry('mindspore.nn.BCEWithLogitsLoss', 'logits', false, msFamilies.nnLogits),
  binaryEntry('mindspore.mint.nn.BCELoss', 'probabilities', false, msFamilies.mint),
  binaryEntry('mindspore.mint.nn.BCEWithLogitsLoss', 'logits', false, msFamilies.mint),
  binaryEntry('mindspore.mint.nn.functional.binary_cross_entropy', 'probabilities', true, msFamilies.mint),
  binaryEntry('mindspore.mint.nn.functional.binary_cross_entropy_with_logits', 'logits', true, msFamilies.mint),
  binaryEntry('mindspore.ops.binary_cross_entropy', 'probabilities', true, msFamilies.opsBce),
  binaryEntry('mindspore.ops.binary_cross_entropy_with_logits', 'logits', true, msFamilies.opsLogits),
  megengineEntry(),
];
