/**
 * PaddlePaddle's cross-entropies (docs/detection.md 3.22), written for this project by
 * test/fixtures/realpatterns10/gen_realpatterns10.py with torch's own functions (paddle's losses
 * are torch's): CrossEntropyLoss with class weights and labels of shape (N, 1), the functional
 * forms with reductions and float64 tensors (the dtype passed second), NLLLoss after a
 * LogSoftmax(axis=1) layer, ignore_index, BCELoss and BCEWithLogitsLoss with pos_weight. Soft
 * labels and inputs of more than two dimensions (where paddle's class axis is not torch's) give no
 * number; the negative computes its loss on random tensors.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns10', 'PaddlePaddle cross-entropies on generated fixtures', {
  least: { snippets: 3, negatives: 1, wrongClaims: 1 },
  exhaustive: true,
});

describe('paddle options torch has no meaning for', () => {
  const lines = (...body: string[]) =>
    [
      'import paddle',
      'x = paddle.to_tensor([[0.5, 1.5], [2.0, -1.0]])',
      'y = paddle.to_tensor([1, 0])',
      ...body,
      '',
    ].join('\n');

  it('leaves a module built with use_softmax=False without a number', () => {
    const doc = analyzeText(lines('f = paddle.nn.CrossEntropyLoss(use_softmax=False)', 'l = f(x, y)'), {
      fileName: 'a.py',
    });
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].loss).toBeNull();
    expect(doc.pairs[0].unverified).toContain('use_softmax');
  });

  it('computes when the option is given at its default', () => {
    const doc = analyzeText(lines('l = paddle.nn.functional.cross_entropy(x, y, soft_label=False, axis=-1)'), {
      fileName: 'b.py',
    });
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].loss).not.toBeNull();
  });
});
