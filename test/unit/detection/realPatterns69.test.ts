/**
 * Losses worked out by hand: negative logs in TeX and down the page (docs/detection.md 3.181),
 * log-softmax values over Python floats summed or averaged (3.182), and a sentence's call whose loss
 * is worked out in a clause after it (3.183), in snippets written for this project by
 * test/fixtures/realpatterns69/gen_realpatterns69.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { plainTexSigns } from '../../../src/core/detection/texSigns';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns69', 'worked losses in TeX, over floats, in a sentence', {
  least: { snippets: 13, negatives: 5, wrongClaims: 5 },
  exhaustive: true,
});

const page = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'notes.md' });
const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'check.py' });

describe('TeX signs read as plain ones', () => {
  it('keeps every offset: the line has the same length and its numbers the same places', () => {
    const line = 'so $-\\log(0.7) \\approx 0.357$ and $0 \\times \\ln 0.2$, \\left( x \\right) \\\\';
    const plain = plainTexSigns(line);
    expect(plain).toHaveLength(line.length);
    expect(plain.indexOf('0.357')).toBe(line.indexOf('0.357'));
    expect(plain).toContain('- log(0.7)');
    expect(plain).toContain('≈ 0.357');
    expect(plain).toContain('×  ln 0.2');
  });

  it('leaves commands that are no sign of a worked log as written (a base, a fraction)', () => {
    expect(plainTexSigns('\\log_2 0.5 and \\frac{1}{2}')).toBe(' log_2 0.5 and \\frac{1}{2}');
  });
});

describe('a worked loss down the page', () => {
  it('claims the number under the same label, across blank lines, and not past another label', () => {
    const chained = page(['# Loss', '', 'L = -log 0.5', '', 'L = 0.693']);
    expect(chained.pairs.map((p) => p.call?.line)).toEqual([3]);
    expect(chained.claims.map((c) => [c.line, c.status])).toEqual([[5, 'holds']]);
    const other = page(['# Loss', '', 'L = -log 0.5', 'M = 0.693']);
    expect(other.pairs).toEqual([]);
  });

  it('stops looking after a few lines', () => {
    const far = page(['# Loss', '', 'L = -log 0.5', ...Array(8).fill(''), 'L = 0.693']);
    expect(far.pairs).toEqual([]);
  });

  it('reads thousands of chained lines in bounded time (hang guard)', () => {
    const lines = ['# Loss', ''];
    for (let i = 0; i < 3000; i++) lines.push('L = - \\log 0.5', 'L = - \\log 0.5');
    lines.push('L = 0.693');
    const doc = page(lines);
    expect(doc.pairs.length).toBeGreaterThan(0);
  }, 60_000);
});

describe('log-softmax values over floats', () => {
  it('does not pair a sum divided by another count, nor one with a number added', () => {
    const head = [
      'import math',
      'a = math.log(math.exp(0.2) / (math.exp(0.2) + math.exp(1.0)))',
      'b = math.log(math.exp(0.4) / (math.exp(0.9) + math.exp(0.4)))',
    ];
    expect(py([...head, 'print(-(a + b) / 4)']).pairs).toEqual([]);
    expect(py([...head, 'print(-(a + b + 0.1))']).pairs).toEqual([]);
    expect(py([...head, 'print(-(a + b) / 2)']).pairs).toHaveLength(1);
  });

  it('keeps at most 64 samples, however long the sum (hang guard)', () => {
    const lines = ['import math', 'a = math.log(math.exp(0.2) / (math.exp(0.2) + math.exp(1.0)))'];
    lines.push(`print(-(${Array(5000).fill('a').join(' + ')}))`);
    expect(py(lines).pairs).toEqual([]);
  }, 60_000);
});
