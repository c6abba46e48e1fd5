/**
 * A batch without rows in the panel, end to end in one process: the worker's answer (torch's
 * reduction of nothing, no sample), the host's snapshot (ready, not "computing" for ever, and
 * accepted by the webview's guard), and the webview's card (what torch gives and prints, no empty
 * table). torch 1.13: F.cross_entropy(torch.zeros(0, 4), torch.zeros(0, dtype=torch.long)) is
 * tensor(nan), with reduction='sum' tensor(0.), with 'none' tensor([]) (cases.json, family empty).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { buildPanelState, defaultPanelView } from '../../../src/panel/panelState';
import { hostToWebviewProblem, type PanelState, type PairSummary } from '../../../src/protocol/webview';
import { workerReplyProblem, type PanelDataParams } from '../../../src/protocol/worker';
import type { Reduction } from '../../../src/core/types';
import { defaultUiState, renderPanel, type UiState } from '../../../webview/render';
import { heldLivePanel } from '../worker/helpers';
import { indexRequest } from '../requestBuilders';

let root: HTMLElement;
let ui: UiState;

beforeEach(() => {
  document.body.replaceChildren();
  root = document.createElement('main');
  document.body.appendChild(root);
  ui = { ...defaultUiState, open: {} };
});

const options = (reduction: Reduction): PanelDataParams['options'] => ({
  reduction,
  dtype: 'float32',
  labelSmoothing: 0,
  ignoreIndex: -100,
  weight: null,
  inputKind: 'logits',
});

function pair(reduction: Reduction): PairSummary {
  const o = { ...options(reduction), hasWeight: false };
  return {
    id: 0,
    logitsName: 'scores',
    targetName: 'labels',
    inputShape: [0, 4],
    targetShape: [0],
    lossShape: [0],
    N: 0,
    C: 4,
    S: 1,
    targetKind: 'indices',
    codeOptions: o,
    options: o,
    claimText: null,
    claimOk: null,
  };
}

function stateOf(reduction: Reduction, locale: 'en' | 'ko' = 'en'): PanelState {
  const ask = heldLivePanel(indexRequest(new Float64Array(0), [0, 4], []));
  const data = ask(3, options(reduction), { classStart: null, shift: 0 });
  expect(data.breakdown).toBeNull();
  expect(data.shown).toBeUndefined();
  // The reply crosses the worker boundary's check (the host drops a malformed one).
  expect(workerReplyProblem({ type: 'result', req: 1, method: 'panelData', result: data })).toBeNull();
  return buildPanelState({
    locale,
    documentLabel: 'empty_batch.py',
    decimals: 4,
    pairs: [{ id: 0, label: 'scores, labels', line: 7, loss: data.result.loss, failed: false }],
    selectedPairId: 0,
    pair: pair(reduction),
    result: data.result,
    otherResult: data.otherResult,
    breakdown: data.breakdown,
    shown: data.shown ?? null,
    heatMap: data.heatMap,
    view: defaultPanelView,
  });
}

function render(state: PanelState): void {
  renderPanel(root, state, ui, { post: () => {}, setUi: (patch) => (ui = { ...ui, ...patch }) });
}

describe('a batch without rows in the panel', () => {
  for (const [reduction, print, says] of [
    ['mean', 'tensor(nan)', '0 / 0 = nan'],
    ['sum', 'tensor(0.)', 'The sum of no losses is 0.'],
    ['none', 'tensor([])', 'an empty tensor'],
  ] as const) {
    it(`reduction='${reduction}': ready, torch's ${print}, no sample and no empty table`, () => {
      const state = stateOf(reduction);
      expect(hostToWebviewProblem({ type: 'state', state })).toBeNull();
      expect(state.status).toBe('ready');
      expect(state.sample).toBeNull();
      expect(state.reduction?.count).toBe(0);
      render(state);
      const card = root.querySelector('#sec-no-rows');
      expect(card?.getAttribute('heading')).toBe('No rows');
      expect(card?.textContent).toContain('The input (0, 4) has no rows');
      expect(card?.textContent).toContain(says);
      expect(card?.querySelector('code')?.textContent).toBe(print);
      expect(root.querySelector('#sec-sample, #sec-reduction, table.losses, .status-computing')).toBeNull();
      expect(root.textContent).not.toMatch(/Internal error|Computing/);
    });
  }

  it('speaks Korean in a Korean window', () => {
    render(stateOf('mean', 'ko'));
    const card = root.querySelector('#sec-no-rows')!;
    expect(card.getAttribute('heading')).toBe('행 없음');
    expect(card.textContent).toContain('입력 (0, 4)에 행이 없습니다');
    expect(card.textContent).not.toMatch(/has no rows/);
  });
});
