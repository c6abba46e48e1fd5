/**
 * A target out of range in the panel: torch raises ("Target 10 is out of bounds.") and prints no
 * loss, but the valid samples' steps are shown with torch's numbers and the bad one is marked.
 * Reference: the seed batch of panelFixture.json (torch 1.13), whose sample 0 has target 1.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { findInvalidTargets, maskInvalidTargets } from '../../../src/core/invalidTargets';
import { buildPanelState, defaultPanelView } from '../../../src/panel/panelState';
import { hostToWebviewProblem } from '../../../src/protocol/webview';
import { AnalysisService } from '../../../src/worker/analysisService';
import { defaultUiState, renderPanel } from '../../../webview/render';
import { seedBatch, seedRequest } from '../worker/helpers';
import { fixture, ns } from '../panel/fixture';

const options = {
  reduction: 'mean' as const,
  dtype: 'float32' as const,
  labelSmoothing: 0,
  ignoreIndex: -100,
  weight: null,
  inputKind: 'logits' as const,
};

const text = seedBatch.replace('LongTensor([1, 5])', 'LongTensor([1, 10])');
const torchLosses = ns(fixture.seedBatch.float32.losses);

function analysed(): { service: AnalysisService; pairId: number } {
  const service = new AnalysisService();
  const { analysis } = service.analyze({ key: 'k', version: 1, text, languageId: 'python' });
  const pair = analysis.pairs[0]!;
  expect(pair.error?.code).toBe('target_out_of_bounds');
  return { service, pairId: pair.id };
}

describe('invalid targets', () => {
  it('finds the out-of-range targets, not ignore_index, in linear order', () => {
    const r = seedRequest();
    r.target.data = Float64Array.from([1, 10]);
    expect(findInvalidTargets(r)).toEqual({ C: 10, ignoreIndex: -100, count: 1, elements: [1], values: [10] });
    r.target.data = Float64Array.from([-100, -1]);
    expect(findInvalidTargets(r)).toMatchObject({ count: 1, elements: [1], values: [-1] });
    r.target.data = Float64Array.from([9, 0]);
    expect(findInvalidTargets(r)).toBeNull();
    r.target.data = Float64Array.from([12, 11]);
    expect(findInvalidTargets(r, 1)).toMatchObject({ count: 2, elements: [0], values: [12] });
    expect(Array.from(maskInvalidTargets(r).target.data)).toEqual([-100, -100]);
  });

  it("the worker answers with the valid sample's torch numbers and names the bad one", () => {
    const { service, pairId } = analysed();
    const data = service.panelData({ key: 'k', version: 1, pairId, element: 1, preferValid: true, options });
    expect(data.invalidTargets).toEqual({ C: 10, ignoreIndex: -100, count: 1, elements: [1], values: [10] });
    // The default sample had a bad target: the first valid one is shown instead.
    expect(data.breakdown!.element).toBe(0);
    expect(data.breakdown!.loss).toBeCloseTo(torchLosses[0]!, 6);
    expect(data.result.losses[0]).toBeCloseTo(torchLosses[0]!, 6);
    // A sample the user picks is shown even when its target is bad: softmax, no loss.
    const picked = service.panelData({ key: 'k', version: 1, pairId, element: 1, options });
    expect(picked.breakdown!.element).toBe(1);
    expect(picked.breakdown!.ignored).toBe(true);
    expect(picked.breakdown!.softmax.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('an ignored sample (target = ignore_index -100) passes the webview guard when selected', () => {
    const service = new AnalysisService();
    const source = seedBatch.replace('LongTensor([1, 5])', 'LongTensor([1, -100])');
    const { analysis } = service.analyze({ key: 'i', version: 1, text: source, languageId: 'python' });
    const pairId = analysis.pairs[0]!.id;
    const data = service.panelData({ key: 'i', version: 1, pairId, element: 1, options });
    expect(data.breakdown!.ignored).toBe(true);
    const codeOptions = { ...options, hasWeight: false };
    const state = buildPanelState({
      locale: 'en',
      documentLabel: 'ignored.py',
      decimals: 4,
      pairs: [{ id: pairId, label: 'output, target', line: 15, loss: data.result.loss, failed: false }],
      selectedPairId: pairId,
      pair: {
        id: pairId,
        logitsName: 'output',
        targetName: 'target',
        inputShape: [2, 10],
        targetShape: [2],
        lossShape: [2],
        N: 2,
        C: 10,
        S: 1,
        targetKind: 'indices',
        codeOptions,
        options: codeOptions,
        claimText: null,
        claimOk: null,
      },
      result: data.result,
      otherResult: data.otherResult,
      breakdown: data.breakdown,
      view: defaultPanelView,
    });
    expect(state.sample?.target).toBe(-100);
    expect(hostToWebviewProblem({ type: 'state', state })).toBeNull();
    // A sample that is not ignored still needs a class as its target.
    const bad = { ...state, sample: { ...state.sample!, ignored: false } };
    expect(hostToWebviewProblem({ type: 'state', state: bad })).toMatch(/target is not a class/);
  });

  describe('the panel', () => {
    let root: HTMLElement;
    beforeEach(() => {
      document.body.replaceChildren();
      root = document.createElement('div');
      root.id = 'app';
      document.body.appendChild(root);
    });

    function state(element: number, preferValid: boolean) {
      const { service, pairId } = analysed();
      const data = service.panelData({ key: 'k', version: 1, pairId, element, preferValid, options });
      const codeOptions = {
        reduction: 'mean' as const,
        dtype: 'float32' as const,
        labelSmoothing: 0,
        ignoreIndex: -100,
        inputKind: 'logits' as const,
        hasWeight: false,
        weight: null,
      };
      return buildPanelState({
        locale: 'en',
        documentLabel: 'oob.py',
        decimals: 4,
        pairs: [{ id: pairId, label: 'output, target', line: 15, loss: null, failed: true }],
        selectedPairId: pairId,
        pair: {
          id: pairId,
          logitsName: 'output',
          targetName: 'target',
          inputShape: [2, 10],
          targetShape: [2],
          lossShape: [2],
          N: 2,
          C: 10,
          S: 1,
          targetKind: 'indices',
          codeOptions,
          options: codeOptions,
          claimText: null,
          claimOk: null,
        },
        result: data.result,
        otherResult: data.otherResult,
        breakdown: data.breakdown,
        heatMap: data.heatMap,
        view: defaultPanelView,
        error: 'Target 10 is out of bounds.',
        invalidTargets: data.invalidTargets ?? null,
      });
    }

    function render(s: ReturnType<typeof state>): void {
      expect(hostToWebviewProblem({ type: 'state', state: s })).toBeNull();
      renderPanel(root, s, { ...defaultUiState, open: {} }, { post: () => {}, setUi: () => {} });
    }

    it("keeps torch's error, says the valid range and where, and shows sample 0's steps", () => {
      const s = state(0, true);
      expect(s.status).toBe('error');
      expect(s.reduction?.float32).toBeNull();
      expect(s.reduction?.invalid).toEqual([false, true]);
      render(s);
      expect(root.querySelector('.error-box')!.textContent).toBe('Target 10 is out of bounds.');
      const note = root.querySelector('.invalid-box')!.textContent!;
      expect(note).toContain('Valid targets are class indices 0 to 9 (10 classes), or ignore_index (-100).');
      expect(note).toContain('Out of range: sample 1: target 10');
      expect(root.querySelector('#sec-sample')!.getAttribute('description')).toBe(
        'sample 0 (1 of 2) · target 1 · float32',
      );
      expect(root.querySelector('#sample-loss')!.textContent).toMatch(/= 2\.1438$/);
      expect(root.querySelector('table.losses td[data-element="0"] .v')!.textContent).toBe('2.1438');
      expect(root.querySelector('table.losses td[data-element="1"] .v')!.textContent).toBe('✗ target out of range');
      expect(root.querySelector('table.totals')).toBeNull();
      expect(root.querySelector('.invalid-total')).not.toBeNull();
    });

    it('marks the bad sample when it is selected: the value written, no loss', () => {
      const s = state(1, false);
      expect(s.sample?.target).toBe(10);
      expect(s.invalidTargets?.selected).toBe(10);
      render(s);
      expect(root.querySelector('#sec-sample')!.getAttribute('description')).toBe(
        'sample 1 (2 of 2) · target 10 · float32',
      );
      expect(root.querySelector('.invalid-note')!.textContent).toMatch(
        /^Target 10 is not a class: valid targets are 0 to 9\. This sample has no loss/,
      );
      expect(root.querySelector('#sample-loss')).toBeNull();
    });
  });
});
