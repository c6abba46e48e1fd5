/**
 * What the surfaces (hover, CodeLens, panel, copy commands) say about where a pair's number comes
 * from: torch's own loss, a hand-written formula (torch, numpy, plain Python or TensorFlow ops), or another library's
 * call, computed by that library's rule (src/core/libraries) or, for a library whose losses copy
 * torch's (PaddlePaddle), by torch's kernel. Every library call is named as the library spells it,
 * with torch's call that gives the same number when there is one. Pure data, no wording in any
 * language: the call as the library spells it is code, and the sentences that explain it are
 * written by the surfaces (localised there).
 *
 * "Copy as PyTorch" writes `nn.CrossEntropyLoss` / `nn.NLLLoss` on the values the library
 * receives. It is offered for another library's pair only when that call gives the library's own
 * number (`torchExact`: a log-softmax rule without weights; `torchKernel`: a copy of torch's loss);
 * for probabilities that the library clips and renormalises, weights torch has no argument for, or
 * a binary cross-entropy, it is not.
 */
import type {
  FormulaGuard,
  FormulaLibrary,
  LibraryLossRequest,
  LibraryReduction,
  PerExampleRule,
  SmoothingRule,
} from './libraries/types';
import { libraryDisplayName } from './libraries/names';

/** The options of another library's call, as its rule read them (carried by the pair's analysis). */
export interface LibraryCallOptions {
  rule: PerExampleRule;
  fromLogits: boolean;
  labelSmoothing: number;
  smoothing: SmoothingRule;
  reduction: LibraryReduction;
  /** Sample weights multiply the per-example losses. */
  weighted: boolean;
  /** The clipping ε of the probability rules. */
  epsilon: number;
  targetKind: 'indices' | 'probabilities';
  /** torch's CrossEntropyLoss / NLLLoss on the values the library receives gives the same number. */
  torchExact: boolean;
  /** The weights' values (up to {@link maxShownWeights}; null when there are none or more). */
  weights?: number[] | null;
  /** torch's BCEWithLogitsLoss `pos_weight` values (same limit). */
  posWeight?: number[] | null;
}

/** How many weight values a pair's options carry for display. */
export const maxShownWeights = 32;

const shown = (a: { data: Float64Array } | null | undefined): number[] | null =>
  a && a.data.length <= maxShownWeights ? Array.from(a.data) : null;

/** The call options of a library request, for the analysis to carry. */
export function libraryCallOptions(req: LibraryLossRequest, torchExact: boolean): LibraryCallOptions {
  return {
    rule: req.rule,
    fromLogits: req.fromLogits,
    labelSmoothing: req.labelSmoothing,
    smoothing: req.smoothing,
    reduction: req.reduction,
    weighted: req.weights !== null,
    epsilon: req.epsilon,
    targetKind: req.targetKind,
    torchExact,
    weights: shown(req.weights),
    posWeight: shown(req.posWeight),
  };
}

/** The binary (sigmoid) rules: one loss per element, no class axis. */
const binaryRules: ReadonlySet<PerExampleRule> = new Set([
  'torch_bce',
  'torch_bce_logits',
  'sigmoid_logits',
  'keras_bce',
  'tfjs_layers_bce',
  'mlx_bce',
  'optax_sigmoid',
  'tfjs_log_loss',
]);

/** Is this pair a binary cross-entropy (a library's sigmoid loss, or the hand-written binary log loss)? */
export function isBinaryPair(p: OriginFields): boolean {
  return p.libraryCall ? binaryRules.has(p.libraryCall.rule) : handBinary.has(p.recogniser ?? '');
}

/** The hand-written binary forms: the log loss, and the log-likelihood a function returns without its minus sign. */
const handBinary = new Set(['formula.binary_log_loss', 'formula.binary_log_likelihood']);

/** What the pair's input holds, as its loss reads it. */
export type InputRole = 'logits' | 'probabilities' | 'log_probs';

/** The input's role: another library's rule says it (probabilities unless from_logits, …); else torch's reading. */
export function inputRole(p: OriginFields & { options: { inputKind: 'logits' | 'log_probs' } }): InputRole {
  const o = p.libraryCall;
  if (!o) return handBinary.has(p.recogniser ?? '') ? 'probabilities' : p.options.inputKind;
  switch (o.rule) {
    case 'nll':
      return 'log_probs';
    case 'softmax':
    case 'torch_bce_logits':
    case 'torch_multilabel_soft_margin':
    case 'sigmoid_logits':
    case 'optax_sigmoid':
      return 'logits';
    case 'keras_probabilities':
    case 'keras_bce':
    case 'mlx_bce':
    case 'tfjs_layers':
    case 'tfjs_layers_sparse':
      return o.fromLogits ? 'logits' : 'probabilities';
    default:
      return 'probabilities';
  }
}

/** torch's options of a pair, as its analysis carries them (the code's own). */
export interface TorchOptionsView {
  weight: number[] | null;
  ignoreIndex: number;
  reduction: 'mean' | 'sum' | 'none';
  labelSmoothing: number;
  inputKind: 'logits' | 'log_probs';
}

/** What of a pair's analysis this module reads (structural, so that it needs no detection import). */
export interface OriginFields {
  /** The library of the call, when it is not torch's own (`keras`, `sklearn`, `paddle`, …). */
  library?: string | undefined;
  /** The catalogue entry (`keras.losses.SparseCategoricalCrossentropy`, `formula.nll_of_probs`). */
  recogniser?: string | undefined;
  libraryCall?: LibraryCallOptions | undefined;
  /** The library's call is computed by torch's kernel with {@link options} (PaddlePaddle's copies of torch's losses). */
  torchKernel?: true | undefined;
  options?: TorchOptionsView | undefined;
  formulaLibrary?: FormulaLibrary | undefined;
  /** The ε and clip a hand-written formula applies before its log (its title shows them). */
  formulaGuard?: FormulaGuard | undefined;
  /** The loss call; `callee` as written in the code (`cross_entropy_error`, `utils.crossEntropy`). */
  call?: { kind: string; callee?: string | null | undefined } | null | undefined;
}

/** A number as the formula's title writes it: `1e-9`, `0.9999999`. */
function guardNumber(v: number): string {
  return String(Number(v.toPrecision(6)));
}

/**
 * How a formula's title writes its probabilities and their logs, with the ε and the clip the code
 * applies: `p`, `clip(p, 1e-7, 1 − 1e-7)`; `log p[y]`, `log(p[y] + 1e-9)`, `log(1 − p)`.
 */
interface GuardedWords {
  p: string;
  /** The same for a distribution named q (the bits entropy's model). */
  q: string;
  log(of: string, base?: '₂'): string;
}

function guardedWords(guard: FormulaGuard | undefined): GuardedWords {
  const clip = guard?.clip;
  const bound = (v: number | null) => (v === null ? 'None' : guardNumber(v));
  // `np.clip(p, eps, 1 - eps)` is written with 1 − ε as its upper bound: say so rather than 0.9999999.
  const hi = (c: { lo: number | null; hi: number | null }) =>
    c.lo !== null && c.hi !== null && c.lo > 0 && c.hi === 1 - c.lo ? `1 − ${guardNumber(c.lo)}` : bound(c.hi);
  const prob = (name: string) => (clip ? `clip(${name}, ${bound(clip.lo)}, ${hi(clip)})` : name);
  const eps = guard?.epsilon;
  return {
    p: prob('p'),
    q: prob('q'),
    log: (of, base = undefined) => {
      const log = base ? `log${base}` : 'log';
      if (eps !== undefined) return `${log}(${of} + ${guardNumber(eps)})`;
      return /^[\w.]+(\[y\])?$|^clip\(.*\)(\[y\])?$/.test(of) ? `${log} ${of}` : `${log}(${of})`;
    },
  };
}

/** The words of each hand formula, with its probabilities written as {@link guardedWords} writes them. */
const formulaWordsById: Record<string, (g: GuardedWords) => string> = {
  'formula.nll_of_probs': (g) => `−${g.log(`${g.p}[y]`)}`,
  'formula.mean_nll_of_written_probs': () => '−(log p₁ + … + log p_k) / k',
  'formula.nll_worked_by_hand': () => '−log p, worked by hand (natural log)',
  'formula.binary_logits_loss': () => 'max(x, 0) − x·z + log(1 + e^−|x|)',
  'formula.mean_neg_log_sigmoid': () => '(−log σ(x₁) + … + −log σ(x_k)) / k',
  'formula.neg_log_softmax_pick': () => '−log_softmax(x)[y]',
  'formula.log_softmax_pick': () => '−log_softmax(x)[y]',
  'formula.logsumexp_minus_pick': () => 'logsumexp(x) − x[y]',
  'formula.log_sum_exp_minus_pick': () => 'log Σ exp(x) − x[y]',
  'formula.onehot_sum_log_probs': (g) => `−Σ y·${g.log(g.p)}`,
  'formula.onehot_sum_log_softmax': () => '−Σ y·log_softmax(x)',
  'formula.cross_entropy_bits': (g) => `−Σ y·${g.log(g.q, '₂')} (bits)`,
  'formula.binary_log_loss': (g) => `−(y·${g.log(g.p)} + (1 − y)·${g.log(`1 − ${g.p}`)})`,
  'formula.binary_log_likelihood': (g) => `y·${g.log(g.p)} + (1 − y)·${g.log(`1 − ${g.p}`)}, no minus sign`,
};

const formulaLibraryNames: Record<FormulaLibrary, string> = {
  torch: 'torch',
  numpy: 'numpy',
  python: 'Python',
  tensorflow: 'TensorFlow',
};

/** How a pair's loss is named on the surfaces. */
export type PairIdentity =
  | { family: 'torch' }
  /**
   * A formula written by hand with torch, numpy, plain Python or TensorFlow ops: `numpy formula
   * −log p[y]`, `torch formula −log_softmax(x)[y]`; `name` is the library as people write it
   * (`torch`, `numpy`, `Python`, `TensorFlow`). A formula of torch ops is no torch loss either:
   * torch's CrossEntropyLoss / NLLLoss on the same values is only its comparison. No title here:
   * its word "formula" is the surface's language (`numpy 수식 −log p[y]`), so each surface writes it
   * with sharedText.ts `pairTitle`; `words` is the formula itself (`−log p[y]`), never translated,
   * null for an entry with no words.
   */
  | { family: 'formula'; library: FormulaLibrary; name: string; words: string | null }
  /**
   * Another library's call: `keras.losses.SparseCategoricalCrossentropy(from_logits=True)`, and its
   * short name for an inline value (`SparseCategoricalCrossentropy`), the last part of the entry.
   * `torch` is torch's call that gives the same number, with the pair's options
   * (`CrossEntropyLoss(reduction='sum')`), when there is one; null when only the library's rule does.
   */
  | { family: 'library'; library: string; name: string; title: string; short: string; torch: string | null }
  /**
   * A function of the user's own named as a loss whose body is not recognised (not followed, or not
   * in the source): named as the code calls it (`name` `cross_entropy_error`, `title`
   * `cross_entropy_error(…)`), never as torch's loss, since its name is no proof of what it computes.
   */
  | { family: 'user'; name: string; title: string };

/** The catalogue entries of a user's own function named as a loss (detection's `user.*`). */
const userEntries: ReadonlySet<string> = new Set(['user.cross_entropy', 'user.nll']);

/**
 * A catalogue entry as the library documents it: the entries of TF 1's losses are `tf.v1.…`
 * (`tf.compat.v1.…` in TensorFlow 2), tfjs-layers' functions are `tf.…` in TensorFlow.js.
 */
export function publicCall(entry: string): string {
  if (entry.startsWith('tf.v1.')) return `tf.compat.v1.${entry.slice('tf.v1.'.length)}`;
  if (entry.startsWith('tfjs-layers.')) return `tf.${entry.slice('tfjs-layers.'.length)}`;
  // mlx-node's class is imported by name (`import { Losses } from '@mlx-node/core'`).
  if (entry.startsWith('mlx.Losses.')) return entry.slice('mlx.'.length);
  return entry;
}

/** How many class weights a torch call's text lists before `…`. */
const shownTorchWeights = 6;

/** A number as Python writes it in a call: `0.5`, `2.0`, `1e-07`. */
function pyArg(v: number): string {
  return Number.isInteger(v) ? `${v}.0` : String(Number(v.toPrecision(6)));
}

/** torch's CrossEntropyLoss / NLLLoss with the options that differ from its defaults: `CrossEntropyLoss(weight=[1.0, 2.0], reduction='sum')`. */
export function torchCallText(o: TorchOptionsView): string {
  const args: string[] = [];
  if (o.weight) {
    const w = o.weight.slice(0, shownTorchWeights).map(pyArg);
    if (o.weight.length > shownTorchWeights) w.push('…');
    args.push(`weight=[${w.join(', ')}]`);
  }
  if (o.ignoreIndex !== -100) args.push(`ignore_index=${o.ignoreIndex}`);
  if (o.reduction !== 'mean') args.push(`reduction='${o.reduction}'`);
  if (o.labelSmoothing > 0 && o.inputKind === 'logits') args.push(`label_smoothing=${pyArg(o.labelSmoothing)}`);
  return `${o.inputKind === 'log_probs' ? 'NLLLoss' : 'CrossEntropyLoss'}(${args.join(', ')})`;
}

/** torch's binary losses, which two rules are (torch's own per-element formulas: libraries/binary.ts). */
function torchBinaryText(o: LibraryCallOptions): string | null {
  const multilabel = o.rule === 'torch_multilabel_soft_margin';
  if (o.rule !== 'torch_bce' && o.rule !== 'torch_bce_logits' && !multilabel) return null;
  const args: string[] = [];
  if (o.weighted) args.push('weight=…');
  if (o.reduction === 'sum' || o.reduction === 'none') args.push(`reduction='${o.reduction}'`);
  if (multilabel) return `MultiLabelSoftMarginLoss(${args.join(', ')})`;
  if (o.posWeight)
    args.push(
      `pos_weight=[${o.posWeight.slice(0, shownTorchWeights).map(pyArg).join(', ')}${o.posWeight.length > shownTorchWeights ? ', …' : ''}]`,
    );
  return `${o.rule === 'torch_bce' ? 'BCELoss' : 'BCEWithLogitsLoss'}(${args.join(', ')})`;
}

/** torch's call that gives the pair's number, when one does (see {@link PairIdentity}). */
function torchEquivalent(p: OriginFields): string | null {
  const o = p.libraryCall;
  if (o) {
    if (o.torchExact && p.options) return torchCallText(p.options);
    return torchBinaryText(o);
  }
  return p.torchKernel && p.options ? torchCallText(p.options) : null;
}

/** The call with the options that change its meaning, in the library's own spelling. */
function callTitle(library: string, entry: string, o: LibraryCallOptions | undefined): string {
  if (!o) return entry;
  const args: string[] = [];
  const camel = library === 'tfjs' || library === 'tfjs-layers';
  const py = (v: boolean) => (camel ? String(v) : v ? 'True' : 'False');
  if (o.fromLogits && (library === 'keras' || library === 'tfjs-layers'))
    args.push(`${camel ? 'fromLogits' : 'from_logits'}=${py(true)}`);
  if (o.labelSmoothing > 0) args.push(`${camel ? 'labelSmoothing' : 'label_smoothing'}=${o.labelSmoothing}`);
  if (library === 'mlx' && o.reduction !== 'none') args.push(`reduction='${o.reduction}'`);
  if (library === 'keras' && o.reduction === 'sum') args.push(`reduction='sum'`);
  return args.length ? `${entry}(${args.join(', ')})` : entry;
}

/**
 * An exercise page's loss (detection's problemPages: `page.categorical_probabilities`, …) is no
 * library's call: the surfaces name the call the page writes (`cross_entropy([0,0,1], [0.2,0.1,0.7])`
 * → `cross_entropy(…)`), or, when the example writes none, the page's loss in words; never the
 * catalogue's internal id.
 */
const pageWords: Record<string, { words: string; short: string }> = {
  'page.categorical_probabilities': { words: 'categorical cross-entropy of probabilities', short: 'CE' },
  'page.categorical_logits': { words: 'categorical cross-entropy of logits', short: 'CE' },
  'page.binary_probabilities': { words: 'binary cross-entropy of probabilities', short: 'BCE' },
  'page.binary_logits': { words: 'binary cross-entropy of logits', short: 'BCE' },
};

function pageIdentity(p: OriginFields, page: { words: string; short: string }): PairIdentity {
  const callee = p.call?.callee;
  const written = !!callee && /^[A-Za-z_][\w.]*$/.test(callee);
  return {
    family: 'library',
    library: p.library ?? 'torch',
    name: 'the exercise page',
    title: written ? `${callee}(…)` : `the page’s ${page.words}`,
    short: written ? callee.slice(callee.lastIndexOf('.') + 1) : page.short,
    torch: null,
  };
}

/** Where the pair's number comes from, for titles. */
export function pairIdentity(p: OriginFields): PairIdentity {
  const page = pageWords[p.recogniser ?? ''];
  if (page) return pageIdentity(p, page);
  if (p.library === undefined && userEntries.has(p.recogniser ?? '')) {
    const name = p.call?.callee || 'a function of the code';
    return { family: 'user', name, title: `${name}(…)` };
  }
  if (p.library !== undefined) {
    const entry = p.recogniser && p.recogniser !== 'inferred' ? publicCall(p.recogniser) : p.library;
    return {
      family: 'library',
      library: p.library,
      name: libraryDisplayName(p.library),
      title: callTitle(p.library, entry, p.libraryCall),
      short: entry.slice(entry.lastIndexOf('.') + 1) || entry,
      // torch's own binary losses are torch's call already: no "computed as torch's" for them.
      torch: p.library === 'torch' ? null : torchEquivalent(p),
    };
  }
  if (p.formulaLibrary !== undefined) {
    return {
      family: 'formula',
      library: p.formulaLibrary,
      name: formulaLibraryNames[p.formulaLibrary],
      words: formulaWords(p.recogniser, p.formulaGuard),
    };
  }
  return { family: 'torch' };
}

/**
 * A formula's words as a title writes them, with the ε and the clip the code applies before the
 * log (`−log p[y]`, `−log(p[y] + 1e-9)`, `−Σ y·log clip(p, 1e-7, 1 − 1e-7)`), or null for an entry
 * that is no hand formula.
 */
export function formulaWords(recogniser: string | undefined, guard?: FormulaGuard): string | null {
  const words = formulaWordsById[recogniser ?? ''];
  return words ? words(guardedWords(guard)) : null;
}

/**
 * What "Copy as PyTorch" says of a hand-written formula (numpy, Python, TensorFlow or torch ops):
 * its words, and whether the values the torch loss reads are the logs the formula takes (−log p[y],
 * −Σ y·log p, the binary log loss: log(p + ε) as the formula computes it, not the code's p). Null
 * for anything that is not a hand formula.
 */
export function formulaCopy(p: {
  recogniser?: string | undefined;
  formulaGuard?: FormulaGuard | undefined;
  kernelInputKind?: 'logits' | 'log_probs' | undefined;
  options?: { inputKind: 'logits' | 'log_probs' } | undefined;
}): { words: string; logged: boolean } | null {
  const words = formulaWords(p.recogniser, p.formulaGuard);
  if (words === null) return null;
  return { words, logged: (p.kernelInputKind ?? p.options?.inputKind) === 'log_probs' };
}

/**
 * The kernel reads the pair's values as log-probabilities and its targets are probabilities: torch's
 * NLLLoss takes class indices only, so no torch call computes it (a hand −Σ y·log p with soft labels).
 */
export function nllOfProbabilityTargets(p: {
  targetKind?: 'indices' | 'probabilities' | null;
  kernelInputKind?: 'logits' | 'log_probs' | undefined;
  options?: { inputKind: 'logits' | 'log_probs' } | undefined;
}): boolean {
  return p.targetKind === 'probabilities' && (p.kernelInputKind ?? p.options?.inputKind) === 'log_probs';
}

/** Why "Copy as PyTorch" is not offered for a pair. */
export type NoTorchReason =
  /** The library reads probabilities (and clips or renormalises them); CrossEntropyLoss reads logits. */
  | 'probabilities'
  /** Sample weights, or a weighted reduction, that torch's loss has no argument for. */
  | 'weights'
  /** Another rule torch's call does not reproduce (MLX's smoothing of probability labels, K-dim inputs). */
  | 'other'
  /** A binary cross-entropy (one loss per element): the copy writes torch's CrossEntropyLoss or NLLLoss only. */
  | 'binary'
  /** No number was derived (unverified, or the library refused the operands). */
  | 'no_number'
  /** A formula in bits (log₂): torch's losses are in nats. */
  | 'bits'
  /** A formula that returns the log-likelihood without its minus sign: torch's loss is its negation. */
  | 'negated'
  /** Log-probabilities with probability targets: torch's NLLLoss takes class indices only. */
  | 'nll_probability_targets';

export type TorchExport = { offered: true } | { offered: false; reason: NoTorchReason };

const probabilityRules: ReadonlySet<PerExampleRule> = new Set([
  'keras_probabilities',
  'keras_sparse_tf',
  'tfjs_layers',
  'tfjs_layers_sparse',
  'sklearn',
  'log_probabilities',
]);

/** Whether "Copy as PyTorch" (a CrossEntropyLoss / NLLLoss snippet) gives this pair's number. */
export function torchExport(
  p: OriginFields & {
    error?: unknown;
    unverified?: string | undefined;
    loss: number | null;
    losses: number[] | null;
    targetKind?: 'indices' | 'probabilities' | null;
    kernelInputKind?: 'logits' | 'log_probs' | undefined;
  },
): TorchExport {
  // A cross-entropy in bits is torch's value divided by ln 2: no torch call prints that number.
  if (p.recogniser === 'formula.cross_entropy_bits') return { offered: false, reason: 'bits' };
  // The log-likelihood a function returns without its minus sign: torch's loss is its negation.
  if (p.recogniser === 'formula.binary_log_likelihood') return { offered: false, reason: 'negated' };
  // A user's own function is not torch's loss: no torch call is known to give its number.
  if (p.library === undefined && userEntries.has(p.recogniser ?? '')) return { offered: false, reason: 'no_number' };
  // A formula's −Σ y·log p with soft targets: torch's NLLLoss refuses probability targets.
  if (p.library === undefined && nllOfProbabilityTargets(p))
    return { offered: false, reason: 'nll_probability_targets' };
  // torch's own losses and the formulas are torch calls (the existing behaviour, errors included).
  if (p.library === undefined) return { offered: true };
  if (p.error || p.unverified !== undefined || (p.loss === null && !p.losses))
    return { offered: false, reason: 'no_number' };
  const o = p.libraryCall;
  // A library call torch's kernel computes (PaddlePaddle's): the snippet is that torch call.
  if (!o) return p.torchKernel ? { offered: true } : { offered: false, reason: 'no_number' };
  if (o.torchExact) return { offered: true };
  if (binaryRules.has(o.rule)) return { offered: false, reason: 'binary' };
  // A probability rule on logits is still a probability rule (tfjs-layers sparse clips the raw
  // output, Keras from_logits on probabilities is exact and caught above).
  if (probabilityRules.has(o.rule) && !(o.fromLogits && o.rule === 'keras_probabilities'))
    return { offered: false, reason: 'probabilities' };
  if (o.weighted || o.reduction === 'weighted_mean' || o.reduction === 'tfjs_mean')
    return { offered: false, reason: 'weights' };
  return { offered: false, reason: 'other' };
}
