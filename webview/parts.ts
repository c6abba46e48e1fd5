/**
 * What every section of the panel is built with: the render context, UI-only state, the
 * collapsible section, and the controls (buttons, kept selects, text fields).
 */
import { type PanelState, type WebviewToHost } from '../src/protocol/webview';
import { custom, h, type Child } from './dom';
import { type Translate } from './l10n';
import { type TipIds } from './tooltip';

/** UI-only state, kept with the webview's setState (never data). */
export interface UiState {
  /** The heat map colours p or log p. */
  chartMode: 'p' | 'logp';
  /** Open sections by id; absent means the default. */
  open: Record<string, boolean>;
  /** The heat map's keyboard row. */
  heatRow: number | null;
}

/** The default UI state. */
export const defaultUiState: UiState = { chartMode: 'p', open: {}, heatRow: null };

/** What the rendered panel can do. */
export interface Actions {
  /** Sends a message to the host. */
  post(msg: WebviewToHost): void;
  /** Changes UI state (`open` is merged into the open sections); re-renders when `rerender` is true. */
  setUi(patch: Partial<UiState>, rerender: boolean): void;
}

// Options start closed: at a side bar's width the first screen is for the pair, its loss and the
// target's steps, not for six controls. The user's choice is kept (UiState.open, setState).
export const sectionDefaults: Record<string, boolean> = {
  controls: false,
  sample: true,
  reduction: true,
  stability: false,
  batch: true,
};

export interface Ctx {
  /** Controls kept from the previous render of this root, by id; `used` collects the ids of this one. */
  selects: Map<string, KeptControl>;
  used: Set<string>;
  /** Parts of the previous render of this root by slot; `next` collects this one's. */
  parts: Map<string, KeptPart>;
  next: Map<string, KeptPart>;
  /** Parts left out by the last renders, by slot and key; `reinstated` collects the nodes this render takes back. */
  retired: Map<string, KeptPart>;
  reinstated: Set<Node>;
  state: PanelState;
  ui: UiState;
  actions: Actions;
  t: Translate;
  d: number;
  ids: TipIds;
}

/** A part of the panel (a section) kept from one render to the next while its key is the same. */
export interface KeptPart {
  key: string;
  node: HTMLElement;
}

/**
 * A control kept from one render to the next by id (a select, button, text field or section):
 * building a custom element again costs its shadow DOM and styles, and a sample change rebuilt
 * about a dozen of them. Its listener calls `handler`, which a reuse swaps for the new render's.
 */
export interface KeptControl {
  key: string;
  el: HTMLElement;
  handler: (...args: never[]) => void;
}

/** The kept controls of each panel root, by id. */
export const keptSelects = new WeakMap<Node, Map<string, KeptControl>>();

/** The control kept under `id` when its key is the same, marked used by this render. */
function reuse(ctx: Ctx, id: string, key: string): KeptControl | undefined {
  const kept = ctx.selects.get(id);
  if (!kept || kept.key !== key) return undefined;
  ctx.used.add(id);
  return kept;
}

function keep(ctx: Ctx, id: string, key: string, el: HTMLElement, handler: KeptControl['handler']): KeptControl {
  const entry: KeptControl = { key, el, handler };
  ctx.selects.set(id, entry);
  ctx.used.add(id);
  return entry;
}

/** Children as nodes: text becomes a text node; null, undefined and false are skipped. */
function nodesOf(children: readonly Child[]): Node[] {
  const out: Node[] = [];
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    out.push(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return out;
}

/**
 * Makes `root`'s children `nodes`, moving or replacing only those that differ. A child that goes
 * is replaced in place by a new one, so the kept children after it stay where they are: moving a
 * kept control (a vscode-button, a text field) disconnects and connects it again, which makes the
 * component render and the browser style it anew.
 */
export function patchChildren(root: Element, nodes: readonly Node[]): void {
  const wanted = new Set(nodes);
  for (let i = 0; i < nodes.length; i++) {
    const want = nodes[i]!;
    const at = root.childNodes[i];
    if (at === want) continue;
    if (at && !wanted.has(at) && want.parentNode !== root) root.replaceChild(want, at);
    else root.insertBefore(want, at ?? null);
  }
  while (root.childNodes.length > nodes.length) root.lastChild!.remove();
}

/**
 * A `div` with `attrs` holding `children`, reused under `id` while its attributes are the same:
 * its children are patched, so the kept controls in it stay where they are (see
 * {@link patchChildren}) instead of moving into a new `div` on every render.
 */
export function group(ctx: Ctx, id: string, attrs: Record<string, string>, ...children: Child[]): HTMLElement {
  return keptElement(ctx, 'div', id, attrs, ...children);
}

/** A {@link group} of another element than a `div` (the panel's `header`). */
export function keptElement(
  ctx: Ctx,
  tag: keyof HTMLElementTagNameMap,
  id: string,
  attrs: Record<string, string>,
  ...children: Child[]
): HTMLElement {
  const key = JSON.stringify([tag, attrs]);
  const kept = reuse(ctx, `group-${id}`, key);
  if (kept) {
    patchChildren(kept.el, nodesOf(children));
    return kept.el;
  }
  const el = h(tag, attrs, ...children);
  keep(ctx, `group-${id}`, key, el, () => {});
  return el;
}

/**
 * A collapsible section. The one with the same id and heading as in the previous render is
 * reused: its description is set and its children patched, so the collapsible stays as it is.
 */
export function section(ctx: Ctx, id: string, heading: string, description: string, ...children: Child[]): HTMLElement {
  const kept = reuse(ctx, `sec-${id}`, heading);
  if (kept) {
    const el = kept.el as HTMLElement & { description: string };
    if (el.getAttribute('description') !== description) {
      el.setAttribute('description', description);
      el.description = description;
    }
    patchChildren(el, nodesOf(children));
    return el;
  }
  const open = ctx.ui.open[id] ?? sectionDefaults[id] ?? true;
  const el = custom('vscode-collapsible', { id: `sec-${id}`, heading, description, open }, ...children);
  el.addEventListener('vsc-collapsible-toggle', (e) => {
    const detail = (e as CustomEvent<{ open: boolean }>).detail;
    // Only this section's entry: a kept section's ctx may be older than the UI state. A section
    // rendered closed and empty (see stabilitySection) is filled by a render as it opens.
    const opened = !!detail?.open;
    ctx.actions.setUi({ open: { [id]: opened } }, opened && !el.hasChildNodes());
  });
  keep(ctx, `sec-${id}`, heading, el, () => {});
  return el;
}

/** A `vscode-button`, reused while its id, label and attributes are the same. */
export function button(
  ctx: Ctx,
  id: string,
  label: string,
  onClick: () => void,
  attrs: Record<string, string | boolean> = {},
): HTMLElement {
  const key = JSON.stringify([label, attrs]);
  const kept = reuse(ctx, id, key);
  if (kept) {
    kept.handler = onClick;
    return kept.el;
  }
  const b = custom('vscode-button', { id, ...attrs }, label);
  const entry = keep(ctx, id, key, b, onClick);
  b.addEventListener('click', () => {
    if (!(b as HTMLElement & { disabled?: boolean }).disabled) (entry.handler as () => void)();
  });
  return b;
}

/**
 * A `vscode-single-select`. One with the same id, label and options as in the previous render is
 * reused (its value set, its handler swapped): the component measures itself with
 * getBoundingClientRect on every render of its own, so five new ones per snapshot forced as many
 * layouts, about 15 ms of each (64, 50 257) snapshot's render.
 */
export function select(
  ctx: Ctx,
  id: string,
  label: string,
  options: [string, string][],
  value: string,
  onChange: (v: string) => void,
  afterPaint = false,
): HTMLElement {
  const key = JSON.stringify([label, options]);
  const kept = reuse(ctx, id, key);
  if (kept) {
    kept.handler = onChange;
    const el = kept.el as HTMLElement & { value: string };
    if (afterPaint) setAfterPaint(el, value);
    else if (el.value !== value) el.value = value;
    return el;
  }
  const el = custom(
    'vscode-single-select',
    { id, 'aria-label': label, label },
    ...options.map(([v, text]) => custom('vscode-option', { value: v, selected: v === value }, text)),
  ) as HTMLElement & { value: string };
  const entry = keep(ctx, id, key, el, onChange);
  el.addEventListener('change', () => {
    // The user's choice stands: a value a render left to set after its paint is dropped.
    pendingValues.delete(el);
    (entry.handler as (v: string) => void)(el.value);
  });
  return el;
}

/** Values of kept selects to set once the render that gave them is painted (see {@link setAfterPaint}). */
const pendingValues = new Map<HTMLElement & { value: string }, string>();

/**
 * Sets a kept select's value after the next paint instead of in the render: the select restyles
 * its shadow DOM and lays itself out again for a new value (2–3 ms of the frame that paints a
 * CodeLens selection's numbers), and the pair picker's text can follow a frame later. The last
 * render's value wins; a change the user makes meanwhile cancels it.
 */
function setAfterPaint(el: HTMLElement & { value: string }, value: string): void {
  const scheduled = pendingValues.size > 0;
  pendingValues.set(el, value);
  if (scheduled) return;
  // A task after the next frame: requestAnimationFrame runs before that frame's paint.
  requestAnimationFrame(() =>
    setTimeout(() => {
      for (const [select, v] of pendingValues) if (select.isConnected && select.value !== v) select.value = v;
      pendingValues.clear();
    }, 0),
  );
}

/**
 * A `vscode-textfield`, reused while its id, label and attributes are the same: its value is set
 * when the render's differs, its handler swapped.
 */
export function textfield(
  ctx: Ctx,
  id: string,
  label: string,
  value: string,
  onCommit: (text: string, el: HTMLElement & { invalid: boolean }) => void,
  attrs: Record<string, string | number | boolean> = {},
): HTMLElement {
  type Field = HTMLElement & { value: string; invalid: boolean };
  const key = JSON.stringify([label, attrs]);
  const kept = reuse(ctx, id, key);
  if (kept) {
    kept.handler = onCommit;
    const el = kept.el as Field;
    if (el.getAttribute('value') !== value || el.value !== value) {
      el.value = value;
      el.setAttribute('value', value);
      el.invalid = false;
    }
    return el;
  }
  const el = custom('vscode-textfield', { id, 'aria-label': label, label, ...attrs }) as Field;
  el.value = value;
  el.setAttribute('value', value);
  const entry = keep(ctx, id, key, el, onCommit);
  el.addEventListener('change', () => (entry.handler as (text: string, el: Field) => void)(String(el.value ?? ''), el));
  return el;
}

/** A {@link field} kept with its control (see {@link group}). */
export function keptField(ctx: Ctx, labelText: string, control: HTMLElement, note?: Child): HTMLElement {
  const id = control.id;
  return group(
    ctx,
    `field-${id}`,
    { class: 'field' },
    h('label', { for: id }, labelText),
    control,
    note ? h('span', { class: 'field-note' }, note) : null,
  );
}

export function field(labelText: string, control: HTMLElement, note?: Child): HTMLElement {
  const id = control.id;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, labelText),
    control,
    note ? h('span', { class: 'field-note' }, note) : null,
  );
}
