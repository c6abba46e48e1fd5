/**
 * Losses worked by hand in page text, from the twenty-second unseen set (docs/detection.md 3.79-3.80),
 * in snippets written for this project by test/fixtures/realpatterns40/gen_realpatterns40.py: a
 * negative log of one probability with the number it comes to (`-log(0.64) = 0.446`), a one-hot
 * expansion, a sum and a mean over samples, and the mean of losses worked on the lines above. Before,
 * none of these was a pair, and their numbers were not judged.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { jsxTextChildren } from '../../../src/core/detection/jsxText';
import { meanOfWorkedIn, workedLogsInLine } from '../../../src/core/detection/workedLogs';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns40', 'losses worked by hand in page text', {
  least: { snippets: 3, negatives: 5, wrongClaims: 3 },
  exhaustive: true,
});

const md = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'notes.md' });

describe('a worked negative log in one line', () => {
  it('reads the forms pages write, the natural log, and the number after the last = or ≈', () => {
    const cases: [string, number, string, 'one' | 'sum' | 'mean'][] = [
      ['loss = -log(0.25) = 1.386', -Math.log(0.25), '1.386', 'one'],
      ['L=−log(0.5)≈0.69', -Math.log(0.5), '0.69', 'one'],
      ['-ln 0.8 = 0.223', -Math.log(0.8), '0.223', 'one'],
      ['-log0.8 = -(-0.223) = 0.223', -Math.log(0.8), '0.223', 'one'],
      ['CE = -(0ln0.00 + 1*ln(0.6)) = 0.51 here', -Math.log(0.6), '0.51', 'one'],
      ['s = -log(0.5) - log(0.5) = 1.386.', -2 * Math.log(0.5), '1.386', 'sum'],
      ['m = (-log(0.5) - log(0.25)) / 2 = 1.04', -(Math.log(0.5) + Math.log(0.25)) / 2, '1.04', 'mean'],
    ];
    for (const [line, value, claim, form] of cases) {
      const [w] = workedLogsInLine(line);
      expect(w, line).toBeDefined();
      expect(w.value, line).toBeCloseTo(value, 12);
      expect(w.claim?.text, line).toBe(claim);
      expect(w.form, line).toBe(form);
    }
  });

  it('reads nothing that is not that shape', () => {
    for (const line of [
      'x = -np.log(0.7) = 0.357',
      'x = -log2(0.5) = 1',
      'x = -log10(0.5) = 0.301',
      'H = -log(0.5) = 0.693',
      'the KL term: -log(0.9) = 0.105',
      'x = 1 - log(0.5) = 1.693',
      'x = -log(0.7) is the loss',
      'x = -log(2) = -0.693',
      'x = -3·log(0.5) = 2.079',
      'x = (-log(0.5) - log(0.5)) / 3 = 0.462',
      'x = -(1·log(0.5) + 1·log(0.5) + 0·log(0.1)) = 1.386',
    ])
      expect(workedLogsInLine(line), line).toEqual([]);
  });

  it('takes a mean of losses above only when every number is one of their claims and the divisor their count', () => {
    const above = [workedLogsInLine('a: -log(0.3) = 1.204')[0], workedLogsInLine('b: -log(0.45) = 0.799')[0]];
    const mean = meanOfWorkedIn('avg = (1.204 + 0.799) / 2 = 1.002', above);
    expect(mean?.value).toBeCloseTo((-Math.log(0.3) - Math.log(0.45)) / 2, 12);
    expect(mean?.roundedTerms).toEqual([3, 3]);
    expect(meanOfWorkedIn('avg = (1.204 + 0.798) / 2 = 1.001', above)).toBeNull();
    expect(meanOfWorkedIn('avg = (1.204 + 0.799) / 3 = 0.668', above)).toBeNull();
    expect(meanOfWorkedIn('avg = (1.204 + 1.204) / 2 = 1.204', above)).toBeNull();
  });

  it('keeps a long line linear and bounded', () => {
    const line = `x = ${'-log(0.5) '.repeat(5000)}= 1`;
    expect(workedLogsInLine(line)).toEqual([]);
    const many = `x = ${Array.from({ length: 40 }, () => '-log(0.5)').join(' ')} = 1`;
    expect(workedLogsInLine(many)).toEqual([]);
  });
});

describe('worked losses in documents', () => {
  it('judges a claim by the rounding of the terms a mean was worked from', () => {
    const doc = md([
      '# Cross-entropy loss',
      'first: -log(0.7) = 0.357',
      'second: -log(0.05) = 2.996',
      'mean: (0.357 + 2.996) / 2 = 1.677',
      'again: (0.357 + 2.996) / 2 = 1.679',
    ]);
    expect(doc.pairs.map((p) => p.call?.line)).toEqual([2, 3, 4, 5]);
    expect(doc.pairs[2].loss).toBeCloseTo((-Math.log(0.7) - Math.log(0.05)) / 2, 10);
    expect(doc.claims.map((c) => [c.line, c.status])).toEqual([
      [2, 'holds'],
      [3, 'holds'],
      [4, 'holds'],
      [5, 'wrong'],
    ]);
  });

  it('reads a notebook’s Markdown cells', () => {
    const nb = {
      cells: [
        { cell_type: 'markdown', metadata: {}, source: ['## The loss\n', 'For the true class: -log(0.6) = 0.511\n'] },
        { cell_type: 'code', metadata: {}, execution_count: 1, outputs: [], source: ['x = 1\n'] },
      ],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    };
    const doc = analyzeText(JSON.stringify(nb), { fileName: 'n.ipynb' });
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].loss).toBeCloseTo(-Math.log(0.6), 10);
    expect(doc.claims.map((c) => c.status)).toEqual(['holds']);
  });

  it('leaves an exercise page’s answer to its example: one pair, one claim', () => {
    const doc = md([
      '### Cross-entropy for one sample',
      '',
      'Input:',
      '',
      '```',
      'y_pred = [0.2, 0.5, 0.3]  # predicted probabilities',
      'y_true = [0, 1, 0]',
      '```',
      '',
      'Output:',
      '',
      '```',
      'loss = -log(0.5) = 0.693',
      '```',
    ]);
    expect(doc.pairs).toHaveLength(1);
    expect(doc.claims).toHaveLength(1);
  });

  it('reads nothing in a Python file, where the words are a string', () => {
    const doc = analyzeText("msg = 'cross-entropy loss = -log(0.7) = 0.357'\nprint(msg)\n", { fileName: 'a.py' });
    expect(doc.pairs).toEqual([]);
  });
});

describe('template literals written as an element’s child', () => {
  it('keeps them in place, listings apart, and blanks every other string', () => {
    const src = [
      'const a = `-log(0.5) = 0.693`;',
      '<Mx>{`L = -log(0.5) = 0.693`}</Mx>',
      '<Code>{`print(1)`}</Code>',
      '<Mx>{`v = ${x}`}</Mx>',
    ].join('\n');
    const page = jsxTextChildren(src);
    expect(page.text).toHaveLength(src.length);
    expect(page.text.split('\n').map((l) => l.trim())).toEqual(['', 'L = -log(0.5) = 0.693', 'print(1)', '']);
    expect(page.code.split('\n').map((l) => l.trim())).toEqual(['', '', 'print(1)', '']);
    expect(page.codeEnds).toHaveLength(1);
  });

  it('reads nothing from a string that is data', () => {
    const doc = analyzeText('const label = `cross-entropy loss: -log(0.7) = 0.357`;\nshow(label);\n', {
      fileName: 'a.js',
    });
    expect(doc.pairs).toEqual([]);
  });
});

describe('comments in code', () => {
  it('are not page text: a worked log in a listing’s comment is no loss of its own', () => {
    const doc = md(['# Cross-entropy loss', '', '```python', '# by hand: -log(0.7) = 0.357', 'x = 1', '```']);
    expect(doc.pairs).toEqual([]);
  });
});
