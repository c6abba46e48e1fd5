/**
 * A fitted steps box is patched, not rebuilt, by the next render of the same fit key (another
 * sample, dtype, reduction or ε): its table and cells stay the same nodes, and what they show is
 * what a fresh render of the same snapshot shows. The softmax chart is kept while p is the same,
 * and patched likewise for another sample.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PanelState } from '../../../src/protocol/webview';
import { redrawCharts } from '../../../webview/charts';
import { defaultUiState, fitStepBox, renderPanel } from '../../../webview/render';
import { seedBatchState } from '../panel/states';

let root: HTMLElement;

function render(into: HTMLElement, state: PanelState): void {
  renderPanel(into, state, { ...defaultUiState, open: {} }, { post: () => {}, setUi: () => {} });
}

function newRoot(): HTMLElement {
  const el = document.createElement('main');
  document.body.appendChild(el);
  return el;
}

/** Gives every steps box `width` px and each table a width from its visible headers (jsdom-like DOMs have no layout). */
function fakeLayout(width: number): void {
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('steps-box') ? width : 0;
    },
  });
  Object.defineProperty(HTMLTableElement.prototype, 'scrollWidth', {
    configurable: true,
    get(this: HTMLTableElement) {
      return Array.from(this.querySelectorAll<HTMLElement>('thead th')).filter((th) => !th.hidden).length * 60;
    },
  });
}

/**
 * The table as markup with attributes sorted, tooltip ids numbered in order of appearance, and the
 * roving tab stop and the grid's mark left out (they belong to the keyboard code).
 */
function normalised(table: Element): string {
  const ids = new Map<string, string>();
  const id = (v: string) => v.replace(/tip-\d+/g, (t) => ids.get(t) ?? (ids.set(t, `tip#${ids.size}`), ids.get(t)!));
  const walk = (node: Node): string => {
    if (node.nodeType === Node.TEXT_NODE) return (node as Text).data;
    const el = node as Element;
    const attrs = el
      .getAttributeNames()
      .filter((n) => n !== 'tabindex' && n !== 'data-grid')
      .sort()
      .map((n) => ` ${n}="${id(el.getAttribute(n)!)}"`)
      .join('');
    return `<${el.tagName.toLowerCase()}${attrs}>${Array.from(el.childNodes).map(walk).join('')}</>`;
  };
  return walk(table);
}

const other = (state: PanelState, element: number) => ({ ...seedBatchState({ element }), heatMap: state.heatMap });

beforeEach(() => {
  document.body.replaceChildren();
  root = newRoot();
});

afterEach(() => {
  delete (HTMLElement.prototype as unknown as Record<string, unknown>).clientWidth;
  delete (HTMLTableElement.prototype as unknown as Record<string, unknown>).scrollWidth;
});

describe('a fitted steps box is patched by the next render', () => {
  for (const [layout, width] of [
    ['rows', 300],
    ['columns', 5000],
  ] as const) {
    it(`keeps the ${layout} layout's table and cells and shows the new sample as a fresh render does`, () => {
      fakeLayout(width);
      const state = seedBatchState();
      render(root, state);
      const box = root.querySelector<HTMLElement>('.steps-box')!;
      fitStepBox(box);
      expect(box.dataset.layout).toBe(layout);
      const selector = layout === 'rows' ? 'table.steps-by-class' : 'table.steps';
      const table = box.querySelector(selector)!;
      const cells = Array.from(table.querySelectorAll('td'));
      const before = table.outerHTML;
      const next = other(state, 1);
      render(root, next);
      expect(root.querySelector('.steps-box')).toBe(box);
      expect(box.querySelector(selector)).toBe(table);
      expect(Array.from(table.querySelectorAll('td'))).toEqual(cells);
      expect(table.outerHTML).not.toBe(before);
      expect(table.getAttribute('aria-label')).toContain('sample 1');
      // The same as a fresh render of that snapshot with the same fit.
      const fresh = newRoot();
      render(fresh, next);
      const freshBox = fresh.querySelector<HTMLElement>('.steps-box')!;
      if (layout === 'columns') fitStepBox(freshBox);
      expect(normalised(table)).toBe(normalised(freshBox.querySelector(selector)!));
      // Each cell's tooltip holder is its own, with the new numbers.
      for (const td of Array.from(table.querySelectorAll('td.has-tip'))) {
        const tip = document.getElementById(td.getAttribute('aria-describedby')!)!;
        expect(tip.parentElement).toBe(td);
      }
      // Back to the first sample: the markup it had.
      render(root, state);
      expect(box.querySelector(selector)).toBe(table);
      const template = document.createElement('template');
      template.innerHTML = before;
      expect(normalised(table)).toBe(normalised(template.content.firstElementChild!));
    });
  }

  it('builds a new box for another fit key, and keeps the softmax chart while p is the same', () => {
    fakeLayout(300);
    const state = seedBatchState();
    render(root, state);
    const box = root.querySelector<HTMLElement>('.steps-box')!;
    fitStepBox(box);
    const chart = root.querySelector('figure.chart.softmax')!;
    // Another reduction: p is the same, the chart stays.
    const summed = {
      ...state,
      pair: { ...state.pair!, options: { ...state.pair!.options, reduction: 'sum' as const } },
    };
    render(root, summed);
    expect(root.querySelector('figure.chart.softmax')).toBe(chart);
    // Another sample: another p, the same chart patched (see the next test).
    render(root, other(state, 1));
    expect(root.querySelector('figure.chart.softmax')).toBe(chart);
    expect(root.querySelectorAll('figure.chart.softmax')).toHaveLength(1);
    // Other decimals: another fit key, a new box.
    render(root, { ...other(state, 1), decimals: 6 });
    expect(root.querySelector('.steps-box')).not.toBe(box);
    expect(root.querySelectorAll('.steps-box')).toHaveLength(1);
  });

  it('patches the softmax chart for another sample: the same nodes, what a fresh render shows, redrawn as the new sample', () => {
    const state = seedBatchState();
    render(root, state);
    const chart = root.querySelector('figure.chart.softmax')!;
    const bars = Array.from(chart.querySelectorAll('svg g.bar rect'));
    const before = normalised(chart);
    const next = other(state, 1);
    render(root, next);
    expect(root.querySelector('figure.chart.softmax')).toBe(chart);
    // The bars' rectangles stay; each bar shows the new sample's p (and its title says it).
    expect(Array.from(chart.querySelectorAll('svg g.bar rect'))).toEqual(bars);
    expect(normalised(chart)).not.toBe(before);
    const fresh = newRoot();
    render(fresh, next);
    const freshChart = fresh.querySelector('figure.chart.softmax')!;
    expect(normalised(chart)).toBe(normalised(freshChart));
    expect(chart.querySelector('p.sr-only')!.textContent).toMatch(/^Softmax of sample 1,/);
    // A redraw (a theme change, a new width) draws the sample shown now, not the one it was built for.
    redrawCharts(root);
    redrawCharts(fresh);
    expect(normalised(chart)).toBe(normalised(freshChart));
    // Back to the first sample: the markup it had.
    render(root, state);
    expect(root.querySelector('figure.chart.softmax')).toBe(chart);
    expect(normalised(chart)).toBe(before);
  });
});
