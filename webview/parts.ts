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
  /** Selects kept from the previous render of this root, by id; `used` collects the ids of this one. */
  selects: Map<string, KeptSelect>;
  used: Set<string>;
  /** Parts of the previous render of this root by slot; `next` collects this one's. */
  parts: Map<string, KeptPart>;
  next: Map<string, KeptPart>;
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

export function section(ctx: Ctx, id: string, heading: string, description: string, ...children: Child[]): HTMLElement {
  const open = ctx.ui.open[id] ?? sectionDefaults[id] ?? true;
  const el = custom('vscode-collapsible', { id: `sec-${id}`, heading, description, open }, ...children);
  el.addEventListener('vsc-collapsible-toggle', (e) => {
    const detail = (e as CustomEvent<{ open: boolean }>).detail;
    // Only this section's entry: a kept section's ctx may be older than the UI state.
    ctx.actions.setUi({ open: { [id]: !!detail?.open } }, false);
  });
  return el;
}

export function button(
  id: string,
  label: string,
  onClick: () => void,
  attrs: Record<string, string | boolean> = {},
): HTMLElement {
  const b = custom('vscode-button', { id, ...attrs }, label);
  b.addEventListener('click', () => {
    if (!(b as HTMLElement & { disabled?: boolean }).disabled) onClick();
  });
  return b;
}

/** A select kept from one render to the next (see {@link select}). */
export interface KeptSelect {
  key: string;
  el: HTMLElement & { value: string };
  onChange: (v: string) => void;
}

/** The selects of each panel root, by id. */
export const keptSelects = new WeakMap<Node, Map<string, KeptSelect>>();

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
): HTMLElement {
  const key = JSON.stringify([label, options]);
  const kept = ctx.selects.get(id);
  if (kept && kept.key === key) {
    kept.onChange = onChange;
    if (kept.el.value !== value) kept.el.value = value;
    ctx.used.add(id);
    return kept.el;
  }
  const el = custom(
    'vscode-single-select',
    { id, 'aria-label': label, label },
    ...options.map(([v, text]) => custom('vscode-option', { value: v, selected: v === value }, text)),
  ) as KeptSelect['el'];
  const entry: KeptSelect = { key, el, onChange };
  el.addEventListener('change', () => entry.onChange(el.value));
  ctx.selects.set(id, entry);
  ctx.used.add(id);
  return el;
}

export function textfield(
  id: string,
  label: string,
  value: string,
  onCommit: (text: string, el: HTMLElement & { invalid: boolean }) => void,
  attrs: Record<string, string | number | boolean> = {},
): HTMLElement {
  const el = custom('vscode-textfield', { id, 'aria-label': label, label, ...attrs }) as HTMLElement & {
    value: string;
    invalid: boolean;
  };
  el.value = value;
  el.setAttribute('value', value);
  el.addEventListener('change', () => onCommit(String(el.value ?? ''), el));
  return el;
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
