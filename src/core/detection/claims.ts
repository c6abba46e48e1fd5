/**
 * Claimed loss values: reading them from comments and printed output, and judging them at the
 * precision they were printed with.
 */
import { formatTorchNumber } from '../format';
import type { DType } from '../types';
import { isJsSpace } from './lines';

/** A claimed value as written. */
export interface ClaimText {
  /** Offsets of the claim within the scanned string. */
  start: number;
  end: number;
  /** The whole claim (`tensor(2.1438)` or `2.143818427948945`). */
  text: string;
  /** The number inside it, as written (`2.1438`). */
  numText: string;
  /** Offset of numText within text. */
  numOffset: number;
  value: number;
  /** Digits after the point (of the mantissa, for scientific notation). */
  decimals: number;
  /** Significant digits written. */
  significant: number;
  /** Power of ten of the written exponent (0 without one). */
  exponent: number;
  /** torch's `tensor(…)` print, or a bare number (Python float repr, numpy, f-string). */
  style: 'torch' | 'plain';
  /** A test assertion's own tolerance: the claim is judged by it, not by its printed digits. */
  tolerance?: ClaimTolerance;
  /** Old torch's scaled print (`tensor(1.00000e-02 * 5.3183)`): the power of ten numText is scaled by. */
  scale?: number;
}

/** |claimed − computed| ≤ absolute + relative·|claimed|, as the assertion named checks it. */
export interface ClaimTolerance {
  absolute: number;
  relative: number;
  assertion: string;
  /**
   * A bound on one side only, as a test without `abs` writes it: `below`, computed − claimed ≤
   * absolute (`assert (loss - 0.69) < 1e-3`); `above`, claimed − computed ≤ absolute.
   */
  side?: 'below' | 'above';
}

/**
 * Words that may come before a bare number in a claim comment: `# loss: 2.14`, `# -> 2.14`, `# Out[3]: 2.14`,
 * and "output" / "result" in Chinese, Japanese and Korean threads (`# 输出1.5991`, docs/detection.md 3.201); old
 * torch's `Variable containing:` before the value, its print flattened into one comment (3.381).
 */
const leadRe =
  /^\s*(?:(?:(?:loss|out|output|result|ce|nll|xent)_[a-z\d_]*|loss(?:\s*value)?|value|output|输出结果|输出|结果|出力|結果|결과|출력|out(?:\[\d*\])?|result|prints?|printed|returns?|gives?|variable\s+containing\s*:|expected|approx(?:imately)?|should\s+be|is|cross[-_ ]?entropy|nll|xent|ce|torch|mean|sum|total|average|avg|=>|->|→|=|≈|~|:|==)\s*)*/i;

/**
 * A claim in a comment body (`#`/`//` removed or not): `tensor(…)` anywhere, or a decimal number
 * that starts the comment (after words like `loss:`, `->`, `Out:`). Integers without a point are
 * not claims (`# 2 samples`).
 */
export function claimInComment(text: string, from: number, to: number): ClaimText | null {
  const body = text.slice(from, to);
  const t = findTorchPrint(body);
  // Several printed tensors in one comment (`# tensor(8.0005) tensor(3.3555) tensor(0.0215)` after
  // the last of three statements) say which value is whose only by order: no claim is read for one.
  if (t)
    return findTorchPrint(body.slice(t.start + t.text.length))
      ? null
      : scaled(build(t.text, t.numText, from + t.start, 'torch'), t.scale);
  const paddle = paddlePrintNumber(body);
  if (paddle) return build(paddle.numText, paddle.numText, from + paddle.start, 'plain');
  let i = 0;
  while (i < body.length && (body[i] === '#' || body[i] === '/' || body[i] === '*' || body[i] === '>')) i++;
  const rest = body.slice(i);
  const lead = leadRe.exec(rest);
  let offset = i + (lead ? lead[0].length : 0);
  // A one-element list (`# [0.4517]`, numpy's print of a loss of shape (1,)) claims its number.
  const inList = oneElementList(body, offset);
  if (inList >= 0) offset = inList;
  // The number must start right there; what precedes it was read as lead words (so no look-behind).
  const after = body.slice(offset);
  const end = plainNumberAt(after, 0);
  if (end < 0) return workedResult(body, from);
  if (inList >= 0) return build(after.slice(0, end), after.slice(0, end), from + offset, 'plain');
  const num = after.slice(0, end);
  return truncated(build(num, num, from + offset, 'plain'), after, end);
}

/**
 * Where the number of a one-element list `[v]` starting at `i` begins, when nothing but spaces
 * follows the list; -1 otherwise (`[0.5, 0.2]` is a vector, `[0.5] * 3` an expression).
 */
function oneElementList(body: string, i: number): number {
  if (body.charCodeAt(i) !== 91 /* [ */) return -1;
  const start = skipSpaces(body, i + 1);
  const end = plainNumberAt(body, start);
  if (end < 0) return -1;
  const close = skipSpaces(body, end);
  return body.charCodeAt(close) === 93 /* ] */ && body.slice(close + 1).trim() === '' ? start : -1;
}

/** Paddle's options before the value (`shape=[1], dtype=float32, place=Place(cpu), stop_gradient=True`) are short. */
const maxPaddleOptions = 200;

/**
 * The number PaddlePaddle prints as a tensor's value: `Tensor(shape=[1], dtype=float32,
 * place=Place(cpu), stop_gradient=True, [1.07022101])` (or the bare number for a 0-d tensor): the
 * last argument, on one line, when it is one number or a one-element list. Null otherwise.
 */
function paddlePrintNumber(s: string): { start: number; numText: string } | null {
  const at = s.indexOf('Tensor(shape=[');
  if (at < 0) return null;
  const limit = Math.min(s.length, at + 7 + maxPaddleOptions);
  let depth = 0;
  let lastComma = -1;
  for (let i = at + 7; i < limit; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) return null;
    if (c === 40 /* ( */ || c === 91 /* [ */) depth++;
    else if (c === 93 /* ] */) depth--;
    else if (c === 44 /* , */ && depth === 0) lastComma = i;
    else if (c === 41 /* ) */) {
      if (depth > 0) {
        depth--;
        continue;
      }
      if (lastComma < 0) return null;
      let start = skipSpaces(s, lastComma + 1);
      const listed = s.charCodeAt(start) === 91;
      if (listed) start = skipSpaces(s, start + 1);
      const end = plainNumberAt(s, start);
      if (end < 0) return null;
      let close = skipSpaces(s, end);
      if (listed) {
        if (s.charCodeAt(close) !== 93) return null;
        close = skipSpaces(s, close + 1);
      }
      return close === i ? { start, numText: s.slice(start, end) } : null;
    }
  }
  return null;
}

/**
 * A comment that works the value out and ends with it (`# -(-0.4076) = 0.4076`, `# -log(0.7) ≈
 * 0.357`): the number after the last `=` or `≈` when nothing but spaces follows it. A value
 * written after `≈` may be cut short rather than rounded: it holds within one unit of its last digit.
 */
function workedResult(body: string, from: number): ClaimText | null {
  const eq = Math.max(body.lastIndexOf('='), body.lastIndexOf('≈'));
  // Worked arithmetic has numbers before the `=` (`# batch = 2` names a setting, it claims nothing).
  if (eq <= 0 || '=!<>'.includes(body[eq - 1]) || !/\d/.test(body.slice(0, eq))) return null;
  const start = skipSpaces(body, eq + 1);
  const end = plainNumberAt(body, start);
  if (end < 0 || body.slice(end).trim() !== '') return null;
  const num = body.slice(start, end);
  const claim = build(num, num, from + start, 'plain');
  if (body[eq] !== '≈') return claim;
  const unit = Math.pow(10, claim.exponent - claim.decimals);
  return { ...claim, tolerance: { absolute: unit, relative: 0, assertion: 'an approximation (≈)' } };
}

/** A claim in one line of printed output: `tensor(…)` anywhere, else the line's last decimal number. */
export function claimInOutput(line: string, lineOffset: number): ClaimText | null {
  const t = findTorchPrint(line);
  if (t) return scaled(build(t.text, t.numText, lineOffset + t.start, 'torch'), t.scale);
  let lastStart = -1;
  let lastEnd = -1;
  for (let i = 0; i < line.length;) {
    const end = plainNumberAt(line, i);
    if (end < 0) i++;
    else {
      lastStart = i;
      lastEnd = end;
      i = end;
    }
  }
  if (lastStart < 0) {
    const trimmed = line.trim();
    if (/^-?(?:nan|inf)$/i.test(trimmed)) return build(trimmed, trimmed, lineOffset + line.indexOf(trimmed), 'plain');
    return null;
  }
  const num = line.slice(lastStart, lastEnd);
  return truncated(build(num, num, lineOffset + lastStart, 'plain'), line, lastEnd);
}

/**
 * A worked result written as a whole number (`L = -(1·log(0.1) + …) = 1`, `-log(1) = 0`, docs/detection.md
 * 3.405): `line[from, to)` holds its digits alone, judged to the unit as any number is to its last digit.
 * Null when a word, a digit or a unit follows it (`= 2 bits`, `= 1 sample`, `= 3 %`): the number may then
 * count something else. Output lines never take this path: a whole number printed alone is an epoch, a
 * count or a class as often as a loss.
 */
export function wholeResultClaim(line: string, from: number, to: number, lineOffset: number): ClaimText | null {
  const text = line.slice(from, to);
  if (!/^\d{1,3}$/.test(text) || /^\s*[\p{L}\p{N}%‰]/u.test(line.slice(to, to + 64))) return null;
  return build(text, text, lineOffset + from, 'plain');
}

/*
 * The claim patterns are hand-written scanners rather than regular expressions: a pattern such as
 * `\d+\.?\d*` splits a digit run in many ways, and backtracking over `tensor(` followed by 256 k
 * digits took 30 s. Every scanner here reads each character a bounded number of times.
 */

/** torch prints options after the value (`grad_fn=<NllLossBackward0>`, `dtype=torch.float64`): they are short. */
const maxPrintOptions = 256;

/**
 * The first `tensor(<number>[, options])` in `s` (case-insensitive): the number is a decimal with
 * an optional exponent, `nan` or `inf`; options stay on one line and hold at most one level of
 * parentheses. Returns its span and the number's text, or null.
 */
function findTorchPrint(s: string): { start: number; text: string; numText: string; scale?: number } | null {
  const lower = s.toLowerCase();
  for (let at = lower.indexOf('tensor('); at >= 0; at = lower.indexOf('tensor(', at + 7)) {
    let i = skipSpaces(s, at + 7);
    let numStart = i;
    let numEnd = torchNumberEnd(lower, i);
    if (numEnd < 0) continue;
    i = skipSpaces(s, numEnd);
    let c = s.charCodeAt(i);
    // torch before 0.4 printed a small tensor scaled: `tensor(1.00000e-02 *` then `5.3183)` (3.334).
    const scale = c === 42 /* * */ ? scaleOf(lower.slice(numStart, numEnd)) : undefined;
    if (c === 42 && scale === undefined) continue;
    if (scale !== undefined) {
      numStart = skipBlanks(s, i + 1);
      numEnd = torchNumberEnd(lower, numStart);
      if (numEnd < 0 || /e/.test(lower.slice(numStart, numEnd))) continue;
      i = skipSpaces(s, numEnd);
      c = s.charCodeAt(i);
      if (c !== 41) continue;
      return { start: at, text: s.slice(at, i + 1), numText: s.slice(numStart, numEnd), scale };
    }
    if (c === 44 /* , */) {
      const limit = Math.min(s.length, i + maxPrintOptions);
      let depth = 0;
      for (i++; i < limit; i++) {
        c = s.charCodeAt(i);
        if (c === 10) break;
        if (c === 40 /* ( */) {
          if (depth === 1) break;
          depth = 1;
        } else if (c === 41 /* ) */) {
          if (depth === 0) break;
          depth = 0;
        }
      }
      if (i >= limit || c !== 41 || depth !== 0) continue;
    } else if (c !== 41) continue;
    return { start: at, text: s.slice(at, i + 1), numText: s.slice(numStart, numEnd) };
  }
  return null;
}

/** The power of ten an old torch print scales by (`1.00000e-02` gives -2), or undefined for another number. */
function scaleOf(lower: string): number | undefined {
  const m = /^1(?:\.0*)?e([-+]?\d{1,3})$/.exec(lower);
  return m ? Number(m[1]) : undefined;
}

/**
 * After blanks and line breaks at `i` (a scaled print wraps its value onto the next line, in a comment
 * after the next line's `#`), at most 80.
 */
function skipBlanks(s: string, i: number): number {
  let k = i;
  while (k - i < 80 && (' \t\n\r'.includes(s[k]) || (s[k] === '#' && s[k - 1] === '\n'))) k++;
  return k;
}

/** A comment that is only the head of a scaled print, its value on the next line (`# tensor(1.00000e-03 *`). */
export const scaledPrintHead = /tensor\(\s*1(?:\.0*)?e[-+]?\d{1,3}\s*\*\s*$/i;

/** float32's step at 1: a loss worked out through a log of a sum near 1 carries a few of them. */
const float32StepAtOne = Math.pow(2, -23);

/**
 * A claim read from a scaled print: the printed digits times the power of ten (`5.3183` at -2 is 0.053183).
 * Its last digit is often finer than float32 resolves a loss near 0 (a log of a sum near 1, any kernel):
 * judged at half its unit plus four float32 steps at 1.
 */
function scaled(claim: ClaimText, scale: number | undefined): ClaimText {
  if (scale === undefined) return claim;
  const half = 0.5 * Math.pow(10, claim.exponent + scale - claim.decimals);
  const tolerance = { absolute: half + 4 * float32StepAtOne, relative: 0, assertion: "old torch's scaled print" };
  return { ...claim, value: Number(`${claim.numText}e${scale}`), exponent: claim.exponent + scale, scale, tolerance };
}

/** End of `[-+]?(digits[.digits]|.digits)[e[-+]digits]`, `nan` or `inf` at `i` of lower-cased text, or -1. */
function torchNumberEnd(lower: string, i: number): number {
  let c = lower.charCodeAt(i);
  if (c === 43 || c === 45) c = lower.charCodeAt(++i);
  if (lower.startsWith('nan', i) || lower.startsWith('inf', i)) return i + 3;
  const intEnd = digitsEnd(lower, i);
  let end = intEnd;
  if (lower.charCodeAt(end) === 46 /* . */) end = digitsEnd(lower, end + 1);
  if (intEnd === i && end <= i + 1) return -1;
  return exponentEnd(lower, end);
}

/**
 * End of a plain decimal claim `[-+]?(digits.digits*|.digits)[e[-+]digits]` starting exactly at
 * `i`, not preceded or followed by a word character or a point (`1.2.3` and `v1.5` are not
 * claims); -1 when there is none.
 */
function plainNumberAt(s: string, i: number): number {
  if (i > 0 && isWordOrPoint(s.charCodeAt(i - 1))) return -1;
  let c = s.charCodeAt(i);
  if (c === 43 || c === 45) c = s.charCodeAt(++i);
  const intEnd = digitsEnd(s, i);
  if (s.charCodeAt(intEnd) !== 46) return -1;
  const end = digitsEnd(s, intEnd + 1);
  if (intEnd === i && end === intEnd + 1) return -1;
  const after = exponentEnd(s, end);
  return isWordOrPoint(s.charCodeAt(after)) && !ellipsisAt(s, after) ? -1 : after;
}

/** A doctest ellipsis (`0.21616...`): the digits before it are the start of the printed number. */
function ellipsisAt(s: string, i: number): boolean {
  return s.startsWith('...', i) && !isWordOrPoint(s.charCodeAt(i + 3));
}

/** A number followed by an ellipsis claims only its leading digits: within one unit of the last. */
function truncated(claim: ClaimText, s: string, end: number): ClaimText {
  if (!ellipsisAt(s, end)) return claim;
  const unit = Math.pow(10, claim.exponent - claim.decimals);
  return { ...claim, tolerance: { absolute: unit, relative: 0, assertion: 'a doctest ellipsis' } };
}

function digitsEnd(s: string, i: number): number {
  let c = s.charCodeAt(i);
  while (c >= 48 && c <= 57) c = s.charCodeAt(++i);
  return i;
}

/** After an optional exponent `e[-+]digits` (either case) at `i`. */
function exponentEnd(s: string, i: number): number {
  if ((s.charCodeAt(i) | 0x20) !== 101) return i;
  let j = i + 1;
  const c = s.charCodeAt(j);
  if (c === 43 || c === 45) j++;
  const end = digitsEnd(s, j);
  return end > j ? end : i;
}

function isWordOrPoint(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46;
}

/** `\s` as regular expressions read it. */
function skipSpaces(s: string, i: number): number {
  while (isJsSpace(s.charCodeAt(i))) i++;
  return i;
}

function build(text: string, numText: string, start: number, style: 'torch' | 'plain'): ClaimText {
  const numOffset = text.indexOf(numText);
  const lower = numText.toLowerCase();
  let value: number;
  if (/nan/.test(lower)) value = NaN;
  else if (/inf/.test(lower)) value = lower.startsWith('-') ? -Infinity : Infinity;
  else value = Number(numText);
  const [mant, exp] = lower.split('e');
  const dot = mant.indexOf('.');
  const decimals = dot < 0 ? 0 : mant.length - dot - 1;
  const digits = mant.replace(/[-+.]/g, '').replace(/^0+/, '');
  return {
    start,
    end: start + text.length,
    text,
    numText,
    numOffset,
    value,
    decimals,
    significant: Math.max(digits.length, 1),
    exponent: exp ? Number(exp) : 0,
    style,
  };
}

/** The verdict on one claim. */
export interface Verdict {
  holds: boolean;
  /** What should have been printed, in the claim's own style. */
  expected: string;
}

/**
 * Compares a claim with the computed value at the precision it was printed with:
 * - torch's 4-decimal print holds when it is the computed value rounded to those decimals
 *   (either way at an exact tie, as `'%.4f'` and JS `toFixed` differ there);
 * - a long number (≥ 12 significant digits) is a float64 (or `.item()`) print and must match to
 *   a few units in the last place of the dtype (summation order may differ);
 * - any other number holds when it is the computed value rounded to its decimals.
 */
export function judgeClaim(claim: ClaimText, computed: number, dtype: DType, assumedFloat32?: boolean): Verdict {
  const expected = expectedText(claim, computed);
  const v = claim.value;
  if (computed !== computed || v !== v) return { holds: computed !== computed && v !== v, expected };
  if (!Number.isFinite(computed) || !Number.isFinite(v)) return { holds: v === computed, expected };
  if (claim.tolerance) {
    // The assertion's tolerance, widened by a few units in the last place of the dtype: the
    // library's kernels may sum in another order than ours, and no claim is wrong by that.
    const { absolute, relative, side } = claim.tolerance;
    const ulps = dtype === 'float32' ? 4 * ulp32(computed) : 16 * Number.EPSILON * Math.abs(computed);
    const off = side === 'below' ? computed - v : side === 'above' ? v - computed : Math.abs(v - computed);
    return { holds: off <= absolute + relative * Math.abs(v) + ulps, expected };
  }
  if (claim.style === 'torch') {
    if (claim.numText.replace(/^\+/, '') === formatTorchNumber(computed)) return { holds: true, expected };
    if (claim.decimals === 0 && claim.exponent === 0) return { holds: v === computed, expected };
  }
  const half = 0.5 * Math.pow(10, claim.exponent - claim.decimals);
  let tol = half * (1 + 1e-9);
  const finerThanFloat32 = claim.significant >= 9 || half < ulp32(computed);
  if (dtype === 'float32' && finerThanFloat32 && claim.significant < 12) {
    // More digits than a float32 holds (nine to eleven, paddle's and numpy's prints of float32 carry
    // eight decimals; or eight whose last unit is below the value's float32 step, chainer's
    // `variable(0.44018972)`, docs/detection.md 3.111, MegEngine's `Tensor(0.51597047, …)` 3.165):
    // its last bits are the library's summation order, in a tensor repr as in a plain number.
    tol = Math.max(tol, 2 * ulp32(computed));
  } else if (claim.style === 'plain' && claim.significant >= 12) {
    // A float32 loss printed in full (`loss.item()`) is a float32 value: allow a couple of float32
    // ulps (summation order). Any other long number is a float64 print: a few float64 ulps.
    const ulps =
      dtype === 'float32' && Math.fround(v) === v ? 2 * ulp32(computed) : 16 * Number.EPSILON * Math.abs(computed);
    tol = Math.max(tol, ulps);
  }
  // A float32 we only assumed (another library's rule, its dtype not fixed by the source) against a
  // print that is no float32 value: the program ran in float64, and our number is good to a couple of
  // float32 ulps, whatever the print's style (`tf.Tensor(1.645245261490345, …, dtype=float64)`).
  if (assumedFloat32 && dtype === 'float32' && Math.fround(v) !== v) tol = Math.max(tol, 2 * ulp32(computed));
  return { holds: Math.abs(v - computed) <= tol, expected };
}

/** The claim rewritten with the computed value, keeping its style and precision. */
export function expectedText(claim: ClaimText, computed: number): string {
  let num: string;
  if (claim.scale !== undefined) num = (computed / Math.pow(10, claim.scale)).toFixed(claim.decimals);
  else if (claim.style === 'torch') num = formatTorchNumber(computed);
  else if (!Number.isFinite(computed)) num = computed !== computed ? 'nan' : computed > 0 ? 'inf' : '-inf';
  else if (claim.significant >= 12) num = pythonRepr(computed);
  else if (claim.exponent !== 0 || /e/i.test(claim.numText)) num = computed.toExponential(Math.max(claim.decimals, 0));
  else num = computed.toFixed(Math.min(claim.decimals, 20));
  return claim.text.slice(0, claim.numOffset) + num + claim.text.slice(claim.numOffset + claim.numText.length);
}

/** Python's `repr(float)`: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pythonRepr(v: number): string {
  if (v !== v) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const [mant, expText] = v.toExponential().split('e');
  const exp = Number(expText);
  const negative = mant.startsWith('-');
  const digits = mant.replace(/[-.]/g, '');
  let out: string;
  if (exp >= -4 && exp < 16) {
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      const frac = digits.slice(exp + 1);
      out = `${intPart}.${frac || '0'}`;
    } else out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  } else {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    out = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return negative ? `-${out}` : out;
}

function ulp32(v: number): number {
  const a = Math.abs(v);
  if (a === 0) return Math.pow(2, -149);
  const e = Math.floor(Math.log2(a));
  return Math.pow(2, Math.max(e - 23, -149));
}
