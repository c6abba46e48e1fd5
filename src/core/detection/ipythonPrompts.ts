/**
 * IPython sessions pasted into a file or a page: `In [13]: code` with the code on the prompt's own
 * line, `   ...: more` continuing it (IPython right-aligns that prompt under the first one), and the
 * value the cell showed on `Out[13]: value`. They are the console sessions doctest.ts reads for
 * `>>> ` prompts, written with other markers: each prompt becomes a `>>> ` / `... ` prompt of the
 * same width (the code keeps its column, so a cell's lines keep their relative indentation) and
 * each `Out[n]:` marker becomes blanks, leaving the value as the prompt's output line. Offsets and
 * line breaks are unchanged. One pass over the lines.
 *
 * A notebook page rendered to text puts `In [3]:` alone on its line, with the cell's code below:
 * that is pageOutputs.ts's cell marker, not a prompt here (there is no code after the colon).
 */

/** `In [13]: code` (also `In[13]:`), the code after one space. */
const inPrompt = /^([ \t]*)In ?\[(\d+)\]: (?=\S)/;
/** `   ...: code`, IPython's continuation prompt (the code may be empty on a blank line of a block). */
const continuation = /^([ \t]*)\.\.\.:(?: |$)/;
/** `Out[13]: value`. */
const outPrompt = /^([ \t]*)Out ?\[(\d+)\]: (?=\S)/;

/** Whether `text` may hold an IPython prompt with code after it (a cheap test before the pass). */
export function hasIpythonPrompts(text: string): boolean {
  return text.includes(']: ') && /^[ \t]*In ?\[\d+\]: \S/m.test(text);
}

/**
 * `text` with every IPython prompt written as a Python console prompt of the same width, and every
 * `Out[n]:` marker blanked; null when nothing changed. A `...:` line is a continuation only right
 * after a prompt or another continuation; an `Out[n]:` only after its own `In [n]:` cell, so that
 * page text mentioning `Out[2]:` elsewhere stays as it is.
 */
export function ipythonAsConsole(text: string): string | null {
  if (!hasIpythonPrompts(text)) return null;
  const parts: string[] = [];
  let changed = false;
  let cell: string | null = null;
  let inCell = false;
  /** The indentation of the open cell's prompt: its continuations are read at the same column. */
  let indent = '';
  const lineRe = /[^\r\n]*(?:\r\n|\r|\n|$)/g;
  for (let m = lineRe.exec(text); m && m[0] !== ''; m = lineRe.exec(text)) {
    const line = m[0];
    const p: RegExpExecArray | null = inPrompt.exec(line);
    if (p) {
      // `In [13]: ` → `>>>` and blanks up to the code: the same column.
      parts.push(p[1] + '>>>' + ' '.repeat(p[0].length - p[1].length - 3) + line.slice(p[0].length));
      cell = p[2];
      indent = p[1];
      inCell = true;
      changed = true;
      continue;
    }
    const c: RegExpExecArray | null = inCell ? continuation.exec(line) : null;
    if (c && c[0].length >= indent.length + 3) {
      // `   ...: ` → `...` under the prompt's `>>>`, blanks up to the code.
      parts.push(indent + '...' + ' '.repeat(c[0].length - indent.length - 3) + line.slice(c[0].length));
      continue;
    }
    inCell = false;
    const o: RegExpExecArray | null = cell !== null ? outPrompt.exec(line) : null;
    if (o && o[2] === cell) {
      parts.push(' '.repeat(o[0].length) + line.slice(o[0].length));
      cell = null;
      continue;
    }
    parts.push(line);
  }
  return changed ? parts.join('') : null;
}
