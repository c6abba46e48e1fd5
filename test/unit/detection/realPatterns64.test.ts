/**
 * Per-sample losses from a comprehension or generator over the code's own function, with a tuple
 * target (docs/detection.md 3.162), and that function written as a branch on the sample's label
 * (3.163), in snippets written for this project by test/fixtures/realpatterns64/gen_realpatterns64.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns64', 'comprehensions over own functions, label branches', {
  least: { snippets: 7, negatives: 3, wrongClaims: 2 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'run.py' });
const branch = (test: string, one: string, zero: string) => [
  'import math',
  'def f(y, p):',
  `    if ${test}:`,
  `        return ${one}`,
  '    else:',
  `        return ${zero}`,
];

describe('a label branch run per item', () => {
  const mean = (ys: number[], ps: number[]) =>
    ys.reduce((s, y, k) => s - (y === 1 ? Math.log(ps[k]) : Math.log(1 - ps[k])), 0) / ys.length;

  it('is the binary log loss when the branch for 1 takes log p, whichever way the test is written', () => {
    for (const [test, one, zero] of [
      ['y == 1', '-math.log(p)', '-math.log(1 - p)'],
      ['1 == y', '-math.log(p)', '-math.log(1 - p)'],
      ['y == 0', '-math.log(1 - p)', '-math.log(p)'],
      ['y', '-math.log(p)', '-math.log(1 - p)'],
    ]) {
      const doc = py([
        ...branch(test, one, zero),
        'ys = [0, 1, 1]',
        'ps = [0.3, 0.6, 0.9]',
        'print(sum([f(y, p) for y, p in zip(ys, ps)]) / 3)',
      ]);
      expect(
        doc.pairs.map((p) => p.loss),
        test,
      ).toEqual([expect.closeTo(mean([0, 1, 1], [0.3, 0.6, 0.9]), 12)]);
    }
  });

  it('is no pair when the branch for 1 takes log(1 - p), or a label is not 0 or 1', () => {
    const swapped = branch('y == 1', '-math.log(1 - p)', '-math.log(p)');
    expect(
      py([...swapped, 'ys = [0, 1]', 'ps = [0.3, 0.6]', 'print(sum(f(y, p) for y, p in zip(ys, ps)) / 2)']).pairs,
    ).toEqual([]);
    const plain = branch('y == 1', '-math.log(p)', '-math.log(1 - p)');
    expect(
      py([...plain, 'ys = [0, 3]', 'ps = [0.3, 0.6]', 'print(sum(f(y, p) for y, p in zip(ys, ps)) / 2)']).pairs,
    ).toEqual([]);
  });

  it('pairs each label with the probability the code gives it (a reversed copy read as it is)', () => {
    const plain = branch('y == 1', '-math.log(p)', '-math.log(1 - p)');
    const doc = py([
      ...plain,
      'ys = [0, 1]',
      'ps = [0.3, 0.6]',
      'print(sum(f(y, p) for y, p in zip(ys, ps[::-1])) / 2)',
    ]);
    expect(doc.pairs.map((p) => p.loss)).toEqual([expect.closeTo(-(Math.log(0.4) + Math.log(0.3)) / 2, 12)]);
  });
});

describe('a tuple target', () => {
  it('unpacks each item, in brackets or not, and a lone generator keeps its commas', () => {
    for (const target of ['a, b', '(a, b)']) {
      const doc = py([
        'from math import log',
        't = [1, 0]',
        'q = [0.8, 0.4]',
        `print(sum(-(a * log(b) + (1 - a) * log(1 - b)) for ${target} in zip(t, q)) / 2)`,
      ]);
      expect(
        doc.pairs.map((p) => p.loss),
        target,
      ).toEqual([expect.closeTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12)]);
    }
  });

  it('binds nothing when an item has another number of parts', () => {
    const doc = py([
      'from math import log',
      't = [1, 0]',
      'q = [0.8, 0.4]',
      'print(sum(-a * log(b) for a, b, c in zip(t, q)) / 2)',
    ]);
    expect(doc.pairs).toEqual([]);
  });
});

describe('the work a comprehension of calls may do', () => {
  it('follows the function for at most 256 items', () => {
    const run = (n: number) => {
      const ys = Array.from({ length: n }, (_, k) => k % 2);
      const ps = Array.from({ length: n }, (_, k) => 0.2 + (k % 5) / 10);
      const lines = ['import math', 'def f(y, p):', '    return -(y * math.log(p) + (1 - y) * math.log(1 - p))'];
      return py([
        ...lines,
        `ys = ${JSON.stringify(ys)}`,
        `ps = ${JSON.stringify(ps)}`,
        'print(sum([f(y, p) for y, p in zip(ys, ps)]) / len(ys))',
      ]);
    };
    expect(run(256).pairs).toHaveLength(1);
    expect(run(257).pairs).toEqual([]);
  });
});
