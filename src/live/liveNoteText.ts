/**
 * A live read's notes and progress messages as the panel and the progress notification show them,
 * in the user's language: the bridge reports a stable id and its values ({@link LiveNote},
 * {@link PullLabel}), and the host words them here with `vscode.l10n`, as liveErrorText.ts does for
 * errors. Names, shapes, dtypes and devices stay as the program wrote them. Runs in the host only.
 */
import type { l10n } from 'vscode';
import type { LiveNote, PullLabel, TransferProgress } from './session';

/** What the sentences use of `vscode.l10n` (the import lets @vscode/l10n-dev's extraction find them). */
type LiveL10n = Pick<typeof l10n, 't'>;

/** `note` in the user's language. */
export function liveNoteText(note: LiveNote, l10n: LiveL10n): string {
  switch (note.id) {
    case 'paused_before':
      return l10n.t(
        'Paused at line {0}, before the loss line ({1}) runs: these are the values the variables hold now, which may be from the previous step.',
        note.frameLine,
        note.callLine,
      );
    case 'widened':
      return l10n.t(
        '{0} is {1}: its values were widened exactly to float32 for this breakdown, while torch computed the program’s loss in {1}, so that number was rounded to {1}.',
        note.name,
        note.dtype,
      );
    case 'device':
      return l10n.t('{0} lives on {1}: it was converted there, then copied to the CPU.', note.name, note.device);
    case 'requires_grad':
      return l10n.t(
        '{0} requires grad: it was read detached, so the program’s autograd graph is untouched.',
        note.name,
      );
    case 'not_contiguous':
      return l10n.t('{0} is not contiguous (a view): a contiguous copy was read.', note.name);
    case 'flat':
      return l10n.t('{0} is flat: read as ({1}), one row per target.', note.name, note.shape);
    case 'first_rows':
      return firstRows(note, l10n);
    case 'over_budget_first':
      return (
        overBudget(note, l10n) +
        ' ' +
        (note.count === 1
          ? l10n.t(
              'The row you look at came first; the loss of every row is being computed in the program by torch, in steps.',
            )
          : l10n.t(
              'The rows you look at came first; the loss of every row is being computed in the program by torch, in steps.',
            ))
      );
    case 'over_budget_steps':
      return (
        overBudget(note, l10n) +
        ' ' +
        l10n.t(
          'The loss of every row was computed in the program by torch, and only the rows you looked at and the {0} with the highest loss were fetched.',
          note.top,
        )
      );
    case 'over_budget_reduced':
      return (
        overBudget(note, l10n) +
        ' ' +
        l10n.t(
          'The loss of every row was computed in the program, and only the {0} rows with the highest loss were fetched.',
          note.top,
        )
      );
  }
}

function overBudget(note: { name: string; mib: string; budgetMib: string }, l10n: LiveL10n): string {
  return l10n.t('{0} is {1} MiB, over the {2} MiB transfer budget.', note.name, note.mib, note.budgetMib);
}

function firstRows(note: Extract<LiveNote, { id: 'first_rows' }>, l10n: LiveL10n): string {
  if (note.by === 'torch') {
    return note.count === 1
      ? l10n.t(
          'The first row read ({0}, the highest loss) and the loss of every row, computed in the program by torch; all {1} rows follow.',
          note.rows,
          note.positions,
        )
      : l10n.t(
          'The first {0} rows read ({1}, the highest loss) and the loss of every row, computed in the program by torch; all {2} rows follow.',
          note.count,
          note.rows,
          note.positions,
        );
  }
  return note.count === 1
    ? l10n.t(
        'The first row read ({0}, the highest loss) and the loss of every row, computed in the program in float64 by Loss Inspector’s own function (not the program’s code); all {1} rows follow.',
        note.rows,
        note.positions,
      )
    : l10n.t(
        'The first {0} rows read ({1}, the highest loss) and the loss of every row, computed in the program in float64 by Loss Inspector’s own function (not the program’s code); all {2} rows follow.',
        note.count,
        note.rows,
        note.positions,
      );
}

/** What a pull reads, in the user's language. */
export function pullLabelText(label: PullLabel, l10n: LiveL10n): string {
  switch (label.id) {
    case 'tensor':
      // The program's own words: its expression, the shape and the dtype.
      return `${label.name} (${label.shape.join(', ')})${label.dtype === null ? '' : ` ${label.dtype}`}`;
    case 'rows':
      return label.count === null || label.name === null
        ? l10n.t('the first rows')
        : l10n.t('{0} rows of {1}', label.count, label.name);
    case 'row_losses':
      return l10n.t('the loss of every row');
    case 'values':
      return l10n.t('the values');
  }
}

/** The progress notification's message for `p`, in the user's language. */
export function progressText(p: TransferProgress, l10n: LiveL10n): string {
  if (p.reducing) {
    return l10n.t('the loss of every row, computed in the program: {0} of {1} samples', p.done, p.total);
  }
  return p.label ? pullLabelText(p.label, l10n) : l10n.t('Reading tensors');
}
