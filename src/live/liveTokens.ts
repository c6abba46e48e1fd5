/**
 * The tokens and statements of Python or JavaScript text, as the live bridge's one-statement reader
 * needs them: strings and comments skipped as units, statements split where they can end, and the
 * bracket helpers the call and expression parsers share. Independent of src/core/detection.
 */

export type LiveLanguage = 'python' | 'javascript';

export interface Token {
  type: 'name' | 'number' | 'string' | 'op' | 'newline';
  value: string;
  start: number;
  end: number;
  line: number;
}

export const pythonKeywords = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from ' +
    'global if import in is lambda nonlocal not or pass raise return try while with yield'
  ).split(' '),
);
export const jsKeywords = new Set(
  (
    'await break case catch class const continue debugger default delete do else export extends false finally for ' +
    'function if import in instanceof let new null return super switch this throw true try typeof undefined var ' +
    'void while with yield'
  ).split(' '),
);

/** Largest text read in full; beyond it only a window around the line is tokenised. */
const maxWholeText = 2_000_000;

/**
 * Tokenises Python or JavaScript text. Strings and comments are skipped as units, so a loss call
 * inside a string is never taken for code. Unterminated strings end at the end of their line.
 * `newline` tokens are emitted only where a statement can end (bracket depth 0, no backslash).
 */
export function tokenize(text: string, language: LiveLanguage, baseLine = 0): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = baseLine;
  let depth = 0;
  const n = text.length;
  const push = (type: Token['type'], start: number, end: number) =>
    out.push({ type, value: text.slice(start, end), start, end, line });
  while (i < n) {
    const ch = text.charAt(i);
    if (ch === '\n') {
      if (depth === 0) push('newline', i, i + 1);
      line++;
      i++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f') {
      i++;
      continue;
    }
    if (ch === '\\' && text[i + 1] === '\n') {
      i += 2;
      line++;
      continue;
    }
    if (language === 'python' && ch === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (language === 'javascript' && ch === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (language === 'javascript' && ch === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const stop = close < 0 ? n : close + 2;
      for (let k = i; k < stop; k++) if (text[k] === '\n') line++;
      i = stop;
      continue;
    }
    if (isNameStart(ch)) {
      let j = i + 1;
      while (j < n && isNamePart(text.charAt(j))) j++;
      // Python string prefixes (r, b, f, rb, …) directly followed by a quote.
      if (language === 'python' && j - i <= 2 && /^[rRbBuUfF]+$/.test(text.slice(i, j)) && isQuote(text[j])) {
        const start = i;
        const startLine = line;
        const end = skipString(text, j, language, (k) => {
          if (text[k] === '\n') line++;
        });
        out.push({ type: 'string', value: text.slice(start, end), start, end, line: startLine });
        i = end;
        continue;
      }
      push('name', i, j);
      i = j;
      continue;
    }
    if (isDigit(ch) || (ch === '.' && isDigit(text.charAt(i + 1)))) {
      let j = i;
      if (ch === '0' && /[xXoObB]/.test(text.charAt(i + 1))) {
        j += 2;
        while (j < n && /[0-9a-fA-F_]/.test(text.charAt(j))) j++;
      } else {
        while (j < n && /[0-9_]/.test(text.charAt(j))) j++;
        if (text[j] === '.') {
          j++;
          while (j < n && /[0-9_]/.test(text.charAt(j))) j++;
        }
        if (/[eE]/.test(text.charAt(j)) && /[-+0-9]/.test(text.charAt(j + 1))) {
          j += 2;
          while (j < n && /[0-9_]/.test(text.charAt(j))) j++;
        }
      }
      while (j < n && /[jJnL]/.test(text.charAt(j))) j++;
      push('number', i, j);
      i = j;
      continue;
    }
    if (isQuote(ch) || (language === 'javascript' && ch === '`')) {
      const start = i;
      const startLine = line;
      const end = skipString(text, i, language, (k) => {
        if (text[k] === '\n') line++;
      });
      out.push({ type: 'string', value: text.slice(start, end), start, end, line: startLine });
      i = end;
      continue;
    }
    // JavaScript blocks ({ … } at bracket depth 0) separate statements; object literals inside a
    // call sit at depth > 0 and stay part of it. Python statements end only outside all brackets.
    if (language === 'javascript' && depth === 0 && (ch === '{' || ch === '}')) {
      push('newline', i, i + 1);
      i++;
      continue;
    }
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
    const two = text.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=' || two === '**' || two === '=>' || two === '->') {
      push('op', i, i + 2);
      i += 2;
      continue;
    }
    if (ch === ';' && depth === 0) {
      push('newline', i, i + 1);
      i++;
      continue;
    }
    push('op', i, i + 1);
    i++;
  }
  return out;
}

function isNameStart(ch: string): boolean {
  return /[A-Za-z_$]/.test(ch) || ch.charCodeAt(0) > 127;
}
function isNamePart(ch: string): boolean {
  return /[A-Za-z0-9_$]/.test(ch) || ch.charCodeAt(0) > 127;
}
function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}
function isQuote(ch: string | undefined): boolean {
  return ch === '"' || ch === "'";
}

/** Returns the offset after the string starting at `i` (a quote); `onChar` sees every consumed offset. */
function skipString(text: string, i: number, language: LiveLanguage, onChar: (k: number) => void): number {
  const n = text.length;
  const q = text.charAt(i);
  const triple = language === 'python' && text.slice(i, i + 3) === q.repeat(3);
  let j = i + (triple ? 3 : 1);
  while (j < n) {
    const c = text[j];
    if (c === '\\') {
      onChar(j + 1);
      j += 2;
      continue;
    }
    if (triple) {
      if (text.startsWith(q.repeat(3), j)) return j + 3;
    } else if (c === q) {
      return j + 1;
    } else if (c === '\n' && q !== '`') {
      return j;
    }
    onChar(j);
    j++;
  }
  return n;
}

/**
 * A statement's tokens (never empty, so `first` and `last` always exist) and its nesting: block
 * depth (JavaScript) or indentation (Python).
 */
export interface Statement {
  tokens: Token[];
  first: Token;
  last: Token;
  depth: number;
}

/** The token at `k`, which the caller's bounds guarantee exists; a broken bound is a bug, not input. */
export function tokenAt(st: readonly Token[], k: number): Token {
  const t = st[k];
  if (!t) throw new RangeError(`token ${k} of a ${st.length}-token statement`);
  return t;
}

/** Splits tokens into statements (runs between `newline` tokens), each with its nesting depth. */
function statements(tokens: Token[], text: string, language: LiveLanguage): Statement[] {
  const out: Statement[] = [];
  let cur: Token[] = [];
  let block = 0;
  const flush = () => {
    const first = cur[0];
    const last = cur[cur.length - 1];
    if (first && last) out.push({ tokens: cur, first, last, depth: curDepth });
    cur = [];
  };
  const depthOf = (first: Token): number => {
    if (language === 'javascript') return block;
    const lineStart = text.lastIndexOf('\n', first.start - 1) + 1;
    return first.start - lineStart;
  };
  let curDepth = 0;
  for (const t of tokens) {
    if (t.type === 'newline') {
      flush();
      if (t.value === '{') block++;
      else if (t.value === '}') block = Math.max(0, block - 1);
    } else {
      if (!cur.length) curDepth = depthOf(t);
      cur.push(t);
    }
  }
  flush();
  return out;
}

export function statementsAround(text: string, line: number, language: LiveLanguage, window: number): Statement[] {
  if (text.length <= maxWholeText) {
    return statements(tokenize(text, language), text, language).filter(
      (st) => st.last.line >= line - window && st.first.line <= line + window,
    );
  }
  // A very large file: tokenise a window of lines only (a string opened above it is not seen).
  const lines = text.split('\n');
  const from = Math.max(0, line - window - 40);
  const to = Math.min(lines.length, line + window + 40);
  let offset = 0;
  for (const skipped of lines.slice(0, from)) offset += skipped.length + 1;
  const slice = lines.slice(from, to).join('\n');
  const toks = tokenize(slice, language, from).map((t) => ({ ...t, start: t.start + offset, end: t.end + offset }));
  return statements(toks, text, language);
}

export function matching(st: Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < st.length; k++) {
    const { type, value: v } = tokenAt(st, k);
    if (type !== 'op') continue;
    if (v === '(' || v === '[' || v === '{') depth++;
    else if (v === ')' || v === ']' || v === '}') {
      depth--;
      if (depth === 0) return k;
    }
  }
  return -1;
}

export interface ArgRange {
  name: string | null;
  from: number;
  to: number;
}

/** Arguments between `open` and its `close` parenthesis, with `name=` (Python) keywords split off. */
export function splitArgs(st: Token[], open: number, close: number): ArgRange[] {
  const out: ArgRange[] = [];
  let depth = 0;
  let from = open + 1;
  for (let k = open + 1; k <= close; k++) {
    const { type, value: v } = tokenAt(st, k);
    if (type === 'op' && (v === '(' || v === '[' || v === '{')) depth++;
    else if (type === 'op' && (v === ')' || v === ']' || v === '}') && k !== close) depth--;
    if ((k === close || (depth === 0 && v === ',' && type === 'op')) && k > from) {
      const head = tokenAt(st, from);
      if (head.type === 'name' && st[from + 1]?.value === '=' && from + 2 < k) {
        out.push({ name: head.value, from: from + 2, to: k });
      } else if (head.value === '*' || head.value === '**') {
        // *args / **kwargs: the mapping is unknown, keep the slot as an unreadable argument.
        out.push({ name: null, from, to: k });
      } else {
        out.push({ name: null, from, to: k });
      }
      from = k + 1;
    } else if (k === close || (depth === 0 && v === ',')) {
      from = k + 1;
    }
  }
  return out;
}
