/**
 * TensorFlow 1.x graphs fed through placeholders, `tensorflow.compat.v1`, TF's function spellings of
 * the operators, and prints in a `with` body, from the twenty-sixth unseen set (docs/detection.md
 * 3.94-3.96), in snippets written for this project by
 * test/fixtures/realpatterns44/gen_realpatterns44.py. Before, none of these losses was a pair: a
 * placeholder held no number, every `tf.` name under compat.v1 was unknown, and a run with a
 * `feed_dict` was not read as a run.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns44', 'TF 1 placeholders fed by name, tensorflow.compat.v1', {
  least: { snippets: 3, negatives: 5, wrongClaims: 1 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'demo.py' });
const numbered = (doc: ReturnType<typeof py>) =>
  doc.pairs.filter((p) => p.loss !== null || (p.losses?.length ?? 0) > 0);

describe('a run whose feed_dict gives other numbers', () => {
  it('is not read as the run of the graph as written (a constant fed over)', () => {
    const doc = py([
      'import tensorflow as tf',
      'z = tf.constant([[0.5, 1.5], [2.0, 0.25]])',
      'other = [[3.0, -1.0], [0.0, 0.0]]',
      'y = [[0.0, 1.0], [1.0, 0.0]]',
      'loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z))',
      'with tf.Session() as sess:',
      '    print(sess.run(loss, feed_dict={z: other}))  # 0.1234',
    ]);
    expect(doc.claims.filter((c) => c.status === 'holds' || c.status === 'wrong')).toEqual([]);
  });

  it('keeps a placeholder unknown when a feed holds a literal rather than a name', () => {
    const doc = py([
      'import tensorflow as tf',
      'y = [[0.0, 1.0], [1.0, 0.0]]',
      'p = tf.placeholder(tf.float32)',
      'loss = -tf.reduce_sum(y * tf.log(p), 1)',
      'with tf.Session() as sess:',
      '    print(sess.run(loss, feed_dict={p: [[0.3, 0.7], [0.6, 0.4]]}))',
    ]);
    expect(numbered(doc)).toEqual([]);
  });
});

describe('a placeholder fed another way as well', () => {
  it('stays unknown when a run also feeds it by a positional dict', () => {
    const doc = py([
      'import tensorflow as tf',
      'y = [[0.0, 1.0], [1.0, 0.0]]',
      'a = [[0.3, 0.7], [0.6, 0.4]]',
      'b = [[0.9, 0.1], [0.2, 0.8]]',
      'p = tf.placeholder(tf.float32)',
      'loss = -tf.reduce_sum(y * tf.log(p), 1)',
      'with tf.Session() as sess:',
      '    print(sess.run(loss, feed_dict={p: a}))',
      '    print(sess.run(loss, {p: b}))',
    ]);
    expect(numbered(doc)).toEqual([]);
  });
});

describe('tensorflow.compat.v1', () => {
  it('keeps names TF 2 does not share unknown (a v1 metric is no Keras metric)', () => {
    const doc = py([
      'import tensorflow.compat.v1 as tf',
      'y = tf.constant([[0.0, 1.0], [1.0, 0.0]])',
      'p = tf.constant([[0.3, 0.7], [0.6, 0.4]])',
      'm = tf.metrics.categorical_crossentropy(y, p)',
    ]);
    expect(numbered(doc)).toEqual([]);
  });
});

describe('prints in the body of a with statement', () => {
  const notebook = (cell: string[], outputs: string[]) =>
    analyzeText(
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [
          {
            cell_type: 'code',
            execution_count: 1,
            metadata: {},
            source: cell.map((l) => l + '\n'),
            outputs: [{ output_type: 'stream', name: 'stdout', text: outputs.map((l) => l + '\n') }],
          },
        ],
      }),
      { fileName: 'demo.ipynb' },
    );
  const head = [
    'import tensorflow as tf',
    'z = tf.constant([[2.0, 0.5, -1.0]])',
    'a = tf.nn.softmax_cross_entropy_with_logits(labels=[[1.0, 0.0, 0.0]], logits=z)',
    'b = tf.nn.softmax_cross_entropy_with_logits(labels=[[0.0, 1.0, 0.0]], logits=z)',
  ];
  const e = [2.0, 0.5, -1.0].map(Math.exp);
  const sum = e[0] + e[1] + e[2];
  const la = -Math.log(e[0] / sum);
  const lb = -Math.log(e[1] / sum);

  it('bind the stored output lines in order, as top-level prints do', () => {
    const doc = notebook(
      [
        ...head,
        'with tf.Session() as sess:',
        '    print(sess.run(tf.reduce_mean(a)))',
        '    print(sess.run(tf.reduce_mean(b)))',
      ],
      [la.toFixed(7), (lb + 0.01).toFixed(7)],
    );
    const judged = doc.claims.map((c) => [c.line, c.status]);
    expect(judged).toEqual([
      [6, 'holds'],
      [7, 'wrong'],
    ]);
  });

  it('but not in a loop body, whose prints repeat', () => {
    const doc = notebook(
      [
        ...head,
        'for k in range(1):',
        '    print(sess.run(tf.reduce_mean(a)))',
        '    print(sess.run(tf.reduce_mean(b)))',
      ],
      [la.toFixed(7), lb.toFixed(7)],
    );
    expect(doc.claims.filter((c) => c.status === 'holds' || c.status === 'wrong')).toEqual([]);
  });
});
