/**
 * The two charts: the softmax of the selected sample as an SVG bar chart (with its values also
 * as a visually hidden table for screen readers), and the batch heat map on a <canvas> with the
 * per-row losses beside it, clickable and keyboard-operable. Colours come from the theme's CSS
 * variables (--vscode-charts-*), read again whenever the theme changes.
 */
import type { HeatMap, SampleView } from '../src/protocol/webview';
import { h, svg } from './dom';
import { num } from './format';
import type { Translate } from './l10n';

/** The softmax bar chart of the shown classes, target marked. */
export function softmaxChart(s: SampleView, d: number, t: Translate): HTMLElement {
  const n = s.classIndices.length;
  const digits = String(Math.max(0, ...s.classIndices)).length;
  const barW = Math.max(22, digits * 6 + 6);
  const width = Math.max(160, n * barW + 8);
  const top = 16;
  const plotH = 90;
  const height = top + plotH + 18;
  // Scale to the largest p shown (rounded up to two significant digits), so small
  // probabilities among many classes still make visible bars; the scale is labelled.
  let pMax = 0;
  for (const p of s.softmax) if (Number.isFinite(p) && p > pMax) pMax = p;
  const step = pMax > 0 ? 10 ** (Math.floor(Math.log10(pMax)) - 1) : 1;
  const yMax = pMax > 0 ? Math.min(1, Number((Math.ceil(pMax / step) * step).toPrecision(2))) : 1;
  const chart = svg('svg', {
    class: 'softmax-chart',
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': t('Softmax of sample {0}: bar chart of p per class; the values are in the table below.', s.element),
  });
  chart.appendChild(svg('line', { class: 'axis', x1: 2, x2: width - 2, y1: top + plotH + 0.5, y2: top + plotH + 0.5 }));
  chart.appendChild(svg('line', { class: 'grid', x1: 2, x2: width - 2, y1: top + 0.5, y2: top + 0.5 }));
  chart.appendChild(
    svg(
      'text',
      { class: 'scale-label', x: width - 2, y: top - 3, 'text-anchor': 'end' },
      `p = ${num(yMax, Math.max(2, d))}`,
    ),
  );
  for (let j = 0; j < n; j++) {
    const c = s.classIndices[j];
    const p = s.softmax[j];
    const hBar = Number.isFinite(p) ? Math.max(0, Math.min(1, p / yMax)) * plotH : 0;
    const x = 4 + j * barW;
    const isTarget = c === s.target;
    const g = svg('g', { class: isTarget ? 'bar target' : 'bar' });
    g.appendChild(svg('title', null, `${t('class')} ${c}: p = ${num(p, d)}${isTarget ? ` (${t('target')})` : ''}`));
    g.appendChild(svg('rect', { x: x + 2, y: top + plotH - hBar, width: barW - 4, height: Math.max(hBar, 0.5) }));
    g.appendChild(
      svg('text', { class: 'bar-label', x: x + barW / 2, y: top + plotH + 12, 'text-anchor': 'middle' }, String(c)),
    );
    if (isTarget)
      g.appendChild(svg('path', { class: 'target-mark', d: `M${x + barW / 2 - 5} ${top - 12} h10 l-5 7 z` }));
    chart.appendChild(g);
  }
  const srTable = h(
    'table',
    { class: 'sr-only' },
    h('caption', null, t('Softmax of sample {0}', s.element)),
    h('tr', null, h('th', { scope: 'col' }, t('class')), h('th', { scope: 'col' }, 'p')),
    ...s.classIndices.map((c, j) =>
      h(
        'tr',
        null,
        h('td', null, `${c}${c === s.target ? ` (${t('target')})` : ''}`),
        h('td', null, num(s.softmax[j], d)),
      ),
    ),
  );
  const caption =
    s.classIndices.length < s.C
      ? h(
          'p',
          { class: 'chart-note' },
          t('{0} classes not shown hold Σp = {1}.', s.C - s.classIndices.length, num(s.hiddenSoftmax, d)),
        )
      : null;
  return h('figure', { class: 'chart' }, h('div', { class: 'chart-scroll' }, chart), srTable, caption);
}

/** Colour of a theme variable, e.g. `--vscode-charts-blue`, with a fallback. */
export function themeColor(name: string, fallback: string): string {
  const style = getComputedStyle(document.documentElement);
  const v = style.getPropertyValue(name).trim() || getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

/** Maps a cell value to an opacity in [0, 1]: p directly, or log p between the map's floor and 0. */
export function cellAlpha(p: number, mode: 'p' | 'logp', logFloor: number): number {
  if (!(p >= 0)) return 0;
  if (mode === 'p') return Math.min(1, p);
  if (p === 0) return 0;
  return Math.max(0, Math.min(1, 1 - Math.log(p) / logFloor));
}

/** The lowest log p worth a colour: the smallest finite one, but not below −50. */
export function logFloorOf(values: readonly number[]): number {
  let min = 0;
  for (const v of values) if (v > 0 && Math.log(v) < min) min = Math.log(v);
  return Math.max(-50, Math.min(-1e-3, min));
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
  const selectedRow = selectedElement === null ? -1 : rowOf(map, selectedElement);
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

  const draw = () => {
    const cssW = Math.max(120, box.clientWidth || 300);
    const cellH = Math.max(2, Math.min(20, Math.floor(320 / map.rows)));
    const cssH = cellH * map.rows;
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
    const mapW = cssW - lossW - 6;
    const blue = themeColor('--vscode-charts-blue', '#3794ff');
    const orange = themeColor('--vscode-charts-orange', '#d18616');
    const grey = themeColor('--vscode-disabledForeground', '#888888');
    const focus = themeColor('--vscode-focusBorder', '#007fd4');
    const fg = themeColor('--vscode-foreground', '#cccccc');
    drawCells(ctx, map, mode, logFloor, blue, Math.max(1, Math.floor(mapW * ratio)), mapW, cssH);
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
    if (selectedRow >= 0) {
      ctx.strokeStyle = fg;
      ctx.strokeRect(0.75, selectedRow * cellH + 0.75, mapW - 1.5, cellH - 1.5);
    }
    if (document.activeElement === canvas) {
      ctx.strokeStyle = focus;
      ctx.setLineDash([3, 2]);
      ctx.strokeRect(0.75, row * cellH + 0.75, cssW - 1.5, cellH - 1.5);
      ctx.setLineDash([]);
    }
    canvas.dataset.cellH = String(cellH);
  };

  const rowAt = (e: MouseEvent) => {
    const rect = canvas.getBoundingClientRect();
    const cellH = Number(canvas.dataset.cellH) || 1;
    return Math.max(0, Math.min(map.rows - 1, Math.floor((e.clientY - rect.top) / cellH)));
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
  const legend = h(
    'p',
    { class: 'chart-note' },
    mode === 'p'
      ? t('Colour: p from 0 (clear) to 1 (full).')
      : t('Colour: log p from {0} (clear) to 0 (full).', num(logFloor, 1)),
    ' ',
    map.rows < map.count || map.cols < map.C
      ? t('Each cell shows the largest p of the samples and classes it covers.')
      : '',
    ' ',
    t('Bars on the right: mean loss per row.'),
  );
  // The canvas takes the width of a plain box (no padding), measured at each draw.
  const box = h('div', { class: 'canvas-box' }, canvas);
  const figure = h('figure', { class: 'chart heat' }, box, readout, legend) as Redrawable;
  figure.redraw = draw;
  figure.classList.add('redrawable');
  sizeObserver?.observe(figure);
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
  color: string,
  pixelsWide: number,
  width: number,
  height: number,
): void {
  const [red, green, blue, alpha] = parseColor(color);
  const cols = Math.min(map.cols, pixelsWide);
  const image = new ImageData(cols, map.rows);
  const px = image.data;
  for (let r = 0; r < map.rows; r++) {
    for (let x = 0; x < cols; x++) {
      const from = Math.floor((x * map.cols) / cols);
      const to = Math.max(from + 1, Math.floor(((x + 1) * map.cols) / cols));
      let a = 0;
      for (let j = from; j < to; j++) a = Math.max(a, cellAlpha(map.values[r * map.cols + j], mode, logFloor));
      const i = (r * cols + x) * 4;
      px[i] = red;
      px[i + 1] = green;
      px[i + 2] = blue;
      px[i + 3] = Math.round(a * alpha * 255);
    }
  }
  const tile = document.createElement('canvas');
  tile.width = cols;
  tile.height = map.rows;
  tile.getContext('2d')?.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(tile, 0, 0, cols, map.rows, 0, 0, width, height);
}

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

type Redrawable = HTMLElement & { redraw?: () => void; drawnWidth?: number };

/**
 * Redraws a canvas chart when its width changes: a section's content is laid out only after
 * the collapsible renders, and the side bar can be resized at any time.
 */
const sizeObserver =
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
  root.querySelectorAll('.redrawable').forEach((el) => (el as Redrawable).redraw?.());
}
