/**
 * The webview's side of the wire: host.ts checks what arrives and ignores malformed messages;
 * the app says ready, renders each snapshot, keeps UI state with setState; every string the UI
 * asks for has a Korean translation.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeHostMessage, type HostToWebview } from '../../../src/protocol/webview';
import { koreanKeys } from '../../../webview/l10n';
import { seedBatchState } from '../panel/states';

const sent: unknown[] = [];
let saved: unknown = { chartMode: 'logp', open: { stability: true }, scrollY: 0, heatRow: 1 };

beforeAll(() => {
  (globalThis as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = vi.fn(() => ({
    postMessage: (m: unknown) => sent.push(m),
    getState: () => saved,
    setState: (s: unknown) => {
      saved = s;
    },
  }));
});

function deliver(data: unknown): void {
  window.dispatchEvent(new MessageEvent('message', { data }));
}

describe('host.ts', () => {
  it('passes valid messages on and ignores malformed ones', async () => {
    const { onMessage } = await import('../../../webview/host');
    const got: HostToWebview[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const stop = onMessage((m) => got.push(m));
    deliver({ type: 'state', state: { locale: 'en' } });
    deliver({ type: 'exec', code: 'alert(1)' });
    deliver('state');
    const state = seedBatchState();
    state.stability = { ...state.stability!, naiveSum: Infinity };
    deliver(JSON.parse(JSON.stringify(encodeHostMessage({ type: 'state', state }))));
    stop();
    deliver(encodeHostMessage({ type: 'state', state }));
    expect(got).toHaveLength(1);
    const first = got[0]!;
    expect(first.type === 'state' && first.state.stability!.naiveSum).toBe(Infinity);
    expect(warn).toHaveBeenCalledTimes(3);
    warn.mockRestore();
  });
});

describe('app.ts', () => {
  it('says ready, renders snapshots, restores and saves UI state', async () => {
    const { startApp } = await import('../../../webview/app');
    const root = document.createElement('main');
    document.body.appendChild(root);
    sent.length = 0;
    startApp(root);
    // Which computed cards are open (restored: the stability card), before `ready`.
    expect(sent).toEqual([{ type: 'showCards', stability: true }, { type: 'ready' }]);
    deliver(encodeHostMessage({ type: 'state', state: seedBatchState() }));
    expect(root.querySelector('#headline-loss')!.textContent).toBe('2.3519');
    // Restored from getState: the stability section open, the heat map in log p.
    expect(root.querySelector('#sec-stability')!.hasAttribute('open')).toBe(true);
    expect(root.querySelector('#heat-mode vscode-option[selected]')!.getAttribute('value')).toBe('logp');
    root
      .querySelector('#sec-batch')!
      .dispatchEvent(new CustomEvent('vsc-collapsible-toggle', { detail: { open: false } }));
    expect((saved as { open: Record<string, boolean> }).open).toEqual({ stability: true, batch: false });
    expect(sent).toHaveLength(2);
    // Closing the stability card tells the host, which stops computing it; a snapshot that
    // brings it uncomputed while it is open again asks once more (another view closed it).
    const toggle = (open: boolean) =>
      root
        .querySelector('#sec-stability')!
        .dispatchEvent(new CustomEvent('vsc-collapsible-toggle', { detail: { open } }));
    toggle(false);
    expect(sent.at(-1)).toEqual({ type: 'showCards', stability: false });
    const uncomputed = seedBatchState();
    uncomputed.stability = {
      ...uncomputed.stability!,
      classIndices: [],
      shiftedLogits: [],
      naiveExp: [],
      naiveSoftmax: [],
      stableSoftmax: [],
      closed: true,
    };
    deliver(encodeHostMessage({ type: 'state', state: uncomputed }));
    expect(sent).toHaveLength(3);
    toggle(true);
    expect(sent.at(-1)).toEqual({ type: 'showCards', stability: true });
    expect(root.querySelector('#sec-stability [role="status"]')!.textContent).toBe('Computing…');
    deliver(encodeHostMessage({ type: 'state', state: uncomputed }));
    expect(sent).toHaveLength(4);
    deliver(encodeHostMessage({ type: 'state', state: seedBatchState() }));
    expect(root.querySelector('#sec-stability table.stability')).not.toBeNull();
    deliver(encodeHostMessage({ type: 'state', state: uncomputed }));
    expect(sent.at(-1)).toEqual({ type: 'showCards', stability: true });
    expect(sent).toHaveLength(5);
    // A second snapshot replaces the first entirely.
    deliver(encodeHostMessage({ type: 'state', state: { ...seedBatchState(), locale: 'ko' } }));
    expect(root.querySelector('#sec-sample')!.getAttribute('heading')).toBe('계산 단계');
    expect(root.querySelectorAll('table.steps')).toHaveLength(1);
  });
});

describe('l10n', () => {
  it('every string the webview translates has a Korean entry', () => {
    const dir = join(__dirname, '../../../webview');
    const used = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const m of text.matchAll(/\bt\('((?:[^'\\]|\\.)*)'/g)) used.add(m[1].replace(/\\'/g, "'"));
    }
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter((k) => !koreanKeys.includes(k));
    expect(missing).toEqual([]);
  });
});
