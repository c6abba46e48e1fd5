/**
 * PanelState → DOM. Every render rebuilds the panel from the snapshot (the host sends complete
 * snapshots); only UI choices (open sections, chart mode, the heat map's keyboard row) come
 * from {@link UiState}. Elements are built with createElement/textContent (./dom): names, file
 * names and claim text from documents are always text. The DOM stays small at any size: the
 * step table has at most a page of classes plus the target, the losses a page of samples, and
 * the batch is a canvas.
 */
import {
  classPageSize,
  type ControlOverrides,
  type DTypeChoice,
  type LiveBadge,
  type PairSummary,
  type PanelState,
  type ReductionCard,
  type SampleView,
  type StabilityCard,
  type WebviewToHost,
} from '../src/protocol/webview';
import { heatMapView, redrawCharts, softmaxChart } from './charts';
import { custom, h, type Child } from './dom';
import { count, num, parseUserNumber, parseUserNumbers, shapeText } from './format';
import {
  denominatorText,
  hiddenTooltip,
  reductionFormula,
  reductionTooltip,
  sampleLossText,
  sampleLossTooltip,
  stabilityTooltip,
  stepRowSpecs,
  stepTooltip,
  type StepKind,
  type StepRowSpec,
} from './formulas';
import { translator, type Translate } from './l10n';
import { changedOptions, sameLoss, sameOptions } from './options';
import { originCard, originHeadline } from './origin';
import {
  emptyState,
  invalidLossText,
  invalidSampleNote,
  invalidTargetsBox,
  placeText,
  selectionBadge,
  staleBox,
} from './notes';
import { TipIds, withTip } from './tooltip';

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
const sectionDefaults: Record<string, boolean> = {
  controls: false,
  sample: true,
  reduction: true,
  stability: false,
  batch: true,
};

interface Ctx {
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
interface KeptPart {
  key: string;
  node: HTMLElement;
}

/** The parts of each panel root, by slot. */
const keptParts = new WeakMap<Node, Map<string, KeptPart>>();

/** A number per heat map object: the host sends each once, so the same object is the same map. */
const heatMapNumbers = new WeakMap<object, number>();
let heatMapCount = 0;

function heatMapNumber(map: object): number {
  let n = heatMapNumbers.get(map);
  if (n === undefined) heatMapNumbers.set(map, (n = ++heatMapCount));
  return n;
}

/**
 * The part in `slot`: the previous render's node when `key` (everything the part shows, as
 * text) is the same, else a new one from `build`. A kept part keeps its DOM nodes, focus,
 * scroll and canvas as they are: a sample change does not rebuild the options, a reduction
 * change does not redraw the heat map.
 */
function keyed(ctx: Ctx, slot: string, key: string, build: () => HTMLElement): HTMLElement {
  const prev = ctx.parts.get(slot);
  if (prev && prev.key === key) {
    for (const [id, kept] of ctx.selects) if (prev.node.contains(kept.el)) ctx.used.add(id);
    ctx.next.set(slot, prev);
    return prev.node;
  }
  const node = build();
  ctx.next.set(slot, { key, node });
  return node;
}

/** Makes `root`'s children `nodes`, moving or replacing only those that differ. */
function patchChildren(root: HTMLElement, nodes: readonly Node[]): void {
  for (let i = 0; i < nodes.length; i++) {
    const want = nodes[i]!;
    const at = root.childNodes[i];
    if (at !== want) root.insertBefore(want, at ?? null);
  }
  while (root.childNodes.length > nodes.length) root.lastChild!.remove();
}

/**
 * Renders `state` into `root`: the parts whose data changed are built anew, the others stay
 * (see {@link keyed}).
 */
export function renderPanel(root: HTMLElement, state: PanelState, ui: UiState, actions: Actions): void {
  let selects = keptSelects.get(root);
  if (!selects) keptSelects.set(root, (selects = new Map()));
  let parts = keptParts.get(root);
  if (!parts) keptParts.set(root, (parts = new Map()));
  const ctx: Ctx = {
    selects,
    used: new Set(),
    parts,
    next: new Map(),
    state,
    ui,
    actions,
    t: translator(state.locale),
    d: state.decimals,
    ids: new TipIds(),
  };
  document.documentElement.lang = state.locale;
  const shown: Child[] = [header(ctx)];
  if (state.pairs.length === 0 && state.status !== 'computing') shown.push(emptyState(state, ctx.t));
  const pair = state.pair;
  const common = [state.locale, state.decimals];
  if (pair) {
    if (!pair.origin || pair.origin.torchSteps) {
      const key = JSON.stringify([common, pair, ui.open.controls]);
      shown.push(keyed(ctx, 'controls', key, () => controls(ctx, pair)));
    }
    if (state.sample) shown.push(sampleSection(ctx, pair, state.sample));
    if (state.reduction) shown.push(reductionSection(ctx, pair, state.reduction));
    if (state.stability) shown.push(stabilitySection(ctx, state.stability));
    if (state.heatMap) {
      // The map is the same object while it is the same (the webview keeps what the host sent once).
      const key = JSON.stringify([
        common,
        heatMapNumber(state.heatMap),
        ui.chartMode,
        ui.open.batch,
        state.sample?.element ?? null,
      ]);
      shown.push(keyed(ctx, 'batch', key, () => batchSection(ctx)));
    }
  }
  const nodes = shown.filter((p): p is HTMLElement => p instanceof HTMLElement);
  const kept = new Set<Node>();
  for (const [slot, part] of ctx.next) if (parts.get(slot) === part) kept.add(part.node);
  patchChildren(root, nodes);
  root.classList.toggle('is-stale', !!state.stale && state.pair !== null);
  for (const id of selects.keys()) if (!ctx.used.has(id)) selects.delete(id);
  keptParts.set(root, ctx.next);
  for (const node of nodes) {
    if (kept.has(node)) continue;
    installGrids(node);
    fitStepLayouts(node);
    // Canvases need their laid-out width, so they draw once they are in the document.
    if (root.isConnected) redrawCharts(node);
  }
}

function section(ctx: Ctx, id: string, heading: string, description: string, ...children: Child[]): HTMLElement {
  const open = ctx.ui.open[id] ?? sectionDefaults[id] ?? true;
  const el = custom('vscode-collapsible', { id: `sec-${id}`, heading, description, open }, ...children);
  el.addEventListener('vsc-collapsible-toggle', (e) => {
    const detail = (e as CustomEvent<{ open: boolean }>).detail;
    // Only this section's entry: a kept section's ctx may be older than the UI state.
    ctx.actions.setUi({ open: { [id]: !!detail?.open } }, false);
  });
  return el;
}

function button(
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
interface KeptSelect {
  key: string;
  el: HTMLElement & { value: string };
  onChange: (v: string) => void;
}

/** The selects of each panel root, by id. */
const keptSelects = new WeakMap<Node, Map<string, KeptSelect>>();

/**
 * A `vscode-single-select`. One with the same id, label and options as in the previous render is
 * reused (its value set, its handler swapped): the component measures itself with
 * getBoundingClientRect on every render of its own, so five new ones per snapshot forced as many
 * layouts, about 15 ms of each (64, 50 257) snapshot's render.
 */
function select(
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

function textfield(
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

function field(labelText: string, control: HTMLElement, note?: Child): HTMLElement {
  const id = control.id;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, labelText),
    control,
    note ? h('span', { class: 'field-note' }, note) : null,
  );
}

function header(ctx: Ctx): HTMLElement {
  const { state, t } = ctx;
  const status = state.status === 'computing' ? t('Computing…') : state.status === 'error' ? t('Error') : '';
  const inEditor = document.body.dataset.surface === 'editor';
  const top = h(
    'div',
    { class: 'doc-line' },
    state.documentLabel ? h('span', { class: 'doc-label', title: state.documentLabel }, state.documentLabel) : null,
    status ? h('span', { class: `status status-${state.status}`, role: 'status' }, status) : null,
    inEditor || state.pairs.length === 0
      ? null
      : button('open-in-editor', t('Open in Editor Area'), () => ctx.actions.post({ type: 'openInEditor' }), {
          secondary: true,
          title: t('Show this view full width in the editor area'),
        }),
  );
  const parts: Child[] = [top];
  if (state.live)
    parts.push(state.live.selection ? selectionBadge(state.live.selection, t) : liveBadge(ctx, state.live));
  if (state.pairs.length > 0) {
    const options: [string, string][] = state.pairs.map((p) => [
      String(p.id),
      `${p.label} · ${placeText(p.line, p.cell, t)}${p.failed ? ` · ${t('error')}` : p.loss !== null ? ` · ${num(p.loss, ctx.d)}` : ''}`,
    ]);
    const picker = select(
      ctx,
      'pair-picker',
      t('Pair'),
      options,
      state.selectedPairId === null ? '' : String(state.selectedPairId),
      (v) => ctx.actions.post({ type: 'selectPair', id: Number(v) }),
    );
    const reveal =
      state.selectedPairId === null
        ? null
        : button(
            'reveal',
            t('Go to code'),
            () => ctx.actions.post({ type: 'revealInEditor', id: state.selectedPairId as number }),
            { secondary: true },
          );
    parts.push(h('div', { class: 'pair-row' }, field(t('Pair'), picker), reveal));
  }
  if (state.stale && state.pair) parts.push(staleBox(state.stale, t));
  if (state.error) parts.push(h('div', { class: 'error-box', role: 'alert' }, state.error));
  if (state.invalidTargets && state.pair) parts.push(invalidTargetsBox(state.invalidTargets, state.pair.lossShape, t));
  if (state.pair) parts.push(summary(ctx, state.pair));
  return h('header', { class: 'panel-header' }, ...parts);
}

/** `target (2,)`, or for a scalar target `target = 1 (a single class index)`. */
function targetFact(ctx: Ctx, pair: PairSummary): string {
  const { t, state } = ctx;
  const name = pair.targetName ?? t('target');
  if (pair.targetKind === 'probabilities') return `${name} ${shapeText(pair.targetShape)} (${t('probabilities')})`;
  if (pair.targetShape.length === 0) {
    const value = state.sample?.target;
    return value === null || value === undefined
      ? `${name}: ${t('a single class index')}`
      : `${name} = ${value} (${t('a single class index')})`;
  }
  return `${name} ${shapeText(pair.targetShape)}`;
}

/** Where a live pair came from, and the program's own loss beside ours. */
function liveBadge(ctx: Ctx, live: LiveBadge): HTMLElement {
  const { t } = ctx;
  const lines: Child[] = [
    h(
      'p',
      { class: `live-badge ${live.paused ? '' : 'live-moved'}`, id: 'live-badge' },
      h('span', { class: 'live-tag' }, t('live · frame {0} line {1}', live.frame, live.line)),
      ' · ',
      live.paused ? t('step paused') : t('the program moved on — inspect again'),
    ),
  ];
  const p = live.programLoss;
  if (p) {
    const mark = live.agrees === true ? `✓ ${t('agrees')}` : live.agrees === false ? `✗ ${t('disagrees')}` : '';
    lines.push(
      h(
        'p',
        { class: `live-program ${live.agrees === false ? 'claim-bad' : ''}` },
        `${t('The program computed')} `,
        h('code', null, p.expression),
        ' = ',
        h('strong', { id: 'program-loss' }, num(p.value, ctx.d)),
        ` (${p.dtype})`,
        mark ? ` ${mark}` : '',
      ),
    );
  }
  if (live.stream) lines.push(liveStream(ctx, live.stream));
  if (live.notes.length > 0) lines.push(h('ul', { class: 'live-notes' }, ...live.notes.map((n) => h('li', null, n))));
  if (live.rows) lines.push(liveRows(ctx, live.rows, live.paused));
  return h('div', { class: 'live' }, ...lines);
}

/** How a progressive read stands: first paint while all rows stream, recomputed from all, or stopped. */
function liveStream(ctx: Ctx, stream: NonNullable<LiveBadge['stream']>): HTMLElement {
  const { t } = ctx;
  const batch = stream.batchLoss === null ? '—' : num(stream.batchLoss, ctx.d);
  const text =
    stream.state === 'done'
      ? `✓ ${t('Recomputed from all {0} rows.', stream.positions)}`
      : stream.state === 'streaming'
        ? t(
            'First paint: the batch’s loss {0} was computed in the program by torch; the rows shown are recomputed here. Reading all {1} rows…',
            batch,
            stream.positions,
          )
        : stream.state === 'cancelled'
          ? t(
              'Reading all rows was cancelled: the batch’s loss {0} is torch’s, computed in the program; only the rows shown were recomputed here.',
              batch,
            )
          : stream.state === 'stale'
            ? t(
                'The program moved on before all {0} rows were read: nothing more is read, and these figures are of the stop they were read at.',
                stream.positions,
              )
            : t('Reading all rows failed: {0}', stream.message ?? '');
  return h(
    'p',
    { class: `live-stream live-stream-${stream.state}`, id: 'live-stream', role: 'status' },
    text,
    ...(stream.state === 'streaming'
      ? [' ', button('live-stream-stop', t('Stop reading'), () => ctx.actions.post({ type: 'stopLiveStream' }))]
      : []),
  );
}

/**
 * Over the budget only some rows were read: which, and a field for any other row of the batch,
 * which the host reads from the paused program (while it is still paused at that stop).
 */
function liveRows(ctx: Ctx, rows: NonNullable<LiveBadge['rows']>, paused: boolean): HTMLElement {
  const { t, actions } = ctx;
  const last = rows.total - 1;
  const tf = textfield(
    'live-row',
    t('row (0–{0})', last),
    '',
    (text, el) => {
      const v = parseUserNumber(text);
      el.invalid = !(Number.isInteger(v) && v >= 0 && v <= last);
      if (!el.invalid) actions.post({ type: 'selectLiveRow', position: v });
    },
    { type: 'text', inputmode: 'numeric', class: 'narrow', ...(paused ? {} : { disabled: true }) },
  );
  return h(
    'div',
    { class: 'live-rows' },
    h('p', null, t('Rows read from the program: {0} of {1}', rows.read.join(', '), rows.total)),
    field(t('row (0–{0})', last), tf, rows.failed ?? undefined),
  );
}

function summary(ctx: Ctx, pair: PairSummary): HTMLElement {
  const { t, state } = ctx;
  const o = pair.options;
  const facts: string[] = [
    `${pair.logitsName ?? t('logits')} ${shapeText(pair.inputShape)}`,
    targetFact(ctx, pair),
    o.dtype,
    `reduction='${o.reduction}'`,
  ];
  if (o.inputKind === 'log_probs') facts.push('NLLLoss');
  const lines: Child[] = [h('p', { class: 'facts' }, facts.join(' · '))];
  const differ = !sameLoss(o, pair.codeOptions);
  const r = state.reduction;
  const main = r ? (r.dtype === 'float64' ? r.float64 : r.float32) : null;
  const userPrint = main ? main.torchPrint.split('\n')[0] + (main.torchPrint.includes('\n') ? ' …' : '') : null;
  // Another library's call (or a numpy formula) is named as the code wrote it, while the options are the code's.
  const origin = pair.origin && (!differ || !pair.origin.torchSteps) ? pair.origin : null;
  if (origin) lines.push(originHeadline(origin, t, ctx.d));
  else if (r && main) {
    const title = o.inputKind === 'log_probs' ? 'NLLLoss' : 'CrossEntropyLoss';
    const value = r.reduction === 'none' ? t('{0} losses', r.count) : num(main.loss, ctx.d);
    lines.push(
      h(
        'p',
        { class: 'headline' },
        `${title} = `,
        h('strong', { id: 'headline-loss' }, value),
        ' ',
        h('code', { class: 'torch-print' }, userPrint),
        differ ? h('span', { class: 'changed' }, ` ${t('with your options')}`) : null,
      ),
    );
  }
  if (pair.origin) lines.push(originCard(pair.origin, t, ctx.d));
  if (pair.claimText !== null) {
    // A claim is judged with the code's own options. While the user's differ, the mark says so
    // and names what torch prints with each, never a bare "✓ matches" beside another number.
    const verdict =
      pair.claimOk === true ? `✓ ${t('matches')}` : pair.claimOk === false ? `✗ ${t('does not match')}` : '';
    const claim: Child[] = [`${t('The code claims')}: `, h('code', null, pair.claimText)];
    if (!differ) {
      if (verdict) claim.push(` ${verdict}`);
    } else {
      claim.push(' ', verdict ? `${verdict} ${t("with the code's options")}` : t("judged with the code's options"));
      if (pair.codePrinted) claim.push(` (${t('torch prints')} `, h('code', null, pair.codePrinted), ')');
    }
    lines.push(h('p', { class: `claim ${pair.claimOk === false ? 'claim-bad' : ''}`, id: 'claim' }, ...claim));
    if (differ && userPrint)
      lines.push(
        h(
          'p',
          { class: 'claim-user', id: 'claim-user' },
          `${t('With your options ({0}) torch prints', changedOptions(o, pair.codeOptions).join(', '))} `,
          h('code', null, userPrint),
          '.',
        ),
      );
  }
  return h('div', { class: 'summary' }, ...lines);
}

/** Classes up to which the weight field is editable (one comma-separated value per class). */
const maxEditableWeights = 256;

function controls(ctx: Ctx, pair: PairSummary): HTMLElement {
  const { t, actions } = ctx;
  const o = pair.options;
  const code = pair.codeOptions;
  const set = (overrides: ControlOverrides) => actions.post({ type: 'setControls', controls: overrides });
  const changed = (a: unknown, b: unknown) =>
    JSON.stringify(a) !== JSON.stringify(b) ? h('span', { class: 'changed' }, t('changed')) : null;
  const reduction = select(
    ctx,
    'ctl-reduction',
    'reduction',
    [
      ['mean', 'mean'],
      ['sum', 'sum'],
      ['none', 'none'],
    ],
    o.reduction,
    (v) => set({ reduction: v as 'mean' | 'sum' | 'none' }),
  );
  const dtype = select(
    ctx,
    'ctl-dtype',
    'dtype',
    [
      ['float32', 'float32'],
      ['float64', 'float64'],
      ['both', t('both')],
    ],
    o.dtype,
    (v) => set({ dtype: v as DTypeChoice }),
  );
  const smoothing = textfield(
    'ctl-smoothing',
    'label_smoothing',
    String(o.labelSmoothing),
    (text, el) => {
      const v = parseUserNumber(text);
      el.invalid = !(v >= 0 && v <= 1);
      if (!el.invalid) set({ labelSmoothing: v });
    },
    { type: 'text', inputmode: 'decimal' },
  );
  const ignore = textfield(
    'ctl-ignore',
    'ignore_index',
    String(o.ignoreIndex),
    (text, el) => {
      const v = parseUserNumber(text);
      el.invalid = !Number.isSafeInteger(v);
      if (!el.invalid) set({ ignoreIndex: v });
    },
    { type: 'text', inputmode: 'numeric' },
  );
  const weightEditable = pair.C <= maxEditableWeights && (!o.hasWeight || o.weight !== null);
  const weight = textfield(
    'ctl-weight',
    'weight',
    o.weight ? o.weight.join(', ') : '',
    (text, el) => {
      const values = parseUserNumbers(text);
      el.invalid = values === null || (values.length !== 0 && values.length !== pair.C);
      if (!el.invalid && values) set({ weight: values.length ? values : null });
    },
    { type: 'text', placeholder: t('none'), disabled: !weightEditable },
  );
  const inputKind = select(
    ctx,
    'ctl-input-kind',
    t('input'),
    [
      ['logits', t('logits (CrossEntropyLoss)')],
      ['log_probs', t('log-probabilities (NLLLoss)')],
    ],
    o.inputKind,
    (v) => set({ inputKind: v as 'logits' | 'log_probs' }),
  );
  const reset = button(
    'ctl-reset',
    t('Reset to code'),
    () => actions.post({ type: 'resetControls' }),
    sameOptions(o, code) ? { secondary: true, disabled: true } : { secondary: true },
  );
  const differ = changedOptions(o, code);
  return section(
    ctx,
    'controls',
    t('Options'),
    sameOptions(o, code)
      ? `${o.reduction} · ${o.dtype} · ${t('as in the code')}`
      : `${t('changed')}: ${differ.length ? differ.join(', ') : `dtype=${o.dtype}`}`,
    h(
      'div',
      { class: 'controls' },
      field('reduction', reduction, changed(o.reduction, code.reduction)),
      field('dtype', dtype, changed(o.dtype, code.dtype)),
      field('label_smoothing', smoothing, changed(o.labelSmoothing, code.labelSmoothing)),
      field('ignore_index', ignore, changed(o.ignoreIndex, code.ignoreIndex)),
      // Not editable: either the code's weight is too long to edit here, or C is too large for one.
      field(
        'weight',
        weight,
        weightEditable
          ? h(
              'span',
              null,
              t('{0} values, comma-separated', pair.C),
              changed(o.weight, code.weight) ? ' · ' : null,
              changed(o.weight, code.weight),
            )
          : o.hasWeight
            ? t('{0} values from the code', pair.C)
            : t('Class weights can be set here for up to {0} classes.', maxEditableWeights),
      ),
      field(t('input'), inputKind, changed(o.inputKind, code.inputKind)),
      h('div', { class: 'field field-actions' }, reset),
    ),
  );
}

/** Element index from coordinates in the loss's shape. */
export function elementOf(position: readonly number[], lossShape: readonly number[]): number {
  let e = 0;
  for (let i = 0; i < lossShape.length; i++) e = e * lossShape[i] + (position[i] ?? 0);
  return e;
}

function samplePicker(ctx: Ctx, pair: PairSummary, s: SampleView): HTMLElement | null {
  const { t, actions } = ctx;
  const total = pair.N * pair.S;
  if (total <= 1 || pair.lossShape.length === 0) return null;
  const go = (e: number) => actions.post({ type: 'selectSample', element: Math.max(0, Math.min(total - 1, e)) });
  const names = pair.lossShape.length === 1 ? [t('sample')] : pair.lossShape.map((_, i) => (i === 0 ? 'n' : `d${i}`));
  const fields = pair.lossShape.map((size, i) => {
    const tf = textfield(
      `sample-${i}`,
      `${names[i]} (0–${size - 1})`,
      String(s.position[i] ?? 0),
      (text, el) => {
        const v = parseUserNumber(text);
        el.invalid = !(Number.isInteger(v) && v >= 0 && v < size);
        if (el.invalid) return;
        const pos = s.position.slice();
        pos[i] = v;
        go(elementOf(pos, pair.lossShape));
      },
      { type: 'text', inputmode: 'numeric', class: 'narrow' },
    );
    return field(`${names[i]} (0–${size - 1})`, tf);
  });
  return h(
    'div',
    { class: 'sample-picker' },
    ...fields,
    button(
      'sample-prev',
      '‹',
      () => go(s.element - 1),
      s.element <= 0
        ? { secondary: true, disabled: true, 'aria-label': t('Previous sample') }
        : { secondary: true, 'aria-label': t('Previous sample') },
    ),
    button(
      'sample-next',
      '›',
      () => go(s.element + 1),
      s.element >= total - 1
        ? { secondary: true, disabled: true, 'aria-label': t('Next sample') }
        : { secondary: true, 'aria-label': t('Next sample') },
    ),
  );
}

function classPager(ctx: Ctx, s: SampleView): HTMLElement | null {
  const { t, actions } = ctx;
  if (s.classIndices.length >= s.C) return null;
  const size = s.window.size || classPageSize;
  const start = s.window.start;
  const go = (v: number | null) =>
    actions.post({
      type: 'setClassWindow',
      start: v === null ? null : Math.max(0, Math.min(v, Math.max(0, s.C - size))),
    });
  const label =
    start === null
      ? t('Top {0} classes by p (and the target) of {1}', size, s.C)
      : t('Classes {0}–{1} of {2} (and the target)', start, Math.min(s.C, start + size) - 1, s.C);
  return h(
    'div',
    { class: 'class-pager' },
    h('span', { class: 'pager-label', 'aria-live': 'polite' }, label),
    button(
      'classes-top',
      t('Top {0}', size),
      () => go(null),
      start === null ? { secondary: true, disabled: true } : { secondary: true },
    ),
    button(
      'classes-prev',
      '‹',
      () => go(start === null ? 0 : start - size),
      start === null || start <= 0
        ? { secondary: true, disabled: true, 'aria-label': t('Previous classes') }
        : { secondary: true, 'aria-label': t('Previous classes') },
    ),
    button(
      'classes-next',
      '›',
      () => go(start === null ? 0 : start + size),
      start !== null && start + size >= s.C
        ? { secondary: true, disabled: true, 'aria-label': t('Next classes') }
        : { secondary: true, 'aria-label': t('Next classes') },
    ),
  );
}

/** The step table: one column per shown class, one row per step, the target column highlighted. */
export function stepTable(ctx: Ctx, s: SampleView): HTMLTableElement {
  const { t, d, ids } = ctx;
  const hiddenCount = s.C - s.classIndices.length;
  const head = h(
    'tr',
    null,
    h('th', { scope: 'col', class: 'step-name' }, t('class')),
    ...s.classIndices.map((c) => {
      const isTarget = c === s.target;
      return h(
        'th',
        { scope: 'col', class: isTarget ? 'target' : null, 'data-class': c },
        String(c),
        isTarget ? h('span', { class: 'target-tag' }, ` ${t('target')}`) : null,
        c === s.predicted ? h('span', { class: 'predicted-tag' }, ` ${t('predicted')}`) : null,
      );
    }),
    hiddenCount > 0 ? h('th', { scope: 'col', class: 'others' }, t('others ({0})', hiddenCount)) : null,
  );
  const rows = stepRowSpecs(s, t).map((spec) => {
    const cells: Child[] = [h('th', { scope: 'row', class: 'step-name' }, spec.label)];
    if (typeof spec.values === 'number') {
      const cell = h(
        'td',
        { class: 'num span', colspan: s.classIndices.length, tabindex: -1, 'data-row': spec.kind },
        h('span', { class: 'v' }, num(spec.values, d)),
      );
      cells.push(withTip(cell, stepTooltip(s, spec.kind, 0, d, t), ids));
      if (hiddenCount > 0) cells.push(h('td', { class: 'others' }));
    } else {
      const values = spec.values;
      s.classIndices.forEach((c, j) => {
        const cell = h(
          'td',
          { class: c === s.target ? 'num target' : 'num', tabindex: -1, 'data-row': spec.kind, 'data-class': c },
          h('span', { class: 'v' }, num(values[j], d)),
        );
        cells.push(withTip(cell, stepTooltip(s, spec.kind, j, d, t), ids));
      });
      if (hiddenCount > 0) {
        if (spec.hidden !== undefined) {
          const cell = h(
            'td',
            { class: 'num others', tabindex: -1, 'data-row': spec.kind },
            h('span', { class: 'v' }, `Σ ${num(spec.hidden, d)}`),
          );
          cells.push(withTip(cell, hiddenTooltip(s, spec.kind === 'p' ? 'p' : 'contrib', d, t), ids));
        } else {
          cells.push(h('td', { class: 'others' }));
        }
      }
    }
    return h('tr', { class: `row-${spec.kind}` }, ...cells);
  });
  const table = h(
    'table',
    {
      class: 'steps grid',
      role: 'grid',
      'aria-label': t('Steps of sample {0}: one column per class', s.element),
      'aria-rowcount': rows.length + 1,
      'aria-colcount': s.classIndices.length + 1 + (hiddenCount > 0 ? 1 : 0),
    },
    h('thead', null, head),
    h('tbody', null, ...rows),
  );
  return table;
}

/**
 * Step columns of the narrow layout, in the order they are given up when the side bar is too
 * narrow for all of them: the last ones go first. x, p and the class's share of the loss stay.
 */
const byClassKeep: readonly StepKind[] = ['x', 'p', 'qlogp', 'contrib', 'logp', 'q', 'grad', 'exp', 'shifted', 'w'];

/**
 * The same steps with the classes as rows (as the editor's hover lays them out): the layout for a
 * side bar too narrow for one column per class. Σexp, a single number, is the line under it.
 */
export function stepTableByClass(ctx: Ctx, s: SampleView): HTMLTableElement {
  const { t, d, ids } = ctx;
  const specs = stepRowSpecs(s, t).filter(
    (spec): spec is StepRowSpec & { values: number[] } => typeof spec.values !== 'number',
  );
  const head = h(
    'tr',
    null,
    h('th', { scope: 'col', class: 'step-name' }, t('class')),
    ...specs.map((spec) => h('th', { scope: 'col', 'data-step': spec.kind }, spec.label)),
  );
  const rows = s.classIndices.map((c, j) => {
    const isTarget = c === s.target;
    const marks = [
      isTarget ? h('span', { class: 'target-tag' }, ` ${t('target')}`) : null,
      c === s.predicted ? h('span', { class: 'predicted-tag' }, ` ${t('predicted')}`) : null,
    ];
    const cells: Child[] = [h('th', { scope: 'row', class: isTarget ? 'target' : null }, String(c), ...marks)];
    for (const spec of specs) {
      const cell = h(
        'td',
        { class: isTarget ? 'num target' : 'num', tabindex: -1, 'data-step': spec.kind, 'data-class': c },
        h('span', { class: 'v' }, num(spec.values[j], d)),
      );
      cells.push(withTip(cell, stepTooltip(s, spec.kind, j, d, t), ids));
    }
    return h('tr', { class: isTarget ? 'target' : null }, ...cells);
  });
  return h(
    'table',
    {
      class: 'steps-by-class grid',
      role: 'grid',
      'aria-label': t('Steps of {0}: one row per class', sampleName(ctx, s)),
      'aria-rowcount': rows.length + 1,
      'aria-colcount': specs.length + 1,
    },
    h('thead', null, head),
    h('tbody', null, ...rows),
  );
}

/** A box holding the step table, with the classes-as-rows layout built when the width asks for it. */
type StepsBox = HTMLElement & { buildNarrow?: () => HTMLElement };

function stepsBox(ctx: Ctx, s: SampleView): HTMLElement {
  const { t, d } = ctx;
  const box: StepsBox = h(
    'div',
    { class: 'steps-box' },
    h('div', { class: 'table-scroll wide-layout' }, stepTable(ctx, s)),
  );
  box.buildNarrow = () =>
    h(
      'div',
      { class: 'narrow-layout' },
      h('div', { class: 'table-scroll' }, stepTableByClass(ctx, s)),
      s.sumExp !== null
        ? h('p', { class: 'note' }, `Σexp = ${num(s.sumExp, d)} · logsumexp = ${num(s.logSumExp, d)}`)
        : null,
      h('p', {
        class: 'note dropped-steps',
        hidden: true,
        'data-template': t(
          'Not shown at this width: {0}. Hover a value for its formula, or open the view in the editor area.',
        ),
      }),
    );
  return box;
}

/**
 * Picks the step table's layout for the width it has: one column per class while that fits,
 * else classes as rows, giving up the least needed step columns (named under the table) until
 * the rest fits. Runs after every render and whenever the box's width changes.
 */
export function fitStepLayouts(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>('.steps-box').forEach((box) => {
    fitStepBox(box);
    stepBoxObserver?.observe(box);
  });
}

/** Lays out one steps box for its current width (see {@link fitStepLayouts}). */
export function fitStepBox(box: StepsBox): void {
  const wide = box.querySelector<HTMLElement>('.wide-layout');
  if (!wide) return;
  box.dataset.fittedWidth = String(box.clientWidth);
  // No layout (a hidden view, or a test's DOM without one): keep the wide table.
  if (box.clientWidth === 0) return;
  // The room for a table: the box's width less its padding (it is a section's padded child).
  const style = typeof getComputedStyle === 'function' ? getComputedStyle(box) : null;
  const padding = style ? (parseFloat(style.paddingLeft) || 0) + (parseFloat(style.paddingRight) || 0) : 0;
  const width = box.clientWidth - padding;
  let narrow = box.querySelector<HTMLElement>('.narrow-layout');
  wide.hidden = false;
  if (narrow) narrow.hidden = true;
  const table = wide.querySelector('table');
  if (!table || table.scrollWidth <= width + 1) {
    box.dataset.layout = 'columns';
    return;
  }
  if (!narrow && box.buildNarrow) {
    narrow = box.buildNarrow();
    box.appendChild(narrow);
    installGrids(narrow);
  }
  if (!narrow) return;
  const note = narrow.querySelector<HTMLElement>('.dropped-steps');
  wide.hidden = true;
  narrow.hidden = false;
  box.dataset.layout = 'rows';
  const byClass = narrow.querySelector<HTMLElement>('table');
  if (!byClass) return;
  byClass.querySelectorAll<HTMLElement>('[data-step]').forEach((el) => (el.hidden = false));
  const present = new Set(
    Array.from(byClass.querySelectorAll<HTMLElement>('thead th[data-step]')).map((el) => el.dataset.step!),
  );
  const order = byClassKeep.filter((k) => present.has(k));
  const dropped = new Set<string>();
  for (let i = order.length - 1; i >= 3 && byClass.scrollWidth > width + 1; i--) {
    const kind = order[i]!;
    byClass.querySelectorAll<HTMLElement>(`[data-step="${kind}"]`).forEach((el) => (el.hidden = true));
    dropped.add(kind);
  }
  // Named in the table's own order.
  const droppedLabels = Array.from(byClass.querySelectorAll<HTMLElement>('thead th[data-step]'))
    .filter((th) => dropped.has(th.dataset.step!))
    .map((th) => th.textContent ?? '');
  if (note) {
    note.hidden = droppedLabels.length === 0;
    note.textContent = droppedLabels.length
      ? (note.dataset.template ?? '{0}').replace('{0}', droppedLabels.join(', '))
      : '';
  }
}

const stepBoxObserver =
  typeof ResizeObserver === 'undefined'
    ? null
    : new ResizeObserver((entries) => {
        for (const entry of entries) {
          const box = entry.target as HTMLElement;
          if (!box.isConnected) {
            stepBoxObserver?.unobserve(box);
            continue;
          }
          if (String(box.clientWidth) !== box.dataset.fittedWidth) fitStepBox(box);
        }
      });

/**
 * How a sample is named: its 0-based index as torch indexes it, with a 1-based count so that the
 * two never mix ("sample 1 (2 of 2)"); a single sample is "the sample".
 */
function sampleName(ctx: Ctx, s: SampleView): string {
  const { t, state } = ctx;
  const pair = state.pair;
  const total = pair ? pair.N * pair.S : 1;
  if (total <= 1) return t('the sample');
  // A batch of shape (N,) indexes its samples with one number; (N, d1, …) with a position.
  const where = s.position.length > 1 ? `[${s.position.join(', ')}]` : String(s.element);
  return t('sample {0} ({1} of {2})', where, s.element + 1, total);
}

function sampleSection(ctx: Ctx, pair: PairSummary, s: SampleView): HTMLElement {
  const { t, d, actions } = ctx;
  const target = s.target === null ? t('probability target') : `${t('target')} ${s.target}`;
  const lossLine = h(
    'p',
    { class: 'sample-loss' },
    withTip(
      h('span', { class: 'num', tabindex: 0, id: 'sample-loss' }, h('span', { class: 'v' }, sampleLossText(s, d, t))),
      sampleLossTooltip(s, d, t),
      ctx.ids,
    ),
  );
  const copy = h(
    'div',
    { class: 'copy-row' },
    button('copy-markdown', t('Copy Markdown'), () => actions.post({ type: 'copy', kind: 'markdown' }), {
      secondary: true,
    }),
    button('copy-csv', t('Copy CSV'), () => actions.post({ type: 'copy', kind: 'csv' }), { secondary: true }),
    pair.origin && !pair.origin.pytorch
      ? null
      : button('copy-pytorch', t('Copy PyTorch'), () => actions.post({ type: 'copy', kind: 'pytorch' }), {
          secondary: true,
        }),
  );
  return section(
    ctx,
    'sample',
    t('Steps'),
    `${sampleName(ctx, s)} · ${target} · ${s.dtype}`,
    samplePicker(ctx, pair, s),
    invalidSampleNote(ctx.state.invalidTargets, s, t) ??
      (s.ignored ? h('p', { class: 'note' }, t('This sample is ignored (target = ignore_index): it adds 0.')) : null),
    classPager(ctx, s),
    stepsBox(ctx, s),
    ctx.state.invalidTargets?.selected != null ? null : lossLine,
    softmaxChart(s, d, t),
    copy,
  );
}

function reductionSection(ctx: Ctx, pair: PairSummary, r: ReductionCard): HTMLElement {
  const { t, d, actions, state } = ctx;
  const selected = state.sample?.element ?? -1;
  const lossRows = r.losses.map((l, i) => {
    const e = r.offset + i;
    const ign = r.ignored[i];
    const bad = r.invalid?.[i];
    const cell = h(
      'td',
      { class: bad ? 'num invalid' : ign ? 'num ignored' : 'num', tabindex: -1, 'data-element': e },
      h('span', { class: 'v' }, bad ? invalidLossText(t) : ign ? `${num(l, d)} (${t('ignored')})` : num(l, d)),
    );
    withTip(
      cell,
      bad
        ? t('Target out of range: torch raises here. Enter or click shows this sample.')
        : ign
          ? t('This sample is ignored (target = ignore_index): it adds 0.')
          : t('Loss of sample {0}. Enter or click selects it.', e),
      ctx.ids,
    );
    const choose = () => actions.post({ type: 'selectSample', element: e });
    cell.addEventListener('click', choose);
    cell.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        choose();
      }
    });
    return h(
      'tr',
      { class: e === selected ? 'selected' : null, 'aria-selected': e === selected ? 'true' : 'false' },
      h('th', { scope: 'row' }, pair.lossShape.length > 1 ? positionText(e, pair.lossShape) : String(e)),
      cell,
    );
  });
  const lossTable = h(
    'table',
    { class: 'losses grid', role: 'grid', 'aria-label': t('Per-sample losses') },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('sample')), h('th', { scope: 'col' }, 'loss'))),
    h('tbody', null, ...lossRows),
  );
  const pager =
    r.count > r.pageSize
      ? h(
          'div',
          { class: 'loss-pager' },
          h(
            'span',
            { class: 'pager-label' },
            t('Samples {0}–{1} of {2}', r.offset, r.offset + r.losses.length - 1, r.count),
          ),
          button(
            'losses-prev',
            '‹',
            () => actions.post({ type: 'setLossPage', offset: Math.max(0, r.offset - r.pageSize) }),
            r.offset === 0
              ? { secondary: true, disabled: true, 'aria-label': t('Previous page') }
              : { secondary: true, 'aria-label': t('Previous page') },
          ),
          button(
            'losses-next',
            '›',
            () => actions.post({ type: 'setLossPage', offset: r.offset + r.pageSize }),
            r.offset + r.pageSize >= r.count
              ? { secondary: true, disabled: true, 'aria-label': t('Next page') }
              : { secondary: true, 'aria-label': t('Next page') },
          ),
        )
      : null;
  const main = r.dtype === 'float64' ? r.float64 : r.float32;
  const weighted = pair.options.hasWeight;
  const formula = main
    ? h(
        'p',
        { class: 'formula' },
        withTip(
          h(
            'span',
            { class: 'num', tabindex: 0, id: 'reduction-formula' },
            h('span', { class: 'v' }, reductionFormula(r, main, d, t)),
          ),
          reductionTooltip(r, weighted, pair.targetKind === 'probabilities', t),
          ctx.ids,
        ),
      )
    : null;
  const denominator = main
    ? denominatorText(r, main.denominator, weighted, pair.targetKind === 'probabilities', d, t)
    : null;
  const denominatorLine = denominator
    ? h('p', { class: 'note denominator', id: 'denominator-text' }, denominator)
    : null;
  const totalsRows = (['float32', 'float64'] as const).map((dt) => {
    const tot = r[dt];
    const used = pair.options.dtype === 'both' || dt === r.dtype;
    if (!tot)
      return h(
        'tr',
        { class: 'totals-missing' },
        h('th', { scope: 'row' }, dt),
        h('td', { colspan: 3 }, t('not computed')),
      );
    const cell = (v: number, tip: string, id: string) =>
      withTip(h('td', { class: 'num', tabindex: -1, id }, h('span', { class: 'v' }, num(v, d))), tip, ctx.ids);
    return [
      h(
        'tr',
        { class: used ? 'used' : null },
        h('th', { scope: 'row' }, dt),
        cell(tot.numerator, `Σ loss = ${num(tot.numerator, d)} (${dt})`, `num-${dt}`),
        withTip(
          h(
            'td',
            { class: 'num', tabindex: -1, id: `den-${dt}` },
            h('span', { class: 'v' }, count(tot.denominator, d)),
          ),
          `D = ${count(tot.denominator, d)}\n${reductionTooltip(r, weighted, pair.targetKind === 'probabilities', t)}`,
          ctx.ids,
        ),
        cell(
          tot.loss,
          `${r.reduction === 'mean' ? `${num(tot.numerator, d)} / ${count(tot.denominator, d)} = ` : ''}${num(tot.loss, 12)}`,
          `loss-${dt}`,
        ),
      ),
      // What torch prints on a row of its own: a float64 print is longer than a side bar's column.
      h(
        'tr',
        { class: used ? 'used print-row' : 'print-row' },
        h('th', { scope: 'row', class: 'print-head' }, t('what torch prints')),
        h('td', { class: 'print', colspan: 3 }, h('code', null, tot.torchPrint)),
      ),
    ];
  });
  const noTotal = r.invalid?.length ? t('No total: torch raises on a target out of range before it reduces.') : null;
  const totals = noTotal
    ? h('p', { class: 'note invalid-total' }, noTotal)
    : h(
        'table',
        { class: 'totals grid', role: 'grid', 'aria-label': t('Final loss in float32 and float64') },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'dtype'),
            // The formula's own symbols: short enough for a side bar, and the same in every language.
            h('th', { scope: 'col', title: t('numerator') }, 'Σ loss'),
            h('th', { scope: 'col', title: t('denominator') }, 'D'),
            h('th', { scope: 'col' }, 'loss'),
          ),
        ),
        h('tbody', null, ...totalsRows.flat()),
      );
  const ignoredNote = r.ignoredCount
    ? h('p', { class: 'note' }, t('{0} of {1} samples are ignored (greyed).', r.ignoredCount, r.count))
    : null;
  return section(
    ctx,
    'reduction',
    t('Reduction'),
    `${r.reduction} · ${r.count} ${r.count === 1 ? t('sample') : t('samples')}`,
    pager,
    h('div', { class: 'table-scroll short' }, lossTable),
    ignoredNote,
    formula,
    denominatorLine,
    h('div', { class: 'table-scroll' }, totals),
  );
}

function positionText(e: number, shape: readonly number[]): string {
  const pos = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    pos[i] = e % shape[i];
    e = Math.floor(e / shape[i]);
  }
  return `[${pos.join(', ')}]`;
}

function stabilitySection(ctx: Ctx, st: StabilityCard): HTMLElement {
  const { t, d, actions } = ctx;
  const shiftField = textfield(
    'stability-shift',
    t('constant k added to every logit'),
    String(st.shift),
    (text, el) => {
      const v = parseUserNumber(text);
      el.invalid = !(Number.isFinite(v) && Math.abs(v) <= 3e38);
      if (!el.invalid) actions.post({ type: 'setShift', shift: v });
    },
    { type: 'text', inputmode: 'decimal' },
  );
  const presets = h(
    'div',
    { class: 'presets' },
    ...[0, 50, 100, 1000].map((k) =>
      button(`shift-${k}`, `k = ${k}`, () => actions.post({ type: 'setShift', shift: k }), { secondary: true }),
    ),
  );
  const rows = st.classIndices.map((c, j) => {
    const cell = (v: number, which: 'x' | 'naiveExp' | 'naiveP' | 'stableP') => {
      const bad = !Number.isFinite(v) || (which === 'naiveP' && v === 0 && st.stableSoftmax[j] !== 0);
      return withTip(
        h('td', { class: bad ? 'num bad' : 'num', tabindex: -1 }, h('span', { class: 'v' }, num(v, d))),
        stabilityTooltip(st, j, which, d, t),
        ctx.ids,
      );
    };
    return h(
      'tr',
      { class: c === ctx.state.sample?.target ? 'target' : null },
      h('th', { scope: 'row' }, String(c)),
      cell(st.shiftedLogits[j], 'x'),
      cell(st.naiveExp[j], 'naiveExp'),
      cell(st.naiveSoftmax[j], 'naiveP'),
      cell(st.stableSoftmax[j], 'stableP'),
    );
  });
  const table = h(
    'table',
    { class: 'stability grid', role: 'grid', 'aria-label': t('Naive against max-shifted softmax in float32') },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, t('class')),
        h('th', { scope: 'col' }, 'x + k'),
        h('th', { scope: 'col' }, 'exp(x + k)'),
        h('th', { scope: 'col' }, t('naive p')),
        h('th', { scope: 'col' }, t('shifted p')),
      ),
    ),
    h('tbody', null, ...rows),
  );
  const failed =
    st.naiveSoftmax.some((v) => !Number.isFinite(v)) ||
    st.overflowCount > 0 ||
    !Number.isFinite(st.naiveSum) ||
    st.naiveSum === 0;
  const verdict = failed
    ? h(
        'p',
        { class: 'verdict bad', role: 'status' },
        st.naiveSum === 0
          ? t(
              'Every exp(x + k) underflows to 0 in float32: the naive softmax is 0/0 = nan. The shifted one is unchanged.',
            )
          : t(
              'Σ exp(x + k) = {0}: {1} of {2} exponentials overflow float32, so the naive softmax breaks. The shifted one is unchanged.',
              num(st.naiveSum, d),
              st.overflowCount,
              ctx.state.sample?.C ?? st.classIndices.length,
            ),
      )
    : h(
        'p',
        { class: 'verdict', role: 'status' },
        t('Σ exp(x + k) = {0} fits in float32: both agree. Try k = 100.', num(st.naiveSum, d)),
      );
  return section(
    ctx,
    'stability',
    t('Stability'),
    t('why torch subtracts the max') + (st.shift !== 0 ? ` · k = ${num(st.shift, 2)}` : ''),
    h(
      'p',
      { class: 'note' },
      t(
        'Softmax does not change when the same constant is added to every logit, but exp(x) overflows float32 beyond x ≈ 88.72. Subtracting the max first keeps every exponent ≤ 0.',
      ),
    ),
    h('div', { class: 'stability-input' }, field(t('constant k added to every logit'), shiftField), presets),
    verdict,
    h('div', { class: 'table-scroll' }, table),
  );
}

function batchSection(ctx: Ctx): HTMLElement {
  const { t, d, ui, actions, state } = ctx;
  const map = state.heatMap;
  if (!map) return h('div');
  const mode = select(
    ctx,
    'heat-mode',
    t('Colour by'),
    [
      ['p', 'p'],
      ['logp', 'log p'],
    ],
    ui.chartMode,
    (v) => actions.setUi({ chartMode: v === 'logp' ? 'logp' : 'p' }, true),
  );
  const view = heatMapView(map, ui.chartMode, state.sample?.element ?? null, ui.heatRow, d, t, {
    select: (e) => actions.post({ type: 'selectSample', element: e }),
    focusRow: (row) => actions.setUi({ heatRow: row }, false),
  });
  return section(
    ctx,
    'batch',
    t('Batch'),
    `${map.count} × ${map.C}`,
    h('div', { class: 'heat-controls' }, field(t('Colour by'), mode)),
    view,
  );
}

/**
 * Keyboard for tables with class "grid": one cell is in the tab order (roving tabindex), the
 * arrow keys, Home and End move between cells that carry a tooltip or an action.
 */
export function installGrids(root: ParentNode): void {
  root.querySelectorAll<HTMLTableElement>('table.grid').forEach((table) => {
    const cells = () => Array.from(table.querySelectorAll<HTMLElement>('td[tabindex]'));
    const all = cells();
    if (all.length === 0) return;
    const current = all.find((c) => c.classList.contains('target')) ?? all[0];
    current.tabIndex = 0;
    table.addEventListener('keydown', (e) => {
      const cell = (e.target as HTMLElement).closest?.('td[tabindex]') as HTMLElement | null;
      if (!cell) return;
      const row = cell.parentElement as HTMLTableRowElement;
      const rowsList = Array.from(table.querySelectorAll('tbody tr')) as HTMLTableRowElement[];
      const r = rowsList.indexOf(row);
      const inRow = (tr: HTMLTableRowElement) => Array.from(tr.querySelectorAll<HTMLElement>('td[tabindex]'));
      const col = inRow(row).indexOf(cell);
      let next: HTMLElement | undefined;
      // Vertical moves keep the class column, also across a row with one spanning cell (Σexp).
      const column = cell.dataset.class ?? table.dataset.column;
      if (cell.dataset.class !== undefined) table.dataset.column = cell.dataset.class;
      const nearest = (tr: HTMLTableRowElement | undefined) => {
        if (!tr) return undefined;
        const list = inRow(tr);
        if (list.length === 0) return undefined;
        return (
          list.find((c) => column !== undefined && c.dataset.class === column) ?? list[Math.min(col, list.length - 1)]
        );
      };
      switch (e.key) {
        case 'ArrowRight':
          next = inRow(row)[col + 1];
          break;
        case 'ArrowLeft':
          next = inRow(row)[col - 1];
          break;
        case 'ArrowDown':
          for (let i = r + 1; i < rowsList.length && !next; i++) next = nearest(rowsList[i]);
          break;
        case 'ArrowUp':
          for (let i = r - 1; i >= 0 && !next; i--) next = nearest(rowsList[i]);
          break;
        case 'Home':
          next = inRow(row)[0];
          break;
        case 'End':
          next = inRow(row)[inRow(row).length - 1];
          break;
        default:
          return;
      }
      e.preventDefault();
      if (!next) return;
      for (const c of cells()) c.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    });
  });
}
