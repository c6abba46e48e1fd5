/**
 * A small element builder. Text always goes in as text nodes (never through innerHTML), so a
 * variable named `<img src=x onerror=alert(1)>` stays a string. Inline event-handler and style
 * attributes are refused: the CSP would block them anyway, and listeners and CSSOM are the way.
 */

/** A child: a node, or text (numbers become text); null, undefined and false are skipped. */
export type Child = Node | string | number | null | undefined | false;

/** Attributes: a string or number is set, true sets an empty attribute, false/null/undefined skip. */
export type Attrs = Record<string, string | number | boolean | null | undefined>;

const svgNs = 'http://www.w3.org/2000/svg';

function setAttrs(el: Element, attrs: Attrs | null | undefined): void {
  if (!attrs) return;
  for (const [name, value] of Object.entries(attrs)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('on') || lower === 'style' || lower === 'srcdoc')
      throw new Error(`dom: attribute ${name} is not allowed`);
    if (value === null || value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(el: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.appendChild(
      typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child,
    );
  }
}

/** An HTML element. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

/** A custom element such as `vscode-single-select`. */
export function custom(tag: string, attrs?: Attrs | null, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

/** An SVG element. */
export function svg(tag: string, attrs?: Attrs | null, ...children: Child[]): SVGElement {
  const el = document.createElementNS(svgNs, tag) as SVGElement;
  setAttrs(el, attrs);
  append(el, children);
  return el;
}
