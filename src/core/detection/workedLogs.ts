/**
 * A negative log-likelihood worked by hand in page text, the way course notes, answers and blog posts
 * show a cross-entropy: `-log(0.7) = 0.357`, `L = −log(0.1) ≈ 2.303`, `-log0.6 = -(-0.2218) = 0.2218`,
 * a one-hot expansion `CE = -(0·log0.1 + 1·log0.7 + 0·log0.2) = 0.357`, or the sum of several samples'
 * `-log(0.7) - log(0.8) - log(0.9) = 0.685`. Each number under the log is the probability one sample
 * gave its true class, so the expression is torch's NLLLoss of the logs of those numbers (one column
 * per sample, every sample's class that column): the mean of one term, or the sum the page writes.
 * The number after the last `=` (or `≈`) is what the page claims for it.
 *
 * Read only where a person wrote it (Markdown and page text, a notebook's Markdown cells), never in
 * code: a Python or JavaScript string holding the same words is text a program prints or replaces
 * (a diagram tool's replacement pattern), not a loss. And only this shape, so that a bound, an
 * entropy or a focal weight does not become a pair:
 * - the log is `log` or `ln` standing alone (not `np.log`, not `log2` / `log10` / `log_2`, whose
 *   values are other numbers), of one number literal in (0, 1];
 * - every term is negated; weights, when written, are 0 or 1 with exactly one 1 (a one-hot target);
 * - a chain of `=` / `≈` follows whose steps hold only numbers and arithmetic, ending in a number;
 * - nothing before it on the line names an entropy, a divergence, perplexity or bits, and the page
 *   names a loss (in English or in the languages of the pages studied).
 * A bare `log` is the natural log, as in torch, numpy and the pages' own formulas. Everything here is
 * linear in the text: each line is scanned once, and each parse reads a bounded number of characters.
 */
import { claimInOutput, wholeResultClaim, type ClaimText } from './claims';
import type { DetectionContext } from './context';
import { undoubledLine } from './doubledMath';
import { plainProse, readSemantics } from './problemProse';
import { siteArray, withArray, writtenProbOperands, type ArrayValue, type PairRef } from './values';
import { plainTexSigns } from './texSigns';
import { claimBelow, labelAt, restatedAfter, resultBelow } from './workedChains';
import { readWorkedTables } from './workedTables';
import { readBinaryMeans } from './workedBinaryMeans';
import {
  bracketAt,
  distributedAt,
  expressionAt,
  meanBracketAt,
  isMinus,
  isSpace,
  numberEnd,
  skip,
  type Term,
} from './workedTerms';
import { opensExpression, signLost } from './workedOpens';
import { sumOfTermsAt, TermRun, type TermLine } from './workedTermLines';
import { lineWords, otherLossWords } from './workedWords';

export interface WorkedLog {
  /** Offsets of the expression (from its minus sign to the end of its last term). */
  start: number;
  end: number;
  terms: Term[];
  /**
   * One sample (a single term or a one-hot expansion), the sum of several samples' losses, or their
   * mean (`(-log(0.7) - log(0.8)) / 2`, or the mean of losses worked on the lines above), or one row
   * against a soft target whose weights are written (`-(0.4 log(0.45) + 0.2 log(0.23))`, 3.185), or one
   * sample scaled by its class's weight (`-1.5 · log(0.8)`, 3.185).
   */
  form: 'one' | 'sum' | 'mean' | 'soft' | 'weighted';
  /** A mean of losses worked above: the digits after the point of each term as the page rounded it. */
  roundedTerms?: number[];
  value: number;
  /** The number claimed after the last `=` / `≈`, with its offset, or null when there is none. */
  claim: { text: string; start: number; approximate: boolean } | null;
  /** The line the claim is on when it is a later line's (3.181: a chain down the page), and its offset. */
  claimLine?: { line: string; at: number };
  /** Worked in base 2 (`log₂`, 3.356): the value is in bits. */
  bits?: boolean;
}

/** Lines longer than this are not read (a minified page). */
const maxLine = 4000;
/** Worked losses kept for a mean of them on a later line. */
const maxAbove = 32;
/** How a claim worked from rounded terms is judged (shown with the claim). */
const roundedTermsNote = 'a mean worked from the rounded terms above';
const roundedSumNote = 'a sum worked from the rounded terms above';

/**
 * The chain after an expression: `= step = step … = number`, each step only numbers and arithmetic.
 * Returns the last step's number and whether it was reached by `≈`, or null.
 */
function chainAfter(s: string, i: number): { text: string; start: number; approximate: boolean } | null {
  let j = skip(s, i);
  let last: { text: string; start: number; approximate: boolean } | null = null;
  while (s[j] === '=' || s[j] === '≈' || s[j] === '≃') {
    const approximate = s[j] !== '=';
    j = skip(s, j + 1);
    const from = j;
    while (
      j < s.length &&
      (/[\d.()+\-−–*·×⋅/ \t]/.test(s[j]) || (s[j] === ',' && /\d/.test(s[j - 1]) && /\d/.test(s[j + 1] ?? '')))
    )
      j++;
    // The step ends before any trailing space; a step is a number only when nothing but its digits is in it.
    let to = j;
    while (to > from && isSpace(s[to - 1])) to--;
    // A remark in parentheses after the number (`≈ 0.11 (better!)`, `= 0.105 (geringer Fehler)` §3.195) and the parenthesis closing an
    // expression written inside one (`loss is low (−log(0.9) ≈ 0.1).`) are not part of the step (§3.228).
    to = balancedEnd(s, from, to);
    while (to > from && isSpace(s[to - 1])) to--;
    // A sentence's full stop after the number (`= 0.357.`) is not one of its digits.
    // So is one after a closing `$` read as a space (`$… ≈ 0.357$.`, §3.181).
    if (to - from > 1 && s[to - 1] === '.') {
      let d = to - 1;
      while (d > from && isSpace(s[d - 1])) d--;
      if (/\d/.test(s[d - 1])) to = d;
    }
    const step = s.slice(from, to);
    if (!/\d/.test(step)) return last;
    const end = numberEnd(s, from);
    last = end === to ? { text: step, start: from, approximate } : null;
    j = skip(s, to);
    // A sentence's full stop or a word after the number ends the chain.
    if (s[j] !== '=' && s[j] !== '≈' && s[j] !== '≃') break;
  }
  return last;
}

/**
 * Where the step `s[from, to)` ends once parentheses it does not balance are cut: at a `)` it never
 * opened, or at the first `(` it leaves open. Linear in the step.
 */
function balancedEnd(s: string, from: number, to: number): number {
  const open: number[] = [];
  for (let k = from; k < to; k++) {
    if (s[k] === '(') open.push(k);
    else if (s[k] === ')' && open.pop() === undefined) return k;
  }
  return open.length ? open[0] : to;
}

/** Where the first word for another quantity ends on the line (the line's length when none), `H` included. */
function blockedFrom(line: string): number {
  const w = lineWords(line, false);
  return Math.min(w.blocked, w.hBlocked);
}

/** `/ n` after `i` with n a whole number: n and the end, or null. */
function divisorAfter(s: string, i: number): { n: number; end: number } | null {
  let j = skip(s, i);
  if (s[j] !== '/') return null;
  j = skip(s, j + 1);
  const end = numberEnd(s, j);
  const n = end < 0 ? NaN : Number(s.slice(j, end));
  return Number.isInteger(n) && n > 0 ? { n, end } : null;
}

/**
 * The worked negative logs of one line (offsets relative to the line). With `open`, an expression
 * with nothing after it on the line is kept too, without a claim (its steps may go on below, 3.181).
 */
export function workedLogsInLine(line: string, open = false, hIsLoss = false): WorkedLog[] {
  const out: WorkedLog[] = [];
  if (line.length > maxLine || !/l(?:og|n)/.test(line)) return out;
  // A label `H` blocks what follows it unless the page named it the loss, or the expression is a one-hot
  // row, which no entropy is (§3.193).
  const words = lineWords(line, hIsLoss);
  const blocked = words.blocked;
  for (let i = 0; i < line.length; i++) {
    // `(-log(0.7) - log(0.8)) / 2`: the mean of the samples written inside the parentheses.
    const mean = line[i] === '(' && isMinus(line[skip(line, i + 1)]);
    // `0·log(0.4) - 1·log(0.4) - 0·log(0.2)`: written out term by term, the first a zero's without its sign.
    const unsigned = line[i] === '0' && !/[\w.,]/.test(line[i - 1] ?? '') && !/[\d.,]/.test(line[i + 1] ?? '');
    // `(1 \log(0.9) + (1 - 1) \log(1 - 0.9)) ≈ 0.105`: a bracket of weighted logs whose minus the page lost (3.355).
    const lost = (line[i] === '(' || line[i] === '[') && !mean && signLost(line, i);
    if (!isMinus(line[i]) && !mean && !unsigned && !lost) continue;
    // A mean whose divisor counts its terms reads the same inside a sentence (`… como (-ln0.1-2ln0.9)/3 …`, 3.185).
    const opens = opensExpression(line, i, blocked);
    if (!opens && !(mean && i < blocked)) continue;
    // `-\frac{1}{3} (1 \log(0.8) + (1 - 0) \log(1 - 0.2) + …)`: the mean of the samples labelled 1 (3.355).
    const meanOf = isMinus(line[i]) ? meanBracketAt(line, i) : null;
    const e = meanOf
      ? { terms: meanOf.terms, form: 'sum' as const, end: meanOf.end, repeated: false }
      : unsigned
        ? distributedAt(line, i)
        : lost
          ? bracketAt(line, i)
          : expressionAt(line, mean ? skip(line, i + 1) : i);
    if (!e || (i >= words.hBlocked && !e.oneHot)) continue;
    let end = e.end;
    let form: WorkedLog['form'] = e.form;
    if (mean) {
      const close = skip(line, e.end);
      const d = line[close] === ')' ? divisorAfter(line, close + 1) : null;
      if (!d || d.n !== e.terms.length || e.form !== 'sum') continue;
      end = d.end;
      form = 'mean';
    } else if (meanOf) form = 'mean';
    else if (e.repeated || !opens) continue;
    const claim = chainAfter(line, end) ?? restatedAfter(line, i, end);
    // A mean stands without a number after it: its divisor already says what it is. A bracket whose minus
    // was lost is read only with the positive number it comes to on its line: that number says the minus.
    if (lost && !claim) continue;
    if (!claim && form !== 'mean' && !(open && line.slice(end).trim() === '')) continue;
    const total = -e.terms.reduce((sum, t) => sum + t.weight * Math.log(t.p), 0);
    out.push({ start: i, end, terms: e.terms, form, value: form === 'mean' ? total / e.terms.length : total, claim });
    i = end;
  }
  return out;
}

const meanOfNumbers = /\(\s*(\d+(?:\.\d+)?(?:\s*\+\s*\d+(?:\.\d+)?)+)\s*\)/g;
/** The same mean in TeX: `\frac{0.91 + 0.91 + 2.3}{3}` (3.185). */
const fracOfNumbers = /\\frac\s*\{\s*(\d+(?:\.\d+)?(?:\s*\+\s*\d+(?:\.\d+)?)+)\s*\}\s*\{\s*(\d+)\s*\}/g;

/** Each `(a + b + c) / n` and `\frac{a + b + c}{n}` of the line: where it starts, its numbers, the divisor. */
function* meansOfNumbers(line: string): Generator<{ i: number; texts: string[]; n: number; end: number }> {
  for (const m of line.matchAll(meanOfNumbers)) {
    const d = divisorAfter(line, m.index + m[0].length);
    if (d) yield { i: m.index, texts: m[1].split('+').map((t) => t.trim()), n: d.n, end: d.end };
  }
  if (!line.includes('\\frac')) return;
  for (const m of line.matchAll(fracOfNumbers))
    yield { i: m.index, texts: m[1].split('+').map((t) => t.trim()), n: Number(m[2]), end: m.index + m[0].length };
}

/**
 * `Average CE = (0.357 + 2.996) / 2 = 1.677`: the mean of losses worked on the lines above, each
 * written as the number claimed for it. Every number must be one such claim (each used once) and the
 * divisor their count; the terms are those losses' probabilities. The value is the exact mean; the
 * page's own arithmetic is of the rounded terms, which the claim's tolerance allows for when each term
 * is its loss rounded; a term the page cut short (0.91 for 0.9163) carries its error into the mean,
 * which is then judged as written (3.185).
 */
export function meanOfWorkedIn(line: string, above: WorkedLog[]): WorkedLog | null {
  if (line.length > maxLine || (!line.includes('/') && !line.includes('\\frac'))) return null;
  const blocked = blockedFrom(line);
  for (const { i, texts, n, end } of meansOfNumbers(line)) {
    if (!opensExpression(line, i, blocked) || n !== texts.length) continue;
    const used = new Set<WorkedLog>();
    for (const t of texts) {
      // The number claimed for it, or its own value as the page rounds it (when the page's claim for it
      // is wrong, the mean may still be worked from the right number, §3.181).
      const w =
        above.find((a) => !used.has(a) && a.form === 'one' && a.claim?.text === t) ??
        above.find((a) => !used.has(a) && a.form === 'one' && a.claim && roundsTo(a.value, t));
      if (!w) break;
      used.add(w);
    }
    if (used.size !== texts.length) continue;
    const claim = chainAfter(line, end);
    if (!claim) continue;
    const ws = [...used];
    const rounded = ws.every((w, k) => roundsTo(w.value, texts[k]));
    return {
      start: i,
      end,
      terms: ws.flatMap((w) => w.terms),
      form: 'mean',
      value: ws.reduce((sum, w) => sum + w.value, 0) / ws.length,
      claim,
      roundedTerms: rounded ? texts.map(decimalsOf) : undefined,
    };
  }
  return null;
}

/** Numbers added, `0.4744 + 0.3133 + 0.1269` (not inside a mean's parentheses: what opens it is checked). */
const sumOfNumbers = /\d+(?:\.\d+)?(?:[ \t]*\+[ \t]*\d+(?:\.\d+)?)+/g;

const decimalsOf = (t: string): number => (t.includes('.') ? t.length - t.indexOf('.') - 1 : 0);

/**
 * `Loss = 0.33465 + 0 = 0.33465`, `total = 0.223 + 0.357 = 0.580`: the sum of losses worked above,
 * each written as the number claimed for it (3.186), zeros for terms the page dropped. With one loss
 * and zeros it restates that loss (`same`): its claim is that loss's. With several one-sample losses,
 * it is their sum, a pair of its own. Judged as 3.181's mean is: the terms' rounding is allowed for
 * only when every term is its loss rounded.
 */
export function sumOfWorkedIn(line: string, above: WorkedLog[]): { worked: WorkedLog; same: WorkedLog | null } | null {
  if (line.length > maxLine || !line.includes('+')) return null;
  const blocked = blockedFrom(line);
  for (const m of line.matchAll(sumOfNumbers)) {
    const i = m.index;
    const texts = m[0].split('+').map((t) => t.trim());
    const real = texts.filter((t) => Number(t) !== 0);
    if (!real.length || real.length > maxAbove || !opensExpression(line, i, blocked)) continue;
    const used: WorkedLog[] = [];
    for (const t of real) {
      const free = (a: WorkedLog): boolean => !used.includes(a) && a.claim !== null;
      const w = above.find((a) => free(a) && a.claim?.text === t) ?? above.find((a) => free(a) && roundsTo(a.value, t));
      if (!w) break;
      used.push(w);
    }
    const end = i + m[0].length;
    if (used.length !== real.length) continue;
    // Only the first sum with its terms is followed along its chain: every later one on the line sits in
    // the same chain, whose end would be read again (quadratic on a long line of `a + 0 = a + 0 = …`).
    const claim = chainAfter(line, end);
    if (!claim) return null;
    const rounded = used.every((w, k) => roundsTo(w.value, real[k]));
    const roundedTerms = rounded ? real.map(decimalsOf) : undefined;
    if (used.length === 1)
      return { same: used[0], worked: { ...used[0], start: i, end, claim, claimLine: undefined, roundedTerms } };
    if (used.some((w) => w.form !== 'one')) continue;
    const value = used.reduce((sum, w) => sum + w.value, 0);
    const terms = used.flatMap((w) => w.terms);
    return { same: null, worked: { start: i, end, terms, form: 'sum', value, claim, roundedTerms } };
  }
  return null;
}

/**
 * `L = -(0 + (-1.515) + 0) = 1.515`: the negated sum of the numbers the term lines above came to (3.356), as
 * one worked loss with the number its chain comes to; null when the line holds no such sum.
 */
function termSumIn(line: string, run: TermLine[]): WorkedLog | null {
  if (line.length > maxLine || !/[-−–]\s*[([]/.test(line)) return null;
  const blocked = blockedFrom(line);
  for (let i = 0; i < line.length; i++) {
    if (!isMinus(line[i]) || !opensExpression(line, i, blocked)) continue;
    const s = sumOfTermsAt(line, i, run);
    if (!s) continue;
    const claim = chainAfter(line, s.end);
    if (!claim) return null;
    const hot = s.terms.filter((t) => t.weight === 1);
    const log = s.base === '2' ? Math.log2 : Math.log;
    // Judged as 3.186's sums: the terms' rounding is allowed for when each is its log rounded.
    const rounded = hot.every((t) => roundsTo(log(t.p), t.text));
    const terms = hot.map((t) => ({ p: t.p, weight: 1 }));
    const form = terms.length > 1 ? 'sum' : 'one';
    const roundedTerms = rounded ? hot.map((t) => decimalsOf(t.text)) : undefined;
    return { start: s.start, end: s.end, terms, form, value: s.value, claim, bits: s.base === '2', roundedTerms };
  }
  return null;
}

/** `value` written with the digits of `t` (`2.9957…` as `2.996`). */
function roundsTo(value: number, t: string): boolean {
  const decimals = t.includes('.') ? t.length - t.indexOf('.') - 1 : 0;
  return decimals > 0 && Math.abs(value - Number(t)) <= 0.5 * Math.pow(10, -decimals) * (1 + 1e-9);
}

/** The page names a loss somewhere (a worked log on a page about something else is no loss). */
function pageNamesLoss(text: string): boolean {
  return readSemantics(text).namesLoss || otherLossWords.test(plainProse(text));
}

/** The probabilities written under the logs, as the site the pair's arrays come from. */
function writtenProbs(ctx: DetectionContext, w: WorkedLog, at: number): ArrayValue {
  const data = Float64Array.from(w.terms, (t) => t.p);
  return siteArray(ctx.syntheticSite(at + w.start, at + w.end, data, [data.length], false, 'number'));
}

/**
 * Reads the worked negative logs of page text `text` (a Markdown page, page text, a notebook's
 * Markdown cell `cell`) as pairs, each with the claim after it.
 */
export function readWorkedLogs(ctx: DetectionContext, text: string, cell?: number): void {
  if (!/l(?:og|n)/.test(text) || !pageNamesLoss(text)) return;
  ctx.begin(text, cell);
  const taken = ctx.pairs.filter((p) => p.cell === cell).map((p) => p.callSpan);
  // A claim another reader already bound (an exercise page's `Output:` after its example) is that
  // example's: the worked line restates its loss, and is not a second one.
  const claimed = new Set(ctx.claims.filter((c) => c.cell === cell).map((c) => c.claim.start));
  // Losses worked on the lines above, for a mean of them: the last few only.
  const above: WorkedLog[] = [];
  const refs = new Map<WorkedLog, PairRef>();
  // Once a line names its `H` the loss (`Cross-Entropy: H = …`), the page's later `H = …` is that loss (§3.193).
  let hIsLoss = false;
  // Terms worked one per line, for their sum on a later line (3.356).
  const run = new TermRun();
  let at = 0;
  while (at <= text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    // A MathJax page's copy writes each equation twice, glued: read as the one chain it shows.
    // TeX's signs (`\log`, `\times`, `\approx`, `$`) read as the plain ones (3.181).
    const line = plainTexSigns(undoubledLine(text.slice(at, end)));
    hIsLoss ||= lineWords(line, false).hNamed;
    const found = workedLogsInLine(line, true, hIsLoss).filter(
      (w) => w.claim || w.form === 'mean' || chainedBelow(text, w, line, end),
    );
    const mean = above.length ? meanOfWorkedIn(line, above) : null;
    if (mean && !found.some((w) => w.start < mean.end && w.end > mean.start)) found.push(mean);
    const sum = above.length && !mean ? sumOfWorkedIn(line, above) : null;
    const termSum = run.terms.length ? termSumIn(line, run.terms) : null;
    if (termSum) {
      found.push(termSum);
      run.reset();
    } else run.push(line);
    if (sum && !sum.same && !found.some((w) => w.start < sum.worked.end && w.end > sum.worked.start))
      found.push(sum.worked);
    above.push(...found.filter((w) => w.form === 'one' || w.form === 'weighted'));
    above.splice(0, Math.max(0, above.length - maxAbove));
    // A comment in code (a listing's `# = -log(0.7) = 0.357`) is the code's: the statement reader
    // judges it as a claim about the line above, and it is no loss of its own.
    if (/^[ \t]*(?:#|\/\/)/.test(line)) {
      at = end + 1;
      continue;
    }
    for (const w of found) {
      if (taken.some(([s, e]) => s < at + w.end && e > at + w.start)) continue;
      if (w.claim && claimed.has((w.claimLine?.at ?? at) + w.claim.start)) continue;
      refs.set(w, addWorked(ctx, w, line, at));
    }
    // A sum restating one loss above (`0.33465 + 0 = 0.33465`): its number is a claim about that loss.
    const same = sum?.same ? refs.get(sum.same) : undefined;
    if (sum && same !== undefined && !claimed.has(at + sum.worked.claim!.start))
      bindWorked(ctx, same, sum.worked, line, at);
    // The lines of a chain down the page are the first line's steps, no losses of their own.
    const chained = found.find((w) => w.claimLine);
    at = chained ? chained.claimLine!.at + chained.claimLine!.line.length + 1 : end + 1;
  }
  // A table of one-example binary cross-entropies is a column of such losses (§3.138); element lines averaged (3.429).
  readWorkedTables(text, taken, (w, line, at) => addWorked(ctx, w, line, at));
  readBinaryMeans(ctx, text, taken, plainTexSigns, (w, line, at) => addWorked(ctx, w, line, at));
}

/**
 * For a worked loss with nothing after it on its line (`L = -log 0.7`), the number its steps come to on
 * the lines below under the same label (3.181): set as its claim, true when there is one.
 */
function chainedBelow(text: string, w: WorkedLog, line: string, end: number): boolean {
  const l = labelAt(line);
  const sameLoss = (next: string): number | null => {
    const open = workedLogsInLine(next, true).filter((o) => !o.claim);
    return open.length === 1 ? open[0].value : null;
  };
  // Unlabelled and alone on its line: the result below after a line of words ending in a colon (3.316).
  const below = !l
    ? resultBelow(text, end + 1, line, w)
    : l.label && line.slice(l.end, w.start).trim() === ''
      ? claimBelow(text, end + 1, l.label, w.value, sameLoss)
      : null;
  if (!below) return false;
  w.claim = below.claim;
  w.claimLine = { line: below.line, at: below.at };
  return true;
}

/**
 * The pair of one worked loss on `line` (starting at offset `at` of the text): NLLLoss of the logs of
 * the probabilities written, with the claim after it bound to it.
 */
function addWorked(ctx: DetectionContext, w: WorkedLog, line: string, at: number): PairRef {
  const src = writtenProbs(ctx, w, at);
  const ref = ctx.addPair({
    recogniser: w.bits ? 'formula.cross_entropy_bits' : 'formula.nll_worked_by_hand',
    kind: 'formula',
    ...(w.form === 'soft' ? softOperands(src, w.terms) : writtenProbOperands(src)),
    reads: 'log_probs',
    // A class's weight scales the one sample's loss: torch's weighted NLL of it, summed (not the weighted mean).
    options:
      w.form === 'weighted'
        ? {
            reduction: 'sum',
            weight: withArray(src, { data: Float64Array.of(w.terms[0].weight), shape: [1], integerTensor: false }),
          }
        : { reduction: w.form === 'sum' ? 'sum' : 'mean' },
    call: ctx.lossCallAt('formula', at + w.start, at + w.end, null),
    formula: { lib: 'python', scaledBy: null },
    formulaValue: w.value,
  });
  bindWorked(ctx, ref, w, line, at);
  return ref;
}

/** The claim after worked loss `w` (on `line`, or on the later line of its chain), bound to pair `ref`. */
function bindWorked(ctx: DetectionContext, ref: PairRef, w: WorkedLog, line: string, at: number): void {
  const claim = w.claim && claimedNumber(w.claimLine?.line ?? line, w, w.claimLine?.at ?? at);
  if (claim)
    ctx.bindClaim(
      { value: { kind: 'loss', pair: ref }, exprText: 'the worked example', direct: true },
      claim,
      'output',
      null,
    );
}

/** One row of logs against the soft target its weights write (3.185). */
function softOperands(src: ArrayValue, terms: Term[]): { input: ArrayValue; target: ArrayValue } {
  const k = terms.length;
  const input = Float64Array.from(terms, (t) => Math.log(t.p));
  const target = Float64Array.from(terms, (t) => t.weight);
  return {
    input: withArray(src, {
      data: input,
      shape: [1, k],
      dtype: 'float64',
      integerTensor: false,
      transform: null,
      name: null,
    }),
    target: withArray(src, { data: target, shape: [1, k], integerTensor: false, dtype: 'float64' }),
  };
}

/**
 * The claim after a worked loss. `≈` allows one unit of its last digit; a mean worked from rounded
 * terms allows their rounding (half a unit of each, divided by their count) on top of its own.
 */
function claimedNumber(line: string, w: WorkedLog, at: number): ClaimText | null {
  const c = w.claim!;
  const written = line.slice(c.start, c.start + c.text.length);
  const read =
    claimInOutput(written.replace(/(\d),(\d)/, '$1.$2'), at + c.start) ??
    wholeResultClaim(line, c.start, c.start + c.text.length, at);
  if (!read) return null;
  // The page's own spelling is shown (`0,105`); the number is read with a point.
  const claim = read.text.length === written.length ? { ...read, text: written } : read;
  const unit = Math.pow(10, claim.exponent - claim.decimals);
  if (w.roundedTerms) {
    const halves = w.roundedTerms.reduce((sum, d) => sum + 0.5 * Math.pow(10, -d), 0);
    // A mean divides the terms' rounding by their count; a sum carries all of it.
    const carried = w.form === 'mean' ? halves / w.roundedTerms.length : halves;
    return {
      ...claim,
      tolerance: {
        absolute: carried + (c.approximate ? unit : unit / 2),
        relative: 0,
        assertion: w.form === 'mean' ? roundedTermsNote : roundedSumNote,
      },
    };
  }
  if (!c.approximate) return claim;
  return { ...claim, tolerance: { absolute: unit, relative: 0, assertion: 'an approximation (≈)' } };
}
