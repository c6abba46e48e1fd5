/**
 * Pure builders of the panel's {@link PanelState} snapshot from what the worker returns (a
 * {@link LossPayload} per dtype, the {@link SampleBreakdown} of the selected sample) plus
 * what the host knows about the pair. No `vscode` import and no Node APIs: these run in vitest.
 * The heat map is built in the worker, where the probabilities are (src/worker/heatMap.ts).
 *
 * Every builder keeps the guard in src/protocol/webview.ts satisfied: long text is cut, arrays
 * are bounded, numbers that must be integers are integers. A snapshot the guard rejected would be
 * dropped by the webview and leave the panel stale.
 */
import { buildSampleView, buildStability } from '../core/shownSample';
import {
  classPageSize,
  maxLabel,
  maxOriginLosses,
  maxOriginNotes,
  maxLiveNotes,
  maxLiveRows,
  maxLossPage,
  maxPairs,
  maxText,
  maxWeights,
  type DType,
  type HeatMap,
  type LiveBadge,
  type Locale,
  type PairItem,
  type PairSummary,
  type PanelOptions,
  type PanelState,
  type PanelStatus,
  type ReductionCard,
  type ReductionTotals,
  type StaleNote,
  type InvalidTargets,
  maxNamedInvalidTargets,
} from '../protocol/webview';
import type { InvalidTargetList, SampleBreakdown, StabilityCard } from '../core/types';
import type { LossPayload, PanelData, ShownRequest, ShownSample, WireSampleBreakdown } from '../protocol/worker';
import { torchPrint } from '../core/torchPrint';

export { buildSampleView, buildStability, selectClasses, type SampleViewOptions } from '../core/shownSample';

/** The element of the sample a reply shows. */
export function shownElement(data: Pick<PanelData, 'breakdown' | 'shown'>): number {
  return data.shown?.sample.element ?? data.breakdown?.element ?? 0;
}

/** Sample losses per page of the reduction card. */
export const lossPageSize = 200;

/** What the user is looking at, kept by the controller between snapshots. */
export interface PanelView {
  /** First class of the step table's page, or null for the top-k. */
  classStart: number | null;
  /** First element of the reduction card's page, or null for the page holding the selected sample. */
  lossOffset: number | null;
  /** The stability card's constant k. */
  shift: number;
  /** The webview shows the stability card open (closed, it is not computed). */
  stability: boolean;
}

/** The default view: top-k classes, the selected sample's page, no shift, the stability card closed (as the webview starts it). */
export const defaultPanelView: PanelView = { classStart: null, lossOffset: null, shift: 0, stability: false };

/** The default view, keeping which cards `kept` (the view it replaces) has open: that is the webview's to say. */
export function freshView(kept?: PanelView): PanelView {
  return { ...defaultPanelView, stability: kept?.stability ?? defaultPanelView.stability };
}

/** What the worker is asked to show of the sample for `view` (see {@link ShownRequest}). */
export function shownRequest(view: PanelView): ShownRequest {
  return {
    classStart: view.classStart,
    shift: Number.isFinite(view.shift) ? view.shift : 0,
    stability: view.stability,
  };
}

/** The stability card for a closed one the worker did not compute: its constant, nothing else. */
function closedStability(shift: number): StabilityCard {
  const lists = { classIndices: [], shiftedLogits: [], naiveExp: [], naiveSoftmax: [], stableSoftmax: [] };
  return { shift, ...lists, naiveSum: NaN, overflowCount: 0, stableMax: NaN, stableSumExp: NaN, closed: true };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function clipOrNull(text: string | null | undefined, max: number): string | null {
  return text === null || text === undefined ? null : clip(text, max);
}

/**
 * Cells the panel's heat map gets at most: about 160 kB of snapshot, which every message repeats
 * (snapshots, never deltas). More are not seen: a side bar's canvas is a few hundred pixels wide.
 */
export const heatCellBudget = 16_384;

/**
 * `map` with groups of adjacent columns merged until rows × cols ≤ `maxCells` (at least one
 * column stays). Exact with respect to {@link buildHeatMap}'s meaning: a merged cell is the max
 * p of the classes of its columns, NaN only when all of them are NaN. Rows are unchanged.
 */
export function coarsenHeatMap(map: HeatMap, maxCells = heatCellBudget): HeatMap {
  if (map.rows * map.cols <= maxCells) return map;
  const target = Math.max(1, Math.floor(maxCells / map.rows));
  const group = Math.ceil(map.cols / target);
  const cols = Math.ceil(map.cols / group);
  const colStart = new Array<number>(cols + 1);
  for (let j = 0; j < cols; j++) colStart[j] = map.colStart[j * group]!;
  colStart[cols] = map.colStart[map.cols]!;
  const values = new Array<number>(map.rows * cols);
  for (let r = 0; r < map.rows; r++) {
    for (let j = 0; j < cols; j++) {
      let m = NaN;
      const end = Math.min(map.cols, (j + 1) * group);
      for (let k = j * group; k < end; k++) {
        const v = map.values[r * map.cols + k]!;
        if (v > m || m !== m) m = v;
      }
      values[r * cols + j] = m;
    }
  }
  return { ...map, cols, colStart, values };
}

/** Totals of one precision, as the worker returns them. */
export type TotalsSource = Pick<
  LossPayload,
  'numerator' | 'denominator' | 'loss' | 'losses' | 'dtype' | 'reduction' | 'lossShape'
>;

/** The float32 or float64 totals with torch's print of the loss. */
export function reductionTotals(p: TotalsSource): ReductionTotals {
  const printed =
    p.reduction === 'none' ? torchPrint(p.losses, p.lossShape, p.dtype) : torchPrint([p.loss], [], p.dtype);
  return { numerator: p.numerator, denominator: p.denominator, loss: p.loss, torchPrint: clip(printed, maxText) };
}

/** First element of the page: `offset` rounded down to a page, or the page holding `selected`. */
export function lossPageOffset(
  count: number,
  offset: number | null,
  selected: number,
  pageSize = lossPageSize,
): number {
  const wanted = offset ?? selected;
  const last = Math.max(0, count - 1);
  const clamped = Math.min(Math.max(0, Math.floor(wanted)), last);
  return clamped - (clamped % pageSize);
}

/** The reduction card from the working result (and the other dtype's, when it was computed). */
export function buildReductionCard(
  main: LossPayload,
  other: LossPayload | null,
  offset: number | null,
  selected: number,
  pageSize = lossPageSize,
): ReductionCard {
  const count = main.losses.length;
  const size = Math.min(pageSize, maxLossPage);
  const first = lossPageOffset(count, offset, selected, size);
  const end = Math.min(count, first + size);
  const losses: number[] = [];
  const ignored: boolean[] = [];
  for (let e = first; e < end; e++) {
    losses.push(main.losses[e]!);
    ignored.push(!!(main.ignored && main.ignored[e]));
  }
  let ignoredCount = 0;
  if (main.ignored) for (let e = 0; e < main.ignored.length; e++) ignoredCount += main.ignored[e] ? 1 : 0;
  const byDtype = (d: DType) => (main.dtype === d ? main : other && other.dtype === d ? other : null);
  const f32 = byDtype('float32');
  const f64 = byDtype('float64');
  return {
    reduction: main.reduction,
    count,
    ignoredCount,
    offset: first,
    pageSize: size,
    losses,
    ignored,
    dtype: main.dtype,
    float32: f32 ? reductionTotals(f32) : null,
    float64: f64 ? reductionTotals(f64) : null,
  };
}

/** Cuts what the guard bounds: long names, weights too many to edit, an ε outside [0, 1]. */
export function sanitizeOptions(o: PanelOptions): PanelOptions {
  const eps = Number.isFinite(o.labelSmoothing) ? Math.min(1, Math.max(0, o.labelSmoothing)) : 0;
  const weight = o.weight && o.weight.length <= maxWeights && o.weight.every(Number.isFinite) ? o.weight.slice() : null;
  return {
    ...o,
    labelSmoothing: eps,
    ignoreIndex: Number.isSafeInteger(o.ignoreIndex) ? o.ignoreIndex : -100,
    hasWeight: o.hasWeight || weight !== null,
    weight,
  };
}

function sanitizePair(p: PairSummary): PairSummary {
  return {
    ...p,
    logitsName: clipOrNull(p.logitsName, maxLabel),
    targetName: clipOrNull(p.targetName, maxLabel),
    codeOptions: sanitizeOptions(p.codeOptions),
    options: sanitizeOptions(p.options),
    claimText: clipOrNull(p.claimText, maxText),
    codePrinted: clipOrNull(p.codePrinted, maxText),
    ...(p.assumedTorch
      ? { assumedTorch: { mark: clip(p.assumedTorch.mark, maxLabel), reason: clip(p.assumedTorch.reason, maxText) } }
      : {}),
    ...(p.origin
      ? {
          origin: {
            ...p.origin,
            title: clip(p.origin.title, maxLabel),
            library: clip(p.origin.library, maxLabel),
            losses: p.origin.losses.slice(0, maxOriginLosses),
            notes: p.origin.notes.slice(0, maxOriginNotes).map((n) => clip(n, maxText)),
            noCopy: clipOrNull(p.origin.noCopy, maxText),
          },
        }
      : {}),
  };
}

/** Everything {@link buildPanelState} combines. */
export interface PanelStateInput {
  /** Language of the panel strings. */
  locale: Locale;
  /** File name of the document. */
  documentLabel: string;
  /** Decimals shown. */
  decimals: number;
  /** Every pair of the document. */
  pairs: PairItem[];
  /** The pair shown. */
  selectedPairId: number | null;
  /** Its summary (null while unknown). */
  pair: PairSummary | null;
  /** The result in the working dtype (null while computing or after an error). */
  result: LossPayload | null;
  /** The result in the other dtype, when computed (dtype 'both', or to show float32 against float64). */
  otherResult?: LossPayload | null;
  /** The selected sample: plain lists, or the Float64Arrays the worker transferred. */
  breakdown: SampleBreakdown | WireSampleBreakdown | null;
  /**
   * The selected sample's shown columns and stability card as the worker built them for
   * {@link view} (then `breakdown` is null): used as they are.
   */
  shown?: ShownSample | null;
  /** The batch heat map the worker built (src/worker/heatMap.ts), or null for none. */
  heatMap?: HeatMap | null;
  /** Paging and the stability constant. */
  view: PanelView;
  /** Why the pair or the document failed. */
  error?: string | null;
  /** Overrides the derived status (e.g. 'computing' while a newer result is on its way). */
  status?: PanelStatus;
  /** The snapshot shows an older result because the document does not parse (see {@link StaleNote}). */
  stale?: StaleNote | null;
  /** The badge of a pair read from a paused program. */
  live?: LiveBadge | undefined;
  /** Targets out of range, masked as ignored in `result` (see {@link PanelData.invalidTargets}). */
  invalidTargets?: InvalidTargetList | null;
}

/** A snapshot with nothing to show yet. */
export function emptyPanelState(locale: Locale, documentLabel = ''): PanelState {
  return {
    locale,
    documentLabel: clip(documentLabel, maxLabel),
    status: 'empty',
    error: null,
    decimals: 4,
    pairs: [],
    selectedPairId: null,
    pair: null,
    sample: null,
    reduction: null,
    stability: null,
    heatMap: null,
    stale: null,
  };
}

/**
 * The complete snapshot. Cards appear as their data is there: the step table and the stability
 * card need the breakdown, the reduction card the result, the heat map a batch and probabilities.
 */
export function buildPanelState(input: PanelStateInput): PanelState {
  const { result, breakdown, view } = input;
  const pair = input.pair ? sanitizePair(input.pair) : null;
  const error = clipOrNull(input.error, maxText);
  let pairs = input.pairs;
  if (pairs.length > maxPairs) {
    pairs = pairs.slice(0, maxPairs);
    const selected = input.pairs.find((p) => p.id === input.selectedPairId);
    if (selected && !pairs.includes(selected)) pairs[maxPairs - 1] = selected;
  }
  pairs = pairs.map((p) => ({
    ...p,
    label: clip(p.label, maxLabel),
    line: Math.max(1, Math.floor(p.line)),
    cell: p.cell === undefined || p.cell === null ? null : Math.max(0, Math.floor(p.cell)),
  }));
  const options = pair?.options;
  const invalid = input.invalidTargets ?? null;
  const shown = input.shown ?? null;
  const element = shown ? shown.sample.element : (breakdown?.element ?? null);
  const note = invalid ? invalidNote(invalid, element) : null;
  const built =
    !result || !options
      ? null
      : shown
        ? shown.sample
        : breakdown
          ? buildSampleView(breakdown, {
              dtype: result.dtype,
              inputKind: options.inputKind,
              labelSmoothing: options.labelSmoothing,
              reduction: result.reduction,
              denominator: result.denominator,
              classStart: view.classStart,
              pageSize: classPageSize,
            })
          : null;
  // A sample whose target was masked shows the value the code wrote, not the mask.
  const sample = built && note?.selected != null ? { ...built, target: note.selected } : built;
  const stability = !sample
    ? null
    : shown
      ? (shown.stability ??
        (sample.inputKind === 'logits' && !view.stability ? closedStability(shownRequest(view).shift) : null))
      : breakdown && sample.inputKind === 'logits' && Number.isFinite(view.shift)
        ? buildStability(breakdown.logits, sample.classIndices, view.shift)
        : null;
  let reduction = result ? buildReductionCard(result, input.otherResult ?? null, view.lossOffset, element ?? 0) : null;
  if (reduction && invalid) reduction = markInvalid(reduction, invalid);
  const heatMap = input.heatMap ?? null;
  const status: PanelStatus =
    input.status ??
    (error
      ? 'error'
      : pairs.length === 0
        ? 'empty'
        : result && (breakdown || shown || result.losses.length === 0)
          ? 'ready'
          : 'computing');
  return {
    locale: input.locale,
    documentLabel: clip(input.documentLabel, maxLabel),
    status,
    error,
    decimals: Math.min(12, Math.max(0, Math.floor(input.decimals))),
    pairs,
    selectedPairId: input.selectedPairId,
    pair,
    sample,
    reduction,
    stability,
    heatMap,
    stale: input.stale ?? null,
    ...(input.live ? { live: sanitizeLive(input.live) } : {}),
    ...(note ? { invalidTargets: note } : {}),
  };
}

/**
 * The reduction card of a result whose out-of-range targets were masked as ignored: those samples
 * are marked invalid rather than ignored, and there are no totals, because torch raises instead
 * of reducing (a total over the valid samples would be a number torch never prints).
 */
function markInvalid(card: ReductionCard, list: InvalidTargetList): ReductionCard {
  const bad = new Set(list.elements);
  const invalid = card.losses.map((_, i) => bad.has(card.offset + i));
  return {
    ...card,
    ignored: card.ignored.map((ign, i) => ign && !invalid[i]),
    ignoredCount: Math.max(0, card.ignoredCount - list.count),
    invalid,
    float32: null,
    float64: null,
  };
}

/** What the panel's note names: the first few bad targets, and the selected sample's when it is one. */
function invalidNote(list: InvalidTargetList, selected: number | null): InvalidTargets {
  const at = selected === null ? -1 : list.elements.indexOf(selected);
  return {
    C: list.C,
    ignoreIndex: list.ignoreIndex,
    count: list.count,
    items: list.elements.slice(0, maxNamedInvalidTargets).map((element, i) => ({ element, value: list.values[i]! })),
    selected: at >= 0 ? list.values[at]! : null,
  };
}

/** Program-derived text clipped to the guard's bounds, like the pair's labels. */
function sanitizeLive(live: LiveBadge): LiveBadge {
  return {
    frame: clip(live.frame, maxLabel),
    line: Math.max(1, Math.floor(live.line)),
    paused: live.paused,
    programLoss: live.programLoss
      ? {
          expression: clip(live.programLoss.expression, maxLabel),
          value: live.programLoss.value,
          dtype: clip(live.programLoss.dtype, maxLabel),
        }
      : null,
    agrees: live.agrees,
    notes: live.notes.slice(0, maxLiveNotes).map((n) => clip(n, maxText)),
    ...(live.selection
      ? {
          selection: {
            line: Math.max(1, Math.floor(live.selection.line)),
            endLine: Math.max(1, Math.floor(live.selection.endLine)),
          },
        }
      : {}),
    ...(live.rows
      ? {
          rows: {
            total: live.rows.total,
            read: live.rows.read.slice(0, maxLiveRows),
            failed: live.rows.failed === null ? null : clip(live.rows.failed, maxText),
          },
        }
      : {}),
    ...(live.stream
      ? {
          stream: {
            state: live.stream.state,
            ...(live.stream.kind ? { kind: live.stream.kind } : {}),
            positions: live.stream.positions,
            batchLoss: live.stream.batchLoss,
            message: live.stream.message === null ? null : clip(live.stream.message, maxText),
          },
        }
      : {}),
    ...(live.rowTerm ? { rowTerm: { ...live.rowTerm } } : {}),
  };
}
