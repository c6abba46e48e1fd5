/**
 * The worker's methods: what each request sends and what it gets back ({@link WorkerMethods}),
 * with the ids and payloads they share. src/protocol/worker.ts re-exports them.
 */
import type { DocumentAnalysis, NotebookCellInput } from '../core/detection';
import type {
  DType,
  ErrorInfo,
  InputKind,
  InvalidTargetList,
  LossRequest,
  Reduction,
  ReductionBreakdown,
  SampleBreakdown,
  SampleView,
  StabilityCard,
  TargetKind,
} from '../core/types';
import type { HeatMap, HeatMapRows } from './panelView';
import type { WireSampleBreakdown } from './wireSample';

/** Every request the host makes of the worker: method → what it sends and what it gets back. */
export interface WorkerMethods {
  analyze: { params: AnalyzeParams; result: AnalyzeResult };
  inspect: { params: InspectParams; result: Inspection };
  panelData: { params: PanelDataParams; result: PanelData };
  arrayPair: { params: ArrayPairParams; result: ArrayPairResult };
  holdLive: { params: HoldLiveParams; result: HoldLiveResult };
}

export type WorkerMethod = keyof WorkerMethods;
export type ParamsOf<M extends WorkerMethod> = WorkerMethods[M]['params'];
export type ResultOf<M extends WorkerMethod> = WorkerMethods[M]['result'];

/**
 * Layout of the shared cancellation buffer (an Int32Array over a SharedArrayBuffer passed to the
 * worker at start): slot 0 holds the `req` of the request the host gave up on (0: none). The
 * worker compares it with the request it is running, so a stale value never stops a newer one.
 */
export const cancelSlots = 1;

/**
 * Find the pairs in a document and compute them (detection + kernel). Unless `transient`, the
 * worker keeps the analysis under `key` for later {@link InspectParams inspect} and
 * {@link PanelDataParams panelData} requests.
 */
export interface AnalyzeParams {
  /** The document uri; a newer analysis for it replaces the older one. */
  key: string;
  /** Document version the text belongs to; echoed back so a stale result is never shown. */
  version: number;
  /**
   * Answer and forget: a one-shot analysis (Check All Claims, Inspect Selection) that must not
   * evict the open documents' analyses that hovers inspect.
   */
  transient?: boolean;
  /** The text of a text document (absent for notebooks, and when `edits` are sent instead). */
  text?: string;
  /**
   * Instead of `text`: the edits that turn the text the worker holds for `key` at `baseVersion`
   * into this version, in the order to apply them (each offset refers to the text after the
   * previous edits). Saves cloning a 10 MB document on every keystroke. If the worker no longer
   * holds that version it answers `invalid_request` and the host sends the full text.
   */
  edits?: TextEdit[];
  /** The version `edits` apply to. */
  baseVersion?: number;
  /** The cells of a notebook, in order (absent for text documents). */
  cells?: NotebookCellInput[];
  /** VS Code language id of a text document. */
  languageId?: string;
  /** File name, to pick the language from its extension when the id is not one we know. */
  fileName?: string;
  /** Compute every pair in this dtype instead of the one the code implies. */
  dtypeOverride?: DType;
  /** Largest literal analysed, in elements. */
  maxElements?: number;
}

/** The answer to {@link AnalyzeParams}. Array sites carry no `data`, pairs no `request`. */
export interface AnalyzeResult {
  /** Echo of the request's version. */
  version: number;
  /** Everything found, with losses and claim verdicts. */
  analysis: DocumentAnalysis;
  /** Milliseconds spent in detection and kernel, measured in the worker. */
  analysisMs: number;
}

/** One replacement in a text: `length` characters at `offset` become `text`. */
export interface TextEdit {
  /** UTF-16 offset. */
  offset: number;
  /** Characters replaced. */
  length: number;
  /** The new text. */
  text: string;
}

/**
 * The numbers behind a hover or a copy for one pair of the analysis kept under `key`: one
 * sample's breakdown (chosen by `element`, or by the row of the logits literal that contains
 * `offset`), trimmed to the `topK` most likely classes plus the target, and optionally the
 * per-target summary and the pair's values.
 */
export interface InspectParams {
  /** The document uri the analysis was kept under. */
  key: string;
  /** The analysed version; a different kept version answers `invalid_request`. */
  version: number;
  /** Pair id from the analysis. */
  pairId: number;
  /** Flat sample index; defaults to the row at `offset`, or 0. */
  element?: number;
  /** A document offset inside the logits literal: its sample is inspected. */
  offset?: number;
  /** Keep only this many classes (the most likely) plus the target. 0 or absent: all. */
  topK?: number;
  /** Also return a summary of the first `targetLimit` targets (class, p, −log p). */
  targetLimit?: number;
  /** Also return the pair's request values (for "Copy as PyTorch"). */
  withData?: boolean;
}

/** The answer to {@link InspectParams}. */
export interface Inspection {
  /** The pair inspected. */
  pairId: number;
  /** The sample's steps; its per-class arrays hold only the classes in `classIndices`. */
  sample: SampleBreakdown;
  /** The classes kept (ascending), or null when all C are present. */
  classIndices: number[] | null;
  /** Number of classes. */
  C: number;
  /** Number of samples N·S. */
  count: number;
  /** The reduction over the whole pair. */
  reduction: ReductionBreakdown;
  /** The first targets, when asked for. */
  targets?: TargetSummary[];
  /** The pair's values, when asked for with `withData`. */
  data?: PairData;
  /**
   * When the sample was found from `offset`: the document offsets [start, end) of the logits row
   * that offset fell in, every offset of which names the same sample. The host answers a later
   * hover anywhere in that row from this reply instead of asking again. Absent when the row is
   * not one contiguous span (inputs of more than two dimensions).
   */
  rowSpan?: { start: number; end: number };
}

/** A pair's request as plain numbers, for snippets. */
export interface PairData {
  /** Flat input values, row-major. */
  input: number[];
  /** Input shape. */
  inputShape: number[];
  /** Flat target values. */
  target: number[];
  /** Target shape. */
  targetShape: number[];
  /** Class weights, or null. */
  weight: number[] | null;
}

/** One target of a pair, for the target hover. */
export interface TargetSummary {
  /** Flat sample index. */
  sample: number;
  /** Class index (null for probability targets). */
  target: number | null;
  /** Softmax probability of the target class. */
  pTarget: number;
  /** The sample's loss (−log p for unweighted, unsmoothed targets). */
  nll: number;
  /** The target equals ignore_index. */
  ignored: boolean;
}

/** Options the panel's controls set for a pair (code options plus the user's overrides). */
export interface PanelComputeOptions {
  /** `reduction=`. */
  reduction: Reduction;
  /** Working precision; the other one is computed too, for the reduction card. */
  dtype: DType;
  /** ε in [0, 1]. */
  labelSmoothing: number;
  /** `ignore_index=`. */
  ignoreIndex: number;
  /** Class weights, or null. */
  weight: number[] | null;
  /** logits or log-probabilities. */
  inputKind: InputKind;
}

/**
 * Everything the panel shows for one pair of the analysis kept under `key`, computed with the
 * panel's options: the result in both dtypes, one sample's breakdown with its gradient row, and
 * the batch heat map.
 */
export interface PanelDataParams {
  /** The document uri the analysis was kept under. */
  key: string;
  /** The analysed version. */
  version: number;
  /** Pair id from the analysis. */
  pairId: number;
  /** Flat sample index (clamped to the pair's samples). */
  element: number;
  /**
   * The user has not picked `element` (it is the default): when its target is out of range, show
   * the first sample whose target is valid instead.
   */
  preferValid?: boolean;
  /** The options in effect. */
  options: PanelComputeOptions;
  /**
   * The {@link PanelData.heatMapId} of the heat map the host holds: when the answer's is the same,
   * the heat map is left out of it ({@link PanelData.heatMapKept}) instead of cloned again.
   */
  heatMapId?: number;
  /**
   * Other heat maps the host holds besides {@link heatMapId} (at most {@link maxAlsoHeld}): an
   * answer whose map is one of them leaves it out, and one whose map is made of one of them with
   * new rows sends the rows only. The panel's snapshots made ahead name them: after an ε change
   * the other dtype's map takes its cells from that dtype's map, which is not the one held last.
   */
  alsoHeld?: number[];
  /**
   * What the panel shows of the sample: with it the worker answers with the shown columns
   * ({@link PanelData.shown}) instead of the sample's full rows, so that a sample change moves a
   * few kilobytes, not nine lists of C numbers. Absent: the full breakdown (the copy buttons).
   */
  shown?: ShownRequest;
  /**
   * The answer may come before the other dtype is computed ({@link PanelData.otherPending}) when
   * the pair is big: the host shows it and asks again for the rest. Set by a live pair's panel,
   * whose full read the user is waiting for.
   */
  otherLater?: boolean;
}

/** The page of classes and the stability constant the panel shows (see {@link PanelDataParams.shown}). */
export interface ShownRequest {
  /** First class of the step table's page, or null for the top-k. */
  classStart: number | null;
  /** The stability card's constant k added to every logit (finite). */
  shift: number;
  /** Whether the stability card is open: a closed one is not computed. Absent: it is. */
  stability?: boolean;
}

/** The selected sample as the panel shows it, built in the worker from its full breakdown. */
export interface ShownSample {
  /** The step table's columns (a page of classes and the target) with sums over the others. */
  sample: SampleView;
  /** The stability card for the shift asked for; null for log-probability input. */
  stability: StabilityCard | null;
}

/** The answer to {@link PanelDataParams}. */
export interface PanelData {
  /** The result in the working dtype (no `grad`: the breakdown carries its row). */
  result: LossPayload;
  /** The same pair in the other dtype. */
  otherResult: LossPayload | null;
  /**
   * Asked with {@link PanelDataParams.otherLater}: the other dtype is not computed yet
   * (`otherResult` is null); the worker computes it next, and the same request without
   * `otherLater` is answered with it.
   */
  otherPending?: boolean;
  /**
   * The selected sample's steps, with its gradient row, each per-class list a Float64Array that
   * is transferred: a (64, 50 257) pair's sample cloned as nine lists of numbers cost 60–80 ms a
   * side, where a transfer moves the buffers. {@link sampleFromWire} gives the lists back.
   */
  breakdown: WireSampleBreakdown | null;
  /**
   * Asked for with {@link PanelDataParams.shown}: the shown columns; `breakdown` is then null.
   * Neither for a batch without rows (N = 0 or a zero d_i): there is no sample to show.
   */
  shown?: ShownSample;
  /** The batch heat map (null for a single sample, or when {@link heatMapKept}). */
  heatMap: HeatMap | null;
  /**
   * Names the heat map (the same for every sample of a pair under options that give the same
   * probabilities and row losses: the reduction does not change it); 0 when there is none.
   */
  heatMapId: number;
  /** The host holds heat map {@link heatMapId} already (it asked with that id): `heatMap` is null. */
  heatMapKept?: boolean;
  /**
   * Heat map {@link heatMapId} is the one the host asked with (`base`, which it holds) with new
   * row losses: `heatMap` is null and only the rows cross (a label smoothing, weight or
   * ignore_index change, whose cells are the same).
   */
  heatMapRows?: HeatMapRows;
  /**
   * Targets out of range: torch raises, so `result` and `otherResult` are computed with those
   * samples masked as ignored and their totals are not torch's. Absent or null when all are valid.
   */
  invalidTargets?: InvalidTargetList | null;
}
/** One array literal as written, for {@link ArrayPairParams}. */
export interface ArraySource {
  /** The literal expression's text, e.g. `torch.tensor([[1.0, 2.0]])` or `[0, 1]`. */
  text: string;
  /** VS Code language id of the document it comes from. */
  languageId: string;
}

/**
 * The loss of two array literals read as logits and target with torch's defaults (Inspect
 * Selection, when the selection holds arrays but no loss call).
 */
export interface ArrayPairParams {
  logits: ArraySource;
  target: ArraySource;
  /** Compute in this dtype instead of the one the logits' constructor implies. */
  dtypeOverride?: DType;
  /** Largest literal read, in elements. */
  maxElements?: number;
  /** Answer with the request built from the two literals too, so the panel can show the pair. */
  withRequest?: boolean;
}

/** The answer to {@link ArrayPairParams}. */
export interface ArrayPairResult {
  /** The reduced loss; null on error. */
  loss: number | null;
  /** What torch prints for it (`tensor(2.1438)`); null on error. */
  printed: string | null;
  /** The logits' shape as computed. */
  inputShape: number[];
  /** The dtype computed in. */
  dtype: DType;
  /** Why there is no loss (unreadable literal, or the kernel's error in torch's words). */
  error: ErrorInfo | null;
  /** With `withRequest`, once both literals were read: the kernel request they make (torch's defaults). */
  request?: LossRequest;
}

/**
 * Keep a pair read from a paused program (src/live) under `key`, so that `inspect` and
 * `panelData` serve it as pair {@link livePairId} of that key, as they serve a document's pairs.
 * The worker keeps the newest few such pairs; a hold under a key already held replaces it.
 */
export interface HoldLiveParams {
  /** `live:` plus the host's own counter; never a document uri. */
  key: string;
  /** The host's version of the pair (echoed in later requests, as a document version is). */
  version: number;
  /** The kernel request built from the program's tensors (typed arrays are structured-cloned). */
  request: LossRequest;
}

/** The id a held live pair has in `inspect` and `panelData` requests. */
export const livePairId = 0;

/** The answer to {@link HoldLiveParams}: the pair computed once under its own options. */
export interface HoldLiveResult {
  /** The reduced loss (the sum for reduction 'none'); null when the kernel refused the request. */
  loss: number | null;
  /** What torch prints for it; null on error. */
  printed: string | null;
  /** Shapes as computed. */
  inputShape: number[];
  targetShape: number[];
  /** Shape of the per-sample losses. */
  lossShape: number[];
  /** Batch size, classes and positions per sample (0 on error). */
  N: number;
  C: number;
  S: number;
  /** How the target was read (null on error). */
  targetKind: TargetKind | null;
  /** The kernel's error in torch's words, or null. */
  error: ErrorInfo | null;
}

/** The numbers of one evaluation, as sent over the wire. */
export interface LossPayload {
  /** Id of this result (the pair id for panel results). */
  resultId: number;
  /** The reduced loss: mean or sum. For reduction 'none' it is the sum of `losses`. */
  loss: number;
  /** Per-element losses, in the layout of `lossShape`. 0 for ignored targets. Transferred. */
  losses: Float64Array;
  /** Σ losses: the reduction's numerator. */
  numerator: number;
  /** The reduction's denominator: Σ w[target] over non-ignored targets, N·d1·…·dK for probabilities, 1 for sum/none. */
  denominator: number;
  /** For index targets: 1 where the target equals ignore_index; null for probability targets. Transferred. */
  ignored: Uint8Array | null;
  /** d loss / d input in the input's layout, when asked for. Transferred. */
  grad?: Float64Array;
  /** Working precision. */
  dtype: DType;
  /** The reduction applied. */
  reduction: Reduction;
  /** Whether the target was read as class indices or as probabilities. */
  targetKind: TargetKind;
  /** Input shape: (C), (N, C) or (N, C, d1, …, dK). */
  inputShape: number[];
  /** Shape of `losses`: () unbatched, (N) or (N, d1, …, dK). */
  lossShape: number[];
  /** Batch size: 1 for an unbatched input. */
  N: number;
  /** Number of classes. */
  C: number;
  /** Positions per sample (d1·…·dK): 1 without extra dimensions. */
  S: number;
  /** Milliseconds spent in the kernel (prepare + loss), measured where it ran. */
  kernelMs: number;
}

/** At most this many ids in {@link PanelDataParams.alsoHeld}. */
export const maxAlsoHeld = 16;
