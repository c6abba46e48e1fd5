/**
 * A loss helper called before the page defines it (docs/detection.md 3.219): a notebook or a
 * Markdown page whose cell or fence with `def cross_entropy(…)` comes after the one that calls it.
 * Run from the top, as a notebook is meant to run and as a reader copies the fences, the call
 * raises a NameError; the page never says in which other order its author ran it. So the pair keeps
 * no number, and its reason says the helper is further down instead of "not defined".
 */
import type { Evaluation } from './evaluation';

/** A top-level `def name(` at the start of a line of `text` (indented defs are methods or local helpers). */
function definesAtTop(text: string, name: string): boolean {
  const head = `def ${name}`;
  for (let at = text.indexOf(head); at >= 0; at = text.indexOf(head, at + 1)) {
    if (at > 0 && text.charCodeAt(at - 1) !== 10) continue;
    let k = at + head.length;
    while (text[k] === ' ' || text[k] === '\t') k++;
    if (text[k] === '(') return true;
  }
  return false;
}

/** Why a call of an unbound loss helper has no number. */
export function unboundHelperWhy(ev: Evaluation, callee: string): string {
  const why =
    /^\w+$/.test(callee) && definesAtTop(ev.ctx.whole, callee)
      ? `\`${callee}\` is defined on this page only after this call: run from the top, the call raises a NameError`
      : `\`${callee}\` is not defined in this source: what it computes is not known`;
  return why;
}
