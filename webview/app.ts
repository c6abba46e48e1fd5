/**
 * The webview app: keeps the last snapshot and the UI state, renders on every snapshot, keeps
 * focus and scroll across renders, persists UI choices with setState, and redraws the canvas
 * when the theme changes (charts.ts redraws it when its width changes).
 */
import type { AheadChange, HostToWebview, PanelState, WebviewToHost } from '../src/protocol/webview';
import { isChange, KeptAheads } from './aheads';
import { PairAnnouncer } from './announce';
import { redrawCharts } from './charts';
import { loadUiState, onMessage, post, saveUiState } from './host';
import { KeptHeatMaps } from './heatMaps';
import { lastArrival, markLocal, stamp } from './hops';
import { sectionDefaults } from './parts';
import { defaultUiState, drawHeatMapAhead, renderPanel, type UiState } from './render';
import type { Actions } from './parts';
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
  const aheads = new KeptAheads();
  /** The host's context of the snapshot on show (undefined: no snapshot made ahead applies). */
  let context: number | undefined;
  /** The number of the post whose change the snapshot on show was made ahead for, else 0. */
  let localAt = 0;
  /** The last change posted (its number, and the context and sample it was made from), until the host's snapshot of it. */
  let lastChange: { n: number; from: number; at: number; on: AheadChange } | undefined;

  const announcer = new PairAnnouncer(document);
  const persist = () => saveUiState({ ...ui, scrollY: window.scrollY });
  // The host computes the stability card only while it is open here: say so as it opens or closes,
  // and again when a snapshot brings it uncomputed while open (another view of the panel closed it).
  const stabilityOpen = () => ui.open.stability ?? sectionDefaults.stability!;
  let stabilityAsked = false;
  const showCards = () => {
    // The next snapshot shows another card too: it is not the one of the last change alone.
    lastChange = undefined;
    stabilityAsked = stabilityOpen();
    post({ type: 'showCards', stability: stabilityOpen() });
  };
  const actions: Actions = {
    post: (message) => act(message),
    setUi: (patch, rerender) => {
      const wasOpen = stabilityOpen();
      ui = { ...ui, ...patch, open: patch.open ? { ...ui.open, ...patch.open } : ui.open };
      persist();
      if (stabilityOpen() !== wasOpen) showCards();
      if (rerender) render();
    },
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
    renderPanel(root, state, ui, actions);
    announcer.update(state, root);
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

  /**
   * Posts what the user did; when the host made the snapshot of that change ahead, shows it now
   * (the host's own follows and confirms it).
   */
  function act(message: WebviewToHost): void {
    const n = post(message);
    const at = state?.sample?.element;
    lastChange =
      context !== undefined && at !== undefined && isChange(message)
        ? { n, from: context, at, on: message }
        : undefined;
    const kept = lastChange ? aheads.find(lastChange.from, lastChange.at, message) : undefined;
    if (!kept) return;
    localAt = n;
    state = kept.state;
    context = kept.context;
    const mark = markLocal();
    mark.renderStart = stamp();
    render();
    mark.renderEnd = stamp();
  }

  installTooltips(root);
  onMessage((message: HostToWebview) => {
    if (message.type === 'ahead') {
      const made = heatMaps.resolve(message);
      if (!made) return;
      aheads.keep(message.from, message.at, message.on, made, message.context);
      // Another map (the other dtype's): its figure drawn off the page while idle, not as it is shown.
      if (made.heatMap && made.heatMap !== state?.heatMap) whenIdle(() => drawHeatMapAhead(made, ui, actions));
      return;
    }
    const next = heatMaps.take(message);
    // Made before the host knew of the change on show (a snapshot made ahead): the host's next one follows.
    if (next && message.type === 'state' && localAt > 0 && (message.seen ?? localAt) < localAt) return;
    if (next) {
      const confirms = localAt > 0 && state !== null && sameSnapshot(next, state);
      localAt = 0;
      context = message.type === 'state' ? message.context : undefined;
      // The host's snapshot of the last change posted (none posted since): kept, for that change made again.
      if (lastChange && context !== undefined && message.type === 'state' && (message.seen ?? 0) >= lastChange.n) {
        aheads.keep(lastChange.from, lastChange.at, lastChange.on, next, context);
        lastChange = undefined;
      }
      // And for going back to this sample from another of the same context.
      if (context !== undefined && next.sample)
        aheads.keep(context, 0, { type: 'selectSample', element: next.sample.element }, next, context);
      // The host's snapshot of the change shown ahead: already on show.
      if (confirms) {
        state = next;
        return;
      }
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

/** Runs `task` when the page is idle (soon, where the browser has no idle callbacks). */
function whenIdle(task: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(task, { timeout: 500 });
  else setTimeout(task, 50);
}

/** Whether two snapshots show the same (the heat map by identity: the kept maps are one object per id). */
function sameSnapshot(a: PanelState, b: PanelState): boolean {
  return a.heatMap === b.heatMap && JSON.stringify({ ...a, heatMap: null }) === JSON.stringify({ ...b, heatMap: null });
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
