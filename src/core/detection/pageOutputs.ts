/**
 * Printed output pasted into Python text without a comment marker, as rendered notebook pages and
 * API documentation show it:
 * - a page whose cells are headed by `In [3]:` lines: each cell's code, then (after a blank line)
 *   the lines the cell printed, up to two blank lines, a heading or comment, or the next cell;
 * - a printed repr (`array([…], dtype=float32)`, `tensor(…)`, `<tf.Tensor …>`) on the line right
 *   after a bare expression or a `print(…)` line, as a console shows it without its prompt; also a
 *   numpy vector printed without commas (`[0.10536 0.80567 0.06188]`), which is no Python; and a line
 *   holding only a number right after a bare expression (a number literal alone on a line computes
 *   nothing in a program, so there it is output).
 * The code itself is read with the rest of the file; this module only says which lines are output
 * and which code printed them. One pass over the lines.
 */
import type { OutputLine } from './context';
import { bracketDepth } from './doctest';
import { someLineMatches } from './lines';

export interface PageGroup {
  /** Offsets of the code whose producers printed `outputs`. */
  codeStart: number;
  codeEnd: number;
  outputs: OutputLine[];
}

interface Line {
  start: number;
  text: string;
}

const cellMarker = /^\s*In\s?\[\s*(?:\d*|None)\s*\]:\s*$/;
const cellMarkerAnywhere = /^\s*In\s?\[\s*(?:\d*|None)\s*\]:\s*$/m;
const reprAnywhere = /^\s*(?:tensor\(|array\(|tf\.Tensor\(|<tf\.Tensor|Tensor\()/m;
/** A printed tensor or array, as torch, TensorFlow and numpy print them. */
const reprLine = /^\s*(?:tensor\(|array\(|tf\.Tensor\(|<tf\.Tensor|Tensor\()/;
/** A printed number alone on its line (`0.8135988`, `1.2e-05`). */
const numberLine = /^[ \t]*-?(?:\d+\.\d*|\.\d+|\d+(?=[eE]))(?:[eE][-+]?\d+)?[ \t]*$/;
/** {@link numberLine} tried at one line start (see someLineMatches). */
const numberLineAt = /^[ \t]*-?(?:\d+\.\d*|\.\d+|\d+(?=[eE]))(?:[eE][-+]?\d+)?[ \t]*$/my;
/** A line that may be a number line: `-`, `.` or a digit after its blanks. */
function startsNumber(text: string): (start: number, first: number) => boolean {
  return (_start, first) => {
    const c = text.charCodeAt(first);
    return c === 45 || c === 46 || (c >= 48 && c <= 57);
  };
}

/** Whether some line of `text` is a number alone ({@link numberLine}). */
export function hasNumberLine(text: string): boolean {
  return someLineMatches(text, numberLineAt, startsNumber(text));
}
/** Above this size a page is not scanned for bare number lines (a regular expression over it costs memory). */
const numberScanLimit = 1 << 20;
/** numpy's print of a vector: numbers separated by spaces only (not a Python list). */
const numpyVector = /^\s*\[+ *-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?(?: +-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)+ *\]*\s*$/;
/** Lines longer than this are not read as a printed vector (numpy wraps its prints at 75 columns). */
const maxVectorLine = 2000;

export function isNumpyVector(line: string): boolean {
  return line.length <= maxVectorLine && numpyVector.test(line);
}

/**
 * Whether a top-level `print(` line has a comma-less vector under it. Found with `indexOf`, one line
 * at a time: splitting a file of many megabytes into lines only to learn it has none costs memory.
 */
function printedVector(text: string): boolean {
  for (let i = text.indexOf('print('); i >= 0; i = text.indexOf('print(', i + 6)) {
    if (i > 0 && text[i - 1] !== '\n') continue;
    const eol = text.indexOf('\n', i);
    if (eol < 0) return false;
    const next = text.indexOf('\n', eol + 1);
    if (isNumpyVector(text.slice(eol + 1, next < 0 ? text.length : Math.min(next, eol + 1 + maxVectorLine + 1))))
      return true;
  }
  return false;
}

/** A rule: a line of three or more dashes, equals signs or underscores only. */
const ruleLine = /^[ \t]*(?:-{3,}|={3,}|_{3,})[ \t]*$/;
/** A print of one expression, alone on its line at the top level. */
const printLine = /^print\(.*\)\s*(?:#.*)?$/;
const keyword =
  /^(?:import|from|def|class|for|while|if|elif|else|try|except|finally|with|return|assert|raise|del|pass|break|continue|global|nonlocal|lambda|yield|async|await|print)\b/;
/** A line only code has: a keyword, an assignment, a call or attribute chain ending the line. */
const codeShape =
  /^(?:[A-Za-z_][\w.]*(?:\[[^\]]*\])*\s*(?:[-+*/%@&|^]|\/\/|\*\*|<<|>>)?=[^=]|[A-Za-z_][\w.]*\s*[([][\s\S]*[)\]]\s*(?:#.*)?$|[A-Za-z_][\w.]*\s*[([{]\s*$)/;

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  const re = /[^\r\n]*(?:\r\n|\r|\n|$)/g;
  for (let m = re.exec(text); m && m[0] !== ''; m = re.exec(text))
    out.push({ start: m.index, text: m[0].replace(/[\r\n]+$/, '') });
  return out;
}

/** A line that reads as code rather than as something a program printed. */
function isCode(s: string): boolean {
  const t = s.trim();
  if (t.startsWith('#') || t.startsWith('@')) return true;
  if (reprLine.test(t)) return false;
  return /^\s/.test(s) || keyword.test(t) || codeShape.test(t);
}

/** A bare expression statement: code that is neither an assignment nor a keyword statement. */
function isBareExpression(s: string): boolean {
  const t = s.trim();
  if (t === '' || /^\s/.test(s) || t.startsWith('>>>') || t.startsWith('...') || reprLine.test(t)) return false;
  return /^[A-Za-z_][\w.]*\s*[([][\s\S]*[)\]]$/.test(t) && !keyword.test(t) && !/^[\w.]+\s*=[^=]/.test(t);
}

/**
 * The output groups of bare triple-quoted strings under prints in `text` (code read as Python
 * elsewhere than in a .py file: a Markdown fence's), in document order.
 */
export function quotedOutputGroups(text: string): PageGroup[] {
  if (!text.includes("'''") && !text.includes('"""')) return [];
  const lines = splitLines(text);
  const groups: PageGroup[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (!quoteOpen.test(lines[i].text) || !printLine.test(lines[i - 1].text)) continue;
    const g = quotedOutputs(lines, i);
    if (g) {
      groups.push(g.group);
      i = g.next - 1;
    }
  }
  return groups;
}

/**
 * Whether `tensor(`, `Tensor` or `array(` occurs in `text`. `Tensor` first (its capital is rare,
 * found at memory speed), then one expression for `ensor` or `array(` (a Boyer–Moore scan that
 * skips ahead; a substring search for `ensor` stops at every `e`): 0.2 ms of a 1 MB file, not 0.8.
 */
export function mentionsRepr(text: string): boolean {
  if (text.includes('Tensor')) return true;
  return /ensor|array\(/.test(text) && (text.includes('tensor(') || text.includes('array('));
}

/** The output groups of `text`, in document order. */
export function pageGroups(text: string): PageGroup[] {
  // Substring checks first: most files have neither, and a regular expression over a file of
  // many megabytes costs memory a worker with a small heap does not have.
  const hasCells = text.includes('In [') || text.includes('In[') ? cellMarkerAnywhere.test(text) : false;
  const numbers = !hasCells && text.length <= numberScanLimit && hasNumberLine(text);
  const printed = !hasCells && printedVector(text);
  const quick = numbers || printed;
  if (!hasCells && !quick && !mentionsRepr(text)) return [];
  // Only values pasted as quoted strings under prints (`'''name tensor([0.41])'''`): those alone.
  if (!hasCells && !quick && !reprAnywhere.test(text)) return quotedOutputGroups(text);
  const lines = splitLines(text);
  const groups: PageGroup[] = [];
  if (hasCells) {
    for (let i = 0; i < lines.length; i++) {
      if (!cellMarker.test(lines[i].text)) continue;
      let end = i + 1;
      while (end < lines.length && !cellMarker.test(lines[end].text)) end++;
      const g = cellGroup(lines, i + 1, end);
      if (g) groups.push(g);
      i = end - 1;
    }
    return groups;
  }
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].text;
    const prev = lines[i - 1].text;
    const shown = reprLine.test(line) || isNumpyVector(line);
    const number = numbers && numberLine.test(line);
    if (quoteOpen.test(line) && printLine.test(prev)) {
      const g = quotedOutputs(lines, i);
      if (g) {
        groups.push(g.group);
        i = g.next - 1;
      }
      continue;
    }
    if (number && printLine.test(prev)) {
      const g = printedNumbers(lines, i);
      if (g) {
        groups.push(g.group);
        i = g.next - 1;
      }
      continue;
    }
    // A rule line (`-----`) may part a print from what it showed, as issue threads paste a run.
    const code = shown && i > 1 && ruleLine.test(prev) ? lines[i - 2] : lines[i - 1];
    const before = code.text;
    if (!((shown && (isBareExpression(before) || printLine.test(before))) || (number && isBareExpression(prev))))
      continue;
    const outputs: OutputLine[] = [];
    let k = i;
    for (let depth = 0; k < lines.length && lines[k].text.trim() !== ''; k++) {
      if (k > i && depth === 0) break;
      outputs.push({ text: lines[k].text, start: lines[k].start });
      depth = bracketDepth(lines[k].text, depth);
    }
    groups.push({ codeStart: code.start, codeEnd: code.start + code.text.length, outputs });
    i = k - 1;
  }
  return groups;
}

/**
 * Number lines right under a top-level `print(…)` line (at `at`), as a page shows a script's
 * output after its code: `print(f(a))` / `y = …` / `print(f(b))` then `0.5108` / `2.3026`. The
 * block of code above (up to a blank line or a line that is not code) must hold exactly as many
 * top-level prints as there are number lines, so each print owns one line, in order; otherwise
 * nothing is bound (a print of something else would shift them).
 */
function printedNumbers(lines: Line[], at: number): { group: PageGroup; next: number } | null {
  const outputs: OutputLine[] = [];
  let k = at;
  while (k < lines.length && numberLine.test(lines[k].text)) {
    outputs.push({ text: lines[k].text, start: lines[k].start });
    k++;
  }
  const code = printsAbove(lines, at, outputs.length);
  return code ? { group: { ...code, outputs }, next: k } : null;
}

/**
 * The block of code above line `at` (up to a blank line or a line that is not code), when it holds
 * exactly `count` top-level prints and no other print: the code those prints are, in order.
 */
function printsAbove(lines: Line[], at: number, count: number): { codeStart: number; codeEnd: number } | null {
  let prints = 0;
  let firstPrint = at - 1;
  for (let j = at - 1; j >= 0; j--) {
    const s = lines[j].text;
    if (s.trim() === '' || !isCode(s)) break;
    if (printLine.test(s)) {
      prints++;
      firstPrint = j;
    } else if (/^print\b/.test(s)) return null;
  }
  if (prints !== count || count === 0) return null;
  const last = lines[at - 1];
  return { codeStart: lines[firstPrint].start, codeEnd: last.start + last.text.length };
}

/** A bare triple-quoted string opening at the top level. */
const quoteOpen = /^(?:'''|""")/;
/** The longest quoted block read as output (a docstring of a page is not scanned to its end). */
const maxQuotedLines = 200;

/**
 * What a run of top-level prints showed, pasted under them as a bare triple-quoted string
 * (`print(a)` / `print(b)` / `"""` / `tf.Tensor(1.3862944, …)` / `tf.Tensor(2.3025851, …)` / `"""`,
 * or `'''name tensor([0.4170])'''` on one line under one print): the lines holding a digit are the
 * prints' values in order. The string must read as output (a printed repr, array or number on some
 * line), and the code above must hold exactly as many top-level prints as there are such lines.
 */
function quotedOutputs(lines: Line[], at: number): { group: PageGroup; next: number } | null {
  const first = lines[at];
  const quote = first.text.slice(0, 3);
  const inner: OutputLine[] = [];
  const rest = first.text.slice(3);
  const close = rest.indexOf(quote);
  let next = at + 1;
  if (close >= 0) {
    if (rest.slice(close + 3).trim() !== '') return null;
    inner.push({ text: rest.slice(0, close), start: first.start + 3 });
  } else {
    if (rest.trim() !== '') inner.push({ text: rest, start: first.start + 3 });
    let k = at + 1;
    for (; k < lines.length && k <= at + maxQuotedLines; k++) {
      const s = lines[k].text;
      const end = s.indexOf(quote);
      if (end >= 0) {
        if (s.slice(end + 3).trim() !== '') return null;
        if (s.slice(0, end).trim() !== '') inner.push({ text: s.slice(0, end), start: lines[k].start });
        break;
      }
      inner.push({ text: s, start: lines[k].start });
    }
    if (k >= lines.length || k > at + maxQuotedLines) return null;
    next = k + 1;
  }
  const outputs = inner.filter((o) => /\d/.test(o.text));
  const shown = (t: string): boolean =>
    reprLine.test(t) || numberLine.test(t) || isNumpyVector(t) || /\btensor\(/.test(t);
  if (!outputs.some((o) => shown(o.text))) return null;
  const code = printsAbove(lines, at, outputs.length);
  return code ? { group: { ...code, outputs }, next } : null;
}

/** One page cell (lines [from, to)): its code, then what it printed. */
/** A line that is only names: `l2`, `l1,l2`, `loss, acc` (a cell's last expression, shown below it). */
const namesOnly = /^[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*\s*,?\s*$/;

/**
 * Line `k` of a cell (`from` its first line) is a bare name or a tuple of names that the cell's own
 * lines above assign at their margin (`l1 = loss(a, y)` … `l1,l2`): code, the cell's last expression,
 * not the first line of its output (docs/detection.md 3.305). A word a cell printed (`Done`) is bound by none.
 */
function namesBoundAbove(lines: Line[], from: number, k: number): boolean {
  const t = lines[k].text;
  if (t.length > 200 || !namesOnly.test(t)) return false;
  const names = t
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  const bound = new Set<string>();
  for (let j = from; j < k; j++) {
    const m = /^([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*=[^=]/.exec(lines[j].text);
    if (m) for (const n of m[1].split(',')) bound.add(n.trim());
  }
  return names.length > 0 && names.every((n) => bound.has(n));
}

function cellGroup(lines: Line[], from: number, to: number): PageGroup | null {
  let depth = 0;
  let lastCode = -1;
  let k = from;
  // The code runs until, after a blank line, a line that does not read as code.
  for (let blankBefore = false; k < to; k++) {
    const s = lines[k].text;
    if (s.trim() === '') {
      blankBefore = true;
      continue;
    }
    if (depth === 0 && blankBefore && lastCode >= 0 && !isCode(s) && !namesBoundAbove(lines, from, k)) break;
    if (depth === 0 && lastCode < 0 && !isCode(s)) return null;
    lastCode = k;
    depth = bracketDepth(s, depth);
    blankBefore = false;
  }
  if (lastCode < 0 || k >= to) return null;
  const outputs: OutputLine[] = [];
  for (let blanks = 0; k < to; k++) {
    const s = lines[k].text;
    if (s.trim() === '') {
      if (++blanks >= 2) break;
      continue;
    }
    if (s.trim().startsWith('#')) break;
    blanks = 0;
    outputs.push({ text: s, start: lines[k].start });
  }
  const last = lines[lastCode];
  return { codeStart: lines[from].start, codeEnd: last.start + last.text.length, outputs };
}

/**
 * A line that goes on with what a block printed, under a printed repr written as a plain line of the page:
 * another repr or a continuation of one (indented, a bracket, a number, `numpy=array(…)>`). A line of prose right under the
 * value, with no blank line between (a blog's `tensor(0.3597)` then `となるため、…`), is not output (§3.244).
 */
export const reprGoesOn = (line: string): boolean =>
  /^(?:\s|[[\]\d(<-]|tensor\(|tf\.|array\(|Tensor\(|\w+=)/.test(line);
