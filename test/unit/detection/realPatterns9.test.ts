/**
 * TensorFlow 1's weighted losses (docs/detection.md 3.21), written for this project by
 * test/fixtures/realpatterns9/gen_realpatterns9.py with TensorFlow's rule computed by torch in
 * float32: tf.compat.v1.losses.softmax_cross_entropy, sparse_softmax_cross_entropy,
 * sigmoid_cross_entropy and log_loss, with weights (per example, per element, all zero), label
 * smoothing and the reductions, spelled tf.losses / tf.compat.v1.losses / an unbound `losses` of
 * TensorFlow's own tests; the assertions of tf.test (`self.evaluate(loss)`, an expected value
 * written as an expression). The negatives: losses of placeholders, and arrays handed to a call
 * that was not read, which a guess from their names must not price.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { libraryPath } from '../../../src/core/detection/recognisers/paths';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns9', 'TensorFlow 1 weighted losses on generated fixtures', {
  least: { snippets: 3, negatives: 2, wrongClaims: 1 },
  exhaustive: true,
});

describe('the spellings of TensorFlow 1 losses', () => {
  it('keeps TF 1 names of tf.losses apart from Keras, and folds the other paths', () => {
    expect(libraryPath('tf.losses.softmax_cross_entropy')).toBe('tf.v1.losses.softmax_cross_entropy');
    expect(libraryPath('tensorflow.compat.v1.losses.log_loss')).toBe('tf.v1.losses.log_loss');
    expect(libraryPath('tensorflow.python.ops.losses.losses.sigmoid_cross_entropy')).toBe(
      'tf.v1.losses.sigmoid_cross_entropy',
    );
    // TF 2's tf.losses is Keras's.
    expect(libraryPath('tf.losses.CategoricalCrossentropy')).toBe('keras.losses.CategoricalCrossentropy');
    expect(libraryPath('tf.losses.categorical_crossentropy')).toBe('keras.losses.categorical_crossentropy');
  });

  it('reads weights of a rank TensorFlow 1 would refuse as no number', () => {
    const doc = analyzeText(
      [
        'import tensorflow as tf',
        'logits = tf.constant([[1.0, -1.0], [0.5, 2.0]])',
        'labels = tf.constant([[1.0, 0.0], [0.0, 1.0]])',
        'loss = tf.compat.v1.losses.sigmoid_cross_entropy(labels, logits, weights=[1.0, 2.0])',
        '',
      ].join('\n'),
      { fileName: 'w.py' },
    );
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].loss).toBeNull();
    expect(doc.pairs[0].unverified).toContain('broadcast_weights');
  });

  it('says which Keras-less name a guess needs: no TensorFlow in the file, no guess', () => {
    const doc = analyzeText(
      ['logits = [[1.0, 2.0]]', 'labels = [1]', 'loss = losses.sparse_softmax_cross_entropy(labels, logits)', ''].join(
        '\n',
      ),
      { fileName: 'g.py' },
    );
    expect(doc.pairs.filter((p) => p.call?.line === 3)).toEqual([]);
  });
});
