/**
 * Pages that write one computation once per framework in tabs (docs/detection.md 3.127, 4.36), in
 * snippets written for this project by test/fixtures/realpatterns53/gen_realpatterns53.py: d2l's
 * `#@tab` blocks read one program per framework, its `d2l.` aliases read as the tab's framework.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns53', "d2l's framework tabs and aliases", {
  least: { snippets: 7, negatives: 5, wrongClaims: 2 },
  exhaustive: true,
});

const md = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'page.md' });
const block = (tab: string | null, ...code: string[]) => [
  '```{.python .input}',
  ...(tab === null ? [] : [`#@tab ${tab}`]),
  ...code,
  '```',
  '',
];

describe('framework tabs', () => {
  const withTabs = (second: string) => [
    ...block('pytorch', 'import torch', 'x = torch.tensor([[0.5, 1.5, -1.0]])', 'y = torch.tensor([1])'),
    ...block(second, 'x = torch.tensor([[3.0, 0.0, 0.0]])'),
    ...block('pytorch', 'import torch.nn.functional as F', 'loss = F.cross_entropy(x, y)'),
  ];
  const rowLoss = (row: number[], k: number) => Math.log(row.reduce((s, v) => s + Math.exp(v), 0)) - row[k];

  it("keeps another tab's values from a tab's call", () => {
    const doc = md(withTabs('tensorflow'));
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].loss).toBeCloseTo(rowLoss([0.5, 1.5, -1.0], 1), 5);
  });

  it('reads the page as one program when a tab names an unknown framework', () => {
    const doc = md(withTabs('chainer'));
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].loss).toBeCloseTo(rowLoss([3, 0, 0], 1), 5);
  });

  it('gives a call of a block every tab shares one pair', () => {
    const doc = md([
      ...block('pytorch', 'import torch', 'x = torch.tensor([[0.5, 1.5, -1.0]])'),
      ...block('tensorflow', 'import torch', 'x = torch.tensor([[0.5, 1.5, -1.0]])'),
      ...block('all', 'import torch.nn.functional as F', 'loss = F.cross_entropy(x, torch.tensor([2]))'),
    ]);
    expect(doc.pairs.map((p) => p.call?.line)).toEqual([16]);
    expect(doc.pairs[0].loss).toBeCloseTo(rowLoss([0.5, 1.5, -1.0], 2), 5);
  });

  it("keeps the first tab's pair when the tabs' numbers differ at a shared call", () => {
    const doc = md([
      ...block('pytorch', 'import torch', 'x = torch.tensor([[0.5, 1.5, -1.0]])'),
      ...block('tensorflow', 'import torch', 'x = torch.tensor([[2.0, 0.0, 1.0]])'),
      ...block('all', 'import torch.nn.functional as F', 'loss = F.cross_entropy(x, torch.tensor([2]))'),
    ]);
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].loss).toBeCloseTo(rowLoss([0.5, 1.5, -1.0], 2), 5);
  });
});

describe("d2l's aliases", () => {
  const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'chapter.py' });
  const code = (module: string) => [
    `from d2l import ${module} as d2l`,
    'y_hat = d2l.tensor([[0.25, 0.5, 0.25]])',
    'y = d2l.tensor([1])',
    'loss = - d2l.log(y_hat[range(len(y_hat)), y])',
  ];

  it("read d2l's torch module as torch", () => {
    const doc = py(code('torch'));
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].losses?.[0]).toBeCloseTo(Math.log(2), 6);
  });

  it("give no number through d2l's MXNet module (mxnet.np is not modelled)", () => {
    const doc = py(code('mxnet'));
    expect(doc.pairs.filter((p) => p.loss !== null || (p.losses?.length ?? 0) > 0)).toEqual([]);
  });
});
