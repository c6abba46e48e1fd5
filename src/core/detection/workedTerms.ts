/**
 * The terms of a negative log worked by hand in page text (docs/detection.md 3.181, 3.185): the
 * expression from its minus sign, as workedLogs.ts reads it. Three shapes:
 * - a chain of negated logs, `-log(0.7) - log(0.8)`, where a later term may be written with a whole
 *   number before it, `-ln0.1 - 2ln0.9`: that many samples with the same probability (read only in a
 *   mean whose divisor counts them, 3.185);
 * - a bracket of weighted logs, `-(0·log0.1 + 1·log0.7)`, `-[1 · log(0.6) + 0 · log(0.4)]`, the weights
 *   a one-hot target (one 1, the rest 0) or, when any is another number, the weights of a soft target
 *   written out, `-(0.4 log(0.45) + 0.2 log(0.23))` (3.185); a bracket a page leaves open before its
 *   `=` (`-(0×log(0.3) + 1×log(0.4) = 0.91`) is read as closed there;
 * - one log with a class's weight before it, `-1.5 · log(0.8)`;
 * - the weight before the multiplication sign may be written as nothing (`0.4\log(0.45)` in TeX).
 * Each parse reads a bounded number of characters from where it starts.
 */

/** One term: the probability under the log and the weight written before it. */
export interface Term {
  p: number;
  weight: number;
}

/** More terms than this are no worked example. */
const maxTerms = 32;
/** A whole-number weight above this is no count of samples. */
const maxRepeat = 64;

export function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\u00a0';
}

export function skip(s: string, i: number): number {
  while (i < s.length && isSpace(s[i])) i++;
  return i;
}

/** The end of an unsigned decimal number at `i` (`0.7`, `.5`, `1`, `0.00`), or -1. */
export function numberEnd(s: string, i: number): number {
  let j = i;
  while (j < s.length && s[j] >= '0' && s[j] <= '9') j++;
  // A decimal comma (`0,9`, §3.137): a comma between digits, never a list's (`0, 9` has a space).
  if ((s[j] === '.' || (s[j] === ',' && j > i)) && s[j + 1] >= '0' && s[j + 1] <= '9') {
    j++;
    while (j < s.length && s[j] >= '0' && s[j] <= '9') j++;
  }
  // A full stop after the number ends a sentence (`= 0.357.`); a dot before more digits is a version.
  const after = s[j] === '.' ? s[j + 1] : s[j];
  return j > i && !/\w/.test(after ?? '') && !(s[j] === '.' && after === '.') ? j : -1;
}

export const isMinus = (c: string | undefined): boolean => c === '-' || c === '−' || c === '–';
const isTimes = (c: string | undefined): boolean => c === '*' || c === '·' || c === '×' || c === '⋅' || c === '∙';
const startsLog = (s: string, i: number): boolean => s.startsWith('log', i) || s.startsWith('ln', i);

/**
 * `log(0.7)`, `log 0.7`, `log0.6`, `ln(0.93)` at `i`: the probability and the end, or null. The
 * function name must stand alone (no letter, digit, `.` or `_` before it) and must not carry a base.
 */
function logAt(s: string, i: number, afterWeight = false): { p: number; end: number } | null {
  const name = s.startsWith('log', i) ? 3 : s.startsWith('ln', i) ? 2 : 0;
  if (!name || (afterWeight ? /[A-Za-z_.]/ : /[\w.]/).test(s[i - 1] ?? '')) return null;
  let j = i + name;
  const paren = s[skip(s, j)] === '(';
  if (paren) j = skip(s, skip(s, j) + 1);
  else if (isSpace(s[j])) j = skip(s, j);
  else if (!(s[j] >= '0' && s[j] <= '9')) return null;
  const end = numberEnd(s, j);
  if (end < 0) return null;
  let p = Number(s.slice(j, end).replace(',', '.'));
  let k = end;
  if (paren) {
    k = skip(s, k);
    // Inside parentheses the probability may be written as the page worked it (§3.228): `log(1 - 0.6225)`,
    // the other class's share of a binary prediction, or `log(1/27)`, a uniform guess over 27 classes.
    const second = isMinus(s[k]) || s[k] === '/' ? skip(s, k + 1) : -1;
    const secondEnd = second < 0 ? -1 : numberEnd(s, second);
    if (secondEnd > 0) {
      const q = Number(s.slice(second, secondEnd).replace(',', '.'));
      if (s[k] === '/') p = q > 0 && Number.isInteger(p) && Number.isInteger(q) ? p / q : NaN;
      else p = p === 1 && q >= 0 && q <= 1 ? 1 - q : NaN;
      k = skip(s, secondEnd);
    }
    if (s[k] !== ')' || Number.isNaN(p)) return null;
    k++;
  } else if (s[k] === '(') return null; // `log2(0.5)`, `log10(…)`: a base, not the argument
  return { p, end: k };
}

/**
 * A log with a weight written before it (`0·log0.1`, `1*ln(0.93)`, `0ln0.00`, `0.4 log(0.45)`), or a
 * bare log (weight 1). The weight is any number; the callers say which they take.
 */
function weightedLogAt(s: string, i: number): { term: Term; end: number } | null {
  let j = i;
  let weight = 1;
  const w = numberEnd(s, j);
  const complement = s[j] === '(' ? complementAt(s, j) : null;
  if (complement) {
    // `(1 - 1) log(1 - 0.9)`, `(1-0)*log(1-0.4482)`: a binary row's second term, its label written out.
    weight = complement.weight;
    j = skip(s, complement.end);
    if (isTimes(s[j])) j = skip(s, j + 1);
  } else if (w < 0 && /\d/.test(s[j] ?? '')) {
    // `0ln0.00`, `2ln0.9`: the digits run into the name.
    let d = j;
    while (d < s.length && /[\d.]/.test(s[d])) d++;
    if (!startsLog(s, d)) return null;
    weight = Number(s.slice(j, d));
    j = d;
  } else if (w >= 0) {
    weight = Number(s.slice(j, w));
    j = skip(s, w);
    if (isTimes(s[j])) j = skip(s, j + 1);
  }
  if (!Number.isFinite(weight)) return null;
  const log = logAt(s, j, true);
  if (!log) return null;
  // `log(0.20)*0.25`: the weight written after the log instead (3.369), when none was written before it.
  if (j === i) {
    const times = skip(s, log.end);
    const after = isTimes(s[times]) ? skip(s, times + 1) : -1;
    const end = after < 0 ? -1 : numberEnd(s, after);
    if (end > 0 && !isTimes(s[skip(s, end)]))
      return { term: { p: log.p, weight: Number(s.slice(after, end).replace(',', '.')) }, end };
  }
  return { term: { p: log.p, weight }, end: log.end };
}

/**
 * `(1 - 1)`, `(1-0)`, `(1 − 0)` at `i` (its opening parenthesis): the weight `1 - y` of a binary cross-entropy's
 * second term with the label y written as 0 or 1 (3.355), and the end after the closing parenthesis. Any other
 * difference is not read.
 */
function complementAt(s: string, i: number): { weight: number; end: number } | null {
  let j = skip(s, i + 1);
  if (s[j] !== '1') return null;
  j = skip(s, j + 1);
  if (!isMinus(s[j])) return null;
  j = skip(s, j + 1);
  const y = s[j];
  if (y !== '0' && y !== '1') return null;
  j = skip(s, j + 1);
  return s[j] === ')' ? { weight: 1 - Number(y), end: j + 1 } : null;
}

const inRange = (p: number): boolean => p > 0 && p <= 1;
const closing: Record<string, string> = { '(': ')', '[': ']' };

/** The bracketed form at `j` (its opening bracket): a one-hot expansion, a sum of logs, or a soft target. */
export function bracketAt(s: string, j: number): Expression | null {
  const close = closing[s[j]];
  const terms: Term[] = [];
  j = skip(s, j + 1);
  let end: number;
  for (;;) {
    const t = weightedLogAt(s, j);
    if (!t || terms.length >= maxTerms || !(t.term.weight >= 0)) return null;
    terms.push(t.term);
    j = skip(s, t.end);
    if (s[j] === '+') j = skip(s, j + 1);
    else if (s[j] === close) {
      end = j + 1;
      break;
    } else if (s[j] === '=' || s[j] === '≈' || s[j] === '≃') {
      // The page left the bracket open before the result: read as closed there.
      end = t.end;
      break;
    } else return null;
  }
  const hot = terms.filter((t) => t.weight === 1);
  if (terms.every((t) => t.weight === 0 || t.weight === 1) && terms.some((t) => t.weight === 0)) {
    // One-hot: exactly one term counts; the zero-weight ones are 0 · log p, taken as 0 (even `0ln0.00`).
    // A row of at least two written weights whose hot probability is below 1 is no entropy (§3.193).
    return hot.length === 1 && inRange(hot[0].p)
      ? { terms: hot, form: 'one', end, repeated: false, oneHot: terms.length > 1 && hot[0].p < 1 }
      : null;
  }
  if (terms.some((t) => !inRange(t.p))) return null;
  if (terms.every((t) => t.weight === 1))
    return { terms, form: terms.length > 1 ? 'sum' : 'one', end, repeated: false };
  // Weights written out that are no one-hot row: a soft target, one row, the terms as written. Weights
  // equal to the probabilities under the logs are an entropy's `-(0.5 log 0.5 + 0.5 log 0.5)`, no loss.
  if (terms.every((t) => Math.abs(t.weight - t.p) < 1e-12)) return null;
  return terms.some((t) => t.weight > 0) && terms.length > 1 ? { terms, form: 'soft', end, repeated: false } : null;
}

export interface Expression {
  terms: Term[];
  form: 'one' | 'sum' | 'soft' | 'weighted';
  end: number;
  /** A term was written with a whole number of samples before it (kept only in a mean that counts them). */
  repeated: boolean;
  /** A one-hot row of two or more written weights, its hot probability below 1 (no entropy is written so). */
  oneHot?: boolean;
}

/**
 * `-1.5 · log(0.8)`: one sample's log scaled by the weight of its class (3.185). Only a weight that is
 * no whole number: `-2 ln L` is a deviance, and a whole number before a log in a chain counts samples.
 * The weight 1 is the label of the one sample written out, `−1⋅log(0.9)` (3.194): that sample's loss.
 */
function classWeighted(s: string, j: number): Expression | null {
  const t = weightedLogAt(s, j);
  if (!t || !inRange(t.term.p) || !(t.term.weight > 0)) return null;
  if (Number.isInteger(t.term.weight) && t.term.weight !== 1) return null;
  const m = skip(s, t.end);
  // A further term makes it some other weighted sum (an entropy's `-0.5 log 0.5 - 0.5 log 0.5`).
  if (isMinus(s[m]) || s[m] === '+') return null;
  if (t.term.weight === 1) return { terms: [t.term], form: 'one', end: t.end, repeated: false };
  return { terms: [t.term], form: 'weighted', end: t.end, repeated: false };
}

/**
 * `-1·log(0.7) - 0·log(0.2) - 0·log(0.1)`: −Σ y·log p written out term by term (§3.231), every term with
 * its weight written, each 0 or 1 with exactly one 1 (a one-hot target). `j` is the first weight: after
 * the expression's minus, or a first term `0·log a` written without one (its sign changes nothing).
 */
export function distributedAt(s: string, j: number): Expression | null {
  const terms: Term[] = [];
  let k = j;
  let end = j;
  for (;;) {
    if (!/[\d(]/.test(s[k] ?? '') || terms.length >= maxTerms) return null;
    const t = weightedLogAt(s, k);
    if (!t || (t.term.weight !== 0 && t.term.weight !== 1)) return null;
    terms.push(t.term);
    end = t.end;
    const m = skip(s, t.end);
    if (s[m] === '+') return null;
    if (!isMinus(s[m])) break;
    k = skip(s, m + 1);
  }
  const hot = terms.filter((t) => t.weight === 1);
  return terms.length > 1 && hot.length === 1 && inRange(hot[0].p)
    ? { terms: hot, form: 'one', end, repeated: false }
    : null;
}

/**
 * `-\frac{1}{3} (1 \log(0.8) + (1 - 0) \log(1 - 0.2) + 1 \log(0.9))`, `-1/2 · [1·ln(0.88) + 0·ln(0.12) +
 * 1·ln(0.51)]`, `-(1/N)(…)`: the mean over N samples of a bracket of logs weighted by labels (0 or 1, `(1 - y)`
 * included), each weight 1 one sample's log and each 0 a term that drops out (3.355). Read only when the bracket
 * holds exactly N weights of 1; the terms returned are those samples'.
 */
export function meanBracketAt(s: string, i: number): { terms: Term[]; n: number; end: number } | null {
  const m =
    /^[ \t]*(?:\\frac[ \t]*\{[ \t]*1[ \t]*\}[ \t]*\{[ \t]*(\d{1,2})[ \t]*\}|\([ \t]*1[ \t]*\/[ \t]*(\d{1,2})[ \t]*\)|1[ \t]*\/[ \t]*(\d{1,2}))[ \t]*[*·×⋅]?[ \t]*(?=[([])/.exec(
      s.slice(i + 1, i + 40),
    );
  if (!m) return null;
  const n = Number(m[1] ?? m[2] ?? m[3]);
  let j = i + 1 + m[0].length;
  const close = closing[s[j]];
  const hot: Term[] = [];
  j = skip(s, j + 1);
  for (let k = 0; k < maxTerms; k++) {
    const t = weightedLogAt(s, j);
    if (!t || (t.term.weight !== 0 && t.term.weight !== 1)) return null;
    if (t.term.weight === 1) hot.push(t.term);
    j = skip(s, t.end);
    if (s[j] === close) {
      return n > 0 && hot.length === n && hot.every((h) => inRange(h.p)) ? { terms: hot, n, end: j + 1 } : null;
    }
    if (s[j] !== '+') return null;
    j = skip(s, j + 1);
  }
  return null;
}

/** The expression starting at the minus sign `i`, or null. */
export function expressionAt(s: string, i: number): Expression | null {
  const j = skip(s, i + 1);
  if (s[j] === '(' || s[j] === '[') return bracketAt(s, j);
  if (/\d/.test(s[j] ?? '')) return distributedAt(s, j) ?? classWeighted(s, j);
  const terms: Term[] = [];
  let repeated = false;
  for (let k = j; ;) {
    // The first term is a bare log; a later one may carry a whole number of samples (`- 2ln0.9`).
    const t = terms.length ? weightedLogAt(s, k) : null;
    const log = t ? { p: t.term.p, end: t.end } : logAt(s, k);
    const n = t ? t.term.weight : 1;
    if (!log || !inRange(log.p) || !Number.isInteger(n) || n < 1 || n > maxRepeat) return null;
    if (terms.length + n > maxTerms) return null;
    for (let r = 0; r < n; r++) terms.push({ p: log.p, weight: 1 });
    repeated ||= n > 1;
    const m = skip(s, log.end);
    const next = skip(s, m + 1);
    const more = isMinus(s[m]) && (startsLog(s, next) || (/\d/.test(s[next] ?? '') && weightedLogAt(s, next)));
    if (!more) return { terms, form: terms.length > 1 ? 'sum' : 'one', end: log.end, repeated };
    k = next;
  }
}
