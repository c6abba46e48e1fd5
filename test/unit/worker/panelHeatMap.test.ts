/**
 * The panel's heat map crosses from the worker once per pair and options: a sample change, or a
 * reduction change (p and the rows' losses stay), answers with the same id, and without the map
 * when the host says it holds that id. A change that moves p (label smoothing) builds a new one.
 */
import { describe, expect, it } from 'vitest';
import { livePairId, workerReplyProblem, type PanelDataParams } from '../../../src/protocol/worker';
import { AnalysisService } from '../../../src/worker/analysisService';
import { seedRequest } from './helpers';

const options: PanelDataParams['options'] = {
  reduction: 'mean',
  dtype: 'float32',
  labelSmoothing: 0,
  ignoreIndex: -100,
  weight: null,
  inputKind: 'logits',
};

function service() {
  const s = new AnalysisService();
  s.holdLive({ key: 'live:1', version: 1, request: seedRequest() });
  const ask = (element: number, o = options, heatMapId?: number) => {
    const data = s.panelData({
      key: 'live:1',
      version: 1,
      pairId: livePairId,
      element,
      options: o,
      ...(heatMapId !== undefined ? { heatMapId } : {}),
    });
    expect(workerReplyProblem({ type: 'result', req: 1, method: 'panelData', result: data })).toBeNull();
    return data;
  };
  return ask;
}

describe('panelData heat map', () => {
  it('is left out for the host that holds it, for another sample and another reduction', () => {
    const ask = service();
    const first = ask(0);
    expect(first.heatMap).not.toBeNull();
    expect(first.heatMapId).toBeGreaterThan(0);
    expect(first.heatMapKept).toBeUndefined();
    const next = ask(1, options, first.heatMapId);
    expect(next.breakdown!.element).toBe(1);
    expect(next.heatMap).toBeNull();
    expect(next.heatMapKept).toBe(true);
    expect(next.heatMapId).toBe(first.heatMapId);
    const summed = ask(1, { ...options, reduction: 'sum' }, first.heatMapId);
    expect(summed.result.reduction).toBe('sum');
    expect(summed.heatMapKept).toBe(true);
    // Without the id (a host that dropped it), the map comes again, the same.
    const again = ask(1, { ...options, reduction: 'sum' });
    expect(again.heatMap).toEqual(first.heatMap);
    expect(again.heatMapId).toBe(first.heatMapId);
  });

  it('is built anew when the options change p', () => {
    const ask = service();
    const first = ask(0);
    const smoothed = ask(0, { ...options, labelSmoothing: 0.2 }, first.heatMapId);
    expect(smoothed.heatMapId).not.toBe(first.heatMapId);
    expect(smoothed.heatMap).not.toBeNull();
    expect(smoothed.heatMap!.rowLoss).not.toEqual(first.heatMap!.rowLoss);
  });

  it('keeps the cells and moves the rows when smoothing, weight or ignore_index change, as a fresh build makes it', () => {
    const weight = Array.from({ length: 10 }, (_, c) => 0.5 + c / 4);
    const changes: PanelDataParams['options'][] = [
      { ...options, labelSmoothing: 0.2 },
      { ...options, labelSmoothing: 0.2, weight },
      { ...options, labelSmoothing: 0.2, weight, ignoreIndex: 5 },
      { ...options, labelSmoothing: 0.2, weight, ignoreIndex: 5, dtype: 'float64' },
      { ...options, dtype: 'float64', inputKind: 'log_probs' },
    ];
    const ask = service();
    let last = ask(0);
    for (const o of changes) {
      const moved = ask(0, o, last.heatMapId);
      const fresh = service()(0, o);
      expect(moved.heatMapId).not.toBe(last.heatMapId);
      expect(moved.heatMap).toEqual(fresh.heatMap);
      last = moved;
    }
    // The rows did move: ignoring target 5 leaves the second sample's row with no kept sample.
    expect(service()(0, changes[2]!).heatMap!.rowIgnored).toContain(true);
  });
});
