/**
 * FastEstimator's backend cross-entropies (a rule for each tensor library), the Markdown fences of a
 * Python docstring read as code, and `cls.x` assigned in `setUpClass` read as `self.x`
 * (docs/detection.md 3.43-3.45), in snippets written for this project by
 * test/fixtures/realpatterns31/gen_realpatterns31.py (numbers from torch 1.13). Before, an unbound
 * `fe.backend.categorical_crossentropy` was guessed as Keras's function (one loss per example, its
 * arguments the other way round), a docstring's ```python fence was never read, and what setUpClass
 * kept on `cls` was not seen by the test methods.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { fencedDocBodies } from '../../../src/core/detection/codeBlocks';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns31', 'FastEstimator, docstring fences, setUpClass on cls', {
  least: { snippets: 7, negatives: 3, wrongClaims: 2 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 't.py' });

describe('FastEstimator backend', () => {
  const head = ['import tensorflow as tf', 'import torch', 'import fastestimator as fe'];

  it('takes the prediction first and averages unless average_loss=False', () => {
    const doc = py([
      ...head,
      'p = torch.tensor([[0.5, 0.25, 0.25], [0.1, 0.8, 0.1]])',
      'y = torch.tensor([[1, 0, 0], [0, 1, 0]])',
      'a = fe.backend.categorical_crossentropy(p, y)',
      'b = fe.backend.categorical_crossentropy(y_true=y, y_pred=p, average_loss=False)',
    ]);
    const [a, b] = doc.pairs;
    expect(a.library).toBe('fastestimator');
    expect(b.losses).toHaveLength(2);
    expect(b.losses?.[0]).toBeCloseTo(-Math.log(0.5), 6);
    expect(b.losses?.[1]).toBeCloseTo(-Math.log(0.8), 6);
    expect(a.loss).toBeCloseTo((-Math.log(0.5) - Math.log(0.8)) / 2, 6);
  });

  it('follows the tensors: torch leaves the rows as they are, Keras divides them by their sum', () => {
    const rows = '[[0.5, 0.4, 0.3]]';
    const onehot = '[[0, 1, 0]]';
    const loss = (make: string) =>
      py([...head, `p = ${make}(${rows})`, `y = ${make}(${onehot})`, 'l = fe.backend.categorical_crossentropy(p, y)'])
        .pairs[0].loss;
    expect(loss('torch.tensor')).toBeCloseTo(-Math.log(0.4), 6);
    expect(loss('tf.constant')).toBeCloseTo(-Math.log(0.4 / 1.2), 6);
  });

  it('says why there is no number for operands FastEstimator would refuse', () => {
    const cases: [string, string, RegExp][] = [
      ['np.array([[0.6, 0.4]])', 'np.array([[1, 0]])', /tf\.Tensor or torch\.Tensor/],
      ['torch.tensor([[0.6, 0.4]])', 'tf.constant([[1, 0]])', /different libraries/],
      ['torch.tensor([[1.0, 0.0]])', 'torch.tensor([[1, 0]])', /probability of 0/],
    ];
    for (const [p, y, why] of cases) {
      const pair = py([...head, 'import numpy as np', `l = fe.backend.categorical_crossentropy(${p}, ${y})`]).pairs[0];
      expect(pair.loss, p).toBeNull();
      expect(pair.unverified, p).toMatch(why);
    }
  });

  it('reads a sparse (N, 1) label column and from_logits as the softmax cross-entropy', () => {
    const doc = py([
      ...head,
      'z = torch.tensor([[2.0, 0.0], [0.0, 1.0]])',
      'k = torch.tensor([[0], [1]])',
      'l = fe.backend.sparse_categorical_crossentropy(z, k, from_logits=True, average_loss=False)',
    ]);
    const lse = (a: number, b: number) => Math.log(Math.exp(a) + Math.exp(b));
    expect(doc.pairs[0].losses?.[0]).toBeCloseTo(lse(2, 0) - 2, 6);
    expect(doc.pairs[0].losses?.[1]).toBeCloseTo(lse(0, 1) - 1, 6);
  });
});

describe('docstring fences', () => {
  it('keeps only Python fences inside a triple-quoted string', () => {
    const text = [
      'x = 1',
      '"""Doc.',
      '```python',
      'a = 2',
      '```',
      '```text',
      'b = 3',
      '```',
      '"""',
      '# ```python',
      '# c = 4',
      '# ```',
      "'''",
      '```',
      'd = 5',
      "'''",
    ].join('\n');
    const bodies = fencedDocBodies(text).map(([s, e]) => text.slice(s, e));
    // The last fence is closed by the string's end.
    expect(bodies).toEqual(['a = 2', 'd = 5']);
  });

  it('leaves a body with console prompts to the doctest reader (no loss read twice)', () => {
    const doc = py([
      'import torch',
      'import torch.nn.functional as F',
      'def f():',
      '    """',
      '    ```python',
      '    >>> F.cross_entropy(torch.tensor([[1.0, 2.0]]), torch.tensor([1]))',
      '    tensor(0.3133)',
      '    ```',
      '    """',
    ]);
    expect(doc.pairs).toHaveLength(1);
  });
});

describe('setUpClass attributes', () => {
  it('reads cls.x as self.x in a test method, and self.x as cls.x in another class method', () => {
    const doc = py([
      'import unittest',
      'import torch',
      'import torch.nn.functional as F',
      'class C(unittest.TestCase):',
      '    @classmethod',
      '    def setUpClass(cls):',
      '        cls.z = torch.tensor([[0.0, 1.0]])',
      '        cls.k = torch.tensor([1])',
      '        cls.first = F.cross_entropy(cls.z, cls.k)',
      '    def test_a(self):',
      '        loss = F.cross_entropy(self.z, self.k)',
    ]);
    expect(doc.pairs).toHaveLength(2);
    for (const p of doc.pairs) expect(p.loss).toBeCloseTo(Math.log(1 + Math.exp(-1)), 6);
  });
});
