/**
 * A binary cross-entropy worked one element per line, then averaged in steps (docs/detection.md 3.429): a
 * multi-label explainer (copied across many mirror sites) writes each element's log-likelihood with its label
 * put in, then the mean of each row's absolute values, then the mean of those means:
 *
 *     First column: 0 × ln 0.3992 + (1 − 0) × ln(1 − 0.3992) = −0.5095
 *     …
 *     \frac{0.5095 + 1.4997 + 0.4408}{3} = 0.8167
 *     …
 *     \frac{0.8167 + 0.6559 + 0.6855}{3} = 0.7194
 *
 * The last number is the page's value for torch's BCELoss (mean) of those probabilities and labels: the mean
 * of −log of the probability each element gives its label. Read only where each step says what it is:
 * - an element line: a label y of 0 or 1 in both weights (`y × ln p + (1 − y) × ln(1 − p)`), the same p in
 *   (0, 1) in both logs, a natural log (`ln`, or `log` as the page's formula writes it), and after `=` a
 *   negative number within one unit of its last digit of ln p (y = 1) or ln(1 − p) (y = 0): the page's own
 *   number says the log is natural and the line is that element's;
 * - a mean line, `\frac{a + b + …}{n} = m` or `(a + b + …) / n = m`: either the next n element numbers not yet
 *   averaged (as written, without their minus), n their count, m within one unit of their mean (a row's
 *   mean); or the row means so far, in order, over rows of one size, all elements averaged (the loss); or,
 *   before any row mean, every element read (the loss in one step).
 * Any other element line after a finished loss starts again; more than `maxGap` lines of other text between
 * steps forget the steps. The claim is judged with the rounding of the written steps carried through (the
 * distance from the exact value to the mean of the numbers the page averaged), plus half a unit of its own
 * last digit (a unit after `≈`). Each line is read once with a bounded regular expression.
 */
import { claimInOutput } from './claims';
import type { DetectionContext } from './context';
import type { PairRef } from './values';

/** A worked loss in the shape workedLogs.ts makes a pair of (kept here so the two files import one way). */
export interface WorkedMean {
  start: number;
  end: number;
  terms: { p: number; weight: number }[];
  form: 'mean';
  value: number;
  claim: null;
}

interface Element {
  /** The probability the element gives its label: p for y = 1, 1 − p for y = 0. */
  q: number;
  /** Its number as written, without the minus. */
  text: string;
}

/** Lines longer than this are no step. */
const maxLine = 400;
/** Elements of one worked loss at most. */
const maxElements = 64;
/** Lines of other text allowed between two steps. */
const maxGap = 12;

const num = String.raw`(\d*\.\d+|\d+)`;
const times = String.raw`[ \t]*[×*·⋅]?[ \t]*`;
/** `[label:] y × ln p + (1 − y) × ln(1 − p) = −v`, after a list marker (`-`, `1.`) and a short label. */
const elementLine = new RegExp(
  String.raw`^[ \t]*(?:(?:[-*•]|\d{1,3}[.)])[ \t]*)?(?:[^=()+:：]{1,24}[:：][ \t]*)?([01])${times}(?:ln|log)[ \t]*(\()?[ \t]*${num}[ \t]*(\))?[ \t]*\+[ \t]*\([ \t]*1[ \t]*[-−][ \t]*([01])[ \t]*\)${times}(?:ln|log)[ \t]*\([ \t]*1[ \t]*[-−][ \t]*${num}[ \t]*\)[ \t]*=[ \t]*[-−][ \t]*(\d*\.\d+)[ \t]*\.?[ \t]*$`,
);
/** `\frac{a + b + c}{3} = m` or `(a + b + c) / 3 = m`, perhaps after `L =`; `≈` for the last `=`. */
const meanLine = new RegExp(
  String.raw`^[ \t]*(?:[A-Za-z\u0370-\u03ff][\w\u0370-\u03ff]{0,8}[ \t]*=[ \t]*)?(?:\\frac[ \t]*\{([^{}]{1,300})\}[ \t]*\{[ \t]*(\d+)[ \t]*\}|\(([^()]{1,300})\)[ \t]*\/[ \t]*(\d+))[ \t]*(=|≈)[ \t]*(\d*\.\d+)[ \t]*\.?[ \t]*$`,
);

/** The unit of the last digit written in `t` (`0.7194` → 0.0001). */
function unitOf(t: string): number {
  const d = t.includes('.') ? t.length - t.indexOf('.') - 1 : 0;
  return Math.pow(10, -d);
}

/** The element of a line, or null. */
function elementOf(line: string): Element | null {
  const m = elementLine.exec(line);
  if (!m || m[1] !== m[5] || m[3] !== m[6] || Boolean(m[2]) !== Boolean(m[4])) return null;
  const p = Number(m[3]);
  if (!(p > 0 && p < 1)) return null;
  const q = m[1] === '1' ? p : 1 - p;
  const v = Number(m[7]);
  return Math.abs(v + Math.log(q)) <= unitOf(m[7]) * (1 + 1e-9) ? { q, text: m[7] } : null;
}

/** The numbers `a + b + c` of a mean's numerator, or null. */
function addends(s: string): string[] | null {
  const parts = s.split('+').map((x) => x.trim());
  return parts.length >= 2 && parts.every((x) => /^\d*\.\d+$/.test(x)) ? parts : null;
}

/** Whether the numbers written are `texts`, in order. */
function same(written: string[], texts: string[]): boolean {
  return written.length === texts.length && written.every((x, i) => Number(x) === Number(texts[i]));
}

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

/**
 * Reads the steps of page text `text` (TeX signs already plain: `lineAt` gives each line as workedLogs.ts
 * reads it) and makes each worked loss a pair through `add`, binding the number its last step comes to.
 */
export function readBinaryMeans(
  ctx: DetectionContext,
  text: string,
  taken: [number, number][],
  lineAt: (raw: string) => string,
  add: (w: WorkedMean, line: string, at: number) => PairRef,
): void {
  let elements: Element[] = [];
  let averaged = 0;
  let rows: { text: string; size: number }[] = [];
  let done = false;
  let gap = 0;
  const reset = () => {
    elements = [];
    averaged = 0;
    rows = [];
    done = false;
  };
  for (let at = 0; at <= text.length;) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const raw = text.slice(at, end);
    const line = raw.length > maxLine ? '' : lineAt(raw);
    const element = line ? elementOf(line) : null;
    const m = !element && line.includes('=') ? meanLine.exec(line) : null;
    if (element) {
      if (done || averaged > 0 || elements.length >= maxElements) reset();
      elements.push(element);
      gap = 0;
    } else if (m && elements.length && !done) {
      const written = addends(m[1] ?? m[3]);
      const n = Number(m[2] ?? m[4]);
      const result = m[6];
      const next = elements.slice(averaged, averaged + n);
      if (
        written &&
        written.length === n &&
        next.length === n &&
        same(
          written,
          next.map((e) => e.text),
        )
      ) {
        const fromWritten = mean(written.map(Number));
        if (averaged + n === elements.length && rows.length === 0) {
          // Every element in one mean: the loss, its result the claim.
          finish(ctx, taken, add, raw, line, at, m, elements, fromWritten);
          done = true;
        } else if (Math.abs(fromWritten - Number(result)) <= unitOf(result) * (1 + 1e-9)) {
          // A row's mean, checked against its numbers: the mean of those numbers, not another quantity.
          averaged += n;
          rows.push({ text: result, size: n });
        } else reset();
      } else if (
        written &&
        written.length === n &&
        rows.length === n &&
        averaged === elements.length &&
        rows.every((r) => r.size === rows[0].size) &&
        same(
          written,
          rows.map((r) => r.text),
        )
      ) {
        finish(ctx, taken, add, raw, line, at, m, elements, mean(written.map(Number)));
        done = true;
      } else reset();
      gap = 0;
    } else if (raw.trim() !== '' && ++gap > maxGap) {
      reset();
      gap = 0;
    }
    at = end + 1;
  }
}

/** The pair of the worked loss whose last step is `m` on `line`, with its result as the claim. */
function finish(
  ctx: DetectionContext,
  taken: [number, number][],
  add: (w: WorkedMean, line: string, at: number) => PairRef,
  raw: string,
  line: string,
  at: number,
  m: RegExpExecArray,
  elements: Element[],
  fromWritten: number,
): void {
  const start = line.length - line.trimStart().length;
  const resultAt = line.lastIndexOf(m[6]);
  if (taken.some(([s, e]) => s < at + resultAt && e > at + start)) return;
  const value = mean(elements.map((e) => -Math.log(e.q)));
  const w: WorkedMean = {
    start,
    end: line.lastIndexOf(m[5]),
    terms: elements.map((e) => ({ p: e.q, weight: 1 })),
    form: 'mean',
    value,
    claim: null,
  };
  const ref = add(w, line, at);
  const claim = claimInOutput(raw.slice(resultAt, resultAt + m[6].length), at + resultAt);
  if (!claim) return;
  const unit = unitOf(m[6]);
  const absolute = Math.abs(value - fromWritten) + (m[5] === '≈' ? unit : unit / 2);
  ctx.bindClaim(
    { value: { kind: 'loss', pair: ref }, exprText: 'the worked example', direct: true },
    { ...claim, tolerance: { absolute, relative: 0, assertion: 'a mean worked from the rounded terms above' } },
    'output',
    null,
  );
}
