/**
 * The host's message channel: it waits for `ready`, posts complete snapshots (coalesced), drops
 * malformed messages with a warning and routes the rest to the controller.
 */
import { describe, expect, it, vi } from 'vitest';
import { decodeHostMessage, hostToWebviewProblem, keptHeatMaps, type PanelState } from '../../../src/protocol/webview';
import type { PanelController } from '../../../src/panel/panelController';
import { PanelConnection } from '../../../src/panel/panelConnection';
import { seedBatchState } from './states';
import { throughPostMessage } from './postMessageWire';
import { panelContexts } from '../../../src/panel/panelContext';

function setup(state: PanelState = seedBatchState()) {
  // Snapshots, and apart from them the heat maps sent for the webview to keep.
  const posted: unknown[] = [];
  const heatMaps: unknown[] = [];
  const warnings: string[] = [];
  const target = {
    postMessage: vi.fn((m: unknown) => {
      ((m as { type?: unknown }).type === 'heatMap' ? heatMaps : posted).push(m);
      return Promise.resolve(true);
    }),
  };
  const controller = {
    onDidChangeState: () => ({ dispose() {} }),
    getState: vi.fn(() => state),
    onSelectPair: vi.fn(),
    onSelectSample: vi.fn(),
    onSetClassWindow: vi.fn(),
    onSetLossPage: vi.fn(),
    onSetControls: vi.fn(),
    onResetControls: vi.fn(),
    onSetShift: vi.fn(),
    onShowCards: vi.fn(),
    onCopy: vi.fn(),
    onReveal: vi.fn(),
  } satisfies PanelController;
  const connection = new PanelConnection(target, controller, { warn: (m) => warnings.push(m) });
  return { posted, heatMaps, warnings, target, controller, connection };
}

const tick = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe('PanelConnection', () => {
  it('posts nothing before ready, then one complete snapshot', async () => {
    const { posted, connection } = setup();
    connection.schedulePost();
    await tick();
    expect(posted).toHaveLength(0);
    expect(connection.receive({ type: 'ready' })).toBe(true);
    expect(posted).toHaveLength(1);
    const message = decodeHostMessage(throughPostMessage(posted[0]));
    expect(hostToWebviewProblem(message)).toBeNull();
    expect((message as { state: PanelState }).state.reduction!.float32!.torchPrint).toBe('tensor(2.3519)');
  });

  it('sends a heat map once and names it in every snapshot that shows it, until the page loads again', async () => {
    let state = seedBatchState();
    const { posted, heatMaps, connection, controller } = setup();
    controller.getState.mockImplementation(() => state);
    const heatMap = state.heatMap!;
    connection.receive({ type: 'ready' });
    // Another sample of the same batch: a new snapshot, the same heat map object.
    state = { ...seedBatchState(), heatMap, selectedPairId: 7 };
    connection.schedulePost();
    await tick();
    expect(heatMaps).toHaveLength(1);
    expect(posted).toHaveLength(2);
    const sent = decodeHostMessage(throughPostMessage(heatMaps[0])) as { id: number; heatMap: unknown };
    expect(hostToWebviewProblem(sent)).toBeNull();
    expect(sent.heatMap).toEqual(heatMap);
    for (const raw of posted) {
      const m = decodeHostMessage(throughPostMessage(raw)) as { state: PanelState; heatMapId?: number };
      expect(hostToWebviewProblem(m)).toBeNull();
      expect(m.heatMapId).toBe(sent.id);
      expect(m.state.heatMap).toBeNull();
    }
    expect((posted[1] as { state: PanelState }).state.selectedPairId).toBe(7);
    // Another heat map (another pair or dtype) is sent; back to the first, which the page still keeps: not sent again.
    const other = { ...heatMap, values: heatMap.values.map((v) => v / 2) };
    state = { ...state, heatMap: other };
    connection.postNow();
    state = { ...state, heatMap };
    connection.postNow();
    expect(heatMaps).toHaveLength(2);
    expect((posted.at(-1) as { heatMapId: number }).heatMapId).toBe(sent.id);
    // A page that loaded again has none: it gets the map again with its snapshot.
    connection.receive({ type: 'ready' });
    expect(heatMaps).toHaveLength(3);
    expect((posted.at(-1) as { heatMapId: number }).heatMapId).toBe((heatMaps[2] as { id: number }).id);
    // No heat map: nothing sent, no reference.
    state = { ...state, heatMap: null };
    connection.postNow();
    expect(heatMaps).toHaveLength(3);
    expect(posted.at(-1)).not.toHaveProperty('heatMapId');
  });

  it('sends again a heat map the page no longer keeps (it keeps the newest few)', () => {
    let state = seedBatchState();
    const { heatMaps, connection, controller } = setup();
    controller.getState.mockImplementation(() => state);
    const first = state.heatMap!;
    connection.receive({ type: 'ready' });
    for (let i = 0; i < keptHeatMaps; i++) {
      state = { ...state, heatMap: { ...first, values: first.values.map((v) => v * i) } };
      connection.postNow();
    }
    expect(heatMaps).toHaveLength(keptHeatMaps + 1);
    state = { ...state, heatMap: first };
    connection.postNow();
    expect(heatMaps).toHaveLength(keptHeatMaps + 2);
  });

  it('coalesces changes in one tick into one post of the latest state', async () => {
    const { posted, connection, controller } = setup();
    connection.receive({ type: 'ready' });
    posted.length = 0;
    connection.schedulePost();
    connection.schedulePost();
    connection.schedulePost();
    await tick();
    expect(posted).toHaveLength(1);
    expect(controller.getState).toHaveBeenCalledTimes(2);
  });

  it('waits for a new ready after the view was hidden', async () => {
    const { posted, connection } = setup();
    connection.receive({ type: 'ready' });
    connection.reset();
    connection.schedulePost();
    await tick();
    expect(posted).toHaveLength(1);
    connection.receive({ type: 'ready' });
    expect(posted).toHaveLength(2);
  });

  it('a retained webview shown again gets the latest snapshot and the controller computes again', () => {
    const { posted, connection, controller } = setup();
    const setVisible = vi.fn();
    Object.assign(controller, { setVisible });
    connection.shown(); // before its first ready: the script has not started, nothing to post to
    expect(posted).toHaveLength(0);
    expect(setVisible).not.toHaveBeenCalled();
    connection.receive({ type: 'ready' });
    expect(posted).toHaveLength(1);
    expect(setVisible).toHaveBeenLastCalledWith(true);
    connection.shown(); // hidden and shown again without reloading: no second ready will come
    expect(posted).toHaveLength(2);
    expect(setVisible).toHaveBeenCalledTimes(2);
    expect(setVisible).toHaveBeenLastCalledWith(true);
  });

  it('routes each message to the controller with its arguments', () => {
    const { connection, controller } = setup();
    connection.receive({ type: 'selectPair', id: 4 });
    connection.receive({ type: 'selectSample', element: 1 });
    connection.receive({ type: 'setClassWindow', start: null });
    connection.receive({ type: 'setLossPage', offset: 200 });
    connection.receive({ type: 'setControls', controls: { reduction: 'sum' } });
    connection.receive({ type: 'resetControls' });
    connection.receive({ type: 'setShift', shift: 100 });
    connection.receive({ type: 'showCards', stability: true });
    connection.receive({ type: 'copy', kind: 'csv' });
    connection.receive({ type: 'revealInEditor', id: 4 });
    expect(controller.onSelectPair).toHaveBeenCalledWith(4);
    expect(controller.onSelectSample).toHaveBeenCalledWith(1);
    expect(controller.onSetClassWindow).toHaveBeenCalledWith(null);
    expect(controller.onSetLossPage).toHaveBeenCalledWith(200);
    expect(controller.onSetControls).toHaveBeenCalledWith({ reduction: 'sum' });
    expect(controller.onResetControls).toHaveBeenCalledTimes(1);
    expect(controller.onSetShift).toHaveBeenCalledWith(100);
    expect(controller.onShowCards).toHaveBeenCalledWith({ stability: true });
    expect(controller.onCopy).toHaveBeenCalledWith('csv');
    expect(controller.onReveal).toHaveBeenCalledWith(4);
  });

  it('drops malformed messages with a warning and calls nothing', () => {
    const { connection, controller, warnings, posted } = setup();
    expect(connection.receive({ type: 'selectSample', element: -1 })).toBe(false);
    expect(connection.receive({ type: 'setControls', controls: { weight: new Array(10_000).fill(1) } })).toBe(false);
    expect(connection.receive({ type: 'eval', code: '1' })).toBe(false);
    expect(connection.receive(undefined)).toBe(false);
    expect(controller.onSelectSample).not.toHaveBeenCalled();
    expect(controller.onSetControls).not.toHaveBeenCalled();
    expect(posted).toHaveLength(0);
    expect(warnings).toHaveLength(4);
    expect(warnings[0]).toMatch(/malformed.*element/);
  });

  it('survives a throwing or rejecting controller', async () => {
    const { connection, controller, warnings } = setup();
    controller.onCopy.mockImplementation(() => {
      throw new Error('no clipboard');
    });
    controller.onReveal.mockImplementation(() => Promise.reject(new Error('closed')));
    expect(connection.receive({ type: 'copy', kind: 'pytorch' })).toBe(true);
    connection.receive({ type: 'revealInEditor', id: 1 });
    await tick();
    await tick();
    expect(warnings.join('\n')).toMatch(/no clipboard/);
    expect(warnings.join('\n')).toMatch(/closed/);
  });

  it('replaces a snapshot its own guard rejects with an error state', () => {
    const broken = seedBatchState();
    broken.sample!.classIndices.reverse();
    const { connection, posted, warnings } = setup(broken);
    connection.receive({ type: 'ready' });
    const message = decodeHostMessage(posted[0]) as { state: PanelState };
    expect(hostToWebviewProblem(message)).toBeNull();
    expect(message.state.status).toBe('error');
    expect(warnings[0]).toMatch(/own guard/);
  });

  it('says with each snapshot how many messages it had received, and its context', async () => {
    const state = seedBatchState();
    const context = panelContexts.mark(state, 'a test context');
    const { posted, connection } = setup(state);
    connection.receive({ type: 'showCards', stability: false });
    connection.receive({ type: 'ready' });
    connection.receive({ type: 'selectSample', element: 1 });
    connection.schedulePost();
    await tick();
    const messages = posted.map((m) => decodeHostMessage(throughPostMessage(m)) as { seen?: number; context?: number });
    expect(messages.map((m) => m.seen)).toEqual([2, 3]);
    expect(messages.map((m) => m.context)).toEqual([context, context]);
    for (const m of messages) expect(hostToWebviewProblem(m)).toBeNull();
  });

  it('sends a snapshot made ahead, with its heat map by reference, only when ready and valid', () => {
    const shown = seedBatchState();
    const ahead = seedBatchState({ element: 1 });
    const from = panelContexts.mark(shown, 'shown');
    const context = panelContexts.mark(ahead, 'ahead');
    const { posted, heatMaps, warnings, connection } = setup(shown);
    const note = { from, at: 0, on: { type: 'selectSample' as const, element: 1 }, state: ahead };
    connection.postAhead(note);
    expect(posted).toHaveLength(0);
    connection.receive({ type: 'ready' });
    connection.postAhead(note);
    expect(heatMaps).toHaveLength(2);
    const sent = decodeHostMessage(throughPostMessage(posted.at(-1))) as Record<string, unknown>;
    expect(hostToWebviewProblem(sent)).toBeNull();
    expect(sent).toMatchObject({ type: 'ahead', from, at: 0, on: note.on, context, heatMapId: 2 });
    expect((sent.state as PanelState).heatMap).toBeNull();
    // Unmarked (no context), or failing the guard: not sent.
    connection.postAhead({ ...note, state: seedBatchState({ element: 1 }) });
    const bad = { ...ahead, decimals: -3 };
    panelContexts.mark(bad, 'bad');
    connection.postAhead({ ...note, state: bad });
    expect(posted).toHaveLength(2);
    expect(warnings.join('\n')).toMatch(/made ahead was rejected/);
  });

  it('sends a snapshot made ahead after the snapshot on show that waits to be posted, never before it', async () => {
    const shown = seedBatchState();
    const ahead = seedBatchState({ element: 1 });
    const from = panelContexts.mark(shown, 'shown');
    panelContexts.mark(ahead, 'ahead');
    const { posted, connection } = setup(shown);
    connection.receive({ type: 'ready' });
    posted.length = 0;
    // The model publishes (a post queued for the end of the tick), then makes a snapshot ahead at once.
    connection.schedulePost();
    connection.postAhead({ from, at: 0, on: { type: 'selectSample', element: 1 }, state: ahead });
    expect(posted).toHaveLength(0);
    await tick();
    const types = posted.map((m) => (decodeHostMessage(throughPostMessage(m)) as { type: string }).type);
    expect(types).toEqual(['state', 'ahead']);
  });

  it('ignores everything after dispose', async () => {
    const { connection, posted, controller } = setup();
    connection.receive({ type: 'ready' });
    connection.dispose();
    connection.schedulePost();
    await tick();
    expect(connection.receive({ type: 'selectPair', id: 1 })).toBe(false);
    expect(posted).toHaveLength(1);
    expect(controller.onSelectPair).not.toHaveBeenCalled();
  });
});
