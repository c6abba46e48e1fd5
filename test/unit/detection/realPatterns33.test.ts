/**
 * mxnet's softmax cross-entropies (docs/detection.md 3.49, 4.19), Python 2's `print x` in loop and
 * function bodies (3.50) and numpy integer scalars as the elements of a target list (3.51), in snippets
 * written for this project by test/fixtures/realpatterns33/gen_realpatterns33.py (numbers from torch
 * 1.13). Before, neither `mx.nd.softmax_cross_entropy` (the sum over the batch) nor gluon's
 * `SoftmaxCrossEntropyLoss` (one loss per row) was in the catalogue, a body's `print F.cross_entropy(…)`
 * was never evaluated, and `torch.tensor([np.int32(0), …])` gave no pair: none had a pair at all.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns33', 'mxnet, Python 2 print in bodies, numpy int scalars', {
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

describe('numpy integer scalars in a target list', () => {
  const lines = (target: string) => [
    'import numpy as np',
    'import torch',
    'import torch.nn.functional as F',
    'x = torch.tensor([[0.5, 1.0, -1.0], [2.0, 0.0, 1.0]])',
    `l = F.cross_entropy(x, ${target})`,
  ];

  it("takes the list's type as torch does: the widest, int64 beside a Python int or np.int64", () => {
    const cases: [string, string | null][] = [
      ['torch.tensor([np.int32(0), np.int32(2)])', 'Int'],
      ['torch.tensor([np.int16(1), np.int8(0)])', 'Short'],
      ['torch.tensor([np.byte(1), np.byte(0)])', 'Char'],
      ['torch.from_numpy(np.array([np.intc(1), np.intc(1)]))', 'Int'],
      ['torch.tensor([np.int32(0), 2])', null],
      ['torch.tensor([np.int64(0), np.int32(2)])', null],
    ];
    for (const [target, found] of cases) {
      const pair = py(lines(target)).pairs[0];
      expect(pair, target).toBeDefined();
      if (found) expect(pair.error?.message, target).toBe(`expected scalar type Long but found ${found}`);
      else expect(pair.loss, target).toBeCloseTo(1.2312814, 6);
    }
  });

  it('reads no list from arithmetic on the scalars, nor from a value a type does not hold', () => {
    for (const target of ['torch.tensor([np.int32(0) * np.int32(1), np.int32(2)])', 'torch.tensor([np.int8(300), 0])'])
      expect(py(lines(target)).pairs, target).toHaveLength(0);
  });
});

describe('lambdas of several parameters', () => {
  const head = ['import torch', 'import torch.nn.functional as F', 'x = torch.tensor([[0.5, 1.0, -1.0]])'];
  const value = (line: string) => py([...head, line]).pairs[0]?.loss ?? null;
  const ce2 = 2.5549569; // F.cross_entropy(x, tensor([2])) in torch 1.13

  it('follows a lambda named, handed to a helper, or kept in a dict, its parameters not split at their commas', () => {
    expect(value('f = lambda a, b: F.cross_entropy(a, b); l = f(x, torch.tensor([2]))')).toBeCloseTo(ce2, 5);
    const named = py([...head, 'f = lambda a, b: F.cross_entropy(a, b)', 'l = f(x, torch.tensor([2]))']).pairs[0];
    expect(named.loss).toBeCloseTo(ce2, 5);
    const run = py([
      ...head,
      'def run(fn, a, b):',
      '    return fn(a, b)',
      'l = run(lambda p, q: F.cross_entropy(p, q), x, torch.tensor([2]))',
    ]).pairs[0];
    expect(run?.loss).toBeCloseTo(ce2, 5);
    const kept = py([
      ...head,
      "fns = {'ce': lambda p, q, w=None: F.cross_entropy(p, q, weight=w)}",
      "l = fns['ce'](x, torch.tensor([2]))",
    ]).pairs[0];
    expect(kept?.loss).toBeCloseTo(ce2, 5);
  });

  it('leaves star parameters and a tuple after the lambda as they were', () => {
    expect(
      py([...head, 'f = lambda *a: F.cross_entropy(*a)', 'l = f(x, torch.tensor([2]))']).pairs.filter(
        (p) => p.loss !== null,
      ),
    ).toHaveLength(0);
    const pair = py([...head, 'f, k = lambda a, b: F.cross_entropy(a, b), 3', 'l = f(x, torch.tensor([2]))']).pairs[0];
    expect(pair?.loss).toBeCloseTo(ce2, 5);
  });
});
