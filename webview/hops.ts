/**
 * The webview's own marks of the panel's changes (see src/protocol/hops.ts): when each message
 * was posted to the host, and, for each message from the host, when it arrived, when it had been
 * decoded and checked, and when its render started and ended, with the host's trace when it
 * carries one. The newest few are kept on `window.__lossInspectorHops`, where the UI speed test
 * reads them beside its own input and paint stamps (the same clock: this frame's
 * `performance.timeOrigin + performance.now()`). Nothing is sent anywhere. Each post and arrival is
 * also a performance mark (`li-post-<type>`, `li-arrive`), cleared at once so that the page keeps
 * none: a Chromium trace still records it, which scripts/panel-trace-summary.mjs splits by.
 */
import type { HopTrace } from '../src/protocol/webview';

export interface PostMark {
  type: string;
  at: number;
}

export interface ArrivalMark {
  type: string;
  arrived: number;
  checked?: number;
  renderStart?: number;
  renderEnd?: number;
  trace?: HopTrace;
}

export interface WebviewHops {
  posts: PostMark[];
  arrivals: ArrivalMark[];
}

/** How many posts and arrivals are kept. */
const kept = 32;

const hops: WebviewHops = { posts: [], arrivals: [] };
if (typeof window !== 'undefined')
  (window as unknown as { __lossInspectorHops?: WebviewHops }).__lossInspectorHops = hops;

/** Now, on the clock the UI tests stamp input and paint with. */
export function stamp(): number {
  return performance.timeOrigin + performance.now();
}

/** A mark a trace records; the performance timeline does not keep it. */
function traceMark(name: string): void {
  if (typeof performance.mark !== 'function') return;
  performance.mark(name);
  performance.clearMarks(name);
}

function push<T>(list: T[], item: T): T {
  list.push(item);
  if (list.length > kept) list.splice(0, list.length - kept);
  return item;
}

/** A message of `type` is posted to the host now. */
export function markPost(type: string): void {
  push(hops.posts, { type, at: stamp() });
  traceMark(`li-post-${type}`);
}

/** A message arrived from the host now: its mark, for the later steps to fill in. */
export function markArrival(): ArrivalMark {
  traceMark('li-arrive');
  return push(hops.arrivals, { type: '', arrived: stamp() });
}

/**
 * A change shown from a snapshot the webview kept (webview/aheads.ts) as it was posted: marked as
 * an arrival of type `local`, for its render stamps; the host's snapshot arrives later.
 */
export function markLocal(): ArrivalMark {
  traceMark('li-local');
  const at = stamp();
  return push(hops.arrivals, { type: 'local', arrived: at, checked: at });
}

/** The newest arrival's mark (the message being handled). */
export function lastArrival(): ArrivalMark | undefined {
  return hops.arrivals[hops.arrivals.length - 1];
}
