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
/** What the copy buttons produce. */
export type CopyKind = 'markdown' | 'csv' | 'pytorch';
/** Classes per page of the step table (the top-k, or a range of consecutive classes). */
export declare const classPageSize = 20;
/** Most class columns a {@link SampleView} may carry: a page plus the target, with room to spare. */
export declare const maxShownClasses = 64;
/** Most sample losses in one {@link ReductionCard} page. */
export declare const maxLossPage = 1000;
/** Largest heat map the host sends. */
export declare const maxHeatRows = 256;
/** Largest heat map the host sends. */
export declare const maxHeatCols = 512;
/** Most pairs listed in the picker. */
export declare const maxPairs = 5000;
/** Most class weights the weight control edits (and the state echoes). */
export declare const maxWeights = 4096;
/** Most dimensions in a shape. */
export declare const maxDims = 16;
/** Longest free text (error messages, claim text, printed tensors). */
export declare const maxText = 20000;
/** Longest label (names, file names, pair labels). */
export declare const maxLabel = 1000;
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
  /** Target class, or null for probability targets. */
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
}
/** Host → webview: the complete state. */
export interface PanelStateNotification {
  type: 'state';
  /** The whole snapshot (never a delta). */
  state: PanelState;
}
/** Every message the host sends to the webview. */
export type HostToWebview = PanelStateNotification;
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
  | RevealInEditorNotification;
/** A copy of `msg` that survives JSON: NaN and ±Infinity become `{ $nf: … }`. Host side, before `postMessage`. */
export declare function encodeHostMessage(msg: HostToWebview): unknown;
/** The inverse of {@link encodeHostMessage}, on an untrusted value. Webview side, before {@link isHostToWebview}. */
export declare function decodeHostMessage(raw: unknown): unknown;
/** A guard's answer: null when the value is fine, or what is wrong with it. */
type Problem = string | null;
/** Why `x` is not a valid {@link WebviewToHost} message, or null when it is one. */
export declare function webviewToHostProblem(x: unknown): Problem;
/** Why `x` (already passed through {@link decodeHostMessage}) is not a valid {@link HostToWebview} message, or null. */
export declare function hostToWebviewProblem(x: unknown): Problem;
/** Guard for messages arriving at the host. */
export declare function isWebviewToHost(x: unknown): x is WebviewToHost;
/** Guard for messages arriving at the webview (after {@link decodeHostMessage}). */
export declare function isHostToWebview(x: unknown): x is HostToWebview;
export {};
