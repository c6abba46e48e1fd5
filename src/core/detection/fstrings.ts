/**
 * Python f-strings printed or logged (`print(f"loss: {F.cross_entropy(z, k):.4f}")`): the
 * expressions inside the braces are what the statement computes, so they are read as the call's
 * arguments. The rewrite keeps every offset: the prefix, the quotes, the text and the format
 * specs become spaces, the first `{` a space and each later `{` a comma, and each `}` a space,
 * so the line above reads as `print(       F.cross_entropy(z, k)      )`. Only one-line
 * f-strings that open a print or logging call's argument list are rewritten, or that follow plain
 * string literals there (`print("loss:", f"{ce(z, k).item():.4f}")`, a label printed first: the
 * labels stay as they are, the line then prints a label and the value). A string argument written
 * as adjacent literals, on one line or wrapped over several (`print(f'BCE: '` / `f'{bce(x, y):.4f}')`,
 * Python joins them), is one argument: its literals without expressions become spaces and its
 * f-strings' expressions are read in order (docs/detection.md 3.132).
 */

/**
 * A print or logging call whose argument list opens with an f-string, or with plain one-line string
 * literals (no prefix, no escape) and then an f-string. Group 1 is the f-string's quote.
 */
const printedFString =
  /\b(?:print|display|info|debug|warning|warn|log|write)\(\s*(?:(?:'[^'\\\n]*'|"[^"\\\n]*"|[fF][rR]?'[^'\\\n{]*'|[fF][rR]?"[^"\\\n{]*")(?!['"])\s*,?\s*)*[fF][rR]?(['"])(?!\1\1)/g;

/** Does the text hold a printed f-string at all (the cheap test before {@link rewritePrintedFStrings})? */
export function hasPrintedFString(text: string): boolean {
  // A cheap check first (a quote after an f or fr prefix): most files have no f-string at all,
  // and it costs far less than the expression's scan for a call name before each one.
  if (!quoteAfterPrefix(text, '"') && !quoteAfterPrefix(text, "'")) return false;
  printedFString.lastIndex = 0;
  return printedFString.test(text);
}

/**
 * Is some `quote` right after what an f-string's prefix ends with (`f`, or `r` after it, either
 * case)? One search per quote character, not one per spelling (eight whole-text scans were a
 * sixth of a 10 MB literal file's time).
 */
function quoteAfterPrefix(text: string, quote: string): boolean {
  for (let i = text.indexOf(quote, 1); i >= 0; i = text.indexOf(quote, i + 1)) {
    const c = text.charCodeAt(i - 1) | 0x20;
    if (c === 102 || c === 114) return true;
  }
  return false;
}

/** The text with each printed f-string rewritten into its expressions (same length, same lines). */
export function rewritePrintedFStrings(text: string): string {
  const out = text.split('');
  printedFString.lastIndex = 0;
  for (let m = printedFString.exec(text); m; m = printedFString.exec(text)) {
    const quote = m[1];
    const open = m.index + m[0].length - 1;
    const prefixStart = m.index + (/[fF][rR]?['"]$/.exec(m[0])?.index ?? m[0].length - 2);
    const rewritten = rewriteOne(text, prefixStart, open, quote);
    if (!rewritten) continue;
    for (let i = 0; i < rewritten.text.length; i++) out[prefixStart + i] = rewritten.text[i];
    const end = adjacentLiterals(text, out, prefixStart, prefixStart + rewritten.text.length);
    printedFString.lastIndex = laterArguments(text, out, end);
  }
  return out.join('');
}

/**
 * The f-string arguments after a rewritten one in the same call (`print(f"BCE {a:.4f}", f"CE {b:.4f}")`,
 * docs/detection.md 3.189), each rewritten in turn with its adjacent literals; plain one-line
 * literals between them stay arguments. Stops at anything else; returns where the scan goes on.
 */
function laterArguments(text: string, out: string[], from: number): number {
  let at = from;
  for (;;) {
    let next = at;
    while (next < text.length && /[ \t]/.test(text[next])) next++;
    if (text[next] !== ',') return at;
    next++;
    while (next < text.length && /\s/.test(text[next])) next++;
    const m = /^([fF][rR]?|[rR]?[fF]|)(['"])/.exec(text.slice(next, next + 3));
    if (!m) return at;
    const open = next + m[1].length;
    if (text[open + 1] === m[2] && text[open + 2] === m[2]) return at;
    if (m[1] === '') {
      const close = text.indexOf(m[2], open + 1);
      const line = text.indexOf('\n', open + 1);
      if (close < 0 || (line >= 0 && line < close) || text.slice(open + 1, close).includes('\\')) return at;
      at = close + 1;
      continue;
    }
    const rewritten = rewriteOne(text, next, open, m[2]);
    if (!rewritten) return at;
    for (let i = 0; i < rewritten.text.length; i++) out[next + i] = rewritten.text[i];
    at = adjacentLiterals(text, out, next, next + rewritten.text.length);
  }
}

/** A string literal's prefix letters and quote (`f'`, `rb"`, `'`), at the start of the rest of the text. */
const literalStart = /^([a-zA-Z]{0,2})(['"])/;

/**
 * The literals joined to the rewritten f-string at [from, to) by adjacency (Python's implicit
 * concatenation, over lines inside the call's brackets): those before it, back to a comma or the
 * bracket, and those after it. A literal without expressions becomes spaces; a later f-string's
 * expressions follow the first's after a comma. Returns where the argument ends (the scan goes on
 * from there). A literal that does not close on its line, a string with a `b` or `u` prefix and
 * anything else end the run.
 */
function adjacentLiterals(text: string, out: string[], from: number, to: number): number {
  // Before: `'BCE: '` / `f'label '` right before the f-string, no comma between them.
  for (let end = skipBack(text, from); end > 0 && (text[end - 1] === "'" || text[end - 1] === '"');) {
    const quote = text[end - 1];
    const open = text.lastIndexOf(quote, end - 2);
    if (open < 0 || text.slice(open + 1, end - 1).includes('\n') || text[open - 1] === quote) break;
    let start = open;
    while (start > 0 && /[fFrR]/.test(text[start - 1]) && open - start < 2) start--;
    // An identifier's tail is no prefix; an earlier f-string with expressions is an argument of its own making.
    if (/\w/.test(text[start - 1] ?? '') || (start < open && text.slice(open, end).includes('{'))) break;
    for (let i = start; i < end; i++) out[i] = ' ';
    end = skipBack(text, start);
  }
  // After: each adjacent literal in turn.
  let at = to;
  for (;;) {
    let next = at;
    while (next < text.length && /\s/.test(text[next])) next++;
    const m = literalStart.exec(text.slice(next, next + 3));
    if (!m || /[bBuU]/.test(m[1]) || (m[1] !== '' && !/^[fFrR]+$/.test(m[1]))) return at;
    const open = next + m[1].length;
    if (text[open + 1] === m[2] && text[open + 2] === m[2]) return at;
    if (/[fF]/.test(m[1])) {
      const more = rewriteOne(text, next, open, m[2], true);
      if (more) {
        for (let i = 0; i < more.text.length; i++) out[next + i] = more.text[i];
        at = next + more.text.length;
        continue;
      }
    }
    const close = text.indexOf(m[2], open + 1);
    const line = text.indexOf('\n', open + 1);
    if (close < 0 || (line >= 0 && line < close) || text.slice(open + 1, close).includes('\\')) return at;
    for (let i = next; i <= close; i++) out[i] = ' ';
    at = close + 1;
  }
}

/** The offset after the last non-space character before `at`. */
function skipBack(text: string, at: number): number {
  let i = at;
  while (i > 0 && /\s/.test(text[i - 1])) i--;
  return i;
}

/**
 * The f-string from its prefix at `start` (quote at `open`) to its closing quote, rewritten; null
 * when it does not close on its line or holds no expression.
 */
function rewriteOne(
  text: string,
  start: number,
  open: number,
  quote: string,
  continued = false,
): { text: string } | null {
  const chars: string[] = [];
  for (let i = start; i <= open; i++) chars.push(' ');
  // A later literal of the same argument: its first expression follows the earlier ones after a comma.
  let expressions = continued ? 1 : 0;
  let i = open + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n' || c === '\r') return null;
    if (c === '\\') {
      chars.push(' ', ' ');
      i += 2;
      continue;
    }
    if (c === quote) {
      chars.push(' ');
      return expressions > (continued ? 1 : 0) ? { text: chars.join('') } : null;
    }
    if ((c === '{' && text[i + 1] === '{') || (c === '}' && text[i + 1] === '}')) {
      chars.push(' ', ' ');
      i += 2;
      continue;
    }
    if (c !== '{') {
      chars.push(' ');
      i++;
      continue;
    }
    // An expression: up to its `}`, with a `!r` conversion or a `:spec` at depth 0 blanked.
    chars.push(expressions++ === 0 ? ' ' : ',');
    i++;
    let depth = 0;
    let spec = false;
    let inner: string | null = null;
    for (; i < text.length; i++) {
      const d = text[i];
      if (d === '\n' || d === '\r' || (d === quote && inner === null)) return null;
      if (inner !== null) {
        if (d === inner) inner = null;
        chars.push(spec ? ' ' : d);
        continue;
      }
      if (d === '}' && depth === 0) break;
      if (!spec && (d === "'" || d === '"')) inner = d;
      else if (d === '(' || d === '[' || d === '{') depth++;
      else if (d === ')' || d === ']' || d === '}') depth--;
      else if (depth === 0 && (d === ':' || (d === '!' && text[i + 1] !== '='))) spec = true;
      // `{loss=}` (Python 3.8's self-documenting field): the `=` is no part of the expression.
      else if (depth === 0 && !spec && selfDocumentingEquals(text, i)) {
        chars.push(' ');
        continue;
      }
      chars.push(spec ? ' ' : d);
    }
    if (i >= text.length) return null;
    chars.push(' ');
    i++;
  }
  return null;
}

/**
 * Is the `=` at `i` a self-documenting field's (`{loss=}`, `{loss.item()=:.4f}`, `{ x = !r}`): not
 * part of `==`, `!=`, `<=`, `>=`, and followed by nothing but spaces before the field's `}`, its
 * `:` spec or its `!` conversion?
 */
export function selfDocumentingEquals(text: string, i: number): boolean {
  if (text[i] !== '=' || '=!<>'.includes(text[i - 1]) || text[i + 1] === '=') return false;
  let k = i + 1;
  while (text[k] === ' ') k++;
  return text[k] === '}' || text[k] === ':' || (text[k] === '!' && text[k + 1] !== '=');
}
