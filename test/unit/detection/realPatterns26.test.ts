/**
 * Objax's softmax cross-entropies (soft labels, labels broadcast against the logits, more than two
 * dimensions, class indices), Markdown output blocks under a Chinese or Japanese line saying the code
 * prints them, and commented output under a heading comment after a blank line (docs/detection.md
 * 3.38), in snippets written for this project by
 * test/fixtures/realpatterns26/gen_realpatterns26.py, whose numbers are torch's.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns26', 'Objax losses, printed-output labels, output heading comments', {
  least: { snippets: 10, negatives: 3, wrongClaims: 2 },
  exhaustive: true,
});

const scan = (lines: string[], fileName = 't.py') => analyzeText(lines.join('\n') + '\n', { fileName });
const objax = ['import jax.numpy as jnp', 'import objax'];

describe("Objax's labels", () => {
  it('says why a row of labels that does not sum to 1 gets no number', () => {
    const doc = scan([
      ...objax,
      'x = jnp.array([[1.0, 2.0, 0.5]])',
      'xe = objax.functional.loss.cross_entropy_logits(x, jnp.array([[1.0, 1.0, 0.0]]))',
    ]);
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].loss).toBeNull();
    expect(doc.pairs[0].unverified ?? '').toMatch(/sum to 1/);
  });

  it('takes a row that sums to 1 within float rounding', () => {
    // 0.1 + 0.2 + 0.7 is 0.9999999999999999 in float64.
    const doc = scan([
      ...objax,
      'x = jnp.array([[1.0, 2.0, 0.5]])',
      'xe = objax.functional.loss.cross_entropy_logits(x, jnp.array([[0.1, 0.2, 0.7]]))',
    ]);
    expect(doc.pairs[0].losses?.length).toBe(1);
  });
});

describe('output labels and headings', () => {
  it('reads a Chinese "it prints:" line before the output block, and not the same words without a colon', () => {
    const page = (label: string) =>
      scan(
        [
          '```python',
          'import torch',
          'import torch.nn.functional as F',
          'print(F.cross_entropy(torch.tensor([[0.0, 0.0]]), torch.tensor([0])))',
          '```',
          '',
          label,
          '',
          '```',
          'tensor(0.7000)',
          '```',
        ],
        't.md',
      ).claims.map((c) => c.status);
    expect(page('它打印：')).toEqual(['wrong']);
    expect(page('它打印了下面的张量')).toEqual([]);
  });

  it('takes a heading comment after one blank line, not a comment with a value in it', () => {
    const claims = (heading: string) =>
      scan([
        'import torch',
        'import torch.nn.functional as F',
        'print(F.cross_entropy(torch.tensor([[0.0, 0.0]]), torch.tensor([0])))',
        '',
        heading,
        '# tensor(0.7000)',
      ]).claims.filter((c) => c.status === 'wrong');
    expect(claims('# 输出')).toHaveLength(1);
    expect(claims('# Output 2 of 3')).toHaveLength(0);
  });
});
