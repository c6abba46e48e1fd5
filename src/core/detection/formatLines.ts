/**
 * `print('small = {}\n' 'big   = {}'.format(a, b))`: one print whose format string writes several
 * lines, one value on each (docs/detection.md 3.146). The output is then one line per field, in
 * order, so each line is read as the print of its own value would be: the statement makes one
 * producer per line. Only this shape: one argument to the print, a `str.format` call on string
 * literals (adjacent literals joined, as Python joins them), no keyword arguments, every line of the
 * format holding exactly one replacement field (`{}`, `{:.4f}` or `{0}`), and as many fields as
 * arguments. Anything else stays one print with one output line.
 */
import type { Node } from './expr';

/** Longer formats are not split (no page prints a hundred lines with one call). */
const maxLines = 32;

/** The raw contents of the string literals spanning [start, end), joined; null if one is an f-string or bytes. */
function joinedLiterals(text: string, start: number, end: number): string | null {
  const src = text.slice(start, end);
  let out = '';
  let i = 0;
  const literal = /\s*([rRuU]?)('''|"""|'|")/y;
  while (i < src.length) {
    literal.lastIndex = i;
    const m = literal.exec(src);
    if (!m) return src.slice(i).trim() === '' ? out : null;
    const q = m[2];
    const from = i + m[0].length;
    let k = from;
    while (k < src.length && !src.startsWith(q, k)) k += src[k] === '\\' && m[1] === '' ? 2 : 1;
    if (k >= src.length) return null;
    out += m[1] === '' ? src.slice(from, k) : src.slice(from, k).replace(/\\/g, '\\\\');
    i = k + q.length;
  }
  return out;
}

/** The argument each output line prints, in order; null when the print is not this shape. */
export function formatLineArguments(text: string, print: Node): Node[] | null {
  if (print.type !== 'call' || print.args.length !== 1 || print.keywords.length) return null;
  const call = print.args[0];
  if (call.type !== 'call' || call.keywords.length || call.callee.type !== 'attribute') return null;
  if (call.callee.name !== 'format' || call.callee.object.type !== 'string') return null;
  const format = joinedLiterals(text, call.callee.object.start, call.callee.object.end);
  if (format === null || !format.includes('{')) return null;
  // `\n` written in the literal, or a line break inside a triple-quoted one.
  const lines = format.split(/\\n|\r?\n/);
  if (lines.length < 2 || lines.length > maxLines) return null;
  const out: Node[] = [];
  let auto = 0;
  for (const line of lines) {
    const fields = [...line.replace(/\{\{|\}\}/g, '').matchAll(/\{(\d*)(?:![rsa])?(?::[^{}]*)?\}/g)];
    // A blank line (a trailing `\n`) prints nothing a reader counts.
    if (fields.length === 0 && line.trim() === '') continue;
    if (fields.length !== 1) return null;
    const at = fields[0][1] === '' ? auto++ : Number(fields[0][1]);
    const arg = call.args[at];
    if (!arg) return null;
    out.push(arg);
  }
  return out.length === call.args.length ? out : null;
}
