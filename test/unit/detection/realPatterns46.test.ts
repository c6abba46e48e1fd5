/**
 * Spellings the twenty-eighth unseen set (test files and API pages) showed missing
 * (docs/detection.md 3.102-3.103), in snippets written for this project by
 * test/fixtures/realpatterns46/gen_realpatterns46.py: torch's `.repeat(…)` tiling logits and targets,
 * Objax's sparse cross-entropy given one integer label, a sum of absolute differences asserted
 * against zero, and numpy's print of a vector under a loose `print(…)` in a Markdown page.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns46', 'repeat, Objax integer labels, summed bounds, numpy vectors on pages', {
  least: { snippets: 6, negatives: 5, wrongClaims: 3 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'demo.py' });

describe("torch's repeat", () => {
  it('tiles along every dimension, padding the shape with leading ones', () => {
    const doc = py([
      'import torch',
      'import torch.nn.functional as F',
      'x = torch.tensor([0.5, 1.5]).repeat(3, 2)',
      'loss = F.cross_entropy(x, torch.tensor([3, 0, 1]))',
    ]);
    expect(doc.pairs).toHaveLength(1);
    // Each row is [0.5, 1.5, 0.5, 1.5]: the class-3 logit is 1.5, class 0 and 1 are 0.5 and 1.5.
    const lse = Math.log(2 * Math.exp(0.5) + 2 * Math.exp(1.5));
    expect(doc.pairs[0].loss).toBeCloseTo((3 * lse - 1.5 - 0.5 - 1.5) / 3, 5);
  });

  it("is not numpy's element-wise repeat", () => {
    const doc = py([
      'import numpy as np',
      'import torch.nn.functional as F',
      'import torch',
      'x = torch.tensor(np.array([0.5, 1.5]).repeat(2).reshape(1, 4))',
      'loss = F.cross_entropy(x, torch.tensor([3]))',
    ]);
    expect(doc.pairs.filter((p) => p.loss !== null)).toEqual([]);
  });
});

describe('a sum of absolute differences asserted against zero', () => {
  it('claims each expected element within the bound, and only against zero', () => {
    const lines = (zero: string) => [
      'import numpy as np',
      'import torch',
      'import torch.nn.functional as F',
      'e = F.cross_entropy(torch.tensor([[0.0, 1.0], [1.0, 0.0]]), torch.tensor([1, 1]), reduction="none")',
      'want = np.array([0.313262, 1.313262])',
      `assert_sum = self.assertAlmostEqual(np.abs(e.numpy() - want).sum(), ${zero}, delta=1e-5)`,
    ];
    const judged = (doc: ReturnType<typeof py>) =>
      doc.claims.filter((c) => c.status === 'holds' || c.status === 'wrong').map((c) => [c.line, c.status]);
    expect(judged(py(lines('0')))).toEqual([
      [5, 'holds'],
      [5, 'holds'],
    ]);
    expect(judged(py(lines('0.5')))).toEqual([]);
  });
});
