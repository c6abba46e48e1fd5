/**
 * The catalogue of loss recognisers: one entry per library call or formula that computes a
 * cross-entropy, with where its arguments are and what it means in torch's terms (what the input
 * is read as, the default reduction, the class axis, and any rule torch does not have). Adding a
 * spelling is adding an entry here (and a fixture); recognise.ts applies the entries.
 */
import type { LibraryName } from '../libraries/types';
import type { ArgumentSlot } from './evaluation';
import { libraryEntries } from './recognisers/libraries';
import { oneflowEntries } from './recognisers/oneflow';
import { perplexityEntries } from './recognisers/perplexity';
import type { LibraryHooks } from './recognisers/entry';
import { libraryPath } from './recognisers/paths';
import { unboundAliasPaths } from './recognisers/unboundAlias';
import type { LossCallKind } from './types';

/** What a loss computes, said in torch's terms. */
export interface TorchMapping {
  /** The library whose rule this is. */
  library: 'torch' | 'numpy' | 'user code' | 'hand-written' | LibraryName;
  /** The input is read as logits (log_softmax is applied) or as log-probabilities (used as is). */
  reads: 'logits' | 'log_probs';
  /** The reduction when the call gives none. */
  defaultReduction: 'mean' | 'sum' | 'none';
  /** Where the classes are. */
  classAxis: string;
  /** What differs from torch's own call, in words (shown with the loss), if anything. */
  note?: string;
}

/** Where a loss call's options are, by position and keyword. */
export interface OptionSlots {
  weight?: ArgumentSlot;
  ignoreIndex?: ArgumentSlot;
  reduction?: ArgumentSlot;
  /** The library's reduction constants (canonical paths) and the torch reduction each one is. */
  reductionNames?: Record<string, 'mean' | 'sum' | 'none'>;
  labelSmoothing?: ArgumentSlot;
  /** torch's deprecated `size_average` / `reduce` flags, which override `reduction` when given. */
  legacy?: { sizeAverage: ArgumentSlot; reduce: ArgumentSlot };
}

export interface LossRecogniser {
  /** Stable id, reported on each pair (`recogniser`). */
  id: string;
  /** What the code calls, as canonical paths (`np.` is `numpy.`, aliases resolved). */
  paths: string[];
  /** A module is built first (`nn.CrossEntropyLoss(...)`) and called later; a function computes at once. */
  form: 'module' | 'function';
  callKind: LossCallKind;
  input: ArgumentSlot;
  target: ArgumentSlot;
  /** Options read where the loss is computed (functions) or where the module is built (modules). */
  options: OptionSlots;
  /** A (C) input with a one-element target is read as a batch of one (libraries other than torch do). */
  batchOfOne: boolean;
  /** Arguments whose meaning is not modelled: when the code passes one, the pair is unverified. */
  unmodelled?: (ArgumentSlot & { name: string })[];
  mapping: TorchMapping;
  /** Another library's entry reads its own arguments and options (recognisers/). */
  hooks?: LibraryHooks;
  /** A module's constructor keywords: any other keyword makes the constructor raise TypeError. */
  keywords?: readonly string[];
}

const torchClassAxis = 'dim 1 (dim 0 for a (C) input)';
const input: ArgumentSlot = { position: 0, keyword: 'input' };
const target: ArgumentSlot = { position: 1, keyword: 'target' };
// `nn.CrossEntropyLoss(weight, size_average, ignore_index, reduce, reduction)`; the functions take
// (input, target, weight, size_average, ignore_index, reduce, reduction).
const moduleLegacy = {
  sizeAverage: { position: 1, keyword: 'size_average' },
  reduce: { position: 3, keyword: 'reduce' },
};
const functionLegacy = {
  sizeAverage: { position: 3, keyword: 'size_average' },
  reduce: { position: 5, keyword: 'reduce' },
};

export const catalogue: LossRecogniser[] = [
  {
    id: 'torch.nn.CrossEntropyLoss',
    paths: ['torch.nn.CrossEntropyLoss'],
    form: 'module',
    callKind: 'CrossEntropyLoss',
    input,
    target,
    options: {
      weight: { position: 0, keyword: 'weight' },
      ignoreIndex: { position: -1, keyword: 'ignore_index' },
      reduction: { position: -1, keyword: 'reduction' },
      labelSmoothing: { position: -1, keyword: 'label_smoothing' },
      legacy: moduleLegacy,
    },
    batchOfOne: false,
    mapping: { library: 'torch', reads: 'logits', defaultReduction: 'mean', classAxis: torchClassAxis },
    keywords: ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction', 'label_smoothing'],
  },
  {
    id: 'torch.nn.NLLLoss',
    paths: ['torch.nn.NLLLoss'],
    form: 'module',
    callKind: 'NLLLoss',
    input,
    target,
    options: {
      weight: { position: 0, keyword: 'weight' },
      ignoreIndex: { position: -1, keyword: 'ignore_index' },
      reduction: { position: -1, keyword: 'reduction' },
      legacy: moduleLegacy,
    },
    batchOfOne: false,
    mapping: { library: 'torch', reads: 'log_probs', defaultReduction: 'mean', classAxis: torchClassAxis },
    keywords: ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction'],
  },
  {
    id: 'torch.nn.functional.cross_entropy',
    paths: ['torch.nn.functional.cross_entropy'],
    form: 'function',
    callKind: 'cross_entropy',
    input,
    target,
    options: {
      weight: { position: 2, keyword: 'weight' },
      ignoreIndex: { position: 4, keyword: 'ignore_index' },
      reduction: { position: 6, keyword: 'reduction' },
      labelSmoothing: { position: 7, keyword: 'label_smoothing' },
      legacy: functionLegacy,
    },
    batchOfOne: false,
    mapping: { library: 'torch', reads: 'logits', defaultReduction: 'mean', classAxis: torchClassAxis },
  },
  {
    id: 'torch.nn.functional.nll_loss',
    paths: ['torch.nn.functional.nll_loss'],
    form: 'function',
    callKind: 'nll_loss',
    input,
    target,
    options: {
      weight: { position: 2, keyword: 'weight' },
      ignoreIndex: { position: 4, keyword: 'ignore_index' },
      reduction: { position: 6, keyword: 'reduction' },
      legacy: functionLegacy,
    },
    batchOfOne: false,
    mapping: { library: 'torch', reads: 'log_probs', defaultReduction: 'mean', classAxis: torchClassAxis },
  },
  {
    // A function of the user's own whose name says NLL (the seed article's `NLLLoss(logs, targets)`).
    id: 'user.nll',
    paths: [],
    form: 'function',
    callKind: 'user_function',
    input: { position: 0 },
    target: { position: 1 },
    options: {},
    batchOfOne: true,
    mapping: { library: 'user code', reads: 'log_probs', defaultReduction: 'mean', classAxis: torchClassAxis },
  },
  {
    // A function of the user's own whose name says cross-entropy (`crossEntropy(rows, labels)`, `loss_fn`).
    id: 'user.cross_entropy',
    paths: [],
    form: 'function',
    callKind: 'user_function',
    input: { position: 0 },
    target: { position: 1 },
    options: {},
    batchOfOne: true,
    mapping: { library: 'user code', reads: 'logits', defaultReduction: 'mean', classAxis: torchClassAxis },
  },
  // OneFlow's copies of torch's four: torch's kernel, OneFlow's option order.
  ...oneflowEntries,
  ...perplexityEntries,
  // Keras, tf.nn, tfjs, tfjs-layers, MLX, optax, scikit-learn, oneflow: one file per library.
  ...libraryEntries,
];

const byPath = new Map<string, LossRecogniser>();
const byId = new Map<string, LossRecogniser>();
for (const entry of catalogue) {
  byId.set(entry.id, entry);
  for (const path of entry.paths) byPath.set(path, entry);
}

/** The entry for a canonical callee path, if the catalogue has one. */
export function recogniserForPath(path: string): LossRecogniser | undefined {
  return byPath.get(path) ?? byPath.get(libraryPath(path));
}

/** The entry with this id, if the catalogue has one. */
export function findRecogniser(id: string): LossRecogniser | undefined {
  return byId.get(id);
}

export function recogniserById(id: string): LossRecogniser {
  const entry = byId.get(id);
  if (!entry) throw new Error(`no loss recogniser ${id}`);
  return entry;
}

/**
 * The entry of an unbound `nn.` / `F.` call (taken as torch's) that torch has none of, in a document
 * naming exactly one library that has it (recognisers/unboundAlias.ts); undefined otherwise.
 */
export function unboundAliasEntry(
  ev: { ctx: { document: string; text: string } },
  path: string,
  assumed: string | undefined,
): LossRecogniser | undefined {
  if (assumed === undefined || !path.startsWith('torch.')) return undefined;
  const found = unboundAliasPaths(path, ev.ctx.document || ev.ctx.text)
    .map((p) => recogniserForPath(p))
    .filter((e): e is LossRecogniser => e !== undefined);
  return found.length === 1 ? found[0] : undefined;
}
