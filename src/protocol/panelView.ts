/**
 * What the panel shows: the complete snapshot ({@link PanelState}) the host sends the webview after
 * every change, its parts, and the bounds the guards in ./webviewGuards.ts hold every part to.
 * Plain types and constants; src/protocol/webview.ts re-exports them for both sides.
 */
import type { SampleView, StabilityCard } from '../core/types';

/** The step table's sample and the stability card are built in the worker as well: their types live in the core. */
export type { ClassWindow, SampleView, StabilityCard } from '../core/types';
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
/** Most class columns a SampleView may carry: a page plus the target, with room to spare. */
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
   * scikit-learn, …) or a formula written by hand (with torch, numpy or Python ops). Absent or null for torch's losses.
   */
  origin?: PairOrigin | null;
  /**
   * torch's loss read through a name the file never imports (`F.cross_entropy` without `import
   * torch.nn.functional as F`): the header's short mark (`assumed torch`) and the reason in a
   * sentence, both localised by the host. Absent or null when the loss is torch's by its imports.
   */
  assumedTorch?: AssumedTorchNote | null;
}

/** The panel's note on a loss taken to be torch's without an import that says so. */
export interface AssumedTorchNote {
  /** A short mark beside the loss's name: `assumed torch`. */
  mark: string;
  /** Why, in a sentence: `F is not imported in this file: read as torch.nn.functional.cross_entropy.` */
  reason: string;
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
  /**
   * The card's heading (localised by the host): how the library computes it next to torch, what a
   * formula or a function of the code computes, or that what it computes is not known.
   */
  heading: string;
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

/**
 * A heat map given as another one with new row losses: the same cells (p does not depend on label
 * smoothing, the weight or ignore_index), new {@link HeatMap.rowLoss}, rowIgnored and rowPick.
 * `base` names the heat map the cells come from.
 */
export interface HeatMapRows extends Pick<HeatMap, 'rowLoss' | 'rowIgnored' | 'rowPick'> {
  base: number;
}

/** Whether `rows` are rows of `base`: one per row, each pick one of its elements. */
export function heatMapRowsFit(base: HeatMap, rows: HeatMapRows): boolean {
  return (
    rows.rowLoss.length === base.rows &&
    rows.rowIgnored.length === base.rows &&
    rows.rowPick.length === base.rows &&
    rows.rowPick.every((e) => Number.isSafeInteger(e) && e >= 0 && e < base.count)
  );
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
   * loss, recomputed here) and `batchLoss` is the batch's loss computed in the program (by torch in
   * Python, by Loss Inspector's in-program function in a Node program), while
   * all rows are read; `done`: the pair is the full read, every figure recomputed from all rows;
   * `cancelled`, `stale` (the program moved on) and `failed`: the first paint stays, and says so.
   */
  stream?: {
    state: 'streaming' | 'done' | 'cancelled' | 'stale' | 'failed';
    /**
     * `reduce`: over the budget, the rows the user looks at are shown first and the batch's loss
     * is still being computed in the program (`batchLoss` null while `streaming`); `pull`
     * (or absent): the full pull described above.
     */
    kind?: 'pull' | 'reduce';
    positions: number;
    batchLoss: number | null;
    message: string | null;
  };
  /**
   * Over the budget: the shown row's loss term as torch computed it in the program beside our
   * recomputation of the fetched row (`ours` null until the worker answered), and whether they
   * agree to float32 rounding.
   */
  rowTerm?: { position: number; program: number; ours: number | null; agrees: boolean | null };
}
