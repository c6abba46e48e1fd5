/** The reduction card (every sample's loss, the totals in both dtypes) and the stability card. */
import { type PairSummary, type ReductionCard, type StabilityCard } from '../src/protocol/webview';
import { h, type Child } from './dom';
import { count, num, parseUserNumber, shapeText } from './format';
import { denominatorText, reductionFormula, reductionTooltip, stabilityTooltip } from './formulas';
import { invalidLossText } from './notes';
import { withTip } from './tooltip';
import { button, field, section, sectionDefaults, textfield, type Ctx } from './parts';

/**
 * The body of the reduction card of each panel root (by its kept controls): the whole body for
 * its card's key; the losses' part (pager, table, note) for the key of its rows, with the rows by
 * element and each loss's value node, which another dtype or ε changes in place.
 */
interface KeptBody {
  key: string;
  nodes: Child[];
  lossesKey: string;
  lossNodes: Child[];
  rows: Map<number, HTMLElement>;
  values: Text[];
}
const keptBodies = new WeakMap<Ctx['selects'], KeptBody>();

/** Marks the row of sample `selected` (and no other) as the selected one. */
function markSelected(rows: Map<number, HTMLElement>, selected: number): void {
  for (const [e, tr] of rows) {
    const is = e === selected;
    if (tr.classList.contains('selected') !== is) tr.classList.toggle('selected', is);
    const aria = is ? 'true' : 'false';
    if (tr.getAttribute('aria-selected') !== aria) tr.setAttribute('aria-selected', aria);
  }
}

/**
 * The reduction card: each sample's loss (a page of them), how they reduce, torch's print in each
 * dtype. Nothing in it but the selected row depends on the sample on show: a sample change keeps
 * the body built for the same card and moves the selection. Another reduction keeps the losses'
 * table as it is, another dtype or ε writes its new values into it: only the totals are built anew.
 */
/**
 * In place of the step table and the reduction card when the batch has no rows (N = 0 or a zero
 * d_i): there is no sample to show and no loss to add up, yet torch computes the call; the card
 * says what it gives under each reduction and what it prints under the chosen one.
 */
export function noRowsSection(ctx: Ctx, pair: PairSummary, r: ReductionCard): HTMLElement {
  const t = ctx.t;
  const tot = r.dtype === 'float64' ? r.float64 : r.float32;
  const meaning =
    r.reduction === 'mean'
      ? t('The mean divides a sum of nothing by a count of nothing: 0 / 0 = nan.')
      : r.reduction === 'sum'
        ? t('The sum of no losses is 0.')
        : t("reduction='none' gives one loss per sample: here an empty tensor.");
  return section(
    ctx,
    'no-rows',
    t('No rows'),
    `${r.reduction} · ${shapeText(pair.inputShape)}`,
    h(
      'p',
      { class: 'no-rows', role: 'status' },
      t(
        'The input {0} has no rows: there is no sample to take a loss of, so there are no steps to show. torch still computes the call.',
        shapeText(pair.inputShape),
      ),
    ),
    h('p', { class: 'no-rows-reduction' }, meaning),
    tot ? h('p', { class: 'no-rows-print' }, `${t('what torch prints')}: `, h('code', null, tot.torchPrint)) : null,
  );
}

export function reductionSection(ctx: Ctx, pair: PairSummary, r: ReductionCard): HTMLElement {
  const selected = ctx.state.sample?.element ?? -1;
  const key = JSON.stringify([ctx.state.locale, ctx.d, pair, r]);
  const lossesKey = JSON.stringify([
    ctx.state.locale,
    ctx.d,
    pair.lossShape,
    r.offset,
    r.count,
    r.pageSize,
    r.losses.length,
    r.ignored,
    r.invalid ?? null,
  ]);
  const heading = ctx.t('Reduction');
  const description = `${r.reduction} · ${r.count} ${r.count === 1 ? ctx.t('sample') : ctx.t('samples')}`;
  const kept = keptBodies.get(ctx.selects);
  const section0 = ctx.selects.get('sec-reduction');
  // Only inside the same section (a rebuilt section starts with a new body).
  const inSection = (nodes: Child[]) =>
    !!section0 && section0.key === heading && nodes.every((n) => !(n instanceof Node) || section0.el.contains(n));
  const useControls = (nodes: Child[]) => {
    for (const [id, c] of ctx.selects) if (nodes.some((n) => n instanceof Node && n.contains(c.el))) ctx.used.add(id);
  };
  if (kept && kept.key === key && inSection(kept.nodes)) {
    useControls(kept.nodes);
    markSelected(kept.rows, selected);
    return section(ctx, 'reduction', heading, description, ...kept.nodes);
  }
  let body: KeptBody;
  if (kept && kept.lossesKey === lossesKey && inSection(kept.lossNodes)) {
    useControls(kept.lossNodes);
    r.losses.forEach((l, i) => {
      const text = lossText(ctx, r, i, l);
      const node = kept.values[i];
      if (node && node.data !== text) node.data = text;
    });
    body = { ...kept, key, nodes: [...kept.lossNodes, ...totalsPart(ctx, pair, r)] };
  } else {
    const rows = new Map<number, HTMLElement>();
    const values: Text[] = [];
    const lossNodes = lossesPart(ctx, pair, r, rows, values);
    body = { key, lossesKey, lossNodes, rows, values, nodes: [...lossNodes, ...totalsPart(ctx, pair, r)] };
  }
  markSelected(body.rows, selected);
  keptBodies.set(ctx.selects, body);
  return section(ctx, 'reduction', heading, description, ...body.nodes);
}

/** What the losses' table shows for the page's `i`th sample, whose loss is `l`. */
function lossText(ctx: Ctx, r: ReductionCard, i: number, l: number): string {
  if (r.invalid?.[i]) return invalidLossText(ctx.t);
  return r.ignored[i] ? `${num(l, ctx.d)} (${ctx.t('ignored')})` : num(l, ctx.d);
}

/** The losses' pager, table and ignored note; `rowsOut` gets the rows by element, `valuesOut` each loss's text node. */
function lossesPart(
  ctx: Ctx,
  pair: PairSummary,
  r: ReductionCard,
  rowsOut: Map<number, HTMLElement>,
  valuesOut: Text[],
): Child[] {
  const { t, actions } = ctx;
  const lossRows = r.losses.map((l, i) => {
    const e = r.offset + i;
    const ign = r.ignored[i];
    const bad = r.invalid?.[i];
    const value = document.createTextNode(lossText(ctx, r, i, l));
    valuesOut.push(value);
    const cell = h(
      'td',
      { class: bad ? 'num invalid' : ign ? 'num ignored' : 'num', tabindex: -1, 'data-element': e },
      h('span', { class: 'v' }, value),
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
    const tr = h(
      'tr',
      { 'aria-selected': 'false' },
      h('th', { scope: 'row' }, pair.lossShape.length > 1 ? positionText(e, pair.lossShape) : String(e)),
      cell,
    );
    rowsOut.set(e, tr);
    return tr;
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
            ctx,
            'losses-prev',
            '‹',
            () => actions.post({ type: 'setLossPage', offset: Math.max(0, r.offset - r.pageSize) }),
            r.offset === 0
              ? { secondary: true, disabled: true, 'aria-label': t('Previous page') }
              : { secondary: true, 'aria-label': t('Previous page') },
          ),
          button(
            ctx,
            'losses-next',
            '›',
            () => actions.post({ type: 'setLossPage', offset: r.offset + r.pageSize }),
            r.offset + r.pageSize >= r.count
              ? { secondary: true, disabled: true, 'aria-label': t('Next page') }
              : { secondary: true, 'aria-label': t('Next page') },
          ),
        )
      : null;
  const ignoredNote = r.ignoredCount
    ? h('p', { class: 'note' }, t('{0} of {1} samples are ignored (greyed).', r.ignoredCount, r.count))
    : null;
  return [pager, h('div', { class: 'table-scroll short' }, lossTable), ignoredNote];
}

/** The formula, its denominator and the totals in both dtypes. */
function totalsPart(ctx: Ctx, pair: PairSummary, r: ReductionCard): Child[] {
  const { t, d } = ctx;
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
  return [formula, denominatorLine, h('div', { class: 'table-scroll' }, totals)];
}

export function positionText(e: number, shape: readonly number[]): string {
  const pos = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    pos[i] = e % shape[i];
    e = Math.floor(e / shape[i]);
  }
  return `[${pos.join(', ')}]`;
}

export function stabilitySection(ctx: Ctx, st: StabilityCard): HTMLElement {
  const { t, d, actions } = ctx;
  const heading = t('Stability');
  const description = t('why torch subtracts the max') + (st.shift !== 0 ? ` · k = ${num(st.shift, 2)}` : '');
  // Closed (its default), nothing of it is seen: it is built when it opens (section's toggle renders).
  if (!(ctx.ui.open.stability ?? sectionDefaults.stability)) return section(ctx, 'stability', heading, description);
  // Opened just now: the host computes it (it skips a closed card) and the next snapshot fills it.
  if (st.closed)
    return section(ctx, 'stability', heading, description, h('p', { class: 'note', role: 'status' }, t('Computing…')));
  const shiftField = textfield(
    ctx,
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
      button(ctx, `shift-${k}`, `k = ${k}`, () => actions.post({ type: 'setShift', shift: k }), { secondary: true }),
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
    heading,
    description,
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
