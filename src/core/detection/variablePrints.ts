/**
 * torch 0.x's print of a one-element Variable or tensor, as pages of those years paste it (docs/detection.md
 * 3.381): the print's label and `Variable containing:` on one line, the value alone on the next, then
 * `[torch.FloatTensor of size 1]`. The three lines are one output line here (the first two joined as
 * the document has them, the size line dropped), so that a label heads its value and each print
 * owns one line.
 */
import type { OutputLine } from './context';

/** The head of the print: `Variable containing:` ends its line (a label may stand before it). */
const head = /Variable containing:[ \t]*$/;
/** The value alone on its line, as torch 0.x printed it (` 0.6931`, `-1.2e-03`, ` 0`). */
const value = /^[ \t]*-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?[ \t]*$/;
/** The line closing the print: its type and a size of one element. */
const size = /^[ \t]*\[torch\.(?:cuda\.)?[A-Za-z]*Tensor of size 1(?:x1)*(?: \(GPU \d+\))?\][ \t]*$/;

/**
 * What joins lines `a` and `b` when they follow each other in the document (or neither has a place):
 * the line break, then spaces over a quote's marker (`> `, quotedOutputs.ts) so that offsets stay
 * the document's. Null when other text lies between them.
 */
function joint(a: OutputLine, b: OutputLine): string | null {
  if (a.start === null || b.start === null) return a.start === b.start ? '\n' : null;
  const gap = b.start - a.start - a.text.length;
  return gap >= 1 && gap <= 6 ? '\n' + ' '.repeat(gap - 1) : null;
}

/** `lines` with each three-line Variable print of one element made one line (its head and value). */
export function joinVariablePrints(lines: OutputLine[]): OutputLine[] {
  const out: OutputLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const [a, b, c] = [lines[i], lines[i + 1], lines[i + 2]];
    const eol = b && c && head.test(a.text) && value.test(b.text) && size.test(c.text) ? joint(a, b) : null;
    if (eol === null) {
      out.push(a);
      continue;
    }
    out.push({ text: a.text + eol + b.text, start: a.start });
    i += 2;
  }
  return out;
}
