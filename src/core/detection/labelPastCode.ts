/**
 * A print's labelled value under lines someone commented out (docs/detection.md 3.148): a print
 * with a label (`print("loss:", loss)`), comment lines right below it that are code switched off
 * (`# print(x)`, `# print(loss)`), then, in the same block of comment lines, one that repeats the
 * print's label and shows a value (`# loss: tensor(2.5646)`). Code that is commented out runs
 * nothing, so the line repeating the label is still that print's output. Only that form: the first
 * comment line that is not code must start with the label, else nothing is read.
 */
import { isCommentedOutCode } from './commentedCode';
import type { LineCounter } from './lines';

/** How many comment lines of switched-off code a labelled value may sit under. */
const maxSwitchedOff = 8;

/**
 * The index in `cs` ([start, end] pairs) of the comment that repeats `label` past the switched-off
 * code starting at index `i` (on line `line`), and where its value starts; null when the block
 * ends, holds more than {@link maxSwitchedOff} lines of code, or its first other line does not
 * start with the label.
 */
export function labelPastCode(
  text: string,
  lines: Pick<LineCounter, 'lineAt'>,
  cs: number[],
  i: number,
  line: number,
  ownLine: (pos: number) => boolean,
  labelEnd: (from: number, to: number) => number,
): { index: number; from: number } | null {
  for (let j = i, off = 0; j < cs.length; j += 2, line++) {
    if (lines.lineAt(cs[j]) !== line || !ownLine(cs[j])) return null;
    if (isCommentedOutCode(text.slice(cs[j], cs[j + 1]))) {
      if (++off > maxSwitchedOff) return null;
      continue;
    }
    const from = labelEnd(cs[j], cs[j + 1]);
    return from < 0 ? null : { index: j, from };
  }
  return null;
}
