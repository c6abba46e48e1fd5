/**
 * The JSON request parser is linear on every input: each hostile family below is grown 4×
 * twice and the time may grow at most 8× per step (4× plus noise; even n^1.5 would be 8×). A
 * quadratic parser grows 16× per step; the old one took 17 s on 20 k unclosed brackets and 78 s on
 * 40 k. The limit was 5×: with five other jobs on two cores (load 14) a linear family ended above it
 * in all five rounds, CPU time included (cache and TLB misses of a preempted process count as its own).
 */
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../../src/core/json/parseJson';
import { describeGrowth, growsWithin } from './growth';

/**
 * Parses as a request is parsed (parseRequest's options: arrays of numbers only), ignoring the
 * expected errors: the time to refuse counts as much as the time to accept.
 */
function parse(text: string): void {
  try {
    parseJson(text, { wrapScalars: true, numbersOnlyInArrays: true });
  } catch {
    // refused: fine, as long as it was quick
  }
}

/** Parses as general JSON (arrays of anything): where a failed array of numbers falls back. */
function parseGeneral(text: string): void {
  try {
    parseJson(text);
  } catch {
    // refused
  }
}

/**
 * Each family: a text of about n characters for n = base, 4·base, 16·base, and how to parse it
 * (as a request unless marked "general"). Left out on purpose: general arrays of millions of
 * values. Building them grows superlinearly in V8 itself (collection of large live arrays of
 * pointers, page faults on fresh memory: measured 6–10× per 4× here), which is not the parser's
 * work; requests never build them (arrays hold only numbers).
 */
const families: Record<
  string,
  [(n: number) => string, number, (text: string) => void] | [(n: number) => string, number]
> = {
  // The old parser retried its numeric fast path at every level: quadratic in the depth.
  'general: nested arrays with a string leaf (depth 15, 60, 240), repeated': [
    (n) =>
      '[' +
      Array(100)
        .fill('['.repeat(n / 20) + '"a"' + ']'.repeat(n / 20))
        .join(',') +
      ']',
    300,
    parseGeneral,
  ],
  'general: deep objects (depth 15, 60, 240), repeated': [
    (n) =>
      '[' +
      Array(100)
        .fill('{"k":'.repeat(n / 60) + '1' + '}'.repeat(n / 60))
        .join(',') +
      ']',
    900,
    parseGeneral,
  ],
  'general: one member repeated, with every kind of value': [
    (n) =>
      '{' +
      Array(n / 60)
        .fill('"k": "s", "k": true, "k": null, "k": 1.5, "k": "NaN"')
        .join(',') +
      '}',
    60_000,
    parseGeneral,
  ],
  'nested arrays with a string leaf (depth 15, 60, 240), repeated': [
    (n) =>
      '{"input": [' +
      Array(100)
        .fill('['.repeat(n / 20) + '1, 2' + ']'.repeat(n / 20))
        .join(',') +
      ', ["a"]]}',
    300,
  ],
  'unclosed nesting (depth 50, 200, 800) followed by numbers': [
    (n) => '{"input": ' + '['.repeat(n / 500) + '1,'.repeat(n / 2),
    25_000,
  ],
  'numbers, then a string at the very end': [(n) => '{"input": [' + '7,'.repeat(n / 2) + '"x"]}', 25_000],
  'numbers, the ordinary case': [
    (n) =>
      '{"input": [' +
      Array(n / 10)
        .fill('[0.5, 1.2]')
        .join(',') +
      ']}',
    50_000,
  ],
  'one member repeated, with every kind of value': [
    (n) =>
      '{' +
      Array(n / 60)
        .fill('"k": "s", "k": true, "k": null, "k": 1.5, "k": "NaN"')
        .join(',') +
      '}',
    60_000,
  ],
  'one long digit run': [(n) => '{"input": [1' + '7'.repeat(n) + ']}', 50_000],
  'a long fraction and a long exponent': [
    (n) => '{"input": [0.' + '3'.repeat(n / 2) + ', 1e' + '9'.repeat(n / 2) + ']}',
    50_000,
  ],
  // Larger than the others: at 50 k characters one run takes 0.2 ms (see also `limits`).
  'long string with escapes': [(n) => '{"reduction": "' + '\\u0041\\n'.repeat(n / 8) + '"}', 200_000],
  'huge key': [(n) => '{"' + 'k'.repeat(n) + '": [1, 2]}', 50_000],
  'a long string that starts like "NaN"': [(n) => '{"input": ["NaN' + 'N'.repeat(n) + '"]}', 50_000],
  'unterminated string': [(n) => '{"input": ["' + 'x'.repeat(n), 50_000],
  'an error at the end of many lines': [(n) => '{"input": [\n' + '1,\n'.repeat(n / 4) + '1.]}', 50_000],
};

/**
 * Families whose linear work allocates show the collector in one step: decoding an escaped string
 * builds its text from a buffer, and the step from 200 k to 800 k characters measured 5.2–5.9× on a
 * loaded machine while the next step was 3.8× (heap-size thresholds, not the decoding loop). The
 * limit covers that too; a quadratic decoder is 16× per step.
 */
const LIMIT = 8;

describe('parseJson grows linearly on hostile input', () => {
  for (const [name, [make, base, run = parse]] of Object.entries(families)) {
    it(name, () => {
      const g = growsWithin(make, run, base, LIMIT);
      for (const r of g.ratios) expect(r, describeGrowth(g)).toBeLessThanOrEqual(LIMIT);
    });
  }
});
