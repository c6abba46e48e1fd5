/**
 * PanelState → DOM. Each render builds anew the parts whose data changed and keeps the others
 * (see {@link keyed}); the sample and reduction sections live in their own files. Only UI
 * choices (open sections, chart mode, the heat map's keyboard row) come from {@link UiState}. Elements are built with createElement/textContent (./dom): names, file
 * names and claim text from documents are always text. The DOM stays small at any size: the
 * step table has at most a page of classes plus the target, the losses a page of samples, and
 * the batch is a canvas.
 */
import {
  type ControlOverrides,
  type DTypeChoice,
  type HeatMap,
  type PairSummary,
  type PanelState,
} from '../src/protocol/webview';
import { drawNewCharts, heatMapFigure, sizeObserver, type HeatMapFigure } from './charts';
import { h, type Child } from './dom';
import { num, parseUserNumber, parseUserNumbers, shapeText } from './format';
import { translator } from './l10n';
import { changedOptions, sameLoss, sameOptions } from './options';
import { originCard, originHeadline } from './origin';
import { emptyState, invalidTargetsBox, placeText, selectionBadge, staleBox } from './notes';
import { TipIds } from './tooltip';
import {
  button,
  group,
  keptElement,
  keptField,
  section,
  select,
  textfield,
  keptSelects,
  patchChildren,
  type Actions,
  type Ctx,
  type KeptPart,
  type UiState,
} from './parts';
import { elementOf, sampleSection, stepTable, stepTableByClass } from './sampleSection';
import { fitStepBox, fitStepLayouts, stepBoxObserver } from './stepFit';
import { noRowsSection, reductionSection, stabilitySection } from './reductionSection';
import { installGrids } from './grids';
import { liveBadge } from './liveSection';

export { defaultUiState, type Actions, type UiState } from './parts';
export { elementOf, fitStepBox, fitStepLayouts, stepTable, stepTableByClass, installGrids };

/** The parts of each panel root, by slot. */
const keptParts = new WeakMap<Node, Map<string, KeptPart>>();
/**
 * Parts of slots the last renders of each root left empty, by slot and key, least recently left
 * out first: a pair shown again (back from a single sample, which has no heat map) takes its heat
 * map section back as it was, canvas drawn, instead of building and laying it out again.
 */
const retiredParts = new WeakMap<Node, Map<string, KeptPart>>();
const keptRetired = 4;

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
  const retiredKey = `${slot}\n${key}`;
  const part = prev && prev.key === key ? prev : ctx.retired.get(retiredKey);
  if (part) {
    if (part !== prev) {
      ctx.retired.delete(retiredKey);
      ctx.reinstated.add(part.node);
    }
    for (const [id, kept] of ctx.selects) if (part.node.contains(kept.el)) ctx.used.add(id);
    ctx.next.set(slot, part);
    return part.node;
  }
  const node = build();
  ctx.next.set(slot, { key, node });
  return node;
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
  let retired = retiredParts.get(root);
  if (!retired) retiredParts.set(root, (retired = new Map()));
  const ctx: Ctx = {
    selects,
    used: new Set(),
    parts,
    next: new Map(),
    retired,
    reinstated: new Set(),
    state,
    ui,
    actions,
    t: translator(state.locale),
    d: state.decimals,
    ids: new TipIds(),
  };
  // Only when it changes: writing the attribute invalidates the style of the whole page.
  if (document.documentElement.lang !== state.locale) document.documentElement.lang = state.locale;
  const pair = state.pair;
  const common = [state.locale, state.decimals];
  const r = state.reduction;
  // The header changes with the pair, its options and totals, not with the sample on show.
  const headerKey = JSON.stringify([
    common,
    document.body.dataset.surface ?? '',
    state.documentLabel,
    state.status,
    state.error,
    state.pairs,
    state.selectedPairId,
    state.live ?? null,
    state.stale,
    state.invalidTargets ?? null,
    pair,
    r ? [r.reduction, r.count, r.dtype, r.float32, r.float64] : null,
  ]);
  const shown: Child[] = [keyed(ctx, 'header', headerKey, () => header(ctx))];
  if (state.pairs.length === 0 && state.status !== 'computing') shown.push(emptyState(state, ctx.t));
  if (pair) {
    if (!pair.origin || pair.origin.torchSteps) {
      const key = JSON.stringify([common, pair, ui.open.controls]);
      shown.push(keyed(ctx, 'controls', key, () => controls(ctx, pair)));
    }
    if (state.sample) shown.push(sampleSection(ctx, pair, state.sample));
    // No rows (N = 0 or a zero d_i): no sample and no losses to list, torch's reduction of nothing.
    if (state.reduction && pair.N * pair.S === 0) shown.push(noRowsSection(ctx, pair, state.reduction));
    else if (state.reduction) shown.push(reductionSection(ctx, pair, state.reduction));
    if (state.stability) shown.push(stabilitySection(ctx, state.stability));
    if (state.heatMap) {
      // The map is the same object while it is the same (the webview keeps what the host sent once).
      // The selected sample is not in the key: its row's outline moves on the kept canvas.
      const key = JSON.stringify([common, heatMapNumber(state.heatMap), ui.chartMode, ui.open.batch]);
      shown.push(keyed(ctx, 'batch', key, () => batchSection(ctx)));
    }
  }
  const nodes = shown.filter((p): p is HTMLElement => p instanceof HTMLElement);
  const kept = new Set<Node>();
  for (const [slot, part] of ctx.next)
    if (parts.get(slot) === part || ctx.reinstated.has(part.node)) kept.add(part.node);
  patchChildren(root, nodes);
  // A part taken back whole left the size observers when it left the page (they drop detached
  // nodes): observed again, a side bar resized meanwhile redraws its charts and refits its steps
  // (a heat map drawn 535 px wide stayed so in a 300 px side bar and scrolled the page sideways).
  for (const node of ctx.reinstated) {
    if (!(node instanceof HTMLElement) || !node.isConnected) continue;
    node.querySelectorAll<HTMLElement>('.redrawable').forEach((el) => sizeObserver?.observe(el));
    node.querySelectorAll<HTMLElement>('.steps-box').forEach((el) => stepBoxObserver?.observe(el));
  }
  root.classList.toggle('is-stale', !!state.stale && state.pair !== null);
  for (const [slot, part] of parts) {
    // Only a slot this render leaves empty: a part built anew in its slot took the old one's kept
    // controls (the section itself, selects, buttons), so the old node is no longer whole.
    if (ctx.next.has(slot)) continue;
    retired.set(`${slot}\n${part.key}`, part);
    while (retired.size > keptRetired) retired.delete(retired.keys().next().value!);
  }
  // A retired part's controls are not lent to other parts: it comes back whole, or not at all.
  for (const id of selects.keys()) if (!ctx.used.has(id)) selects.delete(id);
  keptParts.set(root, ctx.next);
  for (const node of nodes) {
    if (kept.has(node)) continue;
    installGrids(node);
    fitStepLayouts(node);
    // Canvases need their laid-out width, so they draw once they are in the document.
    if (root.isConnected) drawNewCharts(node);
  }
  // After the layout above: the kept heat map outlines the selected sample's row.
  const heat = ctx.next.get('batch')?.node.querySelector<HeatMapFigure>('.chart.heat');
  heat?.selectElement?.(state.sample?.element ?? null);
}

function header(ctx: Ctx): HTMLElement {
  const { state, t } = ctx;
  const status = state.status === 'computing' ? t('Computing…') : state.status === 'error' ? t('Error') : '';
  const inEditor = document.body.dataset.surface === 'editor';
  // The file's name and the status share one box beside the button: in a narrow side bar the
  // status goes under the name, and the button stays where it is (see .doc-title in panel.css).
  // Kept, with the header (see group): its button is not moved into a new box on each change.
  const top = group(
    ctx,
    'doc-line',
    { class: 'doc-line' },
    h(
      'span',
      { class: 'doc-title' },
      state.documentLabel ? h('span', { class: 'doc-label', title: state.documentLabel }, state.documentLabel) : null,
      status ? h('span', { class: `status status-${state.status}`, role: 'status' }, status) : null,
    ),
    inEditor || state.pairs.length === 0
      ? null
      : button(ctx, 'open-in-editor', t('Open in Editor Area'), () => ctx.actions.post({ type: 'openInEditor' }), {
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
      // Its new value is set after the numbers are painted: the numbers are what the user waits for.
      true,
    );
    const reveal =
      state.selectedPairId === null
        ? null
        : button(
            ctx,
            'reveal',
            t('Go to code'),
            () => ctx.actions.post({ type: 'revealInEditor', id: state.selectedPairId as number }),
            { secondary: true },
          );
    // Kept wrappers: a control moved into a new one is connected again, and each select then lays the page out.
    parts.push(group(ctx, 'pair-row', { class: 'pair-row' }, keptField(ctx, t('Pair'), picker), reveal));
  }
  if (state.stale && state.pair) parts.push(staleBox(state.stale, t));
  if (state.error) parts.push(h('div', { class: 'error-box', role: 'alert' }, state.error));
  if (state.invalidTargets && state.pair) parts.push(invalidTargetsBox(state.invalidTargets, state.pair.lossShape, t));
  if (state.pair) parts.push(summary(ctx, state.pair));
  return keptElement(ctx, 'header', 'header', { class: 'panel-header' }, ...parts);
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

function summary(ctx: Ctx, pair: PairSummary): HTMLElement {
  const { t, state } = ctx;
  const o = pair.options;
  const facts: string[] = [
    `${pair.logitsName ?? t('logits')} ${shapeText(pair.inputShape)}`,
    targetFact(ctx, pair),
    o.dtype,
    `reduction='${o.reduction}'`,
  ];
  const differ = !sameLoss(o, pair.codeOptions);
  // A formula's or another library's pair with the code's options is not torch's NLLLoss: the card
  // below names the torch loss its steps are compared with.
  if (o.inputKind === 'log_probs' && (!pair.origin || differ)) facts.push('NLLLoss');
  const lines: Child[] = [h('p', { class: 'facts' }, facts.join(' · '))];
  const r = state.reduction;
  const main = r ? (r.dtype === 'float64' ? r.float64 : r.float32) : null;
  const userPrint = main ? main.torchPrint.split('\n')[0] + (main.torchPrint.includes('\n') ? ' …' : '') : null;
  // Another library's call (or a numpy formula) is named as the code wrote it, while the options are the code's.
  const origin = pair.origin && (!differ || !pair.origin.torchSteps) ? pair.origin : null;
  // A loss taken to be torch's though the file does not import it: the mark beside its name, the reason below.
  const assumed = pair.assumedTorch
    ? h(
        'span',
        { class: 'assumed-torch', id: 'assumed-torch', title: pair.assumedTorch.reason },
        pair.assumedTorch.mark,
      )
    : null;
  if (origin) lines.push(originHeadline(origin, t, ctx.d, assumed));
  else if (r && main) {
    const title = o.inputKind === 'log_probs' ? 'NLLLoss' : 'CrossEntropyLoss';
    // A 0-d result (one unbatched row under 'none') is one number, as torch prints it; its sum is that number.
    const value =
      r.reduction === 'none' && pair.lossShape.length > 0 ? t('{0} losses', r.count) : num(main.loss, ctx.d);
    lines.push(
      h(
        'p',
        { class: 'headline' },
        `${title}`,
        assumed ? ' ' : null,
        assumed,
        ' = ',
        h('strong', { id: 'headline-loss' }, value),
        ' ',
        h('code', { class: 'torch-print' }, userPrint),
        differ ? h('span', { class: 'changed' }, ` ${t('with your options')}`) : null,
      ),
    );
  }
  if (pair.assumedTorch)
    lines.push(h('p', { class: 'note assumed-torch-reason', id: 'assumed-torch-reason' }, pair.assumedTorch.reason));
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
    ctx,
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
    ctx,
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
    ctx,
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
    ctx,
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
    // The wrappers are kept with the controls (see keptField): rebuilt, they moved every control into
    // a new one, and each moved select forced a layout of the page as it connected again (50 ms a
    // reduction change under load, in the real VS Code's profile).
    group(
      ctx,
      'controls',
      { class: 'controls' },
      keptField(ctx, 'reduction', reduction, changed(o.reduction, code.reduction)),
      keptField(ctx, 'dtype', dtype, changed(o.dtype, code.dtype)),
      keptField(ctx, 'label_smoothing', smoothing, changed(o.labelSmoothing, code.labelSmoothing)),
      keptField(ctx, 'ignore_index', ignore, changed(o.ignoreIndex, code.ignoreIndex)),
      // Not editable: either the code's weight is too long to edit here, or C is too large for one.
      keptField(
        ctx,
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
      keptField(ctx, t('input'), inputKind, changed(o.inputKind, code.inputKind)),
      group(ctx, 'ctl-actions', { class: 'field field-actions' }, reset),
    ),
  );
}

function batchSection(ctx: Ctx): HTMLElement {
  const { t, ui, actions, state } = ctx;
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
  const view = batchFigure(state, map, ui, actions, t);
  return section(
    ctx,
    'batch',
    t('Batch'),
    `${map.count} × ${map.C}`,
    group(ctx, 'heat-controls', { class: 'heat-controls' }, keptField(ctx, t('Colour by'), mode)),
    view,
  );
}

/** The heat map's figure of `state`: a map shown a moment ago, or drawn ahead, comes back as drawn (see heatMapFigure). */
function batchFigure(
  state: PanelState,
  map: HeatMap,
  ui: UiState,
  actions: Actions,
  t: ReturnType<typeof translator>,
): HeatMapFigure {
  const d = state.decimals;
  const figureKey = JSON.stringify([state.locale, d, ui.chartMode]);
  return heatMapFigure(figureKey, map, ui.chartMode, state.sample?.element ?? null, ui.heatRow, d, t, {
    select: (e) => actions.post({ type: 'selectSample', element: e }),
    focusRow: (row) => actions.setUi({ heatRow: row }, false),
  });
}

/**
 * Builds and draws, off the page, the heat map figure of a snapshot kept to show later (another
 * dtype's map, made ahead: webview/aheads.ts), so that showing it takes the figure as drawn.
 */
export function drawHeatMapAhead(state: PanelState, ui: UiState, actions: Actions): void {
  if (state.heatMap) batchFigure(state, state.heatMap, ui, actions, translator(state.locale));
}
