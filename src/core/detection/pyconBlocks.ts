/**
 * Python console transcripts in Markdown fences (`>>> ` prompts, `... ` continuations): which lines
 * are code and which are the output of the prompt above them. Split from markdown.ts.
 */
import type { OutputLine } from './context';
import { bracketDepth } from './doctest';

/** The parts of a Markdown block a console transcript sets. */
export interface PyconBlock {
  start: number;
  end: number;
  pyconGroups?: { codeStart: number; codeEnd: number; outputs: OutputLine[] }[];
}

/** Each prompt's statement (with its continuation lines) and the output lines under it. */
export function pyconOutputs(
  text: string,
  block: PyconBlock,
  lines: { start: number; end: number }[],
  lineIndexAt: (o: number) => number,
): void {
  const groups: { codeStart: number; codeEnd: number; outputs: OutputLine[] }[] = [];
  let depth = 0;
  for (let n = lineIndexAt(block.start); n < lines.length && lines[n].start < block.end; n++) {
    const s = text.slice(lines[n].start, lines[n].end);
    const kind = pyconLine(s, depth);
    depth = kind.depth;
    if (kind.role === 'prompt') groups.push({ codeStart: lines[n].start, codeEnd: lines[n].end, outputs: [] });
    else if (kind.role === 'continuation') {
      if (groups.length) groups[groups.length - 1].codeEnd = lines[n].end;
    } else if (s.trim() !== '' && groups.length)
      groups[groups.length - 1].outputs.push({ text: s, start: lines[n].start });
  }
  block.pyconGroups = groups;
}

/**
 * One line of a console session: a `>>> ` prompt, a continuation (a `... ` prompt, or any line
 * while a bracket opened by the prompt's code is still open), or output; with the bracket depth
 * after it.
 */
export function pyconLine(s: string, depth: number): { role: 'prompt' | 'continuation' | 'output'; depth: number } {
  if (s.startsWith('>>> ') || s === '>>>') return { role: 'prompt', depth: bracketDepth(s.slice(4), 0) };
  if (s.startsWith('... ') || s === '...') return { role: 'continuation', depth: bracketDepth(s.slice(4), depth) };
  if (depth > 0 && s.trim() !== '') return { role: 'continuation', depth: bracketDepth(s, depth) };
  return { role: 'output', depth: 0 };
}
