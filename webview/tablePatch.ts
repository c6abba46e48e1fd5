/**
 * Writes a freshly built table (or another part: {@link patchTree}) into a kept one of the same
 * shape, node by node: text that differs is set, attributes that differ are set or removed, and
 * where the two differ in tag or in their number of children the fresh subtree takes the kept
 * one's place. The kept nodes stay, so the browser lays out the changed text again instead of
 * styling and laying out a whole new table.
 *
 * What other code owns on the kept nodes stays as it is: the tooltip holders' ids and the cells'
 * `aria-describedby` (ids stay unique across renders), the roving `tabindex` and `data-grid` /
 * `data-column` (./grids), `hidden` (the step table's fit hides columns), and on the table itself
 * everything but its `aria-*` labels (the fit's `stacked-tags` class, `data-omitted`).
 */

/** Whether `name` on `el` (the kept node) belongs to other code than the builder. */
function owned(el: Element, name: string, isRoot: boolean): boolean {
  if (isRoot) return !name.startsWith('aria-');
  switch (name) {
    case 'aria-describedby':
    case 'tabindex':
    case 'hidden':
    case 'data-grid':
    case 'data-column':
      return true;
    case 'id':
      return el.classList.contains('tip-text');
    default:
      return false;
  }
}

function patchAttributes(kept: Element, fresh: Element, isRoot: boolean): void {
  // By name: reading `attributes` makes the browser create an Attr object per attribute.
  const names = fresh.getAttributeNames();
  for (const name of names) {
    if (owned(kept, name, isRoot)) continue;
    const value = fresh.getAttribute(name)!;
    if (kept.getAttribute(name) !== value) kept.setAttribute(name, value);
  }
  for (const name of kept.getAttributeNames())
    if (!owned(kept, name, isRoot) && !fresh.hasAttribute(name)) kept.removeAttribute(name);
}

function patchNode(kept: Node, fresh: Node, isRoot: boolean): void {
  if (kept.nodeType === Node.TEXT_NODE) {
    const text = (fresh as Text).data;
    if ((kept as Text).data !== text) (kept as Text).data = text;
    return;
  }
  if (kept instanceof Element && fresh instanceof Element) patchAttributes(kept, fresh, isRoot);
  if (kept.childNodes.length !== fresh.childNodes.length) {
    (kept as Element).replaceChildren(...Array.from(fresh.childNodes));
    return;
  }
  for (let a = kept.firstChild, b = fresh.firstChild; a && b;) {
    const nextA = a.nextSibling;
    const nextB = b.nextSibling;
    if (a.nodeType !== b.nodeType || a.nodeName !== b.nodeName) kept.replaceChild(b, a);
    else patchNode(a, b, false);
    a = nextA;
    b = nextB;
  }
}

/**
 * Makes `kept` show what `fresh` (built by the same builder, detached) shows. Both must be tables;
 * false, with nothing changed, when they are not.
 */
export function patchTable(kept: Element, fresh: Element): boolean {
  if (kept.nodeName !== 'TABLE' || fresh.nodeName !== 'TABLE') return false;
  return patchTree(kept, fresh);
}

/**
 * {@link patchTable} for any element built by one builder (the softmax chart's figure, SVG
 * included): `kept` shows what `fresh` shows, its own attributes left to their owners as a table's
 * are. False, with nothing changed, when the two are not the same element.
 */
export function patchTree(kept: Element, fresh: Element): boolean {
  if (kept.nodeName !== fresh.nodeName || kept.namespaceURI !== fresh.namespaceURI) return false;
  patchNode(kept, fresh, true);
  return true;
}
