/**
 * Claims: how they are read from comments and printed output, and how they are judged at the
 * precision they were printed with. Computed values are torch's (reference.json / the seed).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { claimInComment, claimInOutput, judgeClaim, pythonRepr } from '../../../src/core/detection/claims';

const reference = JSON.parse(readFileSync(join(__dirname, '../../fixtures/snippets/reference.json'), 'utf8')) as {
  other: Record<string, { value: number }>;
  repr: Record<string, { value: number; repr: string }>;
};
/** torch: CrossEntropyLoss on the seed's single sample (float32) and batch. */
const seedSingle = reference.other.seed_single.value;
const seedBatch = reference.other.seed_batch.value;

function comment(text: string) {
  return claimInComment(text, 0, text.length);
}

describe('reading claims', () => {
  it('finds torch prints anywhere in a comment, with their decimals', () => {
    const c = comment('# tensor(2.1438)');
    expect(c).toMatchObject({ text: 'tensor(2.1438)', numText: '2.1438', value: 2.1438, decimals: 4, style: 'torch' });
    expect(comment('# prints tensor(0.4562, grad_fn=<NllLossBackward0>)')?.text).toBe(
      'tensor(0.4562, grad_fn=<NllLossBackward0>)',
    );
    expect(comment('# tensor(0.2914, dtype=torch.float64)')?.numText).toBe('0.2914');
    expect(comment('# tensor(nan)')?.value).toBeNaN();
    expect(comment('# tensor(1.2346e-05)')).toMatchObject({ value: 1.2346e-5, decimals: 4, exponent: -5 });
  });

  it('reads a bare number only when it starts the comment (after words like loss:)', () => {
    expect(comment('# 2.143818427948945')).toMatchObject({ value: 2.143818427948945, significant: 16, style: 'plain' });
    expect(comment('// loss: 2.1438')?.value).toBe(2.1438);
    expect(comment('// expected loss: 0.3278')?.value).toBe(0.3278);
    expect(comment('// cross-entropy: 0.3500 (stale)')?.text).toBe('0.3500');
    expect(comment('# Out[3]: 0.25')?.value).toBe(0.25);
    expect(comment('# 2 samples')).toBeNull();
    expect(comment('# dropout of 0.5 here')).toBeNull();
    expect(comment('# classes are 0..9')).toBeNull();
    expect(comment('# version 1.2.3')).toBeNull();
  });

  it('reads a one-element list as its number, and nothing more', () => {
    // numpy prints a loss of shape (1,) as a list (paddle's loss.numpy() of shape [1]).
    expect(comment('# [0.45168808]')).toMatchObject({ text: '0.45168808', numText: '0.45168808', start: 3 });
    expect(comment('// loss: [ 0.25 ]')?.value).toBe(0.25);
    expect(comment('# [0.5, 0.2]')).toBeNull();
    expect(comment('# [0.5] * 3')).toBeNull();
    expect(comment('# [0.5')).toBeNull();
    expect(comment('# [3]')).toBeNull();
  });

  it('reads a worked value after ≈ as an approximation: one unit of its last digit either way', () => {
    const c = comment('# -log(0.7) ≈ 0.357')!;
    expect(c).toMatchObject({ text: '0.357', value: 0.357 });
    expect(c.tolerance?.absolute).toBeCloseTo(0.001, 12);
    const truth = -Math.log(0.7); // 0.35667…
    expect(judgeClaim(c, truth, 'float64').holds).toBe(true);
    expect(judgeClaim(comment('# -log(0.7) ≈ 0.356')!, truth, 'float64').holds).toBe(true); // cut short
    expect(judgeClaim(comment('# -log(0.7) ≈ 0.366')!, truth, 'float64').holds).toBe(false);
    expect(comment('# about ≈ 0.357 or so')).toBeNull();
    expect(comment('# n ≈ 3')).toBeNull();
  });

  it("reads PaddlePaddle's tensor print: the value is its last argument", () => {
    const line = '# Tensor(shape=[1], dtype=float32, place=Place(cpu), stop_gradient=True, [1.07022101])';
    const c = comment(line);
    expect(c).toMatchObject({ text: '1.07022101', value: 1.07022101, decimals: 8, style: 'plain' });
    expect(line.slice(c!.start, c!.end)).toBe('1.07022101');
    expect(comment('# Tensor(shape=[], dtype=float64, place=CPUPlace, stop_gradient=True,\n 0.25)')).toBeNull();
    expect(comment('# Tensor(shape=[], dtype=float32, place=Place(gpu:0), stop_gradient=True, 0.3133)')?.value).toBe(
      0.3133,
    );
    // A vector of losses is not one number.
    expect(comment('# Tensor(shape=[2], dtype=float32, place=CPUPlace, stop_gradient=True, [0.5, 0.25])')).toBeNull();
    expect(comment('# Tensor(shape=[1], dtype=float32, stop_gradient=True, [x])')).toBeNull();
  });

  it('reads printed output lines', () => {
    expect(claimInOutput('tensor(2.3519)', 10)).toMatchObject({ text: 'tensor(2.3519)', start: 10 });
    expect(claimInOutput('loss = 0.4170', 0)?.value).toBe(0.417);
    expect(claimInOutput('epoch 3 loss 1.25 acc 0.75', 0)?.value).toBe(0.75);
    expect(claimInOutput('nan', 0)?.value).toBeNaN();
    expect(claimInOutput('no numbers here', 0)).toBeNull();
  });
});

/*
 * The scanners replaced these regular expressions (quadratic on long digit runs). On short
 * strings, where backtracking costs nothing, they must find exactly what the patterns found.
 */
const torchPattern =
  /tensor\(\s*([-+]?(?:\d+\.?\d*(?:e[-+]?\d+)?|\.\d+(?:e[-+]?\d+)?|nan|inf))\s*(?:,[^()\n]*(?:\([^()\n]*\)[^()\n]*)*)?\)/i;
const plainPattern = /(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+)(?:e[-+]?\d+)?(?![\w.])/gi;

function oracleOutput(line: string): { text: string; start: number } | null {
  const t = torchPattern.exec(line);
  if (t) return { text: t[0], start: t.index };
  let last: RegExpExecArray | null = null;
  plainPattern.lastIndex = 0;
  for (let m = plainPattern.exec(line); m; m = plainPattern.exec(line)) last = m;
  if (last) return { text: last[0], start: last.index };
  const trimmed = line.trim();
  return /^-?(?:nan|inf)$/i.test(trimmed) ? { text: trimmed, start: line.indexOf(trimmed) } : null;
}

describe('claim scanners match the patterns they replaced', () => {
  const alphabet = [
    'tensor(',
    'TENSOR(',
    '1',
    '2',
    '.',
    'e',
    'E',
    '-',
    '+',
    ',',
    '(',
    ')',
    ' ',
    '\n',
    'nan',
    'inf',
    'x',
    '_',
    'grad_fn=<N>',
    '\t',
  ];
  const texts = fc.array(fc.constantFrom(...alphabet), { maxLength: 24 }).map((p) => p.join(''));

  it('in printed output', () => {
    fc.assert(
      fc.property(texts, (line) => {
        const got = claimInOutput(line, 0);
        const want = oracleOutput(line);
        expect(got ? { text: got.text, start: got.start } : null).toEqual(want);
      }),
      { numRuns: 3000, seed: 11 },
    );
  });

  it('in comments', () => {
    fc.assert(
      fc.property(texts, (body) => {
        const text = `# ${body}`;
        const got = comment(text);
        const t = torchPattern.exec(text);
        if (t) expect(got?.text).toBe(t[0]);
        else if (got) expect(got.style).toBe('plain');
      }),
      { numRuns: 3000, seed: 12 },
    );
  });
});

describe('judging claims', () => {
  it('lets a float32 printed with eight decimals differ from ours by its last bits, not by more', () => {
    // paddle printed 1.07202101 for a float32 loss one float32 ulp from the kernel's value.
    const ours = Math.fround(1.0720208883285522);
    const ulp = 2 ** -23;
    const claim = comment('# [1.07202101]')!;
    expect(Math.abs(claim.value - ours)).toBeGreaterThan(5e-9); // wrong by its printed digits alone
    expect(judgeClaim(claim, ours, 'float32').holds).toBe(true);
    expect(judgeClaim(claim, Math.fround(ours - 3 * ulp), 'float32').holds).toBe(false);
    // The same digits about a float64 loss are judged by the digits.
    expect(judgeClaim(claim, ours, 'float64').holds).toBe(false);
  });

  it('holds at the printed precision, and says what should have been printed', () => {
    expect(judgeClaim(comment('# tensor(2.1438)')!, seedSingle, 'float32')).toEqual({
      holds: true,
      expected: 'tensor(2.1438)',
    });
    expect(judgeClaim(comment('# tensor(2.1439)')!, seedSingle, 'float32')).toEqual({
      holds: false,
      expected: 'tensor(2.1438)',
    });
    expect(judgeClaim(comment('# tensor(2.3500)')!, seedBatch, 'float32')).toEqual({
      holds: false,
      expected: 'tensor(2.3519)',
    });
    expect(judgeClaim(comment('# 2.14')!, seedSingle, 'float32')).toEqual({ holds: true, expected: '2.14' });
    expect(judgeClaim(comment('# 2.15')!, seedSingle, 'float32').holds).toBe(false);
    // Keeps the rest of the claim's style.
    expect(judgeClaim(comment('# tensor(9.9999, grad_fn=<NllLossBackward0>)')!, seedSingle, 'float32').expected).toBe(
      'tensor(2.1438, grad_fn=<NllLossBackward0>)',
    );
  });

  it('judges a long number as a float64 (or .item()) print, to its digits', () => {
    // numpy's value of the seed formula, and the seed batch mean of two formula losses.
    expect(judgeClaim(comment('# 2.143818427948945')!, 2.143818427948945, 'float64').holds).toBe(true);
    expect(judgeClaim(comment('# 2.143818427948945')!, 2.1438184279489453, 'float64').holds).toBe(true); // one ulp: summation order
    expect(judgeClaim(comment('# 2.143818427948945')!, 2.1438183784484863, 'float64')).toEqual({
      holds: false,
      expected: '2.1438183784484863',
    });
    // The float32 loss printed with .item().
    expect(judgeClaim(comment('# 2.1438183784484863')!, seedSingle, 'float32').holds).toBe(true);
    expect(judgeClaim(comment('# 2.143818427948945')!, seedSingle, 'float32').holds).toBe(false);
  });

  it('an integral torch print must be exact, and nan matches nan only', () => {
    expect(judgeClaim(comment('# tensor(2.)')!, 2, 'float32').holds).toBe(true);
    expect(judgeClaim(comment('# tensor(2.)')!, 2.25, 'float32').holds).toBe(false);
    expect(judgeClaim(comment('# tensor(nan)')!, NaN, 'float32').holds).toBe(true);
    expect(judgeClaim(comment('# tensor(nan)')!, seedSingle, 'float32').holds).toBe(false);
    expect(judgeClaim(comment('# tensor(2.1438)')!, NaN, 'float32')).toEqual({ holds: false, expected: 'tensor(nan)' });
  });

  for (const { value, repr } of Object.values(reference.repr)) {
    it(`formats ${repr} as Python's repr does`, () => {
      expect(pythonRepr(value)).toBe(repr);
    });
  }
});
