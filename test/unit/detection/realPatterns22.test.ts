/**
 * What the study sets fresh8/9/10 still missed (docs/detection.md 3.34): a softmax cross-entropy
 * written as a loop over rows (`x[i, :]`, a generator sum of `math.exp` over a list row), numpy's
 * masked log filled with a number, a tfjs loss read into a name before a test checks it, and an
 * output block echoing a name above a vector wrapped over lines, in snippets written for this project
 * by test/fixtures/realpatterns22/gen_realpatterns22.py, whose numbers are numpy's, Python's and torch's.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns22', 'loops over rows, masked logs, names read back, echoed outputs', {
  least: { snippets: 5, negatives: 2, wrongClaims: 4 },
  exhaustive: true,
});

const scan = (lines: string[], fileName = 't.py') => analyzeText(lines.join('\n') + '\n', { fileName });

describe('a row written x[i, :]', () => {
  it('is the row x[i], and a slice of part of it is not', () => {
    const head = ['import numpy as np', 'x = np.array([[0.5, 1.5, -0.5], [1.0, 0.0, 2.0]])', 'y = np.array([1, 2])'];
    const whole = scan([...head, 'l = -np.log(np.exp(x[1, y[1]]) / np.sum(np.exp(x[1, :])))']);
    expect(whole.pairs.map((p) => p.recogniser)).toEqual(['formula.neg_log_softmax_pick']);
    // Two of the three classes summed: no softmax of the row, no pair.
    const part = scan([...head, 'l = -np.log(np.exp(x[1, y[1]]) / np.sum(np.exp(x[1, :2])))']);
    expect(part.pairs).toEqual([]);
  });
});

describe('a comprehension over a list row', () => {
  it('keeps its elements for a formula, and its numbers for rows built from them', () => {
    const formula = scan([
      'import math',
      'row = [0.2, 1.1, -0.4]',
      'print(-math.log(math.exp(row[1]) / sum(math.exp(v) for v in row)))',
    ]);
    expect(formula.pairs.map((p) => p.recogniser)).toEqual(['formula.neg_log_softmax_pick']);
    // `[[1 - v, v] for v in p]` still folds into rows of numbers (a log_loss of them).
    const rows = scan([
      'import numpy as np',
      'from sklearn.metrics import log_loss',
      'p = [0.7, 0.2]',
      'print(log_loss([1, 0], np.array([[1 - v, v] for v in p])))',
    ]);
    expect(rows.pairs.map((q) => q.recogniser)).toEqual(['sklearn.metrics.log_loss']);
  });
});

describe('an output block headed by a name', () => {
  const page = (name: string) => [
    '```python',
    'import torch',
    'import torch.nn.functional as F',
    'z = torch.tensor([[-0.5, -1.0], [-0.2, -1.7]])',
    "out = F.nll_loss(z, torch.tensor([0, 1]), reduction='none')",
    '```',
    '```',
    name,
    'tensor([0.5000,',
    '        1.7000])',
    '```',
  ];
  it('is the echo of that name when the code assigns it', () => {
    const doc = scan(page('out'), 'p.md');
    expect(doc.claims.map((c) => [c.line, c.text, c.status])).toEqual([
      [9, '0.5000', 'holds'],
      [10, '1.7000', 'holds'],
    ]);
  });
  it('is nothing when the code does not assign the name', () => {
    expect(scan(page('losses'), 'p.md').claims).toEqual([]);
  });
});

describe('a tfjs loss read into a name', () => {
  it('is the loss only as its first value of a scalar loss', () => {
    const head = [
      "const tf = require('@tensorflow/tfjs');",
      'const logits = tf.tensor2d([[0.5, 1.5, -0.5], [2.0, 0.1, 0.3]]);',
      'const onehot = tf.tensor2d([[0, 1, 0], [0, 0, 1]]);',
    ];
    const mean = scan(
      [
        ...head,
        'const loss = tf.losses.softmaxCrossEntropy(onehot, logits);',
        'const v = loss.dataSync()[0];',
        'expect(v).toBeCloseTo(1.3, 3);',
      ],
      't.test.js',
    );
    expect(mean.claims.map((c) => c.status)).toEqual(['wrong']);
    // Per-example losses: element 1 is not followed, so nothing is judged.
    const each = scan(
      [
        ...head,
        'const loss = tf.losses.softmaxCrossEntropy(onehot, logits, undefined, 0, tf.Reduction.NONE);',
        'const v = loss.dataSync()[1];',
        'expect(v).toBeCloseTo(1.3, 3);',
      ],
      't.test.js',
    );
    expect(each.claims.filter((c) => c.status === 'holds' || c.status === 'wrong')).toEqual([]);
  });
});
