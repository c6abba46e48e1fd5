/**
 * The batch heat map, binned in the worker where the probabilities are: only its ≤ 256 × 512
 * cells cross to the host, never the (N·S × C) softmax of a large batch.
 */
import { maxHeatCols, maxHeatRows, type HeatMap } from '../protocol/webview';

/** Four significant digits: enough for a colour and a tooltip, and half the JSON. */
function compact(v: number): number {
  return Number.isFinite(v) && v !== 0 ? Number(v.toPrecision(4)) : v;
}

/** Evenly spaced boundaries 0 = b[0] < … < b[bins] = total (bins ≤ total). */
function binBoundaries(total: number, bins: number): number[] {
  const out = new Array<number>(bins + 1);
  for (let i = 0; i <= bins; i++) out[i] = Math.floor((i * total) / bins);
  return out;
}

/** Limits for {@link buildHeatMap}. */
export interface HeatMapLimits {
  rows?: number;
  cols?: number;
}

/**
 * The heat map of p over (N·S elements × C classes) from the flat softmax `probs` in the input's
 * layout (N, C, d1, …): element e = n·S + s, class c sits at n·C·S + c·S + s. See
 * {@link buildHeatMapOf}.
 */
export function buildHeatMap(
  probs: ArrayLike<number>,
  N: number,
  C: number,
  S: number,
  losses: ArrayLike<number>,
  ignored: ArrayLike<number> | null,
  limits: HeatMapLimits = {},
): HeatMap {
  const CS = C * S;
  const cells: BinnedRow = (e, colStart, out) => {
    const n = Math.floor(e / S);
    const base = n * CS + (e - n * S);
    for (let j = 0; j + 1 < colStart.length; j++) {
      let m = NaN;
      for (let c = colStart[j]!; c < colStart[j + 1]!; c++) {
        const v = probs[base + c * S]!;
        if (v > m || m !== m) m = v;
      }
      out[j] = m;
    }
  };
  return buildHeatMapOf(cells, N * S, C, losses, ignored, limits);
}

/**
 * Writes into out[j] the largest p of element e's classes [colStart[j], colStart[j + 1]), NaN
 * only when all of them are NaN (the kernel's binnedSoftmax, or a materialised softmax).
 */
export type BinnedRow = (e: number, colStart: readonly number[], out: Float64Array) => void;

/**
 * The heat map of p over `count` elements × C classes, each element's row of class bins from
 * `cells`. Larger maps are binned to at most 256 × 512 cells, each holding the max p of its
 * samples and classes (so a confident class stays visible), NaN only when every value in the
 * cell is NaN. Per row: the mean loss of its kept samples and the sample a click selects (its
 * largest loss; NaN first).
 */
export function buildHeatMapOf(
  cells: BinnedRow,
  count: number,
  C: number,
  losses: ArrayLike<number>,
  ignored: ArrayLike<number> | null,
  limits: HeatMapLimits = {},
): HeatMap {
  const rows = Math.min(count, limits.rows ?? maxHeatRows);
  const cols = Math.min(C, limits.cols ?? maxHeatCols);
  const rowStart = binBoundaries(count, rows);
  const colStart = binBoundaries(C, cols);
  const values = new Array<number>(rows * cols).fill(NaN);
  const one = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    // Indices below are within the boundaries computed above: `!` states it, at no cost in the loop.
    for (let e = rowStart[r]!; e < rowStart[r + 1]!; e++) {
      cells(e, colStart, one);
      for (let j = 0; j < cols; j++) {
        const m = values[r * cols + j]!;
        const v = one[j]!;
        if (v > m || m !== m) values[r * cols + j] = v;
      }
    }
  }
  for (let i = 0; i < values.length; i++) values[i] = compact(values[i]!);
  return { rows, cols, values, rowStart, colStart, ...rowStatistics(rowStart, losses, ignored), count, C };
}

/**
 * `map` with the rows' losses and picks of other per-element losses: p (the cells) depends only on
 * the input, its dtype and whether it holds logits, so a change of label smoothing, weight or
 * ignore_index keeps the cells and needs no softmax pass.
 */
export function withRowLosses(map: HeatMap, losses: ArrayLike<number>, ignored: ArrayLike<number> | null): HeatMap {
  return { ...map, ...rowStatistics(map.rowStart, losses, ignored) };
}

/** Per row: the mean loss of its kept samples and the sample a click selects (its largest loss; NaN first). */
function rowStatistics(
  rowStart: number[],
  losses: ArrayLike<number>,
  ignored: ArrayLike<number> | null,
): Pick<HeatMap, 'rowLoss' | 'rowIgnored' | 'rowPick'> {
  const rows = rowStart.length - 1;
  const rowLoss = new Array<number>(rows);
  const rowIgnored = new Array<boolean>(rows);
  const rowPick = new Array<number>(rows);
  for (let r = 0; r < rows; r++) {
    let kept = 0;
    let sum = 0;
    let pick = rowStart[r]!;
    let pickLoss = NaN;
    let picked = false;
    for (let e = rowStart[r]!; e < rowStart[r + 1]!; e++) {
      if (ignored && ignored[e]) continue;
      const l = losses[e]!;
      kept++;
      sum += l;
      // NaN wins over any number (a broken sample is the one to look at), then the largest.
      if (!picked || (l !== l && pickLoss === pickLoss) || l > pickLoss) {
        pick = e;
        pickLoss = l;
        picked = true;
      }
    }
    rowLoss[r] = compact(kept ? sum / kept : 0);
    rowIgnored[r] = kept === 0;
    rowPick[r] = pick;
  }
  return { rowLoss, rowIgnored, rowPick };
}
