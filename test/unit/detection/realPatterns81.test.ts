/**
 * Two spellings of tutorial and course repositories (docs/detection.md 3.258-3.259): a worked −log in
 * a column of an aligned plain-text table after another column's result, and Keras' binary
 * cross-entropy of one sample reduced again (no second pair), in snippets written for this project by
 * test/fixtures/realpatterns81/gen_realpatterns81.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns81', 'table columns of worked logs, one-sample Keras losses reduced', {
  least: { snippets: 7, negatives: 3, wrongClaims: 3 },
  exhaustive: true,
});

const md = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'notes.md' });
const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'check.py' });
const page = (row: string) => md(['# Cross-entropy loss', '', row]).pairs.map((p) => p.loss);

describe('a worked log in the next column of a table', () => {
  it('opens after a column gap that follows a worked result, and nowhere else mid-line', () => {
    expect(page('p 0.9   (0.9-1)^2 = 0.01   -log(0.9) = 0.105')).toHaveLength(1);
    expect(page('p 0.9   0.01\t-log(0.9) = 0.105')).toEqual([]);
    expect(page('p 0.9   (0.9-1)^2 = 0.01 -log(0.9) = 0.105')).toEqual([]);
    expect(page('divergence = 0.01   -log(0.9) = 0.105')).toEqual([]);
  });

  it('reads long lines of columns in bounded time (hang guard)', () => {
    const row = 'q = 0.01   '.repeat(360);
    const doc = md(['# Cross-entropy loss', '', ...Array.from({ length: 60 }, () => row)]);
    expect(doc.pairs).toEqual([]);
    const long = md(['# Cross-entropy loss', '', '= 0.5' + ' '.repeat(200_000) + '-log(0.9) = 0.105']);
    expect(long.pairs).toEqual([]);
  }, 60_000);
});

describe('a one-sample Keras loss reduced again', () => {
  const head = ['import tensorflow as tf', 'y = tf.constant([0.0, 1.0])', 'p = tf.constant([0.3, 0.8])'];
  it('makes no second pair for its mean or sum, and binds the printed value to the one pair', () => {
    for (const reduce of ['tf.reduce_mean(l)', 'tf.reduce_sum(l)', 'l.numpy().mean()']) {
      const doc = py([...head, 'l = tf.keras.losses.binary_crossentropy(y, p)', `print(${reduce})  # 0.2899`]);
      expect(doc.pairs.map((q) => q.call?.line)).toEqual([4]);
      expect(doc.claims.map((c) => [c.text, c.status])).toEqual([['0.2899', 'holds']]);
    }
  });

  it('keeps the reduced pair of two samples, and of an element-wise rule', () => {
    const rows = py([
      'import tensorflow as tf',
      'l = tf.keras.losses.binary_crossentropy([[0.0, 1.0], [1.0, 1.0]], [[0.3, 0.8], [0.6, 0.9]])',
      'm = tf.reduce_mean(l)',
    ]);
    expect(rows.pairs.map((q) => q.call?.line)).toEqual([2, 3]);
    const torchElems = py([
      'import torch',
      'import torch.nn.functional as F',
      "l = F.binary_cross_entropy(torch.tensor([0.3, 0.8]), torch.tensor([0.0, 1.0]), reduction='none')",
      'm = l.mean()',
    ]);
    expect(torchElems.pairs.map((q) => q.call?.line)).toEqual([3, 4]);
  });
});
