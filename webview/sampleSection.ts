/**
 * The sample's section: the sample and class pagers, the step table (one column per shown class,
 * or classes as rows when the width asks for it) and its chart.
 */
import { classPageSize, type PairSummary, type SampleView } from '../src/protocol/webview';
import { softmaxChart } from './charts';
import { h, type Child } from './dom';
import { num, parseUserNumber } from './format';
import {
  hiddenTooltip,
  sampleLossText,
  sampleLossTooltip,
  stepRowSpecs,
  stepTooltip,
  type StepKind,
  type StepRowSpec,
} from './formulas';
import { invalidSampleNote } from './notes';
import { withTip } from './tooltip';
import { installGrids } from './grids';
import { patchTable } from './tablePatch';
import { button, group, keptField, section, textfield, type Ctx } from './parts';

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
      ctx,
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
    return keptField(ctx, `${names[i]} (0–${size - 1})`, tf);
  });
  return group(
    ctx,
    'sample-picker',
    { class: 'sample-picker' },
    ...fields,
    button(
      ctx,
      'sample-prev',
      '‹',
      () => go(s.element - 1),
      s.element <= 0
        ? { secondary: true, disabled: true, 'aria-label': t('Previous sample') }
        : { secondary: true, 'aria-label': t('Previous sample') },
    ),
    button(
      ctx,
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
  return group(
    ctx,
    'class-pager',
    { class: 'class-pager' },
    h('span', { class: 'pager-label', 'aria-live': 'polite' }, label),
    button(
      ctx,
      'classes-top',
      t('Top {0}', size),
      () => go(null),
      start === null ? { secondary: true, disabled: true } : { secondary: true },
    ),
    button(
      ctx,
      'classes-prev',
      '‹',
      () => go(start === null ? 0 : start - size),
      start === null || start <= 0
        ? { secondary: true, disabled: true, 'aria-label': t('Previous classes') }
        : { secondary: true, 'aria-label': t('Previous classes') },
    ),
    button(
      ctx,
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
 * The step columns in `omit` (a kept fit's dropped ones) get their hidden header only, no cells:
 * at a side bar's width that is most of the table, built only to be hidden.
 */
export function stepTableByClass(ctx: Ctx, s: SampleView, omit?: ReadonlySet<string>): HTMLTableElement {
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
      if (omit?.has(spec.kind)) continue;
      const cell = h(
        'td',
        { class: isTarget ? 'num target' : 'num', tabindex: -1, 'data-step': spec.kind, 'data-class': c },
        h('span', { class: 'v' }, num(spec.values[j], d)),
      );
      cells.push(withTip(cell, stepTooltip(s, spec.kind, j, d, t), ids));
    }
    return h('tr', { class: isTarget ? 'target' : null }, ...cells);
  });
  const table = h(
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
  if (omit?.size) {
    table.dataset.omitted = [...omit].join(' ');
    for (const kind of omit) hideStep(table, kind);
  }
  return table;
}

/**
 * A box holding the step table: the one-column-per-class layout and the classes-as-rows one, each
 * built when a fit asks for it.
 */
type StepsBox = HTMLElement & {
  buildNarrow?: (omit?: ReadonlySet<string>) => HTMLElement;
  buildWide?: () => HTMLElement;
};

/** The steps box of each panel root (by its kept controls), patched while its fit key is the same. */
const keptBoxes = new WeakMap<Ctx['selects'], StepsBox>();

function stepsBox(ctx: Ctx, s: SampleView): HTMLElement {
  const { t, d } = ctx;
  // What the layout depends on besides the numbers: the next sample of the same pair starts
  // from this box's fit (see fitStepLayouts).
  const fitKey = JSON.stringify([
    stepRowSpecs(s, t).map((spec) => spec.kind),
    s.classIndices.length,
    s.C,
    d,
    ctx.state.locale,
  ]);
  // The next sample of a pair laid out as rows reuses that fit (fitStepLayouts): its wide table
  // would only be built to be hidden (5–15 ms for a page of 20 classes), so it waits for a refit.
  const rowsReused = !!stepBoxObserver && fits.get(fitKey)?.layout === 'rows';
  const box: StepsBox = h('div', { class: 'steps-box', 'data-fit-key': fitKey });
  const sumNote = () =>
    s.sumExp !== null
      ? h('p', { class: 'note sum-exp' }, `Σexp = ${num(s.sumExp, d)} · logsumexp = ${num(s.logSumExp, d)}`)
      : null;
  const kept = keptBoxes.get(ctx.selects);
  if (kept && patchStepsBox(ctx, kept, fitKey, s, sumNote())) {
    kept.buildWide = () => h('div', { class: 'table-scroll wide-layout' }, stepTable(ctx, s));
    kept.buildNarrow = (omit) => narrowBox(ctx, s, omit, sumNote());
    return kept;
  }
  keptBoxes.set(ctx.selects, box);
  box.buildWide = () => h('div', { class: 'table-scroll wide-layout' }, stepTable(ctx, s));
  if (!rowsReused) box.appendChild(box.buildWide());
  box.buildNarrow = (omit) => narrowBox(ctx, s, omit, sumNote());
  return box;
}

function narrowBox(ctx: Ctx, s: SampleView, omit: ReadonlySet<string> | undefined, sumNote: Child): HTMLElement {
  return h(
    'div',
    { class: 'narrow-layout' },
    h('div', { class: 'table-scroll' }, stepTableByClass(ctx, s, omit)),
    sumNote,
    h('p', {
      class: 'note dropped-steps',
      hidden: true,
      'data-template': ctx.t(
        'Not shown at this width: {0}. Hover a value for its formula, or open the view in the editor area.',
      ),
    }),
  );
}

/**
 * Writes sample `s` into the steps box `box` of the previous render when it has the same fit key
 * and is still in the sample section: its shown table is patched in place (./tablePatch), the
 * other layout (hidden, built for the previous sample) is dropped, to be built again by a refit.
 * A sample change then changes text in the cells the browser has laid out already, instead of
 * adding a new table to style and lay out. False, with `box` as it was, when it cannot.
 */
function patchStepsBox(ctx: Ctx, box: StepsBox, fitKey: string, s: SampleView, sumNote: HTMLElement | null): boolean {
  const section = ctx.selects.get('sec-sample')?.el;
  if (!section?.contains(box) || box.dataset.fitKey !== fitKey || box.dataset.patched) return false;
  const wide = box.querySelector<HTMLElement>('.wide-layout');
  const narrow = box.querySelector<HTMLElement>('.narrow-layout');
  if (box.dataset.layout === 'columns' && wide && !wide.hidden) {
    const table = wide.querySelector('table');
    if (!table || !patchTable(table, stepTable(ctx, s))) return false;
    narrow?.remove();
  } else if (box.dataset.layout === 'rows' && narrow && !narrow.hidden) {
    const table = narrow.querySelector<HTMLElement>('table');
    const note = narrow.querySelector<HTMLElement>('.sum-exp');
    if (!table || !!note !== !!sumNote) return false;
    const omitted = table.dataset.omitted ? new Set(table.dataset.omitted.split(' ')) : undefined;
    if (!patchTable(table, stepTableByClass(ctx, s, omitted))) return false;
    if (note && sumNote && note.textContent !== sumNote.textContent) note.textContent = sumNote.textContent;
    wide?.remove();
  } else return false;
  // fitStepLayouts has the size observer check the kept fit once the browser has laid it out.
  box.dataset.patched = '1';
  return true;
}

/** How a steps box was last laid out, for the next box of the same pair (see {@link fitStepLayouts}). */
interface StepFit {
  /** The box's `data-fit-key`: the step kinds, shown classes, decimals and locale. */
  key: string;
  /** The box's width it was fitted to. */
  width: number;
  layout: 'columns' | 'rows';
  /** The class column's tags go under the class number. */
  stacked: boolean;
  /** The step columns given up, in the order of {@link byClassKeep}. */
  dropped: string[];
}

/**
 * The last fits, by `data-fit-key`, least recently used first: going back to a pair shown a moment
 * ago (a CodeLens, the pair picker) takes its fit too, instead of measuring the page again.
 */
const fits = new Map<string, StepFit>();
const keptFits = 8;

function rememberFit(fit: StepFit): void {
  fits.delete(fit.key);
  fits.set(fit.key, fit);
  while (fits.size > keptFits) fits.delete(fits.keys().next().value!);
}

/**
 * Picks the step table's layout for the width it has: one column per class while that fits,
 * else classes as rows, giving up the least needed step columns (named under the table) until
 * the rest fits. Runs after every render and whenever the box's width changes.
 *
 * Measuring lays the panel out, three or four times per fit (30–150 ms on a loaded machine). A
 * box with the same fit key as one fitted lately (the next sample, another reduction, a pair shown
 * again) takes that fit as it is, without reading any size; the size observer checks it once the
 * browser has laid the page out anyway (no extra layout), and fits the box anew only if its
 * table overflows or the width differs. The columns then stay put while samples are paged.
 */
export function fitStepLayouts(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>('.steps-box').forEach((box) => {
    if (box.dataset.patched) {
      // A box patched with its fit in place: checked by the size observer once laid out, like a reused fit.
      delete box.dataset.patched;
      box.dataset.fittedWidth = '';
      box.dataset.fitReused = '1';
      // Observed anew, so that the observer reports its size once more.
      stepBoxObserver?.unobserve(box);
    } else if (!reuseFit(box)) fitStepBox(box);
    stepBoxObserver?.observe(box);
  });
}

/** Lays `box` out as the kept fit of its key did; false when there is none or it cannot. */
function reuseFit(box: StepsBox): boolean {
  const fit = fits.get(box.dataset.fitKey ?? '');
  // Without an observer nothing would check the fit later.
  if (!stepBoxObserver || !fit) return false;
  const wide = box.querySelector<HTMLElement>('.wide-layout');
  if (fit.layout === 'columns') {
    if (!wide) return false;
    wide.hidden = false;
    box.dataset.layout = 'columns';
  } else {
    // The columns this fit drops are not built (a refit, which measures them, builds them all).
    const narrow = narrowLayout(box, new Set(fit.dropped));
    const byClass = narrow?.querySelector<HTMLElement>('table');
    if (!narrow || !byClass) return false;
    if (wide) wide.hidden = true;
    narrow.hidden = false;
    box.dataset.layout = 'rows';
    byClass.classList.toggle('stacked-tags', fit.stacked);
    for (const kind of fit.dropped) hideStep(byClass, kind);
    nameDropped(byClass, narrow, new Set(fit.dropped));
  }
  // Checked by the size observer once laid out: an empty width never equals the box's.
  box.dataset.fittedWidth = '';
  box.dataset.fitReused = '1';
  return true;
}

/** Whether the reused fit of `box` still holds: same width, and its table does not overflow (layout is clean here). */
function reusedFitHolds(box: HTMLElement): boolean {
  const fit = fits.get(box.dataset.fitKey ?? '');
  if (!fit || fit.width !== box.clientWidth) return false;
  const shown = box.querySelector<HTMLElement>(fit.layout === 'columns' ? '.wide-layout' : '.narrow-layout');
  const table = shown?.querySelector('table');
  return !!table && table.scrollWidth <= tableRoom(box) + 1;
}

/** The room for a table: the box's width less its padding (it is a section's padded child). */
function tableRoom(box: HTMLElement): number {
  const style = typeof getComputedStyle === 'function' ? getComputedStyle(box) : null;
  const padding = style ? (parseFloat(style.paddingLeft) || 0) + (parseFloat(style.paddingRight) || 0) : 0;
  return box.clientWidth - padding;
}

/** The one-column-per-class layout of `box`, built on first use (first in the box). */
function wideLayout(box: StepsBox): HTMLElement | null {
  let wide = box.querySelector<HTMLElement>('.wide-layout');
  if (!wide && box.buildWide) {
    wide = box.buildWide();
    box.prepend(wide);
    installGrids(wide);
  }
  return wide;
}

/**
 * The classes-as-rows layout of `box`, built on first use without the step columns in `omit`.
 * Without `omit` (a fit that measures them all) one built without some columns is built again whole.
 */
function narrowLayout(box: StepsBox, omit?: ReadonlySet<string>): HTMLElement | null {
  let narrow = box.querySelector<HTMLElement>('.narrow-layout');
  if (narrow && !omit && narrow.querySelector('table[data-omitted]') && box.buildNarrow) {
    narrow.remove();
    narrow = null;
  }
  if (!narrow && box.buildNarrow) {
    narrow = box.buildNarrow(omit);
    box.appendChild(narrow);
    installGrids(narrow);
  }
  return narrow;
}

function hideStep(byClass: HTMLElement, kind: string): void {
  byClass.querySelectorAll<HTMLElement>(`[data-step="${kind}"]`).forEach((el) => (el.hidden = true));
}

/** Names the dropped step columns under the table, in the table's own order. */
function nameDropped(byClass: HTMLElement, narrow: HTMLElement, dropped: ReadonlySet<string>): void {
  const note = narrow.querySelector<HTMLElement>('.dropped-steps');
  if (!note) return;
  const labels = Array.from(byClass.querySelectorAll<HTMLElement>('thead th[data-step]'))
    .filter((th) => dropped.has(th.dataset.step!))
    .map((th) => th.textContent ?? '');
  note.hidden = labels.length === 0;
  note.textContent = labels.length ? (note.dataset.template ?? '{0}').replace('{0}', labels.join(', ')) : '';
}

/** Lays out one steps box for its current width (see {@link fitStepLayouts}). */
export function fitStepBox(box: StepsBox): void {
  const wide = wideLayout(box);
  if (!wide) return;
  const boxWidth = box.clientWidth;
  box.dataset.fittedWidth = String(boxWidth);
  delete box.dataset.fitReused;
  // No layout (a hidden view, or a test's DOM without one): keep the wide table.
  if (boxWidth === 0) return;
  const width = tableRoom(box);
  let narrow = box.querySelector<HTMLElement>('.narrow-layout');
  wide.hidden = false;
  if (narrow) narrow.hidden = true;
  const table = wide.querySelector('table');
  const key = box.dataset.fitKey ?? '';
  if (!table || table.scrollWidth <= width + 1) {
    box.dataset.layout = 'columns';
    rememberFit({ key, width: boxWidth, layout: 'columns', stacked: false, dropped: [] });
    return;
  }
  narrow = narrowLayout(box);
  if (!narrow) return;
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
  // The class column's "target" and "predicted" tags go under the class number before any step
  // column is given up (a sample whose target is also the prediction is the widest row).
  byClass.classList.remove('stacked-tags');
  if (byClass.scrollWidth > width + 1) byClass.classList.add('stacked-tags');
  const dropped = new Set<string>();
  const drop = (kind: string) => {
    hideStep(byClass, kind);
    dropped.add(kind);
  };
  let excess = byClass.scrollWidth - (width + 1);
  let i = order.length - 1;
  if (excess > 0) {
    // The columns' widths come from one layout: a dropped column gives its width back (the
    // borders collapse), so the columns to drop are counted rather than tried one at a time,
    // where each try laid the whole panel out again.
    const widths = order.map(
      (kind) => byClass.querySelector(`thead th[data-step="${kind}"]`)?.getBoundingClientRect().width ?? 0,
    );
    // A width of 0 was not measured (no layout): those go one at a time below.
    for (; i >= 3 && excess > 0 && widths[i]! > 0; i--) {
      drop(order[i]!);
      excess -= widths[i]!;
    }
  }
  // Should the widths not add up, the rest go one at a time as measured.
  for (; i >= 3 && byClass.scrollWidth > width + 1; i--) drop(order[i]!);
  nameDropped(byClass, narrow, dropped);
  // The dropped columns' cells go (their headers stay, hidden): as a table built for this fit has them.
  if (dropped.size) {
    for (const kind of dropped) byClass.querySelectorAll(`td[data-step="${kind}"]`).forEach((td) => td.remove());
    byClass.dataset.omitted = [...dropped].join(' ');
  }
  rememberFit({
    key,
    width: boxWidth,
    layout: 'rows',
    stacked: byClass.classList.contains('stacked-tags'),
    dropped: [...dropped],
  });
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
          if (String(box.clientWidth) === box.dataset.fittedWidth) continue;
          // A reused fit (see fitStepLayouts) is checked here, where the page is laid out already.
          if (box.dataset.fitReused && reusedFitHolds(box)) {
            box.dataset.fittedWidth = String(box.clientWidth);
            delete box.dataset.fitReused;
          } else fitStepBox(box);
        }
      });

/** The softmax chart of each panel root (by its kept controls) with what it shows, as text. */
const keptCharts = new WeakMap<Ctx['selects'], { key: string; figure: HTMLElement }>();

/**
 * The softmax chart of `s`: the previous render's while it shows the same (another reduction or ε
 * leaves p as it is), else a new one.
 */
function keptChart(ctx: Ctx, s: SampleView): HTMLElement {
  const key = JSON.stringify([
    ctx.state.locale,
    ctx.d,
    s.element,
    s.C,
    s.classIndices,
    s.softmax,
    s.hiddenSoftmax,
    s.target,
    s.predicted ?? null,
  ]);
  const kept = keptCharts.get(ctx.selects);
  if (kept && kept.key === key && ctx.selects.get('sec-sample')?.el.contains(kept.figure)) {
    // Drawn for its width already (the size observer redraws it when that changes): not again after this render.
    kept.figure.dataset.drawnAhead = '1';
    return kept.figure;
  }
  const figure = softmaxChart(s, ctx.d, ctx.t);
  keptCharts.set(ctx.selects, { key, figure });
  return figure;
}

/**
 * How a sample is named: its 0-based index as torch indexes it, with a 1-based count so that the
 * two never mix ("sample 1 (2 of 2)"); a single sample is "the sample".
 */
export function sampleName(ctx: Ctx, s: SampleView): string {
  const { t, state } = ctx;
  const pair = state.pair;
  const total = pair ? pair.N * pair.S : 1;
  if (total <= 1) return t('the sample');
  // A batch of shape (N,) indexes its samples with one number; (N, d1, …) with a position.
  const where = s.position.length > 1 ? `[${s.position.join(', ')}]` : String(s.element);
  return t('sample {0} ({1} of {2})', where, s.element + 1, total);
}

export function sampleSection(ctx: Ctx, pair: PairSummary, s: SampleView): HTMLElement {
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
  const copy = group(
    ctx,
    'copy-row',
    { class: 'copy-row' },
    button(ctx, 'copy-markdown', t('Copy Markdown'), () => actions.post({ type: 'copy', kind: 'markdown' }), {
      secondary: true,
    }),
    button(ctx, 'copy-csv', t('Copy CSV'), () => actions.post({ type: 'copy', kind: 'csv' }), { secondary: true }),
    pair.origin && !pair.origin.pytorch
      ? null
      : button(ctx, 'copy-pytorch', t('Copy PyTorch'), () => actions.post({ type: 'copy', kind: 'pytorch' }), {
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
    keptChart(ctx, s),
    copy,
  );
}
