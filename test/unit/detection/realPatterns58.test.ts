/**
 * JavaScript element reads the unseen sets fresh16-32 showed missed (docs/detection.md 3.140), in
 * snippets written for this project by test/fixtures/realpatterns58/gen_realpatterns58.py: a
 * cross-entropy written out over single elements (tfjs `t.get(i)`, `dataSync()`, `arraySync()`,
 * mlx-node `toFloat32()` after `Activations.logSoftmax`, and the same sum in torch), and what
 * JavaScript does not compute (operators on whole tensors, `Math.log` of a tensor, an unbound `math`).
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns58', 'JavaScript element reads of tensors, sums written out class by class', {
  least: { snippets: 6, negatives: 2, wrongClaims: 2 },
  exhaustive: true,
});

const js = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'reads.js' });
const numbered = (doc: ReturnType<typeof js>) =>
  doc.pairs.filter((p) => p.loss !== null).map((p) => [p.call?.line, p.recogniser]);

describe('JavaScript reads of a tensor', () => {
  const head = [
    "const tf = require('@tensorflow/tfjs');",
    'const z = tf.tensor2d([[0.5, -1.0, 1.5], [2.0, 0.0, -0.5]]);',
    'const p = tf.softmax(z);',
  ];

  it('reads get(r, c) of a 2-D tensor as the element of that row and class', () => {
    const doc = js([...head, 'const rowLoss = -Math.log(p.get(1, 0));']);
    expect(numbered(doc)).toEqual([[4, 'formula.log_softmax_pick']]);
    // softmax([2, 0, -0.5])[0] in float32, then a double log
    expect(doc.pairs[0].loss).toBeCloseTo(0.19673, 5);
  });

  it('keeps rows apart in dataSync(): flat index 4 is row 1, class 1', () => {
    const doc = js([...head, 'const flat = p.dataSync();', 'const m = (-Math.log(flat[0]) - Math.log(flat[4])) / 2;']);
    expect(numbered(doc)).toEqual([[5, 'formula.log_softmax_pick']]);
    expect(doc.pairs[0].inputShape).toEqual([2, 3]);
    // row 0 picks class 0, row 1 class 1 (not the flat index 4)
    expect(Array.from(doc.pairs[0].request?.target.data ?? [])).toEqual([0, 1]);
  });

  it('gives no number for get() with an index out of range or of the wrong rank', () => {
    expect(numbered(js([...head, 'const a = -Math.log(p.get(2, 0));']))).toEqual([]);
    expect(numbered(js([...head, 'const b = -Math.log(p.get(1));']))).toEqual([]);
  });

  it('does not compute JavaScript operators on whole tensors', () => {
    const doc = js([...head, 'const t = tf.tensor2d([[0, 1, 0], [1, 0, 0]]);', 'const bad = -tf.sum(t * tf.log(p));']);
    expect(numbered(doc)).toEqual([]);
  });

  it('does not compute a Math.log in Python, where Math is not defined', () => {
    const doc = analyzeText(
      ['import torch', 'p = torch.softmax(torch.tensor([0.5, 1.0, -1.0]), 0)', 'v = -Math.log(p[0])'].join('\n') + '\n',
      { fileName: 'reads.py' },
    );
    expect(numbered(doc)).toEqual([]);
  });

  it('does not read the same methods in Python, where they are other things', () => {
    const doc = analyzeText(
      [
        'import torch',
        'x = torch.tensor([0.5, 1.0, -1.0])',
        'p = torch.softmax(x, 0)',
        'v = -torch.log(p.get(0))',
      ].join('\n') + '\n',
      { fileName: 'reads.py' },
    );
    expect(numbered(doc)).toEqual([]);
  });
});
