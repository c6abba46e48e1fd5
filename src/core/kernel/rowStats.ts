/**
 * What a forward with index targets and logits is made of besides its options: per row the max,
 * Σexp, the target's logit and the label-smoothing part −Σ_c log p_c·w_c. None of them depends on
 * ε or the reduction, so they are computed once (one pass over the input, smooth_* in the wasm
 * kernel) and any ε's forward is then made from them without reading the input again: the panel
 * keeps them per pair, dtype, weight and ignore_index, and answers an ε change in O(N).
 *
 * The result equals the forward's to the bit: the statistics are the kernel's own (smooth_* writes
 * those of rows_*, the same emitters), and the losses and sums are formed by the same code as
 * crossEntropy's fast paths (lossesFromStats and reduce at ε = 0, smoothedFromStats above it).
 */
import type { LossResult } from './crossEntropy';
import type { Prepared } from './prepare';
import { reduce } from './reduce';
import { existingInputSpace } from './input';
import {
  countWasmCall,
  keepRowStats,
  lossesFromStats,
  smoothRowsLong,
  statSlots,
  wasmRowsEligible,
} from './wasmForward';
import { scratchSmoothRows, smoothedFromStats, spaceSmoothRows, wasmSmoothedStats } from './wasmSmooth';

/** Whether {@link allRowStatistics} serves `p`: index targets, logits, rows the wasm kernel runs and sums. */
function servable(p: Prepared): boolean {
  return p.targetKind === 'indices' && p.inputKind === 'logits' && wasmRowsEligible(p) && smoothRowsLong(p);
}

/**
 * Every row's (max, Σexp, x_t, smoothing part) of `p`, {@link statSlots} float64 per row, whatever
 * `p`'s ε; null when its rows do not run so (K-dim, small, probability targets, log_probs input,
 * no wasm or no memory). A copy, the caller's to keep. Values of ignored rows are not meaningful.
 */
export function allRowStatistics(p: Prepared): Float64Array | null {
  if (!servable(p)) return null;
  const st = wasmSmoothedStats(p, true);
  return st ? st.a.slice(st.at, st.at + statSlots * p.N) : null;
}

/** Elements of input a {@link RowStatisticsPass} step runs before it asks whether to go on (whole rows, at least one). */
const stepElements = 1 << 15;

/**
 * {@link allRowStatistics} of `p` a few rows at a time, for work done in a thread's idle time that
 * a request arriving meanwhile must not wait behind: {@link RowStatisticsPass.step} runs rows until
 * its `enough` says stop, {@link RowStatisticsPass.finish} runs what is left. The statistics are
 * allRowStatistics' to the bit whatever the steps were: a row's come from the same row function
 * (smooth_*), in `p`'s input workspace when it has one by the time the row runs, else through the
 * scratch workspace, and each row's are copied out as soon as they are made.
 */
export class RowStatisticsPass {
  private next = 0;
  private failed = false;
  private readonly stats: Float64Array;
  private readonly rowsPerStep: number;

  private constructor(private readonly p: Prepared) {
    this.stats = new Float64Array(statSlots * p.N);
    this.rowsPerStep = Math.max(1, Math.floor(stepElements / p.C));
  }

  /** A pass over `p`'s rows, or null where {@link allRowStatistics} gives null. */
  static of(p: Prepared): RowStatisticsPass | null {
    return servable(p) ? new RowStatisticsPass(p) : null;
  }

  /** Rows whose statistics are made. */
  get rowsDone(): number {
    return this.next;
  }

  /** Whether nothing is left to run (every row made, or the memory could not be had). */
  get done(): boolean {
    return this.failed || this.next >= this.p.N;
  }

  /**
   * Runs rows a step (about {@link stepElements} elements) at a time until all are made or
   * `enough()`, asked after each step, says stop: at least one step when any is left. True when
   * none is left.
   */
  step(enough: () => boolean = () => false): boolean {
    const N = this.p.N;
    while (!this.done) {
      const r0 = this.next;
      const r1 = Math.min(N, r0 + this.rowsPerStep);
      const space = existingInputSpace(this.p);
      if (space) spaceSmoothRows(this.p, space, r0, r1, this.stats, statSlots * r0);
      else if (!scratchSmoothRows(this.p, r0, r1, this.stats, statSlots * r0)) {
        this.failed = true;
        break;
      }
      countWasmCall(r1 - r0);
      this.next = r1;
      if (enough()) break;
    }
    return this.done;
  }

  /** Runs what is left: the statistics as {@link allRowStatistics} makes them, or null when it would give null. */
  finish(): Float64Array | null {
    this.step();
    return this.failed ? null : this.stats;
  }
}

/**
 * `p`'s forward (no gradient) from `stats`, which {@link allRowStatistics} made for a Prepared of the
 * same input, targets, dtype, weight and ignore_index (any ε and reduction); null when `p` is not
 * served so or `stats` does not fit its rows. The rows' max and Σexp are kept for the per-sample
 * reads that follow (the breakdown, the heat map), as a one-shot forward keeps them.
 */
export function crossEntropyFromRowStats(p: Prepared, stats: Float64Array): LossResult | null {
  if (!servable(p) || stats.length !== statSlots * p.N) return null;
  const st = { a: stats, at: 0 };
  keepRowStats(p, st);
  if (p.labelSmoothing > 0) return smoothedFromStats(p, st, true);
  const w = lossesFromStats(p, st);
  return reduce(p, w.losses, w.ignored, w.num, w.den);
}
