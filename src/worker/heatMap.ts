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
  return new HeatMapBuilder(cells, count, C, losses, ignored, limits).finish();
}

/** Elements' rows of classes read per {@link HeatMapBuilder.step} before it asks whether to go on: about as many as a row statistics step. */
const stepElements = 1 << 15;
/** Cells rounded per step (a few ms under load). */
const compactPerStep = 4096;

/**
 * {@link buildHeatMapOf} a few elements at a time, for the worker's idle time (see workAhead.ts):
 * {@link step} bins elements until its `enough` says stop, {@link finish} bins the rest and gives
 * the map, the same as built at once (the same cells in the same order).
 */
export class HeatMapBuilder {
  private readonly rows: number;
  private readonly cols: number;
  private readonly rowStart: number[];
  private readonly colStart: number[];
  private readonly values: number[];
  private readonly one: Float64Array;
  private readonly perStep: number;
  /** The next element to bin, and the map row it falls in. */
  private e = 0;
  private r = 0;
  /** The next cell to round to four digits once every element is binned (20–30 ms for 32 768 cells under load). */
  private compacted = 0;

  constructor(
    private readonly cells: BinnedRow,
    private readonly count: number,
    private readonly C: number,
    private readonly losses: ArrayLike<number>,
    private readonly ignored: ArrayLike<number> | null,
    limits: HeatMapLimits = {},
  ) {
    this.rows = Math.min(count, limits.rows ?? maxHeatRows);
    this.cols = Math.min(C, limits.cols ?? maxHeatCols);
    this.rowStart = binBoundaries(count, this.rows);
    this.colStart = binBoundaries(C, this.cols);
    this.values = new Array<number>(this.rows * this.cols).fill(NaN);
    this.one = new Float64Array(this.cols);
    this.perStep = Math.max(1, Math.floor(stepElements / C));
  }

  /**
   * Bins elements a step at a time, then rounds the cells a step at a time, until all are done or
   * `enough()` says stop; true when all are.
   */
  step(enough: () => boolean = () => false): boolean {
    const { rows, cols, rowStart, colStart, values, one } = this;
    if (this.r >= rows) return this.compact(enough);
    while (this.r < rows) {
      const stop = Math.min(this.count, this.e + this.perStep);
      for (; this.e < stop; this.e++) {
        // Indices below are within the boundaries computed above: `!` states it, at no cost in the loop.
        while (this.e >= rowStart[this.r + 1]!) this.r++;
        const at = this.r * cols;
        this.cells(this.e, colStart, one);
        for (let j = 0; j < cols; j++) {
          const m = values[at + j]!;
          const v = one[j]!;
          if (v > m || m !== m) values[at + j] = v;
        }
      }
      if (this.e >= this.count) this.r = rows;
      if (enough()) return false;
    }
    return this.compact(enough);
  }

  /** Rounds cells {@link compactPerStep} at a time until all are or `enough()` says stop; true when all are. */
  private compact(enough: () => boolean): boolean {
    const values = this.values;
    while (this.compacted < values.length) {
      const stop = Math.min(values.length, this.compacted + compactPerStep);
      for (let i = this.compacted; i < stop; i++) values[i] = compact(values[i]!);
      this.compacted = stop;
      if (this.compacted < values.length && enough()) return false;
    }
    return true;
  }

  /** Bins and rounds what is left and gives the map. */
  finish(): HeatMap {
    this.step();
    const { rows, cols, values, rowStart, colStart } = this;
    return {
      rows,
      cols,
      values,
      rowStart,
      colStart,
      ...rowStatistics(rowStart, this.losses, this.ignored),
      count: this.count,
      C: this.C,
    };
  }
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
