/**
 * braintools' classification losses (docs/detection.md 3.67, 4.20), in snippets written for this
 * project by test/fixtures/realpatterns35/gen_realpatterns35.py (numbers from torch 1.13 in float32).
 * braintools copies optax's softmax cross-entropies and adds `nll_loss`, one loss per row; before,
 * none of `braintools.metric.*` was in the catalogue, and `jnp.log` of an array had no value.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns35', 'braintools', {
  least: { snippets: 2, negatives: 2, wrongClaims: 1 },
  exhaustive: true,
});

const py = (lines: string[]) =>
  analyzeText(['import jax', 'import jax.numpy as jnp', 'import braintools', ...lines].join('\n') + '\n', {
    fileName: 't.py',
  });

describe('braintools', () => {
  it("names braintools and optax's rule on its softmax cross-entropy", () => {
    const [pair] = py([
      'l = braintools.metric.softmax_cross_entropy(jnp.array([[2.0, 0.0]]), jnp.array([[1.0, 0.0]]))',
    ]).pairs;
    expect(pair.library).toBe('braintools');
    expect(pair.losses?.[0]).toBeCloseTo(Math.log(1 + Math.exp(-2)), 6);
  });

  it('reads nll_loss as one loss per row, a Python integer as the target of a 1-D row', () => {
    const [row] = py(['l = braintools.metric.nll_loss(jnp.array([-0.5, -1.5, -2.0]), 2)']).pairs;
    expect(row.loss).toBeCloseTo(2, 6);
    const [rows] = py([
      'l = braintools.metric.nll_loss(jnp.array([[-0.5, -1.5], [-0.25, -3.0]]), jnp.array([1, 0]))',
    ]).pairs;
    expect(rows.losses).toEqual([1.5, 0.25]);
  });

  it('takes the log of a jnp array in float32', () => {
    const [pair] = py(['l = braintools.metric.nll_loss(jnp.log(jnp.array([0.1, 0.7, 0.2])), 1)']).pairs;
    expect(pair.loss).toBeCloseTo(-Math.log(0.7), 6);
    expect(pair.loss).not.toBe(-Math.log(0.7));
  });

  it('gives no number where braintools raises or the rule is not modelled', () => {
    const cases: [string, RegExp][] = [
      [
        'braintools.metric.softmax_cross_entropy_with_integer_labels(jnp.array([[1.0, 2.0]]), jnp.array([1.0]))',
        /integer labels/,
      ],
      ['braintools.metric.nll_loss(jnp.array([[-1.0, -2.0]]), jnp.array([0, 1]))', /one target per row/],
      ['braintools.metric.nll_loss(jnp.array([[[-1.0, -2.0]]]), jnp.array([[0]]))', /axis 1/],
    ];
    for (const [call, why] of cases) {
      const pair = py([`l = ${call}`]).pairs[0];
      expect(pair, call).toBeDefined();
      expect(pair.loss ?? null, call).toBeNull();
      expect(pair.losses ?? null, call).toBeNull();
      expect(pair.unverified, call).toMatch(why);
    }
  });
});
