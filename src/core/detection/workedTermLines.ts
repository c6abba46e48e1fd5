/**
 * A cross-entropy worked one term per line, then summed on a later line (docs/detection.md 3.356): homework
 * answers list `y_i · log(p_i)` for every class, each with the number it comes to, then negate the sum of those
 * numbers:
 *
 *     • 0 * log₂(0.4) = 0
 *     • 1 * log₂(0.35) ≈ -1.515
 *     L = -(0 + (-1.515)) = 1.515
 *
 * A term line is a weight of 0 or 1, a log of one number in (0, 1] (natural, `log`/`ln`, or base 2 when
 * the page writes it: `log₂`, `log2`, `log_2`), and a chain of `=` / `≈` to a number (0 for a zero weight),
 * after at most a short label (`Term 2:`) or a list item's marker. The sum line negates a bracket of signed
 * numbers, one for each term line of the run just above in order: each a zero where the weight is 0, and
 * the number that term line came to where it is 1. Anything else is not read. The value is −Σ y·log p in
 * the base the terms use; the number the sum's chain comes to is the page's claim for it. Each line is
 * read once, with a bounded number of regular-expression steps.
 */
import { isMinus, numberEnd, skip } from './workedTerms';

export interface TermLine {
  weight: 0 | 1;
  p: number;
  base: 'e' | '2';
  /** The number the line comes to, as written (`-1.515`, `0`). */
  text: string;
}

/** Lines longer than this are no term line. */
const maxLine = 160;
/** Term lines kept in one run. */
const maxRun = 32;
/** Lines of other words allowed between the last term line and the sum (a step's heading). */
const maxGap = 3;

const termLine =
  /^[ \t]*(?:[-*•][ \t]*|[A-Za-z][\w ]{0,11}\d?[ \t]*:[ \t]*)?([01])[ \t]*[*·×⋅]?[ \t]*(log₂|log_2|log2|log|ln)[ \t]*\([ \t]*(\d*\.?\d+)[ \t]*\)((?:[ \t]*[=≈][ \t]*[-−\d.()*·× \t]{1,40}?){1,4})[ \t]*\.?[ \t]*$/;

/** The term of a line `1 * log₂(0.35) ≈ -1.515`, or null. */
export function termOfLine(line: string): TermLine | null {
  if (line.length > maxLine || !/l(?:og|n)/.test(line)) return null;
  const m = termLine.exec(line);
  if (!m) return null;
  const p = Number(m[3]);
  if (!(p > 0 && p <= 1)) return null;
  const last = /[=≈][ \t]*([-−]?\d+(?:\.\d+)?)[ \t]*$/.exec(m[4]);
  if (!last) return null;
  const text = last[1].replace('−', '-');
  const weight = m[1] === '1' ? 1 : 0;
  if (weight === 0 ? Number(text) !== 0 : !(Number(text) < 0)) return null;
  return { weight, p, base: m[2] === 'log' || m[2] === 'ln' ? 'e' : '2', text };
}

/** The run of term lines just above a sum: term lines in a row, then at most a few other lines. */
export class TermRun {
  terms: TermLine[] = [];
  private since = 0;
  /** Reads one line (the sum on it, if any, read before); returns its term, or null. */
  push(line: string): TermLine | null {
    const t = termOfLine(line);
    if (t) {
      // A term after other lines starts a new run.
      if (this.since > 0 || this.terms.length >= maxRun) this.terms = [];
      this.since = 0;
      this.terms.push(t);
    } else if (line.trim() !== '' && ++this.since > maxGap) this.terms = [];
    return t;
  }
  reset(): void {
    this.terms = [];
    this.since = 0;
  }
}

export interface TermSum {
  start: number;
  end: number;
  terms: TermLine[];
  base: 'e' | '2';
  value: number;
}

/**
 * The negated bracket of signed numbers at the minus `i` of `line`: `-(0 + (-1.515) + 0)`, `- (0 - 1.515)`,
 * `-[0 + (-1.737)]`, when its numbers are those of `run`'s terms in order. Reads at most the bracket.
 */
export function sumOfTermsAt(line: string, i: number, run: TermLine[]): TermSum | null {
  if (!run.length || !run.some((t) => t.weight === 1) || run.some((t) => t.base !== run[0].base)) return null;
  let j = skip(line, i + 1);
  const close = line[j] === '(' ? ')' : line[j] === '[' ? ']' : '';
  if (!close) return null;
  j = skip(line, j + 1);
  for (let k = 0; k < run.length; k++) {
    // The sign between numbers, then the number, bare or as `(-1.515)`.
    let sign = 1;
    if (k > 0) {
      if (line[j] === '+') sign = 1;
      else if (isMinus(line[j])) sign = -1;
      else return null;
      j = skip(line, j + 1);
    } else if (isMinus(line[j])) {
      sign = -1;
      j = skip(line, j + 1);
    }
    const paren = line[j] === '(';
    if (paren) {
      j = skip(line, j + 1);
      if (isMinus(line[j])) {
        sign = -sign;
        j = skip(line, j + 1);
      }
    }
    const e = numberEnd(line, j);
    if (e < 0) return null;
    const n = sign * Number(line.slice(j, e));
    j = skip(line, e);
    if (paren) {
      if (line[j] !== ')') return null;
      j = skip(line, j + 1);
    }
    if (n !== Number(run[k].text)) return null;
  }
  if (line[j] !== close) return null;
  const hot = run.filter((t) => t.weight === 1);
  const log = run[0].base === '2' ? Math.log2 : Math.log;
  const value = -hot.reduce((s, t) => s + log(t.p), 0);
  return { start: i, end: j + 1, terms: run, base: run[0].base, value };
}
