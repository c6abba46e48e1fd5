/**
 * A loss worked by hand whose result the page writes as a whole number (docs/detection.md 3.405):
 * `… = 1$$`, `-log(1) = 0`, `≈ 2`, and whole numbers followed by a word, which count something else;
 * and the output lines under a module-level loop that prints one labelled line per pass, bound line k
 * to pass k (3.406). Snippets written for this project by test/fixtures/realpatterns107/gen_realpatterns107.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { wholeResultClaim } from '../../../src/core/detection/claims';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns107', 'whole-number worked results and the output lines of a loop', {
  least: { snippets: 12, negatives: 2, wrongClaims: 4 },
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

const loop = (print: string, outputs: string[]) =>
  analyzeText(
    [
      '```python',
      'import torch',
      'import torch.nn.functional as F',
      'z = torch.tensor([[0.5, 1.5, -1.0]])',
      'for k in [0, 1]:',
      '    loss = F.cross_entropy(z, torch.tensor([k]))',
      `    ${print}`,
      '```',
      '',
      'Output:',
      '',
      '```',
      ...outputs,
      '```',
      '',
    ].join('\n'),
    { fileName: 'page.md' },
  ).claims.map((c) => [c.text, c.status]);

describe('the output lines under a loop', () => {
  const print = 'print(f"class {k}: loss {loss.item():.4f}")';

  it('binds line k to pass k, and only the loss field', () => {
    // torch 1.13: cross_entropy([[0.5, 1.5, -1.0]], [k]) is 1.37154 for k = 0 and 0.37154 for k = 1.
    expect(loop(print, ['class 0: loss 1.3715', 'class 1: loss 0.3715'])).toEqual([
      ['1.3715', 'holds'],
      ['0.3715', 'holds'],
    ]);
    expect(loop(print, ['class 0: loss 0.3715', 'class 1: loss 1.3715'])).toEqual([
      ['0.3715', 'wrong'],
      ['1.3715', 'wrong'],
    ]);
  });

  it('binds nothing when the words differ, a line is missing or extra, or the field is not the loss', () => {
    expect(loop(print, ['class 0: cost 1.3715', 'class 1: cost 0.3715'])).toEqual([]);
    expect(loop(print, ['class 0: loss 1.3715'])).toEqual([]);
    expect(loop(print, ['class 0: loss 1.3715', 'class 1: loss 0.3715', 'class 2: loss 3.1215'])).toEqual([]);
    expect(loop('print(f"class {k}: lr {0.01:.4f}")', ['class 0: lr 0.0100', 'class 1: lr 0.0100'])).toEqual([]);
    expect(loop('print(f"{k} {loss.item():.4f}")', ['0 1.3715', '1 0.3715'])).toEqual([]);
  });

  it('reads a long output line, a long f-string or many lines in bounded time (hang guard)', () => {
    const start = Date.now();
    expect(loop(print, [`class 0: loss ${'1'.repeat(200_000)}`, 'class 1: loss 0.3715'])).toEqual([]);
    expect(loop(`print(f"class ${'{'.repeat(200_000)}")`, ['class 0: loss 1.3715'])).toEqual([]);
    expect(loop(print, Array(20_000).fill('class 0: loss 1.3715'))).toEqual([]);
    expect(Date.now() - start).toBeLessThan(30_000);
  }, 60_000);
});
