/**
 * Function bodies that lost their indentation when a page was copied to text (an HTML page whose
 * `<pre>` kept the lines but not the spaces): `def ce(y, t):` with `delta = 1e-7` and
 * `return -np.sum(t * np.log(y + delta))` at the margin below it. In Python a `def` followed by a
 * line that is not deeper is an IndentationError, so no valid program is read differently: each
 * such line, up to and including the first `return` statement, is read one level deeper than the
 * `def` (a column shift the Python reader adds; offsets unchanged). Only a plain body is shifted:
 * a line that opens a block of its own (`if …:`, `for …:`), a nested `def`, or a docstring leaves
 * the function as it is (not followed), since where such a block ends cannot be told.
 */
import { bracketDepth } from './doctest';

/** Lines a flattened body may have before its `return`. */
const maxBody = 24;

/** A `def` line's start (its end, the `:`, is checked apart: one pass over the line, no backtracking). */
const defRe = /^([ \t]*)(?:async[ \t]+)?def[ \t]+[A-Za-z_]\w*[ \t]*\(/;

/** Column shifts, by line start offset, for the bodies in `text` that lost their indentation. */
export function lostBodyIndentation(text: string): [number, number][] {
  const out: [number, number][] = [];
  // Most files indent their bodies: one scan for a `def` line followed by one at its column.
  if (!/^([ \t]*)def[ \t][^\n]*:[ \t]*\r?\n\1(?![ \t])\S/m.test(text)) return out;
  const lines: { start: number; text: string }[] = [];
  const lineRe = /[^\r\n]*(?:\r\n|\r|\n|$)/g;
  for (let m = lineRe.exec(text); m && m[0] !== ''; m = lineRe.exec(text))
    lines.push({ start: m.index, text: m[0].replace(/[\r\n]+$/, '') });
  for (let i = 0; i < lines.length; i++) {
    const d = defRe.exec(lines[i].text);
    if (!d || !/:[ \t]*$/.test(lines[i].text.replace(/#.*$/, ''))) continue;
    const indent = d[1];
    const body = flatBody(lines, i + 1, indent);
    if (body) for (const at of body) out.push([at, 4]);
  }
  return out;
}

/**
 * The start offsets of the lines of a body written at the `def`'s own column `indent`, ending
 * with its `return` (and the lines that statement continues onto); null when the lines below
 * are indented, or are not a plain body that ends in a `return`.
 */
function flatBody(lines: { start: number; text: string }[], from: number, indent: string): number[] | null {
  const starts: number[] = [];
  let depth = 0;
  let returning = false;
  for (let j = from; j < lines.length && j < from + maxBody; j++) {
    const line = lines[j].text;
    if (depth === 0) {
      if (line.trim() === '') return null;
      if (!line.startsWith(indent) || /^[ \t]/.test(line.slice(indent.length))) return null;
      const code = line.slice(indent.length);
      if (/^(?:def|class|async)\b|^["']/.test(code) || /:[ \t]*(?:#.*)?$/.test(code)) return null;
      returning = /^return\b/.test(code);
    }
    starts.push(lines[j].start);
    depth = bracketDepth(line, depth);
    if (returning && depth === 0) return starts;
  }
  return null;
}
