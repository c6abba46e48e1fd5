/**
 * Where strings, template literals and regular expressions end: pure scans the tokenizers call
 * (each reads forward only, so a file is read once). An unterminated one is reported through
 * `report` and ends where its line (or the text) does.
 */
import { lastNumber, parseDecimal } from '../numbers';
import { Char, identTable } from './tokens';

/** Receives a problem found while scanning: what, and where. */
export type ProblemReport = (message: string, start: number, end: number) => void;

/** End of a Python string whose prefix starts at `start` and quote is at `q`. */
export function pythonStringEnd(text: string, start: number, q: number, report: ProblemReport): number {
  const len = text.length;
  const quote = text.charCodeAt(q);
  let end: number;
  if (text.charCodeAt(q + 1) === quote && text.charCodeAt(q + 2) === quote) {
    const delim = quote === Char.Quote1 ? "'''" : '"""';
    let i = q + 3;
    for (;;) {
      const j = text.indexOf(delim, i);
      if (j < 0) {
        report('unterminated triple-quoted string literal', start, len);
        end = len;
        break;
      }
      let k = j - 1;
      while (k >= q + 3 && text.charCodeAt(k) === Char.Backslash) k--;
      if ((j - 1 - k) % 2 === 1) {
        i = j + 1;
        continue;
      }
      end = j + 3;
      break;
    }
  } else {
    let i = q + 1;
    for (;;) {
      if (i >= len) {
        report('unterminated string literal', start, len);
        end = len;
        break;
      }
      const c = text.charCodeAt(i);
      if (c === quote) {
        end = i + 1;
        break;
      }
      if (c === Char.Backslash) {
        i += text.charCodeAt(i + 1) === Char.Cr && text.charCodeAt(i + 2) === Char.Lf ? 3 : 2;
        continue;
      }
      if (c === Char.Lf || c === Char.Cr) {
        report('unterminated string literal', start, i);
        end = i;
        break;
      }
      i++;
    }
  }
  return end;
}

/** End of a JavaScript string quoted at `pos`. */
export function jsStringEnd(text: string, pos: number, report: ProblemReport): number {
  const len = text.length;
  const quote = text.charCodeAt(pos);
  let i = pos + 1;
  let end: number;
  for (;;) {
    if (i >= len) {
      report('unterminated string literal', pos, len);
      end = len;
      break;
    }
    const c = text.charCodeAt(i);
    if (c === quote) {
      end = i + 1;
      break;
    }
    if (c === Char.Backslash) {
      i += 2;
      continue;
    }
    if (c === Char.Lf || c === Char.Cr) {
      report('unterminated string literal', pos, i);
      end = i;
      break;
    }
    i++;
  }
  return end;
}

/** End of a template literal at `pos`, with `${…}` expressions (and templates inside them) skipped. */
export function templateEnd(text: string, pos: number, report: ProblemReport): number {
  const len = text.length;
  const stack: number[] = [-1]; // -1: template text; n ≥ 0: brace depth inside ${…}
  let i = pos + 1;
  while (i < len && stack.length > 0) {
    const top = stack[stack.length - 1];
    const c = text.charCodeAt(i);
    if (top < 0) {
      if (c === Char.Backslash) i += 2;
      else if (c === Char.Backtick) {
        stack.pop();
        i++;
      } else if (c === Char.Dollar && text.charCodeAt(i + 1) === Char.LBrace) {
        stack.push(0);
        i += 2;
      } else i++;
    } else if (c === Char.LBrace) {
      stack[stack.length - 1]++;
      i++;
    } else if (c === Char.RBrace) {
      if (top === 0) stack.pop();
      else stack[stack.length - 1]--;
      i++;
    } else if (c === Char.Backtick) {
      stack.push(-1);
      i++;
    } else if (c === Char.Quote1 || c === Char.Quote2) {
      i++;
      while (i < len) {
        const d = text.charCodeAt(i);
        if (d === Char.Backslash) {
          i += 2;
          continue;
        }
        i++;
        if (d === c || d === Char.Lf) break;
      }
    } else i++;
  }
  if (stack.length > 0) report('unterminated template literal', pos, len);
  return Math.min(i, len);
}

/** End of the regex literal at `pos`, or -1 when it does not close on its line. */
export function regexEnd(text: string, pos: number): number {
  const len = text.length;
  let i = pos + 1;
  let inClass = false;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c === Char.Lf || c === Char.Cr) return -1;
    if (c === Char.Backslash) {
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === Char.RBracket) inClass = false;
    } else if (c === Char.LBracket) inClass = true;
    else if (c === Char.Slash) {
      i++;
      while (i < len && (text.charCodeAt(i) < 128 ? identTable[text.charCodeAt(i)] !== 0 : false)) i++;
      return i;
    }
    i++;
  }
  return -1;
}

/** Keywords that only start a statement (a line inside brackets never begins with one). */
const statementWords = /^(?:def|class|import|from|return|while|with|print|assert|raise|try|elif|else)\b/;

/**
 * A `for` statement has its `:` on the line; a generator's `for` clause continued onto a line of
 * its own (`for i in range(n) if p[i] > 0)`) has none outside a subscript.
 */
const forStatement = /^for\b[^#:]*:/;

/**
 * Python, inside brackets still open at a line break: does the line at `lineStart` begin a new
 * statement, at an indentation no deeper than `indent` (that of the statement still open)? Then
 * the bracket was left unclosed (an edit in progress) and reading resumes there, so one unclosed
 * bracket does not swallow the rest of the file. Only forms a continuation line never takes are
 * taken: a statement keyword, or `name = …` / `name.attr = …` (not `==`, not a keyword argument,
 * which sits deeper than the statement it belongs to).
 */
export function restartsStatement(text: string, lineStart: number, indent: number): boolean {
  let i = lineStart;
  while (i < text.length && (text.charCodeAt(i) === Char.Space || text.charCodeAt(i) === Char.Tab)) i++;
  if (i - lineStart > indent || i >= text.length) return false;
  const head = text.slice(i, Math.min(text.length, i + 200));
  if (statementWords.test(head) || forStatement.test(head)) return true;
  return /^[A-Za-z_][\w.]*\s*=(?!=)/.test(head) && !closesOpenBracket(head) && !keywordArgument(head);
}

/**
 * Is this line a keyword argument of the open call, its indentation lost (`from_logits=True,` at the
 * margin, as pages copied by mirrors keep a multi-line call)? A plain name (an argument has no dot),
 * `=`, and a comma ending the line outside any bracket the line opens: no new statement ends that way
 * (docs/detection.md 3.312).
 */
function keywordArgument(head: string): boolean {
  const m = /^[A-Za-z_]\w*\s*=(?!=)([^\r\n]*)/.exec(head);
  if (!m) return false;
  let depth = 0;
  let quote = '';
  let last = '';
  for (let k = 0; k < m[1].length; k++) {
    const c = m[1][k];
    if (quote) {
      if (c === '\\') k++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '#') break;
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    if (c !== ' ' && c !== '\t') last = c;
  }
  return quote === '' && depth === 0 && last === ',';
}

/**
 * Does this line close a bracket it did not open (`sample_weight=[1, 0])` written at the margin)?
 * Then it is the last line of the open call, a keyword argument, not a new statement.
 */
function closesOpenBracket(line: string): boolean {
  let depth = 0;
  for (let k = 0; k < line.length; k++) {
    const c = line[k];
    if (c === '\n' || c === '\r' || c === '#') return false;
    if (c === '"' || c === "'") {
      // A string argument (`reduction="sum")`): skipped to its closing quote on this line.
      let e = k + 1;
      while (e < line.length && line[e] !== c && line[e] !== '\n' && line[e] !== '\r') e += line[e] === '\\' ? 2 : 1;
      if (e >= line.length || line[e] !== c) return false;
      k = e;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') if (--depth < 0) return true;
  }
  return false;
}

/** Start of the line holding `pos`. */
export function lineStartOf(text: string, pos: number): number {
  let i = pos;
  while (i > 0 && text.charCodeAt(i - 1) !== Char.Lf && text.charCodeAt(i - 1) !== Char.Cr) i--;
  return i;
}

/**
 * The number {@link numberEnd} read last: its value (NaN when it is not a plain number) and 1 when
 * it was written as an integer, else 0 (a typed array: doubles stored unboxed, no allocation).
 */
export const numberOut = new Float64Array(2);

/**
 * End of the numeric token at `pos` (decimal, `0x`/`0o`/`0b`, with a suffix such as `1j` or `10n`
 * taken into the token but losing its value); its value in {@link numberOut}.
 */
export function numberEnd(text: string, pos: number): number {
  const c = text.charCodeAt(pos);
  const d = text.charCodeAt(pos + 1) | 0x20;
  let end: number;
  let value = NaN;
  let integral = 0;
  if (c === Char.Zero && (d === 120 || d === 111 || d === 98)) {
    end = pos + 2;
    const radix = d === 120 ? 16 : d === 111 ? 8 : 2;
    let v = 0;
    for (;;) {
      const e = text.charCodeAt(end);
      let k = -1;
      if (e >= 48 && e <= 57) k = e - 48;
      else if ((e | 0x20) >= 97 && (e | 0x20) <= 102) k = (e | 0x20) - 87;
      else if (e === 95) {
        end++;
        continue;
      }
      if (k < 0 || k >= radix) break;
      v = v * radix + k;
      end++;
    }
    value = v;
    integral = 1;
  } else if (parseDecimal(text, pos, true)) {
    end = lastNumber.end;
    value = lastNumber.value;
    integral = lastNumber.integral ? 1 : 0;
  } else end = pos + 1;
  // Suffixes (1j, 10n, 1L) make it something else: keep the token, lose the value.
  while (end < text.length) {
    const e = text.charCodeAt(end);
    if (e < 128 ? identTable[e] !== 0 : isUnicodeIdent(e)) {
      end++;
      value = NaN;
      integral = 0;
    } else break;
  }
  numberOut[0] = value;
  numberOut[1] = integral;
  return end;
}

/** A character outside ASCII that the tokenizers read as part of a name. */
export function isUnicodeIdent(c: number): boolean {
  // Anything outside ASCII except the spaces editors treat as whitespace (NBSP, BOM, LS, PS).
  return (
    c >= 128 &&
    c !== 0xa0 &&
    c !== 0xfeff &&
    c !== 0x2028 &&
    c !== 0x2029 &&
    !(c >= 0x2000 && c <= 0x200b) &&
    c !== 0x3000
  );
}
