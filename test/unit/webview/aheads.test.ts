/**
 * Snapshots shown before the host's answer (webview/aheads.ts, app.ts): one the host made ahead
 * for a change is shown as the webview posts that change, only from the context and sample it
 * was made from; a snapshot the host made before it saw the change is not shown over it; the
 * host's snapshot after a change is kept for that change made again.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeHostMessage, type HostToWebview, type PanelState } from '../../../src/protocol/webview';
import { seedBatchState } from '../panel/states';

const sent: { type: string }[] = [];

beforeAll(() => {
  (globalThis as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = vi.fn(() => ({
    postMessage: (m: { type: string }) => sent.push(m),
    getState: () => undefined,
    setState: () => {},
  }));
});

function deliver(message: HostToWebview): void {
  window.dispatchEvent(new MessageEvent('message', { data: encodeHostMessage(message) }));
}

/** The sample the panel shows, as its section says it. */
function shownSample(root: HTMLElement): string {
  return root.querySelector('#sec-sample')!.getAttribute('description') ?? '';
}

function next(root: HTMLElement): void {
  root.querySelector('#sample-next')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
}

function prev(root: HTMLElement): void {
  root.querySelector('#sample-prev')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
}

describe('snapshots shown before the host answers', () => {
  it('shows the next sample made ahead as Next is posted, and not a snapshot older than that change', async () => {
    const { startApp } = await import('../../../webview/app');
    const root = document.createElement('main');
    document.body.appendChild(root);
    startApp(root);
    expect(sent.map((m) => m.type)).toEqual(['showCards', 'ready']);
    const s0 = seedBatchState({ element: 0 });
    const s1 = seedBatchState({ element: 1 });
    const s0text = () => shownSample(root);
    deliver({ type: 'state', state: s0, context: 5, seen: 2 });
    const first = s0text();
    expect(first).toMatch(/^sample 0 /);

    // Made ahead from another context, or for another change: not shown.
    deliver({ type: 'ahead', from: 4, at: 0, on: { type: 'selectSample', element: 1 }, state: s1, context: 5 });
    next(root);
    expect(sent.at(-1)).toEqual({ type: 'selectSample', element: 1 });
    expect(shownSample(root)).toBe(first);
    deliver({ type: 'state', state: s1, context: 5, seen: 3 });
    expect(shownSample(root)).toMatch(/^sample 1 /);

    // From sample 1, back to 0: the host's snapshot of sample 0 in this context is kept, shown at once.
    prev(root);
    expect(sent.at(-1)).toEqual({ type: 'selectSample', element: 0 });
    expect(shownSample(root)).toBe(first);
    // The host's snapshot of sample 1 posted before it saw that change (seen 3 < 4): not shown.
    deliver({ type: 'state', state: s1, context: 5, seen: 3 });
    expect(shownSample(root)).toBe(first);
    deliver({ type: 'state', state: s0, context: 5, seen: 4 });
    expect(shownSample(root)).toBe(first);

    // Made ahead for Next from this context: shown as Next is posted.
    deliver({ type: 'ahead', from: 5, at: 0, on: { type: 'selectSample', element: 1 }, state: s1, context: 5 });
    next(root);
    expect(shownSample(root)).toMatch(/^sample 1 /);
    deliver({ type: 'state', state: s1, context: 5, seen: 5 });
    expect(shownSample(root)).toMatch(/^sample 1 /);

    // Another context (a new document version): what was kept for context 5 does not apply.
    deliver({ type: 'state', state: s1, context: 6, seen: 5 });
    prev(root);
    expect(shownSample(root)).toMatch(/^sample 1 /);
    deliver({ type: 'state', state: s0, context: 6, seen: 6 });
    expect(shownSample(root)).toBe(first);
  });

  it('shows an option change made ahead only from the sample it was made at', async () => {
    const { startApp } = await import('../../../webview/app');
    const root = document.createElement('main');
    document.body.appendChild(root);
    sent.length = 0;
    startApp(root);
    const posts = sent.length;
    const dtype = (s: PanelState, d: 'float32' | 'float64'): PanelState => ({
      ...s,
      pair: { ...s.pair!, options: { ...s.pair!.options, dtype: d } },
    });
    const s0 = seedBatchState({ element: 0 });
    const s1 = seedBatchState({ element: 1 });
    deliver({ type: 'state', state: s0, context: 9, seen: posts });
    // The float64 snapshot of sample 1, made while sample 1 was on show: not for sample 0.
    deliver({
      type: 'ahead',
      from: 9,
      at: 1,
      on: { type: 'setControls', controls: { dtype: 'float64' } },
      state: dtype(s1, 'float64'),
      context: 10,
    });
    const select = root.querySelector('#ctl-dtype') as HTMLElement & { value: string };
    select.value = 'float64';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    expect(sent.at(-1)).toEqual({ type: 'setControls', controls: { dtype: 'float64' } });
    expect(shownSample(root)).toMatch(/^sample 0 /);
    expect(root.querySelector('#sec-controls')!.getAttribute('description')).toMatch(/float32/);
    // Made at sample 0: shown as the change is posted.
    deliver({ type: 'state', state: s0, context: 9, seen: sent.length });
    deliver({
      type: 'ahead',
      from: 9,
      at: 0,
      on: { type: 'setControls', controls: { dtype: 'float64' } },
      state: dtype(s0, 'float64'),
      context: 10,
    });
    select.value = 'float64';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    expect(root.querySelector('#sec-controls')!.getAttribute('description')).toMatch(/float64/);
  });
});
