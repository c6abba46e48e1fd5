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
});
