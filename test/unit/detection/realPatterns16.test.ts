/**
 * Claims of test assertions that bound an absolute difference (`abs(a - b) < tol` in assertTrue or
 * a bare assert, `assertLess(abs(a - b), tol)`, `torch.abs`, `.abs()`), pytest's `approx`, and an
 * expected value compared through a name bound to a number (docs/detection.md 3.28), in snippets
 * written for this project by test/fixtures/realpatterns16/gen_realpatterns16.py, whose numbers are
 * torch's and whose verdicts are the assertions' own on torch's value. The negatives bound a
 * softmax's sum, a model's loss and an accuracy.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns16', 'assertions over an absolute difference, on generated snippets', {
  least: { snippets: 2, negatives: 3, wrongClaims: 3 },
  exhaustive: true,
  close: (actual, truth) => Math.abs(actual - truth) <= 4 * 2 ** -24 * Math.abs(truth) + 1e-15,
});

describe('assertions over an absolute difference', () => {
  const head = [
    'import torch',
    'import torch.nn.functional as F',
    'x = torch.tensor([[1.0, 2.0, 0.5], [0.3, 0.1, 1.2]])',
    't = torch.tensor([1, 2])',
    'loss = F.cross_entropy(x, t)',
  ];
  const claimsOf = (...lines: string[]) =>
    analyzeText([...head, ...lines].join('\n') + '\n', { fileName: 't.py' }).claims.map((c) => [
      c.line,
      c.text,
      c.status,
    ]);

  it('judges by the bound written, not by the digits (0.5090 holds at 1e-4, fails at 1e-6)', () => {
    expect(claimsOf('assert abs(loss.item() - 0.5090) < 1e-4')).toEqual([[6, '0.5090', 'holds']]);
    expect(claimsOf('assert abs(loss.item() - 0.5090) < 1e-6')).toEqual([[6, '0.5090', 'wrong']]);
  });

  it('claims a name bound to a number where the number is written', () => {
    expect(claimsOf('want = 0.55', 'assert abs(want - loss.item()) < 0.1')).toEqual([[6, '0.55', 'holds']]);
  });

  it('reads no claim from a difference that is asserted large, or from a name not bound to a literal', () => {
    expect(claimsOf('assert abs(loss.item() - 0.9) > 1e-3')).toEqual([]);
    expect(claimsOf('assert abs(loss.item() - loss.item()) < 1e-3')).toEqual([]);
    expect(claimsOf('assert abs(loss.item() + 0.5) < 1e-3')).toEqual([]);
  });

  it('reads pytest.approx only as pytest’s', () => {
    const own = ['def approx(v, abs=0):', '    return v'];
    expect(claimsOf('import pytest', 'assert loss.item() == pytest.approx(0.51, abs=2e-3)')).toEqual([
      [7, '0.51', 'holds'],
    ]);
    expect(claimsOf('import pytest', 'assert loss.item() == pytest.approx(0.51)')).toEqual([[7, '0.51', 'wrong']]);
    expect(claimsOf(...own, 'assert loss.item() == approx(0.51, abs=2e-3)')).toEqual([]);
  });
});
