/**
 * The items of a Python list of plain numbers, or of tuples (or lists) of plain numbers, written in
 * the source and gone over by a module-level `for` (`for y, p in [(1, 0.9), (0, 0.2)]:`,
 * `for p in [0.9, 0.5]:`): each number is a Python number that knows where it is written, as
 * `y = 1` does (scalarSources.ts), so a hand-written binary log loss of the loop's names, or of a
 * helper's parameters bound to them, reads them as its sources (docs/detection.md 3.274).
 * Only a literal of the segment being read, never made by a call, at most 64 items of at most 8 numbers.
 */
import type { Evaluation } from './evaluation';
import type { Value } from './values';

/** Items of a list read this way at most (a module-level loop runs no more). */
const maxItems = 64;
/** Numbers in one tuple at most. */
const maxWidth = 8;

const numberWord = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/y;

/** The first place at or after `i` (before `to`) that is not a blank or a `#` comment. */
function skipBlank(text: string, i: number, to: number): number {
  while (i < to) {
    if (text[i] === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 || nl > to ? to : nl;
    } else if (/\s/.test(text[i])) i++;
    else break;
  }
  return i;
}

/** `1`, `0.9`, `-1e-3` alone in `[from, to)` of the text (blanks and comments around it), as a number that knows its place. */
function numberAt(ev: Evaluation, from: number, to: number): Value | null {
  const text = ev.ctx.text;
  const a = skipBlank(text, from, to);
  numberWord.lastIndex = a;
  const m = numberWord.exec(text);
  if (!m || a + m[0].length > to || skipBlank(text, a + m[0].length, to) !== to) return null;
  const value = Number(m[0]);
  if (!Number.isFinite(value)) return null;
  const integer = /^[-+]?\d+$/.test(m[0]);
  const at = { start: a, end: a + m[0].length, name: '', cell: ev.ctx.cell };
  return { kind: 'number', value, integer, literal: at };
}

/**
 * The comma-separated parts of the bracket `text[open]…text[end - 1]`, one bracket deep at most, and
 * where the bracket of each part (if any) starts and ends; null when nested deeper.
 */
function parts(
  text: string,
  open: number,
  end: number,
): { from: number; to: number; inner: [number, number] | null }[] | null {
  const out: { from: number; to: number; inner: [number, number] | null }[] = [];
  let level = 0;
  let from = open + 1;
  let inner: [number, number] | null = null;
  let innerOpen = -1;
  for (let i = open + 1; i < end - 1; i++) {
    const c = text[i];
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      if (nl < 0 || nl >= end - 1) break;
      i = nl;
    } else if (c === '[' || c === '(') {
      if (++level > 1) return null;
      innerOpen = i;
    } else if (c === ']' || c === ')') {
      if (--level < 0) return null;
      inner = [innerOpen, i + 1];
    } else if (c === ',' && level === 0) {
      out.push({ from, to: i, inner });
      from = i + 1;
      inner = null;
    }
  }
  if (skipBlank(text, from, end - 1) < end - 1) out.push({ from, to: end - 1, inner });
  return out;
}

/**
 * The items of `v`, a Python list (or tuple) literal of this segment of plain numbers or of flat
 * tuples of plain numbers, each number knowing where it is written; null for anything else.
 */
export function writtenNumbers(ev: Evaluation, v: Value): Value[] | null {
  if (!ev.python || v.kind !== 'array' || v.array.transform !== null || !v.array.data) return null;
  const site = v.array.site;
  if (site.synthetic || (site.constructorName !== 'list' && site.constructorName !== 'tuple')) return null;
  if (site.cell !== ev.ctx.cell || site.shape.length < 1 || site.shape.length > 2) return null;
  const text = ev.ctx.text;
  const open = site.literalStart;
  const end = site.literalEnd;
  if (end > text.length || (text[open] !== '[' && text[open] !== '(')) return null;
  const items = parts(text, open, end);
  if (!items || items.length === 0 || items.length > maxItems || items.length !== site.shape[0]) return null;
  const out: Value[] = [];
  for (const { from, to, inner } of items) {
    if (inner) {
      // The bracket alone in its part, and numbers alone in the bracket's parts.
      if (skipBlank(text, from, to) !== inner[0] || skipBlank(text, inner[1], to) !== to) return null;
      const cells = parts(text, inner[0], inner[1]);
      if (!cells || cells.length === 0 || cells.length > maxWidth || cells.some((c) => c.inner)) return null;
      const row: Value[] = [];
      for (const c of cells) {
        const n = numberAt(ev, c.from, c.to);
        if (!n) return null;
        row.push(n);
      }
      out.push({ kind: 'sequence', items: row });
    } else {
      const n = numberAt(ev, from, to);
      if (!n) return null;
      out.push(n);
    }
  }
  // What was read must be what the literal holds: every number, in order.
  const flat = out.flatMap((x) => (x.kind === 'sequence' ? x.items : [x]));
  if (flat.length !== v.array.data.length || flat.some((x, i) => x.kind !== 'number' || x.value !== v.array.data?.[i]))
    return null;
  return out;
}
