/**
 * tf.nn's softmax cross-entropies with positional operands mean different things by TensorFlow
 * version: TF 2 reads (labels, logits), TF 1 raises (only labels= and logits= by keyword), TF 0.x
 * read (logits, labels). In a TF 1 program (a session, placeholders) the order cannot be told, so
 * such a call gets no number; with keywords, or in TF 2 code, it does.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';

const operands = [
  'import tensorflow as tf',
  'scores = tf.constant([[2.0, -1.0], [0.5, 1.5]])',
  'onehot = tf.constant([[0.0, 1.0], [1.0, 0.0]])',
];

function pairsOf(lines: string[]) {
  return analyzeText(lines.join('\n') + '\n', { fileName: 'era.py' }).pairs;
}

describe('tf.nn softmax cross-entropy: positional operands and the TensorFlow version', () => {
  for (const [what, session] of [
    ['tf.Session', ['with tf.Session() as sess:', '    print(sess.run(r))']],
    ['tf.placeholder', ['x = tf.placeholder(tf.float32, [None, 2])']],
    ['sess.run of an InteractiveSession', ['sess = tf.InteractiveSession()', 'print(sess.run(r))']],
  ] as const) {
    it(`in TF 1 code (${what}), positional operands get no number and say why`, () => {
      const pairs = pairsOf([...operands, 'r = tf.nn.softmax_cross_entropy_with_logits(scores, onehot)', ...session]);
      expect(pairs).toHaveLength(1);
      expect(pairs[0].loss).toBeNull();
      expect(pairs[0].unverified).toMatch(/positional in TensorFlow 1 code/);
      expect(pairs[0].unverified).toMatch(/TF 0\.x read them as \(logits, labels\)/);
    });
  }

  it('the sparse form too', () => {
    const pairs = pairsOf([
      ...operands,
      'r = tf.nn.sparse_softmax_cross_entropy_with_logits(scores, [1, 0])',
      'with tf.Session() as sess:',
      '    print(sess.run(r))',
    ]);
    expect(pairs).toHaveLength(1);
    expect(pairs[0].loss).toBeNull();
    expect(pairs[0].unverified).toMatch(/positional in TensorFlow 1 code/);
  });

  it('in TF 1 code with keywords, and in TF 2 code positionally, the number is (labels, logits)’s', () => {
    const keyword = pairsOf([
      ...operands,
      'r = tf.nn.softmax_cross_entropy_with_logits(labels=onehot, logits=scores)',
      'with tf.Session() as sess:',
      '    print(sess.run(r))',
    ]);
    const eager = pairsOf([...operands, 'r = tf.nn.softmax_cross_entropy_with_logits(onehot, scores)', 'print(r)']);
    const reversed = pairsOf([...operands, 'r = tf.nn.softmax_cross_entropy_with_logits(scores, onehot)', 'print(r)']);
    for (const p of [keyword[0], eager[0], reversed[0]]) expect(p.unverified).toBeUndefined();
    expect(keyword[0].losses).not.toBeNull();
    expect(eager[0].losses).toEqual(keyword[0].losses);
    // TF 2 reads the first operand as the labels: swapping them changes the number.
    expect(reversed[0].losses).not.toEqual(keyword[0].losses);
  });

  it('a TF 1 mark inside another notebook cell still counts', () => {
    const cell = (src: string[]) => ({
      cell_type: 'code',
      metadata: {},
      outputs: [],
      source: src.map((l) => l + '\n'),
    });
    const nb = {
      cells: [
        cell([...operands, 'r = tf.nn.softmax_cross_entropy_with_logits(scores, onehot)']),
        cell(['sess = tf.Session()', 'print(sess.run(r))']),
      ],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    };
    const pairs = analyzeText(JSON.stringify(nb), { fileName: 'era.ipynb' }).pairs;
    expect(pairs).toHaveLength(1);
    expect(pairs[0].loss).toBeNull();
    expect(pairs[0].unverified).toMatch(/positional in TensorFlow 1 code/);
  });
});
