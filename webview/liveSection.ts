/**
 * The live badge: where a live pair came from (frame and line of the paused program), the
 * program's own loss beside ours, a progressive read's state, the over-budget batch loss torch
 * computes in the program, and the rows read. Text from the program is rendered as text (./dom).
 */
import { type LiveBadge } from '../src/protocol/webview';
import { h, type Child } from './dom';
import { num, parseUserNumber } from './format';
import { button, field, textfield, type Ctx } from './parts';

/** Where a live pair came from, and the program's own loss beside ours. */
export function liveBadge(ctx: Ctx, live: LiveBadge): HTMLElement {
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
  if (live.stream)
    lines.push(live.stream.kind === 'reduce' ? liveReduce(ctx, live.stream) : liveStream(ctx, live.stream));
  if (live.rowTerm) lines.push(liveRowTerm(ctx, live.rowTerm));
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
            'First paint: the batch’s loss {0} was computed inside the program; the rows shown are recomputed here. Reading all {1} rows…',
            batch,
            stream.positions,
          )
        : stream.state === 'cancelled'
          ? t(
              'Reading all rows was cancelled: the batch’s loss {0} was computed inside the program; only the rows shown were recomputed here.',
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
      ? [' ', button(ctx, 'live-stream-stop', t('Stop reading'), () => ctx.actions.post({ type: 'stopLiveStream' }))]
      : []),
  );
}

/** Over the budget, progressively: the rows looked at are shown, the batch's loss is computed in the program. */
function liveReduce(ctx: Ctx, stream: NonNullable<LiveBadge['stream']>): HTMLElement {
  const { t } = ctx;
  // reduction='none' has no batch loss: the program's figure is then the sum of the rows' losses.
  const pair = ctx.state.pair;
  const unreduced = (pair?.codeOptions ?? pair?.options)?.reduction === 'none';
  const text =
    stream.state === 'done' && stream.batchLoss !== null
      ? unreduced
        ? `✓ ${t("Sum of the {1} rows' losses {0}: computed in the program by torch (reduction='none' returns them unreduced); the rows shown were read and recomputed here.", num(stream.batchLoss, ctx.d), stream.positions)}`
        : `✓ ${t('Batch loss {0}: computed in the program by torch over all {1} rows; the rows shown were read and recomputed here.', num(stream.batchLoss, ctx.d), stream.positions)}`
      : stream.state === 'streaming' || stream.state === 'done'
        ? t(
            'Batch loss: computing… (in the program by torch, over all {0} rows). The rows shown were read first and are recomputed here.',
            stream.positions,
          )
        : stream.state === 'cancelled'
          ? t('The batch loss was not computed (cancelled): only the rows shown were read and recomputed here.')
          : stream.state === 'stale'
            ? t(
                'The program moved on before the batch loss was computed: nothing more is read, and these figures are of the stop they were read at.',
              )
            : t('Computing the batch loss failed: {0}', stream.message ?? '');
  return h(
    'p',
    { class: `live-stream live-stream-${stream.state}`, id: 'live-stream', role: 'status' },
    h('span', { id: 'live-batch-loss' }, text),
    ...(stream.state === 'streaming'
      ? [' ', button(ctx, 'live-stream-stop', t('Stop'), () => ctx.actions.post({ type: 'stopLiveStream' }))]
      : []),
  );
}

/** The shown row's loss term: torch's in the program beside ours; both stay on show when they differ. */
function liveRowTerm(ctx: Ctx, r: NonNullable<LiveBadge['rowTerm']>): HTMLElement {
  const { t } = ctx;
  const mark = r.agrees === true ? `✓ ${t('agrees')}` : r.agrees === false ? `✗ ${t('differs')}` : '';
  return h(
    'p',
    { class: `live-row-term ${r.agrees === false ? 'claim-bad' : ''}`, id: 'live-row-term' },
    t(
      'Row {0}: torch computed {1} in the program; recomputed here: {2}',
      r.position,
      num(r.program, ctx.d),
      r.ours === null ? '—' : num(r.ours, ctx.d),
    ),
    mark ? ` ${mark}` : '',
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
    ctx,
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
    h('p', null, t('Rows read from the program ({0} of {1}): {2}', rows.read.length, rows.total, rows.read.join(', '))),
    field(t('row (0–{0})', last), tf, rows.failed ?? undefined),
  );
}
