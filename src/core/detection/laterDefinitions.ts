/**
 * A loss helper called before the page defines it (docs/detection.md 3.219): a notebook or a
 * Markdown page whose cell or fence with `def cross_entropy(…)` comes after the one that calls it.
 * Run from the top, as a notebook is meant to run and as a reader copies the fences, the call
 * raises a NameError; the page never says in which other order its author ran it. So the pair keeps
 * no number, and its reason says the helper is further down instead of "not defined".
 */
import type { Evaluation } from './evaluation';
import type { Node } from './expr';
import { rootName } from './nodeNames';
import { perTextMemo } from './textMemo';

/**
 * A top-level `def name(` at the start of a line of `text` (indented defs are methods or local
 * helpers): one search per text and name, however many calls of the name ask.
 */
const definesAtTop = perTextMemo((text: string, name: string): boolean => {
  const head = `def ${name}`;
  for (let at = text.indexOf(head); at >= 0; at = text.indexOf(head, at + 1)) {
    if (at > 0 && text.charCodeAt(at - 1) !== 10) continue;
    let k = at + head.length;
    while (text[k] === ' ' || text[k] === '\t') k++;
    if (text[k] === '(') return true;
  }
  return false;
});

/** Why a call of an unbound loss helper has no number (`at`: the callee, whose first name an import may bind). */
export function unboundHelperWhy(ev: Evaluation, callee: string, at?: Node): string {
  const from = importsOf(ev.ctx.whole).get((at && rootName(at)) ?? callee);
  const why =
    /^\w+$/.test(callee) && definesAtTop(ev.ctx.whole, callee)
      ? `\`${callee}\` is defined on this page only after this call: run from the top, the call raises a NameError`
      : from !== undefined
        ? `\`${callee}\` is imported from \`${from}\`, whose body is not in this source: what it computes is not known`
        : `\`${callee}\` is not defined in this source: what it computes is not known`;
  return why;
}

/** The last text read by {@link importsOf}, and the names it imports. */
let importsText = '';
let importsMap = new Map<string, string>();

/**
 * The names a source imports, each with its module (3.285): JavaScript's `import a, { b, c as d } from 'm'`,
 * `import * as a from 'm'`, `const { b } = require('m')` or `await import('m')`, `const a = require('m')`;
 * Python's `from m import b, c as d` and `import m as a`. Read once per text, by patterns without nested
 * repetition (linear on any input).
 */
function importsOf(text: string): Map<string, string> {
  if (text === importsText) return importsMap;
  const out = new Map<string, string>();
  const names = (list: string, mod: string): void => {
    for (const part of list.split(',')) {
      const m = /^\s*(?:type\s+)?([\w$]+)(?:\s*(?::|as)\s*([\w$]+))?\s*$/.exec(part);
      if (m && !out.has(m[2] ?? m[1])) out.set(m[2] ?? m[1], mod);
    }
  };
  const js =
    /\bimport\s+(?:type\s+)?(?:([\w$]+)\s*,?\s*)?(?:\*\s*as\s+([\w$]+)\s*)?(?:\{([^{}]*)\}\s*)?from\s*['"]([^'"\n]+)['"]/g;
  for (const m of text.matchAll(js)) {
    for (const one of [m[1], m[2]]) if (one && !out.has(one)) out.set(one, m[4]);
    if (m[3]) names(m[3], m[4]);
  }
  const req =
    /\b(?:const|let|var)\s+(?:\{([^{}]*)\}|([\w$]+))\s*=\s*(?:await\s+)?(?:require|import)\s*\(\s*['"]([^'"\n]+)['"]/g;
  for (const m of text.matchAll(req)) {
    if (m[1]) names(m[1], m[3]);
    else if (m[2] && !out.has(m[2])) out.set(m[2], m[3]);
  }
  const py = /^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+(?:\(([^()]*)\)|([^\n#]*))/gm;
  for (const m of text.matchAll(py)) names((m[2] ?? m[3] ?? '').replace(/\\\n/g, ' '), m[1]);
  importsText = text;
  importsMap = out;
  return out;
}
