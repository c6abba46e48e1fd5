/**
 * A live read's error as the editor and the panel show it, in the user's language: the sentence of
 * its {@link LiveErrorDetail}, or, without one, a sentence per code around the error's English
 * message (what the debug adapter or the program said, which stays as they wrote it, as torch's
 * errors do). The host passes `vscode.l10n`; the calls are written `l10n.t('…')` with literal
 * messages for @vscode/l10n-dev's extraction, as in src/editor/format.ts. Runs in the host only:
 * the bridge (loaded on the first read) attaches details and never words them.
 */
import type { l10n } from 'vscode';
import type { LiveErrorCode, LiveErrorDetail } from './session';

/** What the sentences use of `vscode.l10n`. */
export type LiveL10n = Pick<typeof l10n, 't'>;

/** A LiveError's shape, whichever bundle's class made it. */
export interface LiveErrorLike {
  code: LiveErrorCode | string;
  message: string;
  detail?: LiveErrorDetail | undefined;
}

/** `e` in the user's language. */
export function liveErrorText(e: LiveErrorLike, l10n: LiveL10n): string {
  if (e.detail) return liveDetailText(e.detail, l10n) ?? e.message;
  switch (e.code) {
    case 'stale_frame':
      return l10n.t('The program moved on — inspect again.');
    case 'cancelled':
      return l10n.t('The read was cancelled.');
    case 'evaluation_failed':
      return l10n.t('The paused program could not evaluate it: {0}', e.message);
    case 'bad_envelope':
      return l10n.t('The debugger’s reply could not be read: {0}', e.message);
    default:
      // The host's own refusals (untrusted, a call to pick from, …) are already in the user's language.
      return e.message;
  }
}

/** The sentence of one detail; undefined for an id this build does not know. */
export function liveDetailText(detail: LiveErrorDetail, l10n: LiveL10n): string | undefined {
  switch (detail.id) {
    case 'untrusted':
      return l10n.t('Live inspection reads values from the paused program, so it runs only in a trusted workspace.');
    case 'unsupported_session':
      return l10n.t(
        'Live inspection reads Python (debugpy) and JavaScript (js-debug) sessions, not "{0}".',
        detail.type,
      );
    case 'not_paused':
      return l10n.t('The program is not paused at a breakpoint.');
    case 'no_threads':
      return l10n.t('The program has no threads to read from.');
    case 'stale_frame':
      return l10n.t('The program moved on — inspect again.');
    case 'cancelled':
      return l10n.t('The read was cancelled.');
    case 'not_plain_pick':
      return detail.role === 'input'
        ? l10n.t(
            '"{0}" is not a plain name, attribute or subscript, so it is not evaluated for the input.',
            detail.text,
          )
        : l10n.t(
            '"{0}" is not a plain name, attribute or subscript, so it is not evaluated for the target.',
            detail.text,
          );
    case 'not_plain_option':
      return l10n.t(
        'The option {0}={1} is not a plain name or literal; it is not evaluated (it could run the program’s code).',
        detail.name,
        detail.text,
      );
    case 'not_number_option':
      return l10n.t('The option {0}={1} is not a number literal, so it is not read.', detail.name, detail.text);
    case 'not_plain_weight':
      return l10n.t('The weight {0} is not a plain name.', detail.text);
    case 'bad_reduction':
      return l10n.t("The reduction {0} is not 'mean', 'sum' or 'none'.", detail.text);
    case 'over_budget':
      return l10n.t(
        '{0} is {1} MiB, over the {2} MiB transfer budget; JavaScript values are not reduced in the program. Raise lossInspector.live.budgetMiB to read it.',
        detail.name,
        detail.mib,
        detail.budgetMib,
      );
    case 'helper_failed':
      return l10n.t('Installing the helper in the program failed: {0}', detail.reason);
  }
  return undefined;
}
