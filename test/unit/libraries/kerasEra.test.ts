/**
 * Keras's binary cross-entropy on probabilities differs between versions: tf.keras 2 (TF 1.15 to
 * 2.15) takes log(p + 1e-7) and log(1 − p + 1e-7) after clipping p to [1e-7, 1 − 1e-7], Keras 3 takes
 * log p and log(1 − p). Where the predictions touch the clip the two are far apart: the source must
 * say which Keras runs it, or the pair has no number. Away from the clip they agree to 1e-5 and a
 * printed value of either holds (docs/detection.md 4.12).
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';

/** The clip's upper bound as float32 holds it. */
const hi = Math.fround(1 - 1e-7);
/** y = [1, 0], p = [1, 1]: the first element costs almost nothing, the second is the clipped log. */
const tfKeras2 = (-Math.log(hi + 1e-7) - Math.log(1 - hi + 1e-7)) / 2;
const keras3 = (-Math.log(hi) - Math.log(1 - hi)) / 2;

function analyse(lines: string[]) {
  const doc = analyzeText(lines.join('\n') + '\n', { fileName: 'era.py' });
  expect(doc.pairs).toHaveLength(1);
  return doc.pairs[0];
}

const call = ['value = crit([1.0, 0.0], [1.0, 1.0])'];

describe('Keras binary cross-entropy: which Keras', () => {
  it('at the clip, with nothing saying which Keras: no number, and both numbers in the reason', () => {
    const p = analyse(['import tensorflow as tf', 'crit = tf.keras.losses.BinaryCrossentropy()', ...call]);
    expect(p.loss).toBeNull();
    expect(p.unverified).toContain(`tf.keras 2 (log(p + 1e-7)) gives ${String(tfKeras2).slice(0, 5)}`);
    expect(p.unverified).toContain(`Keras 3 (log p) gives ${String(keras3).slice(0, 5)}`);
  });

  it('tf.keras 2 (its Reduction enum): log(p + 1e-7)', () => {
    const p = analyse([
      'import tensorflow as tf',
      'crit = tf.keras.losses.BinaryCrossentropy(reduction=tf.keras.losses.Reduction.AUTO)',
      ...call,
    ]);
    expect(p.unverified).toBeUndefined();
    expect(Math.abs(p.loss! - tfKeras2)).toBeLessThan(1e-5 * tfKeras2);
    expect(p.mapping).toMatch(/log\(p \+ 1e-7\)/);
  });

  it('Keras 3 (keras.ops in the source): log p', () => {
    const p = analyse([
      'import keras',
      'crit = keras.losses.BinaryCrossentropy()',
      'ones = keras.ops.ones((2,))',
      ...call,
    ]);
    expect(p.unverified).toBeUndefined();
    expect(Math.abs(p.loss! - keras3)).toBeLessThan(1e-5 * keras3);
    expect(Math.abs(keras3 - tfKeras2)).toBeGreaterThan(0.1);
  });

  it('away from the clip: tf.keras 2’s number, and a printed Keras 3 number holds too', () => {
    const y = [1, 0, 0];
    const q = [0.6, 0.3, 0.2];
    const two = -(Math.log(0.6 + 1e-7) + Math.log(0.7 + 1e-7) + Math.log(0.8 + 1e-7)) / 3;
    const three = -(Math.log(0.6) + Math.log(0.7) + Math.log(0.8)) / 3;
    const doc = analyzeText(
      [
        'import keras',
        `loss = keras.losses.binary_crossentropy(${JSON.stringify(y)}, ${JSON.stringify(q)})`,
        `print(float(loss))  # ${three.toFixed(8)}`,
        `print(float(loss))  # ${(three + 1e-4).toFixed(8)}`,
      ].join('\n'),
      { fileName: 'near.py' },
    );
    const p = doc.pairs[0];
    expect(Math.abs(p.loss! - two)).toBeLessThan(2e-7);
    expect(p.alternative?.version).toBe('Keras 3');
    expect(Math.abs(p.alternative!.loss! - three)).toBeLessThan(2e-7);
    expect(doc.claims.map((c) => c.status)).toEqual(['holds', 'wrong']);
  });
});
