/**
 * A loss worked by hand whose result the page writes as a whole number (docs/detection.md 3.405):
 * `… = 1$$`, `-log(1) = 0`, `≈ 2`, and whole numbers followed by a word, which count something else,
 * in snippets written for this project by test/fixtures/realpatterns107/gen_realpatterns107.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { wholeResultClaim } from '../../../src/core/detection/claims';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns107', 'a worked loss whose result is a whole number', {
  least: { snippets: 4, negatives: 1, wrongClaims: 2 },
  exhaustive: true,
});

const page = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'page.md' });
const judged = (lines: string[]) => page(lines).claims.map((c) => [c.text, c.status]);
const intro = ['# A loss by hand', '', 'The cross-entropy loss of one example:', ''];

describe('a whole-number result of a worked loss', () => {
  it('is judged to the unit, and `≈` allows one unit', () => {
    expect(judged([...intro, 'L = -log(0.3) = 1'])).toEqual([['1', 'holds']]);
    expect(judged([...intro, 'L = -log(0.1) = 1'])).toEqual([['1', 'wrong']]);
    expect(judged([...intro, 'L = -log(0.1) ≈ 3'])).toEqual([['3', 'holds']]);
    expect(judged([...intro, 'L = -log(0.04) ≈ 3'])).toEqual([['3', 'holds']]);
    expect(judged([...intro, 'L = -log(0.01) ≈ 3'])).toEqual([['3', 'wrong']]);
  });

  it('is not read when a word, a digit or a percent sign follows it, nor with four digits or a sign', () => {
    expect(wholeResultClaim('x = 1 term', 4, 5, 0)).toBeNull();
    expect(wholeResultClaim('x = 3 %', 4, 5, 0)).toBeNull();
    expect(wholeResultClaim('x = 1000', 4, 8, 0)).toBeNull();
    expect(wholeResultClaim('x = -1', 4, 6, 0)).toBeNull();
    expect(wholeResultClaim('x = 2$$', 4, 5, 10)).toMatchObject({ value: 2, decimals: 0, start: 14, text: '2' });
    expect(wholeResultClaim('x = 2.', 4, 5, 0)).toMatchObject({ value: 2 });
  });

  it('reads no whole number printed as output or set as a hyperparameter', () => {
    expect(judged([...intro, 'epochs = 3, batch = 32', '', 'accuracy = 1'])).toEqual([]);
    const py = analyzeText(
      'import torch\nimport torch.nn.functional as F\nz = torch.tensor([[0.2, 1.0]])\nprint(F.cross_entropy(z, torch.tensor([0])))  # 1\n',
      { fileName: 'a.py' },
    );
    expect(py.claims.filter((c) => c.status !== 'unverified')).toEqual([]);
  });

  it('reads a long run of digits or spaces after the equals sign in bounded time (hang guard)', () => {
    const start = Date.now();
    expect(judged([...intro, `L = -log(0.5) = ${'1'.repeat(200_000)}`])).toEqual([]);
    // A line this long may be skipped as a whole; it is never misjudged.
    expect(judged([...intro, `L = -log(0.5) = 1${' '.repeat(200_000)}x`])).not.toContainEqual(['1', 'wrong']);
    expect(wholeResultClaim(`= 1${' '.repeat(200_000)}x`, 2, 3, 0)).not.toBeNull();
    expect(Date.now() - start).toBeLessThan(20_000);
  }, 60_000);
});
