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
 * The prompts of every console example in `text`, in order (none when no line starts with `>>>`).
 * Linear in the text: one pass over its lines.
 */
export function doctestGroups(text: string): DoctestGroup[] {
  const groups: DoctestGroup[] = [];
  if (!/^[ \t]*>>>/m.test(text)) return groups;
  let indent = -1;
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
    } else if (p && open && p[1].length === indent && open.outputs.length === 0) open.codeEnd = end;
    else if (raw.trim() === '' || /"""|'''/.test(raw)) {
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
        const p = promptRe.exec(line);
        return p ? ' '.repeat(p[0].length) + line.slice(p[0].length) : blank(line);
      })
      .join('');
    parts.push(code);
    at = g.codeEnd;
  }
  parts.push(blank(text.slice(at)));
  return parts.join('');
}
