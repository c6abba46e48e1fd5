/**
 * Claimed loss values: reading them from comments and printed output, and judging them at the
 * precision they were printed with.
 */
import { formatTorchNumber } from '../format';
import type { DType } from '../types';

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
}

const torchRe =
  /tensor\(\s*([-+]?(?:\d+\.?\d*(?:e[-+]?\d+)?|\.\d+(?:e[-+]?\d+)?|nan|inf))\s*(?:,[^()\n]*(?:\([^()\n]*\)[^()\n]*)*)?\)/i;
const plainRe = /(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+)(?:e[-+]?\d+)?(?![\w.])/i;
const plainGlobalRe = /(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+)(?:e[-+]?\d+)?(?![\w.])/gi;
/** Words that may come before a bare number in a claim comment: `# loss: 2.14`, `# -> 2.14`, `# Out[3]: 2.14`. */
const leadRe =
  /^\s*(?:(?:loss(?:\s*value)?|value|output|out(?:\[\d*\])?|result|prints?|printed|returns?|gives?|expected|approx(?:imately)?|should\s+be|is|cross[-_ ]?entropy|nll|xent|ce|torch|=>|->|→|=|≈|~|:|==)\s*)*/i;

/**
 * A claim in a comment body (`#`/`//` removed or not): `tensor(…)` anywhere, or a decimal number
 * that starts the comment (after words like `loss:`, `->`, `Out:`). Integers without a point are
 * not claims (`# 2 samples`).
 */
export function claimInComment(text: string, from: number, to: number): ClaimText | null {
  const body = text.slice(from, to);
  const t = torchRe.exec(body);
  if (t) return build(t[0], t[1], from + t.index, 'torch');
  let i = 0;
  while (i < body.length && (body[i] === '#' || body[i] === '/' || body[i] === '*' || body[i] === '>')) i++;
  const rest = body.slice(i);
  const lead = leadRe.exec(rest);
  const offset = i + (lead ? lead[0].length : 0);
  const m = plainRe.exec(body.slice(offset));
  if (!m || m.index !== 0) return null;
  return build(m[0], m[0], from + offset, 'plain');
}

/** A claim in one line of printed output: `tensor(…)` anywhere, else the line's last decimal number. */
export function claimInOutput(line: string, lineOffset: number): ClaimText | null {
  const t = torchRe.exec(line);
  if (t) return build(t[0], t[1], lineOffset + t.index, 'torch');
  let last: RegExpExecArray | null = null;
  plainGlobalRe.lastIndex = 0;
  for (let m = plainGlobalRe.exec(line); m; m = plainGlobalRe.exec(line)) last = m;
  if (!last) {
    const trimmed = line.trim();
    if (/^-?(?:nan|inf)$/i.test(trimmed)) return build(trimmed, trimmed, lineOffset + line.indexOf(trimmed), 'plain');
    return null;
  }
  return build(last[0], last[0], lineOffset + last.index, 'plain');
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
export function judgeClaim(claim: ClaimText, computed: number, dtype: DType): Verdict {
  const expected = expectedText(claim, computed);
  const v = claim.value;
  if (computed !== computed || v !== v) return { holds: computed !== computed && v !== v, expected };
  if (!Number.isFinite(computed) || !Number.isFinite(v)) return { holds: v === computed, expected };
  if (claim.style === 'torch') {
    if (claim.numText.replace(/^\+/, '') === formatTorchNumber(computed)) return { holds: true, expected };
    if (claim.decimals === 0 && claim.exponent === 0) return { holds: v === computed, expected };
  }
  const half = 0.5 * Math.pow(10, claim.exponent - claim.decimals);
  let tol = half * (1 + 1e-9);
  if (claim.style === 'plain' && claim.significant >= 12) {
    // A float32 loss printed in full (`loss.item()`) is a float32 value: allow a couple of float32
    // ulps (summation order). Any other long number is a float64 print: a few float64 ulps.
    const ulps =
      dtype === 'float32' && Math.fround(v) === v ? 2 * ulp32(computed) : 16 * Number.EPSILON * Math.abs(computed);
    tol = Math.max(tol, ulps);
  }
  return { holds: Math.abs(v - computed) <= tol, expected };
}

/** The claim rewritten with the computed value, keeping its style and precision. */
export function expectedText(claim: ClaimText, computed: number): string {
  let num: string;
  if (claim.style === 'torch') num = formatTorchNumber(computed);
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
