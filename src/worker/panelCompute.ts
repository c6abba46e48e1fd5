/**
 * What the panel shows for one pair, computed in the worker: the pair under the panel's options in
 * both dtypes (kept until the options change), the batch heat map (kept while only the reduction
 * changes), and the answer for one sample.
 */
import { KernelError } from '../core/errors';
import {
  binnedSoftmax,
  gradientRow,
  reReduce,
  sampleBreakdown,
  type ComputeOutcome,
  type LossResult,
  type Prepared,
} from '../core/kernel';
import type { ErrorInfo, InvalidTargetList, LossRequest, Reduction } from '../core/types';
import { findInvalidTargets, maskInvalidTargets } from '../core/invalidTargets';
import type { PanelData, PanelDataParams } from '../protocol/worker';
import { sampleToWire } from '../protocol/worker';
import { HeatMapBuilder, withRowLosses, type BinnedRow } from './heatMap';
import type { ShownRows } from './shownRows';
import { shownSample, takePrefetched } from './shownAhead';
import { lossPayload } from './payload';
import {
  computeKept,
  laterOther,
  noRowStats,
  rowStatsSlot,
  stepRowStats,
  type Enough,
  type Resumable,
  type RowStatsKept,
} from './rowStatsKept';

export type { RowStatsKept } from './rowStatsKept';
export { keepShown, prefetchedElement, prefetchOtherRow, prefetchShown, stepPrefetchShown } from './shownAhead';

/** One evaluation kept for later breakdowns. */
export interface Computed {
  prepared: Prepared;
  result: LossResult;
}

/** The panel's last computation for a document or a held live pair: options key → results. */
export interface PanelComputation {
  optionsKey: string;
  main: Computed;
  other: Computed | null;
  heatMap: PanelData['heatMap'];
  /** {@link PanelData.heatMapId} of `heatMap`, kept across options that leave it as it is. */
  heatMapId: number;
  /** The options the heat map depends on (all but the reduction). */
  heatMapKey: string;
  /** What the heat map's cells (p) depend on: the pair, the dtype and whether the input holds logits. */
  cellsKey: string;
  /** Targets out of range, masked as ignored in `main` and `other` (torch raises on them). */
  invalidTargets: InvalidTargetList | null;
  /**
   * The heat map whose cells `heatMap` took with new row losses ({@link PanelData.heatMapRows}):
   * a host that holds it gets the rows only.
   */
  heatMapBase?: number;
  /**
   * A heat map of the pair with other cells (the other dtype's), kept so that going back to them
   * (a dtype swapped back, or another option after one) takes its cells instead of building them.
   */
  spareHeatMap?: KeptHeatMap;
  /**
   * Computes {@link other} when it was left for later ({@link PanelDataParams.otherLater}), a step
   * at a time in the worker's idle time or at once ({@link completeOther}); absent once it is computed.
   */
  otherLater?: Resumable<Computed | null>;
  /** The rows' statistics a new ε is computed from (see {@link RowStatsKept}). */
  rowStats: RowStatsKept;
  /**
   * The row lists of the samples shown last (kernel SampleRow: logits, exp, softmax, log_softmax),
   * handed from one computation to the next (see shownRows.ts): another ε, weight,
   * ignore_index or reduction shows the same sample without its C exps again.
   */
  shownRows: ShownRows;
}

/** A heat map with its id and what its cells and rows depend on. */
interface KeptHeatMap {
  heatMap: PanelData['heatMap'];
  heatMapId: number;
  heatMapKey: string;
  cellsKey: string;
}

/**
 * Inputs of at least this many elements may leave the other dtype for after the first answer
 * (when asked with `otherLater`): for a (64, 50 257) float32 read it is a float64 copy of 25.7 MB
 * and a pass over it, 0.1-0.4 s of the 0.4-0.6 s the panel's first answer took under load, while
 * the float32 pass took 15-50 ms. Below it, one answer with both is cheaper than two.
 */
export const otherLaterMinElements = 1 << 20;

/** Computes the other dtype of `panel` if it was left for later (it is its own from then on). */
export function completeOther(panel: PanelComputation): void {
  const later = panel.otherLater;
  if (!later) return;
  delete panel.otherLater;
  panel.other = later.finish();
}

export function thrown(error: ErrorInfo): KernelError {
  return new KernelError(error.code, error.message, error.detail);
}

/**
 * The pair `source` under the options of `message`: `previous` again when they are the same,
 * else computed anew (keeping `previous`'s heat map when only the reduction changed).
 * `nextHeatMapId` names a newly built heat map. `own` is `source` computed under its own options
 * (a held live pair's, see holdLive): taken as the main computation when the panel's options are
 * those, instead of a second pass over the input; the caller gives it up (see reReduced).
 */
export function panelComputation(
  source: LossRequest,
  message: PanelDataParams,
  previous: PanelComputation | undefined,
  nextHeatMapId: () => number,
  own?: Computed,
): PanelComputation {
  const o = message.options;
  const optionsKey = optionsKeyOf(message.pairId, o);
  if (previous?.optionsKey === optionsKey) return previous;
  // Other options: a swap or a new reduction takes the other dtype from `previous`.
  if (previous) completeOther(previous);
  // p and the rows' losses do not depend on the reduction: switching it keeps the map.
  const heatMapKey = heatMapKeyOf(message);
  const cellsKey = cellsKeyOf(message);
  if (previous?.heatMapKey === heatMapKey) {
    const moved = reReduced(previous, o.reduction);
    if (moved) return { ...moved, optionsKey };
  }
  // The other dtype of the same options but perhaps the reduction (the panel makes the other dtype
  // and the other reductions ahead, one after the other): both dtypes were computed for `previous`
  // under its reduction; they swap roles, then the swapped one is reduced again if need be.
  const was = previous?.main.prepared.reduction ?? o.reduction;
  const asWas: PanelDataParams = was === o.reduction ? message : { ...message, options: { ...o, reduction: was } };
  const swapped = previous
    ? dtypeSwapped(previous, asWas, optionsKeyOf(message.pairId, asWas.options), heatMapKey, nextHeatMapId)
    : null;
  if (swapped && was === o.reduction) return swapped;
  const moved = swapped ? reReduced(swapped, o.reduction) : null;
  if (moved) return { ...moved, optionsKey };
  const statsKey = rowStatsKeyOf(message);
  const rowStats = previous?.rowStats.key === statsKey ? previous.rowStats : noRowStats(statsKey);
  let request: LossRequest = {
    ...source,
    reduction: o.reduction,
    dtype: o.dtype,
    labelSmoothing: o.labelSmoothing,
    ignoreIndex: o.ignoreIndex,
    inputKind: o.inputKind,
    weight: o.weight ? { data: Float64Array.from(o.weight), shape: [o.weight.length], integral: false } : null,
  };
  // The gradient is computed per shown sample below, not for every logit of the batch.
  let main: ComputeOutcome =
    own && ownOptions(source, request) ? { ok: true, ...own } : computeKept(request, rowStats, false);
  let invalidTargets: InvalidTargetList | null = null;
  if (!main.ok && main.error.code === 'target_out_of_bounds') {
    // torch raises, but the other samples' steps still teach: compute them with the bad
    // targets masked, and say which they are (the host keeps torch's error on show).
    invalidTargets = findInvalidTargets(request);
    if (invalidTargets) {
      request = maskInvalidTargets(request);
      main = computeKept(request, rowStats, true);
    }
  }
  if (!main.ok) throw thrown(main.error);
  const otherRequest: LossRequest = { ...request, dtype: o.dtype === 'float32' ? 'float64' : 'float32' };
  const otherOf = (): Computed | null => {
    const r = computeKept(otherRequest, rowStats, !!invalidTargets);
    return r.ok ? { prepared: r.prepared, result: r.result } : null;
  };
  const later = message.otherLater === true && main.prepared.source.length >= otherLaterMinElements;
  const m = { prepared: main.prepared, result: main.result };
  // Label smoothing, the weight and ignore_index leave p as it is: the cells stay (the previous
  // map's, or its spare's after a dtype swap), the rows' losses move.
  const cells = previous ? mapWithCells(previous, cellsKey) : undefined;
  const { heatMap, heatMapId, heatMapBase } =
    previous?.heatMapKey === heatMapKey
      ? previous
      : cells?.heatMap
        ? {
            heatMap: withRowLosses(cells.heatMap, m.result.losses, m.result.ignored),
            heatMapId: nextHeatMapId(),
            heatMapBase: cells.heatMapId,
          }
        : { ...heatMapOf(m, nextHeatMapId), heatMapBase: 0 };
  const spare = previous ? spareFor(previous, cellsKey) : undefined;
  return {
    optionsKey,
    main: m,
    other: later ? null : otherOf(),
    ...(later ? { otherLater: laterOther(otherRequest, rowStats, !!invalidTargets) } : {}),
    heatMap,
    heatMapId,
    heatMapKey,
    cellsKey,
    invalidTargets,
    ...(heatMapBase ? { heatMapBase } : {}),
    ...(spare ? { spareHeatMap: spare } : {}),
    rowStats,
    shownRows: previous?.shownRows ?? new Map(),
  };
}

/** The heat map of `c` itself, as a {@link KeptHeatMap}. */
function ownMap(c: PanelComputation): KeptHeatMap {
  return { heatMap: c.heatMap, heatMapId: c.heatMapId, heatMapKey: c.heatMapKey, cellsKey: c.cellsKey };
}

/** The heat map of `c` (its own or its spare) whose cells are those of `cellsKey`. */
function mapWithCells(c: PanelComputation, cellsKey: string): KeptHeatMap | undefined {
  return [ownMap(c), c.spareHeatMap].find((k) => !!k?.heatMap && k.cellsKey === cellsKey);
}

/** The spare of a computation for `cellsKey` after `c`: `c`'s map (own or spare) of the same pair with other cells. */
function spareFor(c: PanelComputation, cellsKey: string): KeptHeatMap | undefined {
  const pair = cellsKey.slice(0, cellsKey.indexOf('|') + 1);
  return [ownMap(c), c.spareHeatMap].find(
    (k) => !!k?.heatMap && k.cellsKey !== cellsKey && k.cellsKey.startsWith(pair),
  );
}

/** {@link RowStatsKept.key} of `message`: the pair and the options but ε, the reduction and the dtype. */
function rowStatsKeyOf(message: PanelDataParams): string {
  return `${message.pairId}|${JSON.stringify({ ...message.options, labelSmoothing: null, reduction: null, dtype: null })}`;
}

/**
 * Makes the rows' statistics of `panel`'s computation `which` (main or other) that a later ε is
 * computed from, unless they are kept already or its rows are not served so, at once (finishing a
 * pass begun for them). True when it made them.
 */
export function keepRowStatsAhead(panel: PanelComputation, which: 'main' | 'other'): boolean {
  const c = panel[which];
  if (!c) return false;
  const slot = rowStatsSlot(c.prepared.dtype, panel.invalidTargets !== null);
  if (panel.rowStats.slots.has(slot)) return false;
  stepRowStats(panel.rowStats, slot, c.prepared);
  return panel.rowStats.slots.has(slot);
}

/**
 * {@link keepRowStatsAhead} a step at a time, for the worker's idle time: runs steps of its pass
 * until `enough` says stop. True when nothing is left.
 */
export function stepRowStatsAhead(panel: PanelComputation, which: 'main' | 'other', enough: Enough): boolean {
  const c = panel[which];
  if (!c) return true;
  return stepRowStats(
    panel.rowStats,
    rowStatsSlot(c.prepared.dtype, panel.invalidTargets !== null),
    c.prepared,
    enough,
  );
}

/** Whether `request` (a copy of `source` under the panel's options) asks for what `source` does. */
function ownOptions(source: LossRequest, request: LossRequest): boolean {
  const same = (a: LossRequest['weight'], b: LossRequest['weight']) =>
    a === b || (!!a && !!b && a.data.length === b.data.length && a.data.every((v, i) => Object.is(v, b.data[i])));
  return (
    source.reduction === request.reduction &&
    source.dtype === request.dtype &&
    Object.is(source.labelSmoothing, request.labelSmoothing) &&
    source.ignoreIndex === request.ignoreIndex &&
    source.inputKind === request.inputKind &&
    same(source.weight, request.weight)
  );
}

/** {@link PanelComputation.heatMapKey} of `message`'s options: all but the reduction. */
function heatMapKeyOf(message: PanelDataParams): string {
  return `${message.pairId}|${JSON.stringify({ ...message.options, reduction: null })}`;
}

/** {@link PanelComputation.cellsKey} of `message`'s options. */
function cellsKeyOf(message: PanelDataParams): string {
  return `${message.pairId}|${message.options.dtype}|${message.options.inputKind}`;
}

/** Builds the heat map of `c`'s p (its rows' losses with it), a few elements per step; null for a single position. */
function heatMapBuilder(c: Computed): HeatMapBuilder | null {
  const { N, C, S } = c.prepared;
  if (N * S <= 1) return null;
  // Only the shown cells: each bin's largest p from its largest logit, no materialised softmax.
  const cells: BinnedRow = (e, colStart, out) => binnedSoftmax(c.prepared, e, colStart, out);
  return new HeatMapBuilder(cells, N * S, C, c.result.losses, c.result.ignored);
}

/** The spare heat map being built ahead for a computation (see {@link stepSpareHeatMap}). */
const spareBuilds = new WeakMap<PanelComputation, { builder: HeatMapBuilder; other: Computed }>();

/**
 * Builds ahead, a few elements per step until `enough` says stop, the heat map a switch of
 * `panel` to its other dtype shows (that dtype's p and rows' losses under `message`'s options), and
 * keeps it as the spare, which the switch takes as it is ({@link dtypeSwapped}) instead of a pass
 * over the input then. Nothing to build before the other dtype is computed, for a single position,
 * or when a spare with its cells is kept already. True when nothing is left.
 */
export function stepSpareHeatMap(
  panel: PanelComputation,
  message: PanelDataParams,
  nextHeatMapId: () => number,
  enough: () => boolean,
): boolean {
  const other = panel.other;
  const o = message.options;
  const swapped: PanelDataParams = {
    ...message,
    options: { ...o, dtype: o.dtype === 'float32' ? 'float64' : 'float32' },
  };
  const cellsKey = cellsKeyOf(swapped);
  if (!other || panel.spareHeatMap?.cellsKey === cellsKey) return true;
  let build = spareBuilds.get(panel);
  if (build?.other !== other) {
    const builder = heatMapBuilder(other);
    if (!builder) return true;
    spareBuilds.set(panel, (build = { builder, other }));
  }
  if (!build.builder.step(enough)) return false;
  spareBuilds.delete(panel);
  panel.spareHeatMap = {
    heatMap: build.builder.finish(),
    heatMapId: nextHeatMapId(),
    heatMapKey: heatMapKeyOf(swapped),
    cellsKey,
  };
  return true;
}

/** The heat map of the main dtype's p (none for a single position), named by a new id. */
function heatMapOf(m: Computed, nextHeatMapId: () => number): Pick<PanelComputation, 'heatMap' | 'heatMapId'> {
  const builder = heatMapBuilder(m);
  return builder ? { heatMap: builder.finish(), heatMapId: nextHeatMapId() } : { heatMap: null, heatMapId: 0 };
}

/** The key of a computation: the pair and every option. */
function optionsKeyOf(pairId: number, o: PanelDataParams['options']): string {
  return `${pairId}|${JSON.stringify(o)}`;
}

/** The key {@link panelComputation} gives `message`'s options with the other dtype. */
function otherDtypeKey(message: PanelDataParams): string {
  const o = message.options;
  return optionsKeyOf(message.pairId, { ...o, dtype: o.dtype === 'float32' ? 'float64' : 'float32' });
}

/**
 * `previous` with its two dtypes swapped, when `message` asks for the same pair and options as
 * `previous` but the other dtype: `previous.other` is the same request in that dtype (masked the
 * same way), so it is what a fresh computation would make main. Only the heat map, which shows the
 * main dtype's p, is built again (or taken back from the spare, see {@link PanelComputation.spareHeatMap}). Null otherwise.
 */
function dtypeSwapped(
  previous: PanelComputation,
  message: PanelDataParams,
  optionsKey: string,
  heatMapKey: string,
  nextHeatMapId: () => number,
): PanelComputation | null {
  if (!previous.other || previous.optionsKey !== otherDtypeKey(message)) return null;
  const main = previous.other;
  if (main.prepared.dtype !== message.options.dtype) return null;
  const cellsKey = cellsKeyOf(message);
  const spare = previous.spareHeatMap;
  // The spare as it is when it was made for these options; its cells with these rows when only the
  // rows differ (another ε or weight since); else built.
  const { heatMap, heatMapId, heatMapBase } =
    spare?.heatMapKey === heatMapKey
      ? { ...spare, heatMapBase: 0 }
      : spare?.heatMap && spare.cellsKey === cellsKey
        ? {
            heatMap: withRowLosses(spare.heatMap, main.result.losses, main.result.ignored),
            heatMapId: nextHeatMapId(),
            heatMapBase: spare.heatMapId,
          }
        : { ...heatMapOf(main, nextHeatMapId), heatMapBase: 0 };
  // Another map: none of its cells come from the map `previous` took its own from.
  const { heatMapBase: _base, ...kept } = previous;
  return {
    ...kept,
    optionsKey,
    main,
    other: previous.main,
    heatMap,
    heatMapId,
    heatMapKey,
    cellsKey,
    ...(heatMapBase ? { heatMapBase } : {}),
    spareHeatMap: ownMap(previous),
  };
}

/**
 * `previous` under another reduction, from its per-element losses (no pass over the input); null
 * when a result has no sums to reduce. Its Prepared objects move to the new computation (their
 * `reduction` is set, which the gradient and the payload read): `previous` is not used again.
 */
function reReduced(previous: PanelComputation, reduction: Reduction): PanelComputation | null {
  const move = (c: Computed): Computed | null => {
    const result = reReduce(c.prepared, c.result, reduction);
    if (!result) return null;
    c.prepared.reduction = reduction;
    return { prepared: c.prepared, result };
  };
  const { main, other } = previous;
  if (!main.result.sums || (other && !other.result.sums)) return null;
  const movedMain = move(main);
  const movedOther = other ? move(other) : null;
  return movedMain ? { ...previous, main: movedMain, other: movedOther } : null;
}

/** The answer to `message` from the panel's computation. */
export function panelAnswer(panel: PanelComputation, message: PanelDataParams): PanelData {
  const { main, other, heatMap, heatMapId, invalidTargets } = panel;
  // The maps the host holds: the one it held last, and others it names (PanelDataParams.alsoHeld).
  const holds = (id: number) => id !== 0 && (message.heatMapId === id || !!message.alsoHeld?.includes(id));
  const heatMapKept = holds(heatMapId);
  // The host holds the map this one took its cells from: only the rows cross.
  const rowsOnly = !heatMapKept && heatMap !== null && !!panel.heatMapBase && holds(panel.heatMapBase);
  const count = main.prepared.N * main.prepared.S;
  let element = Math.min(Math.max(0, message.element), count - 1);
  if (invalidTargets && message.preferValid) element = firstValidFrom(element, count, invalidTargets);
  // No rows (N = 0 or a zero d_i): torch's reduction of nothing, and no sample to show.
  const none = count === 0;
  const shown =
    message.shown && !none ? (takePrefetched(panel, element, message) ?? shownSample(panel, message, element)) : null;
  const full =
    shown || none
      ? null
      : sampleBreakdown(main.prepared, main.result, element, gradientRow(main.prepared, main.result, element));
  return {
    result: lossPayload(main.prepared, main.result, message.pairId, 0, true),
    otherResult: other ? lossPayload(other.prepared, other.result, message.pairId, 0, true) : null,
    ...(panel.otherLater ? { otherPending: true } : {}),
    breakdown: full ? sampleToWire(full) : null,
    ...(shown ? { shown } : {}),
    heatMap: heatMapKept || rowsOnly ? null : heatMap,
    heatMapId,
    ...(heatMapKept ? { heatMapKept } : {}),
    ...(rowsOnly && heatMap
      ? {
          heatMapRows: {
            base: panel.heatMapBase!,
            rowLoss: heatMap.rowLoss,
            rowIgnored: heatMap.rowIgnored,
            rowPick: heatMap.rowPick,
          },
        }
      : {}),
    invalidTargets,
  };
}

/** `element` if its target is valid, else the first sample from 0 on whose target is (or `element` when none is). */
function firstValidFrom(element: number, count: number, invalid: InvalidTargetList): number {
  const bad = new Set(invalid.elements);
  if (!bad.has(element)) return element;
  // Past the listed cap the list says nothing: those samples count as valid here.
  for (let e = 0; e < count; e++) if (!bad.has(e)) return e;
  return element;
}
