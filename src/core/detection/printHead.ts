/**
 * Is a statement a print: its head read in place, for every statement the claim binder is handed
 * (claimBinding.ts), without copying it out or running an expression on it.
 */
import { isJsSpace } from './lines';

/** A print's label is on its first line: a statement's first characters are enough (claimBinding.ts' statementHead). */
export const maxHead = 2000;

/**
 * Whether a statement's head (its first {@link maxHead} characters) matches `^print\s*\(`, read in
 * place: no copy of the head and no expression per statement (most statements are not prints).
 */
export function printHead(text: string, start: number, end: number): boolean {
  const limit = Math.min(end, start + maxHead, text.length);
  if (limit - start < 6 || !text.startsWith('print', start)) return false;
  let i = start + 5;
  while (i < limit && isJsSpace(text.charCodeAt(i))) i++;
  return i < limit && text.charCodeAt(i) === 40;
}
