/**
 * Spellings the thirty-first unseen set (issue threads and question-and-answer pages) showed missing
 * (docs/detection.md 3.114-3.117), in snippets written for this project by
 * test/fixtures/realpatterns49/gen_realpatterns49.py: another library's per-element losses reduced by
 * the code, a tf.keras 2 float64 print of a Keras object's mean, `jnp.inf` in optax logits, a Keras
 * label_smoothing outside [0, 1], a tuple the console echoes, and a diff block read after the change.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns49', 'reduced library vectors, float64 prints, jnp.inf, console tuples, diffs', {
  least: { snippets: 10, negatives: 5, wrongClaims: 3 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'demo.py' });

describe("`.sum(where=…)` of a formula's terms", () => {
  it('is not read as the plain sum (no number rather than the wrong one)', () => {
    const doc = py([
      'import jax',
      'import jax.numpy as jnp',
      'logits = jnp.array([-jnp.inf, 0.5, 1.5])',
      'labels = jnp.array([0.0, 0.4, 0.6])',
      'value = -(labels * jax.nn.log_softmax(logits)).sum(-1, where=labels != 0)',
      'plain = -(labels * jax.nn.log_softmax(logits)).sum(-1)',
    ]);
    const at = (line: number) => doc.pairs.filter((p) => p.call?.line === line);
    expect(at(5).filter((p) => p.loss !== null || (p.losses?.length ?? 0) > 0)).toEqual([]);
    // Without `where=`, the formula is read: 0 · -inf makes it nan, as jax computes it.
    expect(at(6).map((p) => Number.isNaN(p.loss ?? p.losses?.[0]))).toEqual([true]);
  });
});

describe("a torch vector's mean", () => {
  it('keeps torch’s conditions: no pair for `.mean()` of weighted per-element losses', () => {
    const doc = py([
      'import torch',
      'import torch.nn.functional as F',
      'x = torch.tensor([[1.0, 0.0], [0.0, 2.0]])',
      'w = torch.tensor([1.0, 3.0])',
      'rows = F.cross_entropy(x, torch.tensor([0, 1]), weight=w, reduction="none")',
      'm = rows.mean()',
    ]);
    expect(doc.pairs.filter((p) => p.call?.line === 6)).toEqual([]);
  });
});
