/**
 * Shapes the thirty-sixth unseen set (articles, answers and notebooks on the options of cross-entropy)
 * showed (docs/detection.md 3.169-3.171), in snippets written for this project by
 * test/fixtures/realpatterns66/gen_realpatterns66.py: a bare `Variable(...)` of pages copied without
 * imports, a loss class whose `forward` returns its cross-entropy combined with other values, and
 * scikit-learn's float32 log loss printed in full.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns66', 'bare Variable, combined forward returns, sklearn float32 long prints', {
  least: { snippets: 7, negatives: 1, wrongClaims: 2 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'demo.py' });
const cls = (ret: string) => [
  'import torch',
  'import torch.nn as nn',
  'import torch.nn.functional as F',
  'class L(nn.Module):',
  '    def forward(self, z, t):',
  '        ce = F.cross_entropy(z, t)',
  `        return ${ret}`,
  'crit = L()',
  'out = crit(torch.tensor([[0.3, 1.3]]), torch.tensor([1]))',
];

describe("a loss class's forward", () => {
  const ce = Math.log(1 + Math.exp(-1));
  it('keeps the number when it returns the loss, alone or beside other outputs', () => {
    for (const ret of ['ce', 'ce.mean()', '(ce, z)', "{'loss': ce}"]) {
      const doc = py(cls(ret));
      expect(
        doc.pairs.map((p) => p.loss),
        ret,
      ).toEqual([expect.closeTo(ce, 6)]);
    }
  });

  it('gives no number when it returns the loss combined with other values', () => {
    for (const ret of ['2 * ce', 'ce + z.sum()', 'ce * torch.exp(-ce)']) {
      const doc = py(cls(ret));
      expect(doc.pairs, ret).toHaveLength(1);
      expect(doc.pairs[0].loss, ret).toBeNull();
      expect(doc.pairs[0].unverified, ret).toMatch(/returns its loss combined with other values/);
    }
  });
});
