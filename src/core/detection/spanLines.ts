/**
 * Code written one line per inline code span, as some rendered API pages keep their examples: every
 * line wrapped in backticks (`` `y = [[0, 1]]` ``), the first one glued to a fence that never opened
 * (```` ````y = … ` ````, a backtick fence cannot carry backticks in its info string), and a line of
 * backticks after the last. Each run of such lines is a Python block; a span holding only a printed
 * value (a number, an `array(…)` or `tensor(…)` repr) right under a span holding a bare expression
 * is that expression's output, as a console shows it without its prompt. One pass over the lines.
 */
import type { OutputLine } from './context';

interface TextLine {
  start: number;
  end: number;
  next: number;
}

export interface SpanRun {
  /** Index of the run's first and last span line, and of the last line it takes (a closing backtick line). */
  first: number;
  last: number;
  through: number;
  /** Start offsets of the span lines that are printed output, not code. */
  outputStarts: number[];
  /** Each bare expression with the output lines under it. */
  groups: { codeStart: number; codeEnd: number; outputs: OutputLine[] }[];
}

/** A whole line that is one code span: backticks, something, a closing backtick. */
const spanLine = /^[ \t]*`+([^\r\n]*[^`\s][^\r\n]*?)`[ \t]*$/;
const ticksOnly = /^[ \t]*`{3,}[ \t]*$/;
/** A printed value: a number, or a repr as numpy, torch and TensorFlow print them. */
export const printedValue = /^(?:-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|(?:array|tensor|tf\.Tensor)\(.*|<tf\.Tensor.*)$/;
/** A call (or a chain ending in one) that is not assigned: what a console would print. */
export const bareCall = /^[A-Za-z_][\w.]*\s*\(.*\)[\w.()]*$/;
export const assignment = /^[A-Za-z_][\w.]*(?:\[[^\]]*\])?\s*=[^=]/;
/** A span that only code has: an import, an assignment, a call. */
export const codeSpan = /^(?:import |from [\w.]+ import |[A-Za-z_][\w.]*(?:\[[^\]]*\])?\s*=[^=]|[A-Za-z_][\w.]*\s*\()/;

/** The runs of span lines in `text` (at least two lines, at least one reading as code). */
export function spanRuns(text: string, lines: TextLine[]): SpanRun[] {
  const runs: SpanRun[] = [];
  // A cheap substring check first: most pages have no line ending in a backtick.
  if (!text.includes('`\n') && !text.includes('`\r') && !text.endsWith('`')) return runs;
  const content = (k: number): string | null => {
    const m = spanLine.exec(text.slice(lines[k].start, lines[k].end));
    return m && !ticksOnly.test(m[0]) ? m[1].trim() : null;
  };
  for (let k = 0; k < lines.length; k++) {
    if (content(k) === null) continue;
    let last = k;
    while (last + 1 < lines.length && content(last + 1) !== null) last++;
    const through =
      last + 1 < lines.length && ticksOnly.test(text.slice(lines[last + 1].start, lines[last + 1].end))
        ? last + 1
        : last;
    const run = readRun(text, lines, k, last, through, content);
    if (run) runs.push(run);
    k = through;
  }
  return runs;
}

function readRun(
  text: string,
  lines: TextLine[],
  first: number,
  last: number,
  through: number,
  content: (k: number) => string | null,
): SpanRun | null {
  if (last === first) return null;
  const run: SpanRun = { first, last, through, outputStarts: [], groups: [] };
  let code = false;
  let open: SpanRun['groups'][number] | null = null;
  for (let k = first; k <= last; k++) {
    const s = content(k) ?? '';
    if (open && printedValue.test(s)) {
      open.outputs.push({ text: text.slice(lines[k].start, lines[k].end), start: lines[k].start });
      run.outputStarts.push(lines[k].start);
      continue;
    }
    if (open?.outputs.length) run.groups.push(open);
    open = null;
    if (s.startsWith('#')) continue;
    if (codeSpan.test(s)) code = true;
    if (bareCall.test(s) && !assignment.test(s))
      open = { codeStart: lines[k].start, codeEnd: lines[k].end, outputs: [] };
  }
  if (open?.outputs.length) run.groups.push(open);
  return code ? run : null;
}

/** The run's code as the program reads it: backticks and output lines blanked, offsets unchanged. */
export function spanCode(code: string, blockStart: number, outputStarts: number[]): string {
  const blanked = new Set(outputStarts);
  let at = blockStart;
  return code
    .split(/(\r\n|\r|\n)/)
    .map((part) => {
      if (/^(?:\r\n|\r|\n)$/.test(part)) {
        at += part.length;
        return part;
      }
      const out = blanked.has(at) ? part.replace(/[^\r\n]/g, ' ') : part.replace(/`/g, ' ');
      at += part.length;
      return out;
    })
    .join('');
}
