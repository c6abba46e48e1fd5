/**
 * New rows of a held heat map (a label smoothing, weight or ignore_index change) cross each
 * boundary as rows only: the host's replies make the map from the one they hold, the connection
 * sends the webview the rows of a map it keeps, and the webview's map equals the whole one.
 */
import { describe, expect, it, vi } from 'vitest';
import type { PanelController } from '../../../src/panel/panelController';
import { PanelConnection } from '../../../src/panel/panelConnection';
import { PanelReplies } from '../../../src/panel/panelReplies';
import { decodeHostMessage, hostToWebviewProblem, type HeatMap, type PanelState } from '../../../src/protocol/webview';
import type { PanelData } from '../../../src/protocol/worker';
import { KeptHeatMaps } from '../../../webview/heatMaps';
import { seedBatchState } from './states';
import { throughPostMessage } from './postMessageWire';

/** A reply as the worker sends it; only the heat map fields matter here. */
function reply(fields: Partial<PanelData>): PanelData {
  return {
    result: null,
    otherResult: null,
    breakdown: null,
    heatMap: null,
    heatMapId: 0,
    ...fields,
  } as unknown as PanelData;
}

function connection(getState: () => PanelState) {
  const sent: unknown[] = [];
  const target = {
    postMessage: (m: unknown) => {
      sent.push(decodeHostMessage(throughPostMessage(m)));
      return Promise.resolve(true);
    },
  };
  const noop = vi.fn();
  const controller = {
    onDidChangeState: () => ({ dispose() {} }),
    getState,
    onSelectPair: noop,
    onSelectSample: noop,
    onSetClassWindow: noop,
    onSetLossPage: noop,
    onSetControls: noop,
    onResetControls: noop,
    onSetShift: noop,
    onShowCards: noop,
    onCopy: noop,
    onReveal: noop,
  } satisfies PanelController;
  const c = new PanelConnection(target, controller, { warn: (m) => sent.push(`warn ${m}`) });
  c.receive({ type: 'ready' });
  return { c, sent };
}

describe('heat map rows', () => {
  const base = seedBatchState().heatMap!;
  const rows = {
    base: 1,
    rowLoss: base.rowLoss.map((v) => v * 2),
    rowIgnored: base.rowIgnored.map(() => false),
    rowPick: base.rowPick.map(() => base.count - 1),
  };

  it('the host makes the map from the one it holds, and asks again when it holds no such map', () => {
    const replies = new PanelReplies();
    const owner = {};
    const first = replies.keep('a', owner, reply({ heatMap: base, heatMapId: 1 }));
    const moved = reply({ heatMapId: 2, heatMapRows: rows });
    expect(replies.lacksHeatMap(moved)).toBe(false);
    const kept = replies.keep('b', owner, moved);
    expect(kept.heatMap).toEqual({
      ...first.heatMap!,
      rowLoss: rows.rowLoss,
      rowIgnored: rows.rowIgnored,
      rowPick: rows.rowPick,
    });
    expect(kept).not.toHaveProperty('heatMapRows');
    expect(replies.heldHeatMap()).toBe(2);
    // A kept reply shown again makes its map the one held last (the worker builds on the map on show).
    expect(replies.get('a', owner)?.heatMapId).toBe(1);
    expect(replies.heldHeatMap()).toBe(1);
    replies.get('b', owner);
    expect(replies.heldHeatMap()).toBe(2);
    // Rows of a map not held, or that do not fit it: ask again for the whole map.
    expect(replies.lacksHeatMap(reply({ heatMapId: 3, heatMapRows: { ...rows, base: 7 } }))).toBe(true);
    expect(replies.lacksHeatMap(reply({ heatMapId: 3, heatMapRows: { ...rows, rowLoss: [1] } }))).toBe(true);
    const past = { ...rows, rowPick: rows.rowPick.map(() => base.count) };
    expect(replies.lacksHeatMap(reply({ heatMapId: 3, heatMapRows: past }))).toBe(true);
  });

  it('the webview gets the rows of a map it keeps, and the whole map otherwise', async () => {
    const replies = new PanelReplies();
    const owner = {};
    const first = replies.keep('a', owner, reply({ heatMap: base, heatMapId: 1 })).heatMap!;
    const moved = replies.keep('b', owner, reply({ heatMapId: 2, heatMapRows: rows })).heatMap!;
    let heatMap: HeatMap = first;
    const { c, sent } = connection(() => ({ ...seedBatchState(), heatMap }));
    heatMap = moved;
    c.postNow();
    const page = new KeptHeatMaps();
    const shown = sent.map((m) => {
      expect(hostToWebviewProblem(m)).toBeNull();
      return page.take(m as Parameters<KeptHeatMaps['take']>[0]);
    });
    const types = sent.map((m) => (m as { type: string }).type);
    expect(types).toEqual(['heatMap', 'state', 'heatMapRows', 'state']);
    expect((sent[2] as { base: number }).base).toBe((sent[0] as { id: number }).id);
    expect(sent[2]).not.toHaveProperty('values');
    expect(shown[1]!.heatMap).toEqual(first);
    expect(shown[3]!.heatMap).toEqual(moved);
    // A page that never got the base (a new connection): the whole map.
    const fresh = connection(() => ({ ...seedBatchState(), heatMap: moved }));
    expect(fresh.sent.map((m) => (m as { type: string }).type)).toEqual(['heatMap', 'state']);
    expect((fresh.sent[0] as { heatMap: HeatMap }).heatMap).toEqual(moved);
    await Promise.resolve();
  });
});
