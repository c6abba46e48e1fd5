/**
 * TensorFlow 1.x demos that hand plain Python lists to TensorFlow and run the graph in a session,
 * from the twenty-third unseen set (docs/detection.md 3.83-3.84), in snippets written for this project
 * by test/fixtures/realpatterns41/gen_realpatterns41.py: a softmax of a list, a list beside a tensor
 * in a loss written by hand, that loss shown through `sess.run(name)`, and `.eval()` of a tensor.
 * Before, none of the hand-written losses was a pair, nor the softmax of a list given as logits.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns41', 'plain lists in TensorFlow 1.x graphs run in a session', {
  least: { snippets: 3, negatives: 5, wrongClaims: 0 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'demo.py' });

describe('a plain list TensorFlow converts', () => {
  it('takes the dtype of the TensorFlow tensor beside it (float64 stays float64)', () => {
    const doc = py([
      'import numpy as np',
      'import tensorflow as tf',
      'z = tf.constant(np.array([[0.1, 0.2, 0.3]]))',
      'loss = -tf.reduce_sum([[1, 0, 0]] * tf.log(tf.nn.softmax(z)), 1)',
      'print(loss)',
    ]);
    expect(doc.pairs).toHaveLength(1);
    const e = [0.1, 0.2, 0.3].map(Math.exp);
    expect(doc.pairs[0].losses?.[0]).toBeCloseTo(-Math.log(e[0] / (e[0] + e[1] + e[2])), 12);
  });

  it('is not converted beside numpy or torch (their own rules apply)', () => {
    const doc = py([
      'import torch',
      'z = torch.tensor([[0.1, 0.2, 0.3]])',
      'loss = -torch.sum([[1, 0, 0]] * torch.log(torch.softmax(z, 1)), 1)',
      'print(loss)',
    ]);
    expect(doc.pairs.filter((p) => p.loss !== null || (p.losses?.length ?? 0) > 0)).toEqual([]);
  });

  it('is not a softmax TensorFlow refuses: integers only', () => {
    const doc = py([
      'import tensorflow as tf',
      'y = [[0.0, 1.0]]',
      'loss = -tf.reduce_sum(y * tf.log(tf.nn.softmax([[2, 1]])), 1)',
      'print(loss)',
    ]);
    expect(doc.pairs.filter((p) => p.loss !== null || (p.losses?.length ?? 0) > 0)).toEqual([]);
  });
});

describe('a session run of a hand-written loss', () => {
  it('places the pair on the assignment, whichever session spelling runs it', () => {
    for (const run of ['tf.Session().run(ce)', 'sess.run(ce)']) {
      const doc = py([
        'import tensorflow as tf',
        'sess = tf.Session()',
        'y = [[0.0, 1.0]]',
        'ce = -tf.reduce_sum(y * tf.log(tf.nn.softmax([[0.5, 1.5]])), 1)',
        `print(${run})`,
      ]);
      expect(
        doc.pairs.map((p) => p.call?.line),
        run,
      ).toEqual([4]);
    }
  });
});
