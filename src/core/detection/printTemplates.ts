/**
 * One print showing several values, each with its own words around it (docs/detection.md 3.189):
 * `print('BCE: {:.4f}'.format(a), 'CE: {:.4f}'.format(b))`, `print(f"ce {a:.4f} nll {b:.4f}")`,
 * `print("ce:", a, "nll:", b)`, `print("ce %.4f nll %.4f" % (a, b))`. Python writes the words as
 * written and each value where its field is, the arguments joined by one space, so the output line
 * is read against that template: the words must be there, in order, and what stands between them
 * is each field's value. Only string literals without escapes, `str.format` with positional fields,
 * `%` conversions and f-string fields whose expression the reader saw as an argument are templates;
 * anything else (keyword arguments but `sep`, named fields, `!r`, a self-documenting `=`) is not.
 */
import type { Node } from './expr';

/** A template: words written as they are, and the index of the field whose value stands there. */
export type TemplatePart = string | number;

export interface PrintTemplate {
  parts: TemplatePart[];
  /** The expression of each field, in the order the output shows them. */
  fields: Node[];
}

/** Longer argument lists are not read as templates (no page prints fifty labelled values on a line). */
const maxFields = 16;

/** Plain string literals one after another (no prefix but `u`), no escapes, no triple quotes. */
const plainLiterals = /^(?:\s*[uU]?(?:'[^'\\\n]*'|"[^"\\\n]*"))+/;

function literalText(src: string): string {
  let out = '';
  for (const m of src.matchAll(/'([^'\\\n]*)'|"([^"\\\n]*)"/g)) out += m[1] ?? m[2];
  return out;
}

/** `{}`, `{0}`, `{:.4f}` fields of a format string, the words between; null for any other field. */
function formatParts(format: string, argCount: number): (string | { arg: number })[] | null {
  const out: (string | { arg: number })[] = [];
  let auto = 0;
  let last = 0;
  let words = '';
  for (const m of format.matchAll(/\{\{|\}\}|\{(\d*)(?::[^{}!]*)?\}|[{}]/g)) {
    words += format.slice(last, m.index);
    last = (m.index ?? 0) + m[0].length;
    if (m[0] === '{{' || m[0] === '}}') {
      words += m[0][0];
      continue;
    }
    if (m[1] === undefined) return null;
    const arg = m[1] === '' ? auto++ : Number(m[1]);
    if (arg >= argCount) return null;
    out.push(words, { arg });
    words = '';
  }
  out.push(words + format.slice(last));
  return out;
}

/** `%.4f`, `%s`, `%d` conversions of a `%` format, the words between; null for `%(name)s`, `*`. */
function percentParts(format: string): (string | { arg: number })[] | null {
  const out: (string | { arg: number })[] = [];
  let n = 0;
  let last = 0;
  let words = '';
  for (const m of format.matchAll(/%(%|[-+ 0#]*\d*(?:\.\d+)?[diouxXeEfFgGrsa]|.?)/g)) {
    words += format.slice(last, m.index);
    last = (m.index ?? 0) + m[0].length;
    if (m[1] === '%') {
      words += '%';
      continue;
    }
    if (m[1].length < 2 && !/[diouxXeEfFgGrsa]/.test(m[1])) return null;
    out.push(words, { arg: n++ });
    words = '';
  }
  out.push(words + format.slice(last));
  return out;
}

/** An f-string's words and the spans of its fields' expressions; null for `!r`, `=`, nesting, escapes. */
export function fStringParts(src: string, at: number): (string | { start: number; end: number })[] | null {
  const m = /^[fF]([rR]?)(['"])/.exec(src);
  if (!m || src.includes('\\') || src.includes('\n') || !src.endsWith(m[2]) || src.length < m[0].length + 1)
    return null;
  const out: (string | { start: number; end: number })[] = [];
  let words = '';
  const body = src.slice(m[0].length, -1);
  const base = at + m[0].length;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if ((c === '{' || c === '}') && body[i + 1] === c) {
      words += c;
      i++;
      continue;
    }
    if (c === '}' || c === m[2]) return null;
    if (c !== '{') {
      words += c;
      continue;
    }
    let depth = 0;
    let k = i + 1;
    let exprEnd = -1;
    for (; k < body.length; k++) {
      const d = body[k];
      if (d === '(' || d === '[' || d === '{') depth++;
      else if ((d === ')' || d === ']') && depth > 0) depth--;
      else if (d === '}' && depth > 0) depth--;
      else if (d === '}') break;
      else if (depth === 0 && (d === '!' || d === '=' || d === "'" || d === '"')) return null;
      else if (depth === 0 && d === ':' && exprEnd < 0) exprEnd = k;
    }
    if (k >= body.length) return null;
    const end = exprEnd < 0 ? k : exprEnd;
    const expr = body.slice(i + 1, end);
    const lead = expr.length - expr.trimStart().length;
    out.push(words, { start: base + i + 1 + lead, end: base + i + 1 + expr.trimEnd().length });
    words = '';
    i = k;
  }
  out.push(words);
  return out;
}

/** The top-level arguments' spans of the call's parentheses [from, to), split at commas outside brackets and strings. */
function argumentSpans(text: string, from: number, to: number): [number, number][] | null {
  const spans: [number, number][] = [];
  let depth = 0;
  let quote = '';
  let start = from;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === '#') return null;
    else if (c === ',' && depth === 0) {
      spans.push([start, i]);
      start = i + 1;
    }
  }
  if (quote || depth !== 0) return null;
  if (text.slice(start, to).trim() !== '') spans.push([start, to]);
  return spans;
}

/**
 * The template of a Python print's output line, from the source as written (`text`; f-strings are
 * read there, the reader's `print` node holds their fields as its arguments); null when the print
 * is not one the template reads, or shows fewer than two fields.
 */
export function printTemplate(text: string, print: Node): PrintTemplate | null {
  if (print.type !== 'call' || print.args.length === 0 || print.args.length > maxFields) return null;
  let sep = ' ';
  for (const k of print.keywords) {
    if (k.name === 'flush') continue;
    if (k.name !== 'sep' || k.value.type !== 'string' || k.value.value === null) return null;
    sep = k.value.value;
  }
  const open = text.indexOf('(', print.callee.end);
  const close = print.end - 1;
  if (open < 0 || text[close] !== ')') return null;
  // Keyword arguments (`sep=`, read above) write nothing of their own.
  const spans = argumentSpans(text, open + 1, close)?.filter(([a, b]) => !/^\s*\w+\s*=(?!=)/.test(text.slice(a, b)));
  if (!spans) return null;
  const byStart = new Map<number, Node>();
  for (const a of print.args) byStart.set(a.start, a);
  const node = (start: number, end: number): Node | null => {
    const n = byStart.get(start);
    return n && n.end === end ? n : null;
  };
  const parts: TemplatePart[] = [];
  const fields: Node[] = [];
  const field = (n: Node): void => {
    parts.push(fields.length);
    fields.push(n);
  };
  for (const [i, [s0, e0]] of spans.entries()) {
    if (i > 0) parts.push(sep);
    const src = text.slice(s0, e0);
    const s = s0 + (src.length - src.trimStart().length);
    const e = s0 + src.trimEnd().length;
    const arg = text.slice(s, e);
    const lit = plainLiterals.exec(arg);
    if (lit && lit[0].length === arg.length) {
      parts.push(literalText(arg));
      continue;
    }
    if (/^[fF][rR]?['"]/.test(arg)) {
      const pieces = fStringParts(arg, s);
      if (!pieces) return null;
      const whole = node(s, e);
      const spansOf = pieces.filter((p) => typeof p !== 'string');
      // An f-string the reader kept as one string: its one field is the argument (a name it looked up).
      if (whole && (spansOf.length !== 1 || !/^[A-Za-z_]\w*$/.test(text.slice(spansOf[0].start, spansOf[0].end))))
        return null;
      for (const p of pieces) {
        if (typeof p === 'string') parts.push(p);
        else {
          const n = whole ?? node(p.start, p.end);
          if (!n) return null;
          field(n);
        }
      }
      continue;
    }
    const n = node(s, e);
    if (!n) return null;
    const format = formatted(text, n);
    if (!format) {
      field(n);
      continue;
    }
    // One field: the reader read the argument as the value it formats; several: each its own.
    const single = format.pieces.filter((p) => typeof p !== 'string').length === 1;
    for (const p of format.pieces) {
      if (typeof p === 'string') parts.push(p);
      else field(single ? n : format.args[p.arg]);
    }
  }
  if (fields.length < 2 || fields.length > maxFields) return null;
  // Adjacent words joined: the matcher reads words up to the next field.
  const merged: TemplatePart[] = [];
  for (const p of parts) {
    const last = merged.length - 1;
    if (typeof p === 'string' && typeof merged[last] === 'string') merged[last] += p;
    else merged.push(p);
  }
  return { parts: merged, fields };
}

/** A `'…'.format(…)` or `'…' % …` argument: its pieces and the nodes its fields read. */
function formatted(text: string, n: Node): { pieces: (string | { arg: number })[]; args: Node[] } | null {
  if (
    n.type === 'call' &&
    n.callee.type === 'attribute' &&
    n.callee.name === 'format' &&
    n.callee.object.type === 'string' &&
    n.keywords.length === 0
  ) {
    const lit = text.slice(n.callee.object.start, n.callee.object.end);
    const m = plainLiterals.exec(lit);
    if (!m || m[0].length !== lit.length) return null;
    const pieces = formatParts(literalText(lit), n.args.length);
    return pieces ? { pieces, args: n.args } : null;
  }
  if (n.type === 'binary' && n.op === '%' && n.left.type === 'string') {
    const lit = text.slice(n.left.start, n.left.end);
    const m = plainLiterals.exec(lit);
    if (!m || m[0].length !== lit.length) return null;
    const pieces = percentParts(literalText(lit));
    const args = n.right.type === 'sequence' && n.right.kind === 'tuple' ? n.right.items : [n.right];
    const count = pieces?.filter((p) => typeof p !== 'string').length ?? -1;
    return pieces && count === args.length ? { pieces, args } : null;
  }
  return null;
}

/**
 * The text of each field's value in `line` (from `from`), read against the template: the words
 * must stand in order (runs of spaces count as one; a page may trim or widen them), each value is
 * what lies between them, outside brackets; null when the line is not this template's.
 */
export function templateValues(
  parts: TemplatePart[],
  line: string,
  from: number,
): { field: number; text: string; start: number }[] | null {
  const out: { field: number; text: string; start: number }[] = [];
  let pos = from;
  const skip = (): void => {
    while (pos < line.length && /\s/.test(line[pos])) pos++;
  };
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k];
    if (typeof p === 'string') {
      for (const word of p.split(/\s+/)) {
        if (word === '') continue;
        skip();
        if (!line.startsWith(word, pos)) return null;
        pos += word.length;
      }
      continue;
    }
    skip();
    const next = k + 1 < parts.length ? parts[k + 1] : null;
    const word = typeof next === 'string' ? (next.split(/\s+/).find((w) => w !== '') ?? null) : null;
    const start = pos;
    let depth = 0;
    for (; pos < line.length; pos++) {
      const c = line[pos];
      if (depth === 0 && pos > start) {
        if (word !== null && line.startsWith(word, pos)) break;
        // Two values with only spaces between end at the first space outside brackets.
        if (word === null && next !== null && /\s/.test(c)) break;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth--;
      if (depth < 0) return null;
    }
    const value = line.slice(start, pos).trimEnd();
    if (value === '' || depth !== 0) return null;
    out.push({ field: p, text: value, start });
  }
  skip();
  return pos === line.length ? out : null;
}

/**
 * A field whose value is read again without running anything: a name, an attribute of one, or
 * `.item()` / `float()` of those (a loss call inside a format is not evaluated a second time).
 */
export function plainRead(n: Node): boolean {
  if (n.type === 'name') return true;
  if (n.type === 'attribute') return plainRead(n.object);
  if (n.type !== 'call' || n.args.length + n.keywords.length > (n.callee.type === 'name' ? 1 : 0)) return false;
  if (n.callee.type === 'attribute') return n.callee.name === 'item' && plainRead(n.callee.object);
  return n.callee.type === 'name' && n.callee.id === 'float' && n.args.length === 1 && plainRead(n.args[0]);
}
