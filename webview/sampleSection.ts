/**
 * The sample's section: the sample and class pagers, the step table (one column per shown class,
 * or classes as rows when the width asks for it) and its chart.
 */
import { classPageSize, type PairSummary, type SampleView } from '../src/protocol/webview';
import { patchSoftmaxChart, softmaxChart } from './softmaxChart';
import { h, type Child } from './dom';
import { num, parseUserNumber } from './format';
import {
  hiddenTooltip,
  sampleLossText,
  sampleLossTooltip,
  stepRowSpecs,
  stepTooltip,
  type StepRowSpec,
} from './formulas';
import { invalidSampleNote } from './notes';
import { withTip } from './tooltip';
import { hideStep, keptFitIsRows, type StepsBox } from './stepFit';
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
  const rowsReused = keptFitIsRows(fitKey);
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

/** The softmax chart of each panel root (by its kept controls) with what it shows, as text. */
const keptCharts = new WeakMap<Ctx['selects'], { key: string; figure: HTMLElement }>();

/**
 * The softmax chart of `s`: the previous render's while it shows the same (another reduction or ε
 * leaves p as it is), patched to show `s` when it shows another sample (./softmaxChart), else a
 * new one.
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
  if (
    kept &&
    ctx.selects.get('sec-sample')?.el.contains(kept.figure) &&
    (kept.key === key || patchSoftmaxChart(kept.figure, s, ctx.d, ctx.t))
  ) {
    kept.key = key;
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
