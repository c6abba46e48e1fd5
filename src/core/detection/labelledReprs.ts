/**
 * Printed reprs written as plain lines of a page under its code block (`tensor(0.3597)`, `tf.Tensor(…)`), the
 * lines a Markdown page's output holds (docs/detection.md 3.237, 3.428). Without an output label above them
 * they are the lines in a row right under the block, as before. Under a label (`Output:`, `结果:`, `运行结果`),
 * the page said that what follows is the run's output, and blogs lay it out as the console did not: one
 * printed value per paragraph (a blank line or two between reprs), a short name over a value (`softmax:`). Such
 * a run goes on over at most two blank lines and one short name line at a time, as long as the next line with
 * text opens another repr; it ends at any other line, so a sentence, a heading, a fence or a repr after prose
 * ends it. Which print wrote which value is then told by the count alone (claimBinding.ts `bindOutputs` zips
 * them only when every print has its line), never by the numbers.
 */
import type { OutputLine } from './context';
import { reprGoesOn } from './pageOutputs';

/** A line that opens a printed repr (after its indentation). */
const reprHead = /^(?:tensor\(|tf\.Tensor\(|<tf\.Tensor|array\(|Tensor\()/;
/**
 * A short name over a printed value (`softmax:`, `log_softmax：`, `loss:`): words then a colon, no digit, bracket,
 * `=` or backtick (the same lines bindOutputs drops from what the prints wrote).
 */
const nameLine = /^[^\d\s(\[`=][^\d(\[`=]{0,30}[:：]$/;
/** Blank lines allowed between two values of one run. */
const maxBlanks = 2;

export interface ReprLines {
  count: number;
  line: (n: number) => string;
  start: (n: number) => number;
  /** Where the next code block starts (nothing at or after it is output). */
  limit: number;
}

/** The next line at or after `k` with text, past at most `maxBlanks` blank lines, or -1. */
function nextText(k: number, at: ReprLines): number {
  let n = k;
  for (let blanks = 0; n < at.count && at.line(n).trim() === ''; n++) if (++blanks > maxBlanks) return -1;
  return n < at.count && at.start(n) < at.limit ? n : -1;
}

/**
 * The output lines of printed reprs starting at line `k` (whose text opens a repr, or under a label a name line
 * over one), or null when line `k` opens none. Each line is looked at a bounded number of times.
 */
export function reprRun(k: number, at: ReprLines, underLabel: boolean): OutputLine[] | null {
  let n = k;
  if (n >= at.count) return null;
  if (underLabel && nameLine.test(at.line(n).trim())) {
    const m = nextText(n + 1, at);
    if (m < 0 || !reprHead.test(at.line(m).trim())) return null;
    n = m;
  }
  if (!reprHead.test(at.line(n).trim())) return null;
  const out: OutputLine[] = [];
  for (;;) {
    for (; n < at.count && at.start(n) < at.limit && at.line(n).trim() !== '' && reprGoesOn(at.line(n)); n++)
      out.push({ text: at.line(n), start: at.start(n) });
    if (!underLabel) return out;
    // Another value of the run: past blank lines and at most one name line, a line that opens a repr.
    let m = nextText(n, at);
    if (m >= 0 && nameLine.test(at.line(m).trim())) m = nextText(m + 1, at);
    if (m <= n || !reprHead.test(at.line(m).trim())) return out;
    n = m;
  }
}
