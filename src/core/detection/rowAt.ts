/**
 * Positions inside a nested literal, for hovers: which element an offset falls in, and where each
 * top-level row starts. Both walk brackets and commas from the literal's start and skip strings and
 * comments, so `# a, b` inside a multi-line Python literal is not a comma. No recursion.
 */
export type LiteralLang = 'python' | 'js' | 'json';

/**
 * Calls `visit(charCode, offset)` for every bracket, parenthesis and comma in [from, to) that is
 * code (not in a string or comment). Stops early when `visit` returns false.
 */
export function walkStructure(
  text: string,
  from: number,
  to: number,
  lang: LiteralLang,
  visit: (c: number, i: number) => boolean,
): void {
  let i = from;
  const end = Math.min(to, text.length);
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 0x5b /* [ */ || c === 0x28 /* ( */ || c === 0x5d /* ] */ || c === 0x29 /* ) */ || c === 0x2c /* , */) {
      if (!visit(c, i)) return;
    } else if (c === 0x23 /* # */ && lang === 'python') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? end : nl;
      continue;
    } else if (c === 0x2f /* / */ && lang === 'js' && text.charCodeAt(i + 1) === 0x2f) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? end : nl;
      continue;
    } else if (c === 0x2f && lang === 'js' && text.charCodeAt(i + 1) === 0x2a) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? end : close + 2;
      continue;
    } else if (c === 0x22 || c === 0x27) {
      // A quoted word such as float('nan'): skip to the closing quote.
      const close = text.indexOf(String.fromCharCode(c), i + 1);
      i = close < 0 ? end : close + 1;
      continue;
    }
    i++;
  }
}

const isOpen = (c: number): boolean => c === 0x5b || c === 0x28;
const isClose = (c: number): boolean => c === 0x5d || c === 0x29;

/**
 * Which element of a nested literal a document offset falls in: the index at each depth, e.g.
 * [1, 3] for the 4th number of the 2nd row. Linear in the distance from `literalStart` to `offset`.
 */
export function indexPathAt(text: string, literalStart: number, offset: number, lang: LiteralLang): number[] {
  const path: number[] = [];
  let closed = false;
  walkStructure(text, literalStart, offset, lang, (c) => {
    if (isOpen(c)) path.push(0);
    else if (isClose(c)) {
      path.pop();
      if (path.length === 0) {
        closed = true;
        return false;
      }
    } else if (path.length) path[path.length - 1]++;
    return true;
  });
  return closed ? [] : path;
}

/** Offsets where each top-level element of the literal starts (after its `[` or a depth-1 comma). */
export function topLevelStarts(text: string, literalStart: number, literalEnd: number, lang: LiteralLang): Int32Array {
  const starts: number[] = [];
  let depth = 0;
  walkStructure(text, literalStart, literalEnd, lang, (c, i) => {
    if (isOpen(c)) {
      depth++;
      if (depth === 1) starts.push(i + 1);
    } else if (isClose(c)) {
      depth--;
      if (depth === 0) return false;
    } else if (depth === 1) starts.push(i + 1);
    return true;
  });
  return Int32Array.from(starts);
}
