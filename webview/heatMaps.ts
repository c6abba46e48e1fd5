/**
 * The heat maps the webview keeps: the host sends each once (a HeatMapNotification) and later
 * snapshots name it by id, so that a sample or reduction change does not carry 180 kB of a map
 * that did not change. The newest {@link keptHeatMaps} are kept, as the host counts them.
 */
import { keptHeatMaps, type HeatMap, type HostToWebview, type PanelState } from '../src/protocol/webview';

export class KeptHeatMaps {
  private readonly maps = new Map<number, HeatMap>();

  /**
   * Takes one (guarded) message: the snapshot to show, with its heat map, or null when there is
   * none to show (a heat map kept for later, or a snapshot naming one this page does not have).
   */
  take(message: HostToWebview): PanelState | null {
    if (message.type === 'heatMap') {
      this.maps.delete(message.id);
      this.maps.set(message.id, message.heatMap);
      while (this.maps.size > keptHeatMaps) this.maps.delete(this.maps.keys().next().value!);
      return null;
    }
    if (message.heatMapId === undefined) return message.state;
    const heatMap = this.maps.get(message.heatMapId);
    if (!heatMap) {
      console.warn(`Loss Inspector: ignored a snapshot naming heat map ${message.heatMapId}, which is not kept`);
      return null;
    }
    return { ...message.state, heatMap };
  }
}
