/**
 * The batch heat map on a <canvas> with the per-row losses beside it, clickable and
 * keyboard-operable, and what every chart shares: the size observer that redraws a chart for its
 * width, and the redraw after a theme change (the softmax chart is ./softmaxChart). Colours come
 * from the theme's CSS variables (--vscode-charts-*), read again whenever the theme changes; the
 * heat map's scale is made strong enough against the background in each theme (heatColors.ts).
 */
import type { HeatMap } from '../src/protocol/webview';
import { h } from './dom';
import { num } from './format';
import { heatScale, visibleAlpha, type HeatScale, type Rgb } from './heatColors';
import type { Translate } from './l10n';

/** Colour of a theme variable, e.g. `--vscode-charts-blue`, with a fallback. */
export function themeColor(name: string, fallback: string): string {
  const style = getComputedStyle(document.documentElement);
  const v = style.getPropertyValue(name).trim() || getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

/**
 * Maps a cell value to an opacity in [0, 1]: √p, or log p between the map's floor and 0, lifted so
 * that every p above zero (above the floor) stays visible (heatColors.ts says why).
 */
export function cellAlpha(p: number, mode: 'p' | 'logp', logFloor: number, minAlpha: number): number {
  if (!(p > 0)) return 0;
  // Square root: in a batch of many classes most p are small, and a linear scale left them
  // invisible against the background.
  if (mode === 'p') return visibleAlpha(Math.sqrt(p), minAlpha);
  return visibleAlpha(Math.max(0, Math.min(1, 1 - Math.log(p) / logFloor)), minAlpha);
}

/** The colour of a theme variable as [r, g, b], with a fallback. */
function themeRgb(name: string, fallback: string): Rgb {
  const [r, g, b] = parseColor(themeColor(name, fallback));
  return [r, g, b];
}

/**
 * The colour `el` is painted on: the first opaque background among it and its ancestors, else the
 * side bar's (a webview's body is painted with its container's colour).
 */
export function backgroundBehind(el: Element | null): Rgb {
  for (let e = el; e; e = e.parentElement) {
    const [r, g, b, a] = parseColor(getComputedStyle(e).backgroundColor || 'transparent');
    if (a > 0.5) return [r, g, b];
  }
  const dark =
    document.body.classList.contains('vscode-dark') || document.body.classList.contains('vscode-high-contrast');
  return themeRgb('--vscode-sideBar-background', dark ? '#1e1e1e' : '#ffffff');
}

/** The heat map's scale over the background behind `el`: the theme's chart blue, made strong enough. */
export function heatScaleOf(el: Element): HeatScale {
  return heatScale(themeRgb('--vscode-charts-blue', '#3794ff'), backgroundBehind(el));
}

/** The lowest log p worth a colour: the smallest finite one, but not below -50. */
export function logFloorOf(values: readonly number[]): number {
  // log is increasing: the smallest p above 0 has the smallest log, so one log instead of one a cell.
  let least = Infinity;
  for (const v of values) if (v > 0 && v < least) least = v;
  return Math.max(-50, Math.min(-1e-3, least < 1 ? Math.log(least) : 0));
}

/** Callbacks of the heat map. */
export interface HeatMapHandlers {
  /** A row was chosen (click, or Enter on the focused row). */
  select(element: number): void;
  /** The keyboard's row moved (kept as UI state). */
  focusRow(row: number): void;
}

/** The heat map with its loss bars, readout and keyboard handling. */
export function heatMapView(
  map: HeatMap,
  mode: 'p' | 'logp',
  selectedElement: number | null,
  focusRow: number | null,
  d: number,
  t: Translate,
  on: HeatMapHandlers,
): HTMLElement {
  const canvas = h('canvas', {
    class: 'heatmap',
    tabindex: 0,
    role: 'img',
    'aria-label': t(
      'Heat map of {0} over {1} samples × {2} classes, with per-row losses. Arrow keys choose a row, Enter selects it.',
      mode === 'p' ? 'p' : 'log p',
      map.count,
      map.C,
    ),
  });
  const readout = h(
    'p',
    { class: 'heat-readout', 'aria-live': 'polite' },
    t('Hover or use the arrow keys to read a row; click to select its sample.'),
  );
  const logFloor = logFloorOf(map.values);
  let selectedRow = selectedElement === null ? -1 : rowOf(map, selectedElement);
  let row = focusRow !== null && focusRow < map.rows ? focusRow : Math.max(0, selectedRow);

  const rowText = (r: number) => {
    const a = map.rowStart[r];
    const b = map.rowStart[r + 1] - 1;
    const samples = a === b ? `${t('sample')} ${a}` : `${t('samples')} ${a}–${b}`;
    const loss = map.rowIgnored[r] ? t('ignored') : `${t('mean loss')} ${num(map.rowLoss[r], d)}`;
    let best = 0;
    for (let j = 1; j < map.cols; j++) if (map.values[r * map.cols + j] > map.values[r * map.cols + best]) best = j;
    const c0 = map.colStart[best];
    const c1 = map.colStart[best + 1] - 1;
    const cls = c0 === c1 ? `${t('class')} ${c0}` : `${t('classes')} ${c0}–${c1}`;
    return `${samples}: ${loss}; ${t('highest p')} ${num(map.values[r * map.cols + best], d)} (${cls})`;
  };

  // Gutters for the labels: sample indices on the left, class indices on top.
  const left = 30;
  const top = 14;
  /** Where the last draw put the cells (CSS pixels in the canvas), for the selected row's outline. */
  let cellsAt: { left: number; top: number; width: number; cellH: number } | null = null;
  /**
   * The selected row's outline: an element over the canvas rather than pixels in it, so that
   * selecting another sample moves one small box instead of drawing the map again.
   */
  const outline = h('div', { class: 'heat-outline', 'aria-hidden': 'true', hidden: true });
  const placeOutline = () => {
    if (selectedRow < 0 || !cellsAt) {
      outline.hidden = true;
      return;
    }
    outline.hidden = false;
    outline.style.left = `${cellsAt.left}px`;
    outline.style.top = `${cellsAt.top + selectedRow * cellsAt.cellH}px`;
    outline.style.width = `${cellsAt.width}px`;
    outline.style.height = `${cellsAt.cellH}px`;
  };
  /**
   * The width the figure was last laid out at, as the size observer heard it: a new figure starts
   * with its predecessor's (see {@link laidOutHeatWidth}), so that its first draw forces no layout.
   */
  let laidWidth = sizeObserver ? laidOutHeatWidth : undefined;
  /** Draws at the box's width (the laid-out one, measured only when none is known yet). */
  const draw = () => {
    let width = laidWidth;
    if (width === undefined) {
      width = box.clientWidth;
      // Drawn for its laid-out width: the observer's first notice need not draw it again.
      if (width > 0) figure.drawnWidth = width;
    }
    const cssW = Math.max(120, width || 300);
    const cellH = Math.max(2, Math.min(20, Math.floor(320 / map.rows)));
    const cssH = top + cellH * map.rows;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(cssW * ratio);
    canvas.height = Math.round(cssH * ratio);
    canvas.style.width = `${cssW}px`;
    canvas.style.height = `${cssH}px`;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, cssW, cssH);
    const lossW = Math.min(80, Math.floor(cssW * 0.22));
    const mapW = cssW - lossW - 6 - left;
    const { scale, orange, grey, focus, description, fontFamily, legendBorder } = heatLookOf(box);
    ctx.font = `9px ${fontFamily}`;
    ctx.fillStyle = description;
    ctx.textBaseline = 'alphabetic';
    // Class indices along the top: the first, the middle and the last column's first class.
    const colLabels = new Set([0, Math.floor(map.cols / 2), map.cols - 1]);
    for (const col of colLabels) {
      const x = left + ((col + 0.5) * mapW) / map.cols;
      ctx.textAlign = col === 0 ? 'left' : col === map.cols - 1 ? 'right' : 'center';
      ctx.fillText(String(map.colStart[col]), col === 0 ? left : col === map.cols - 1 ? left + mapW : x, top - 4);
    }
    ctx.textAlign = 'left';
    ctx.fillText(t('loss'), left + mapW + 6, top - 4);
    // Sample indices down the left, as many as fit without overlapping.
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    const every = Math.max(1, Math.ceil(11 / cellH));
    for (let r = 0; r < map.rows; r += every) ctx.fillText(String(map.rowStart[r]), left - 4, top + (r + 0.5) * cellH);
    ctx.save();
    ctx.translate(left, top);
    drawCells(ctx, map, mode, logFloor, scale, Math.max(1, Math.floor(mapW * ratio)), mapW, cssH - top);
    let maxLoss = 0;
    for (let r = 0; r < map.rows; r++)
      if (Number.isFinite(map.rowLoss[r]) && map.rowLoss[r] > maxLoss) maxLoss = map.rowLoss[r];
    for (let r = 0; r < map.rows; r++) {
      const l = map.rowLoss[r];
      ctx.fillStyle = map.rowIgnored[r] ? grey : orange;
      const w = map.rowIgnored[r] ? 2 : Number.isFinite(l) && maxLoss > 0 ? (l / maxLoss) * lossW : l !== l ? lossW : 0;
      ctx.fillRect(mapW + 6, r * cellH + (cellH > 4 ? 1 : 0), w, cellH > 4 ? cellH - 2 : cellH);
    }
    ctx.lineWidth = 1.5;
    cellsAt = { left, top, width: mapW, cellH };
    placeOutline();
    if (document.activeElement === canvas) {
      ctx.strokeStyle = focus;
      ctx.setLineDash([3, 2]);
      ctx.strokeRect(0.75, row * cellH + 0.75, cssW - left - 1.5, cellH - 1.5);
      ctx.setLineDash([]);
    }
    ctx.restore();
    canvas.dataset.cellH = String(cellH);
    // Where the cells are, in CSS pixels (left top width height), for tests that read their colours.
    canvas.dataset.cells = `${left} ${top} ${mapW} ${cellH * map.rows}`;
    drawLegend(scale, legendBorder);
  };

  // The colour scale, drawn with the cells' own colour and opacity over the same background.
  const legendCanvas = h('canvas', { class: 'heat-scale', 'aria-hidden': 'true', width: 120, height: 10 });
  const drawLegend = ({ ink: [red, green, blu], minAlpha }: HeatScale, border: string) => {
    const ratio = window.devicePixelRatio || 1;
    const w = 120;
    const hgt = 10;
    legendCanvas.width = Math.round(w * ratio);
    legendCanvas.height = Math.round(hgt * ratio);
    legendCanvas.style.width = `${w}px`;
    legendCanvas.style.height = `${hgt}px`;
    const lc = legendCanvas.getContext('2d');
    if (!lc) return;
    lc.setTransform(ratio, 0, 0, ratio, 0, 0);
    lc.clearRect(0, 0, w, hgt);
    for (let x = 0; x < w; x++) {
      const f = x / (w - 1);
      const p = mode === 'p' ? f : Math.exp(logFloor * (1 - f));
      const a = mode === 'logp' && x === 0 ? 0 : cellAlpha(p, mode, logFloor, minAlpha);
      lc.fillStyle = `rgba(${red}, ${green}, ${blu}, ${a})`;
      lc.fillRect(x, 0, 1, hgt);
    }
    lc.strokeStyle = border;
    lc.lineWidth = 1;
    lc.strokeRect(0.5, 0.5, w - 1, hgt - 1);
  };

  const rowAt = (e: MouseEvent) => {
    const rect = canvas.getBoundingClientRect();
    const cellH = Number(canvas.dataset.cellH) || 1;
    return Math.max(0, Math.min(map.rows - 1, Math.floor((e.clientY - rect.top - top) / cellH)));
  };
  canvas.addEventListener('click', (e) => on.select(map.rowPick[rowAt(e)]));
  canvas.addEventListener('mousemove', (e) => {
    readout.textContent = rowText(rowAt(e));
  });
  canvas.addEventListener('focus', () => {
    readout.textContent = rowText(row);
    draw();
  });
  canvas.addEventListener('blur', () => draw());
  canvas.addEventListener('keydown', (e) => {
    let next = row;
    if (e.key === 'ArrowDown') next = Math.min(map.rows - 1, row + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, row - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = map.rows - 1;
    else if (e.key === 'PageDown') next = Math.min(map.rows - 1, row + 10);
    else if (e.key === 'PageUp') next = Math.max(0, row - 10);
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      on.select(map.rowPick[row]);
      return;
    } else return;
    e.preventDefault();
    row = next;
    on.focusRow(row);
    readout.textContent = rowText(row);
    draw();
  });
  const scale = h(
    'div',
    { class: 'heat-legend' },
    h('span', { class: 'scale-end' }, mode === 'p' ? 'p = 0' : `log p = ${num(logFloor, 1)}`),
    legendCanvas,
    h('span', { class: 'scale-end' }, mode === 'p' ? '1' : '0'),
  );
  const axes = h(
    'p',
    { class: 'chart-note heat-axes' },
    t('Rows: samples (index on the left). Columns: classes {0}–{1}. Bars: the loss of each row.', 0, map.C - 1),
  );
  const legend = h(
    'p',
    { class: 'chart-note' },
    mode === 'p'
      ? t('Colour: p from 0 (clear) to 1 (full), on a square-root scale so that small p stay visible.')
      : t('Colour: log p from {0} (clear) to 0 (full).', num(logFloor, 1)),
    ' ',
    map.rows < map.count || map.cols < map.C
      ? t('Each cell shows the largest p of the samples and classes it covers.')
      : '',
    ' ',
    t('Bars on the right: mean loss per row.'),
  );
  // The canvas takes the width of a plain box (no padding), measured at each draw.
  const box = h('div', { class: 'canvas-box' }, canvas, outline);
  const figure = h('figure', { class: 'chart heat' }, axes, box, scale, readout, legend) as HeatMapFigure;
  figure.redraw = draw;
  // Drawn for the width known already (drawNewCharts draws it): the observer's first notice
  // redraws it only if its own width differs.
  if (laidWidth !== undefined) figure.drawnWidth = laidWidth;
  figure.laidOut = (w) => {
    laidWidth = w;
    laidOutHeatWidth = w;
  };
  figure.selectElement = (e) => {
    const next = e === null ? -1 : rowOf(map, e);
    if (next === selectedRow) return;
    selectedRow = next;
    // The cells stay as drawn; only the outline over them moves, with no style read or layout forced.
    placeOutline();
  };
  figure.classList.add('redrawable');
  if (laidWidth !== undefined && heatLook) {
    // Drawn now, off the page: on the page, setting the canvas's font alone forced a style pass of
    // the whole render (the theme is read already, see heatLookOf). drawNewCharts leaves it be.
    draw();
    figure.dataset.drawnAhead = '1';
  }
  sizeObserver?.observe(figure);
  return figure;
}

/**
 * The width the latest heat map figure was laid out at: a new map's figure (a dtype or label
 * smoothing switch) is drawn for it during the render instead of reading the box's width, which
 * forced a layout of the whole page mid-render (about 5 ms of a 10 ms render of a (64, 50 257)
 * pair's new map at load 8). The size observer redraws it if its own width turns out to differ.
 */
let laidOutHeatWidth: number | undefined;

/** What the heat map takes from the theme, read once per theme (style reads force a style pass). */
interface HeatLook {
  scale: HeatScale;
  orange: string;
  grey: string;
  focus: string;
  description: string;
  fontFamily: string;
  legendBorder: string;
}

let heatLook: HeatLook | undefined;

/** The theme's colours and font for the heat map in `box`, read on its first draw after a theme change. */
function heatLookOf(box: Element): HeatLook {
  if (heatLook) return heatLook;
  const fg = themeColor('--vscode-foreground', '#cccccc');
  heatLook = {
    scale: heatScaleOf(box),
    orange: themeColor('--vscode-charts-orange', '#d18616'),
    grey: themeColor('--vscode-disabledForeground', '#888888'),
    focus: themeColor('--vscode-focusBorder', '#007fd4'),
    description: themeColor('--vscode-descriptionForeground', fg),
    fontFamily: getComputedStyle(document.body).fontFamily || 'sans-serif',
    legendBorder: themeColor('--vscode-contrastBorder', '') || themeColor('--vscode-panel-border', '#80808059'),
  };
  return heatLook;
}

/**
 * The heat map figures drawn lately, by map object (the webview keeps a map as one object while
 * the host names it, see heatMaps.ts) with what else they show: a map shown again (a dtype or
 * label smoothing switched back, a pair selected again) is taken back as drawn instead of built
 * and drawn anew (a canvas, a style read and a layout forced mid-render). Only the latest view of
 * each map is kept; a theme change drops them all.
 */
let keptFigures = new WeakMap<HeatMap, { key: string; figure: HeatMapFigure }>();

/**
 * {@link heatMapView} of `map`, or the figure last built for it under the same `key` (everything
 * else the figure shows: mode, decimals, language) when it is not on the page, with its selected
 * row moved to `selectedElement`.
 */
export function heatMapFigure(key: string, ...args: Parameters<typeof heatMapView>): HeatMapFigure {
  const [map, , selectedElement] = args;
  const kept = keptFigures.get(map);
  if (kept && kept.key === key && !kept.figure.isConnected) {
    kept.figure.selectElement?.(selectedElement);
    // Drawn already: the size observer redraws it only if its laid-out width differs.
    kept.figure.dataset.drawnAhead = '1';
    sizeObserver?.observe(kept.figure);
    return kept.figure;
  }
  const figure = heatMapView(...args) as HeatMapFigure;
  keptFigures.set(map, { key, figure });
  return figure;
}

/**
 * The cells, as one image: a pixel per cell (columns merged by their max alpha when there are
 * more than `pixelsWide` device pixels: a confident class stays visible), scaled up without
 * smoothing. One drawImage instead of rows × cols fillRects, which took about 20 ms for 64 × 512
 * cells and dominated the panel's render.
 */
function drawCells(
  ctx: CanvasRenderingContext2D,
  map: HeatMap,
  mode: 'p' | 'logp',
  logFloor: number,
  { ink: [red, green, blue], minAlpha }: HeatScale,
  pixelsWide: number,
  width: number,
  height: number,
): void {
  const cols = Math.min(map.cols, pixelsWide);
  const image = new ImageData(cols, map.rows);
  const px = image.data;
  for (let r = 0; r < map.rows; r++) {
    for (let x = 0; x < cols; x++) {
      const from = Math.floor((x * map.cols) / cols);
      const to = Math.max(from + 1, Math.floor(((x + 1) * map.cols) / cols));
      let a = 0;
      for (let j = from; j < to; j++)
        a = Math.max(a, cellAlpha(map.values[r * map.cols + j], mode, logFloor, minAlpha));
      const i = (r * cols + x) * 4;
      px[i] = red;
      px[i + 1] = green;
      px[i + 2] = blue;
      px[i + 3] = Math.round(a * 255);
    }
  }
  // One tile for every draw: a canvas's first getContext costs more than the cells' arithmetic.
  tile ??= document.createElement('canvas');
  if (tile.width < cols) tile.width = cols;
  if (tile.height < map.rows) tile.height = map.rows;
  tile.getContext('2d')?.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(tile, 0, 0, cols, map.rows, 0, 0, width, height);
}

let tile: HTMLCanvasElement | undefined;

let colorContext: CanvasRenderingContext2D | null | undefined;

/** A CSS colour as [r, g, b] in 0–255 and alpha in 0–1 (the canvas normalises it); blue when unknown. */
export function parseColor(color: string): [number, number, number, number] {
  colorContext ??= document.createElement('canvas').getContext('2d');
  if (!colorContext) return [55, 148, 255, 1];
  colorContext.fillStyle = '#3794ff';
  colorContext.fillStyle = color;
  const norm = String(colorContext.fillStyle);
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(norm);
  if (hex) return [parseInt(hex[1], 16), parseInt(hex[2], 16), parseInt(hex[3], 16), 1];
  const fn = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$/.exec(norm);
  if (fn) return [Number(fn[1]), Number(fn[2]), Number(fn[3]), fn[4] === undefined ? 1 : Number(fn[4])];
  return [55, 148, 255, 1];
}

/**
 * A chart the size observer redraws for its width (`drawnWidth`: the width it was drawn for);
 * `laidOut` hears every laid-out width, changed or not.
 */
export type Redrawable = HTMLElement & { redraw?: () => void; drawnWidth?: number; laidOut?: (width: number) => void };

/** The heat map's figure: {@link heatMapView} gives it a way to move the selected row's outline. */
export type HeatMapFigure = Redrawable & {
  /** Outlines the row holding element `e` (none for null), redrawing only when that row changes. */
  selectElement?: (e: number | null) => void;
};

/**
 * Redraws a canvas chart when its width changes: a section's content is laid out only after
 * the collapsible renders, and the side bar can be resized at any time.
 */
export const sizeObserver =
  typeof ResizeObserver === 'undefined'
    ? null
    : new ResizeObserver((entries) => {
        for (const entry of entries) {
          const el = entry.target as Redrawable;
          if (!el.isConnected) {
            sizeObserver?.unobserve(el);
            continue;
          }
          const width = Math.round(entry.contentRect.width);
          if (width > 0) el.laidOut?.(width);
          if (width === el.drawnWidth) continue;
          el.drawnWidth = width;
          el.redraw?.();
        }
      });

/** The heat-map row holding element `e`. */
export function rowOf(map: HeatMap, e: number): number {
  let lo = 0;
  let hi = map.rows - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (map.rowStart[mid] <= e) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Redraws every canvas chart under `root` (after a theme change or a resize). */
export function redrawCharts(root: ParentNode): void {
  // Figures off the page were drawn in the old colours.
  keptFigures = new WeakMap();
  heatLook = undefined;
  root.querySelectorAll('.redrawable').forEach((el) => (el as Redrawable).redraw?.());
}

/**
 * Draws the charts of a newly rendered `root` for their laid-out width, except those drawn ahead
 * for a known width, which the size observer redraws if the width turns out to differ.
 */
export function drawNewCharts(root: ParentNode): void {
  root.querySelectorAll<Redrawable>('.redrawable').forEach((el) => {
    if (el.dataset.drawnAhead) delete el.dataset.drawnAhead;
    else el.redraw?.();
  });
}
