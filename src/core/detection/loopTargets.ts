/**
 * The names a comprehension's `for` binds: one name (`for v in …`), or a tuple of plain names
 * (`for y, p in zip(…)`, `for (y, p) in …`), as Python unpacks each item. Anything else (nested
 * tuples, starred or subscripted targets) is not read here.
 */
/** The parser's token reads this needs (expr.ts's ExprParser has them; not imported: it imports this). */
interface Tokens {
  isOp(i: number, code: number): boolean;
  isName(i: number, word?: string): boolean;
  skip(i: number): number;
  tokText(i: number): string;
}

/** The names bound after the `for` at token j, and the index of its `in`; null when not plain names. */
export function loopTarget(p: Tokens, j: number, to: number): { names: string[]; inAt: number } | null {
  let from = j + 1;
  let end = -1;
  if (p.isOp(from, 40)) {
    end = p.skip(from) - 1;
    if (!p.isOp(end, 41) || !p.isName(end + 1, 'in')) return null;
    from++;
  }
  const names: string[] = [];
  for (let k = from; k < to; k += 2) {
    if (!p.isName(k) || p.isName(k, 'in')) return null;
    names.push(p.tokText(k));
    if (end >= 0 ? k + 1 === end : p.isName(k + 1, 'in')) return { names, inAt: end >= 0 ? end + 1 : k + 1 };
    if (!p.isOp(k + 1, 44)) return null;
  }
  return null;
}
