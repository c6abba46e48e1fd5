/**
 * Masked reductions of per-token losses (docs/detection.md 3.350): `losses[mask].mean()`,
 * `(losses * mask).sum() / mask.sum()`, `torch.masked_select`, `masked_fill` of the complement, in
 * snippets written for this project by test/fixtures/realpatterns96/gen_realpatterns96.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns96', 'masked reductions of per-token losses', {
  least: { snippets: 8, negatives: 2, wrongClaims: 2 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'check.py' });
const head = [
  'import torch',
  'import torch.nn.functional as F',
  'z = torch.tensor([[2.0, 0.5, -1.0], [0.1, 1.2, 0.3], [1.5, -0.4, 0.2], [0.3, 0.3, 2.2]])',
  'y = torch.tensor([0, 1, 2, -100])',
  "v = F.cross_entropy(z, y, reduction='none')",
  'm = y != -100',
];
const lossesOn = (lines: string[]) =>
  py([...head, ...lines])
    .pairs.filter((p) => (p.call?.line ?? 0) > head.length)
    .map((p) => [p.call?.line, p.loss, p.unverified ?? null]);

describe('masked reductions', () => {
  it('reduces the kept tokens: index, product over the count, select, fill', () => {
    // torch 1.13: each is tensor(0.8157), 0.8156699538230896 as float32.
    for (const line of [
      'a = v[m].mean()',
      'a = (v * m).sum() / m.sum()',
      'a = (m * v).sum() / m.sum().clamp(min=1)',
      'a = torch.masked_select(v, m).mean()',
      'a = v.masked_fill(~m, 0).sum() / m.sum()',
      'a = torch.mean(v[m])',
    ])
      expect(lossesOn([line])).toEqual([[7, 0.8156699538230896, null]]);
  });

  it('makes no masked pair for a mask it cannot read, and no number for a quotient that is no count', () => {
    expect(lossesOn(['r = torch.rand(4) > 0.5', 'a = v[r].mean()'])).toEqual([]);
    expect(lossesOn(['w = torch.tensor([0.5, 1.0, 1.0, 0.0])', 'a = (v * w).sum() / w.sum()'])).toEqual([]);
    expect(lossesOn(['a = v.masked_fill(~m, 1.0).sum() / m.sum()'])).toEqual([]);
    expect(lossesOn(['a = v.masked_fill(m, 0).sum()'])).toEqual([[7, 0, null]]);
    const quotient = lossesOn(['a = (v * m).sum() / 1.5']);
    expect(quotient).toHaveLength(1);
    expect(quotient[0][1]).toBeNull();
    expect(quotient[0][2]).toContain('not read as a count');
  });

  it('keeps the sum when it is not divided on its own line', () => {
    const pairs = lossesOn(['s = (v * m).sum()', 'a = s / m.sum()']);
    expect(pairs).toEqual([[7, 2.447009801864624, null]]);
  });

  it('reads a long run of masked indexing in linear time', () => {
    const t0 = Date.now();
    const body = 'v[m]'.repeat(50_000);
    py([...head, `a = ${body}`]);
    py([...head, `a = ${'(v * m) * '.repeat(20_000)}1`]);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});

describe('an Ellipsis among the index parts', () => {
  const x = 'x = torch.tensor([[[0.5, 1.2], [2.0, 0.1]], [[0.3, 0.3], [1.0, -1.0]]])';
  const lossOf = (index: string) =>
    py([
      'import torch',
      'import torch.nn.functional as F',
      x,
      'y = torch.tensor([0, 1])',
      `l = F.cross_entropy(${index}, y)`,
    ]).pairs.map((p) => [p.loss, p.unverified ?? null]);

  it('stands for the full slices the other parts leave', () => {
    // torch 1.13: F.cross_entropy(x[..., 0], y) is tensor(1.0523); x[..., 0, :] gives tensor(0.8982).
    expect(lossOf('x[..., 0]')).toEqual([[1.0522997379302979, null]]);
    expect(lossOf('x[..., 0, :]')).toEqual([[0.8981666564941406, null]]);
    expect(lossOf('x[:, ..., 0]')).toEqual([[1.0522997379302979, null]]);
    expect(lossOf('x[...]')).toEqual(lossOf('x'));
  });

  it('is not modelled twice over, or with more parts than axes', () => {
    for (const index of ['x[..., ..., 0]', 'x[..., 0, 0, 0, 0]']) {
      const pairs = lossOf(index);
      expect(pairs.every(([loss]) => loss === null)).toBe(true);
    }
  });

  it('reads a long run of Ellipsis parts in linear time', () => {
    const t0 = Date.now();
    py(['import torch', x, `z = x[${'..., '.repeat(60_000)}0]`]);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});

describe('per-token losses viewed before the mask', () => {
  it('applies a mask of the view’s shape, and none of another', () => {
    const two = ['mm = torch.tensor([[1, 1], [1, 0]])'];
    // torch 1.13: (v.view(2, 2) * mm).sum() / mm.sum() is tensor(0.8157), as v[m].mean() above.
    expect(lossesOn([...two, 'a = (v.view(2, 2) * mm).sum() / mm.sum()'])).toEqual([[8, 0.8156699538230896, null]]);
    expect(lossesOn([...two, 'a = v.reshape(2, -1)[mm.bool()].mean()'])).toEqual([[8, 0.8156699538230896, null]]);
    expect(lossesOn([...two, 'a = v.view_as(mm)[mm == 1].sum()'])).toEqual([[8, 2.447009801864624, null]]);
    expect(lossesOn(['mm = torch.tensor([[1, 1, 1, 0]])', 'a = (v.view(4, 1) * mm).sum() / mm.sum()'])).toEqual([]);
    expect(lossesOn(['a = v.view(2, 2).mean()'])).toEqual([]);
  });
});
