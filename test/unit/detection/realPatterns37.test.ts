/**
 * pytorch-ignite's `Loss` metric (docs/detection.md 3.69, 4.21), in snippets written for this project
 * by test/fixtures/realpatterns37/gen_realpatterns37.py (numbers from torch 1.13, ignite's arithmetic
 * repeated there): each `update((y_pred, y))` is a pair with the wrapped loss's number, and
 * `compute()` is that number only when it is exactly ignite's value (one certain update, float32, a
 * batch whose size is a power of two). Before, `Loss(…)` was an unknown call and no update was a pair.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns37', "pytorch-ignite's Loss metric", {
  least: { snippets: 2, negatives: 2, wrongClaims: 2 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 't.py' });
const head = [
  'import torch',
  'import torch.nn as nn',
  'from ignite.metrics import Loss',
  'x = torch.tensor([[1.2, -0.3], [0.0, 0.9]])',
  'y = torch.tensor([0, 1])',
];
// torch 1.13: F.cross_entropy(x, y) = 0.2713 (a batch of two: compute() is exactly this number).
const judged = (lines: string[]) => py([...head, ...lines]).claims.map((c) => [c.line, c.status]);

describe("ignite's compute()", () => {
  it('is judged after one update at the margin', () => {
    expect(judged(['m = Loss(nn.CrossEntropyLoss())', 'm.update((x, y))', 'print(m.compute())  # 0.2813'])).toEqual([
      [8, 'wrong'],
    ]);
  });

  it('is not judged when the update may run again: a loop, a function given the metric, an engine', () => {
    const cases = [
      ['m = Loss(nn.CrossEntropyLoss())', 'for b in loader:', '    m.update((x, y))', 'print(m.compute())  # 0.2813'],
      ['m = Loss(nn.CrossEntropyLoss())', 'm.update((x, y))', 'step(m)', 'print(m.compute())  # 0.2813'],
      [
        'm = Loss(nn.CrossEntropyLoss())',
        'm.attach(engine, "loss")',
        'm.update((x, y))',
        'print(m.compute())  # 0.2813',
      ],
      ['m = Loss(nn.CrossEntropyLoss())', 'k = m', 'm.update((x, y))', 'print(m.compute())  # 0.2813'],
    ];
    for (const lines of cases)
      expect(
        judged(lines).filter(([, s]) => s === 'wrong'),
        lines.join(' / '),
      ).toEqual([]);
  });

  it('gives no number when ignite would not return the loss exactly or raises', () => {
    const three = py([
      ...head,
      'z = torch.tensor([[1.2, -0.3], [0.0, 0.9], [0.5, 0.5]])',
      'm = Loss(nn.CrossEntropyLoss())',
      'm.update((z, torch.tensor([0, 1, 1])))',
      'print(m.compute())  # 0.1',
    ]);
    expect(three.pairs).toHaveLength(1);
    expect(three.claims.filter((c) => c.status === 'wrong')).toEqual([]);
    const none = py([...head, "m = Loss(nn.CrossEntropyLoss(reduction='none'))", 'm.update((x, y))']);
    expect(none.pairs[0].loss).toBeNull();
    expect(none.pairs[0].unverified).toMatch(/ValueError/);
  });

  it('is no pair when the metric is called like a loss, or wraps a loss that is not modelled', () => {
    expect(py([...head, 'm = Loss(nn.CrossEntropyLoss())', 'v = m(x, y)']).pairs).toEqual([]);
    expect(py([...head, 'm = Loss(nn.MSELoss())', 'm.update((x, y))']).pairs).toEqual([]);
  });
});
