/**
 * The heat maps the webview keeps: the host sends each once (a HeatMapNotification) and later
 * snapshots name it by id, so that a sample or reduction change does not carry 180 kB of a map
 * that did not change. The newest {@link keptHeatMaps} are kept, as the host counts them.
 */
import {
  heatMapRowsFit,
  keptHeatMaps,
  type HeatMap,
  type HostToWebview,
  type PanelState,
} from '../src/protocol/webview';

export class KeptHeatMaps {
  private readonly maps = new Map<number, HeatMap>();

  /**
   * Takes one (guarded) message: the snapshot to show, with its heat map, or null when there is
   * none to show (a heat map kept for later, or a snapshot naming one this page does not have).
   */
  take(message: Exclude<HostToWebview, { type: 'ahead' }>): PanelState | null {
    if (message.type === 'heatMap') {
      this.keep(message.id, message.heatMap);
      return null;
    }
    if (message.type === 'heatMapRows') {
      // The kept map `base` with new rows; a base not kept, or rows that do not fit it, keep nothing
      // (a snapshot naming the id is then ignored, as one naming an unknown map).
      const base = this.maps.get(message.base);
      if (!base || !heatMapRowsFit(base, message)) {
        console.warn(
          `Loss Inspector: ignored new rows of heat map ${message.base}, which is not kept or has other rows`,
        );
        return null;
      }
      const { rowLoss, rowIgnored, rowPick } = message;
      this.keep(message.id, { ...base, rowLoss, rowIgnored, rowPick });
      return null;
    }
    return this.resolve(message);
  }

  /** A snapshot (of a state or ahead message) with the heat map it names, or null when that is not kept. */
  resolve(message: { state: PanelState; heatMapId?: number }): PanelState | null {
    if (message.heatMapId === undefined) return message.state;
    const heatMap = this.maps.get(message.heatMapId);
    if (!heatMap) {
      console.warn(`Loss Inspector: ignored a snapshot naming heat map ${message.heatMapId}, which is not kept`);
      return null;
    }
    return { ...message.state, heatMap };
  }

  private keep(id: number, map: HeatMap): void {
    this.maps.delete(id);
    this.maps.set(id, map);
    while (this.maps.size > keptHeatMaps) this.maps.delete(this.maps.keys().next().value!);
  }
}
