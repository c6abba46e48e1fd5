/**
 * Forms from the twenty-fifth unseen set (docs/detection.md 3.90-3.93), in snippets written for this
 * project by test/fixtures/realpatterns43/gen_realpatterns43.py: fractions cast to int64 class
 * indices (truncated toward zero), float ranges and fills, matrix products as logits, logits masked
 * with `masked_fill` and a True/False mask, and a log-softmax written by hand with `logsumexp` in
 * one-line `def`s. Before, a fraction cast to int64 gave NaN (a wrong number), `torch.arange(6.0)`
 * was read as int64 (a wrong error), and the products, masks and one-line defs gave no number.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns43', 'casts, float ranges, matrix products, masks and one-line defs', {
  least: { snippets: 5, negatives: 6, wrongClaims: 0 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'demo.py' });
const numbered = (doc: ReturnType<typeof py>) => doc.pairs.filter((p) => p.loss !== null);

describe('an integer cast of fractions', () => {
  it('truncates toward zero for numpy too (np.array(..., dtype=int) then torch.from_numpy)', () => {
    const doc = py([
      'import numpy as np',
      'import torch',
      'import torch.nn.functional as F',
      'z = torch.tensor([[0.1, 2.0, 0.3], [1.5, 0.2, 0.4]])',
      'y = torch.from_numpy(np.array([1.9, -0.9], dtype=int))',
      'print(F.cross_entropy(z, y))',
    ]);
    const e0 = [0.1, 2.0, 0.3].map((v) => Math.exp(v));
    const e1 = [1.5, 0.2, 0.4].map((v) => Math.exp(v));
    const truth = (-Math.log(e0[1] / (e0[0] + e0[1] + e0[2])) - Math.log(e1[0] / (e1[0] + e1[1] + e1[2]))) / 2;
    expect(numbered(doc)).toHaveLength(1);
    expect(doc.pairs[0].loss).toBeCloseTo(truth, 6);
  });
});

describe('a matrix product', () => {
  it('is not invented for a batch of matrices (3-D)', () => {
    const doc = py([
      'import torch',
      'import torch.nn.functional as F',
      'a = torch.tensor([[[1.0, 0.0], [0.0, 1.0]]])',
      'b = torch.tensor([[[0.5, 2.0], [1.0, -1.0]]])',
      'print(F.cross_entropy((a @ b)[0], torch.tensor([0, 1])))',
    ]);
    expect(numbered(doc)).toEqual([]);
  });
});
