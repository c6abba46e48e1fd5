/**
 * The snapshots the webview can show as the user makes a change, before the host's answer: those
 * the host made ahead (src/panel/panelAhead.ts: the next sample, the other dtype, the other reductions) and those the
 * host sent after a change made here before (a reduction, dtype or label smoothing switched back).
 * Each applies from one sample on show in one context of the host's (everything on show but the
 * sample); the newest {@link keptAheads} are kept. The host's own snapshot follows and confirms.
 */
import { keptAheads, type AheadChange, type PanelState, type WebviewToHost } from '../src/protocol/webview';

export interface KeptAhead {
  state: PanelState;
  context: number;
}

export class KeptAheads {
  private readonly kept = new Map<string, KeptAhead>();

  /** Keeps `state` (showing `context`) for posting `on` while showing sample `at` in context `from`. */
  keep(from: number, at: number, on: AheadChange, state: PanelState, context: number): void {
    const key = keyOf(from, at, on);
    this.kept.delete(key);
    this.kept.set(key, { state, context });
    while (this.kept.size > keptAheads) this.kept.delete(this.kept.keys().next().value!);
  }

  /** The snapshot kept for posting `message` while showing sample `at` in context `from`. */
  find(from: number, at: number, message: WebviewToHost): KeptAhead | undefined {
    return isChange(message) ? this.kept.get(keyOf(from, at, message)) : undefined;
  }
}

/** Whether `message` is a change a snapshot can be kept for. */
export function isChange(message: WebviewToHost): message is AheadChange {
  return message.type === 'selectSample' || message.type === 'setControls';
}

/**
 * The same change posted by the webview and named by the host give the same key (fields in the
 * same order). Which sample is on show does not change what another sample's snapshot shows.
 */
function keyOf(from: number, at: number, on: AheadChange): string {
  return `${from}|${on.type === 'selectSample' ? '' : at}|${JSON.stringify(on)}`;
}
