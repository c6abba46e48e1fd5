/**
 * A worked loss whose steps go down the page (docs/detection.md 3.181): the expression on one line,
 * each later step on a line of its own under the same label, the number it comes to last:
 *
 *     L = - ( 0 × log 0.1 + 1 × log 0.7 + 0 × log 0.1 )
 *     L = - log 0.7
 *     L = 0.3567
 *
 * or a TeX `align` whose later lines start with `&=` (read as `=` by texSigns.ts). The number on the
 * last line is what the page claims for the expression on the first. Read only when every line in
 * between is blank or the same loss again (a worked log of the same value, without a number after
 * it); any other line ends the chain, and nothing is claimed. At most a few lines are looked at, so
 * the reading stays linear in the text.
 */
import { plainTexSigns } from './texSigns';
import { lineWords } from './workedWords';

/** Lines looked at below the expression (blank lines included). */
const maxLines = 6;

/**
 * `label =` / `label ≈` at the start of a line (TeX signs read), or a bare `=` continuing a chain. A
 * label may be written as a function of the example, spaces inside its brackets (`l(0.25 | 0) =`,
 * `L(y, ŷ) =`: a forum answer's steps, docs/detection.md 3.323).
 */
const labelled = /^[ \t]*([A-Za-z\u0370-\u03ff]\w{0,7}\([^()=≈≃\n]{0,24}\)|[^\s=≈≃]{0,32})[ \t]*([=≈≃])/;

/** The number alone after the sign, with an optional full stop or unit after it. */
const numberAlone = /^[ \t]*(\d+(?:\.\d+)?)[ \t]*(?:\.|,|nats?\b)?[ \t]*$/;

export interface LabelAt {
  /** The label (empty for a line that starts with its `=`). */
  label: string;
  /** Where the sign ends. */
  end: number;
  approximate: boolean;
}

/** The label and sign a line starts with, or null. */
export function labelAt(line: string): LabelAt | null {
  const m = labelled.exec(line);
  if (!m) return null;
  return { label: m[1], end: m[0].length, approximate: m[2] !== '=' };
}

export interface ClaimBelow {
  /** The claim's line (TeX signs read) and its offset in the text. */
  line: string;
  at: number;
  claim: { text: string; start: number; approximate: boolean };
  /** The offset after the last line of the chain: the lines read here are not read again. */
  next: number;
}

/**
 * The number a chain of lines under a worked expression comes to. `from` is the offset of the line
 * after the expression's; `label` the expression's own; `sameLoss(line)` the value of an open worked
 * loss on a line (null when there is none), which must equal `value` for the chain to go on.
 */
export function claimBelow(
  text: string,
  from: number,
  label: string,
  value: number,
  sameLoss: (line: string) => number | null,
): ClaimBelow | null {
  let at = from;
  for (let k = 0; k < maxLines && at <= text.length; k++) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = plainTexSigns(text.slice(at, end));
    if (line.trim() === '') {
      at = end + 1;
      continue;
    }
    const l = labelAt(line);
    // The same label, or a bare `=` continuing the chain (an alignment).
    if (!l || (l.label !== label && l.label !== '')) return null;
    const n = numberAlone.exec(line.slice(l.end));
    if (n) {
      const start = l.end + n[0].indexOf(n[1]);
      return { line, at, claim: { text: n[1], start, approximate: l.approximate }, next: end + 1 };
    }
    const v = sameLoss(line);
    if (v === null || Math.abs(v - value) > 1e-12 * Math.max(1, Math.abs(value))) {
      // A step that gives the terms' values (`= - [ 0 + (-0.357) + 0 ]`) goes on when they come to the value.
      const step = termValues(line.slice(l.end));
      if (!step || Math.abs(step.value - value) > step.slack) return null;
    }
    at = end + 1;
  }
  return null;
}

/** One term of a step: a sign, then a number, perhaps in parentheses with a sign of its own (`(-0.357)`). */
const termValue = /^[ \t]*([-+−])?[ \t]*(?:\([ \t]*([-+−]?)[ \t]*(\d+(?:\.\d+)?)[ \t]*\)|(\d+(?:\.\d+)?))[ \t]*/;

/**
 * `- [ 0 + (-0.357) + 0 ]`, `-(-0.105 - 0.223)`: a step of a worked loss that gives its terms' values, negated
 * and summed (3.369). Its value, and the rounding its decimals carry (half a unit of each one's last digit; a
 * whole number is exact, the 0 of a term that dropped out); null for anything else. At most 32 terms.
 */
function termValues(rest: string): { value: number; slack: number } | null {
  const m = /^[ \t]*[-−][ \t]*([[(])(.{1,400})([\])])[ \t]*$/.exec(rest);
  if (!m || (m[1] === '(' ? ')' : ']') !== m[3]) return null;
  let s = m[2];
  let sum = 0;
  let slack = 0;
  for (let count = 0; s.trim() !== ''; count++) {
    const t = termValue.exec(s);
    if (!t || count >= 32 || (count > 0 && !t[1])) return null;
    const num = t[3] ?? t[4];
    const sign = (t[1] && t[1] !== '+' ? -1 : 1) * (t[2] && t[2] !== '+' ? -1 : 1);
    sum += sign * Number(num);
    if (num.includes('.')) slack += 0.5 * 10 ** -(num.length - num.indexOf('.') - 1);
    s = s.slice(t[0].length);
  }
  return { value: -sum, slack: slack + 1e-12 };
}

/**
 * A line of words that hands over to the result below it (`My result is:`, `我计算的结果是:`, 3.316): no
 * digit, no sign, at most 60 characters, a colon last.
 */
const leadIn = /^[^\d=≈≃<>]{1,60}[:：]$/;
/** The number alone on its line. */
const bareNumber = /^[ \t]*(\d+(?:\.\d+)?)[ \t]*$/;

/**
 * The result of an expression written alone on its line (`exprLine`, the expression at `expr`), given
 * below it after a line of words ending in a colon (3.316): `-(0*log(0.1) + 0.5*log(0.3))`, then
 * `I get:`, then `0.8574` on a line of its own, blank lines between them allowed. The words must not
 * name another quantity (an entropy, bits: workedWords.ts). Any other line ends the search, and nothing
 * is claimed. At most a few lines are read.
 */
export function resultBelow(
  text: string,
  from: number,
  exprLine: string,
  expr: { start: number; end: number },
): ClaimBelow | null {
  if (exprLine.slice(0, expr.start).trim() !== '' || exprLine.slice(expr.end).trim() !== '') return null;
  let at = from;
  let ledIn = false;
  for (let k = 0; k < maxLines && at <= text.length; k++) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = text.slice(at, end);
    const plain = line.trim();
    at = end + 1;
    if (plain === '') continue;
    if (!ledIn) {
      if (!leadIn.test(plain) || lineWords(plain, false).blocked !== Infinity) return null;
      ledIn = true;
      continue;
    }
    const n = bareNumber.exec(line);
    if (!n) return null;
    const start = n[0].indexOf(n[1]);
    return { line, at: at - line.length - 1, claim: { text: n[1], start, approximate: false }, next: at };
  }
  return null;
}

/**
 * `L = - ( 0.0 ln(0.228) + 1.0 ln(0.619) ) L = 0.479`: the line's label said again right after the worked
 * expression (from `start` to `end`), then the number alone: a page that lost the break between the two lines
 * of a chain (3.369). The claim, or null; the label must stand right before the expression.
 */
export function restatedAfter(
  line: string,
  start: number,
  end: number,
): { text: string; start: number; approximate: boolean } | null {
  const l = labelAt(line);
  if (!l || !l.label || line.slice(l.end, start).trim() !== '') return null;
  const m = /^[ \t]+(\S{1,32})[ \t]*([=≈])[ \t]*(\d+(?:\.\d+)?)[ \t]*\.?[ \t]*$/.exec(line.slice(end));
  if (!m || m[1] !== l.label) return null;
  return { text: m[3], start: end + m[0].lastIndexOf(m[3]), approximate: m[2] !== '=' };
}
