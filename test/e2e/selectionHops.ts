// Where one CodeLens selection's time went (test/e2e/speed.ui.ts): the workbench's mousedown, the
// messages the panel received until it painted the pair (a "computing" snapshot first, a heat
// map), the host's hops of the snapshot shown (src/panel/panelTrace.ts, cause `show`, while
// LOSS_INSPECTOR_PANEL_TRACE=1), the webview's render and paint, and the long tasks (≥ 50 ms) the
// workbench's and the webview's main threads ran meanwhile. Figures only: nothing is asserted.
import type { Frame, Page } from 'playwright-core';
import type { ArrivalMark as Arrival } from './hopTable';

export interface SelectionHops {
  total: number;
  /** Messages from the host between the mousedown and the paint, by type, in order. */
  messages: string[];
  /** Mousedown → the first message's arrival (workbench → host → panel, the host's work included). */
  toFirst: number;
  /** Mousedown → the shown snapshot's arrival. */
  toShown: number;
  /** The host's hops of the shown snapshot, when it sent them. */
  host: Record<string, number>;
  /** Render and paint of every message before the shown one (a "computing" snapshot, a heat map). */
  earlier: number;
  render: number;
  paint: number;
  /** Long tasks overlapping the selection: `workbench` and `webview` main-thread milliseconds. */
  longTasks: { workbench: number; webview: number };
}

/** Starts recording long tasks in `target` (once), on the frame's clock. */
export async function recordLongTasks(target: Frame | Page): Promise<void> {
  await target.evaluate(() => {
    const w = window as unknown as { __longTasks?: [number, number][] };
    if (w.__longTasks || typeof PerformanceObserver === 'undefined') return;
    const tasks: [number, number][] = (w.__longTasks = []);
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) tasks.push([performance.timeOrigin + e.startTime, e.duration]);
        if (tasks.length > 400) tasks.splice(0, tasks.length - 400);
      }).observe({ type: 'longtask', buffered: true });
    } catch {
      // No long-task timing in this browser: none are reported.
    }
  });
}

async function longTaskMs(target: Frame | Page, from: number, to: number): Promise<number> {
  const tasks = await target.evaluate(
    () => (window as unknown as { __longTasks?: [number, number][] }).__longTasks ?? [],
  );
  let ms = 0;
  for (const [start, duration] of tasks) ms += Math.max(0, Math.min(to, start + duration) - Math.max(from, start));
  return ms;
}

/** The hops of the selection whose mousedown (in the workbench) was at `down`, painted at `painted`. */
export async function selectionHops(
  page: Page,
  frame: Frame,
  down: number,
  painted: number,
): Promise<SelectionHops | null> {
  const marks = await frame.evaluate(
    () => (window as unknown as { __lossInspectorHops?: { arrivals: Arrival[] } }).__lossInspectorHops ?? null,
  );
  if (!marks) return null;
  const during = marks.arrivals.filter((a) => a.arrived >= down && a.arrived <= painted);
  const shown = [...during].reverse().find((a) => a.type === 'state' && a.renderEnd !== undefined);
  if (!shown || shown.renderStart === undefined || shown.renderEnd === undefined) return null;
  let earlier = 0;
  for (const a of during) if (a !== shown) earlier += (a.renderEnd ?? a.checked ?? a.arrived) - a.arrived;
  return {
    total: painted - down,
    messages: during.map((a) => (a.type === 'state' && a !== shown ? 'state(early)' : a.type)),
    toFirst: (during[0]?.arrived ?? shown.arrived) - down,
    toShown: shown.arrived - down,
    host: Object.fromEntries(shown.trace?.cause === 'show' ? shown.trace.hops : []),
    earlier,
    render: shown.renderEnd - shown.renderStart,
    paint: painted - shown.renderEnd,
    longTasks: {
      workbench: await longTaskMs(page, down, painted),
      webview: await longTaskMs(frame, down, painted),
    },
  };
}

/** One line per selection, slowest first, for the test's log. */
export function selectionLines(all: SelectionHops[], worst = 6): string[] {
  const r = (v: number) => v.toFixed(1);
  return [...all]
    .sort((a, b) => b.total - a.total)
    .slice(0, worst)
    .map(
      (s) =>
        `total ${r(s.total)} · first msg ${r(s.toFirst)} · shown msg ${r(s.toShown)} [${s.messages.join(', ')}] · ` +
        `host ${Object.entries(s.host)
          .map(([k, v]) => `${k.replace(/^host\./, '')} ${r(v)}`)
          .join(' ')} · earlier ${r(s.earlier)} · render ${r(s.render)} · paint ${r(s.paint)} · ` +
        `long tasks wb ${r(s.longTasks.workbench)} wv ${r(s.longTasks.webview)}`,
    );
}
