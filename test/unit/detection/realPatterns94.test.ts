/**
 * torch's MultiLabelSoftMarginLoss (docs/detection.md 3.340, 4.90) and a print's own label behind an output
 * word on the print's line (3.341), in snippets written for this project by
 * test/fixtures/realpatterns94/gen_realpatterns94.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { computeLibraryLoss } from '../../../src/core/libraries';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns94', 'multi-label soft margin, labels behind an output word', {
  least: { snippets: 10, negatives: 3, wrongClaims: 4 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'check.py' });

describe("torch's MultiLabelSoftMarginLoss", () => {
  const head = ['import torch', 'import torch.nn.functional as F', 'x = torch.tensor([[0.5, -1.0, 2.0]])'];

  it('is a 0-d input error in torch’s words', () => {
    const out = computeLibraryLoss({
      library: 'torch',
      rule: 'torch_multilabel_soft_margin',
      input: { data: Float64Array.of(0.5), shape: [], integral: false },
      target: { data: Float64Array.of(1), shape: [], integral: false },
      targetKind: 'probabilities',
      fromLogits: true,
      epsilon: 0,
      labelSmoothing: 0,
      smoothing: 'mix_targets',
      weights: null,
      weightRule: 'broadcast',
      reduction: 'mean',
      dtype: 'float32',
    });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error.message).toBe('Dimension specified as -1 but tensor has no dimensions');
  });

  it('gives no number for the deprecated arguments, a float64 target, or a list input', () => {
    const reasons = (call: string) => py([...head, call]).pairs.map((p) => p.unverified);
    expect(reasons('F.multilabel_soft_margin_loss(x, torch.tensor([[1.0, 0.0, 1.0]]), size_average=False)')).toEqual([
      'the deprecated size_average / reduce arguments are not modelled',
    ]);
    expect(reasons('F.multilabel_soft_margin_loss(x, torch.tensor([[1.0, 0.0, 1.0]], dtype=torch.float64))')).toEqual([
      'input and target are not tensors of one float dtype (torch raises)',
    ]);
    expect(reasons('F.multilabel_soft_margin_loss([[0.5, -1.0, 2.0]], torch.tensor([[1.0, 0.0, 1.0]]))')).toHaveLength(
      1,
    );
  });

  it('averages each row over its classes: the sum of two rows is twice their mean', () => {
    const doc = py([
      'import torch',
      'import torch.nn as nn',
      'x = torch.tensor([[0.5, -1.0], [2.0, 0.0]])',
      'y = torch.tensor([[1.0, 0.0], [0.0, 1.0]])',
      'a = nn.MultiLabelSoftMarginLoss()(x, y)',
      "b = nn.MultiLabelSoftMarginLoss(reduction='sum')(x, y)",
    ]);
    const [mean, sum] = doc.pairs.map((p) => p.loss as number);
    expect(sum).toBeCloseTo(2 * mean, 6);
  });
});

describe('a print’s label behind an output word', () => {
  const head = [
    'import torch',
    'import torch.nn.functional as F',
    'v = F.binary_cross_entropy(torch.tensor([0.8]), torch.tensor([1.0]))',
  ];
  const judged = (lines: string[]) => py(lines).claims.map((c) => [c.text, c.status]);

  it('reads the label after `Output:`, `Result ->` and `Out =>`, not after other words', () => {
    const print = 'print(f"BCE for one confident sample: {v.item():.4f}")';
    expect(judged([...head, `${print}  # Output: BCE for one confident sample: 0.2231`])).toEqual([
      ['0.2231', 'holds'],
    ]);
    expect(judged([...head, `${print}  # Result -> BCE for one confident sample: 0.3231`])).toEqual([
      ['0.3231', 'wrong'],
    ]);
    expect(judged([...head, `${print}  # Out => BCE for one confident sample: 0.2231`])).toEqual([['0.2231', 'holds']]);
    expect(judged([...head, `${print}  # Expected: BCE for one confident sample: 0.3231`])).toEqual([]);
    expect(judged([...head, `${print}  # Output: BCE for one sample: 0.3231`])).toEqual([]);
  });

  it('stays linear on a long run of output words', () => {
    const long = '# ' + 'Output: '.repeat(25_000);
    const started = Date.now();
    const doc = py([...head, `print(f"BCE for one confident sample: {v.item():.4f}")  ${long}0.2231`]);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(doc.claims.filter((c) => c.status === 'wrong')).toEqual([]);
  });
});
