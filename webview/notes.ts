/**
 * The panel's notes: what it says when it has nothing to show, when the document stopped parsing
 * mid-typing, and when targets are out of range. Each says what is wrong, where, and what the
 * numbers on show are, without blaming the user. Text goes into the DOM as text (./dom).
 */
import type { InvalidTargets, PanelState, SampleView, StaleNote } from '../src/protocol/webview';
import { h } from './dom';
import { num } from './format';
import type { Translate } from './l10n';

/** `line 12`, or `cell 3, line 2` in a notebook (cells counted from 1, as VS Code shows them). */
export function placeText(line: number, cell: number | null | undefined, t: Translate): string {
  return cell === null || cell === undefined ? t('line {0}', line) : t('cell {0}, line {1}', cell + 1, line);
}

/**
 * What the panel waits for. A bracket left open is named with the line it was opened on (the
 * place to close it), and the line being typed is named too when it is another one: the learner
 * looks at the cursor, not at where the statement began.
 */
export function waitingText(stale: StaleNote, t: Translate): string {
  const where = placeText(stale.line, stale.cell, t);
  const typing =
    stale.editLine !== null && stale.editLine !== undefined && stale.editLine !== stale.line
      ? placeText(stale.editLine, stale.cell, t)
      : null;
  if (stale.opener && typing)
    return t('Waiting for the {0} opened on {1} to be closed ({2} is being typed).', stale.opener, where, typing);
  if (stale.opener) return t('Waiting for the {0} opened on {1} to be closed.', stale.opener, where);
  if (typing) return t('Waiting for {0} to parse ({1} is being typed).', where, typing);
  return t('Waiting for {0} to parse.', where);
}

/** The note above a kept result while the document does not parse. */
export function staleBox(stale: StaleNote, t: Translate): HTMLElement {
  return h(
    'div',
    { class: 'stale-box', role: 'status' },
    `${waitingText(stale, t)} ${t('The numbers below are the last result from before the edit.')}`,
  );
}

/** What the panel says when it has no pair to show; it names no stale document and blames no one. */
export function emptyState(state: PanelState, t: Translate): HTMLElement {
  let text: string;
  if (state.stale) text = waitingText(state.stale, t);
  else if (state.status === 'error') text = t('This document could not be analysed.');
  else if (!state.documentLabel)
    text = t(
      'Open a Python file, a notebook, or a Markdown, JSON or JavaScript file with logits and a target: their cross-entropy appears here step by step.',
    );
  else
    text = t(
      'Loss Inspector found no logits and target in {0}. It reads literals such as torch.tensor([[…]]), np.array or plain lists passed to a loss; to pair two literals yourself, select them and run "Inspect Selection".',
      state.documentLabel,
    );
  return h('p', { class: 'empty', role: 'status' }, text);
}

/** `sample 1` for a (N,) batch, `sample [0, 2]` for positions, `the sample` for a single one. */
function sampleLabel(element: number, lossShape: readonly number[], t: Translate): string {
  if (lossShape.length === 0) return t('the sample');
  if (lossShape.length === 1) return t('sample {0}', element);
  const position: number[] = [];
  let rest = element;
  for (let i = lossShape.length - 1; i >= 0; i--) {
    const size = lossShape[i]!;
    position.unshift(rest % size);
    rest = Math.floor(rest / size);
  }
  return t('sample {0}', `[${position.join(', ')}]`);
}

/**
 * The note under torch's error when targets are out of range: what is wrong (a target that is not
 * a class), the valid range, where (each bad sample and the value written), and what the panel
 * shows instead of a loss.
 */
export function invalidTargetsBox(list: InvalidTargets, lossShape: readonly number[], t: Translate): HTMLElement {
  const named = list.items.map((it) => `${sampleLabel(it.element, lossShape, t)}: ${t('target')} ${num(it.value, 0)}`);
  const more = list.count - list.items.length;
  return h(
    'div',
    { class: 'invalid-box', role: 'note' },
    h(
      'p',
      null,
      t(
        'Valid targets are class indices 0 to {0} ({1} classes), or ignore_index ({2}). torch stops at the first other value, so there is no loss; the steps of the other samples are shown.',
        list.C - 1,
        list.C,
        list.ignoreIndex,
      ),
    ),
    h(
      'p',
      { class: 'invalid-list' },
      `${t('Out of range')}: ${named.join('; ')}${more > 0 ? `; ${t('and {0} more', more)}` : ''}`,
    ),
  );
}

/** The note in the step table when the selected sample's target is out of range, else null. */
export function invalidSampleNote(list: InvalidTargets | null | undefined, s: SampleView, t: Translate) {
  if (!list || list.selected === null) return null;
  return h(
    'p',
    { class: 'note invalid-note', role: 'note' },
    t(
      'Target {0} is not a class: valid targets are 0 to {1}. This sample has no loss; its softmax and log-softmax below do not depend on the target.',
      num(list.selected, 0),
      s.C - 1,
    ),
  );
}

/** The text of a sample's cell in the reduction card when its target is out of range. */
export function invalidLossText(t: Translate): string {
  return `✗ ${t('target out of range')}`;
}

/**
 * The badge of an ad-hoc pair: two literals the user selected and Inspect Selection paired with
 * torch's defaults. It says where they are and that no loss call of the code computes them, so
 * the numbers are not mistaken for the code's own loss.
 */
export function selectionBadge(selection: { line: number; endLine: number }, t: Translate): HTMLElement {
  const lines =
    selection.endLine > selection.line
      ? t('lines {0}–{1}', selection.line, selection.endLine)
      : t('line {0}', selection.line);
  return h(
    'div',
    { class: 'live-badge selection-badge', role: 'note' },
    h('strong', null, t('Selection')),
    ` · ${lines} · `,
    t(
      'two literals you selected, read as logits and target with the default options; no loss call in the code pairs them.',
    ),
  );
}
