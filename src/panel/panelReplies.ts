/**
 * The worker replies the panel keeps (a reply is a pure function of the document version, pair,
 * sample and options): going back to a pair already shown repaints at once instead of asking the
 * worker to recompute every sample of a (64, 50 257) batch (about 0.5 s) again. With them, the
 * coarsened heat maps by the worker's {@link PanelData.heatMapId}: one object per id, so that the
 * connection sends each to the webview once, and the worker leaves out of its replies the one held.
 */
import type { HeatMap } from '../protocol/webview';
import type { PanelData } from '../protocol/worker';
import { coarsenHeatMap } from './panelState';

/** Replies kept: a (64, 50 257) one holds about 4 MB (the sample's full rows, as Float64Arrays). */
const maxCachedReplies = 4;

export class PanelReplies {
  private readonly replies = new Map<string, { owner: object; data: PanelData }>();
  private readonly heatMaps = new Map<number, HeatMap>();

  /** The reply kept under `key` for `owner` (the analysis or live pair it came from), made the newest. */
  get(key: string, owner: object): PanelData | undefined {
    const cached = this.replies.get(key);
    if (cached?.owner !== owner) return undefined;
    // Most recently used last: Map keeps insertion order.
    this.replies.delete(key);
    this.replies.set(key, cached);
    return cached.data;
  }

  /** The id of the heat map held last, for the worker to leave out when it is the same. */
  heldHeatMap(): number | undefined {
    return [...this.heatMaps.keys()].pop();
  }

  /** Whether `reply` names a heat map that was dropped meanwhile: ask again without an id. */
  lacksHeatMap(reply: PanelData): boolean {
    return !!reply.heatMapKept && !this.heatMaps.has(reply.heatMapId);
  }

  /** `reply` as the panel keeps it (its heat map coarsened, or the one held under its id), oldest evicted. */
  keep(key: string, owner: object, reply: PanelData): PanelData {
    let heatMap = reply.heatMapId === 0 ? null : (this.heatMaps.get(reply.heatMapId) ?? null);
    if (!heatMap && reply.heatMap) heatMap = coarsenHeatMap(reply.heatMap);
    if (heatMap) {
      this.heatMaps.delete(reply.heatMapId);
      this.heatMaps.set(reply.heatMapId, heatMap);
      evict(this.heatMaps);
    }
    const data = { ...reply, heatMap };
    this.replies.set(key, { owner, data });
    evict(this.replies);
    return data;
  }
}

function evict(map: Map<unknown, unknown>): void {
  while (map.size > maxCachedReplies) map.delete(map.keys().next().value);
}
