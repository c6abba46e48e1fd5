/**
 * The rows' statistics the panel keeps per pair (a new ε is computed from them in O(N)), and the
 * two passes over a big pair the worker makes in its idle time after an answer — the other dtype
 * left for later, and the statistics of each dtype — made resumable: a few rows per turn of the
 * event loop ({@link RowStatisticsPass}), so that a request arriving meanwhile waits for one step,
 * not a pass. A request that needs what a pass begun ahead makes finishes that pass (the rows done
 * stay done), and gets what the pass made in one go would have given, to the bit.
 */
import { toErrorInfo } from '../core/errors';
import {
  allRowStatistics,
  computeLoss,
  crossEntropy,
  crossEntropyFromRowStats,
  prepare,
  RowStatisticsPass,
  type ComputeOutcome,
  type Prepared,
} from '../core/kernel';
import type { LossRequest } from '../core/types';
import type { Computed } from './panelCompute';

/**
 * Every row's statistics with its label-smoothing part (the kernel's allRowStatistics), kept for the
 * pair under the options but ε, the reduction and the dtype (`key`), by slot (the dtype, and
 * whether the targets were masked): none depends on ε, so a new ε is computed from them in O(N)
 * instead of a pass over the input in each dtype. Made by the first ε > 0 computed, or ahead of it
 * ({@link stepRowStats}).
 */
export interface RowStatsKept {
  key: string;
  slots: Map<string, Float64Array>;
  /** Passes begun ahead and not finished, by slot: what needs their statistics finishes them ({@link keptRowStats}). */
  passes: Map<string, RowStatisticsPass>;
}

/** Nothing kept yet for `key`. */
export function noRowStats(key: string): RowStatsKept {
  return { key, slots: new Map(), passes: new Map() };
}

/** The slot of {@link RowStatsKept.slots} for a request in `dtype`, its targets `masked` or not. */
export function rowStatsSlot(dtype: string, masked: boolean): string {
  return masked ? `${dtype} masked` : dtype;
}

/** Whether to run another step: asked after each step of a pass. */
export type Enough = () => boolean;

const never: Enough = () => false;

/** Keeps what the pass of `slot` made (nothing when its memory could not be had) and forgets the pass. */
function settle(kept: RowStatsKept, slot: string, stats: Float64Array | null): Float64Array | undefined {
  kept.passes.delete(slot);
  if (stats) kept.slots.set(slot, stats);
  return stats ?? undefined;
}

/** The statistics kept in `slot`, finishing the pass begun ahead for it if there is one; else undefined. */
export function keptRowStats(kept: RowStatsKept, slot: string): Float64Array | undefined {
  const have = kept.slots.get(slot);
  if (have) return have;
  const pass = kept.passes.get(slot);
  return pass ? settle(kept, slot, pass.finish()) : undefined;
}

/**
 * Runs steps of the pass making `slot`'s statistics from `p` (begun here if none is) until
 * `enough` says stop; keeps them once made. True when nothing is left: made, kept already, or not
 * made so for `p` (see allRowStatistics).
 */
export function stepRowStats(kept: RowStatsKept, slot: string, p: Prepared, enough: Enough = never): boolean {
  if (kept.slots.has(slot)) return true;
  let pass = kept.passes.get(slot);
  if (!pass) {
    const begun = RowStatisticsPass.of(p);
    if (!begun) return true;
    kept.passes.set(slot, (pass = begun));
  }
  if (!pass.step(enough)) return false;
  settle(kept, slot, pass.finish());
  return true;
}

/**
 * computeLoss of `request`, from the rows' statistics kept in `kept` when it has them (any ε),
 * finishing a pass begun ahead for them. A request with label smoothing that finds none makes them
 * (the pass the forward would make) and keeps them; one without computes as computeLoss does,
 * leaving them for later (see {@link stepRowStats}): at ε = 0 the smoothing parts would only cost.
 */
export function computeKept(request: LossRequest, kept: RowStatsKept, masked: boolean): ComputeOutcome {
  const slot = rowStatsSlot(request.dtype, masked);
  const stats = keptRowStats(kept, slot);
  if (!stats && !(request.labelSmoothing > 0)) return computeLoss(request);
  try {
    const prepared = prepare(request);
    let result = stats ? crossEntropyFromRowStats(prepared, stats) : null;
    if (!stats) {
      const made = allRowStatistics(prepared);
      if (made) {
        kept.slots.set(slot, made);
        result = crossEntropyFromRowStats(prepared, made);
      }
    }
    return { ok: true, prepared, result: result ?? crossEntropy(prepared, false, { oneShot: true }) };
  } catch (err) {
    return { ok: false, error: toErrorInfo(err) };
  }
}

/** A computation left for later that can be made a step at a time, or at once. */
export interface Resumable<T> {
  /** Runs steps until `enough` says stop (at least one when any is left); true when none is left. */
  step(enough: Enough): boolean;
  /** Runs what is left and gives the result. */
  finish(): T;
}

/**
 * The other dtype's computation of a big pair, left for after the first answer
 * ({@link PanelDataParams.otherLater}), made ahead a step at a time: the rows' statistics of
 * `request` (its dtype's slot, kept: a later ε needs them anyway), then the forward from them,
 * which equals computeLoss's to the bit (rowStats.ts). Finished at once it is {@link computeKept}'s
 * (a pass begun elsewhere for that slot is finished, not begun again). Null when it fails.
 */
export function laterOther(request: LossRequest, kept: RowStatsKept, masked: boolean): Resumable<Computed | null> {
  const slot = rowStatsSlot(request.dtype, masked);
  let prepared: Prepared | null | undefined;
  return {
    step(enough) {
      if (kept.slots.has(slot)) return true;
      if (prepared === undefined) {
        try {
          prepared = prepare(request);
        } catch {
          prepared = null; // finish() reports it, as computeKept does
        }
      }
      return !prepared || stepRowStats(kept, slot, prepared, enough);
    },
    finish() {
      const stats = prepared ? keptRowStats(kept, slot) : undefined;
      const result = prepared && stats ? crossEntropyFromRowStats(prepared, stats) : null;
      if (prepared && result) return { prepared, result };
      const r = computeKept(request, kept, masked);
      return r.ok ? { prepared: r.prepared, result: r.result } : null;
    },
  };
}
