import { describe, expect, it } from 'vitest';
import {
  englishL10n,
  escapeMarkdown,
  fmt,
  inlineLabel,
  lensTitle,
  lossHoverMarkdown,
  reductionFormula,
  rowHoverMarkdown,
  shapeText,
  placeText,
  type PairView,
} from '../../../src/editor/format';
import { pytorchSnippet } from '../../../src/core/pytorchSnippet';
import { computeLoss, topKClasses } from '../../../src/core/kernel';
import { formatTorchScalar } from '../../../src/core/format';

// Per-sample losses of the seed batch from the kernel (itself checked against torch in torchFixtures.test.ts).
const seed = computeLoss({
  input: {
    data: Float64Array.from([
      0.8982, 0.805, 0.6393, 0.9983, 0.5731, 0.0469, 0.556, 0.1476, 0.8404, 0.5544, 0.9457, 0.0195, 0.9846, 0.3231,
      0.1605, 0.3143, 0.9508, 0.2762, 0.7276, 0.4332,
    ]),
    shape: [2, 10],
    integral: false,
  },
  target: { data: Float64Array.of(1, 5), shape: [2], integral: true },
  ignoreIndex: -100,
  reduction: 'mean',
  labelSmoothing: 0,
  dtype: 'float32',
  inputKind: 'logits',
});
if (!seed.ok) throw new Error(seed.error.message);

const view: PairView = {
  id: 0,
  logitsName: 'output',
  targetName: 'target',
  shape: [2, 10],
  targetShape: [2],
  dtype: 'float32',
  reduction: 'mean',
  loss: seed.result.loss,
  losses: Array.from(seed.result.losses),
  count: 2,
  numerator: seed.result.numerator,
  denominator: 2,
  labelSmoothing: 0,
  ignoreIndex: -100,
  hasWeight: false,
  inputKind: 'logits',
  targetKind: 'indices',
  error: null,
};

describe('editor formatters', () => {
  it('shows the mean with its numbers, as the issue asks: (2.1438 + 2.5601) / 2 = 2.3519', () => {
    expect(reductionFormula(view, 4, englishL10n)).toBe('mean = (2.1438 + 2.5601) / 2 = 2.3519');
    expect(reductionFormula({ ...view, reduction: 'sum', loss: seed.result.numerator }, 4, englishL10n)).toBe(
      'sum = 2.1438 + 2.5601 = 4.7039',
    );
  });

  it("a reduction='none' hover says it gives per-sample losses, never an empty code line", () => {
    const none = { ...view, reduction: 'none' as const, loss: null };
    expect(reductionFormula(none, 4, englishL10n)).toBe('none: 2 per-sample losses');
    const md = lossHoverMarkdown(none, 4, englishL10n, { inspect: 'command:a', copy: 'command:b' });
    expect(md).toContain('`none: 2 per-sample losses`');
    expect(md).not.toMatch(/(^|[^`])``([^`]|$)/);
  });

  it("a batch without rows: torch's nan, 0 or empty tensor, with the reduction of nothing named", () => {
    // torch 1.13: cross_entropy of a (0, 4) input is tensor(nan) (mean), tensor(0.) (sum), tensor([]) (none).
    const none = { ...view, shape: [0, 4], targetShape: [0], losses: [], count: 0, numerator: 0 };
    const links = { inspect: 'command:a', copy: 'command:b' };
    const mean = { ...none, loss: NaN, denominator: 0 };
    expect(reductionFormula(mean, 4, englishL10n)).toBe('mean = 0 / 0 = nan');
    expect(reductionFormula({ ...none, reduction: 'sum', loss: 0, denominator: 1 }, 4, englishL10n)).toBe(
      'sum = Σ ∅ = 0.0000',
    );
    const vector = { ...none, reduction: 'none' as const, loss: null };
    expect(reductionFormula(vector, 4, englishL10n)).toBe('none: an empty tensor, no per-sample losses');
    const md = lossHoverMarkdown(mean, 4, englishL10n, links);
    expect(md).toMatch(/^\*\*CrossEntropyLoss\*\*: `tensor\(nan\)`/);
    expect(md).toContain('The batch has no rows');
    expect(md).not.toMatch(/\(\s*\)|(^|[^`])``([^`]|$)/);
    expect(lossHoverMarkdown(vector, 4, englishL10n, links)).toContain('`none: an empty tensor, no per-sample losses`');
    expect(lensTitle(mean, 4, englishL10n)).toBe('cross-entropy nan');
    expect(inlineLabel(vector, 4, englishL10n)).toBe('CE = []');
  });

  it('lens title of a per-element result: its number when the result is 0-d, a count when it is a vector', () => {
    // A 1-D input under 'none' (torch's, or a per-element rule like braintools' nll_loss) is one number.
    const zeroD = { ...view, reduction: 'none' as const, loss: 0.6931471824645996, losses: null, count: 1 };
    expect(lensTitle(zeroD, 4, englishL10n)).toBe('cross-entropy 0.6931');
    expect(lensTitle({ ...zeroD, losses: [0.6931471824645996] }, 4, englishL10n)).toBe('cross-entropy 0.6931');
    const rows = { ...view, reduction: 'none' as const, loss: null, losses: [0.5, 1.5], count: 2 };
    expect(lensTitle(rows, 4, englishL10n)).toBe('cross-entropy 2 values');
    expect(inlineLabel(zeroD, 4, englishL10n)).toBe('CE = 0.6931');
    expect(inlineLabel(rows, 4, englishL10n)).toBe('CE = [0.5000, 1.5000]');
  });

  it('inline label and lens title', () => {
    expect(inlineLabel(view, 4, englishL10n)).toBe('CE = 2.3519');
    expect(lensTitle(view, 4, englishL10n)).toBe('cross-entropy 2.3519');
    expect(inlineLabel({ ...view, error: 'Target 10 is out of bounds.' }, 4, englishL10n)).toBe('CE: error');
  });

  it('escapes names from documents so they cannot become markup', () => {
    const md = lossHoverMarkdown({ ...view, logitsName: '<img src=x onerror=alert(1)>' }, 4, englishL10n, {
      inspect: 'command:a',
      copy: 'command:b',
    });
    expect(md).not.toContain('<img');
    expect(md).toContain('&lt;img');
    expect(md).toContain(formatTorchScalar(seed.result.loss, 'float32'));
    expect(escapeMarkdown('a_b*c')).toBe('a\\_b\\*c');
  });

  it('keeps a 50 257-class row to the top k plus the target', () => {
    const probs = new Float64Array(50_257).map((_, i) => 1 / (1 + ((i * 7919) % 50_257)));
    const picked = topKClasses(probs, 42_000, 10);
    expect(picked).toHaveLength(11);
    expect(picked).toContain(42_000);
    expect(picked).toContain(0); // the largest: 1 / 1
    const md = rowHoverMarkdown(
      view,
      {
        row: 0,
        target: 42_000,
        ignored: false,
        C: 50_257,
        loss: 1,
        classes: picked.map((index) => ({
          index,
          logit: 0,
          softmax: probs[index],
          logSoftmax: Math.log(probs[index]),
        })),
      },
      4,
      englishL10n,
      { inspect: 'command:x' },
    );
    expect(md.split('\n').filter((l) => l.startsWith('|')).length).toBeLessThan(30);
    expect(md).toContain('**▶ 42000**');
  });

  it('fmt prints non-finite values the way torch does, with the minus sign of the labels around it', () => {
    expect(fmt(NaN, 4)).toBe('nan');
    expect(fmt(-Infinity, 4)).toBe('\u2212inf');
    expect(fmt(2.14381837, 4)).toBe('2.1438');
    expect(fmt(-1.5, 2)).toBe('\u22121.50');
  });

  it('the PyTorch snippet names the options and the dtype', () => {
    const s = pytorchSnippet(
      { shape: [1, 3], data: [0.5, 1, -2] },
      { shape: [1], data: [2], probabilities: false },
      {
        dtype: 'float64',
        reduction: 'sum',
        weight: [1, 2, 3],
        ignoreIndex: 0,
        labelSmoothing: 0.1,
        inputKind: 'logits',
      },
    );
    // Without names from the code the logits are `logits`: a variable named `input` shadows Python's input().
    expect(s).toContain('logits = torch.tensor([[0.5, 1., -2.]], dtype=torch.float64)');
    expect(s).not.toMatch(/^input\b/m);
    expect(s).toContain('loss = criterion(logits, target)');
    expect(s).toContain('target = torch.tensor([2], dtype=torch.long)');
    expect(s).toContain(
      "nn.CrossEntropyLoss(weight=torch.tensor([1., 2., 3.], dtype=torch.float64), ignore_index=0, reduction='sum', label_smoothing=0.1)",
    );
  });

  it('labels: no 0-based index with a 1-based count, a scalar target named, the divisor of the mean named', () => {
    const row = { row: 1, values: [] as never[], loss: 0, target: 5 } as unknown as Parameters<
      typeof rowHoverMarkdown
    >[1];
    const title = rowHoverMarkdown(view, { ...row, classes: [] } as never, 4, englishL10n, {
      inspect: 'command:x',
    }).split('\n')[0];
    // Markdown-escaped brackets: `output[1]` as rendered.
    expect(title).toContain('output\\[1\\], one of 2 samples');
    expect(title).not.toContain('sample 1 of 2');
    expect(shapeText([])).toBe('(scalar)');
    expect(shapeText([2])).toBe('(2,)');
    // With an ignored target the mean divides by fewer than N: the formula says by what.
    const ignored = { ...view, denominator: 1, numerator: seed.result.losses[0]!, loss: seed.result.losses[0]! };
    expect(reductionFormula(ignored, 4, englishL10n)).toMatch(/^mean = Σ loss \/ \(N − ignored\) = /);
    expect(reductionFormula({ ...view, hasWeight: true, denominator: 1.5 }, 4, englishL10n)).toMatch(
      /^mean = Σ loss \/ Σ w\[target\] = /,
    );
    expect(placeText(2, 3, englishL10n)).toBe('cell 4, line 2');
  });
});

describe('hovers of other libraries', () => {
  it("name the library's entry and its rule instead of CrossEntropyLoss", async () => {
    const { analyzeText } = await import('../../../src/core/analysis');
    const doc = analyzeText(
      [
        'import tensorflow as tf',
        'y_true = [[0, 1, 0], [0, 0, 1]]',
        'y_pred = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]',
        'loss = tf.keras.losses.CategoricalCrossentropy()(y_true, y_pred)',
      ].join('\n'),
      { fileName: 'k.py' },
    );
    const p = doc.pairs[0];
    const library = { entry: p.recogniser ?? '', mapping: p.mapping ?? '' };
    const md = lossHoverMarkdown({ ...view, loss: p.loss, library }, 4, englishL10n, { inspect: 'a', copy: 'b' });
    expect(md).toMatch(/^\*\*keras\\\.losses\\\.CategoricalCrossentropy\*\*: `tensor\(1\.1769\)`/);
    expect(md).toContain("Computed by the library's own rule: Keras divides y\\_pred by its row sum and clips it");
    expect(md).not.toContain('CrossEntropyLoss**');
  });
});
