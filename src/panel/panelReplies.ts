/**
 * The worker replies the panel keeps (a reply is a pure function of the document version, pair,
 * sample and options): going back to a pair already shown repaints at once instead of asking the
 * worker to recompute every sample of a (64, 50 257) batch (about 0.5 s) again. With them, the
 * coarsened heat maps by the worker's {@link PanelData.heatMapId}: one object per id, so that the
 * connection sends each to the webview once, and the worker leaves out of its replies the one held.
 */
import type { HeatMap, HeatMapRows } from '../protocol/webview';
import type { PanelData } from '../protocol/worker';
import { heatMapRowsFit } from '../protocol/webview';
import { coarsenHeatMap } from './panelState';

/**
 * Replies kept, and heat maps. A reply with the shown columns is a few kB (about 8 kB for a
 * (64, 50 257) pair; one without them holds the sample's full rows, about 4 MB there). Eight: the
 * snapshots made ahead (./panelAhead.ts) keep theirs here too, and must not push out the ones a
 * change back to the previous sample or option is answered from.
 */
const maxCachedReplies = 8;

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
    // Its heat map too: it is on show again, and the worker makes the next options' map (another
    // ε) from the one on show, sending only its rows when the host says it holds it.
    const id = cached.data.heatMapId;
    const map = this.heatMaps.get(id);
    if (map) {
      this.heatMaps.delete(id);
      this.heatMaps.set(id, map);
    }
    return cached.data;
  }

  /** Whether a reply is kept under `key` for `owner`; unlike {@link get}, it changes nothing. */
  has(key: string, owner: object): boolean {
    return this.replies.get(key)?.owner === owner;
  }

  /** The id of the heat map held last (the one shown last), for the worker to leave out when it is the same. */
  heldHeatMap(): number | undefined {
    return [...this.heatMaps.keys()].pop();
  }

  /**
   * The ids of the heat maps held besides {@link heldHeatMap}, newest first: a snapshot made ahead
   * names them (PanelDataParams.alsoHeld), so that the other dtype's map, made of the one of that
   * dtype held before with new rows, crosses as its rows.
   */
  alsoHeld(): number[] {
    return [...this.heatMaps.keys()].slice(0, -1).reverse();
  }

  /** Whether `reply` names a heat map (or the base of its rows) dropped meanwhile: ask again without an id. */
  lacksHeatMap(reply: PanelData): boolean {
    if (reply.heatMapRows) {
      const base = this.heatMaps.get(reply.heatMapRows.base);
      return !base || !heatMapRowsFit(base, reply.heatMapRows);
    }
    return !!reply.heatMapKept && !this.heatMaps.has(reply.heatMapId);
  }

  /** `reply` as the panel keeps it (its heat map coarsened, or the one held under its id), oldest evicted. */
  keep(key: string, owner: object, reply: PanelData): PanelData {
    let heatMap = reply.heatMapId === 0 ? null : (this.heatMaps.get(reply.heatMapId) ?? null);
    if (!heatMap && reply.heatMap) heatMap = coarsenHeatMap(reply.heatMap);
    const rows = reply.heatMapRows;
    const base = rows ? this.heatMaps.get(rows.base) : undefined;
    if (!heatMap && rows && base && heatMapRowsFit(base, rows)) heatMap = withRows(base, rows);
    if (heatMap) {
      this.heatMaps.delete(reply.heatMapId);
      this.heatMaps.set(reply.heatMapId, heatMap);
      evict(this.heatMaps);
    }
    const { heatMapRows: _rows, ...rest } = reply;
    const data = { ...rest, heatMap };
    this.replies.set(key, { owner, data });
    evict(this.replies);
    return data;
  }
}

/** Heat maps made of another with new rows (label smoothing, weight, ignore_index): map → that other. */
const rowsOf = new WeakMap<HeatMap, HeatMap>();

/** The heat map `map` took its cells from, with other rows ({@link PanelData.heatMapRows}), if any. */
export function heatMapRowsBase(map: HeatMap): HeatMap | undefined {
  return rowsOf.get(map);
}

/** `base` with the rows of `rows`, remembered as made of it (the connection then sends the rows only). */
function withRows(base: HeatMap, rows: HeatMapRows): HeatMap {
  const map = { ...base, rowLoss: rows.rowLoss, rowIgnored: rows.rowIgnored, rowPick: rows.rowPick };
  rowsOf.set(map, base);
  return map;
}

function evict(map: Map<unknown, unknown>): void {
  while (map.size > maxCachedReplies) map.delete(map.keys().next().value);
}
