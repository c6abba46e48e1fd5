/**
 * Function bodies that lost their indentation when a page was copied to text (an HTML page whose
 * `<pre>` kept the lines but not the spaces): `def ce(y, t):` with `delta = 1e-7` and
 * `return -np.sum(t * np.log(y + delta))` at the margin below it. In Python a `def` followed by a
 * line that is not deeper is an IndentationError, so no valid program is read differently: each
 * such line, up to and including the first `return` statement, is read one level deeper than the
 * `def` (a column shift the Python reader adds; offsets unchanged). Only a plain body is shifted:
 * a line that opens a block of its own (`if …:`, `for …:`) or a nested `def` leaves the function as
 * it is (not followed), since where such a block ends cannot be told. A docstring first, at the same
 * column, is read with the body: its closing quotes tell where it ends.
 */
import { bracketDepth } from './doctest';
import { someLineStartingWith } from './lines';

/** Lines a flattened body may have before its `return`. */
const maxBody = 24;

/** A `def` line's start (its end, the `:`, is checked apart: one pass over the line, no backtracking). */
const defRe = /^([ \t]*)(?:async[ \t]+)?def[ \t]+[A-Za-z_]\w*[ \t]*\(/;

/** A `def` line followed by a line at its column, tried at one line start (see someLineStartingWith). */
const flatDefAt = /^([ \t]*)def[ \t][^\n]*:[ \t]*\r?\n\1(?![ \t])\S/my;
/**
 * A line that may be such a `def` line: `def` and a blank after its indentation, and the same
 * indentation then a character other than a blank at the start of the next `\n` line (most `def`
 * lines are followed by a deeper one; only the few left are tried with the expression).
 */
function flatDefCandidate(text: string): (start: number, first: number) => boolean {
  return (start, first) => {
    if (!text.startsWith('def', first)) return false;
    const blank = text.charCodeAt(first + 3);
    if (blank !== 32 && blank !== 9) return false;
    const next = text.indexOf('\n', first) + 1;
    if (next === 0) return false;
    const c = text.charCodeAt(next + first - start);
    return c !== 32 && c !== 9 && text.startsWith(text.slice(start, first), next);
  };
}

/**
 * Whether some `def` line of `text` is followed by a line at its own column (`def`'s `:` ending the
 * line): what `^([ \t]*)def[ \t][^\n]*:[ \t]*\r?\n\1(?![ \t])\S` finds in multiline mode.
 */
export function hasFlatDef(text: string): boolean {
  return someLineStartingWith(text, 'def', flatDefAt, flatDefCandidate(text));
}

/** Column shifts, by line start offset, for the bodies in `text` that lost their indentation. */
export function lostBodyIndentation(text: string): [number, number][] {
  const out: [number, number][] = [];
  // Most files indent their bodies: one scan for a `def` line followed by one at its column.
  if (!hasFlatDef(text)) return out;
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
  let j = from;
  const doc = docstringEnd(lines, from, indent);
  if (doc !== null) {
    for (; j <= doc; j++) starts.push(lines[j].start);
  }
  for (; j < lines.length && j < from + maxBody; j++) {
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

/** Lines a flattened docstring may span. */
const maxDocstring = 40;

/**
 * The index of the line that closes a docstring opened (`"""` or `'''` at `indent`) on line
 * `from`, or null when that line opens none or it is not closed within {@link maxDocstring} lines.
 */
function docstringEnd(lines: { start: number; text: string }[], from: number, indent: string): number | null {
  const first = lines[from]?.text;
  if (first === undefined || !first.startsWith(indent)) return null;
  const code = first.slice(indent.length);
  const quote = code.startsWith('"""') ? '"""' : code.startsWith("'''") ? "'''" : null;
  if (!quote) return null;
  if (code.indexOf(quote, 3) >= 0) return /^\s*(?:#.*)?$/.test(code.slice(code.indexOf(quote, 3) + 3)) ? from : null;
  for (let j = from + 1; j < lines.length && j <= from + maxDocstring; j++) {
    const at = lines[j].text.indexOf(quote);
    if (at >= 0) return /^\s*(?:#.*)?$/.test(lines[j].text.slice(at + 3)) ? j : null;
  }
  return null;
}
