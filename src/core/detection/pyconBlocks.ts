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
  let previous: string | null = null;
  for (let n = lineIndexAt(block.start); n < lines.length && lines[n].start < block.end; n++) {
    const s = text.slice(lines[n].start, lines[n].end);
    const kind = pyconLine(s, depth, previous);
    depth = kind.depth;
    previous = kind.role === 'output' ? null : kind.role === 'prompt' ? s.slice(4) : previous;
    if (kind.role === 'prompt') groups.push({ codeStart: lines[n].start, codeEnd: lines[n].end, outputs: [] });
    else if (kind.role === 'continuation') {
      if (groups.length) groups[groups.length - 1].codeEnd = lines[n].end;
    } else if (s.trim() !== '' && groups.length) {
      // An output pasted with a prompt of its own (`>>> 0.6931`): its text without the prompt.
      const echoed = s.startsWith('>>> ') ? 4 : 0;
      groups[groups.length - 1].outputs.push({ text: s.slice(echoed), start: lines[n].start + echoed });
    }
  }
  block.pyconGroups = groups;
}

/**
 * One line of a console session: a `>>> ` prompt, a continuation (a `... ` prompt, or any line
 * while a bracket opened by the prompt's code is still open), or output; with the bracket depth
 * after it.
 */
export function pyconLine(
  s: string,
  depth: number,
  previous: string | null = null,
): { role: 'prompt' | 'continuation' | 'output'; depth: number } {
  if (depth === 0 && previous !== null && echoedOutput(s, previous)) return { role: 'output', depth: 0 };
  if (s.startsWith('>>> ') || s === '>>>') return { role: 'prompt', depth: bracketDepth(s.slice(4), 0) };
  if (s.startsWith('... ') || s === '...') return { role: 'continuation', depth: bracketDepth(s.slice(4), depth) };
  if (depth > 0 && s.trim() !== '') return { role: 'continuation', depth: bracketDepth(s, depth) };
  return { role: 'output', depth: 0 };
}

/** A number alone, as Python prints one (`0.6931`, `-1.5`, `1.2e-07`, `nan`). */
const bareNumber = /^\s*-?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|nan|inf)\s*$/;

/** A statement that binds a name (`x = …`, `a, b = …`, `x += …`): it prints nothing. */
const binds = /^\s*[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*(?:[-+*/%@&|^]|\*\*|\/\/)?=(?!=)/;

/**
 * A transcript pasted with its outputs behind prompts too (`>>> print(loss)` then `>>> 0.6931`): a
 * prompt line holding a number alone, right under a prompt whose statement prints or shows a value
 * (not an assignment), is that statement's output. Typed as input, a bare number would echo itself
 * on the next line; here nothing follows but the next prompt.
 */
function echoedOutput(s: string, previous: string): boolean {
  return s.startsWith('>>> ') && bareNumber.test(s.slice(4)) && previous.trim() !== '' && !binds.test(previous);
}
