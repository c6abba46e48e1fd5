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
import { keepRowStats, lossesFromStats, smoothRowsLong, statSlots, wasmRowsEligible } from './wasmForward';
import { smoothedFromStats, wasmSmoothedStats } from './wasmSmooth';

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
