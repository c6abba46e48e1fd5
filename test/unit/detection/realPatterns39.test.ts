/**
 * The twenty-first unseen set's findings (docs/detection.md 3.75, 3.76, 4.22), in snippets written for
 * this project by test/fixtures/realpatterns39/gen_realpatterns39.py (numbers from torch 1.13, Keras's
 * rule repeated there in torch): an example in the docstring of a module's own `def` / `class` of a
 * loss's name documents that definition (no number, its claims not judged); a name the source binds is
 * never guessed to be the library function of that name; Keras's Softmax layer and TensorFlow
 * functions given Python lists are computed; PaddlePaddle's `soft_label=True` is torch's probability
 * targets, its weight only when every row weighs the same.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns39', 'own docstrings, bound names, TensorFlow lists, paddle soft labels', {
  least: { snippets: 3, negatives: 2, wrongClaims: 2 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 't.py' });

describe('a docstring example of a definition of the same name', () => {
  const doc = (name: string) =>
    py([
      `def ${name}(y_true, y_pred):`,
      '    """Example:',
      '',
      '    >>> tf.keras.losses.categorical_crossentropy([[0.0, 1.0]], [[0.5, 0.5]])',
      '    0.6931',
      '    """',
      '    return y_pred',
    ]).pairs;

  it('is that definition: no number', () => {
    const pairs = doc('categorical_crossentropy');
    expect(pairs).toHaveLength(1);
    expect(pairs[0].loss).toBeNull();
    expect(pairs[0].unverified).toMatch(/docstring of this file's own `categorical_crossentropy` \(line 1\)/);
  });

  it("is the library's when the module imports that library (its own loss.py documenting itself)", () => {
    const pairs = py([
      'import oneflow as flow',
      '',
      'class CrossEntropyLoss(Module):',
      '    """Example:',
      '',
      '    >>> flow.nn.CrossEntropyLoss()(flow.tensor([[0.5, 1.5]]), flow.tensor([1]))',
      '    """',
    ]).pairs;
    expect(pairs).toHaveLength(1);
    expect(pairs[0].loss).toBeCloseTo(0.3132617, 6);
  });

  it("is the library's when the definition has another name", () => {
    const pairs = doc('helper');
    expect(pairs).toHaveLength(1);
    expect(pairs[0].losses).toHaveLength(1);
    expect(pairs[0].losses?.[0]).toBeCloseTo(0.6931472, 6);
  });
});

describe('a name bound in the source', () => {
  const lines = (bound: boolean) => [
    'import tensorflow as tf',
    'logits = tf.constant([[2.0, 0.5, 0.1], [0.2, 1.4, 0.3]])',
    'labels = tf.constant([0, 1])',
    ...(bound ? ['sparse_softmax_cross_entropy_with_logits = make_wrapper()'] : []),
    'out = sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)',
  ];

  it('is not guessed to be the library function of that name', () => {
    expect(py(lines(true)).pairs).toEqual([]);
  });

  it('is guessed when nothing binds it', () => {
    const pairs = py(lines(false)).pairs;
    expect(pairs).toHaveLength(1);
    expect(pairs[0].recogniser).toBe('tf.nn.sparse_softmax_cross_entropy_with_logits');
  });
});

describe('TensorFlow on Python lists', () => {
  it('converts a list to float32 for a function and beside a tensor, and rejects an int32 log', () => {
    const ok = py([
      'import tensorflow as tf',
      'y = [0, 1]',
      'p = [0.25, 0.75]',
      'v = -tf.reduce_sum(y * tf.math.log(p))',
    ]);
    expect(ok.pairs).toHaveLength(1);
    expect(ok.pairs[0].loss).toBeCloseTo(0.2876821, 6);
    const ints = py(['import tensorflow as tf', 'y = [0, 1]', 'p = [1, 3]', 'v = -tf.reduce_sum(y * tf.math.log(p))']);
    expect(ints.pairs.filter((p) => p.loss !== null)).toEqual([]);
  });
});
