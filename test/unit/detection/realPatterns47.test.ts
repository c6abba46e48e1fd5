/**
 * Spellings the twenty-ninth unseen set (notebooks with stored outputs and the pages rendered from
 * them) showed wrong or missing (docs/detection.md 3.106-3.107), in snippets written for this project
 * by test/fixtures/realpatterns47/gen_realpatterns47.py: losses of half-precision tensors left without
 * a number, a displayed tuple's loss and its multi-line output, a one-hot expansion of written logs in
 * code, torch's loss classes used bare, and a negation written as `-1 * t`.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns47', 'half precision, shown tuples, written one-hot logs, bare loss classes, -1 *', {
  least: { snippets: 7, negatives: 6, wrongClaims: 3 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'demo.py' });

describe('half precision', () => {
  it('leaves a torch loss of float16 tensors without a number, and says why', () => {
    const doc = py([
      'import torch',
      'import torch.nn.functional as F',
      'p = torch.tensor([0.25, 0.75], dtype=torch.half)',
      'loss = F.binary_cross_entropy(p, torch.tensor([0.0, 1.0], dtype=torch.half))',
    ]);
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].loss).toBeNull();
    expect(doc.pairs[0].unverified).toContain('float16');
  });

  it('names the target when only the target is half precision', () => {
    const doc = py([
      'import torch',
      'import torch.nn.functional as F',
      'loss = F.binary_cross_entropy_with_logits(torch.tensor([0.5, -1.0]), torch.tensor([1.0, 0.0]).half())',
    ]);
    expect(doc.pairs[0]?.loss).toBeNull();
    expect(doc.pairs[0]?.unverified).toMatch(/^`the target` is float16/);
  });
});

describe('a negation written as a product', () => {
  it('reads -1 * t on either side as -t, and 2 * t not at all', () => {
    const lines = (factor: string) => [
      'import torch',
      'p = torch.tensor([[0.2, 0.8]])',
      't = torch.tensor([[0.0, 1.0]])',
      `loss = torch.sum(${factor} * t * torch.log(p), dim=1)`,
    ];
    expect(py(lines('-1')).pairs[0]?.losses?.[0]).toBeCloseTo(-Math.log(0.8), 6);
    expect(py(lines('2')).pairs.filter((p) => p.losses || p.loss !== null)).toEqual([]);
  });
});

describe('a one-hot expansion of written logs', () => {
  it('is the term weighted 1, in the order written', () => {
    const doc = py(['import math', 'x = -(0 * math.log(0.1) + 0 * math.log(0.2) + 1 * math.log(0.7))']);
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].loss).toBe(-(0 * Math.log(0.1) + 0 * Math.log(0.2) + 1 * Math.log(0.7)));
  });
});
