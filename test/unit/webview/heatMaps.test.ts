/** The webview keeps the heat maps the host sent and puts the one a snapshot names back into it. */
import { describe, expect, it, vi } from 'vitest';
import { keptHeatMaps } from '../../../src/protocol/webview';
import { KeptHeatMaps } from '../../../webview/heatMaps';
import { seedBatchState } from '../panel/states';

describe('KeptHeatMaps', () => {
  it('shows a snapshot with the heat map it names, the newest few kept', () => {
    const kept = new KeptHeatMaps();
    const { heatMap, ...rest } = seedBatchState();
    const state = { ...rest, heatMap: null };
    expect(kept.take({ type: 'heatMap', id: 1, heatMap: heatMap! })).toBeNull();
    expect(kept.take({ type: 'state', state, heatMapId: 1 })?.heatMap).toBe(heatMap);
    expect(kept.take({ type: 'state', state })?.heatMap).toBeNull();
    for (let id = 2; id <= keptHeatMaps; id++) kept.take({ type: 'heatMap', id, heatMap: { ...heatMap!, count: id } });
    expect(kept.take({ type: 'state', state, heatMapId: 1 })?.heatMap).toBe(heatMap);
    // One more pushes out the oldest: a snapshot naming it is not shown (the host sends it again first).
    kept.take({ type: 'heatMap', id: keptHeatMaps + 1, heatMap: heatMap! });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(kept.take({ type: 'state', state, heatMapId: 1 })).toBeNull();
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
    expect(kept.take({ type: 'state', state, heatMapId: 2 })?.heatMap?.count).toBe(2);
  });

  it('keeps a map made of a kept one with new rows, and nothing for rows of a map it does not keep', () => {
    const kept = new KeptHeatMaps();
    const { heatMap, ...rest } = seedBatchState();
    const state = { ...rest, heatMap: null };
    const base = heatMap!;
    kept.take({ type: 'heatMap', id: 1, heatMap: base });
    const rowLoss = base.rowLoss.map((v) => v + 1);
    const rowIgnored = base.rowIgnored.map(() => false);
    const rowPick = base.rowPick.map(() => base.count - 1);
    expect(kept.take({ type: 'heatMapRows', id: 2, base: 1, rowLoss, rowIgnored, rowPick })).toBeNull();
    expect(kept.take({ type: 'state', state, heatMapId: 2 })?.heatMap).toEqual({
      ...base,
      rowLoss,
      rowIgnored,
      rowPick,
    });
    // The base is unchanged.
    expect(kept.take({ type: 'state', state, heatMapId: 1 })?.heatMap).toBe(base);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    // A base not kept, rows of another count, a pick past the base's elements: nothing kept.
    kept.take({ type: 'heatMapRows', id: 3, base: 9, rowLoss, rowIgnored, rowPick });
    kept.take({
      type: 'heatMapRows',
      id: 4,
      base: 1,
      rowLoss: [...rowLoss, 1],
      rowIgnored: [...rowIgnored, false],
      rowPick: [...rowPick, 0],
    });
    kept.take({ type: 'heatMapRows', id: 5, base: 1, rowLoss, rowIgnored, rowPick: rowPick.map(() => base.count) });
    for (const id of [3, 4, 5]) expect(kept.take({ type: 'state', state, heatMapId: id })).toBeNull();
    expect(warn).toHaveBeenCalledTimes(6);
    warn.mockRestore();
  });
});
