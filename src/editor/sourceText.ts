/**
 * Small readers of source text the editor needs for its diagnostics and quick fixes: the elements
 * of a target literal, and the argument of a softmax call. Each reads one short span in one pass
 * (no backtracking patterns), and answers null or nothing when the text is not the simple shape it
 * knows, so a fix is never offered on a guess. Pure: no `vscode`.
 */

/** One element of a literal: its text and its offsets within the literal's text. */
export interface ElementSpan {
  text: string;
  start: number;
  end: number;
}

/** Literals longer than this are not scanned (the squiggle then stays on the call). */
export const maxScannedLiteral = 1_000_000;

/**
 * The elements of a class-index literal (`[1, 10]`, `[[0, 3], [9, 12]]`) that are not valid
 * classes: below 0 or at least C, and not `ignoreIndex`. Elements are the numbers in the text in
 * row-major order, the order torch reads them in. At most `limit`.
 */
export function outOfRangeTargets(literal: string, C: number, ignoreIndex: number, limit: number): ElementSpan[] {
  if (literal.length > maxScannedLiteral) return [];
  const out: ElementSpan[] = [];
  const n = literal.length;
  let i = 0;
  while (i < n && out.length < limit) {
    const ch = literal.charCodeAt(i);
    const digit = ch >= 48 && ch <= 57;
    const signed = (ch === 45 || ch === 43) && i + 1 < n && isDigit(literal.charCodeAt(i + 1));
    // A number starts at a digit or sign not glued to a name (`x1`, `1e-5`'s exponent is read with its number).
    if ((digit || signed) && (i === 0 || !isWordChar(literal.charCodeAt(i - 1)))) {
      let j = i + 1;
      while (j < n && isNumberChar(literal.charCodeAt(j), literal.charCodeAt(j - 1))) j++;
      const text = literal.slice(i, j);
      const v = Number(text.replace(/_/g, ''));
      if (Number.isFinite(v) && v !== ignoreIndex && (v < 0 || v >= C))
        out.push({ text: text.startsWith('+') ? text.slice(1) : text, start: i, end: j });
      i = j;
      continue;
    }
    i++;
  }
  return out;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isWordChar(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46;
}

/** Digits, `.`, `_`, an exponent `e`, and a sign right after the exponent. */
function isNumberChar(c: number, previous: number): boolean {
  if (isDigit(c) || c === 46 || c === 95 || c === 101 || c === 69) return true;
  return (c === 45 || c === 43) && (previous === 101 || previous === 69);
}

/**
 * The first argument of a call's argument text (`x, dim=1` → `x`), at bracket depth 0, without a
 * keyword (`input=x` → `x`); null when there is none.
 */
export function firstArgument(args: string): string | null {
  let depth = 0;
  let quote = 0;
  let end = args.length;
  for (let i = 0; i < args.length; i++) {
    const c = args.charCodeAt(i);
    if (quote) {
      if (c === 92) i++;
      else if (c === quote) quote = 0;
      continue;
    }
    if (c === 34 || c === 39) quote = c;
    else if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) depth--;
    else if (c === 44 && depth === 0) {
      end = i;
      break;
    }
  }
  const first = args.slice(0, end).trim();
  const keyword = /^(?:input|x)\s*=\s*(?!=)/.exec(first);
  const value = keyword ? first.slice(keyword[0].length).trim() : first;
  return value === '' || /^[A-Za-z_]\w*\s*=[^=]/.test(value) ? null : value;
}

/** Where the matching `)` of the `(` at `open` is, or -1. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41 && --depth === 0) return i;
  }
  return -1;
}

/**
 * What a softmax call applies to, for "remove the extra softmax": `F.softmax(x, dim=1)`,
 * `torch.softmax(x, 1)`, `torch.nn.functional.softmax(input=x)` and `nn.Softmax(dim=1)(x)` → `x`;
 * the method form `x.softmax(dim=1)` → `x`. Null for anything else (a variable that holds
 * probabilities: the softmax is elsewhere, and no edit here would remove it).
 */
export function softmaxArgument(text: string): { text: string } | null {
  const t = text.trim();
  const fn = /^(?:(?:torch\.)?(?:nn\.)?functional\.|F\.|torch\.)?softmax\s*\(/.exec(t);
  if (fn) {
    const open = fn[0].length - 1;
    if (closing(t, open) !== t.length - 1) return null;
    const arg = firstArgument(t.slice(open + 1, -1));
    return arg ? { text: arg } : null;
  }
  const module = /^(?:torch\.)?(?:nn\.)?Softmax\s*\(/.exec(t);
  if (module) {
    const first = closing(t, module[0].length - 1);
    if (first < 0) return null;
    const rest = t.slice(first + 1).trimStart();
    const second = t.length - rest.length;
    if (!rest.startsWith('(') || closing(t, second) !== t.length - 1) return null;
    const arg = firstArgument(t.slice(second + 1, -1));
    return arg ? { text: arg } : null;
  }
  // The method form: the receiver is everything before the last `.softmax(` at depth 0.
  const method = t.lastIndexOf('.softmax(');
  if (method > 0 && closing(t, method + '.softmax'.length) === t.length - 1) {
    const receiver = t.slice(0, method).trim();
    if (/^[A-Za-z_][\w.]*(?:\[[^\]]*\])?$/.test(receiver) && !/^(?:torch|F|nn|functional)$/.test(receiver))
      return { text: receiver };
  }
  return null;
}
