/**
 * The webview's render functions in a DOM: the step table's cells and target column, document
 * text rendered as text, keyboard-reachable tooltips, a small DOM for 50 257 classes, the
 * controls' messages. Snapshots come from the real builders fed by the core kernel on the torch
 * fixture cases.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { computeLoss, sampleBreakdown } from '../../../src/core/kernel';
import { buildPanelState, defaultPanelView, emptyPanelState } from '../../../src/panel/panelState';
import type { LossPayload } from '../../../src/protocol/worker';
import { hostToWebviewProblem, type PanelState, type WebviewToHost } from '../../../src/protocol/webview';
import { defaultUiState, fitStepBox, renderPanel, type UiState } from '../../../webview/render';
import { tipTextOf } from '../../../webview/tooltip';
import { redrawCharts } from '../../../webview/charts';
import { button, textfield, type Ctx } from '../../../webview/parts';
import { fixture, n, ns } from '../panel/fixture';
import { pairOf, seedBatchState, stateFor } from '../panel/states';
import { indexRequest } from '../requestBuilders';

let root: HTMLElement;
let posted: WebviewToHost[];
let ui: UiState;

function render(state: PanelState): void {
  renderPanel(root, state, ui, {
    post: (m) => posted.push(m),
    setUi: (patch) => {
      // As the app does: `open` is merged into the open sections.
      ui = { ...ui, ...patch, open: { ...ui.open, ...patch.open } };
    },
  });
}

function cell(row: string, cls: number): HTMLElement {
  const el = root.querySelector<HTMLElement>(`table.steps td[data-row="${row}"][data-class="${cls}"]`);
  if (!el) throw new Error(`no cell ${row}/${cls}`);
  return el;
}

const value = (el: Element) => el.querySelector('.v')?.textContent ?? '';

beforeEach(() => {
  document.body.replaceChildren();
  root = document.createElement('main');
  document.body.appendChild(root);
  posted = [];
  ui = { ...defaultUiState, open: {} };
});

describe('the step table of the seed example', () => {
  beforeEach(() => render(stateFor(fixture.seedSingle.float32)));

  it('has one column per class, one row per step, the target highlighted', () => {
    const table = root.querySelector('table.steps')!;
    const header = Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent);
    expect(header).toEqual(['class', '0', '1 target', '2', '3 predicted', '4', '5', '6', '7', '8', '9']);
    const rows = Array.from(table.querySelectorAll('tbody tr')).map((tr) => tr.querySelector('th')!.textContent);
    expect(rows).toEqual([
      'logit x',
      'x - max',
      'exp(x - max)',
      'Σexp',
      'softmax p',
      'log p',
      'target q',
      '-q·log p',
      'weight w',
      '∂L/∂x',
    ]);
    expect(table.querySelectorAll('th.target')).toHaveLength(1);
    expect(Array.from(table.querySelectorAll('td.target')).every((td) => td.getAttribute('data-class') === '1')).toBe(
      true,
    );
    expect(table.querySelectorAll('td.target')).toHaveLength(9);
  });

  it("shows torch's numbers with 4 decimals", () => {
    const c = fixture.seedSingle.float32;
    expect(value(cell('x', 1))).toBe('0.8050');
    expect(value(cell('p', 1))).toBe(n(c.softmax[1]).toFixed(4));
    expect(value(cell('logp', 1))).toBe(`-${(-n(c.logSoftmax[1])).toFixed(4)}`);
    expect(value(root.querySelector('td[data-row="sumExp"]')!)).toBe(n(c.sumExp[0]).toFixed(4));
    expect(value(cell('qlogp', 1))).toBe('2.1438');
    expect(root.querySelector('#sample-loss .v')!.textContent).toBe('loss = -log p[1] = -log(0.1172) = 2.1438');
  });

  it('explains each number with the formula and the actual values', () => {
    expect(tipTextOf(cell('exp', 1))).toBe('exp(0.8050 - 0.9983) = exp(-0.1933) = 0.8242');
    expect(tipTextOf(cell('p', 1))).toBe('p = exp(x - max) / Σexp = 0.8242 / 7.0323 = 0.1172');
    expect(tipTextOf(root.querySelector('#sample-loss')!)).toContain('-log(0.1172)');
    expect(tipTextOf(root.querySelector('#sample-loss')!)).toContain('= 2.1438');
    expect(tipTextOf(cell('grad', 1))).toMatch(
      /^∂L\/∂x\[1\] = w\[t\]·\(p - q\) \/ D = 1 × \(0\.1172 - 1\) \/ 1 = -0\.8828\n/,
    );
    expect(tipTextOf(cell('grad', 1))).toContain('Backpropagation');
  });

  it('makes every number reachable by keyboard: tabindex, aria-describedby, arrow keys', () => {
    const cells = Array.from(root.querySelectorAll<HTMLElement>('table.steps td.num'));
    expect(cells.length).toBe(9 * 10 + 1);
    for (const td of cells) {
      expect(td.hasAttribute('tabindex')).toBe(true);
      const id = td.getAttribute('aria-describedby')!;
      const tip = document.getElementById(id)!;
      expect(tip.textContent!.length).toBeGreaterThan(3);
      expect(tip.hidden).toBe(true);
    }
    const inTabOrder = cells.filter((td) => td.tabIndex === 0);
    expect(inTabOrder).toHaveLength(1);
    expect(inTabOrder[0].getAttribute('data-class')).toBe('1');
    inTabOrder[0].focus();
    inTabOrder[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    expect(document.activeElement).toBe(cell('x', 2));
    cell('x', 2).dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    expect(document.activeElement).toBe(cell('shifted', 2));
  });

  it('marks the target in the bar chart and lists the values for screen readers', () => {
    const bars = root.querySelectorAll('svg.softmax-chart g.bar');
    expect(bars).toHaveLength(10);
    expect(root.querySelectorAll('svg.softmax-chart g.bar.target')).toHaveLength(1);
    // Ten one-digit classes: every bar is labelled.
    const labels = Array.from(root.querySelectorAll('svg.softmax-chart text.bar-label')).map((el) => el.textContent);
    expect(labels).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    // One hidden paragraph, not a table of a row per class (a layout object per cell).
    expect(root.querySelectorAll('figure.chart.softmax table')).toHaveLength(0);
    const sr = root.querySelector('figure.chart.softmax p.sr-only')!.textContent!;
    expect(sr).toContain('1 (target): p = 0.1172');
    expect(sr).toContain('3 (predicted): p = 0.1422');
  });
});

describe('document text is rendered as text', () => {
  it('renders hostile names, labels and claims without creating elements', () => {
    const xss = '<img src=x onerror=alert(1)>';
    const claim = '# tensor(2.1438) </script><script>alert(1)</script>';
    const state = stateFor(fixture.seedSingle.float32, {
      names: { logits: xss, target: '<b>t</b>', claim },
      documentLabel: '<svg onload=alert(1)>.py',
    });
    state.pairs[0].label = xss;
    state.error = '<iframe src=javascript:alert(1)>';
    render(state);
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('script')).toBeNull();
    expect(root.querySelector('b')).toBeNull();
    expect(root.querySelector('iframe')).toBeNull();
    expect(root.querySelectorAll('svg')).toHaveLength(1);
    expect(root.textContent).toContain(xss);
    expect(root.textContent).toContain(claim);
    expect(root.textContent).toContain('<svg onload=alert(1)>.py');
    expect(root.querySelector('vscode-option')!.textContent).toContain(xss);
    expect(root.innerHTML).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('a language-model sized row: C = 50 257', () => {
  const C = 50257;
  let state: PanelState;

  beforeEach(() => {
    let seed = 1;
    const rand = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const data = Float64Array.from({ length: 2 * C }, () => rand() * 8 - 4);
    const outcome = computeLoss(indexRequest(data, [2, C], [31337, 7]), { grad: true });
    if (!outcome.ok) throw new Error(outcome.error.message);
    const { prepared: p, result: r } = outcome;
    const result: LossPayload = {
      resultId: 1,
      loss: r.loss,
      losses: r.losses,
      numerator: r.numerator,
      denominator: r.denominator,
      ignored: r.ignored,
      ...(r.grad ? { grad: Float64Array.from(r.grad) } : {}),
      dtype: 'float32',
      reduction: 'mean',
      targetKind: 'indices',
      inputShape: [2, C],
      lossShape: [2],
      N: 2,
      C,
      S: 1,
      kernelMs: 0,
    };
    const pair = { ...pairOf(fixture.seedBatch.float32), inputShape: [2, C], C };
    state = buildPanelState({
      locale: 'en',
      documentLabel: 'lm.py',
      decimals: 4,
      pairs: [],
      selectedPairId: 7,
      pair,
      result,
      breakdown: sampleBreakdown(p, r, 0),
      view: defaultPanelView,
      status: 'ready',
    });
  });

  it('keeps the DOM small: the top 20 classes plus the target', () => {
    render(state);
    const classes = Array.from(root.querySelectorAll('table.steps thead th[data-class]')).map((th) =>
      Number(th.getAttribute('data-class')),
    );
    expect(classes).toHaveLength(21);
    expect(classes).toContain(31337);
    expect(root.querySelectorAll('*').length).toBeLessThan(3000);
    expect(root.querySelectorAll('td').length).toBeLessThan(400);
    expect(root.textContent).toContain('others (50236)');
    expect(root.textContent).toContain('Top 20 classes by p (and the target) of 50257');
  });

  it('writes only the class labels that fit under the bars, the target and the predicted class among them', () => {
    render(state);
    const bars = Array.from(root.querySelectorAll<SVGGElement>('svg.softmax-chart g.bar'));
    expect(bars).toHaveLength(21);
    const labels = bars.map((g) => {
      const text = g.querySelector('text.bar-label')!;
      return { cls: g.dataset.class!, x: Number(text.getAttribute('x')), text: text.textContent ?? '' };
    });
    const written = labels.filter((l) => l.text !== '');
    // Five-digit indices over bars about 10 px wide: not every label fits, but more than a few do.
    expect(written.length).toBeGreaterThan(4);
    expect(written.length).toBeLessThan(21);
    for (const l of written) expect(l.text).toBe(l.cls);
    expect(written.map((l) => l.text)).toContain('31337');
    const predicted = root.querySelector<SVGGElement>('svg.softmax-chart g.bar.predicted')!;
    expect(predicted.querySelector('text.bar-label')!.textContent).toBe(predicted.dataset.class);
    // Neighbouring labels (9 px font, at most 6 px a digit) keep apart.
    const byX = [...written].sort((a, b) => a.x - b.x);
    for (let i = 1; i < byX.length; i++)
      expect(byX[i].x - byX[i - 1].x).toBeGreaterThanOrEqual((byX[i].text.length + byX[i - 1].text.length) * 3);
    // Every bar still names its class for a pointer and for a screen reader.
    for (const g of bars) expect(g.querySelector('title')!.textContent).toContain(`class ${g.dataset.class}:`);
  });

  it('pages through the classes by asking the host', () => {
    render(state);
    root.querySelector('#classes-next')!.dispatchEvent(new MouseEvent('click'));
    expect(posted).toEqual([{ type: 'setClassWindow', start: 0 }]);
  });
});

describe('controls, reduction card, batch', () => {
  it('initialises the controls from the state and posts overrides', () => {
    render(seedBatchState());
    const reduction = root.querySelector('#ctl-reduction') as HTMLElement & { value: string };
    expect(reduction.querySelector('vscode-option[selected]')!.getAttribute('value')).toBe('mean');
    expect(root.querySelector('#ctl-reset')!.hasAttribute('disabled')).toBe(true);
    reduction.value = 'sum';
    reduction.dispatchEvent(new Event('change'));
    expect(posted).toEqual([{ type: 'setControls', controls: { reduction: 'sum' } }]);
    const smoothing = root.querySelector('#ctl-smoothing') as HTMLElement & { value: string; invalid: boolean };
    smoothing.value = '1.5';
    smoothing.dispatchEvent(new Event('change'));
    expect(smoothing.invalid).toBe(true);
    expect(posted).toHaveLength(1);
    smoothing.value = '0.1';
    smoothing.dispatchEvent(new Event('change'));
    expect(posted[1]).toEqual({ type: 'setControls', controls: { labelSmoothing: 0.1 } });
  });

  it('enables reset when an option differs from the code', () => {
    const state = seedBatchState();
    state.pair!.options = { ...state.pair!.options, reduction: 'sum' };
    render(state);
    const reset = root.querySelector('#ctl-reset')!;
    expect(reset.hasAttribute('disabled')).toBe(false);
    reset.dispatchEvent(new MouseEvent('click'));
    expect(posted).toEqual([{ type: 'resetControls' }]);
  });

  it('heads a per-sample result with its count, and a 0-d one (an unbatched row under none) with its number', () => {
    const none = stateFor(fixture.seedBatch.none32);
    render(none);
    expect(root.querySelector('#headline-loss')!.textContent).toBe('2 losses');
    // One unbatched row: torch's output is 0-d (lossShape []), its one loss is the reduction's total.
    const zeroD = stateFor(fixture.seedBatch.none32);
    zeroD.pair!.lossShape = [];
    render(zeroD);
    const total = zeroD.reduction!.float32!.loss;
    expect(root.querySelector('#headline-loss')!.textContent).toBe(total.toFixed(4));
  });

  it('shows the reduction with both dtypes and what torch prints', () => {
    render(seedBatchState());
    expect(root.querySelector('#headline-loss')!.textContent).toBe('2.3519');
    expect(root.querySelector('#reduction-formula .v')!.textContent).toBe(
      'mean = Σ loss / D = (2.1438 + 2.5601) / 2 = 2.3519',
    );
    const prints = Array.from(root.querySelectorAll('table.totals td.print')).map((td) => td.textContent);
    expect(prints).toEqual([fixture.seedBatch.float32.print, fixture.seedBatch.float64.print]);
    const losses = Array.from(root.querySelectorAll('table.losses td.num .v')).map((v) => v.textContent);
    expect(losses).toEqual(ns(fixture.seedBatch.none32.losses).map((l) => l.toFixed(4)));
  });

  it('selects a sample from the loss list and from the heat map', () => {
    render(seedBatchState());
    root.querySelector('table.losses td[data-element="1"]')!.dispatchEvent(new MouseEvent('click'));
    const canvas = root.querySelector('canvas.heatmap')!;
    // Row 1 of the map, below the 14 px band of class labels.
    canvas.dispatchEvent(new MouseEvent('click', { clientY: 14 + 1.5 }));
    canvas.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(posted).toEqual([
      { type: 'selectSample', element: 1 },
      { type: 'selectSample', element: 1 },
      { type: 'selectSample', element: 0 },
    ]);
  });

  it('greys ignored samples', () => {
    render(stateFor(fixture.seedBatch.ignored32));
    const cells = root.querySelectorAll('table.losses td');
    expect(cells[1].classList.contains('ignored')).toBe(true);
    expect(cells[1].textContent).toContain('ignored');
    expect(root.textContent).toContain('1 of 2 samples are ignored');
  });

  it('the stability card posts the constant and shows the overflow', () => {
    const state = seedBatchState({ view: { shift: 100 } });
    ui = { ...ui, open: { stability: true } };
    render(state);
    expect(root.querySelector('.verdict.bad')!.textContent).toMatch(
      /^Σ exp\(x \+ k\) = inf: 10 of 10 exponentials overflow/,
    );
    expect(root.querySelectorAll('table.stability td.bad').length).toBeGreaterThanOrEqual(20);
    const field = root.querySelector('#stability-shift') as HTMLElement & { value: string };
    field.value = '−50';
    field.dispatchEvent(new Event('change'));
    expect(posted).toEqual([{ type: 'setShift', shift: -50 }]);
  });

  it('renders in Korean', () => {
    render(seedBatchState({ locale: 'ko' }));
    expect(root.querySelector('#sec-sample')!.getAttribute('heading')).toBe('계산 단계');
    expect(root.querySelector('table.steps thead th')!.textContent).toBe('클래스');
    expect(document.documentElement.lang).toBe('ko');
  });

  it('starts with Options collapsed, saying what is set, and Open in Editor Area in the header', () => {
    render(seedBatchState());
    const controls = root.querySelector('#sec-controls')!;
    expect(controls.hasAttribute('open')).toBe(false);
    expect(controls.getAttribute('description')).toBe('mean · float32 · as in the code');
    root.querySelector('#open-in-editor')!.dispatchEvent(new MouseEvent('click'));
    expect(posted).toEqual([{ type: 'openInEditor' }]);
  });

  it('names the sample by its 0-based index with a 1-based count, and a scalar target by its value', () => {
    render(seedBatchState({ element: 1 }));
    expect(root.querySelector('#sec-sample')!.getAttribute('description')).toBe(
      'sample 1 (2 of 2) · target 5 · float32',
    );
    expect(root.querySelector('#denominator-text')!.textContent).toBe('D = 2: the number of non-ignored targets.');
  });

  it('says the claim is judged with the code’s options while the user’s differ', () => {
    const state = seedBatchState({ names: { claim: '# tensor(2.3519)' } });
    const pair = state.pair!;
    render({
      ...state,
      pair: { ...pair, options: { ...pair.options, reduction: 'sum' }, claimOk: true, codePrinted: 'tensor(2.3519)' },
    });
    expect(root.querySelector('#claim')!.textContent).toBe(
      "The code claims: # tensor(2.3519) ✓ matches with the code's options (torch prints tensor(2.3519))",
    );
    expect(root.querySelector('#claim-user')!.textContent).toMatch(
      /^With your options \(reduction='sum'\) torch prints /,
    );
  });

  it('keeps the last result while the document does not parse, and says which line it waits for', () => {
    render({ ...seedBatchState(), stale: { line: 14, cell: null } });
    expect(root.querySelector('.stale-box')!.textContent).toBe(
      'Waiting for line 14 to parse. The numbers below are the last result from before the edit.',
    );
    expect(root.classList.contains('is-stale')).toBe(true);
    expect(root.querySelector('#headline-loss')).not.toBeNull();
  });

  it('names the bracket left open and the line being typed, where the learner looks', () => {
    render({ ...seedBatchState(), stale: { line: 12, cell: null, opener: '[', editLine: 14 } });
    expect(root.querySelector('.stale-box')!.textContent).toBe(
      'Waiting for the [ opened on line 12 to be closed (line 14 is being typed). The numbers below are the last result from before the edit.',
    );
    // Typing on the line of the bracket itself: that line, once.
    render({ ...seedBatchState(), stale: { line: 12, cell: null, opener: '[', editLine: 12 } });
    expect(root.querySelector('.stale-box')!.textContent).toMatch(
      /^Waiting for the \[ opened on line 12 to be closed\. /,
    );
    // Not a bracket: the line that does not parse and the one being typed.
    render({ ...seedBatchState(), stale: { line: 3, cell: 1, opener: null, editLine: 5 } });
    expect(root.querySelector('.stale-box')!.textContent).toMatch(
      /^Waiting for cell 2, line 3 to parse \(cell 2, line 5 is being typed\)\. /,
    );
    // With no result to keep, the empty panel says the same.
    render({ ...emptyPanelState('en', 'a.py'), stale: { line: 12, cell: null, opener: '(', editLine: 14 } });
    expect(root.querySelector('.empty')!.textContent).toBe(
      'Waiting for the ( opened on line 12 to be closed (line 14 is being typed).',
    );
  });

  it('lays the step table out with classes as rows when one column per class does not fit', () => {
    render(stateFor(fixture.seedSingle.float32));
    const box = root.querySelector<HTMLElement>('.steps-box')!;
    // jsdom has no layout: give the box 300 px and each table a width from its visible columns.
    Object.defineProperty(box, 'clientWidth', { configurable: true, get: () => 300 });
    for (const proto of [HTMLTableElement.prototype])
      Object.defineProperty(proto, 'scrollWidth', {
        configurable: true,
        get(this: HTMLTableElement) {
          const heads = Array.from(this.querySelectorAll<HTMLElement>('thead th')).filter((th) => !th.hidden);
          return heads.length * 60;
        },
      });
    try {
      fitStepBox(box);
      expect(box.dataset.layout).toBe('rows');
      expect(box.querySelector<HTMLElement>('.wide-layout')!.hidden).toBe(true);
      const table = box.querySelector('table.steps-by-class')!;
      const target = table.querySelector('tbody th.target')!.parentElement!;
      expect(target.querySelector('th')!.textContent).toBe('1 target');
      const shown = Array.from(table.querySelectorAll<HTMLElement>('thead th'))
        .filter((th) => !th.hidden)
        .map((th) => th.textContent);
      // Five columns of 60 px fit in 300: the class, x, p and the two shares of the loss stay.
      expect(shown).toEqual(['class', 'logit x', 'softmax p', 'log p', '-q·log p']);
      expect(box.querySelector('.dropped-steps')!.textContent).toMatch(
        /^Not shown at this width: x - max, exp\(x - max\), target q, weight w, ∂L\/∂x\. /,
      );
      expect(target.querySelector('td[data-step="p"] .v')!.textContent).toBe(
        n(fixture.seedSingle.float32.softmax[1]).toFixed(4),
      );
    } finally {
      delete (HTMLTableElement.prototype as unknown as Record<string, unknown>).scrollWidth;
    }
  });

  it('drops the step columns that do not fit from one measurement of their widths', () => {
    render(stateFor(fixture.seedSingle.float32));
    const box = root.querySelector<HTMLElement>('.steps-box')!;
    Object.defineProperty(box, 'clientWidth', { configurable: true, get: () => 300 });
    // Each read of a table's width is a layout of the panel in a browser: count them.
    let layouts = 0;
    Object.defineProperty(HTMLTableElement.prototype, 'scrollWidth', {
      configurable: true,
      get(this: HTMLTableElement) {
        layouts++;
        return Array.from(this.querySelectorAll<HTMLElement>('thead th')).filter((th) => !th.hidden).length * 60;
      },
    });
    const rect = HTMLTableCellElement.prototype.getBoundingClientRect;
    HTMLTableCellElement.prototype.getBoundingClientRect = () => ({ width: 60 }) as DOMRect;
    try {
      fitStepBox(box);
      const table = box.querySelector('table.steps-by-class')!;
      const shown = Array.from(table.querySelectorAll<HTMLElement>('thead th'))
        .filter((th) => !th.hidden)
        .map((th) => th.textContent);
      // The same columns as when they are dropped one at a time (the test above)…
      expect(shown).toEqual(['class', 'logit x', 'softmax p', 'log p', '-q·log p']);
      // …from the wide table's width, the narrow one's with and without tags, and one check.
      expect(layouts).toBeLessThanOrEqual(4);
    } finally {
      delete (HTMLTableElement.prototype as unknown as Record<string, unknown>).scrollWidth;
      HTMLTableCellElement.prototype.getBoundingClientRect = rect;
    }
  });

  it('builds the one-column-per-class table of a box laid out as rows only when it is fitted anew', () => {
    render(stateFor(fixture.seedSingle.float32));
    const box = root.querySelector<HTMLElement>('.steps-box')!;
    const width = (el: HTMLElement) => Object.defineProperty(el, 'clientWidth', { configurable: true, get: () => 300 });
    width(box);
    Object.defineProperty(HTMLTableElement.prototype, 'scrollWidth', {
      configurable: true,
      get(this: HTMLTableElement) {
        return Array.from(this.querySelectorAll<HTMLElement>('thead th')).filter((th) => !th.hidden).length * 60;
      },
    });
    const shown = (el: HTMLElement) =>
      Array.from(el.querySelectorAll<HTMLElement>('table.steps-by-class thead th'))
        .filter((th) => !th.hidden)
        .map((th) => th.textContent);
    try {
      fitStepBox(box);
      expect(box.dataset.layout).toBe('rows');
      // The same pair again (the next sample, another reduction): the kept fit, with no wide table built.
      render(stateFor(fixture.seedSingle.float32));
      // (The same box, patched: see stepsPatch.test.ts.)
      const next = root.querySelector<HTMLElement>('.steps-box')!;
      expect(next.dataset.layout).toBe('rows');
      expect(next.querySelector('table.steps')).toBeNull();
      expect(shown(next)).toEqual(['class', 'logit x', 'softmax p', 'log p', '-q·log p']);
      // The dropped columns have their hidden headers (named under the table), and no cells.
      const cellsOf = (kind: string) => next.querySelectorAll(`table.steps-by-class td[data-step="${kind}"]`).length;
      const classes = next.querySelectorAll('table.steps-by-class tbody tr').length;
      expect(classes).toBeGreaterThan(1);
      for (const kind of ['x', 'p', 'logp', 'qlogp']) expect(cellsOf(kind)).toBe(classes);
      for (const kind of ['shifted', 'exp', 'q', 'w', 'grad']) expect(cellsOf(kind)).toBe(0);
      expect(next.querySelector('.dropped-steps')!.textContent).toMatch(
        /^Not shown at this width: x - max, exp\(x - max\), target q, weight w, ∂L\/∂x\. /,
      );
      // A refit (the width changed, or the kept fit overflowed) builds it to measure it.
      width(next);
      fitStepBox(next);
      expect(next.querySelector('.wide-layout table.steps')).not.toBeNull();
      expect(next.querySelector<HTMLElement>('.wide-layout')!.hidden).toBe(true);
      expect(shown(next)).toEqual(['class', 'logit x', 'softmax p', 'log p', '-q·log p']);
      // Measured with every column (the table built again whole), the same ones dropped.
      expect(next.querySelector('.dropped-steps')!.textContent).toMatch(/^Not shown at this width: x - max, /);
      const shownCells = Array.from(next.querySelectorAll<HTMLElement>('table.steps-by-class td[data-step]'))
        .filter((td) => !td.hidden)
        .map((td) => td.dataset.step);
      expect(new Set(shownCells)).toEqual(new Set(['x', 'p', 'logp', 'qlogp']));
    } finally {
      delete (HTMLTableElement.prototype as unknown as Record<string, unknown>).scrollWidth;
    }
  });

  it('reads a scalar target as its class and a notebook pair by cell and line', () => {
    const state = stateFor(fixture.seedSingle.float32);
    render({
      ...state,
      pair: { ...state.pair!, targetShape: [] },
      pairs: state.pairs.map((p) => ({ ...p, line: 2, cell: 3 })),
    });
    expect(root.querySelector('.facts')!.textContent).toContain('target = 1 (a single class index)');
    expect(root.querySelector('#pair-picker')!.textContent).toContain('cell 4, line 2');
  });

  it('keeps closed sections closed through UI state', () => {
    ui = { ...ui, open: { reduction: false } };
    render(seedBatchState());
    expect(root.querySelector('#sec-reduction')!.hasAttribute('open')).toBe(false);
    expect(root.querySelector('#sec-sample')!.hasAttribute('open')).toBe(true);
    root
      .querySelector('#sec-sample')!
      .dispatchEvent(new CustomEvent('vsc-collapsible-toggle', { detail: { open: false } }));
    expect(ui.open).toEqual({ reduction: false, sample: false });
  });
});

describe('patching instead of rebuilding', () => {
  it('another sample keeps the options’ nodes; another reduction keeps the batch’s heat map', () => {
    const state = seedBatchState();
    render(state);
    const controls = root.querySelector('#sec-controls')!;
    const reductionSelect = root.querySelector('#ctl-reduction')!;
    const batch = root.querySelector('#sec-batch')!;
    const canvas = batch.querySelector('canvas.heatmap')!;
    const sample = root.querySelector('#sec-sample')!;
    const header = root.querySelector('header')!;
    const copy = root.querySelector('#copy-csv')!;
    // Another sample: a new snapshot with the same heat map object (the webview keeps it).
    const other = seedBatchState({ element: 1 });
    expect(other.sample!.element).toBe(1);
    render({ ...other, heatMap: state.heatMap });
    expect(root.querySelector('#sec-controls')).toBe(controls);
    expect(root.querySelector('#ctl-reduction')).toBe(reductionSelect);
    expect(root.querySelector('header')).toBe(header);
    // The sample's section and its buttons stay; its step table and description are the new sample's.
    expect(root.querySelector('#sec-sample')).toBe(sample);
    expect(root.querySelector('#copy-csv')).toBe(copy);
    // One steps box (the fitted one patched, see stepsPatch.test.ts), showing the new sample.
    expect(root.querySelectorAll('#sec-sample .steps-box')).toHaveLength(1);
    expect(root.querySelector('#sec-sample .steps-box table')!.getAttribute('aria-label')).toContain('sample 1');
    expect(root.querySelector('#sec-sample')!.getAttribute('description')).toMatch(/^sample 1 /);
    // The kept sample field shows the new sample.
    expect((root.querySelector('#sample-0') as HTMLElement & { value: string }).value).toBe('1');
    // The heat map stays drawn: only the selected row's outline moves.
    const batch1 = root.querySelector('#sec-batch')!;
    expect(batch1).toBe(batch);
    expect(batch1.querySelector('canvas.heatmap')).toBe(canvas);
    // Another reduction: same sample, same map; the options are rebuilt, the heat map stays.
    const summed = {
      ...other,
      heatMap: state.heatMap,
      pair: { ...other.pair!, options: { ...other.pair!.options, reduction: 'sum' as const } },
    };
    render(summed);
    expect(root.querySelector('#sec-batch')).toBe(batch1);
    expect(root.querySelector('#ctl-reduction')).toBe(reductionSelect);
    expect((root.querySelector('#ctl-reduction') as HTMLElement & { value: string }).value).toBe('sum');
    expect(root.querySelectorAll('#sec-batch')).toHaveLength(1);
    // A heat map with other values (a new object) is drawn anew.
    render({ ...summed, heatMap: { ...state.heatMap!, values: state.heatMap!.values.map((v) => v / 2) } });
    expect(root.querySelector('#sec-batch canvas.heatmap')).not.toBe(canvas);
    expect(canvas.isConnected).toBe(false);
  });

  it('another sample leaves the kept controls of the sample section where they are', () => {
    const state = seedBatchState();
    render(state);
    const section = root.querySelector('#sec-sample')!;
    // (The ‹ and › buttons are built anew here: of two samples, the other one is disabled.)
    const kept = ['#sample-0', '#copy-markdown', '#copy-csv', '#copy-pytorch'];
    const controls = kept.map((id) => section.querySelector(id)!);
    expect(controls.every((c) => c !== null)).toBe(true);
    const wrappers = controls.map((c) => c.parentElement);
    // Moving a custom element disconnects it: its component renders again and is styled anew.
    const moved: Node[] = [];
    const observer = new MutationObserver((records) => {
      for (const r of records) moved.push(...Array.from(r.removedNodes));
    });
    observer.observe(root, { childList: true, subtree: true });
    render({ ...seedBatchState({ element: 1 }), heatMap: state.heatMap });
    const records = observer.takeRecords();
    for (const r of records) moved.push(...Array.from(r.removedNodes));
    observer.disconnect();
    expect(section.getAttribute('description')).toMatch(/^sample 1 /);
    kept.forEach((id, i) => {
      expect(section.querySelector(id)).toBe(controls[i]);
      expect(controls[i]!.parentElement).toBe(wrappers[i]);
    });
    expect(section.querySelector('#sample-next')!.parentElement).toBe(section.querySelector('.sample-picker'));
    expect(moved.filter((node) => controls.some((c) => node === c || node.contains(c)))).toEqual([]);
    // What changed did change: the sample field and the steps.
    expect((section.querySelector('#sample-0') as HTMLElement & { value: string }).value).toBe('1');
    expect(section.querySelector('.steps-box table')!.getAttribute('aria-label')).toContain('sample 1');
  });

  it('another reduction, dtype or heat map leaves the options, the pair picker and the colour select where they are', () => {
    const state = seedBatchState();
    render(state);
    const kept = ['#ctl-reduction', '#ctl-dtype', '#ctl-smoothing', '#ctl-ignore', '#ctl-input-kind'];
    kept.push('#pair-picker', '#heat-mode');
    const controls = kept.map((id) => root.querySelector(id)!);
    expect(controls.every((c) => c !== null)).toBe(true);
    const wrappers = controls.map((c) => c.parentElement);
    const canvas = root.querySelector('#sec-batch canvas.heatmap');
    // A moved select connects again: it lays the page out as it renders (getBoundingClientRect),
    // and so does the scroll pane of its list.
    const moved: Node[] = [];
    const observer = new MutationObserver((records) => {
      for (const r of records) moved.push(...Array.from(r.removedNodes));
    });
    observer.observe(root, { childList: true, subtree: true });
    const o = state.pair!.options;
    render({
      ...state,
      pair: { ...state.pair!, options: { ...o, reduction: 'sum', dtype: 'float64', labelSmoothing: 0.1 } },
      // A new map (another dtype's p, or new row losses): the figure is built anew.
      heatMap: { ...state.heatMap!, rowLoss: state.heatMap!.rowLoss.map((v) => v * 2) },
    });
    for (const r of observer.takeRecords()) moved.push(...Array.from(r.removedNodes));
    observer.disconnect();
    expect(root.querySelector('#sec-controls')!.getAttribute('description')).toContain('label_smoothing=0.1');
    expect(root.querySelector('#sec-batch canvas.heatmap')).not.toBe(canvas);
    kept.forEach((id, i) => {
      expect(root.querySelector(id), id).toBe(controls[i]);
      expect(controls[i]!.parentElement, id).toBe(wrappers[i]);
    });
    expect(moved.filter((node) => controls.some((c) => node === c || node.contains(c)))).toEqual([]);
    expect((root.querySelector('#ctl-reduction') as HTMLElement & { value: string }).value).toBe('sum');
    expect((root.querySelector('#ctl-dtype') as HTMLElement & { value: string }).value).toBe('float64');
  });

  it('a heat map shown again (a dtype or ε switched back) comes back as drawn, unless the theme changed', () => {
    const state = seedBatchState();
    const other = { ...state, heatMap: { ...state.heatMap!, rowLoss: state.heatMap!.rowLoss.map((v) => v * 2) } };
    render(state);
    const first = root.querySelector('#sec-batch canvas.heatmap')!;
    render(other);
    const second = root.querySelector('#sec-batch canvas.heatmap')!;
    expect(second).not.toBe(first);
    render(state);
    expect(root.querySelector('#sec-batch canvas.heatmap')).toBe(first);
    expect(root.querySelectorAll('#sec-batch canvas.heatmap')).toHaveLength(1);
    // Another sample of the map taken back: its outline moves to that sample's row.
    render({ ...seedBatchState({ element: 1 }), heatMap: other.heatMap });
    expect(root.querySelector('#sec-batch canvas.heatmap')).toBe(second);
    // After a theme change the kept figures, drawn in the old colours, are built anew.
    render({ ...state });
    redrawCharts(root);
    render(other);
    expect(root.querySelector('#sec-batch canvas.heatmap')).not.toBe(second);
  });

  it('a kept control calls the handler of the latest render, and a changed label builds a new one', () => {
    const ctx = { selects: new Map(), used: new Set() } as unknown as Ctx;
    const calls: number[] = [];
    const first = button(ctx, 'go', 'Go', () => calls.push(1));
    const again = button(ctx, 'go', 'Go', () => calls.push(2));
    expect(again).toBe(first);
    again.click();
    expect(calls).toEqual([2]);
    const field = textfield(ctx, 'n', 'n', '3', (text) => calls.push(Number(text)));
    const field2 = textfield(ctx, 'n', 'n', '4', (text) => calls.push(10 + Number(text))) as HTMLElement & {
      value: string;
    };
    expect(field2).toBe(field);
    expect(field2.value).toBe('4');
    field2.dispatchEvent(new Event('change'));
    expect(calls).toEqual([2, 14]);
    expect(button(ctx, 'go', 'Stop', () => calls.push(3))).not.toBe(first);
  });

  it('keeps the order of the parts and drops those no longer shown', () => {
    const state = seedBatchState();
    render(state);
    const order = () => [...root.children].map((c) => c.id || c.className);
    const full = order();
    render({ ...state, heatMap: null });
    expect(root.querySelector('#sec-batch')).toBeNull();
    render(state);
    expect(order()).toEqual(full);
  });

  it('takes back a part shown a moment ago as it was: the heat map of a pair shown again', () => {
    const state = seedBatchState();
    render(state);
    const batch = root.querySelector('#sec-batch')!;
    const canvas = batch.querySelector('canvas.heatmap')!;
    // Another pair (a single sample: no heat map), then the first one again.
    render(stateFor(fixture.seedSingle.float32));
    expect(root.querySelector('#sec-batch')).toBeNull();
    render(state);
    expect(root.querySelector('#sec-batch')).toBe(batch);
    expect(root.querySelector('#sec-batch canvas.heatmap')).toBe(canvas);
    // The header's slot was never empty: it is built anew, whole.
    expect(root.querySelectorAll('header #open-in-editor, header #pair-picker')).toHaveLength(2);
    // Its controls still work: the colour mode rebuilds the part with the new key.
    const mode = root.querySelector('#heat-mode') as HTMLElement & { value: string };
    mode.value = 'logp';
    mode.dispatchEvent(new Event('change'));
    expect(ui.chartMode).toBe('logp');
    const colour = () => root.querySelector('#sec-batch')!.textContent;
    render(state);
    expect(colour()).toContain('Colour: log p');
    // Back to p: the slot's part is rebuilt in the same section element, and the log p one is not taken back.
    const again = root.querySelector('#heat-mode') as HTMLElement & { value: string };
    again.value = 'p';
    again.dispatchEvent(new Event('change'));
    render(state);
    expect(colour()).not.toContain('Colour: log p');
    render(stateFor(fixture.seedSingle.float32));
    render(state);
    expect(colour()).not.toContain('Colour: log p');
    // Another heat map object (a new result) is built anew, never the kept one.
    render({ ...state, heatMap: { ...state.heatMap! } });
    expect(root.querySelector('#sec-batch canvas.heatmap')).not.toBe(canvas);
  });
});

describe('a live pair', () => {
  const live = {
    frame: 'train_step',
    line: 42,
    paused: true,
    programLoss: { expression: 'loss', value: 2.351937, dtype: 'bfloat16' },
    agrees: true,
    notes: ['<b>logits</b> is bfloat16: its values were widened exactly to float32.'],
  };

  it('shows the frame badge, the program’s own loss beside ours, and the notes as text', () => {
    render({ ...seedBatchState(), live });
    expect(root.querySelector('#live-badge')?.textContent).toBe('live · frame train_step line 42 · step paused');
    expect(root.querySelector('#program-loss')?.textContent).toBe('2.3519');
    expect(root.querySelector('.live-program')?.textContent).toBe(
      'The program computed loss = 2.3519 (bfloat16) ✓ agrees',
    );
    expect(root.querySelector('.live-notes b')).toBeNull();
    expect(root.querySelector('.live-notes')?.textContent).toContain('<b>logits</b> is bfloat16');
  });

  it('says when the program computed something else, and when it moved on', () => {
    render({ ...seedBatchState(), live: { ...live, paused: false, agrees: false } });
    expect(root.querySelector('#live-badge')?.textContent).toBe(
      'live · frame train_step line 42 · the program moved on — inspect again',
    );
    expect(root.querySelector('.live-program')?.classList.contains('claim-bad')).toBe(true);
    expect(root.querySelector('.live-program')?.textContent).toContain('✗ disagrees');
  });

  it('over the budget: names the program’s figure by the reduction, and counts the rows read', () => {
    const stream = {
      state: 'done' as const,
      kind: 'reduce' as const,
      positions: 2048,
      batchLoss: 10.8644,
      message: null,
    };
    const rows = { total: 2048, read: [0, 17], failed: null };
    const base = seedBatchState();
    render({ ...base, live: { ...live, stream, rows } });
    expect(root.querySelector('#live-batch-loss')?.textContent).toMatch(/^✓ Batch loss 10\.8644: .* all 2048 rows/);
    expect(root.querySelector('.live-rows p')?.textContent).toBe('Rows read from the program (2 of 2048): 0, 17');
    // reduction='none' has no batch loss: the program's figure is the sum of the rows' losses.
    const none = { ...base.pair!.options, reduction: 'none' as const };
    render({ ...base, pair: { ...base.pair!, options: none, codeOptions: none }, live: { ...live, stream, rows } });
    expect(root.querySelector('#live-batch-loss')?.textContent).toMatch(
      /^✓ Sum of the 2048 rows' losses 10\.8644: .*reduction='none' returns them unreduced/,
    );
  });

  it('passes the guard, which refuses a malformed badge', () => {
    expect(hostToWebviewProblem({ type: 'state', state: { ...seedBatchState(), live } })).toBeNull();
    expect(
      hostToWebviewProblem({ type: 'state', state: { ...seedBatchState(), live: { ...live, line: 0 } } }),
    ).toContain('live.line');
    expect(
      hostToWebviewProblem({ type: 'state', state: { ...seedBatchState(), live: { ...live, agrees: 'yes' } } }),
    ).toContain('live.agrees');
  });
});
