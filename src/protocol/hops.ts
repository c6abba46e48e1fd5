/**
 * Where the time of one panel change goes, hop by hop: each side measures its own hops with its
 * own monotonic clock (`performance.now()`) and passes the durations on, never a timestamp, so no
 * two clocks are ever compared. The worker puts its hops on its result envelope
 * ({@link ResultReply}'s `hops`), the host adds its own and, while tracing
 * (`LOSS_INSPECTOR_PANEL_TRACE=1` in the extension host's environment), sends them with the
 * snapshot they led to ({@link PanelStateNotification}'s `trace`); the webview adds the rest. The
 * UI speed test (test/e2e/speed.ui.ts) prints them per hop.
 */
import { isRecord, type Problem } from './schemaChecks';

/** One hop: its name (`worker.kernel`, `host.snapshot`, …) and how long it took, in milliseconds. */
export type Hop = [name: string, ms: number];

/** What led the host to a snapshot and where the host's and the worker's time went on the way. */
export interface HopTrace {
  /** The type of the webview message the host was handling (`selectSample`, `setControls`, …). */
  cause: string;
  hops: Hop[];
}

/** At most this many hops travel with one message. */
export const maxHops = 24;

const maxHopName = 40;
/** A day: a longer hop is not a measurement. */
const maxHopMs = 86_400_000;

/** Why `x` is not a list of {@link Hop}s, or null. */
export function hopsProblem(x: unknown, p: string): Problem {
  if (!Array.isArray(x)) return `${p} is not an array`;
  if (x.length > maxHops) return `${p} has ${x.length} entries, more than ${maxHops}`;
  for (let i = 0; i < x.length; i++) {
    const hop: unknown = x[i];
    if (!Array.isArray(hop) || hop.length !== 2) return `${p}[${i}] is not a [name, ms] pair`;
    const [name, ms] = hop as unknown[];
    if (typeof name !== 'string' || name.length === 0 || name.length > maxHopName || !/^[a-zA-Z.]+$/.test(name))
      return `${p}[${i}] has no hop name of letters and dots`;
    if (typeof ms !== 'number' || !(ms >= 0 && ms <= maxHopMs)) return `${p}[${i}] is not a duration in ms`;
  }
  return null;
}

/** Why `x` is not a {@link HopTrace}, or null. */
export function hopTraceProblem(x: unknown, p: string): Problem {
  if (!isRecord(x)) return `${p} is not an object`;
  for (const key of Object.keys(x))
    if (key !== 'cause' && key !== 'hops') return `${p} has an unknown field ${JSON.stringify(key.slice(0, 40))}`;
  if (typeof x.cause !== 'string' || !/^[a-zA-Z]{1,40}$/.test(x.cause)) return `${p}.cause is not a message type`;
  return hopsProblem(x.hops, `${p}.hops`);
}
