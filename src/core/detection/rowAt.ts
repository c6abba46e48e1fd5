/**
 * Which element of a nested literal a document offset falls in: the index at each depth, e.g.
 * [1, 3] for the 4th number of the 2nd row. A bracket-and-comma walk from the literal's start
 * that skips strings and comments, so `# a, b` inside a multi-line Python literal is not a comma.
 * Linear in the distance from the literal's start to the offset; no recursion.
 */
export function indexPathAt(text: string, literalStart: number, offset: number, lang: 'python' | 'js' | 'json'): number[] {
  const path: number[] = [];
  let i = literalStart;
  const end = Math.min(offset, text.length);
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 0x5b /* [ */ || c === 0x28 /* ( */) {
      path.push(0);
    } else if (c === 0x5d /* ] */ || c === 0x29 /* ) */) {
      path.pop();
      if (path.length === 0) return [];
    } else if (c === 0x2c /* , */) {
      if (path.length) path[path.length - 1]++;
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
  return path;
}
