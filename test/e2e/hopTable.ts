// Per-hop split of one timed panel change (test/e2e/speed.ui.ts): the webview's marks
// (webview/hops.ts), the host's and the worker's hops carried with the snapshot (src/protocol/hops.ts,
// sent while LOSS_INSPECTOR_PANEL_TRACE=1), and the test's own input and paint stamps. Every hop is a
// duration on one side's clock; the two transits are what a side waited for minus what the other
// side reports having spent, never a difference of two clocks.
import type { Frame } from 'playwright-core';
import { percentile } from './panelHelpers';

type Hop = [string, number];

/** One message's arrival in the webview, as webview/hops.ts marks it. */
export interface ArrivalMark {
  type: string;
  arrived: number;
  checked?: number;
  renderStart?: number;
  renderEnd?: number;
  trace?: { cause: string; hops: Hop[] };
}

interface WebviewHops {
  posts: { type: string; at: number }[];
  arrivals: ArrivalMark[];
}

/** The hops in the order a change goes through them; each change's hops add up to `total`. */
export const hopOrder = [
  'webview.input',
  // A change shown from a snapshot the webview kept: the post → its render (then render and paint).
  'webview.local',
  'transit.webviewHost',
  'host.route',
  'host.build',
  'host.workerQueue',
  'transit.hostWorker',
  'worker.check',
  'worker.kernel',
  'worker.answer',
  'worker.other',
  'host.snapshot',
  'host.post',
  'webview.otherMessages',
  'webview.check',
  'webview.take',
  'webview.render',
  'webview.paint',
  'total',
  // Not part of the sum: how long the worker's turn of work ahead that had just ended when the request
  // was handled ran (src/worker/workAhead.ts): the most the request waited behind it.
  'worker.ahead',
] as const;

/**
 * The hops of the change whose input was stamped at `down`, painted at `painted`, the panel
 * showing it from the render that ended by `held` (the paint probe's condition). Null when the
 * webview has no marks of it (an older build).
 */
export async function changeHops(
  frame: Frame,
  down: number,
  held: number,
  painted: number,
): Promise<Map<string, number> | null> {
  const marks = await frame.evaluate(
    () => (window as unknown as { __lossInspectorHops?: WebviewHops }).__lossInspectorHops ?? null,
  );
  if (!marks) return null;
  // Shown from a snapshot the webview kept, as the change was posted (webview/aheads.ts).
  const local = [...marks.arrivals]
    .reverse()
    .find((a) => a.type === 'local' && a.renderEnd !== undefined && a.renderEnd <= held && a.arrived >= down);
  if (local?.renderStart !== undefined && local.renderEnd !== undefined) {
    const post = marks.posts.find((p) => p.at >= down && p.at <= local.arrived);
    if (post) {
      return new Map([
        ['webview.input', post.at - down],
        ['webview.local', local.renderStart - post.at],
        ['webview.render', local.renderEnd - local.renderStart],
        ['webview.paint', painted - local.renderEnd],
        ['total', painted - down],
      ]);
    }
  }
  const state = [...marks.arrivals]
    .reverse()
    .find((a) => a.type === 'state' && a.renderEnd !== undefined && a.renderEnd <= held && a.arrived >= down);
  if (!state || state.checked === undefined || state.renderStart === undefined || state.renderEnd === undefined)
    return null;
  const cause = state.trace?.cause;
  const post = marks.posts.find((p) => p.at >= down && p.at <= state.arrived && (!cause || p.type === cause));
  if (!post) return null;
  const hops = new Map<string, number>();
  const host = new Map(state.trace?.hops ?? []);
  hops.set('webview.input', post.at - down);
  // Messages handled between the post and this snapshot (a heat map, a "computing" snapshot).
  let earlier = 0;
  for (const a of marks.arrivals) {
    if (a === state || a.arrived < post.at || a.arrived > state.arrived) continue;
    earlier += (a.renderEnd ?? a.checked ?? a.arrived) - a.arrived;
  }
  hops.set('webview.otherMessages', earlier);
  const hostTotal = host.get('host.total');
  if (hostTotal !== undefined) {
    hops.set('transit.webviewHost', state.arrived - post.at - earlier - hostTotal);
    for (const [name, ms] of host) if (name !== 'host.total' && name !== 'host.workerRoundTrip') hops.set(name, ms);
    const roundTrip = host.get('host.workerRoundTrip');
    const worker = host.get('worker.total');
    if (roundTrip !== undefined && worker !== undefined) {
      hops.set('transit.hostWorker', roundTrip - worker);
      const parts = ['worker.check', 'worker.kernel', 'worker.answer'].reduce((s, n) => s + (host.get(n) ?? 0), 0);
      hops.set('worker.other', worker - parts);
      hops.delete('worker.total');
    }
  } else {
    // No trace from the host: the host and both transits in one.
    hops.set('transit.webviewHost', state.arrived - post.at - earlier);
  }
  hops.set('webview.check', state.checked - state.arrived);
  hops.set('webview.take', state.renderStart - state.checked);
  hops.set('webview.render', state.renderEnd - state.renderStart);
  hops.set('webview.paint', painted - state.renderEnd);
  hops.set('total', painted - down);
  return hops;
}

export interface HopFigures {
  /** How many of the changes went through this hop. */
  n: number;
  p50: number;
  p95: number;
}

/** p50 and p95 of each hop over `changes` (a change that skipped a hop counts as 0 ms in it). */
export function hopFigures(changes: readonly Map<string, number>[]): Record<string, HopFigures> {
  const round = (v: number) => Math.round(v * 10) / 10;
  const out: Record<string, HopFigures> = {};
  const names = [...hopOrder, ...new Set(changes.flatMap((c) => [...c.keys()]))].filter(
    (n, i, all) => all.indexOf(n) === i && changes.some((c) => c.has(n)),
  );
  for (const name of names) {
    const values = changes.map((c) => c.get(name) ?? 0);
    out[name] = {
      n: changes.filter((c) => c.has(name)).length,
      p50: round(percentile(values, 0.5)),
      p95: round(percentile(values, 0.95)),
    };
  }
  return out;
}

/** The per-hop figures of several kinds of change as one text table (p50 / p95 ms, and n where a hop was skipped). */
export function hopTable(kinds: Record<string, Record<string, HopFigures>>): string {
  const columns = Object.keys(kinds);
  const names = [...hopOrder, ...columns.flatMap((k) => Object.keys(kinds[k]))].filter(
    (n, i, all) => all.indexOf(n) === i && columns.some((k) => kinds[k][n]),
  );
  const cell = (f: HopFigures | undefined, count: number) =>
    f ? `${f.p50.toFixed(1)} / ${f.p95.toFixed(1)}${f.n < count ? ` (${f.n})` : ''}` : '—';
  const width = 24;
  const lines = [
    `${'hop (p50 / p95 ms)'.padEnd(24)}${columns.map((c) => c.padStart(width)).join('')}`,
    ...names.map(
      (n) =>
        `${n.padEnd(24)}${columns
          .map((c) => cell(kinds[c][n], Math.max(...Object.values(kinds[c]).map((f) => f.n))).padStart(width))
          .join('')}`,
    ),
  ];
  return lines.join('\n');
}
