/**
 * Tooltips reachable by mouse and keyboard. Each number carries its text in a hidden element
 * that `aria-describedby` points to (screen readers read it as the description); one floating
 * layer shows that text next to the number on hover and on focus, and Escape hides it.
 * The floating layer lives outside the scrolling tables, so nothing clips it.
 */
import { h } from './dom';

/** Ids of tooltip texts, never given twice in a page: a part kept from an earlier render keeps its ids. */
let tipCount = 0;

/** Gives ids to tooltip texts (one per render; the ids are unique across renders). */
export class TipIds {
  id(): string {
    return `tip-${tipCount++}`;
  }
}

/**
 * Makes `target` describe itself with `text`: a hidden child holds the text and
 * `aria-describedby` points to it. Returns `target`.
 */
export function withTip<T extends Element>(target: T, text: string, ids: TipIds): T {
  const id = ids.id();
  const holder = h('span', { id, class: 'tip-text', hidden: true }, text);
  target.appendChild(holder);
  target.setAttribute('aria-describedby', id);
  target.classList.add('has-tip');
  return target;
}

/** The text of `el`'s tooltip, if it has one. */
export function tipTextOf(el: Element): string | null {
  const id = el.getAttribute('aria-describedby');
  if (!id) return null;
  return el.ownerDocument.getElementById(id)?.textContent ?? null;
}

/** Wires the floating layer to `root`: shows on mouseover/focusin, hides on mouseout/focusout/Escape. */
export function installTooltips(root: HTMLElement): HTMLElement {
  const layer = h('div', { id: 'tooltip', class: 'tooltip', role: 'presentation', hidden: true });
  document.body.appendChild(layer);
  let current: Element | null = null;
  const show = (el: Element) => {
    const text = tipTextOf(el);
    if (!text) return;
    current = el;
    layer.textContent = text;
    layer.hidden = false;
    const r = el.getBoundingClientRect();
    const w = layer.offsetWidth;
    const ht = layer.offsetHeight;
    const vw = document.documentElement.clientWidth;
    const left = Math.max(4, Math.min(r.left, vw - w - 4));
    const below = r.bottom + 6;
    const top = below + ht > window.innerHeight && r.top - ht - 6 > 0 ? r.top - ht - 6 : below;
    layer.style.left = `${left + window.scrollX}px`;
    layer.style.top = `${top + window.scrollY}px`;
  };
  const hide = () => {
    current = null;
    layer.hidden = true;
  };
  const tipOwner = (e: Event) => (e.target instanceof Element ? e.target.closest('.has-tip') : null);
  root.addEventListener('mouseover', (e) => {
    const el = tipOwner(e);
    if (el && el !== current) show(el);
  });
  root.addEventListener('mouseout', (e) => {
    const el = tipOwner(e);
    const to = (e as MouseEvent).relatedTarget;
    if (el && !(to instanceof Node && el.contains(to)) && document.activeElement !== el) hide();
  });
  root.addEventListener('focusin', (e) => {
    const el = tipOwner(e);
    if (el) show(el);
    else hide();
  });
  root.addEventListener('focusout', () => hide());
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !layer.hidden) hide();
  });
  return layer;
}

/** Hides the floating layer (after a re-render removed its owner). */
export function hideTooltip(): void {
  const layer = document.getElementById('tooltip');
  if (layer) layer.hidden = true;
}
