/**
 * Output pasted as a Markdown quote under a code block (docs/detection.md 3.380): issue threads and
 * forum posts of the torch 0.x years quote what a run printed (`output:`, then `> loss:  Variable
 * containing:`, `>  0.6931`, `> [torch.FloatTensor of size 1]`). The quote markers are taken off and
 * the lines are the block's output, read as a fenced output block is. Only under a label line
 * ("output:", "which prints"), or when the quote opens with what a program prints (a repr, old torch's
 * `Variable containing:`, a number alone): a quote of someone's prose under a block stays prose.
 */
import type { OutputLine } from './context';

interface Line {
  start: number;
  end: number;
}

/** A quote line (`>` then a space or nothing), not a console prompt (`>>>`) or a shell's `> `-less `>>`. */
const quoteMark = /^[ \t]{0,3}>(?!>)[ \t]?/;

/** What a program printed, opening a quote: a repr, old torch's `Variable containing:`, a number alone. */
const printedOpening =
  /^(?:tensor\(|array\(|tf\.Tensor\(|<tf\.Tensor|Variable containing:\s*$|-?(?:\d+\.\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$)/;

/** Quoted runs longer than this are not output (a run prints a few lines; a long quote is a reply). */
const maxQuoteLines = 60;

/**
 * The output lines of the quote starting at line `k` (its markers removed, offsets kept), up to the
 * first line that is not quoted or the start of the next block (`limit`); empty when line `k` is no
 * quote, when the quote is neither `labelled` nor opened by printed text, or when it is too long.
 */
export function quotedOutput(text: string, lines: Line[], k: number, labelled: boolean, limit: number): OutputLine[] {
  const out: OutputLine[] = [];
  for (let n = k; n < lines.length && lines[n].start < limit; n++) {
    const raw = text.slice(lines[n].start, lines[n].end);
    const m = quoteMark.exec(raw);
    if (!m) break;
    if (n - k >= maxQuoteLines) return [];
    const body = raw.slice(m[0].length);
    if (out.length === 0 && body.trim() === '') continue;
    if (out.length === 0 && !labelled && !printedOpening.test(body.trim())) return [];
    if (body.trim() !== '') out.push({ text: body, start: lines[n].start + m[0].length });
  }
  return out;
}
