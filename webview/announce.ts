/**
 * A polite live region that says which pair the panel now shows and its loss, once per pair (not
 * per sample or option change, which the user makes inside the panel). A CodeLens or hover link
 * clicked while the panel is on screen leaves the focus in the editor (src/lossInspector.ts), so a
 * screen reader hears the result from here rather than from the panel taking the focus.
 */
import type { PanelState } from '../src/protocol/webview';
import { h } from './dom';
import { num } from './format';

export class PairAnnouncer {
  private readonly region: HTMLElement;
  /** The pair last announced (document and id), so that each is said once. */
  private said = '';

  constructor(doc: Document) {
    this.region = h('div', { id: 'pair-announcement', class: 'sr-only', role: 'status', 'aria-live': 'polite' });
    doc.body.appendChild(this.region);
  }

  /** Called after each render of `state` into `root`; speaks when a new pair's result is on show. */
  update(state: PanelState, root: HTMLElement): void {
    if (state.selectedPairId === null || state.status === 'computing' || !state.pair) return;
    const key = `${state.documentLabel}\u0000${state.selectedPairId}`;
    if (key === this.said) return;
    const item = state.pairs.find((p) => p.id === state.selectedPairId);
    // The headline as shown (textContent reads no layout); a pair without one (another library's
    // call) by its picker entry's loss.
    const headline = root.querySelector('.headline')?.textContent?.trim();
    const result = headline || (item?.loss !== null && item ? num(item.loss, state.decimals) : '');
    if (!result) return;
    this.said = key;
    this.region.textContent = `${state.documentLabel} · ${item?.label ?? ''}: ${result}`;
  }
}
