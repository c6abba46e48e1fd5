/**
 * The contexts of the panel's snapshots (see ./panelAhead.ts): everything a snapshot shows but the
 * sample, numbered, so that the webview knows which snapshots made ahead apply to the one on show.
 * Free of `vscode`, for the connection (and its tests) to read.
 */
import type { AheadChange, PanelState } from '../protocol/webview';

/** A snapshot made ahead: shown when the webview posts `on` while it shows sample `at` in context `from`. */
export interface AheadNote {
  from: number;
  at: number;
  on: AheadChange;
  state: PanelState;
}

/** Distinct context keys remembered (their ids); an older key seen again gets a new id. */
const maxContexts = 64;

export class PanelContexts {
  private readonly ids = new Map<string, number>();
  private count = 0;
  private readonly ofState = new WeakMap<PanelState, number>();

  /** The id of context `key`. */
  id(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = ++this.count;
      this.ids.set(key, id);
      while (this.ids.size > maxContexts) this.ids.delete(this.ids.keys().next().value!);
    }
    return id;
  }

  /** `state` shows context `key`: the connection sends its id with it. */
  mark(state: PanelState, key: string): number {
    const id = this.id(key);
    this.ofState.set(state, id);
    return id;
  }

  /** The context `state` was marked with, if any. */
  of(state: PanelState): number | undefined {
    return this.ofState.get(state);
  }
}

/** One process-wide registry: the model marks its snapshots, the connection reads the marks. */
export const panelContexts = new PanelContexts();

/** The context key of a document pair's snapshot (see the file comment). */
export function contextKey(parts: {
  uri: string;
  version: number;
  analysis: object;
  pairId: number;
  options: unknown;
  view: unknown;
  locale: string;
  decimals: number;
}): string {
  return `${parts.uri}|${parts.version}|${analysisId(parts.analysis)}|${parts.pairId}|${JSON.stringify(parts.options)}|${JSON.stringify(parts.view)}|${parts.locale}|${parts.decimals}`;
}

const analysisIds = new WeakMap<object, number>();
let analysisCount = 0;

/** Settings such as maxElements re-analyse the same version: another analysis object is another context. */
function analysisId(analysis: object): number {
  let id = analysisIds.get(analysis);
  if (id === undefined) {
    id = ++analysisCount;
    analysisIds.set(analysis, id);
  }
  return id;
}
