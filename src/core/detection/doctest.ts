/**
 * Console examples inside a Python file's docstrings (`>>> ` prompts, `... ` continuations, the
 * output on the lines below): the API documentation of Keras, TensorFlow, MLX and scikit-learn
 * shows its losses this way. Prompt lines are code, read as one more program over a copy of the
 * file where everything else is blanked (offsets and lines unchanged); the lines below a prompt,
 * up to a blank line or the next prompt, are its printed output.
 */
import type { OutputLine } from './context';

export interface DoctestGroup {
  /** Offsets of the prompt's first and last code line. */
  codeStart: number;
  codeEnd: number;
  outputs: OutputLine[];
}

const promptRe = /^([ \t]*)(>>>|\.\.\.)(?: |$)/;

/**
 * The bracket depth after one line of console code, starting from `depth`: pasted sessions often
 * continue a literal on lines without a `... ` prompt, and those lines are code while a bracket
 * is open. Strings on the line are skipped and a `#` ends it (a triple-quoted string spanning
 * lines is not tracked: such lines are not literals a loss reads).
 */
export function bracketDepth(line: string, depth: number): number {
  let d = depth;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '#') break;
    if (c === '"' || c === "'") {
      const close = line.indexOf(c, i + 1);
      if (close < 0) break;
      i = close;
    } else if (c === '(' || c === '[' || c === '{') d++;
    else if (c === ')' || c === ']' || c === '}') d = Math.max(0, d - 1);
  }
  return d;
}

/**
 * The prompts of every console example in `text`, in order (none when no line starts with `>>>`).
 * Linear in the text: one pass over its lines.
 */
export function doctestGroups(text: string): DoctestGroup[] {
  const groups: DoctestGroup[] = [];
  if (!/^[ \t]*>>>/m.test(text)) return groups;
  let indent = -1;
  let depth = 0;
  let open: DoctestGroup | null = null;
  const lineRe = /[^\r\n]*(?:\r\n|\r|\n|$)/g;
  for (let m = lineRe.exec(text); m && m[0] !== ''; m = lineRe.exec(text)) {
    const start = m.index;
    const raw = m[0].replace(/[\r\n]+$/, '');
    const end = start + raw.length;
    const p = promptRe.exec(raw);
    if (p && p[2] === '>>>') {
      indent = p[1].length;
      open = { codeStart: start, codeEnd: end, outputs: [] };
      groups.push(open);
      depth = bracketDepth(raw.slice(p[0].length), 0);
    } else if (p && open && p[1].length === indent && open.outputs.length === 0) {
      open.codeEnd = end;
      depth = bracketDepth(raw.slice(p[0].length), depth);
    } else if (open && depth > 0 && open.outputs.length === 0 && raw.trim() !== '') {
      // A literal continued without a prompt.
      open.codeEnd = end;
      depth = bracketDepth(raw, depth);
    } else if (raw.trim() === '' || /"""|'''/.test(raw)) {
      open = null;
      indent = -1;
    } else if (open && raw.length - raw.trimStart().length >= indent) open.outputs.push({ text: raw, start });
    else {
      open = null;
      indent = -1;
    }
  }
  return groups;
}

/**
 * `text` with only the prompts' code kept (the prompt marker and its indentation turned into
 * spaces) and everything else blanked, line breaks kept.
 */
export function maskedDoctests(text: string, groups: DoctestGroup[]): string {
  const parts: string[] = [];
  let at = 0;
  const blank = (s: string): string => s.replace(/[^\r\n]/g, ' ');
  for (const g of groups) {
    parts.push(blank(text.slice(at, g.codeStart)));
    const code = text
      .slice(g.codeStart, g.codeEnd)
      .split(/(\r\n|\r|\n)/)
      .map((line) => {
        if (/^(\r\n|\r|\n)$/.test(line)) return line;
        // Inside a prompt's code, a line without a prompt continues an open bracket.
        const p = promptRe.exec(line);
        return p ? ' '.repeat(p[0].length) + line.slice(p[0].length) : line;
      })
      .join('');
    parts.push(code);
    at = g.codeEnd;
  }
  parts.push(blank(text.slice(at)));
  return parts.join('');
}
