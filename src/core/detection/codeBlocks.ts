/**
 * Sphinx `.. code-block:: python` examples inside a Python file's docstrings written as plain code,
 * without `>>>` prompts, their results in comments under the statements (`# out: [0.80199665 …]`):
 * early OneFlow and PaddlePaddle API pages document their losses this way (docs/detection.md 3.41).
 * A block's body is the lines indented deeper than its directive (blank lines inside included), up
 * to a line that is not, or the docstring's closing quotes. The bodies are read as one more program
 * over a copy of the file where everything else is blanked (offsets and lines unchanged). Bodies
 * with prompts are left to the console reader (doctest.ts), so no example is read twice.
 */
import { blanked } from './lines';

/** A directive that opens a Python example: `.. code-block:: python`, `.. code:: python3`, `.. testcode::`. */
const directiveRe =
  /^([ \t]*)\.\. (?:code-block|code|sourcecode)::[ \t]*(?:python3?|py)?[ \t]*$|^([ \t]*)\.\. testcode::[ \t]*$/;

/**
 * Whether `.. code`, `.. testcode` or `.. sourcecode` occurs in `text`: one search for `.. `, each
 * hit checked, not three whole-text searches for strings starting with a character as common in
 * code as `.` (1.2 ms of a 1 MB file's 14 ms, npm run bench).
 */
export function hasDirective(text: string): boolean {
  for (let i = text.indexOf('.. '); i >= 0; i = text.indexOf('.. ', i + 1))
    if (text.startsWith('code', i + 3) || text.startsWith('testcode', i + 3) || text.startsWith('sourcecode', i + 3))
      return true;
  return false;
}

/** The [start, end) offsets of each prompt-free Python code-block body in `text`. Linear in the text. */
export function codeBlockBodies(text: string): [number, number][] {
  const bodies: [number, number][] = [];
  if (!hasDirective(text)) return bodies;
  const lineRe = /[^\r\n]*(?:\r\n|\r|\n|$)/g;
  let indent = -1;
  let start = -1;
  let end = -1;
  let prompts = false;
  const close = (): void => {
    if (start >= 0 && end > start && !prompts) bodies.push([start, end]);
    indent = -1;
    start = -1;
    end = -1;
    prompts = false;
  };
  for (let m = lineRe.exec(text); m && m[0] !== ''; m = lineRe.exec(text)) {
    const raw = m[0].replace(/[\r\n]+$/, '');
    const lead = raw.length - raw.trimStart().length;
    if (indent >= 0) {
      const blank = raw.trim() === '';
      const option = start < 0 && /^[ \t]+:[\w-]+:/.test(raw);
      if (!blank && (lead <= indent || /"""|'''/.test(raw))) close();
      else {
        if (!blank && !option) {
          if (start < 0) start = m.index;
          end = m.index + raw.length;
          if (/^[ \t]*(?:>>>|\.\.\.)(?: |$)/.test(raw)) prompts = true;
        }
        continue;
      }
    }
    const d = directiveRe.exec(raw);
    if (d) indent = (d[1] ?? d[2] ?? '').length;
  }
  close();
  return bodies;
}

/** An opening Markdown fence for Python (or for no language) on a line of its own; the closing fence. */
const fenceOpenRe = /^[ \t]*```[ \t]*(?:python3?|py)?[ \t]*$/;
const fenceCloseRe = /^[ \t]*```[ \t]*$/;
const tripleQuoteRe = /"""|'''/g;

/**
 * The [start, end) offsets of each prompt-free body of a Markdown fence (```` ```python ````) inside a
 * triple-quoted string of a Python file: docstrings that show their examples as Markdown
 * (FastEstimator's backend, docs/detection.md 3.43), the code at the fence's own indentation, the
 * results in comments. Only fences inside a string count: a page saved as Python has its fences
 * read as code already (index.ts blanks the backticks), and reading them here would read them
 * twice. Which lines are inside a string is followed by the triple quotes of each line. Linear.
 */
export function fencedDocBodies(text: string): [number, number][] {
  const bodies: [number, number][] = [];
  if (!text.includes('```')) return bodies;
  const lineRe = /[^\r\n]*(?:\r\n|\r|\n|$)/g;
  let quote: string | null = null;
  let open = false;
  let start = -1;
  let end = -1;
  let prompts = false;
  const close = (): void => {
    if (start >= 0 && end > start && !prompts) bodies.push([start, end]);
    open = false;
    start = -1;
    end = -1;
    prompts = false;
  };
  for (let m = lineRe.exec(text); m && m[0] !== ''; m = lineRe.exec(text)) {
    const raw = m[0].replace(/[\r\n]+$/, '');
    if (open) {
      if (fenceCloseRe.test(raw)) {
        close();
        continue;
      }
      if (!raw.includes(quote ?? '"""')) {
        if (raw.trim() !== '') {
          if (start < 0) start = m.index;
          end = m.index + raw.length;
          if (/^[ \t]*(?:>>>|\.\.\.)(?: |$)/.test(raw)) prompts = true;
        }
        continue;
      }
      // The string closes before the fence does: the body ends above this line.
      close();
    } else if (quote !== null && fenceOpenRe.test(raw)) {
      open = true;
      continue;
    }
    // Each triple quote of the line opens or closes a string (the kind that opened it closes it).
    tripleQuoteRe.lastIndex = 0;
    for (let q = tripleQuoteRe.exec(raw); q; q = tripleQuoteRe.exec(raw)) {
      if (quote === null) quote = q[0];
      else if (q[0] === quote) quote = null;
    }
  }
  close();
  return bodies;
}

/** Bodies of both kinds in text order, a body inside another one's span dropped (no text is read twice). */
export function docExampleBodies(text: string): [number, number][] {
  const all = [...codeBlockBodies(text), ...fencedDocBodies(text)].sort((a, b) => a[0] - b[0]);
  const kept: [number, number][] = [];
  for (const b of all) if (!kept.length || b[0] >= kept[kept.length - 1][1]) kept.push(b);
  return kept;
}

/** `text` with only the bodies kept and everything else blanked, line breaks kept. */
export function maskedCodeBlocks(text: string, bodies: [number, number][]): string {
  let out = '';
  let at = 0;
  for (const [s, e] of bodies) {
    out += blanked(text.slice(at, s)) + text.slice(s, e);
    at = e;
  }
  return out + blanked(text.slice(at));
}
