/**
 * Two shapes of a loss worked by hand on exercise and course pages (docs/detection.md 3.315-3.316):
 * `H(p, q) = -log(0.60) = 0.511`, the cross-entropy's letter with two distributions, and an expression
 * alone on its line whose result comes below a line of words ending in a colon, and a block of outputs
 * under a run of labelled prints (3.317), in snippets written for this project by
 * test/fixtures/realpatterns89/gen_realpatterns89.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { lineWords } from '../../../src/core/detection/workedWords';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns89', 'H(p, q) and a result below a lead-in, worked by hand', {
  least: { snippets: 9, negatives: 7, wrongClaims: 4 },
  exhaustive: true,
});

const md = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'page.md' });
const judged = (lines: string[]) => md(lines).claims.map((c) => [c.text, c.status]);

describe('the letter H with two arguments', () => {
  it('is the loss for two distributions, not for one argument or two random variables', () => {
    expect(lineWords('H(p, q) = -log(0.6) = 0.511', false).hBlocked).toBe(Infinity);
    expect(lineWords('H(P,Q) = -log(0.6) = 0.511', false).hBlocked).toBe(Infinity);
    expect(lineWords('H(X, Y) = -log(0.25) = 1.386', false).hBlocked).toBeLessThan(Infinity);
    expect(lineWords('H(q) = -log(0.5) = 0.693', false).hBlocked).toBeLessThan(Infinity);
    expect(lineWords('H(p, q, r) = -log(0.5) = 0.693', false).hBlocked).toBeLessThan(Infinity);
    // An entropy word on the line still blocks, whatever the letter.
    expect(lineWords('the entropy H(p, q) = -log(0.5)', false).blocked).toBeLessThan(Infinity);
  });
});

describe('a result below a lead-in', () => {
  const head = ['The cross-entropy loss of the first class.', '', '-(1*log(0.8) + 0*log(0.2))', ''];
  it('takes the number alone after one line of words ending in a colon', () => {
    expect(judged([...head, 'I get:', '', '0.2231'])).toEqual([['0.2231', 'holds']]);
    expect(judged([...head, 'I get:', '0.3231'])).toEqual([['0.3231', 'wrong']]);
  });

  it('reads nothing without the lead-in, after two of them, or with words on the expression line', () => {
    expect(judged([...head, '0.2231'])).toEqual([]);
    expect(judged([...head, 'I get:', 'so:', '0.2231'])).toEqual([]);
    expect(judged([...head, 'I get: 0.2231'])).toEqual([]);
    expect(judged(['The loss is -(1*log(0.8) + 0*log(0.2)) here', '', 'I get:', '', '0.2231'])).toEqual([]);
  });

  it('reads long pages in bounded time (hang guard)', () => {
    const block = '-(1*log(0.8) + 0*log(0.2))\n\nI get:\n\n';
    const text = 'cross-entropy loss\n' + block.repeat(Math.ceil(200_000 / block.length)) + '0.2231\n';
    const t0 = Date.now();
    const doc = analyzeText(text, { fileName: 'page.md' });
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(doc.claims.filter((c) => c.status === 'holds').length).toBe(1);
    const colons = 'cross-entropy loss\n-(1*log(0.8))\n' + 'words:\n'.repeat(30_000) + '0.2231\n';
    expect(analyzeText(colons, { fileName: 'page.md' }).claims).toEqual([]);
    const hs = 'cross-entropy loss\n' + `${'H(p, q) = '.repeat(390)}-log(0.5) = 0.693\n`.repeat(50);
    expect(analyzeText(hs, { fileName: 'page.md' }).pairs.length).toBeLessThanOrEqual(50);
  }, 60_000);
});

describe('a block of outputs under labelled prints', () => {
  const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'check.py' });
  const head = [
    'import torch',
    'import torch.nn.functional as F',
    'z = torch.tensor([[1.0, 0.2, -0.5]])',
    'a = F.cross_entropy(z, torch.tensor([0]))',
    'b = F.cross_entropy(z, torch.tensor([2]))',
    'print(f"Loss 1: {a:.4f}")',
    'print(f"Loss 2: {b:.4f}")',
  ];
  const judged = (lines: string[]) => py(lines).claims.map((c) => [c.line, c.text, c.status]);

  it('reads each line after its own label, under `# Expected` or no heading', () => {
    expect(judged([...head, '# Expected', '# Loss 1: 0.5143', '# Loss 2: 1.9143'])).toEqual([
      [9, '0.5143', 'holds'],
      [10, '1.9143', 'wrong'],
    ]);
    expect(judged([...head, '# Loss 1: 0.5143', '# Loss 2: 2.0143'])).toEqual([
      [8, '0.5143', 'holds'],
      [9, '2.0143', 'holds'],
    ]);
  });

  it('takes no line in order when a line repeats another print`s label', () => {
    // Swapped: the first line is the second print's; only the comment right under a print is its own.
    const swapped = judged([...head, '# Loss 2: 2.0143', '# Loss 1: 0.5143']);
    expect(swapped.filter(([line]) => line === 9)).toEqual([]);
    expect(swapped.filter(([, , status]) => status === 'wrong')).toEqual([]);
  });

  it('reads a long run of labelled prints in bounded time (hang guard)', () => {
    const prints = Array(12_000).fill('print(f"Loss 1: {a:.4f}")');
    const t0 = Date.now();
    const doc = py([...head.slice(0, 5), ...prints, ...Array(2_000).fill('# Loss 1: 0.5143')]);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(doc.claims.filter((c) => c.status === 'wrong')).toEqual([]);
  }, 60_000);
});
