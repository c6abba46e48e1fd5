/**
 * What detection returns: plain, serialisable data (positions are UTF-16 offsets plus 1-based
 * lines). Contract: notes/detection-contract.md — names are fixed, fields may be added.
 */
import type { LibraryCallOptions } from '../libraryView';
import type { FormulaGuard, FormulaLibrary, LibraryLossRequest } from '../libraries/types';
import type { DType, ErrorInfo, InputKind, LossRequest, Reduction } from '../types';
import type { ClaimText } from './claims';
import type { ScalarExpr } from './scalars';

/** Options of {@link analyzeText}. */
export interface AnalyzeOptions {
  /** Used to pick the language from the extension when `languageId` is absent. */
  fileName?: string | undefined;
  /** VS Code language id: python, jupyter/ipynb, markdown, javascript, typescript, json, jsonc, … */
  languageId?: string | undefined;
  /** Compute every pair in this dtype (the CLI's `--dtype`). */
  dtypeOverride?: DType | undefined;
  /** Largest literal / input kept, in elements (default {@link defaultMaxLiteralElements}). */
  maxElements?: number | undefined;
  /**
   * Asked at every statement boundary: when it returns true the analysis stops by throwing a
   * {@link DetectionCancelled} (a superseded edit need not wait for a slow analysis to finish).
   */
  isCancelled?: () => boolean;
}

/** Literals above this many elements are reported as `too_large` and not kept. */
export const defaultMaxLiteralElements = 20_000_000;

/** Where the dtype of an array came from. */
export type ArrayDtypeSource = 'explicit' | 'constructor' | 'default';

/** A numeric literal that could be a tensor (scalars excluded). */
export interface ArraySite {
  id: number;
  /** Variable it is assigned to (`output`), JSON/object key, or null. */
  name: string | null;
  /** Offsets of the whole literal expression (e.g. `torch.Tensor([[...]])`). */
  start: number;
  end: number;
  /** 1-based lines of start and end. */
  line: number;
  endLine: number;
  /** The bracketed numeric literal itself. */
  literalStart: number;
  literalEnd: number;
  shape: number[];
  /** Every element was written as an integer literal. */
  integral: boolean;
  /** Explicit or inferred dtype; null for integer tensors and plain lists without context. */
  dtype: DType | null;
  dtypeSource: ArrayDtypeSource;
  /** 'torch.tensor', 'torch.Tensor', 'np.array', 'Float32Array', 'tf.tensor2d', 'list', 'tuple', 'json', … */
  constructorName: string | null;
  /** LongTensor / dtype=torch.long / an integer tensor.tensor(...) / np int array. */
  isIntegerTensor: boolean;
  /** Values (row-major). Present in-process; may be dropped when crossing a boundary. */
  data?: Float64Array;
  /** Ragged / too large, in words. */
  error?: string;
  /** Notebook cell (0-based) when analysed as part of a notebook. */
  cell?: number;
  /**
   * Made by a call without a literal (`torch.zeros(2, 3)`, `np.eye(3)`, `[0.25, 1 - 0.25]`
   * folded): its numbers are the call's, not written in the source.
   */
  synthetic?: boolean;
}

/** A reference from a pair to one of its arrays. */
export interface ArraySiteRef {
  id: number;
  name: string | null;
  line: number;
  shape: number[];
  /** The expression the call used, when it differs from the site (`x_log` for log_softmax(x)). */
  argName?: string | null;
  cell?: number;
}

/**
 * How the loss is computed in the code: torch's module or function, the hand-written formula,
 * a function of the user's own (`NLLLoss(logs, targets)`, `crossEntropy(rows, labels)`), tfjs's
 * `tf.losses.softmaxCrossEntropy`, or no call at all (inferred from names).
 */
export type LossCallKind =
  | 'CrossEntropyLoss'
  | 'NLLLoss'
  | 'cross_entropy'
  | 'nll_loss'
  | 'formula'
  | 'inferred'
  | 'user_function'
  | 'tf_softmax_cross_entropy'
  /** A loss of another library (Keras, tf.nn, tfjs-layers, MLX, optax, scikit-learn, …): see `library`. */
  | 'library';

/** The loss expression a pair was found from. */
export interface LossCall {
  kind: LossCallKind;
  line: number;
  start: number;
  end: number;
  /** The variable the loss was assigned to (`loss`), if any. */
  resultName: string | null;
  /** Name of the callee as written (`criterion`, `F.cross_entropy`, `NLLLoss`). */
  callee?: string | null;
  cell?: number;
}

/** Loss options the code sets, with torch's defaults for the rest. */
export interface PairOptions {
  weight: number[] | null;
  ignoreIndex: number;
  reduction: Reduction;
  labelSmoothing: number;
  inputKind: InputKind;
}

/**
 * A pair as detection returns it: the torch computation it stands for (a kernel request) and
 * everything known without running it. The analysis runs the kernel and makes a {@link PairAnalysis}.
 */
export interface DetectedPair {
  id: number;
  logits: ArraySiteRef;
  target: ArraySiteRef;
  call: LossCall | null;
  /** Catalogue entry that recognised the loss (`torch.nn.CrossEntropyLoss`, `formula.logsumexp`, `inferred`, `json`). */
  recogniser: string;
  options: PairOptions;
  dtype: DType;
  dtypeSource: 'explicit' | 'inferred' | 'override';
  /** The kernel request the code's loss is; null when there is nothing to compute (`error` or `unverified` says why). */
  request: LossRequest | null;
  /** An error known without the kernel (integer logits, a ragged or too large literal), in torch's words. */
  error: ErrorInfo | null;
  /** The values flow through something detection does not model: no number is derived. */
  unverified: string | null;
  /** The hand-written formula's own value (its arithmetic, not torch's), which the pair reports. */
  formulaValue: number | null;
  /** A hand-written formula's per-row values (it reduces nothing), which the pair reports. */
  formulaLosses?: number[] | null;
  /** `.mean()` / `.sum()` of pair `pair`'s per-element losses, written in the code (the analysis reduces them). */
  reducedFrom?: ReducedFrom;
  /**
   * The float32 number is good to float32 precision only against a float64 print: the dtype is one
   * version's guess (a Keras loss object without `dtype=`), or the library reduces float32 terms in
   * float64 (scikit-learn's log_loss): see recognisers/common.ts.
   */
  dtypeAssumed?: true;
  /** How the code prints the value: a torch tensor (`tensor(0.5108)`) or a Python / numpy float. */
  valueStyle?: 'torch' | 'python';
  /** The library a hand-written formula is written with (its functions: `np.log`, `torch.log`, `math.log`). */
  formulaLibrary?: FormulaLibrary;
  /** The ε and clip a hand-written formula applies before its log, as written. */
  formulaGuard?: FormulaGuard;
  /**
   * torch's loss read through a name the source never binds (`F.cross_entropy` in a file without
   * `import torch.nn.functional as F`): that name, and the torch path it was taken to be.
   */
  assumedTorch?: { name: string; path: string };
  /** Shapes as written (the kernel's prepared shapes replace them when it runs). */
  inputShape: number[];
  targetShape: number[];
  inputTransform: 'softmax' | 'log_softmax' | 'log_of_softmax' | null;
  /** Where findings about the call and the target go. */
  callSpan: [number, number];
  targetSpan: [number, number];
  cell?: number;
  /**
   * The library of the call when it is not torch's own: its rule computes the loss (`keras`,
   * `tfjs-layers`, `mlx`, … with `libraryRequest`), or torch's kernel does (`paddle`, whose losses
   * copy torch's: no `libraryRequest`).
   */
  library?: string;
  /** How the library's loss maps to torch's, in words (`Keras clips p to [1e-7, 1 − 1e-7]`). */
  mapping?: string;
  /**
   * The library's own computation, when its number is not torch's: the analysis computes the loss
   * from this, and `request` (if any) is kept only for the torch breakdown of an exact mapping.
   */
  libraryRequest?: LibraryLossRequest | null;
}

/** What a claimed number is claimed about, as an expression over pair results. */
export type ClaimSubject =
  /**
   * The pair's loss, or (`element`) one value of its per-example output; with `rows`, one row's loss
   * before the reduction, of a loss claimed to have that many rows (a worked comment, 3.290).
   */
  | { kind: 'pair'; pairId: number; element?: number; rows?: number }
  | { kind: 'scalar'; expr: ScalarExpr | null; dtype: DType }
  | { kind: 'unknown'; reason: string };

/** A claimed value bound to what it claims (the analysis judges it once losses are known). */
export interface ClaimBinding {
  claim: ClaimText;
  subject: ClaimSubject;
  source: 'comment' | 'output';
  line: number;
  /** Span reported (the claim text, or the print statement for a notebook's stored output). */
  start: number;
  end: number;
  pairId: number | null;
  expression: string | null;
  /** The claim's own text is in the document, so a fix can replace it. */
  fixable: boolean;
  cell?: number;
}

/** Everything detection finds in one document, before any loss is computed. */
export interface Detection {
  language: string;
  arrays: ArraySite[];
  pairs: DetectedPair[];
  claims: ClaimBinding[];
  findings: Finding[];
}

export interface PairAnalysis {
  id: number;
  logits: ArraySiteRef;
  target: ArraySiteRef;
  call: LossCall | null;
  options: PairOptions;
  dtype: DType;
  dtypeSource: 'explicit' | 'inferred' | 'override';
  /** Reduced loss; null on error or with reduction 'none'. */
  loss: number | null;
  /** Per element losses (N·d1·…·dK), for hovers. */
  losses: number[] | null;
  /** The reduction's numerator Σ losses and denominator (Σ w[target], N·d1·…·dK, or 1), from the kernel; null on error. */
  numerator: number | null;
  denominator: number | null;
  /** Kernel error (e.g. target_out_of_bounds) with torch's wording. */
  error: ErrorInfo | null;
  /** Ids of claims attributed to this pair. */
  claims: number[];
  /** Shapes as computed (after transforms such as unsqueeze or a (C) → (1, C) view). */
  inputShape: number[];
  targetShape: number[];
  /** 'indices' or 'probabilities' (null when the kernel rejected the request). */
  targetKind: 'indices' | 'probabilities' | null;
  /** softmax / log_softmax applied to the logits before the loss, as written in the code. */
  inputTransform: 'softmax' | 'log_softmax' | 'log_of_softmax' | null;
  /** What torch would print for the reduced loss (`tensor(2.1438)`), null on error. */
  printed: string | null;
  /** Catalogue entry that recognised the loss. */
  recogniser?: string;
  /** Set when the values flow through something not modelled: then there is no loss, and this says why. */
  unverified?: string;
  /** The kernel request this pair was computed from (in-process; for breakdowns). */
  request?: LossRequest;
  /**
   * How the kernel reads the values it computes from, when not as the call does: NLLLoss of
   * log_softmax(x) is torch's cross_entropy of x, so the kernel has x, read as logits. The panel's
   * steps and "Copy as PyTorch" compute on those values and must read them this way.
   */
  kernelInputKind?: 'logits' | 'log_probs';
  cell?: number;
  /** The library of the call when it is not torch's own (`keras`, `paddle`, …): see {@link DetectedPair.library}. */
  library?: string;
  /** See {@link DetectedPair.dtypeAssumed}. */
  dtypeAssumed?: true;
  /**
   * Another library's call whose number is torch's kernel on the values it receives, with the
   * pair's options (PaddlePaddle's cross_entropy); the library rules say so in `libraryCall`.
   */
  torchKernel?: true;
  /** How that library's loss maps to torch's, in words. */
  mapping?: string;
  /** Shape of `losses` (the per-example output), when a library rule computed them. */
  lossesShape?: number[];
  /** The library a hand-written formula is written with. */
  formulaLibrary?: FormulaLibrary;
  /** The ε and clip a hand-written formula applies before its log, as written (its name shows them). */
  formulaGuard?: FormulaGuard;
  /** torch's loss read through a name the source never binds: the surfaces say it is assumed to be torch's. */
  assumedTorch?: { name: string; path: string };
  /** The options of another library's call as its rule reads them (src/core/libraryView.ts). */
  libraryCall?: LibraryCallOptions;
  /**
   * The number another version of the library computes for the same call, when the source does not
   * say which version runs and the two differ only past the fifth significant digit (Keras 3 beside
   * tf.keras 2): a claim holds when it matches either.
   */
  alternative?: { loss: number | null; losses: number[]; version: string };
  /**
   * An unverified pair whose library versions disagree (tf.keras 2 and Keras 3): each version's
   * number. The pair has none; a claim that matches no version is wrong.
   */
  versions?: { loss: number | null; losses: number[]; version: string }[];
  /**
   * The loss is the code's own mean or sum of an earlier pair's per-element losses (`losses.mean()`,
   * `losses[mask].mean()`, `np.sum(v)`): that pair's id and call line, how it reduces, and how many of
   * its `of` elements it keeps (fewer under a mask). The panel shows that pair's steps with this number.
   */
  reduces?: {
    pair: number;
    line: number | null;
    how: 'mean' | 'sum';
    kept: number;
    of: number;
    masked: boolean;
    /** One mean or sum per row of the last axis (`.mean(dim=-1)`): the pair's losses are those rows. */
    rows: boolean;
  };
}

export interface ClaimAnalysis {
  id: number;
  line: number;
  /** Span of the claimed text (`tensor(2.1438)`). For notebook outputs: the print statement's span. */
  start: number;
  end: number;
  /** As written: 'tensor(2.1438)' or '2.143818427948945'. */
  text: string;
  value: number;
  /** Digits after the point as printed. */
  decimals: number;
  /** Attributed pair, or null for an expression over several losses (or one we cannot evaluate). */
  pairId: number | null;
  /** The printed expression when it is not a plain reference to one loss: '(loss1 + loss2)/2'. */
  expression: string | null;
  status: 'holds' | 'wrong' | 'unverified';
  /** Our value for what was claimed. */
  computed: number | null;
  /** What should have been printed, in the claim's own style ('tensor(2.3519)'). */
  expected: string | null;
  /** Where the claim was read: a source comment, a notebook's stored output, a Markdown output block. */
  source: 'comment' | 'output';
  /** Why a claim is unverified, in words. */
  reason?: string;
  cell?: number;
}

export type FindingCode =
  | 'claim_mismatch'
  | 'claim_unverified'
  | 'target_out_of_bounds'
  | 'batch_size_mismatch'
  | 'softmax_applied_twice'
  | 'log_probs_expected'
  | 'one_hot_integer_target'
  | 'probabilities_not_normalised'
  | 'parse_error'
  | 'ragged_array'
  | 'too_large'
  | 'pair_unverified';

export interface Finding {
  code: FindingCode | string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  message: string;
  line: number;
  start: number;
  end: number;
  pairId?: number;
  claimId?: number;
  fix?: { start: number; end: number; newText: string; title: string };
  cell?: number;
}

export interface DocumentAnalysis {
  language: string;
  arrays: ArraySite[];
  pairs: PairAnalysis[];
  claims: ClaimAnalysis[];
  findings: Finding[];
}

/** One notebook cell as {@link analyzeNotebook} takes it. */
export interface NotebookCellInput {
  source: string;
  kind: 'code' | 'markdown';
  /** The text of the cell's stored outputs (stream text, text/plain results), in order. */
  outputs?: string[];
}

/**
 * Which per-element losses of an earlier pair a reduction written in the code reduces, and how
 * (reducedPairs.ts, maskedLosses.ts): all of them, or a mask's (`losses[mask].mean()`: `keep`, the
 * flat positions kept, in order; `(losses * mask).sum()`: `scale`, each element times 0 or 1, the
 * zeros summed too), divided by `divisor` when the code divides by the mask's count.
 */
export interface ReducedFrom {
  pair: number;
  how: 'mean' | 'sum';
  keep?: number[];
  scale?: number[];
  divisor?: number;
  /** `.mean(dim=-1)` / `.sum(1)` over the last axis of losses of this shape: one value per row (3.372). */
  rows?: number[];
  /** Each row's own count (`… .sum(dim=1) / mask.sum(dim=1)`), with `rows`. */
  divisors?: number[];
}
