/**
 * TensorFlow 1 graphs shown by `.eval()`, TF 1's `reduction_indices=`, `tf.clip_by_value`, Keras 2's
 * backend (`K.constant`, `K.eval`, `K.clip`, `K.epsilon`, `K.sum`, `K.mean`, `K.log`), prints with a
 * `\n` before the value, and a JavaScript log-sum-exp over named numbers (docs/detection.md
 * 3.221-3.227), in snippets written for this project by test/fixtures/realpatterns76/gen_realpatterns76.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns76', 'TF 1 sessions, Keras backend formulas, newline prints, JS log-sum-exp', {
  least: { snippets: 19, negatives: 6, wrongClaims: 9 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'check.py' });
const head = [
  'import tensorflow as tf',
  'y_ = tf.constant([[0.0, 1.0], [1.0, 0.0]])',
  'y = tf.constant([[0.3, 0.7], [0.8, 0.2]])',
];
const lossOf = (lines: string[]) => py(lines).pairs.map((p) => p.loss);

describe('TensorFlow 1 spellings around a run', () => {
  it('reads reduction_indices only for TensorFlow, and a one-item list as its axis', () => {
    const ce = (args: string) => lossOf([...head, `ce = tf.reduce_mean(-tf.reduce_sum(y_ * tf.log(y), ${args}))`]);
    const want = -(Math.log(Math.fround(0.7)) + Math.log(Math.fround(0.8))) / 2;
    for (const args of ['reduction_indices=[1]', 'reduction_indices=1', 'axis=[1]', '1'])
      expect(ce(args)[0]).toBeCloseTo(want, 6);
    expect(ce('axis=1, reduction_indices=1')).toEqual([]);
    expect(ce('1, reduction_indices=1')).toEqual([]);
    const numpy = analyzeText(
      'import numpy as np\ny = np.array([[0.3, 0.7]])\nt = np.array([[0.0, 1.0]])\nl = np.mean(-np.sum(t * np.log(y), reduction_indices=[1]))\n',
      { fileName: 'n.py' },
    );
    expect(numpy.pairs.filter((p) => p.loss !== null)).toEqual([]);
  });

  it('takes .eval() of a loss for its value in a TF 1 program only, never with a feed', () => {
    const lines = [...head, 'ce = tf.reduce_mean(-tf.reduce_sum(y_ * tf.log(y), 1))'];
    const judged = (tail: string[]) => py([...lines, ...tail]).claims.map((c) => c.status);
    expect(judged(['sess = tf.InteractiveSession()', 'print(ce.eval())  # 0.2899'])).toEqual(['holds']);
    expect(judged(['sess = tf.InteractiveSession()', 'print(ce.eval())  # 0.3899'])).toEqual(['wrong']);
    expect(judged(['sess = tf.InteractiveSession()', 'print(ce.eval(feed_dict={y: q}))  # 0.2899'])).not.toContain(
      'holds',
    );
    // No session anywhere: `.eval()` is not known to be a TensorFlow run.
    expect(judged(['print(ce.eval())  # 0.3899'])).not.toContain('wrong');
  });

  it('clips with tf.clip_by_value only for float tensors and ordered bounds', () => {
    const clip = (expr: string) =>
      lossOf([...head, `p = ${expr}`, 'ce = tf.reduce_mean(-tf.reduce_sum(y_ * tf.log(p), 1))']);
    expect(clip('tf.clip_by_value(y, 1e-10, 1.0)')[0]).toBeCloseTo(0.2899, 4);
    expect(clip('tf.clip_by_value(y, 0.75, 1.0)')[0]).toBeCloseTo(-(Math.log(0.75) + Math.log(0.8)) / 2, 5);
    expect(clip('tf.clip_by_value(y, 1.0, 0.5)')).toEqual([]);
  });
});

describe("Keras 2's backend", () => {
  const kHead = ['from tensorflow.keras import backend as K', ...head.slice(1)];
  it('is 1e-7 for K.epsilon() and raises K.clip’s upper bound to its lower one', () => {
    const at = (clip: string) => lossOf([...kHead, `p = ${clip}`, 'loss = K.mean(-K.sum(y_ * K.log(p), axis=-1))'])[0];
    expect(at('K.clip(y, 0.75, 0.5)')).toBeCloseTo(-Math.log(0.75), 5);
    expect(at('K.clip(y, K.epsilon(), 1 - K.epsilon())')).toBeCloseTo(0.2899, 4);
  });

  it('reads K.eval of a loss as the loss, and of anything else as nothing', () => {
    const doc = py([
      'import keras.backend as K',
      'a = K.constant([[0.0, 1.0]])',
      'b = K.constant([[0.25, 0.75]])',
      'print(K.eval(K.categorical_crossentropy(a, b)))  # [0.2877]',
      'print(K.eval(K.ones((2, 2))))  # 0.2877',
    ]);
    expect(doc.claims.map((c) => [c.line, c.status])).toEqual([[4, 'holds']]);
  });
});

describe('an integer target of the backend categorical form', () => {
  it('is refused with its reason, and a float one keeps its number', () => {
    const doc = (target: string) =>
      py([
        'import numpy as np',
        'from keras import backend as K',
        `t = ${target}`,
        'o = K.constant([[0.25, 0.75]])',
        'l = K.categorical_crossentropy(t, o)',
      ]).pairs[0];
    expect(doc('np.array([[0, 1]])').unverified).toMatch(/^the target is integers: tf.keras 2 raises/);
    expect(doc('np.array([[0, 1]])').losses ?? []).toEqual([]);
    expect(doc('np.array([[0.0, 1.0]])').losses?.[0]).toBeCloseTo(-Math.log(0.75), 5);
    // Keras 3's keras.ops converts by backend, as realpatterns' keras3_ops.md has it: its number stays.
    const ops = py([
      'import keras',
      'l = keras.ops.categorical_crossentropy(keras.ops.convert_to_tensor([[0, 1]]), keras.ops.convert_to_tensor([[0.25, 0.75]]))',
    ]).pairs[0];
    expect(ops.losses?.[0]).toBeCloseTo(-Math.log(0.75), 5);
  });
});

describe('hang guards', () => {
  it('reads long runs of the triggering prefixes in linear time', () => {
    for (const prefix of ['tf.Session(', 'K.epsilon(', 'K.clip(', 'x.eval(', 'Math.exp(', 'reduction_indices=']) {
      const t0 = Date.now();
      analyzeText(prefix.repeat(Math.ceil(200_000 / prefix.length)) + '\n', { fileName: 'big.py' });
      analyzeText(prefix.repeat(Math.ceil(200_000 / prefix.length)) + '\n', { fileName: 'big.js' });
      expect(Date.now() - t0).toBeLessThan(8000);
    }
  });
});
