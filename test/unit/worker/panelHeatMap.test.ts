/**
 * The panel's heat map crosses from the worker once per pair and options: a sample change, or a
 * reduction change (p and the rows' losses stay), answers with the same id, and without the map
 * when the host says it holds that id. A change that moves the rows (label smoothing) takes the
 * cells of a map of the same dtype, the other dtype's kept as a spare after a dtype swap.
 */
import { describe, expect, it } from 'vitest';
import {
  livePairId,
  workerReplyProblem,
  workerRequestProblem,
  type PanelDataParams,
} from '../../../src/protocol/worker';
import type { HeatMapRows } from '../../../src/protocol/webview';
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
  const ask = (element: number, o = options, heatMapId?: number, alsoHeld?: number[]) => {
    const params: PanelDataParams = {
      key: 'live:1',
      version: 1,
      pairId: livePairId,
      element,
      options: o,
      ...(heatMapId !== undefined ? { heatMapId } : {}),
      ...(alsoHeld ? { alsoHeld } : {}),
    };
    expect(workerRequestProblem({ type: 'request', req: 1, method: 'panelData', params })).toBeNull();
    const data = s.panelData(params);
    expect(workerReplyProblem({ type: 'result', req: 1, method: 'panelData', result: data })).toBeNull();
    return data;
  };
  return ask;
}

function rowsOf(rows: HeatMapRows): Pick<HeatMapRows, 'rowLoss' | 'rowIgnored' | 'rowPick'> {
  const { rowLoss, rowIgnored, rowPick } = rows;
  return { rowLoss, rowIgnored, rowPick };
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

  it('sends only the new rows when the options move the rows’ losses and the host holds the cells', () => {
    const ask = service();
    const first = ask(0);
    const smoothed = ask(0, { ...options, labelSmoothing: 0.2 }, first.heatMapId);
    expect(smoothed.heatMapId).not.toBe(first.heatMapId);
    expect(smoothed.heatMap).toBeNull();
    expect(smoothed.heatMapKept).toBeUndefined();
    const rows = smoothed.heatMapRows!;
    expect(rows.base).toBe(first.heatMapId);
    expect(rows.rowLoss).not.toEqual(first.heatMap!.rowLoss);
    // A host holding another map (or none) gets the whole map, with the same rows.
    const whole = ask(0, { ...options, labelSmoothing: 0.2 }, first.heatMapId + 100);
    expect(whole.heatMapRows).toBeUndefined();
    expect(whole.heatMap).toEqual({ ...first.heatMap!, ...rowsOf(rows) });
    expect(whole.heatMapId).toBe(smoothed.heatMapId);
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
    let held = last.heatMap!;
    const rowsOnly: boolean[] = [];
    for (const o of changes) {
      const moved = ask(0, o, last.heatMapId);
      const fresh = service()(0, o);
      expect(moved.heatMapId).not.toBe(last.heatMapId);
      // The rows alone where the cells stay (the host holds them), else the whole map.
      rowsOnly.push(moved.heatMap === null);
      if (moved.heatMapRows) expect(moved.heatMapRows.base).toBe(last.heatMapId);
      held = moved.heatMap ?? { ...held, ...rowsOf(moved.heatMapRows!) };
      expect(held).toEqual(fresh.heatMap);
      last = moved;
    }
    expect(rowsOnly).toEqual([true, true, true, false, false]);
    // The rows did move: ignoring target 5 leaves the second sample's row with no kept sample.
    expect(service()(0, changes[2]!).heatMap!.rowIgnored).toContain(true);
  });

  it('takes the other dtype’s cells back from the spare after a dtype swap, with the new rows, as a fresh build makes it', () => {
    const ask = service();
    const first = ask(0);
    const swapped = ask(0, { ...options, dtype: 'float64' });
    // [options, the map whose cells it takes]: float32 ε 0.1 takes the first map's (the swap's spare),
    // its swap to float64 the float64 map's, and so on; the host, holding that map, gets the rows only.
    const steps: [PanelDataParams['options'], () => number][] = [
      [{ ...options, labelSmoothing: 0.1 }, () => first.heatMapId],
      [{ ...options, labelSmoothing: 0.1, dtype: 'float64' }, () => swapped.heatMapId],
    ];
    for (const [o, base] of steps) {
      const whole = ask(0, o);
      expect(whole.heatMap, JSON.stringify(o)).toEqual(service()(0, o).heatMap);
      const rows = ask(0, o, base()).heatMapRows;
      expect(rows?.base, JSON.stringify(o)).toBe(base());
    }
    // And back: float32 ε 0.1 again is the swap's spare, as it was.
    const back = ask(0, { ...options, labelSmoothing: 0.1 });
    expect(back.heatMap).toEqual(service()(0, { ...options, labelSmoothing: 0.1 }).heatMap);
  });

  it('sends the rows only when the map it takes its cells from is one the host names besides the one held last', () => {
    // As the panel goes: float32, float64 made ahead, then ε 0.1 in float32 (the map held last),
    // then float64 at ε 0.1 made ahead: its cells are the float64 map's, held but not last.
    const ask = service();
    const f32 = ask(0);
    const f64 = ask(0, { ...options, dtype: 'float64' }, f32.heatMapId);
    const eps = ask(0, { ...options, labelSmoothing: 0.1, dtype: 'float32' }, f64.heatMapId, [f32.heatMapId]);
    expect(eps.heatMapRows?.base).toBe(f32.heatMapId);
    const other = { ...options, labelSmoothing: 0.1, dtype: 'float64' as const };
    const named = ask(0, other, eps.heatMapId, [f64.heatMapId, f32.heatMapId]);
    expect(named.heatMap).toBeNull();
    expect(named.heatMapRows?.base).toBe(f64.heatMapId);
    expect({ ...f64.heatMap!, ...rowsOf(named.heatMapRows!) }).toEqual(service()(0, other).heatMap);
    // Not named: the whole map, the same.
    const unnamed = ask(0, other, eps.heatMapId);
    expect(unnamed.heatMapRows).toBeUndefined();
    expect(unnamed.heatMap).toEqual(service()(0, other).heatMap);
    // A map named among the others is left out like the one held last.
    const again = ask(0, other, f32.heatMapId, [named.heatMapId]);
    expect(again.heatMapKept).toBe(true);
    expect(again.heatMap).toBeNull();
  });
});
