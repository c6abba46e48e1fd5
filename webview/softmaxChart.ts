/**
 * The softmax of the selected sample as an SVG bar chart, with its values also as a visually
 * hidden paragraph for screen readers; a sample change patches the chart on the page (./tablePatch).
 */
import type { SampleView } from '../src/protocol/webview';
import { sizeObserver, type Redrawable } from './charts';
import { h, svg } from './dom';
import { num } from './format';
import type { Translate } from './l10n';
import { patchTree } from './tablePatch';

/**
 * The softmax bar chart of the shown classes: as wide as its box (redrawn when that changes),
 * a p axis with ticks, the target's bar in orange and the predicted class (argmax p) marked with
 * a triangle, both named in the legend under it.
 */
export function softmaxChart(s: SampleView, d: number, t: Translate): HTMLElement {
  const figure = buildSoftmaxChart(s, d, t);
  if (sizeObserver && softmaxWidths.figure !== undefined) {
    // Drawn for that width already: the observer's first notice redraws only if the width differs,
    // after the layout the browser does anyway, instead of a layout forced to read it now.
    figure.drawnWidth = softmaxWidths.figure;
    figure.dataset.drawnAhead = '1';
  }
  sizeObserver?.observe(figure);
  return figure;
}

/**
 * Makes `figure` (a {@link softmaxChart} on the page) show sample `s`: a chart of `s` is built
 * detached, drawn for the last laid-out width as a new one would be, and written into `figure`
 * node by node (./tablePatch), so that a sample change moves bars and sets text in the nodes the
 * browser has styled and laid out already, instead of a new SVG, legend and table to style and lay
 * out. Its redraw (a width change) draws `s` from then on. False, with `figure` as it was, when
 * `figure` is not such a chart.
 */
export function patchSoftmaxChart(figure: HTMLElement, s: SampleView, d: number, t: Translate): boolean {
  const kept = figure as SoftmaxFigure;
  if (!kept.view) return false;
  const fresh = buildSoftmaxChart(s, d, t);
  if (!patchTree(kept, fresh)) return false;
  kept.view = { s, d, t };
  return true;
}

/** A softmax chart's figure with what it shows, which its redraw reads. */
type SoftmaxFigure = Redrawable & { view?: { s: SampleView; d: number; t: Translate } };

/** The softmax chart of `s` drawn for the last laid-out width (see {@link softmaxChart}), not observed. */
function buildSoftmaxChart(s: SampleView, d: number, t: Translate): SoftmaxFigure {
  const chart = svg('svg', {
    class: 'softmax-chart',
    role: 'img',
    'aria-label': t('Softmax of sample {0}: bar chart of p per class; the values follow.', s.element),
  });
  const box = h('div', { class: 'chart-scroll' }, chart);
  // Detached here: drawn for the last chart's width, which the next sample's chart usually has.
  drawSoftmax(chart, s, d, t, softmaxWidths.box || defaultChartWidth);
  const predicted = s.predicted ?? null;
  const shown = (c: number | null) => c !== null && s.classIndices.includes(c);
  const legend = h(
    'p',
    { class: 'chart-legend' },
    s.target !== null
      ? h(
          'span',
          { class: 'key key-target' },
          h('span', { class: 'swatch' }),
          ` ${t('target')}: ${t('class')} ${s.target}`,
        )
      : null,
    predicted !== null
      ? h(
          'span',
          { class: 'key key-predicted' },
          h('span', { class: 'swatch' }, '▼'),
          ` ${t('predicted (largest p)')}: ${t('class')} ${predicted}${shown(predicted) ? '' : ` (${t('not shown')})`}`,
        )
      : null,
  );
  // The values for screen readers: one visually hidden paragraph rather than a table of a row per
  // class, whose 60-odd cells each became a layout object of every render of the panel.
  const values = s.classIndices.map((c, j) => {
    const marks = [c === s.target ? t('target') : null, c === predicted ? t('predicted') : null].filter(Boolean);
    return `${c}${marks.length ? ` (${marks.join(', ')})` : ''}: p = ${num(s.softmax[j], d)}`;
  });
  const srText = h(
    'p',
    { class: 'sr-only softmax-values' },
    `${t('Softmax of sample {0}', s.element)}, ${t('class')} ${values.join('; ')}.`,
  );
  const caption =
    s.classIndices.length < s.C
      ? h(
          'p',
          { class: 'chart-note' },
          t('{0} classes not shown hold Σp = {1}.', s.C - s.classIndices.length, num(s.hiddenSoftmax, d)),
        )
      : null;
  const figure = h('figure', { class: 'chart softmax redrawable' }, box, legend, srText, caption) as SoftmaxFigure;
  figure.view = { s, d, t };
  // The next chart is drawn ahead for the width this one is laid out at.
  figure.laidOut = (width) => (softmaxWidths.figure = width);
  figure.redraw = () => {
    // The figure's own nodes: a patched figure keeps them and takes the new sample's view.
    const view = figure.view!;
    const kept = figure.querySelector<HTMLElement>('.chart-scroll');
    const svgEl = kept?.querySelector('svg.softmax-chart');
    if (!kept || !svgEl) return;
    // A detached box has no width, and asking could lay out the page for nothing.
    const width = kept.isConnected ? kept.clientWidth : 0;
    if (width) softmaxWidths.box = width;
    drawSoftmax(svgEl as SVGElement, view.s, view.d, view.t, width || softmaxWidths.box || defaultChartWidth);
  };
  return figure;
}

/** The last laid-out widths of a softmax chart's figure and box (a new chart is drawn for them). */
const softmaxWidths: { figure?: number; box?: number } = {};

/** The chart's width before its box is laid out (and in a DOM without layout). */
const defaultChartWidth = 280;

/** Bars never get narrower than this: 20 classes (a page) fit a 230 px side bar without scrolling. */
const minBarW = 8;

/**
 * The width in px that a class label of `chars` characters takes at the labels' 9 px font: 2/3 em
 * a character, a little more than the digits of the usual UI fonts (Chromium's default UI font on
 * Debian measured 5.7–5.8 px a digit), so that an estimate errs on the side of a gap (measuring the
 * text would lay out the page for every bar).
 */
function labelWidth(chars: number): number {
  return chars * 6;
}

/** The space kept between two class labels, in px. */
const labelGap = 3;

/**
 * Which bars' class labels are written, for bars `barW` px wide: every label that fits without
 * touching a neighbour's, the target's and the predicted class's first, then from left to right.
 * On wide pages of large class indices ("50250" over a 10 px bar) that is every second or third
 * label, with the two that matter always among them. Linear in the number of bars.
 */
export function placedBarLabels(labels: readonly string[], barW: number, first: readonly number[]): boolean[] {
  const n = labels.length;
  const placed: boolean[] = new Array<boolean>(n).fill(false);
  const span = (j: number): [number, number] => {
    const mid = (j + 0.5) * barW;
    const half = (labelWidth(labels[j]!.length) + labelGap) / 2;
    return [mid - half, mid + half];
  };
  const free = (a: [number, number], b: [number, number]) => a[1] <= b[0] || b[1] <= a[0];
  const priority: Array<[number, number]> = [];
  for (const j of first) {
    if (j < 0 || j >= n || placed[j]) continue;
    const s = span(j);
    if (priority.every((q) => free(s, q))) {
      placed[j] = true;
      priority.push(s);
    }
  }
  let lastEnd = -Infinity;
  for (let j = 0; j < n; j++) {
    const s = span(j);
    if (placed[j]) {
      lastEnd = Math.max(lastEnd, s[1]);
      continue;
    }
    if (s[0] < lastEnd || !priority.every((q) => free(s, q))) continue;
    placed[j] = true;
    lastEnd = s[1];
  }
  return placed;
}

/**
 * Fills `chart` for a box `boxWidth` px wide: bars share the width, at least {@link minBarW} px each,
 * and class labels that would overlap are left out ({@link placedBarLabels}; every bar's title and
 * the text for screen readers still name its class).
 */
function drawSoftmax(chart: SVGElement, s: SampleView, d: number, t: Translate, boxWidth: number): void {
  const n = s.classIndices.length;
  const axisW = 42;
  const top = 18;
  const plotH = 100;
  const height = top + plotH + 30;
  const barW = Math.max(minBarW, Math.min(64, Math.floor((Math.max(160, boxWidth) - axisW - 8) / Math.max(1, n))));
  const labels = s.classIndices.map(String);
  const predicted = s.predicted ?? null;
  const first = [s.target, predicted].map((c) => (c === null ? -1 : s.classIndices.indexOf(c)));
  const labelled = placedBarLabels(labels, barW, first);
  // The last label may stand out past its bar: the chart is as wide as it needs.
  const lastOver = n > 0 && labelled[n - 1] ? Math.max(0, labelWidth(labels[n - 1]!.length) / 2 - barW / 2) : 0;
  const width = Math.max(160, Math.ceil(axisW + 2 + n * barW + Math.max(6, lastOver + 2)));
  // Scale to the largest p shown (rounded up to two significant digits), so small
  // probabilities among many classes still make visible bars; the axis says so.
  let pMax = 0;
  for (const p of s.softmax) if (Number.isFinite(p) && p > pMax) pMax = p;
  const step = pMax > 0 ? 10 ** (Math.floor(Math.log10(pMax)) - 1) : 1;
  const yMax = pMax > 0 ? Math.min(1, Number((Math.ceil(pMax / step) * step).toPrecision(2))) : 1;
  const y = (p: number) => top + plotH - Math.max(0, Math.min(1, p / yMax)) * plotH;
  for (const [name, value] of Object.entries({ viewBox: `0 0 ${width} ${height}`, width, height }))
    chart.setAttribute(name, String(value));
  chart.replaceChildren();
  const tickDigits = Math.max(2, Math.min(d, 4));
  for (const tick of [0, yMax / 2, yMax]) {
    const ty = Math.round(y(tick)) + 0.5;
    chart.appendChild(svg('line', { class: tick === 0 ? 'axis' : 'grid', x1: axisW, x2: width - 2, y1: ty, y2: ty }));
    chart.appendChild(
      svg('text', { class: 'tick-label', x: axisW - 4, y: ty + 3, 'text-anchor': 'end' }, num(tick, tickDigits)),
    );
  }
  chart.appendChild(svg('line', { class: 'axis', x1: axisW + 0.5, x2: axisW + 0.5, y1: top, y2: top + plotH }));
  chart.appendChild(svg('text', { class: 'axis-title', x: 2, y: top - 6 }, 'p'));
  chart.appendChild(
    svg(
      'text',
      { class: 'axis-title', x: axisW + (n * barW) / 2, y: top + plotH + 26, 'text-anchor': 'middle' },
      t('class'),
    ),
  );
  // Narrow bars keep a 1 px gap on each side, wider ones 2 px.
  const inset = barW >= 12 ? 2 : 1;
  let mark: SVGElement | null = null;
  for (let j = 0; j < n; j++) {
    const c = s.classIndices[j]!;
    const p = s.softmax[j]!;
    const hBar = Number.isFinite(p) ? top + plotH - y(p) : 0;
    const x = axisW + 2 + j * barW;
    const isTarget = c === s.target;
    const isPredicted = c === predicted;
    const g = svg('g', {
      class: `bar${isTarget ? ' target' : ''}${isPredicted ? ' predicted' : ''}`,
      'data-class': c,
    });
    const marks = [isTarget ? t('target') : null, isPredicted ? t('predicted') : null].filter(Boolean);
    g.appendChild(
      svg('title', null, `${t('class')} ${c}: p = ${num(p, d)}${marks.length ? ` (${marks.join(', ')})` : ''}`),
    );
    g.appendChild(
      svg('rect', {
        x: x + inset,
        y: top + plotH - hBar,
        width: Math.max(1, barW - 2 * inset),
        height: Math.max(hBar, 0.5),
      }),
    );
    // Every bar keeps its label node (empty when left out), so that the next sample patches it.
    g.appendChild(
      svg(
        'text',
        { class: 'bar-label', x: x + barW / 2, y: top + plotH + 12, 'text-anchor': 'middle' },
        labelled[j] ? labels[j]! : '',
      ),
    );
    chart.appendChild(g);
    // After the bars, not in its bar: every bar has the same children, so that the next sample's
    // chart patches each bar's nodes in place (patchSoftmaxChart).
    if (isPredicted) {
      const my = top + plotH - hBar - 3;
      mark = svg('path', { class: 'predicted-mark', d: `M${x + barW / 2 - 5} ${my - 7} h10 l-5 7 z` });
    }
  }
  if (mark) chart.appendChild(mark);
}
