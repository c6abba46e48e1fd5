/**
 * What a render keeps from the last one and what it builds only when seen: a sample change keeps
 * the reduction card and moves its selected row; the closed stability card is built when it opens.
 * Snapshots come from the real builders fed by the core kernel on the torch fixture cases.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { PanelState, WebviewToHost } from '../../../src/protocol/webview';
import { defaultUiState, renderPanel, type UiState } from '../../../webview/render';
import { seedBatchState } from '../panel/states';

let root: HTMLElement;
let posted: WebviewToHost[];
let ui: UiState;

function render(state: PanelState): void {
  renderPanel(root, state, ui, {
    post: (m) => posted.push(m),
    setUi: (patch) => {
      ui = { ...ui, ...patch, open: { ...ui.open, ...patch.open } };
    },
  });
}

beforeEach(() => {
  document.body.replaceChildren();
  root = document.createElement('main');
  document.body.appendChild(root);
  posted = [];
  ui = { ...defaultUiState, open: {} };
});

describe('parts kept across renders and built when seen', () => {
  it('builds the closed stability card when it opens, with the snapshot on show', () => {
    const state = seedBatchState({ view: { shift: 100 } });
    let renders = 0;
    const renderNow = () => {
      renders++;
      renderPanel(root, state, ui, {
        post: (m) => posted.push(m),
        setUi: (patch, rerender) => {
          ui = { ...ui, ...patch, open: { ...ui.open, ...patch.open } };
          if (rerender) renderNow();
        },
      });
    };
    renderNow();
    const section = root.querySelector('#sec-stability')!;
    // Closed by default: its heading and description, nothing inside.
    expect(section.hasAttribute('open')).toBe(false);
    expect(section.getAttribute('description')).toBe('why torch subtracts the max · k = 100.00');
    expect(section.childNodes).toHaveLength(0);
    section.dispatchEvent(new CustomEvent('vsc-collapsible-toggle', { detail: { open: true } }));
    expect(renders).toBe(2);
    expect(root.querySelector('#sec-stability')).toBe(section);
    expect(ui.open.stability).toBe(true);
    expect(section.querySelector('.verdict.bad')!.textContent).toMatch(/^Σ exp\(x \+ k\) = inf: 10 of 10/);
    expect(section.querySelectorAll('table.stability tbody tr')).toHaveLength(state.stability!.classIndices.length);
    // Closing keeps what it shows (no render); it is emptied by the next snapshot's render.
    section.dispatchEvent(new CustomEvent('vsc-collapsible-toggle', { detail: { open: false } }));
    expect(renders).toBe(2);
    renderNow();
    expect(section.childNodes).toHaveLength(0);
  });

  it('keeps the reduction card across a sample change and moves the selected row', () => {
    const state = seedBatchState();
    render(state);
    const table = root.querySelector('table.losses')!;
    const selectedRows = () =>
      Array.from(root.querySelectorAll('table.losses tbody tr')).map((tr) => [
        tr.classList.contains('selected'),
        tr.getAttribute('aria-selected'),
      ]);
    expect(selectedRows()).toEqual([
      [true, 'true'],
      [false, 'false'],
    ]);
    const other = seedBatchState({ element: 1 });
    render({ ...other, heatMap: state.heatMap });
    expect(root.querySelector('table.losses')).toBe(table);
    expect(selectedRows()).toEqual([
      [false, 'false'],
      [true, 'true'],
    ]);
    // Its tooltips keep ids no other part of the page has (the step table was built anew).
    const ids = Array.from(root.querySelectorAll('[id^="tip-"]')).map((el) => el.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const td of Array.from(table.querySelectorAll('td.has-tip')))
      expect(document.getElementById(td.getAttribute('aria-describedby')!)!.parentElement).toBe(td);
    // Other losses of the same rows (another dtype or ε): the table stays, its values are written
    // into it, with the selection of the snapshot.
    const card = other.reduction!;
    const value = table.querySelector('td[data-element="1"] .v')!.firstChild;
    render({ ...other, heatMap: state.heatMap, reduction: { ...card, losses: card.losses.map((l) => l * 2) } });
    expect(root.querySelector('table.losses')).toBe(table);
    expect(table.querySelector('td[data-element="1"] .v')!.firstChild).toBe(value);
    expect(root.querySelector('table.losses td[data-element="1"] .v')!.textContent).toBe(
      (card.losses[1]! * 2).toFixed(4),
    );
    expect(selectedRows()).toEqual([
      [false, 'false'],
      [true, 'true'],
    ]);
    // Another reduction of the same losses: the table stays as it is; the formula is the new one's.
    const formula = root.querySelector('#reduction-formula')!;
    render({ ...other, heatMap: state.heatMap, reduction: { ...card, reduction: 'sum' } });
    expect(root.querySelector('table.losses')).toBe(table);
    expect(root.querySelector('#reduction-formula')).not.toBe(formula);
    expect(root.querySelector('#sec-reduction')!.getAttribute('description')).toMatch(/^sum · /);
    expect(root.querySelectorAll('table.losses, table.totals')).toHaveLength(2);
    // Other rows (sample 0 ignored now) are built anew.
    render({
      ...other,
      heatMap: state.heatMap,
      reduction: { ...card, ignored: card.ignored.map((_, i) => i === 0), ignoredCount: 1 },
    });
    expect(root.querySelector('table.losses')).not.toBe(table);
    expect(root.querySelector('table.losses td[data-element="0"] .v')!.textContent).toBe(
      `${card.losses[0]!.toFixed(4)} (ignored)`,
    );
    expect(selectedRows()).toEqual([
      [false, 'false'],
      [true, 'true'],
    ]);
    expect(root.querySelectorAll('table.losses')).toHaveLength(1);
  });
});
