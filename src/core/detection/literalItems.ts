/**
 * A list of tuples (or lists) the tokenizer read whole as one numeric literal, often ragged
 * (`[([1.0, 2.0], 0), ([0.5, 0.1, 3.0], 2)]`: a bracket of numbers and brackets), read apart into
 * one node per item: pytest's parametrize cases (parametrize.ts), a loop's items (loops.ts), a
 * comprehension's (comprehensions.ts).
 */
import type { DetectionContext } from './context';
import type { Evaluation } from './evaluation';
import type { Node } from './expr';
import { LiteralParser } from './literals';
import { Lang } from './tokens';
import type { Value } from './values';

/** Brackets inside one another that {@link literalItems} reads apart at most. */
const maxDepth = 8;

/**
 * The items of a bracket the tokenizer read whole as one numeric literal (`[([1, 0], [0.2, 0.8]), …]`,
 * ragged or not), each a node of its own: a nested bracket that is a numeric literal by itself becomes
 * a literal of its own (a new site, at its own place in the text), any other nested bracket a
 * sequence of its items, a number a number. Null when an item is none of these.
 */
export function literalItems(ctx: DetectionContext, open: number, end: number, depth = 0): Node[] | null {
  const text = ctx.text;
  const close = end - 1;
  if ((text[open] !== '[' && text[open] !== '(') || depth > maxDepth) return null;
  const items: Node[] = [];
  const item = (from: number, to: number): boolean => {
    while (from < to && /\s/.test(text[from])) from++;
    while (to > from && /\s/.test(text[to - 1])) to--;
    if (from === to) return true; // a trailing comma
    const c = text[from];
    if (c === '[' || c === '(') {
      const out = new LiteralParser(text, Lang.Python, ctx.options.maxElements).parse(from);
      if (out && !out.error && out.data && out.end === to) {
        const site = ctx.addSite(out, from, out.tuple ? 'tuple' : 'list');
        items.push({ type: 'literal', site, start: from, end: out.end });
        return true;
      }
      const inner = literalItems(ctx, from, to, depth + 1);
      if (!inner) return false;
      items.push({ type: 'sequence', kind: c === '(' ? 'tuple' : 'list', items: inner, start: from, end: to });
      return true;
    }
    const word = text.slice(from, to);
    const value = Number(word);
    if (!/^[-+]?[\d.]/.test(word) || !Number.isFinite(value)) return false;
    items.push({ type: 'number', value, integer: /^[-+]?\d+$/.test(word), start: from, end: to });
    return true;
  };
  let level = 0;
  let from = open + 1;
  for (let i = open + 1; i < close; i++) {
    const c = text[i];
    if (c === '[' || c === '(') level++;
    else if (c === ']' || c === ')') level--;
    else if (c === ',' && level === 0) {
      if (!item(from, i)) return null;
      from = i + 1;
    }
  }
  return item(from, close) ? items : null;
}

/**
 * The items of a value the tokenizer read as one ragged literal (an array with an error and no data),
 * read apart and evaluated one by one; null when it is not one, or has more than `max` items (its
 * outer length is known without reading it apart: a long list is not read item by item).
 */
export function raggedItems(ev: Evaluation, v: Value, max: number): Value[] | null {
  if (v.kind !== 'array' || v.array.data !== null || !v.array.site.error || v.array.transform !== null) return null;
  const site = v.array.site;
  const n = site.shape[0];
  if (!(n > 0 && n <= max)) return null;
  const items = literalItems(ev.ctx, site.literalStart, site.literalEnd);
  if (!items) return null;
  ev.ctx.withdrawRagged(site);
  return items.map((i) => ev.evaluate(i));
}
