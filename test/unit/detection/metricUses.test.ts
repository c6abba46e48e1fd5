/**
 * A Keras metric object read after one update is that update's loss only when no other update can
 * have happened: handed to a function whose `update_state` changes the caller's object (which
 * detection does not carry back), or aliased, the metric's `result()` is not read, so a printed value
 * of it is not judged (it was judged against the first batch alone: a wrong number). Reads after a
 * reset and a new update, written at the margin or in a fence, are still read.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';

const head = [
  'import numpy as np',
  'import tensorflow as tf',
  'm = tf.keras.metrics.SparseCategoricalCrossentropy(from_logits=True)',
  'logits = np.array([[2.0, 0.5, -1.0], [0.1, 0.2, 0.3]])',
  'm.update_state([1, 0], logits)',
];

function claimOf(lines: string[]) {
  const doc = analyzeText([...head, ...lines].join('\n') + '\n', { fileName: 'a.py' });
  expect(doc.claims).toHaveLength(1);
  return { claim: doc.claims[0], pair: doc.pairs[0] };
}

describe('a Keras metric updated where detection does not see it', () => {
  it('premise: read right after its one update, a printed value is judged against that loss', () => {
    const { claim, pair } = claimOf(['print(m.result().numpy())  # 0.1902']);
    expect(pair.loss).not.toBeNull();
    expect(claim.status).toBe('wrong');
  });

  it('handed to a function that updates it: the read is not judged', () => {
    const { claim } = claimOf([
      'def add(metric):',
      '    metric.update_state([2, 2], logits)',
      'add(m)',
      'print(m.result().numpy())  # 0.1902',
    ]);
    expect(claim.status).toBe('unverified');
  });

  it('aliased: the read is not judged', () => {
    const { claim } = claimOf([
      'other = m',
      'other.update_state([2, 2], logits)',
      'print(m.result().numpy())  # 0.1902',
    ]);
    expect(claim.status).toBe('unverified');
  });
});
