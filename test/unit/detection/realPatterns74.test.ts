/**
 * The families the notebook blind set fresh39 showed (docs/detection.md 3.207-3.209): `list(range(…))`
 * rows of a hand-written cross-entropy, exercise pages with a glued output label or predictions said
 * to lie in (0, 1), and a function with no return that assigns a loss, in snippets written for this
 * project by test/fixtures/realpatterns74/gen_realpatterns74.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { readSemantics } from '../../../src/core/detection/problemProse';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns74', 'notebook-set families: list(range) rows, glued page labels, no-return losses', {
  least: { snippets: 8, negatives: 5, wrongClaims: 3 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'check.py' });
const page = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'page.txt' });
const numbers = (lines: string[]) => py(lines).pairs.map((p) => p.loss);

describe('list(range(…)) as rows', () => {
  const head = ['import torch', 'q = torch.tensor([[0.5, 0.5], [0.9, 0.1]])', 'k = torch.tensor([1, 0])'];
  it('reads list(range(n)) as range(n), and nothing else list() is given', () => {
    const direct = numbers([...head, 'a = -torch.log(q[range(2), k]).mean()'])[0];
    expect(direct).not.toBeNull();
    expect(numbers([...head, 'a = -torch.log(q[list(range(2)), k]).mean()'])).toEqual([direct]);
    // A keyword, two arguments or a tensor inside: not read as rows (no number).
    for (const idx of ['list(range(2), x=1)', 'list(range(2), range(2))', 'list(k)'])
      expect(numbers([...head, `a = -torch.log(q[${idx}, k]).mean()`]).filter((v) => v !== null)).toEqual([]);
  });
});

describe('exercise pages', () => {
  it('settles probabilities when the predictions are said to lie in (0, 1), not when only labels are', () => {
    expect(readSemantics('assume all y_pred values are strictly in (0, 1)').probabilities).toBe(true);
    expect(readSemantics('the predictions lie in the open interval (0, 1)').probabilities).toBe(true);
    expect(readSemantics('labels are in [0, 1]').probabilities).toBe(false);
  });

  it('reads inputs with a glued output label only under an Input: label, never a commented code line', () => {
    const ex = ['Binary cross-entropy, mean over samples, probabilities p.', 'Input:'];
    const glued = page([...ex, 'y = [1, 0], p = [0.8, 0.4]Output:', '0.3347']);
    expect(glued.pairs.map((p) => p.loss?.toFixed(4))).toEqual(['0.3670']);
    expect(glued.claims.map((c) => c.status)).toEqual(['wrong']);
    expect(
      page(['Binary cross-entropy, mean, probabilities p.', 'y = [1, 0], p = [0.8, 0.4]Output:', '0.3670']).pairs,
    ).toEqual([]);
    expect(
      page([...ex, 'loss = bce([1, 0], [0.8, 0.4])  # Output: 0.3670']).pairs.filter((p) => p.loss !== null),
    ).toEqual([]);
  });

  it('reads long pages in bounded time (hang guard)', () => {
    const t0 = Date.now();
    readSemantics('y_pred values are '.repeat(12_000) + 'in (0');
    page(['Binary cross-entropy of probabilities, mean.', 'Input:', `y = [${'1,'.repeat(100_000)}1]Output:`, '0.5']);
    page(['Binary cross-entropy of probabilities, mean.', ...Array(20_000).fill('Input:\n]]]]]Output:')]);
    expect(Date.now() - t0).toBeLessThan(20_000);
  }, 60_000);
});

describe('a function with no return', () => {
  const def = ['import numpy as np', 'def show(t, q):', '    ce = -np.sum(t * np.log(q))', '    print(ce)'];
  it('pairs each call on the assignment, and nothing for a function that returns', () => {
    const once = py([...def, 'show(np.array([0.0, 1.0]), np.array([0.3, 0.7]))']);
    expect(once.pairs.map((p) => [p.call?.line, p.loss?.toFixed(6)])).toEqual([[3, (-Math.log(0.7)).toFixed(6)]]);
    const twice = py([
      ...def,
      'show(np.array([0.0, 1.0]), np.array([0.3, 0.7]))',
      'show(np.array([1.0, 0.0]), np.array([0.3, 0.7]))',
    ]);
    expect(twice.pairs.map((p) => p.loss?.toFixed(6))).toEqual([
      (-Math.log(0.7)).toFixed(6),
      (-Math.log(0.3)).toFixed(6),
    ]);
    const returns = py([...def, '    return ce', 'v = show(np.array([0.0, 1.0]), np.array([0.3, 0.7]))']);
    expect(returns.pairs.map((p) => p.call?.line)).toEqual([6]);
  });

  it('follows thousands of calls in bounded time (hang guard)', () => {
    const t0 = Date.now();
    py([...def, ...Array(3_000).fill('show(np.array([0.0, 1.0]), np.array([0.3, 0.7]))')]);
    expect(Date.now() - t0).toBeLessThan(30_000);
  }, 60_000);
});
