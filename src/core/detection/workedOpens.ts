/**
 * Where a negative log worked by hand may start on a line of page text (workedLogs.ts, docs/detection.md
 * 3.79, 3.137, 3.228, 3.242, 3.258, 3.307, 3.355): after a label and its sign, in a table cell, after a list
 * item's marker, in the next column of an aligned table, or mid-sentence when the log is written as a call.
 */
import { isMinus, isSpace, skip } from './workedTerms';
import { namesLossIn } from './workedWords';

/**
 * Nothing before `i` on the line but a label and `=`, `:` or an arrow, and no word for another
 * quantity before it (`blocked`: where the first such word ends, found once per line).
 */
export function opensExpression(line: string, i: number, blocked: number): boolean {
  let b = i - 1;
  while (b >= 0 && isSpace(line[b])) b--;
  if (i >= blocked) return false;
  // A table cell opens one too (`| 1 | 0.9 | -log(0.9) = 0.105 |`, §3.228).
  if (b < 0 || '=:：→⇒>|'.includes(line[b])) return true;
  // A label and `≈` before a negated log (`H(y, ŷ) ≈ −log(0.22) ≈ 1.51`, 3.357); a sum of numbers after `≈`
  // (`total ≈ 0.47 + 0.31`) is the page's arithmetic on named losses, not opened here.
  if ((line[b] === '≈' || line[b] === '≃') && isMinus(line[i])) return true;
  // A list item's marker and nothing else (`- −log(0.4) = 0.9163`, `2. −log(0.3) = 1.204`, 3.307).
  if (b < 3 && /^[ \t]*(?:[-*+•]|\d[.)])$/.test(line.slice(0, b + 1)) && b < i - 1) return true;
  // A column of an aligned plain-text table, after a column gap that follows another column's worked
  // result (`prediction: 0.9    (0.9-1)² = 0.01   -log(0.9) = 0.105`, MSE beside cross-entropy).
  if (afterResultColumn(line, b, i)) return true;
  // Or mid-sentence after a word, when the log is written as a call (`… masih menyumbang −log(0,9) ≈
  // 0,105.`, §3.137): `−log(p)` with its parentheses, then the chain to a number, is a worked loss;
  // a bare `−ln 0.01 = 4.6` inside a sentence is left alone.
  // A bare log is read there too when the words before it on the line name the loss (`the loss is −ln
  // 0.25 = 1.386`, §3.181).
  // An expression inside parentheses in a sentence (`the loss is low (−log(0.9) ≈ 0.1)`, §3.228) is read as
  // the sentence would be without them; `f(−log …)`, a call's argument, is not.
  // Chinese, Japanese and Korean sentences put no space before a parenthesis (`损失会更低(-log(0.8) ≈ 0.097)`,
  // §3.242), and a full-width one (`（−log(0.8) ≈ 0.097）`) is never a call's: both read as the sentence does.
  let word = b;
  if ((line[b] === '(' || line[b] === '（') && b === i - 1) {
    word = b - 1;
    while (word >= 0 && isSpace(line[word])) word--;
    if (word === b - 1 && line[b] === '(' && !cjkLetter.test(line[word] ?? '')) return false;
  } else if (b === i - 1) return false;
  if (!/\p{L}/u.test(line[word] ?? '')) return false;
  const j = skip(line, i + 1);
  return (
    /^(?:log|ln)\s*\(/.test(line.slice(j, j + 8)) ||
    (/^(?:log|ln)[\s\d]/.test(line.slice(j, j + 4)) && lossBefore(line, i)) ||
    // A bracketed one-hot expansion or a bracket of weighted logs (`… berechnet als −(1 · log 0,9) = 0,105`,
    // §3.194) after words naming the loss (`the log loss would be -(0 * log(0.1) +
    // 1 * log(0.3)) = …`, §3.228): as explicit as a call.
    (/^[([]/.test(line[j] ?? '') && lossBefore(line, i))
  );
}

/**
 * `line[b]` ends a number that a `=` / `≈` step gives (`… = 0.01`), two or more spaces or a tab lie
 * between it and `i`, and that number is preceded only by spaces after its `=`: the expression at `i` opens
 * the next column of an aligned table. At most 40 characters back are read.
 */
function afterResultColumn(line: string, b: number, i: number): boolean {
  if (!/\d/.test(line[b] ?? '')) return false;
  const gap = line.slice(b + 1, i);
  if (!/^(?: {2,}|\t)[ \t]*$/.test(gap)) return false;
  return /[=≈]\s*-?\d+(?:\.\d+)?$/.test(line.slice(Math.max(0, b - 39), b + 1));
}

/** A letter of the Han, kana or Hangul scripts: a word of a sentence, never a Python or JavaScript callee's. */
const cjkLetter = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** The words before offset `i` of the line name a loss (only the last 80 characters are looked at). */
function lossBefore(line: string, i: number): boolean {
  return namesLossIn(line.slice(Math.max(0, i - 80), i));
}

/**
 * The bracket at `i` starts a line's expression without a sign before it (its line's start, or after a
 * label's `=` or `:`): a page that lost its minus (3.355), not a call's argument list
 * (`f(…)`) or a product (`2(…)`). workedTerms.ts's `bracketAt` then takes only weighted logs inside it.
 */
export function signLost(line: string, i: number): boolean {
  let b = i - 1;
  while (b >= 0 && isSpace(line[b])) b--;
  return b < 0 || '=:'.includes(line[b]);
}
