/**
 * The mean NLL of probabilities written as numbers (docs/detection.md 3.55), Python 2's print of a
 * parenthesised quotient (3.56), notebook cells rendered as page text beside fenced code (3.57) and a
 * call in a sentence followed by several numbers (3.58), in snippets written for this project by
 * test/fixtures/realpatterns34/gen_realpatterns34.py (numbers from numpy, Python's math, torch 1.13
 * and scikit-learn). Before, none of these had a pair with a number: the written logs were a plain
 * number, the print divided Python 3's None, a page with a fence never read its cells, and a sentence
 * with two numbers after its call was skipped whole.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { formulaCopy } from '../../../src/core/libraryView';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns34', 'written log means, Python 2 quotients, notebook pages, prose calls', {
  least: { snippets: 4, negatives: 2, wrongClaims: 2 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 't.py' });
const numbered = (lines: string[]) => py(lines).pairs.filter((p) => p.loss !== null);

describe('the mean NLL of written probabilities', () => {
  const head = ['import math', 'import numpy as np'];

  it('reports the code’s own float64 arithmetic, as torch’s NLLLoss of the logs', () => {
    const [pair] = numbered([...head, 'l = -(np.log(0.5) + np.log(0.25)) / 2']);
    expect(pair.recogniser).toBe('formula.mean_nll_of_written_probs');
    expect(pair.loss).toBe(-(Math.log(0.5) + Math.log(0.25)) / 2);
    expect(pair.options.reduction).toBe('mean');
    // "Copy as PyTorch" and the titles name the formula, and torch reads the logs of the numbers.
    expect(formulaCopy(pair)).toEqual({ words: '−(log p₁ + … + log p_k) / k', logged: true });
  });

  it('reads every spelling of the negated terms', () => {
    const want = (Math.log(5) + Math.log(2)) / 2; // −(ln 0.2 + ln 0.5) / 2
    for (const expr of [
      '(-math.log(0.2) - math.log(0.5)) / 2',
      '(-(math.log(0.2)) + (-math.log(0.5))) / 2.0',
      '-(math.log(0.2) + np.log(0.5)) / 2',
    ])
      expect(numbered([...head, `l = ${expr}`])[0]?.loss, expr).toBeCloseTo(want, 12);
    const bare = numbered(['from math import log', 'l = (-log(0.2) - log(0.5)) / 2'])[0];
    expect(bare?.loss).toBeCloseTo(want, 12);
  });

  it('gives no pair for other shapes, nor for a `log` the file defines', () => {
    for (const expr of [
      '-np.log(0.25) / 1',
      '-(np.log(0.6) + np.log(0.9)) / 3',
      '-(np.log(2.0) + np.log(3.0)) / 2',
      '(np.log(0.5) - np.log(0.25)) / 2',
      '(-np.log(0.5) + np.log(0.25)) / 2',
      '-(2 * np.log(0.5) + np.log(0.25)) / 3',
      '-(np.log(0.6 / 0.4) + np.log(0.9)) / 2',
      '-(np.log(0.5) + np.log(0.25)) / n',
    ])
      expect(py([...head, 'n = 2', `l = ${expr}`]).pairs, expr).toEqual([]);
    expect(py(['def log(x):', '    return x', 'l = -(log(0.5) + log(0.25)) / 2']).pairs).toEqual([]);
  });
});

describe("Python 2's print of a quotient", () => {
  it('prints the quotient, not None divided', () => {
    const [pair] = numbered(['import math', 'print (-(math.log(0.5)) + (-math.log(0.25)))/2.0']);
    expect(pair?.loss).toBeCloseTo(-(Math.log(0.5) + Math.log(0.25)) / 2, 12);
  });

  it('leaves `print(x)` and `print (x)` alone when nothing follows', () => {
    const lines = ['import math', 'x = -(math.log(0.5) + math.log(0.25))', 'print (x)', 'print(x)'];
    expect(py(lines).pairs).toEqual([]);
  });
});

describe('notebook pages', () => {
  it('reads every line of a cell under its header, up to the blank line before its output', () => {
    const text = [
      'In [1]:',
      'import torch',
      'loss = torch.nn.NLLLoss()(torch.log(torch.tensor([[0.25, 0.75]])), torch.tensor([1]))',
      'print(loss.item())',
      '',
      '0.2876820724517809',
    ].join('\n');
    const doc = analyzeText(text + '\n', { fileName: 'page.md' });
    expect(doc.pairs.map((p) => p.call?.line)).toEqual([3]);
    expect(doc.pairs[0].loss).toBeCloseTo(-Math.log(0.75), 6);
  });
});

describe('a float numpy array changed in place through an index', () => {
  const head = ['import numpy as np', 'x = np.array([[1.0, 2.0, 0.5], [0.0, 1.0, 3.0]])', 'y = np.array([0, 2])'];
  const loss = 'l = -np.log((np.exp(x) / np.exp(x).sum(axis=1, keepdims=True))[np.arange(2), y]).mean()';
  const ce = (rows: number[][], ys: number[]) =>
    rows.reduce((s, r, i) => s + Math.log(r.reduce((a, v) => a + Math.exp(v), 0)) - r[ys[i]], 0) / rows.length;

  it('changes each indexed element once, a repeated index included, as numpy does', () => {
    expect(numbered([...head, 'x[[0, 0], [1, 1]] += 0.5', loss])[0]?.loss).toBeCloseTo(
      ce(
        [
          [1, 2.5, 0.5],
          [0, 1, 3],
        ],
        [0, 2],
      ),
      12,
    );
    expect(numbered([...head, 'x[np.arange(2), y] -= 1', loss])[0]?.loss).toBeCloseTo(
      ce(
        [
          [0, 2, 0.5],
          [0, 1, 2],
        ],
        [0, 2],
      ),
      12,
    );
  });

  it('gives no number for an integer array, nor for another operator', () => {
    const ints = ['import numpy as np', 'x = np.array([[1, 2, 0], [0, 1, 3]])', 'y = np.array([0, 2])'];
    expect(numbered([...ints, 'x[0, 1] += 0.5', loss])).toEqual([]);
    expect(numbered([...head, 'x[0, 1] **= 2', loss])).toEqual([]);
  });
});
