/**
 * A file's own subclass of a torch loss module and the padding masks of sequence models
 * (docs/detection.md 3.370-3.373): `super().forward` with the options the constructor and `self`
 * give, masks from comparing two arrays, and per-row means over the last axis, in snippets written
 * for this project by test/fixtures/realpatterns100/gen_realpatterns100.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns100', 'torch loss subclasses and length masks', {
  least: { snippets: 10, negatives: 2, wrongClaims: 2 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'check.py' });
const numbered = (lines: string[]) =>
  py(lines)
    .pairs.filter((p) => p.loss !== null || (p.losses?.length ?? 0) > 0)
    .map((p) => [p.call?.line, p.loss ?? p.losses?.map((x) => Number(x.toFixed(4)))]);

const subclass = (base: string, body: string[], call: string) => [
  'import torch',
  'from torch import nn',
  `class Seq(${base}):`,
  '    def forward(self, x, y):',
  ...body.map((l) => `        ${l}`),
  'crit = Seq()',
  call,
];
const call = 'out = crit(torch.tensor([[[2.0, 0.0], [0.0, 1.0]]]), torch.tensor([[0, 1]]))';

describe('a subclass of a torch loss module', () => {
  it('runs the base with the reduction `self` sets before `super().forward`', () => {
    const rows = numbered(
      subclass('nn.CrossEntropyLoss', ["self.reduction = 'none'", 'return super().forward(x, y).mean(dim=1)'], call),
    );
    // x is (batch 1, classes 2, steps 2): per step −log softmax of [2, 0] at 0 and of [0, 1] at 1.
    expect(rows).toEqual([[8, [0.2201]]]);
  });

  it('keeps the base default when `self` sets nothing, and reads `torch.nn.` spelled in full', () => {
    const lines = subclass('torch.nn.CrossEntropyLoss', ['return super().forward(x, y)'], call);
    expect(numbered(lines)).toEqual([[7, expect.closeTo(0.2201, 4)]]);
  });

  it('gives no number for a reduction `self` holds that is not known, nor for `super` with other arguments', () => {
    const unknownReduction = subclass(
      'nn.CrossEntropyLoss',
      ['self.reduction = pick()', 'return super().forward(x, y)'],
      call,
    );
    expect(numbered(unknownReduction)).toEqual([]);
    const odd = subclass('nn.CrossEntropyLoss', ['return super(Seq, x).forward(x, y)'], call);
    expect(numbered(odd)).toEqual([]);
  });

  it('follows nothing for a base that is not a torch loss module', () => {
    const lines = subclass('nn.Linear', ["self.reduction = 'none'", 'return super().forward(x, y)'], call);
    expect(numbered(lines)).toEqual([]);
  });
});

describe('per-row reductions of per-element losses', () => {
  const head = [
    'import torch',
    'import torch.nn.functional as F',
    'v = F.cross_entropy(torch.tensor([[[2.0, 0.0], [0.0, 1.0]], [[1.0, 1.0], [0.5, 0.0]]]), torch.tensor([[0, 1], [1, 0]]), reduction="none")',
  ];
  it('reduces the last axis only, and never reports the whole mean for an axis', () => {
    expect(numbered([...head, 'a = v.mean(dim=-1)'])).toContainEqual([4, [0.2201, 0.6437]]);
    expect(numbered([...head, 'a = v.mean(0)']).filter(([line]) => line === 4)).toEqual([]);
    expect(numbered([...head, 'a = v.mean(dim=1, keepdim=True)'])).toContainEqual([4, [0.2201, 0.6437]]);
    expect(numbered([...head, 'a = v.mean(dim=1, out=o)']).filter(([line]) => line === 4)).toEqual([]);
  });
});

describe('masks from comparing two arrays', () => {
  it('broadcasts, and reads nothing from arrays of other shapes or numbers not whole', () => {
    const head = [
      'import torch',
      'import torch.nn.functional as F',
      'v = F.cross_entropy(torch.tensor([[[2.0, 0.0], [0.0, 1.0]], [[1.0, 1.0], [0.5, 0.0]]]), torch.tensor([[0, 1], [1, 0]]), reduction="none")',
    ];
    const masked = (mask: string) =>
      numbered([...head, `m = ${mask}`, 'r = (v * m).sum() / m.sum()']).filter(([line]) => line === 5);
    expect(masked('torch.arange(2)[None, :] < torch.tensor([2, 1])[:, None]')).toEqual([
      [5, expect.closeTo(0.4714, 4)],
    ]);
    expect(masked('torch.arange(2)[None, :] < torch.tensor([2, 1, 1])[:, None]')).toEqual([]);
    expect(masked('torch.tensor([0.5, 1.5])[None, :] < torch.tensor([2, 1])[:, None]')).toEqual([]);
  });

  it('finishes quickly on a class header with a very long base', () => {
    const text = `import torch\nclass A(nn.${'a.'.repeat(100_000)}CrossEntropyLoss):\n    pass\n`;
    const t0 = Date.now();
    analyzeText(text, { fileName: 'long.py' });
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
