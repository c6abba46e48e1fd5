/**
 * The webview app: keeps the last snapshot and the UI state, renders on every snapshot, keeps
 * focus and scroll across renders, persists UI choices with setState, and redraws the canvas
 * when the theme changes (charts.ts redraws it when its width changes).
 */
import type { HostToWebview, PanelState } from '../src/protocol/webview';
import { redrawCharts } from './charts';
import { loadUiState, onMessage, post, saveUiState } from './host';
import { KeptHeatMaps } from './heatMaps';
import { lastArrival, stamp } from './hops';
import { sectionDefaults } from './parts';
import { defaultUiState, renderPanel, type UiState } from './render';
import { hideTooltip, installTooltips } from './tooltip';

interface Saved extends UiState {
  scrollY: number;
}

/** Reads saved UI state defensively: it comes back from VS Code as plain JSON. */
export function readUiState(raw: unknown): Saved {
  const out: Saved = { ...defaultUiState, open: {}, scrollY: 0 };
  if (typeof raw !== 'object' || raw === null) return out;
  const r = raw as Record<string, unknown>;
  if (r.chartMode === 'p' || r.chartMode === 'logp') out.chartMode = r.chartMode;
  if (typeof r.heatRow === 'number' && Number.isSafeInteger(r.heatRow) && r.heatRow >= 0) out.heatRow = r.heatRow;
  if (typeof r.scrollY === 'number' && Number.isFinite(r.scrollY) && r.scrollY >= 0) out.scrollY = r.scrollY;
  if (typeof r.open === 'object' && r.open !== null) {
    for (const [k, v] of Object.entries(r.open as Record<string, unknown>))
      if (typeof v === 'boolean' && k.length < 40) out.open[k] = v;
  }
  return out;
}

/** Starts the app in `root`. */
export function startApp(root: HTMLElement): void {
  let ui = readUiState(loadUiState());
  let state: PanelState | null = null;
  let restoredScroll = false;
  /** The scroll position to restore before the next paint, while a restore is pending. */
  let pendingScroll: number | null = null;
  const heatMaps = new KeptHeatMaps();

  const persist = () => saveUiState({ ...ui, scrollY: window.scrollY });
  // The host computes the stability card only while it is open here: say so as it opens or closes,
  // and again when a snapshot brings it uncomputed while open (another view of the panel closed it).
  const stabilityOpen = () => ui.open.stability ?? sectionDefaults.stability!;
  let stabilityAsked = false;
  const showCards = () => {
    stabilityAsked = stabilityOpen();
    post({ type: 'showCards', stability: stabilityOpen() });
  };
  const render = () => {
    if (!state) return;
    const focusedId =
      document.activeElement instanceof HTMLElement && root.contains(document.activeElement)
        ? document.activeElement.id
        : '';
    const focusedCell = document.activeElement instanceof HTMLElement ? cellKey(document.activeElement) : null;
    // Read once per frame: a read after a render of this frame would lay the page out for it.
    const scrollY = pendingScroll ?? window.scrollY;
    hideTooltip();
    renderPanel(root, state, ui, {
      post,
      setUi: (patch, rerender) => {
        const wasOpen = stabilityOpen();
        ui = { ...ui, ...patch, open: patch.open ? { ...ui.open, ...patch.open } : ui.open };
        persist();
        if (stabilityOpen() !== wasOpen) showCards();
        if (rerender) render();
      },
    });
    // Restore what the rebuild took away: the focused control or cell, and the scroll position.
    const again = focusedId
      ? document.getElementById(focusedId)
      : focusedCell
        ? root.querySelector<HTMLElement>(focusedCell)
        : null;
    // Only when the render replaced it: focus() makes the browser compute the page's styles first,
    // and a kept control (a sample change's Next button) still has the focus.
    if (again && again !== document.activeElement) {
      if (again.tabIndex < 0) again.tabIndex = 0;
      again.focus({ preventScroll: true });
    }
    // Where the page was (or where it was saved, on the first render) is restored before the next
    // paint, in the layout that paint needs anyway: scrolling now would lay the page out for it.
    if (pendingScroll === null) {
      pendingScroll = restoredScroll ? scrollY : ui.scrollY;
      restoredScroll = true;
      requestAnimationFrame(() => {
        const y = pendingScroll;
        pendingScroll = null;
        if (y !== null && window.scrollY !== y) window.scrollTo(0, y);
      });
    }
  };

  installTooltips(root);
  onMessage((message: HostToWebview) => {
    const next = heatMaps.take(message);
    if (next) {
      state = next;
      if (!next.stability?.closed) stabilityAsked = false;
      else if (stabilityOpen() && !stabilityAsked) showCards();
      const mark = lastArrival();
      if (mark) mark.renderStart = stamp();
      render();
      if (mark) mark.renderEnd = stamp();
    }
  });
  let scrollTimer: number | undefined;
  window.addEventListener('scroll', () => {
    window.clearTimeout(scrollTimer);
    scrollTimer = window.setTimeout(persist, 200);
  });
  // VS Code changes the theme by rewriting the CSS variables on <html> and the class of <body>.
  const observer = new MutationObserver(() => redrawCharts(root));
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  showCards();
  post({ type: 'ready' });
}

/** A selector that finds the same table cell after a re-render. */
function cellKey(el: HTMLElement): string | null {
  if (el.tagName !== 'TD') return null;
  const table = el.closest('table');
  const tableClass = table?.classList[0];
  if (!tableClass) return null;
  const attrs = ['data-row', 'data-class', 'data-element']
    .filter((a) => el.hasAttribute(a))
    .map((a) => `[${a}="${CSS.escape(el.getAttribute(a) ?? '')}"]`)
    .join('');
  return attrs ? `table.${CSS.escape(tableClass)} td${attrs}` : null;
}
