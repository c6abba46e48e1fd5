/**
 * The panel's request about a document version whose analysis is on its way, asked as soon as
 * the analysis is (./panelModel.ts), instead of once its result came back to the host.
 *
 * After an edit the panel used to wait for the analysis, then ask the worker for the pair on
 * show, a second round trip through a worker that had been idle meanwhile (2-4 ms here, 10+ ms
 * under load), and its numbers were painted after the inline values and diagnostics of the same
 * analysis. The worker answers one request at a time in the order they were asked, so a request
 * sent right behind the analysis is computed as soon as the analysis is, while the host takes the
 * analysis in. It is asked with what the panel would ask after the analysis if the pair kept its
 * id and options; the refresh that follows the analysis uses its reply only when its own request
 * is the same, field for field, and asks as before otherwise (an edit that changed the pair's
 * options, another pair under the cursor, a sample picked meanwhile).
 */
import type { Outcome, PanelData, PanelDataParams, WorkerRequester } from '../protocol/worker';

/**
 * Pairs up to this many logits are asked for early. A guess that turns out wrong (the text does
 * not parse mid-typing, the edit changed the pair) costs the worker its computation: about a
 * millisecond at this size, where the round trip saved is worth it; a (64, 50 257) pair takes
 * tens of milliseconds, beside which the round trip is small.
 */
export const earlyMaxElements = 1 << 16;

export class EarlyPanelData {
  private asked: { params: PanelDataParams; reply: Promise<Outcome<PanelData>>; stop: AbortController } | undefined;

  constructor(private readonly worker: WorkerRequester) {}

  /**
   * Asks now for `params`, about a version whose analysis the worker was just asked for, unless
   * the pair (of `inputShape` in the last analysis) is too large to guess for.
   */
  ask(params: PanelDataParams, inputShape: readonly number[], supersedeKey: string): void {
    this.drop();
    if (inputShape.reduce((a, b) => a * b, 1) > earlyMaxElements) return;
    const stop = new AbortController();
    const reply = this.worker.request('panelData', params, { supersedeKey, signal: stop.signal });
    this.asked = { params, reply, stop };
  }

  /**
   * The reply to `params`: the one asked early when it asked the same (once), else `ask()`'s. An
   * early request lost on the way (the analysis was sent again in full, say) is asked again
   * while `current()`; one that asked otherwise is withdrawn (`ask()` would supersede it anyway).
   */
  async reply(
    params: PanelDataParams,
    ask: () => Promise<Outcome<PanelData>>,
    current: () => boolean,
  ): Promise<Outcome<PanelData>> {
    const asked = this.asked;
    this.asked = undefined;
    if (!asked || !sameParams(asked.params, params)) {
      asked?.stop.abort();
      return ask();
    }
    const r = await asked.reply;
    return r.ok || !current() ? r : ask();
  }

  /** Withdraws the early request, if any. */
  drop(): void {
    this.asked?.stop.abort();
    this.asked = undefined;
  }
}

/** `params` naming the heat map the host holds, if any (the worker then leaves it out of its reply). */
export function naming(params: PanelDataParams, heatMapId: number | undefined): PanelDataParams {
  return heatMapId === undefined ? params : { ...params, heatMapId };
}

/** Whether two requests ask the same: every field equal, whatever order the fields were written in. */
export function sameParams(a: PanelDataParams, b: PanelDataParams): boolean {
  return canonical(a) === canonical(b);
}

function canonical(x: unknown): string {
  return JSON.stringify(x, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0)))
      : value,
  );
}
