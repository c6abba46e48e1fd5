/**
 * `vscode.l10n` as a Korean VS Code gives it to the extension (`--locale ko`), for unit tests: the
 * sentence of l10n/bundle.l10n.ko.json for a message, `{n}` filled in from the arguments, the
 * message itself when the bundle has none. Optionally records every message it was asked for, so a
 * test can check that each one has a Korean sentence.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { l10n } from 'vscode';

/** The extension's Korean bundle: English message → Korean sentence. */
export const koreanBundle = JSON.parse(
  readFileSync(join(__dirname, '../../l10n/bundle.l10n.ko.json'), 'utf8'),
) as Record<string, string>;

/** A Hangul syllable: a sentence that has one was worded in Korean. */
export const hangul = /[가-힣]/;

/** Korean `vscode.l10n`; `asked` receives every message it is asked for. */
export function koreanL10n(asked?: string[]): Pick<typeof l10n, 't'> {
  return {
    t: ((message: string, ...args: unknown[]) => {
      asked?.push(message);
      const text = koreanBundle[message] ?? message;
      return text.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));
    }) as Pick<typeof l10n, 't'>['t'],
  };
}
