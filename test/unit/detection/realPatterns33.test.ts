/**
 * mxnet's softmax cross-entropies (docs/detection.md 3.49, 4.19), in snippets written for this project
 * by test/fixtures/realpatterns33/gen_realpatterns33.py (numbers from torch 1.13). Before, neither
 * `mx.nd.softmax_cross_entropy` (the sum over the batch) nor gluon's `SoftmaxCrossEntropyLoss` (one
 * loss per row) was in the catalogue: a call on literal arrays had no pair at all.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns33', 'mxnet softmax cross-entropies', {
  least: { snippets: 3, negatives: 2, wrongClaims: 2 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 't.py' });
const head = ['import mxnet as mx', 'from mxnet import gluon, nd'];
const x = 'mx.nd.array([[1, 2, 3], [11, 7, 5]])';

describe('mxnet', () => {
  it('sums the operator over the batch (the API page example: 0.4281871)', () => {
    const [pair] = py([...head, `l = mx.nd.softmax_cross_entropy(${x}, mx.nd.array([2, 0]))`]).pairs;
    expect(pair.library).toBe('mxnet');
    expect(pair.loss).toBeCloseTo(0.4281871, 6);
  });

  it('gives gluon one loss per row, with float labels read as class indices', () => {
    const [pair] = py([...head, `l = gluon.loss.SoftmaxCrossEntropyLoss()(${x}, nd.array([2, 0]))`]).pairs;
    expect(pair.losses).toHaveLength(2);
    expect(pair.losses?.[0]).toBeCloseTo(-Math.log(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3))), 5);
  });

  it('says why there is no number where mxnet computes otherwise', () => {
    const cases: [string, RegExp][] = [
      [`gluon.loss.SoftmaxCrossEntropyLoss()(${x}, nd.array([2, -1]))`, /pick clips/],
      [`gluon.loss.SoftmaxCrossEntropyLoss(weight=2.0)(${x}, nd.array([2, 0]))`, /weight/],
      [`gluon.loss.SoftmaxCrossEntropyLoss(axis=0)(${x}, nd.array([2, 0]))`, /axis=0/],
      [
        `gluon.loss.SoftmaxCrossEntropyLoss()(${x}, nd.array([2, 0]), sample_weight=nd.array([[1], [2]]))`,
        /sample_weight/,
      ],
      [
        `mx.nd.softmax_cross_entropy(mx.nd.array([[1, 2, 3], [11, 7, 5]], dtype='float16'), nd.array([2, 0]))`,
        /float16/,
      ],
      [`mx.nd.softmax_cross_entropy(mx.nd.array([1, 2, 3]), nd.array([2]))`, /2-D data/],
    ];
    for (const [call, why] of cases) {
      const pair = py([...head, `l = ${call}`]).pairs[0];
      expect(pair, call).toBeDefined();
      expect(pair.loss, call).toBeNull();
      expect(pair.losses ?? null, call).toBeNull();
      expect(pair.unverified, call).toMatch(why);
    }
  });
});
