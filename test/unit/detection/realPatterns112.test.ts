/**
 * Printed reprs under an output label, a value per paragraph or under a short name (docs/detection.md 3.428),
 * in snippets written for this project by test/fixtures/realpatterns112/gen_realpatterns112.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { reprRun, type ReprLines } from '../../../src/core/detection/labelledReprs';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns112', 'printed reprs under a label, a paragraph each', {
  least: { snippets: 9, negatives: 3, wrongClaims: 3 },
  exhaustive: true,
});

const linesOf = (text: string, limit = Infinity): ReprLines => {
  const lines = text.split('\n');
  const starts: number[] = [];
  let at = 0;
  for (const l of lines) {
    starts.push(at);
    at += l.length + 1;
  }
  return { count: lines.length, line: (n) => lines[n], start: (n) => starts[n], limit };
};
const texts = (text: string, underLabel: boolean, limit = Infinity) =>
  reprRun(0, linesOf(text, limit), underLabel)?.map((o) => o.text) ?? null;

describe('the run of reprs (labelledReprs.ts)', () => {
  it('goes on over blank lines and one name line only under a label', () => {
    const page = 'tensor(0.5)\n\n\ntensor(0.7)\nloss:\ntensor(0.9)';
    expect(texts(page, true)).toEqual(['tensor(0.5)', 'tensor(0.7)', 'tensor(0.9)']);
    expect(texts(page, false)).toEqual(['tensor(0.5)']);
    expect(texts('loss:\n\ntensor(0.5)', true)).toEqual(['tensor(0.5)']);
    expect(texts('loss:\n\ntensor(0.5)', false)).toBeNull();
  });

  it('ends at three blank lines, two name lines, prose, a number line or the next block', () => {
    expect(texts('tensor(0.5)\n\n\n\ntensor(0.7)', true)).toEqual(['tensor(0.5)']);
    expect(texts('tensor(0.5)\n\nsoftmax:\nloss:\ntensor(0.7)', true)).toEqual(['tensor(0.5)']);
    expect(texts('tensor(0.5)\n\nThe second run gave\ntensor(0.7)', true)).toEqual(['tensor(0.5)']);
    expect(texts('tensor(0.5)\n\n0.7', true)).toEqual(['tensor(0.5)']);
    expect(texts('tensor(0.5)\n\ntensor(0.7)', true, 13)).toEqual(['tensor(0.5)']);
    // A name with a digit, a bracket or `=` is no name line: a sentence or code.
    expect(texts('tensor(0.5)\n\nstep 2:\ntensor(0.7)', true)).toEqual(['tensor(0.5)']);
    expect(texts('tensor(0.5)\n\nx = y:\ntensor(0.7)', true)).toEqual(['tensor(0.5)']);
  });

  it('binds nothing when a page gives fewer reprs than prints', () => {
    const doc = analyzeText(
      [
        '```python',
        'import torch',
        'import torch.nn.functional as F',
        'z = torch.tensor([[1.0, 0.2, -0.5]])',
        'print(F.cross_entropy(z, torch.tensor([0])))',
        'print(F.cross_entropy(z, torch.tensor([2])))',
        '```',
        '',
        'Output:',
        '',
        'tensor(0.5143)',
      ].join('\n') + '\n',
      { fileName: 'page.md' },
    );
    expect(doc.pairs).toHaveLength(2);
    expect(doc.claims.filter((c) => c.status === 'holds' || c.status === 'wrong')).toEqual([]);
  });

  it('reads a page of 200,000 blank-separated reprs or name lines in bounded time (hang guard)', () => {
    const head = '```python\nimport torch\nz = torch.tensor([[1.0, 0.2]])\nprint(z)\n```\n\nOutput:\n\n';
    const t0 = Date.now();
    analyzeText(head + 'tensor(0.5)\n\n'.repeat(200_000), { fileName: 'page.md' });
    analyzeText(head + 'softmax:\n\n'.repeat(200_000), { fileName: 'page.md' });
    analyzeText(head + 'tensor(0.5)\nloss:\n'.repeat(100_000), { fileName: 'page.md' });
    expect(texts('tensor(0.5)\n\n'.repeat(200_000), true)).toHaveLength(200_000);
    expect(Date.now() - t0).toBeLessThan(30_000);
  }, 60_000);
});

const md = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'page.md' });
const judgedOn = (lines: string[]) => md(lines).claims.map((c) => [c.line, c.text, c.status]);
const elements = [
  'Binary cross-entropy by hand:',
  '',
  '- 1 × ln 0.8 + (1 - 1) × ln(1 - 0.8) = -0.2231',
  '- 0 × ln 0.4 + (1 - 0) × ln(1 - 0.4) = -0.5108',
];

describe('a binary cross-entropy worked element by element, then averaged (workedBinaryMeans.ts)', () => {
  it('reads one mean of every element, and holds its rounding carried through', () => {
    expect(judgedOn([...elements, '', '(0.2231 + 0.5108) / 2 = 0.3670'])).toEqual([[6, '0.3670', 'holds']]);
    expect(judgedOn([...elements, '', '(0.2231 + 0.5108) / 2 = 0.3770'])).toEqual([[6, '0.3770', 'wrong']]);
    expect(judgedOn([...elements, '', 'L = \\frac{0.2231 + 0.5108}{2} ≈ 0.367'])).toEqual([[6, '0.367', 'holds']]);
  });

  it('reads nothing when a step is not what it says', () => {
    // A number under the log that is not its natural log (base 2 here), a count that differs, another order.
    expect(
      md(['Binary cross-entropy:', '- 1 × ln 0.8 + (1 - 1) × ln(1 - 0.8) = -0.3219', '(0.3219) / 1 = 0.3219']).pairs,
    ).toEqual([]);
    expect(md([...elements, '(0.2231 + 0.5108) / 3 = 0.2446']).pairs).toEqual([]);
    expect(md([...elements, '(0.5108 + 0.2231) / 2 = 0.3670']).pairs).toEqual([]);
    // Labels that differ between the two weights: no element's log-likelihood, though the number is ln 0.8.
    const mixed = [
      'Binary cross-entropy:',
      '- 1 × ln 0.8 + (1 - 0) × ln(1 - 0.8) = -0.2231',
      '- 0 × ln 0.4 + (1 - 0) × ln(1 - 0.4) = -0.5108',
    ];
    expect(md([...mixed, '(0.2231 + 0.5108) / 2 = 0.3670']).pairs).toEqual([]);
    // A row mean that is not its numbers' mean stops the steps.
    const rows = [
      ...elements,
      ...elements.slice(2),
      '(0.2231 + 0.5108) / 2 = 0.3000',
      '(0.2231 + 0.5108) / 2 = 0.3670',
    ];
    expect(md([...rows, '(0.3000 + 0.3670) / 2 = 0.3335']).pairs).toEqual([]);
  });

  it('reads a mean of row means only over rows of one size, every element averaged', () => {
    const rows = [
      ...elements,
      ...elements.slice(2),
      '(0.2231 + 0.5108) / 2 = 0.3670',
      '(0.2231 + 0.5108) / 2 = 0.3670',
    ];
    expect(judgedOn([...rows, '(0.3670 + 0.3670) / 2 = 0.3670'])).toEqual([[9, '0.3670', 'holds']]);
    const uneven = [
      ...elements,
      ...elements.slice(2),
      '(0.2231) / 1 = 0.2231',
      '(0.5108 + 0.2231 + 0.5108) / 3 = 0.4149',
    ];
    expect(md([...uneven, '(0.2231 + 0.4149) / 2 = 0.3190']).pairs).toEqual([]);
  });

  it('reads long lines and many element lines in bounded time (hang guard)', () => {
    const t0 = Date.now();
    md(['Binary cross-entropy:', '- 1 × ln 0.8 + (1 - 1) × ln(1 - '.repeat(10_000)]);
    md(['Binary cross-entropy:', `(${'0.2231 + '.repeat(40_000)}0.2) / 2 = 0.3`]);
    const many = Array(100_000).fill('- 1 × ln 0.8 + (1 - 1) × ln(1 - 0.8) = -0.2231');
    md(['Binary cross-entropy:', ...many, '(0.2231 + 0.2231) / 2 = 0.2231']);
    md(['Binary cross-entropy:', ...Array(100_000).fill('Label: 1 × ln 0.8 + (1 - 1) × ln(1 - 0.8) = ')]);
    expect(Date.now() - t0).toBeLessThan(30_000);
  }, 60_000);
});
