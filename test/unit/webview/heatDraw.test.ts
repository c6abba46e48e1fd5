/**
 * What the heat map's draw asks of the page. A new map's figure (a dtype or label smoothing switch)
 * is drawn for the width its predecessor was laid out at, without reading a width (in a browser,
 * each read mid-render lays the whole panel out); only the first figure of a page measures its box.
 * The colour floor of log p is the smallest log of a cell, taken with one log.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HeatMap } from '../../../src/protocol/webview';
import { drawNewCharts, heatMapView, logFloorOf, type HeatMapFigure } from '../../../webview/charts';
import { translator } from '../../../webview/l10n';

function map(rows: number, cols: number, seed: number): HeatMap {
  const values = Array.from({ length: rows * cols }, (_, i) => Math.abs(Math.sin(i * seed)) / cols);
  return {
    rows,
    cols,
    values,
    rowStart: Array.from({ length: rows + 1 }, (_, r) => r),
    colStart: Array.from({ length: cols + 1 }, (_, c) => c),
    rowLoss: Array.from({ length: rows }, (_, r) => 1 + r / 10),
    rowIgnored: Array.from({ length: rows }, () => false),
    rowPick: Array.from({ length: rows }, (_, r) => r),
    count: rows,
    C: cols,
  };
}

const handlers = { select: () => {}, focusRow: () => {} };
const view = (m: HeatMap) => heatMapView(m, 'logp', null, null, 4, translator('en'), handlers) as HeatMapFigure;

describe('the heat map draw', () => {
  let widthReads = 0;
  beforeEach(() => {
    widthReads = 0;
    // happy-dom has no layout: every box is 300 px wide, and each read is counted.
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
      configurable: true,
      get: () => {
        widthReads++;
        return 300;
      },
    });
  });
  afterEach(() => {
    delete (HTMLElement.prototype as unknown as Record<string, unknown>).clientWidth;
    document.body.replaceChildren();
  });

  it('measures the first figure, then draws the next for the width the last one was laid out at', () => {
    const first = view(map(8, 16, 0.3));
    document.body.append(first);
    drawNewCharts(document.body);
    expect(widthReads).toBe(1);
    expect(first.querySelector<HTMLCanvasElement>('canvas.heatmap')!.style.width).toBe('300px');
    // Drawn for its laid-out width: the size observer's first notice of 300 px does not draw it again.
    expect(first.drawnWidth).toBe(300);
    // The observer hears the figure laid out at 412 px (a wider side bar).
    first.laidOut!(412);
    first.redraw!();
    expect(first.querySelector<HTMLCanvasElement>('canvas.heatmap')!.style.width).toBe('412px');
    first.remove();

    const next = view(map(8, 16, 0.7));
    // The observer will redraw it only if its own laid-out width differs.
    expect(next.drawnWidth).toBe(412);
    document.body.append(next);
    drawNewCharts(document.body);
    expect(next.querySelector<HTMLCanvasElement>('canvas.heatmap')!.style.width).toBe('412px');
    expect(widthReads).toBe(1);
  });

  it('takes log p of the smallest p above 0 as the floor, as a log of every cell would', () => {
    let seed = 11;
    const rand = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const cases: number[][] = [
      [],
      [0, -0, NaN],
      [1, 2, Infinity],
      [0.5, 0, NaN, Infinity, 1e-30, 0.2],
      [5e-324, 0.1],
      Array.from({ length: 4096 }, () => rand() ** 8),
    ];
    for (const values of cases) {
      let min = 0;
      for (const v of values) if (v > 0 && Math.log(v) < min) min = Math.log(v);
      expect(logFloorOf(values)).toBe(Math.max(-50, Math.min(-1e-3, min)));
    }
    expect(logFloorOf([0.5, 0.25])).toBe(Math.log(0.25));
  });
});
