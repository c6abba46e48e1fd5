/**
 * Two library families the twenty-eighth and thirtieth unseen sets showed missing (docs/detection.md
 * 3.128-3.129, 4.37), in snippets written for this project by
 * test/fixtures/realpatterns54/gen_realpatterns54.py: classy_vision's SoftTargetCrossEntropyLoss built
 * from a config dict, by the registry or by its constructor, and tinygrad's Tensor loss methods.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns54', 'classy_vision soft-target losses, tinygrad Tensor loss methods', {
  least: { snippets: 6, negatives: 4, wrongClaims: 3 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'demo.py' });

describe("classy_vision's SoftTargetCrossEntropyLoss", () => {
  it('says its rule in torch terms on the pair', () => {
    const doc = py([
      'import torch',
      'from classy_vision.losses import SoftTargetCrossEntropyLoss',
      'crit = SoftTargetCrossEntropyLoss.from_config({"ignore_index": -1})',
      'loss = crit(torch.tensor([[1.0, 2.0, 0.0]]), torch.tensor([[1, -1, 1]]))',
    ]);
    expect(doc.pairs).toHaveLength(1);
    const p = doc.pairs[0];
    expect(p.library).toBe('classy_vision');
    expect(p.mapping).toMatch(/eps \+ its sum/);
    // The -1 entry is 0; the other two each get half: -(log p0 + log p2) / 2.
    const lse = Math.log(Math.exp(1) + Math.exp(2) + 1);
    expect(p.loss).toBeCloseTo((2 * lse - 1 - 0) / 2, 5);
  });

  it('is not built by the registry under another name', () => {
    const doc = py([
      'import torch',
      'from classy_vision.losses import build_loss',
      'crit = build_loss({"name": "soft_target_cross_entropy_v2"})',
      'loss = crit(torch.tensor([[1.0, 2.0, 0.0]]), torch.tensor([[1, 0, 1]]))',
    ]);
    expect(doc.pairs.filter((p) => p.loss !== null)).toEqual([]);
  });
});

describe("tinygrad's Tensor", () => {
  it('is tinygrad only when imported from it, named alone, or called with its own loss methods', () => {
    const page = (first: string) =>
      analyzeText(
        [
          first,
          '',
          '```python',
          't = Tensor([[1.0, 2.0, 0.0]])',
          'print(t.mean().item())',
          'loss = t.softmax()',
          '```',
        ].join('\n') + '\n',
        { fileName: 'page.md' },
      );
    expect(page('tinygrad docs').pairs).toEqual([]);
    const doc = py([
      'from tinygrad import Tensor',
      'x = Tensor([[1, 2, 0]])',
      'loss = x.sparse_categorical_crossentropy(Tensor([1]))',
    ]);
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].loss).toBeCloseTo(Math.log(Math.exp(1) + Math.exp(2) + 1) - 2, 5);
    const unbound = py(['x = Tensor([[1, 2, 0]])', 'loss = x.sparse_categorical_crossentropy(Tensor([1]))']);
    expect(unbound.pairs).toHaveLength(1);
    const other = py(['import torch', 'x = Tensor([[1, 2, 0]])', 'loss = x.mean()']);
    expect(other.pairs).toEqual([]);
  });
});
