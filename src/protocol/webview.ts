/**
 * The wire between the panel's host side ({@link ../panel/lossPanelProvider}) and the UI inside
 * the webview (`webview/`). Every message that crosses that boundary is declared here, and both
 * sides import this file.
 *
 * - Webview → host: {@link WebviewToHost}. Host → webview: {@link HostToWebview}.
 * - The webview says `ready` once it listens; the host answers, and from then on sends a
 *   complete {@link PanelState} snapshot after every change. There are no deltas: a webview that
 *   was hidden and recreated rebuilds itself from one message.
 * - Messages are untrusted in both directions: each side checks what arrives with
 *   {@link isWebviewToHost} / {@link isHostToWebview} (or the `…Problem` variants, which say what
 *   is wrong) and drops a malformed message with a logged warning. The guards check every field's
 *   type and bounds, reject unknown fields, and cap every array, so a bad message cannot make a
 *   side allocate or render without limit.
 * - VS Code carries webview messages as JSON, which would turn NaN and ±Infinity into `null`.
 *   Non-finite numbers are real results here (a naive softmax that overflows, a logit written as
 *   `float('inf')`), so the host sends {@link encodeHostMessage}`(msg)` and the webview reads
 *   {@link decodeHostMessage}`(raw)` before checking it.
 *
 * This file imports nothing at runtime and no DOM or Node types, so it compiles under both the
 * extension's and the webview's tsconfig.
 */

/** Language of the panel's own strings. */
export type Locale = 'en' | 'ko';

/** What the panel is doing. */
export type PanelStatus = 'empty' | 'computing' | 'ready' | 'error';

/** `reduction=` of `nn.CrossEntropyLoss`. */
export type Reduction = 'mean' | 'sum' | 'none';

/** Working precision of one evaluation. */
export type DType = 'float32' | 'float64';

/** The dtype control: one precision, or both side by side. */
export type DTypeChoice = DType | 'both';

/** logits (CrossEntropyLoss) or log-probabilities (NLLLoss). */
export type InputKind = 'logits' | 'log_probs';

/** How the target was read. */
export type TargetKind = 'indices' | 'probabilities';

/** What the copy buttons produce (src/core/breakdownExport.ts formats each; the Copy Breakdown command uses the same). */
export type CopyKind = 'markdown' | 'json' | 'csv' | 'pytorch';

/** Classes per page of the step table (the top-k, or a range of consecutive classes). */
export const classPageSize = 20;
/** Most class columns a {@link SampleView} may carry: a page plus the target, with room to spare. */
export const maxShownClasses = 64;
/** Most sample losses in one {@link ReductionCard} page. */
export const maxLossPage = 1000;
/** Largest heat map the host sends. */
export const maxHeatRows = 256;
/** Largest heat map the host sends. */
export const maxHeatCols = 512;
/** Most pairs listed in the picker. */
export const maxPairs = 5000;
/** Most class weights the weight control edits (and the state echoes). */
export const maxWeights = 4096;
/** Most dimensions in a shape. */
export const maxDims = 16;
/** Longest free text (error messages, claim text, printed tensors). */
export const maxText = 20_000;
/** Longest label (names, file names, pair labels). */
export const maxLabel = 1_000;
/** Notes under a live badge. */
export const maxLiveNotes = 16;
/** Rows of an over-budget live input kept in the panel: the top-k and those the user asked for. */
export const maxLiveRows = 64;

/** One entry of the pair picker. */
export interface PairItem {
  /** Id of the pair in the host's current analysis of the document. */
  id: number;
  /** What the picker shows, e.g. `output, target`. Document text: rendered as text only. */
  label: string;
  /** 1-based line of the loss call (or of the logits literal). */
  line: number;
  /** The pair's reduced loss in its effective options, or null while unknown or failed. */
  loss: number | null;
  /** The pair could not be evaluated (its error appears when it is selected). */
  failed: boolean;
  /**
   * 0-based index of the notebook cell holding {@link line} (markdown cells counted), absent or
   * null outside notebooks. The panel shows it 1-based, as VS Code's "Cell 3 of 8" does.
   */
  cell?: number | null;
}

/** Loss options: as written in the code, or in effect after the user's overrides. */
export interface PanelOptions {
  /** `reduction=`. */
  reduction: Reduction;
  /** Precision: from the tensor constructor in code; the control adds 'both'. */
  dtype: DTypeChoice;
  /** `label_smoothing=` ε in [0, 1]. */
  labelSmoothing: number;
  /** `ignore_index=`. */
  ignoreIndex: number;
  /** logits (CrossEntropyLoss) or log-probabilities (NLLLoss). */
  inputKind: InputKind;
  /** A class weight applies. */
  hasWeight: boolean;
  /** The weights when there are at most {@link maxWeights} of them; null when absent or too many to edit. */
  weight: number[] | null;
}

/** The selected pair, as the header and the controls show it. */
export interface PairSummary {
  /** Pair id (as in {@link PairItem.id}). */
  id: number;
  /** Variable name of the logits, if the code names it. Document text. */
  logitsName: string | null;
  /** Variable name of the target, if the code names it. Document text. */
  targetName: string | null;
  /** Input shape: (C), (N, C) or (N, C, d1, …, dK). */
  inputShape: number[];
  /** Target shape. */
  targetShape: number[];
  /** Shape of the per-sample losses: () unbatched, (N) or (N, d1, …, dK). */
  lossShape: number[];
  /** Batch size: 1 for an unbatched input. */
  N: number;
  /** Number of classes. */
  C: number;
  /** Positions per sample (d1·…·dK), 1 without extra dimensions. */
  S: number;
  /** Whether the target holds class indices or probabilities. */
  targetKind: TargetKind;
  /** Options as the code writes them (what "reset to code" returns to). */
  codeOptions: PanelOptions;
  /** Options in effect (code plus the user's overrides). */
  options: PanelOptions;
  /** A value the document claims for this loss (a comment or printed output), verbatim. Document text. */
  claimText: string | null;
  /** Whether the claim matches the computed value; null without a claim or when undecidable. */
  claimOk: boolean | null;
  /**
   * What torch prints for this loss with the code's own options ({@link codeOptions}), e.g.
   * `tensor(2.3519)`: the value the claim is judged against, which the panel shows beside the
   * claim while the user's options differ. Absent or null when unknown (the pair failed).
   */
  codePrinted?: string | null;
  /**
   * Where the number comes from when it is not torch's own loss: another library's call (Keras,
   * scikit-learn, …) or a formula written with numpy. Absent or null for torch's losses.
   */
  origin?: PairOrigin | null;
}

/** Most per-example losses a {@link PairOrigin} carries. */
export const maxOriginLosses = 16;
/** Most sentences of a {@link PairOrigin}. */
export const maxOriginNotes = 8;

/** Another library's loss (or a formula) as the panel names and explains it. */
export interface PairOrigin {
  /** The call as the library spells it, with the options that matter (`sklearn.metrics.log_loss`). Code text. */
  title: string;
  /** The library as people name it: `Keras`, `scikit-learn`, `numpy`. */
  library: string;
  /** The number the library's own rule gives; null for a vector output or when none was derived. */
  loss: number | null;
  /** The first per-example losses of the library's rule (at most {@link maxOriginLosses}). */
  losses: number[];
  /** How many per-example losses there are in all. */
  count: number;
  /** How the library's semantics map to torch's CrossEntropyLoss, one sentence each (localised by the host). */
  notes: string[];
  /** The step table below is torch's loss on the values the library receives, giving the same number. */
  torchSteps: boolean;
  /** "Copy PyTorch" is offered: the snippet gives the library's number. */
  pytorch: boolean;
  /** Why it is not offered (localised), or null. */
  noCopy: string | null;
}

/** Which classes the step table shows. */
export interface ClassWindow {
  /** null: the {@link classPageSize} most likely classes (plus the target); a number: classes from this index on. */
  start: number | null;
  /** Classes per page ({@link classPageSize}). */
  size: number;
}

/**
 * The step-by-step breakdown of the selected sample, restricted to the shown classes. Every
 * class array runs parallel to {@link classIndices}. Values are in {@link dtype}.
 */
export interface SampleView {
  /** Flat element index n·S + s of the sample. */
  element: number;
  /** Coordinates in the loss's shape: [] unbatched, [n] or [n, i1, …, iK]. */
  position: number[];
  /**
   * Target class, or null for probability targets. For an ignored sample: ignore_index, or the
   * value written when it is out of range (see {@link PanelState.invalidTargets}).
   */
  target: number | null;
  /** The target equals ignore_index: the sample adds 0 and is left out of the mean. */
  ignored: boolean;
  /** Precision of these numbers. */
  dtype: DType;
  /** Input kind: for log_probs the softmax steps are absent. */
  inputKind: InputKind;
  /** ε of label smoothing in effect. */
  labelSmoothing: number;
  /** Total number of classes. */
  C: number;
  /** The classes shown, ascending; the target is always among them. */
  classIndices: number[];
  /** Which window of classes this is. */
  window: ClassWindow;
  /** x_c as given (log p_c for log_probs). */
  logits: number[];
  /** max over all C classes of x (null for log_probs). */
  max: number | null;
  /** Class where the max is reached (null for log_probs). */
  argmax: number | null;
  /**
   * The predicted class: the first class of largest p over all C (torch.argmax of the
   * probabilities, for log_probs input too); null when every p is NaN.
   */
  predicted?: number | null;
  /** x_c − max (null for log_probs). */
  shifted: number[] | null;
  /** exp(x_c − max) (null for log_probs). */
  exp: number[] | null;
  /** Σ over all C classes of exp(x − max) (null for log_probs). */
  sumExp: number | null;
  /** log Σ exp(x) = max + log Σexp (null for log_probs). */
  logSumExp: number | null;
  /** p_c. */
  softmax: number[];
  /** log p_c. */
  logSoftmax: number[];
  /** q_c, the target distribution (one-hot, smoothed, or given). */
  q: number[];
  /** −q_c·log p_c (0 where q_c = 0). */
  qLogP: number[];
  /** w_c (all ones without a weight). */
  weight: number[];
  /** −w_c·q_c·log p_c: each class's share of the sample's loss. */
  contributions: number[];
  /** ∂loss/∂x_c of the reduced loss, or null when no gradient was computed. */
  grad: number[] | null;
  /** Σ over all C classes of w_c·q_c (w[target] for a plain index target): the p term of the gradient. */
  weightedTargetSum: number;
  /** D of the gradient: the mean's denominator, or 1 for sum and none. */
  gradDenominator: number;
  /** Σ p over the classes not shown (0 when all are shown). */
  hiddenSoftmax: number;
  /** Σ −w·q·log p over the classes not shown. */
  hiddenContribution: number;
  /** The sample's loss. */
  loss: number;
  /** This sample's share of the mean's denominator: w[target], 1 for probabilities, 0 if ignored. */
  denominatorShare: number;
}

/** Reduced totals in one precision. */
export interface ReductionTotals {
  /** Σ losses. */
  numerator: number;
  /** The mean's denominator: Σ w[target] of kept samples, N·S for probabilities; 1 for sum/none. */
  denominator: number;
  /** The reduced loss (for 'none': the sum, which is what backward uses). */
  loss: number;
  /** What `print(loss)` shows in PyTorch, e.g. `tensor(2.3519)`. */
  torchPrint: string;
}

/** The reduction card: the per-sample losses (a page of them) and how they combine. */
export interface ReductionCard {
  /** The reduction in effect. */
  reduction: Reduction;
  /** Number of samples (positions), N·S. */
  count: number;
  /** How many have target == ignore_index. */
  ignoredCount: number;
  /** Element index of `losses[0]`. */
  offset: number;
  /** Page size the host uses (for the paging controls). */
  pageSize: number;
  /** Sample losses from `offset` on, in the working dtype. */
  losses: number[];
  /** Parallel to `losses`: the sample is ignored. */
  ignored: boolean[];
  /** The working precision (the one the step table uses). */
  dtype: DType;
  /** Totals computed in float32, or null when not computed. */
  float32: ReductionTotals | null;
  /** Totals computed in float64, or null when not computed. */
  float64: ReductionTotals | null;
  /** Parallel to `losses`: the target is out of range (torch raises; no loss). Absent when none is. */
  invalid?: boolean[];
}

/**
 * The stability card: softmax of x + k computed naively, exp(x + k) / Σ exp(x + k), and with the
 * max shift, both in float32. Class arrays run parallel to {@link classIndices}.
 */
export interface StabilityCard {
  /** The constant k added to every logit. */
  shift: number;
  /** The classes shown (those of the step table). */
  classIndices: number[];
  /** x + k in float32. */
  shiftedLogits: number[];
  /** exp(x + k) in float32: Infinity past x + k ≈ 88.72. */
  naiveExp: number[];
  /** Σ over all C classes of exp(x + k) in float32. */
  naiveSum: number;
  /** exp(x + k) / Σ: NaN or 0 once the exponentials overflow. */
  naiveSoftmax: number[];
  /** How many of the C exponentials overflowed to Infinity. */
  overflowCount: number;
  /** max of x + k over all classes. */
  stableMax: number;
  /** Σ exp(x + k − max) in float32. */
  stableSumExp: number;
  /** exp(x + k − max) / Σ in float32. */
  stableSoftmax: number[];
}

/** A downsampled map of p over (samples × classes). Row r covers elements rowStart[r] … rowStart[r+1] − 1. */
export interface HeatMap {
  /** Rows drawn (≤ {@link maxHeatRows}). */
  rows: number;
  /** Columns drawn (≤ {@link maxHeatCols}). */
  cols: number;
  /** p per cell, row-major (rows·cols values); the max over the cell's samples and classes when binned. */
  values: number[];
  /** rows + 1 element boundaries. */
  rowStart: number[];
  /** cols + 1 class boundaries. */
  colStart: number[];
  /** Mean loss of the kept (non-ignored) samples in each row. */
  rowLoss: number[];
  /** Every sample in the row is ignored. */
  rowIgnored: boolean[];
  /** The element a click on the row selects: its sample with the largest loss. */
  rowPick: number[];
  /** Number of elements (N·S). */
  count: number;
  /** Number of classes. */
  C: number;
}

/** Everything the panel shows: one complete snapshot. */
export interface PanelState {
  /** Language of the panel's strings. */
  locale: Locale;
  /** The document the pairs come from, e.g. `seed_blog.py`. Document text. */
  documentLabel: string;
  /** What the panel is doing. */
  status: PanelStatus;
  /** Why the status is 'error' (or why the selected pair failed). Document-derived text. */
  error: string | null;
  /** Decimals shown (the `lossInspector.decimals` setting). */
  decimals: number;
  /** Every pair of the document, for the picker. */
  pairs: PairItem[];
  /** The pair shown, or null. */
  selectedPairId: number | null;
  /** Summary of the selected pair. */
  pair: PairSummary | null;
  /** Steps of the selected sample. */
  sample: SampleView | null;
  /** The reduction card. */
  reduction: ReductionCard | null;
  /** The stability card (null for log_probs input). */
  stability: StabilityCard | null;
  /** The batch heat map (null for a single sample). */
  heatMap: HeatMap | null;
  /**
   * The document does not parse right now (mid-typing) and the shown pair could not be found
   * in it: the rest of the snapshot is the last good result for this document, kept until
   * the text parses again. Absent or null when the snapshot is current.
   */
  stale?: StaleNote | null;
  /** Present when the pair was read from a program paused in the debugger. */
  live?: LiveBadge;
  /** Targets out of range: torch raises, the other samples' steps are shown. Absent or null when none. */
  invalidTargets?: InvalidTargets | null;
}

/** Most out-of-range targets named one by one in the panel's note. */
export const maxNamedInvalidTargets = 20;

/** The out-of-range targets of the shown pair, for a note that says what, where and the valid range. */
export interface InvalidTargets {
  /** Number of classes: valid targets are 0 … C − 1 (or ignore_index). */
  C: number;
  /** ignore_index in effect. */
  ignoreIndex: number;
  /** How many targets are out of range. */
  count: number;
  /** The first few ({@link maxNamedInvalidTargets}): flat element index and the value written. */
  items: { element: number; value: number }[];
  /** The written target of the selected sample when it is one of them, else null. */
  selected: number | null;
}

/** Why a snapshot shows an older result: where the document stopped parsing. */
export interface StaleNote {
  /**
   * 1-based line of the parse error (within the cell, in a notebook): for a bracket left open,
   * the line of that bracket, which is where the statement that no longer parses starts.
   */
  line: number;
  /** 0-based notebook cell of that line, or null outside notebooks. */
  cell: number | null;
  /** The bracket left open (`[`, `(` or `{`), when that is why the text does not parse. */
  opener?: string | null;
  /**
   * 1-based line the user is typing on (the cursor's, in the same document or cell), when it is
   * known; the learner's eyes are there, not on the line where the statement starts.
   */
  editLine?: number | null;
}

/**
 * Where a live pair came from (a frame of a paused program) and the program's own loss beside
 * ours. The numbers in the panel are those of this stop; once the program moves on, `paused` is
 * false and the panel asks for a new inspection instead of implying they are current.
 */
export interface LiveBadge {
  /** The frame's function name, as the debug adapter reports it (`train_step`). Program text. */
  frame: string;
  /** 1-based line the frame was paused at. */
  line: number;
  /** Whether the program is still paused at the stop the values were read at. */
  paused: boolean;
  /** The loss the program computed itself (read from the variable its loss line assigns), or null. */
  programLoss: { expression: string; value: number; dtype: string } | null;
  /** Whether our recomputation agrees with the program's loss to the precision of its dtype; null without one. */
  agrees: boolean | null;
  /** Sentences about the read: conversions, devices, a reduction in the program, a pause before the line. */
  notes: string[];
  /**
   * Present when the pair is two literals the user selected (Inspect Selection) that no loss call
   * of the code pairs: the 1-based lines the selection spans. The badge then says so instead of
   * naming a paused frame.
   */
  selection?: { line: number; endLine: number } | null;
  /** Over the budget: the input's positions, those read (request order) and why the last fetch failed. */
  rows?: { total: number; read: number[]; failed: string | null };
  /**
   * A progressive read. `streaming`: the panel shows the first paint (the rows with the highest
   * loss, recomputed here) and `batchLoss` is the batch's loss torch computed in the program, while
   * all rows are read; `done`: the pair is the full read, every figure recomputed from all rows;
   * `cancelled`, `stale` (the program moved on) and `failed`: the first paint stays, and says so.
   */
  stream?: {
    state: 'streaming' | 'done' | 'cancelled' | 'stale' | 'failed';
    positions: number;
    batchLoss: number | null;
    message: string | null;
  };
}

/** Webview → host: stop reading every row of a progressive live read; the first paint stays. */
export interface StopLiveStreamNotification {
  type: 'stopLiveStream';
}

/** Webview → host: show row `position` of an over-budget live input, read on demand when not read yet. */
export interface SelectLiveRowNotification {
  type: 'selectLiveRow';
  position: number;
}

/** Host → webview: the complete state. */
export interface PanelStateNotification {
  type: 'state';
  /**
   * The whole snapshot (never a delta). With {@link heatMapId} its `heatMap` is null on the wire
   * and the heat map is the one the webview keeps under that id.
   */
  state: PanelState;
  /**
   * The snapshot's heat map by reference: one of the last {@link keptHeatMaps} sent by
   * {@link HeatMapNotification}. Absent: `state.heatMap` is the heat map itself.
   */
  heatMapId?: number;
}

/**
 * How many heat maps the webview keeps (the newest {@link HeatMapNotification}s). The host counts
 * the same way, so it knows which it need not send again.
 */
export const keptHeatMaps = 4;

/**
 * Host → webview: a heat map to keep under `id`, which later snapshots name instead of repeating
 * it (about 180 kB of JSON for a (64, 50 257) batch, the same for each of its samples).
 */
export interface HeatMapNotification {
  type: 'heatMap';
  id: number;
  heatMap: HeatMap;
}

/** Every message the host sends to the webview. */
export type HostToWebview = PanelStateNotification | HeatMapNotification;

/** Partial option overrides from the controls. A present field overrides the code's value. */
export interface ControlOverrides {
  /** `reduction=`. */
  reduction?: Reduction;
  /** Precision, or both side by side. */
  dtype?: DTypeChoice;
  /** ε in [0, 1]. */
  labelSmoothing?: number;
  /** `ignore_index=` (any integer). */
  ignoreIndex?: number;
  /** Class weights (length C, finite), or null to drop the weight. */
  weight?: number[] | null;
  /** logits or log-probabilities. */
  inputKind?: InputKind;
}

/** Webview → host: the script runs and listens. The host answers with the current state. */
export interface ReadyNotification {
  type: 'ready';
}

/** Webview → host: show another pair of the document. */
export interface SelectPairNotification {
  type: 'selectPair';
  /** {@link PairItem.id}. */
  id: number;
}

/** Webview → host: show another sample (or position, for K-dim inputs). */
export interface SelectSampleNotification {
  type: 'selectSample';
  /** Flat element index n·S + s (the webview converts positions). */
  element: number;
}

/** Webview → host: page the step table's classes. */
export interface SetClassWindowNotification {
  type: 'setClassWindow';
  /** null: top-k by probability; otherwise the first class of the page. */
  start: number | null;
}

/** Webview → host: page the reduction card's sample losses. */
export interface SetLossPageNotification {
  type: 'setLossPage';
  /** Element index of the page's first loss. */
  offset: number;
}

/** Webview → host: override some options. */
export interface SetControlsNotification {
  type: 'setControls';
  /** The fields to override; absent fields keep their current value. */
  controls: ControlOverrides;
}

/** Webview → host: drop every override ("reset to code"). */
export interface ResetControlsNotification {
  type: 'resetControls';
}

/** Webview → host: the stability card's constant changed. */
export interface SetShiftNotification {
  type: 'setShift';
  /** The constant k added to every logit (finite). */
  shift: number;
}

/** Webview → host: copy something to the clipboard. */
export interface CopyNotification {
  type: 'copy';
  /** What to copy: the step table as Markdown or CSV, or a PyTorch snippet. */
  kind: CopyKind;
}

/** Webview → host: open the same view full width in the editor area (from the side bar's view). */
export interface OpenInEditorNotification {
  type: 'openInEditor';
}

/** Webview → host: select the pair's code in the editor. */
export interface RevealInEditorNotification {
  type: 'revealInEditor';
  /** {@link PairItem.id}. */
  id: number;
}

/** Every message the webview sends to the host. */
export type WebviewToHost =
  | ReadyNotification
  | SelectPairNotification
  | SelectSampleNotification
  | SetClassWindowNotification
  | SetLossPageNotification
  | SetControlsNotification
  | ResetControlsNotification
  | SetShiftNotification
  | CopyNotification
  | RevealInEditorNotification
  | OpenInEditorNotification
  | SelectLiveRowNotification
  | StopLiveStreamNotification;

/** How a non-finite number travels: `{ $nf: 'NaN' }`. No state object has a `$nf` field. */
interface NonFinite {
  $nf: 'NaN' | 'Infinity' | '-Infinity';
}

const maxDepth = 32;

function encodeValue(x: unknown, depth: number): unknown {
  if (typeof x === 'number') {
    if (Number.isFinite(x)) return x;
    return { $nf: x !== x ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity' } satisfies NonFinite;
  }
  if (typeof x !== 'object' || x === null || depth > maxDepth) return x;
  if (Array.isArray(x)) {
    const out = new Array<unknown>(x.length);
    for (let i = 0; i < x.length; i++) out[i] = encodeValue(x[i], depth + 1);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(x)) out[key] = encodeValue((x as Record<string, unknown>)[key], depth + 1);
  return out;
}

function decodeValue(x: unknown, depth: number): unknown {
  if (typeof x !== 'object' || x === null) return x;
  if (depth > maxDepth) return undefined; // fails the guard instead of recursing without end
  if (Array.isArray(x)) {
    const out = new Array<unknown>(x.length);
    for (let i = 0; i < x.length; i++) out[i] = decodeValue(x[i], depth + 1);
    return out;
  }
  const keys = Object.keys(x);
  const nf = (x as Record<string, unknown>).$nf;
  if (keys.length === 1 && (nf === 'NaN' || nf === 'Infinity' || nf === '-Infinity')) {
    return nf === 'NaN' ? NaN : nf === 'Infinity' ? Infinity : -Infinity;
  }
  const out: Record<string, unknown> = {};
  // defineProperty: a key named `__proto__` stays a data field (which the guard then rejects as
  // unknown) instead of replacing the copy's prototype.
  for (const key of keys) {
    const value = decodeValue((x as Record<string, unknown>)[key], depth + 1);
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** A copy of `msg` that survives JSON: NaN and ±Infinity become `{ $nf: … }`. Host side, before `postMessage`. */
export function encodeHostMessage(msg: HostToWebview): unknown {
  return encodeValue(msg, 0);
}

/** The inverse of {@link encodeHostMessage}, on an untrusted value. Webview side, before {@link isHostToWebview}. */
export function decodeHostMessage(raw: unknown): unknown {
  return decodeValue(raw, 0);
}

/** A guard's answer: null when the value is fine, or what is wrong with it. */
type Problem = string | null;
type Check = (x: unknown, path: string) => Problem;
/** One check per field of T: the compiler keeps schema and interface in step. */
type Schema<T> = { [K in keyof T]-?: Check };

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const anyNumber: Check = (x, p) => (typeof x === 'number' ? null : `${p} is not a number`);

function finite(min = -Number.MAX_VALUE, max = Number.MAX_VALUE): Check {
  return (x, p) => (typeof x === 'number' && x >= min && x <= max ? null : `${p} is not a number in [${min}, ${max}]`);
}

function int(min = 0, max = Number.MAX_SAFE_INTEGER): Check {
  return (x, p) =>
    typeof x === 'number' && Number.isSafeInteger(x) && x >= min && x <= max
      ? null
      : `${p} is not an integer in [${min}, ${max}]`;
}

const bool: Check = (x, p) => (typeof x === 'boolean' ? null : `${p} is not a boolean`);

function text(max: number): Check {
  return (x, p) =>
    typeof x === 'string' && x.length <= max ? null : `${p} is not a string of at most ${max} characters`;
}

function oneOf(...values: readonly string[]): Check {
  return (x, p) => (typeof x === 'string' && values.includes(x) ? null : `${p} is not one of ${values.join(', ')}`);
}

function nullable(check: Check): Check {
  return (x, p) => (x === null ? null : check(x, p));
}

/** A field that may be absent (added after the first version of a message: older senders omit it). */
function optional(check: Check): Check {
  return (x, p) => (x === undefined ? null : check(x, p));
}

function arrayOf(check: Check, maxLength: number): Check {
  return (x, p) => {
    if (!Array.isArray(x)) return `${p} is not an array`;
    if (x.length > maxLength) return `${p} has ${x.length} entries, more than ${maxLength}`;
    for (let i = 0; i < x.length; i++) {
      const problem = check(x[i], `${p}[${i}]`);
      if (problem) return problem;
    }
    return null;
  };
}

/** A list of numbers (NaN and ±Infinity allowed: they are results), in one tight loop. */
function numbers(maxLength: number): Check {
  return (x, p) => {
    if (!Array.isArray(x)) return `${p} is not an array`;
    if (x.length > maxLength) return `${p} has ${x.length} entries, more than ${maxLength}`;
    for (let i = 0; i < x.length; i++) if (typeof x[i] !== 'number') return `${p}[${i}] is not a number`;
    return null;
  };
}

/** Checks every field with `schema`, rejects unknown fields, then runs `refine` for cross-field rules. */
function object<T>(schema: Schema<T>, refine?: (x: T, p: string) => Problem): Check {
  const keys = Object.keys(schema) as (keyof T & string)[];
  return (x, p) => {
    if (!isRecord(x)) return `${p} is not an object`;
    for (const key of Object.keys(x))
      if (!Object.hasOwn(schema, key)) return `${p} has an unknown field ${JSON.stringify(key.slice(0, 40))}`;
    for (const key of keys) {
      const problem = schema[key](x[key], `${p}.${key}`);
      if (problem) return problem;
    }
    return refine ? refine(x as T, p) : null;
  };
}

/** Like {@link object}, but every field is optional (a partial update). */
function partial<T>(schema: Schema<T>): Check {
  return (x, p) => {
    if (!isRecord(x)) return `${p} is not an object`;
    for (const key of Object.keys(x)) {
      if (!Object.hasOwn(schema, key)) return `${p} has an unknown field ${JSON.stringify(key.slice(0, 40))}`;
      const problem = schema[key as keyof T](x[key], `${p}.${key}`);
      if (problem) return problem;
    }
    return null;
  };
}

function sameLength(p: string, length: number, fields: Record<string, unknown[] | null>): Problem {
  for (const [name, values] of Object.entries(fields)) {
    if (values !== null && values.length !== length) return `${p}.${name} has ${values.length} entries, not ${length}`;
  }
  return null;
}

function ascendingBelow(values: number[], limit: number, p: string): Problem {
  let previous = -Infinity;
  for (const v of values) {
    if (v >= limit || v <= previous) return `${p} is not ascending below ${limit}`;
    previous = v;
  }
  return null;
}

const shape = arrayOf(int(), maxDims);
const classIndex = int(0, 2 ** 31);
const reduction = oneOf('mean', 'sum', 'none');
const dtype = oneOf('float32', 'float64');
const dtypeChoice = oneOf('float32', 'float64', 'both');
const inputKind = oneOf('logits', 'log_probs');
const copyKind = oneOf('markdown', 'json', 'csv', 'pytorch');
const weights = arrayOf(finite(), maxWeights);

const pairItem = object<PairItem>({
  id: int(),
  label: text(maxLabel),
  line: int(1),
  loss: nullable(anyNumber),
  failed: bool,
  cell: optional(nullable(int())),
});

const panelOptions = object<PanelOptions>({
  reduction,
  dtype: dtypeChoice,
  labelSmoothing: finite(0, 1),
  ignoreIndex: int(Number.MIN_SAFE_INTEGER),
  inputKind,
  hasWeight: bool,
  weight: nullable(weights),
});

const pairOrigin = object<PairOrigin>({
  title: text(maxLabel),
  library: text(maxLabel),
  loss: nullable(anyNumber),
  losses: numbers(maxOriginLosses),
  count: int(),
  notes: arrayOf(text(maxText), maxOriginNotes),
  torchSteps: bool,
  pytorch: bool,
  noCopy: nullable(text(maxText)),
});

const pairSummary = object<PairSummary>({
  id: int(),
  logitsName: nullable(text(maxLabel)),
  targetName: nullable(text(maxLabel)),
  inputShape: shape,
  targetShape: shape,
  lossShape: shape,
  N: int(1),
  C: int(1),
  S: int(1),
  targetKind: oneOf('indices', 'probabilities'),
  codeOptions: panelOptions,
  options: panelOptions,
  claimText: nullable(text(maxText)),
  claimOk: nullable(bool),
  codePrinted: optional(nullable(text(maxText))),
  origin: optional(nullable(pairOrigin)),
});

const classWindow = object<ClassWindow>({ start: nullable(classIndex), size: int(1, maxShownClasses) });

const sampleView = object<SampleView>(
  {
    element: int(),
    position: shape,
    // An ignored sample's target is ignore_index (-100 by default), or the out-of-range value written.
    target: nullable(int(Number.MIN_SAFE_INTEGER)),
    ignored: bool,
    dtype,
    inputKind,
    labelSmoothing: finite(0, 1),
    C: int(1, 2 ** 31),
    classIndices: arrayOf(classIndex, maxShownClasses),
    window: classWindow,
    logits: numbers(maxShownClasses),
    max: nullable(anyNumber),
    argmax: nullable(classIndex),
    predicted: optional(nullable(classIndex)),
    shifted: nullable(numbers(maxShownClasses)),
    exp: nullable(numbers(maxShownClasses)),
    sumExp: nullable(anyNumber),
    logSumExp: nullable(anyNumber),
    softmax: numbers(maxShownClasses),
    logSoftmax: numbers(maxShownClasses),
    q: numbers(maxShownClasses),
    qLogP: numbers(maxShownClasses),
    weight: numbers(maxShownClasses),
    contributions: numbers(maxShownClasses),
    grad: nullable(numbers(maxShownClasses)),
    weightedTargetSum: anyNumber,
    gradDenominator: anyNumber,
    hiddenSoftmax: anyNumber,
    hiddenContribution: anyNumber,
    loss: anyNumber,
    denominatorShare: anyNumber,
  },
  (s, p) =>
    (!s.ignored && s.target !== null && !(s.target >= 0 && s.target < s.C) ? `${p}.target is not a class` : null) ??
    ascendingBelow(s.classIndices, s.C, `${p}.classIndices`) ??
    (typeof s.predicted === 'number' && s.predicted >= s.C ? `${p}.predicted is not below C` : null) ??
    sameLength(p, s.classIndices.length, {
      logits: s.logits,
      shifted: s.shifted,
      exp: s.exp,
      softmax: s.softmax,
      logSoftmax: s.logSoftmax,
      q: s.q,
      qLogP: s.qLogP,
      weight: s.weight,
      contributions: s.contributions,
      grad: s.grad,
    }),
);

const totals = object<ReductionTotals>({
  numerator: anyNumber,
  denominator: anyNumber,
  loss: anyNumber,
  torchPrint: text(maxText),
});

const reductionCard = object<ReductionCard>(
  {
    reduction,
    count: int(),
    ignoredCount: int(),
    offset: int(),
    pageSize: int(1, maxLossPage),
    losses: numbers(maxLossPage),
    ignored: arrayOf(bool, maxLossPage),
    dtype,
    float32: nullable(totals),
    float64: nullable(totals),
    invalid: optional(arrayOf(bool, maxLossPage)),
  },
  (r, p) =>
    sameLength(p, r.losses.length, { ignored: r.ignored, invalid: r.invalid ?? null }) ??
    (r.ignoredCount > r.count ? `${p}.ignoredCount exceeds count` : null),
);

const stabilityCard = object<StabilityCard>(
  {
    shift: finite(),
    classIndices: arrayOf(classIndex, maxShownClasses),
    shiftedLogits: numbers(maxShownClasses),
    naiveExp: numbers(maxShownClasses),
    naiveSum: anyNumber,
    naiveSoftmax: numbers(maxShownClasses),
    overflowCount: int(),
    stableMax: anyNumber,
    stableSumExp: anyNumber,
    stableSoftmax: numbers(maxShownClasses),
  },
  (s, p) =>
    sameLength(p, s.classIndices.length, {
      shiftedLogits: s.shiftedLogits,
      naiveExp: s.naiveExp,
      naiveSoftmax: s.naiveSoftmax,
      stableSoftmax: s.stableSoftmax,
    }),
);

function boundaries(values: number[], count: number, limit: number, p: string): Problem {
  if (values.length !== count + 1) return `${p} has ${values.length} entries, not ${count + 1}`;
  if (values[0] !== 0 || values[count] !== limit) return `${p} does not run from 0 to ${limit}`;
  for (let i = 1; i <= count; i++) if (!(values[i]! > values[i - 1]!)) return `${p} is not increasing`;
  return null;
}

const heatMap = object<HeatMap>(
  {
    rows: int(1, maxHeatRows),
    cols: int(1, maxHeatCols),
    values: numbers(maxHeatRows * maxHeatCols),
    rowStart: arrayOf(int(), maxHeatRows + 1),
    colStart: arrayOf(int(), maxHeatCols + 1),
    rowLoss: numbers(maxHeatRows),
    rowIgnored: arrayOf(bool, maxHeatRows),
    rowPick: arrayOf(int(), maxHeatRows),
    count: int(1),
    C: int(1, 2 ** 31),
  },
  (h, p) =>
    (h.values.length !== h.rows * h.cols ? `${p}.values has ${h.values.length} entries, not rows·cols` : null) ??
    boundaries(h.rowStart, h.rows, h.count, `${p}.rowStart`) ??
    boundaries(h.colStart, h.cols, h.C, `${p}.colStart`) ??
    sameLength(p, h.rows, { rowLoss: h.rowLoss, rowIgnored: h.rowIgnored, rowPick: h.rowPick }) ??
    (h.rowPick.some((e) => e >= h.count) ? `${p}.rowPick points past the last element` : null),
);

const panelState = object<PanelState>({
  locale: oneOf('en', 'ko'),
  documentLabel: text(maxLabel),
  status: oneOf('empty', 'computing', 'ready', 'error'),
  error: nullable(text(maxText)),
  decimals: int(0, 12),
  pairs: arrayOf(pairItem, maxPairs),
  selectedPairId: nullable(int()),
  pair: nullable(pairSummary),
  sample: nullable(sampleView),
  reduction: nullable(reductionCard),
  stability: nullable(stabilityCard),
  heatMap: nullable(heatMap),
  stale: optional(
    nullable(
      object<StaleNote>({
        line: int(1),
        cell: nullable(int()),
        opener: optional(nullable(oneOf('[', '(', '{'))),
        editLine: optional(nullable(int(1))),
      }),
    ),
  ),
  live: optional(
    object<LiveBadge>({
      frame: text(maxLabel),
      line: int(1),
      paused: bool,
      programLoss: nullable(
        object<NonNullable<LiveBadge['programLoss']>>({
          expression: text(maxLabel),
          value: anyNumber,
          dtype: text(maxLabel),
        }),
      ),
      agrees: nullable(bool),
      notes: arrayOf(text(maxText), maxLiveNotes),
      selection: optional(nullable(object<{ line: number; endLine: number }>({ line: int(1), endLine: int(1) }))),
      rows: optional(
        object<NonNullable<LiveBadge['rows']>>({
          total: int(),
          read: arrayOf(int(), maxLiveRows),
          failed: nullable(text(maxText)),
        }),
      ),
      stream: optional(
        object<NonNullable<LiveBadge['stream']>>({
          state: oneOf('streaming', 'done', 'cancelled', 'stale', 'failed'),
          positions: int(),
          batchLoss: nullable(anyNumber),
          message: nullable(text(maxText)),
        }),
      ),
    }),
  ),
  invalidTargets: optional(
    nullable(
      object<InvalidTargets>({
        C: int(1, 2 ** 31),
        ignoreIndex: int(Number.MIN_SAFE_INTEGER),
        count: int(1),
        items: arrayOf(
          object<InvalidTargets['items'][number]>({ element: int(), value: finite() }),
          maxNamedInvalidTargets,
        ),
        selected: nullable(finite()),
      }),
    ),
  ),
});

const controlOverrides = partial<ControlOverrides>({
  reduction,
  dtype: dtypeChoice,
  labelSmoothing: finite(0, 1),
  ignoreIndex: int(Number.MIN_SAFE_INTEGER),
  weight: nullable(weights),
  inputKind,
});

const typeField =
  (t: string): Check =>
  (x, p) =>
    x === t ? null : `${p} is not ${t}`;

const webviewToHostSchemas: { [K in WebviewToHost['type']]: Check } = {
  ready: object<ReadyNotification>({ type: typeField('ready') }),
  selectPair: object<SelectPairNotification>({ type: typeField('selectPair'), id: int() }),
  selectSample: object<SelectSampleNotification>({ type: typeField('selectSample'), element: int() }),
  selectLiveRow: object<SelectLiveRowNotification>({ type: typeField('selectLiveRow'), position: int() }),
  stopLiveStream: object<StopLiveStreamNotification>({ type: typeField('stopLiveStream') }),
  setClassWindow: object<SetClassWindowNotification>({
    type: typeField('setClassWindow'),
    start: nullable(classIndex),
  }),
  setLossPage: object<SetLossPageNotification>({ type: typeField('setLossPage'), offset: int() }),
  setControls: object<SetControlsNotification>({ type: typeField('setControls'), controls: controlOverrides }),
  resetControls: object<ResetControlsNotification>({ type: typeField('resetControls') }),
  setShift: object<SetShiftNotification>({ type: typeField('setShift'), shift: finite(-3e38, 3e38) }),
  copy: object<CopyNotification>({ type: typeField('copy'), kind: copyKind }),
  revealInEditor: object<RevealInEditorNotification>({ type: typeField('revealInEditor'), id: int() }),
  openInEditor: object<OpenInEditorNotification>({ type: typeField('openInEditor') }),
};

const hostToWebviewSchemas: { [K in HostToWebview['type']]: Check } = {
  state: object<PanelStateNotification>(
    { type: typeField('state'), state: panelState, heatMapId: optional(int(1)) },
    (m, p) =>
      m.heatMapId !== undefined && m.state.heatMap !== null ? `${p}.state.heatMap is sent by reference too` : null,
  ),
  heatMap: object<HeatMapNotification>({ type: typeField('heatMap'), id: int(1), heatMap }),
};

/**
 * Checks a message against its type's schema. Only own names count (`toString` or `__proto__`
 * as a type or a field is unknown, never Object.prototype's), and a check that throws on a
 * hostile value is a rejection, not an exception for the caller.
 */
function dispatch(schemas: Record<string, Check>, x: unknown): Problem {
  try {
    if (!isRecord(x)) return 'message is not an object';
    const type = x.type;
    const check = typeof type === 'string' && Object.hasOwn(schemas, type) ? schemas[type] : undefined;
    if (!check) return `unknown message type ${JSON.stringify(String(type).slice(0, 40))}`;
    return check(x, type as string);
  } catch (err) {
    return `message could not be checked: ${err instanceof Error ? err.message : String(err)}`.slice(0, 200);
  }
}

/** Why `x` is not a valid {@link WebviewToHost} message, or null when it is one. */
export function webviewToHostProblem(x: unknown): Problem {
  return dispatch(webviewToHostSchemas, x);
}

/** Why `x` (already passed through {@link decodeHostMessage}) is not a valid {@link HostToWebview} message, or null. */
export function hostToWebviewProblem(x: unknown): Problem {
  return dispatch(hostToWebviewSchemas, x);
}

/** Guard for messages arriving at the host. */
export function isWebviewToHost(x: unknown): x is WebviewToHost {
  return webviewToHostProblem(x) === null;
}

/** Guard for messages arriving at the webview (after {@link decodeHostMessage}). */
export function isHostToWebview(x: unknown): x is HostToWebview {
  return hostToWebviewProblem(x) === null;
}
