/**
 * Book code as readers' pages keep it (docs/detection.md 3.335-3.337): a page's own loss function whose
 * body has blank lines (a loss class among them), on a notebook rendered as text and on a plain page, and `np.sum` of per-element
 * losses, in snippets written for this project by test/fixtures/realpatterns93/gen_realpatterns93.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns93', 'book code: blank lines in a page function, np.sum of losses', {
  least: { snippets: 12, negatives: 3, wrongClaims: 5 },
  exhaustive: true,
});

const md = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'page.md' });
const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'check.py' });
const losses = (doc: ReturnType<typeof md>) => doc.pairs.map((p) => [p.call?.line, p.loss]);

const body = ['', '    tiny = 1e-7', '', '    return -np.sum(t * np.log(y + tiny))', ''];
const cells = (header: string) => [
  'In [1]:',
  'import numpy as np',
  't = np.array([0, 1])',
  'y = np.array([0.25, 0.75])',
  '',
  'In [2]:',
  header,
  ...body,
  'In [3]:',
  'score(y, t)',
];

describe('a page function whose body has blank lines', () => {
  it('reads the indented lines under a def as its body, whatever the spacing before its colon', () => {
    for (const header of ['def score(y, t):', 'def score(y, t) :', 'def score(y, t) -> float:  # the book']) {
      const doc = md(cells(header));
      expect(losses(doc), header).toHaveLength(1);
      expect(doc.pairs[0].loss).toBeCloseTo(-Math.log(0.75 + 1e-7), 12);
    }
  });

  it('keeps an indented block under prose that ends in a colon a block of its own', () => {
    for (const prose of ['for the rows below, the loss is:', 'if you want the mean:', 'with these numbers:']) {
      const doc = md([
        prose,
        '',
        '    import torch',
        '    import torch.nn.functional as F',
        '    loss = F.cross_entropy(torch.tensor([[0.0, 1.0]]), torch.tensor([1]))',
      ]);
      expect(losses(doc), prose).toHaveLength(1);
    }
  });

  it('reads an np.sum of a number or of a scalar loss as that loss, and of random losses as nothing', () => {
    const head = ['import numpy as np', 'import torch', 'import torch.nn.functional as F'];
    const scalar = py([
      ...head,
      'z = torch.tensor([[0.0, 1.0]])',
      'l = F.cross_entropy(z, torch.tensor([1]))',
      'np.sum(l)',
    ]);
    expect(scalar.pairs).toHaveLength(1);
    const random = py([
      ...head,
      "v = F.cross_entropy(torch.randn(3, 2), torch.tensor([0, 1, 1]), reduction='none')",
      'total = np.sum(v.numpy())  # 2.1',
    ]);
    expect(random.pairs.filter((p) => p.loss !== null)).toEqual([]);
    expect(random.claims.filter((c) => c.status === 'holds' || c.status === 'wrong')).toEqual([]);
  });

  it('reads header-like lines and many page functions in bounded time (hang guard)', () => {
    const start = Date.now();
    const long = md(['def f(' + '):->'.repeat(50_000) + ':', '', '    x = 1']);
    expect(long.pairs).toEqual([]);
    const loops = md(['for a in (' + '[('.repeat(100_000) + ':', '', '    y = 2']);
    expect(loops.pairs).toEqual([]);
    const many = md(['In [1]:', ...Array.from({ length: 20_000 }, (_, k) => `def f${k}(y) :\n\n    return y\n`)]);
    expect(many.pairs).toEqual([]);
    expect(Date.now() - start).toBeLessThan(30_000);
  }, 60_000);
});
