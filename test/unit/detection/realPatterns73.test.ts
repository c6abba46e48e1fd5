/**
 * Bug-report and forum-thread code (docs/detection.md 3.200-3.202): a per-element loss reduced inline
 * where it is written, a thread's answer in plain lines under a fenced question (and a loss object's
 * call left open over its operands' lines), and Keras's `K.epsilon()` as a clip bound, in snippets
 * written for this project by test/fixtures/realpatterns73/gen_realpatterns73.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns73', 'inline reductions, thread answers in plain lines, Keras epsilon', {
  least: { snippets: 9, negatives: 4, wrongClaims: 6 },
  exhaustive: true,
});

const doc = (lines: string[], fileName = 'check.py') => analyzeText(lines.join('\n') + '\n', { fileName });
const numbers = (lines: string[], fileName?: string) =>
  doc(lines, fileName).pairs.map((p) => [p.call?.line, p.loss, p.losses?.length ?? 0]);

describe('a reduction written around the per-element call', () => {
  it('is the one loss of its line, and only as the call’s only argument', () => {
    const head = ['import tensorflow as tf', 'z = tf.constant([[0.5, -1.0], [2.0, 0.3]])'];
    const [one] = numbers([
      ...head,
      'c = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones_like(z), logits=z))',
    ]);
    expect(one[0]).toBe(3);
    expect(one[1]).toBeCloseTo(0.6171555, 6);
    // keepdims / axis: the library's vector stays, the reduction is the expression's
    const kept = numbers([
      ...head,
      'c = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=z), 1)',
    ]);
    expect(kept).toEqual([[3, null, 4]]);
  });

  it('keeps the vector where torch’s mean is not the count-mean (an ignored target)', () => {
    const p = numbers([
      'import torch',
      'import torch.nn.functional as F',
      'x = torch.tensor([[0.5, -1.0], [2.0, 0.3]])',
      'l = torch.mean(F.cross_entropy(x, torch.tensor([1, -100]), reduction="none"))',
    ]);
    expect(p).toEqual([[4, null, 2]]);
  });
});

describe('plain lines in a page with code blocks', () => {
  it('reads a bound loss object’s call left open over lines, not an unbound one', () => {
    const open = [
      'scce = tf.keras.losses.SparseCategoricalCrossentropy()',
      'loss = scce(',
      '  [1],',
      '  [[0.2, 0.8]])',
    ];
    expect(numbers(['Text:', '', 'import tensorflow as tf', ...open], 'page.md')).toHaveLength(1);
    expect(numbers(['Text:', '', 'loss = scce(', '  [1],', '  [[0.2, 0.8]])'], 'page.md')).toEqual([]);
  });

  it('reads lines that are long or open for ever in bounded time (hang guard)', () => {
    const started = Date.now();
    const lines = ['```python', 'import torch', '```', '', 'f = torch.nn.CrossEntropyLoss()'];
    const open = doc([...lines, 'loss = f(' + '['.repeat(200_000)], 'page.md');
    expect(open.pairs).toEqual([]);
    const many = doc([...lines, ...Array(20_000).fill('loss = f(')], 'page.md');
    expect(many.pairs).toEqual([]);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 60_000);
});

describe('Keras’s epsilon', () => {
  it('is 1e-7 as a clip bound, and unknown once set or called with an argument', () => {
    const body = [
      'import numpy as np',
      'from tensorflow.keras import backend as K',
      'p = np.clip(np.array([1.0, 0.0]), K.epsilon(), 1 - K.epsilon())',
      'y = np.array([1.0, 0.0])',
      'b = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))',
    ];
    const [one] = numbers(body);
    expect(one[1]).toBeCloseTo(1.0000000494736474e-7, 12);
    expect(numbers([...body.slice(0, 2), 'K.set_epsilon(1e-3)', ...body.slice(2)])).toEqual([]);
    const other = body.map((l) => l.replace('K.epsilon()', 'K.epsilon(1)'));
    expect(numbers(other)).toEqual([]);
  });
});
