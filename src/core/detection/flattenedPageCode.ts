/**
 * A program a page's text flattened onto one line of prose, without any fence (docs/detection.md
 * 3.244): the blog's code block lost its line breaks, so statements follow one another after a space
 * and each `#` comment runs on into the next statement: `import torch.nn as nn import torch # サンプル
 * outputs = torch.tensor([[2.0, 0.5, 0.1]]) # ロジット labels = torch.tensor([0]) … loss = criterion(outputs,
 * labels) print(loss)`. Python itself reads nothing after the first `#`; the statements are recovered
 * here only where their starts are certain, and the line is refused as a whole otherwise:
 * - the line starts at the margin as only a program does (`import m`, `from m import n`, or `name = ` followed
 *   by code): an indented line is a body's, whose comments the reader already ends at the line break;
 * - a statement starts after a space, at depth 0 outside strings, with `import m`, `from m import`,
 *   `print(`, `if __name__ ==`, `def name(`, or `name = ` followed by code; outside a comment only once the
 *   statement before is complete (it ends with a bracket, a name, a number or a quote, not an operator);
 * - every piece of code so found must read as a statement (an import, an assignment, a call, a print),
 *   with its brackets balanced and no letter outside ASCII (a comment's words taken for code are a
 *   sentence: `# t = 0 and y = 0のとき…` refuses the line); at least two of them.
 * A function the line defines with no parameters (`def test():`) and calls at its end (`if __name__ ==
 * '__main__': test()`, or `test()`) is read as its body run once at the margin; a function it never calls
 * refuses the line (its body does not run). Linear in the line: each offset is looked at a bounded number of
 * times, and lines longer than `maxLine` are not read.
 */

import type { OutputLine } from './context';

/** A statement found in the line: its offsets in the text. */
export interface PageStatement {
  start: number;
  end: number;
  /** The statement is a `print(…)`. */
  print: boolean;
}

const maxLine = 8000;
/** An assignment's start: a name (dotted or indexed by a name), `=` not `==`, then code. */
const assignment = /[A-Za-z_][\w.]*\s*=(?!=)\s*(?=[-\w([.'"])/y;
/** A statement start other than an assignment, read at an offset (sticky). */
const keywordStart =
  /(?:import\s+[A-Za-z_][\w.]*|from\s+[A-Za-z_][\w.]*\s+import\s|print\s*\(|if\s+__name__\s*==|def\s+[A-Za-z_]\w*\s*\()/y;
/** How the line may start. */
const lineStart =
  /^(?:import\s+[A-Za-z_][\w.]*|from\s+[A-Za-z_][\w.]*\s+import\s|[A-Za-z_]\w*\s*=(?!=)\s*(?:-?\(|\[|\d|(?:np|torch|tf|F|nn)\.))/;
/** A piece of code that reads as one statement. */
const statementShape =
  /^(?:import\s+[\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*|from\s+[\w.]+\s+import\s+[\w, ]+|[A-Za-z_][\w.]*\s*=(?!=)\s*\S.*|print\s*\(.*\)|[A-Za-z_][\w.]*\s*\(.*\)|def\s+[A-Za-z_]\w*\s*\(\s*\)\s*:|if\s+__name__\s*==\s*(['"])__main__\1\s*:\s*[A-Za-z_]\w*\(\s*\))$/;

function statementStartAt(line: string, i: number): boolean {
  keywordStart.lastIndex = i;
  if (keywordStart.test(line)) return true;
  assignment.lastIndex = i;
  return assignment.test(line);
}

/** The statements of a flattened line (offsets relative to the line), or null when it is not one. */
export function statementsOfLine(line: string): [number, number][] | null {
  if (line.length > maxLine || !lineStart.test(line)) return null;
  const out: [number, number][] = [];
  let start = 0;
  let depth = 0;
  let comment = -1;
  const close = (end: number): boolean => {
    let e = end;
    while (e > start && /\s/.test(line[e - 1])) e--;
    if (e > start) out.push([start, e]);
    return true;
  };
  for (let i = start; i < line.length; i++) {
    const c = line[i];
    if (comment < 0 && (c === '"' || c === "'")) {
      const q = line.indexOf(c, i + 1);
      if (q < 0) return null;
      i = q;
      continue;
    }
    if (comment < 0 && c === '#' && depth === 0) {
      close(i);
      comment = i;
      continue;
    }
    if (comment < 0 && '([{'.includes(c)) depth++;
    else if (comment < 0 && ')]}'.includes(c) && --depth < 0) return null;
    if (depth !== 0 || c !== ' ' || i + 1 >= line.length || line[i + 1] === ' ') continue;
    if (!statementStartAt(line, i + 1)) continue;
    if (comment < 0) {
      // The statement before must be complete: it ends in a bracket, a name, a number, a quote or a header's `:`.
      let b = i;
      while (b > start && line[b - 1] === ' ') b--;
      const piece = line.slice(start, b);
      if (!/[\w)\]}'":]$/.test(piece) || /^from\s+[\w.]+$/.test(piece) || /\b(?:as|import|in|not|and|or)$/.test(piece))
        continue;
      if (piece.endsWith(':') && !/^(?:def\s|if\s+__name__)/.test(piece)) continue;
      close(b);
    }
    comment = -1;
    start = i + 1;
  }
  if (depth !== 0) return null;
  if (comment < 0) close(line.length);
  // Code between the comments holds no word of the page's prose: a piece with a non-ASCII letter is a sentence.
  const code = (a: number, b: number): boolean =>
    statementShape.test(line.slice(a, b)) && !/[^\x00-\x7f]/.test(line.slice(a, b));
  return out.length >= 2 && out.every(([a, b]) => code(a, b)) ? out : null;
}

/**
 * The statements of the flattened lines of `text` that no block holds (`taken`), as the code to read:
 * a defined function's header and the `if __name__` line calling it left out (its body runs once).
 */
export function flattenedPageCode(
  text: string,
  lines: { start: number; end: number }[],
  taken: Uint8Array,
): { line: number; statements: PageStatement[] }[] {
  const found: { line: number; statements: PageStatement[] }[] = [];
  for (let k = 0; k < lines.length; k++) {
    const { start, end } = lines[k];
    if (taken[k] || end - start > maxLine) continue;
    const line = text.slice(start, end);
    const parts = statementsOfLine(line);
    if (!parts) continue;
    const kept = withoutDefinition(line, parts);
    if (kept)
      found.push({
        line: k,
        statements: kept.map(([a, b]) => ({
          start: start + a,
          end: start + b,
          print: /^print\s*\(/.test(line.slice(a, b)),
        })),
      });
  }
  return found;
}

/** The pieces without a called function's header and its call; null when a function is defined and not called. */
function withoutDefinition(line: string, parts: [number, number][]): [number, number][] | null {
  const defs = parts.filter(([a, b]) => /^def\s/.test(line.slice(a, b)));
  if (!defs.length) return parts;
  if (defs.length > 1) return null;
  const name = /^def\s+([A-Za-z_]\w*)/.exec(line.slice(defs[0][0], defs[0][1]))![1];
  const last = parts[parts.length - 1];
  const call = new RegExp(`^(?:if\\s+__name__\\s*==\\s*(['"])__main__\\1\\s*:\\s*)?${name}\\(\\s*\\)$`);
  if (!call.test(line.slice(last[0], last[1]))) return null;
  return parts.filter((p) => p !== defs[0] && p !== last);
}

/** A code block of one statement, as markdown.ts reads blocks. */
export interface PageStatementBlock {
  language: 'python';
  start: number;
  end: number;
  after: number;
  pycon: false;
  outputs: OutputLine[];
  breaks?: number[];
}

/**
 * One block per statement of each flattened line. What the page shows under the line is the output of its
 * last statement only when that statement is the line's one print; otherwise no block takes it (`breaks`
 * set, as for a fence flattened with its outputs), since which print wrote which value would be a guess.
 */
export function flatPageBlocks(
  flat: { line: number; statements: PageStatement[] }[],
  lines: { next: number }[],
  textLength: number,
): PageStatementBlock[] {
  const out: PageStatementBlock[] = [];
  for (const { line, statements } of flat) {
    const prints = statements.filter((s) => s.print).length;
    statements.forEach((s, n) => {
      const last = n === statements.length - 1;
      const shows = last && s.print && prints === 1;
      out.push({
        language: 'python',
        start: s.start,
        end: s.end,
        after: shows ? Math.min(lines[line].next, textLength) : s.end,
        pycon: false,
        outputs: [],
        ...(shows ? {} : { breaks: [] }),
      });
    });
  }
  return out;
}
