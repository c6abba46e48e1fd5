/**
 * The host's hops of a panel change (see src/protocol/hops.ts), only while tracing
 * (`LOSS_INSPECTOR_PANEL_TRACE=1` in the extension host's environment; the UI tests set it). The
 * connection starts a trace as it routes a webview message; the model's refresh that message
 * starts takes it, adds the worker's hops and ties it to the snapshot it publishes; the connection
 * sends it with that snapshot. Durations only, on the host's `performance.now()`:
 *
 * - `host.route`: the message's arrival → the worker request (or `host.build` → the snapshot, when
 *   the host's kept replies answer it);
 * - `host.workerQueue`, `host.workerRoundTrip` and the worker's own `worker.*` hops;
 * - `host.snapshot`: the worker's reply → the snapshot published;
 * - `host.post`: the snapshot published → handed to `postMessage`; `host.total`: arrival → that.
 */
import type { Hop, HopTrace, PanelState } from '../protocol/webview';

let tracing = typeof process !== 'undefined' && process.env.LOSS_INSPECTOR_PANEL_TRACE === '1';

/** Turns tracing on or off (tests; the extension reads the environment). */
export function setPanelTracing(on: boolean): void {
  tracing = on;
}

/** One change on its way through the host. */
export class HostTrace {
  private readonly received = performance.now();
  private last = this.received;
  private worker = false;
  readonly hops: Hop[] = [];

  constructor(readonly cause: string) {}

  /**
   * The worker client's hops of the request this change made ({@link RequestOptions.onHops}):
   * what came before them on the host is `host.route`.
   */
  readonly took = (hops: Hop[]): void => {
    const now = performance.now();
    let client = 0;
    for (const [name, ms] of hops) if (name === 'host.workerQueue' || name === 'host.workerRoundTrip') client += ms;
    this.hops.push(['host.route', Math.max(0, now - this.last - client)], ...hops);
    this.last = now;
    this.worker = true;
  };

  /** `state` is what this change led to: the connection sends the trace with it. */
  published(state: PanelState): void {
    const now = performance.now();
    this.hops.push([this.worker ? 'host.snapshot' : 'host.build', now - this.last]);
    this.last = now;
    ofState.set(state, this);
  }

  /** The trace as it is sent, its last hops measured now (the snapshot is being posted). */
  finish(): HopTrace {
    const now = performance.now();
    return {
      cause: this.cause,
      hops: [...this.hops, ['host.post', now - this.last], ['host.total', now - this.received]],
    };
  }
}

/** The trace of the message being routed, until a refresh takes it. */
let pending: HostTrace | undefined;
const ofState = new WeakMap<PanelState, HostTrace>();

/** The connection routes a message of type `cause` (between this and {@link endRoute}). */
export function startRoute(cause: string): void {
  pending = tracing ? new HostTrace(cause) : undefined;
}

/** The message is routed: a later refresh has another cause. */
export function endRoute(): void {
  pending = undefined;
}

/** The trace of the message being routed, for the refresh it started (once). */
export function takeTrace(): HostTrace | undefined {
  const trace = pending;
  pending = undefined;
  return trace;
}

/** The finished trace of the change that published `state`, once; undefined when untraced. */
export function traceOf(state: PanelState): HopTrace | undefined {
  const trace = ofState.get(state);
  if (!trace) return undefined;
  ofState.delete(state);
  return trace.finish();
}
