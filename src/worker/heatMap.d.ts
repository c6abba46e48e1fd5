/**
 * The batch heat map, binned in the worker where the probabilities are: only its ≤ 256 × 512
 * cells cross to the host, never the (N·S × C) softmax of a large batch.
 */
import { type HeatMap } from '../protocol/webview';
/** Limits for {@link buildHeatMap}. */
export interface HeatMapLimits {
  rows?: number;
  cols?: number;
}
/**
 * The heat map of p over (N·S elements × C classes) from the flat softmax `probs` in the input's
 * layout (N, C, d1, …): element e = n·S + s, class c sits at n·C·S + c·S + s. Larger maps are
 * binned to at most 256 × 512 cells, each holding the max p of its samples and classes (so a
 * confident class stays visible), NaN only when every value in the cell is NaN. Per row: the
 * mean loss of its kept samples and the sample a click selects (its largest loss; NaN first).
 */
export declare function buildHeatMap(
  probs: ArrayLike<number>,
  N: number,
  C: number,
  S: number,
  losses: ArrayLike<number>,
  ignored: ArrayLike<number> | null,
  limits?: HeatMapLimits,
): HeatMap;
