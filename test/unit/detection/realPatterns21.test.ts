/**
 * A loss inside a `lambda:` handed to a helper, a pytest test run once per parametrized case, and an
 * assertion bounding `a - b` without `abs` (docs/detection.md 3.33), in snippets written for this
 * project by test/fixtures/realpatterns21/gen_realpatterns21.py, whose numbers are torch's.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite(
  'realpatterns21',
  'deferred lambdas, parametrized tests and one-sided bounds, on generated snippets',
  {
    least: { snippets: 3, negatives: 2, wrongClaims: 3 },
    exhaustive: true,
  },
);

const scan = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 't.py' });
const numbers = (lines: string[]) =>
  scan(lines)
    .pairs.filter((p) => p.loss !== null)
    .map((p) => [p.call?.line, p.logits.line, Number(p.loss?.toFixed(6))]);

describe('a loss in a lambda without parameters', () => {
  it('reads the names of the scope around it, as they are when it is written', () => {
    const head = ['import torch', 'import torch.nn.functional as F', 'z = torch.tensor([[2.0, 0.0]])'];
    const run = ['y = torch.tensor([0])', 'check = run(lambda: F.cross_entropy(z, y))'];
    expect(numbers([...head, ...run])).toEqual([[5, 3, 0.126928]]);
    // `lambda y: …` names its own y: the module's y is not it, and nothing is computed.
    expect(numbers([...head, 'y = torch.tensor([0])', 'check = run(lambda y: F.cross_entropy(z, y))'])).toEqual([]);
  });
});

describe('pytest.mark.parametrize', () => {
  const test = (decorator: string) => [
    'import pytest',
    'import torch',
    'import torch.nn.functional as F',
    decorator,
    'def test_case(x, k):',
    '    loss = F.cross_entropy(torch.tensor(x), torch.tensor(k))',
  ];
  it('runs the body once per case, each pair at the case that gave its numbers', () => {
    const got = numbers(test('@pytest.mark.parametrize("x, k", [([[1.0, 0.0]], [0]), ([[0.0, 3.0]], [0])])'));
    expect(got).toEqual([
      [6, 4, 0.313262],
      [6, 4, 3.048587],
    ]);
  });
  it('names given as a list of strings read the same', () => {
    expect(numbers(test('@pytest.mark.parametrize(["x", "k"], [([[1.0, 0.0]], [0])])'))).toEqual([[6, 4, 0.313262]]);
  });
  it('leaves the test alone when a case does not match the names, or the cases go through fixtures', () => {
    expect(numbers(test('@pytest.mark.parametrize("x, k", [([[1.0, 0.0]], [0], 3)])'))).toEqual([]);
    expect(numbers(test('@pytest.mark.parametrize("x, k", [([[1.0, 0.0]], [0])], indirect=["x"])'))).toEqual([]);
    expect(numbers(test('@pytest.mark.parametrize("x", [[[1.0, 0.0]]])'))).toEqual([]);
  });
  it('forgets decorators that another statement separates from a def', () => {
    const lines = test('@pytest.mark.parametrize("x, k", [([[1.0, 0.0]], [0])])');
    lines.splice(4, 0, 'unrelated = 1');
    expect(numbers(lines)).toEqual([]);
  });
});

describe('a bound on a − b without abs', () => {
  const claims = (check: string) => {
    const doc = scan([
      'import torch',
      'import torch.nn.functional as F',
      'loss = F.cross_entropy(torch.tensor([[2.0, 0.0]]), torch.tensor([0]))',
      check,
    ]);
    return doc.claims.map((c) => [c.text, c.status]);
  };
  it('is judged as the assertion runs: only a − b reaching the bound fails', () => {
    // The loss is 0.126928.
    expect(claims('assert loss.item() - 0.1169 < 1e-3')).toEqual([['0.1169', 'wrong']]);
    expect(claims('assert loss.item() - 0.1369 < 1e-3')).toEqual([['0.1369', 'holds']]);
    expect(claims('assert 0.1369 - loss.item() < 1e-3')).toEqual([['0.1369', 'wrong']]);
    expect(claims('assert abs(loss.item() - 0.1369) < 1e-3')).toEqual([['0.1369', 'wrong']]);
  });
});

describe('an option whose value is not known here', () => {
  const head = [
    'import torch',
    'import torch.nn.functional as F',
    'z = torch.tensor([[2.0, 1.0, 0.1]])',
    'y = torch.tensor([0])',
  ];
  it('gives no number, and says which option', () => {
    const doc = scan([...head, 'loss = F.cross_entropy(z, y, label_smoothing=eps)']);
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].loss).toBeNull();
    expect(doc.pairs[0].unverified).toContain('label_smoothing=eps');
  });
  it('is read when the name is bound with others in one statement', () => {
    const doc = scan(['eps, k = 0.1, 3', ...head, 'loss = F.cross_entropy(z, y, label_smoothing=eps)']);
    // torch 1.13: F.cross_entropy([[2.0, 1.0, 0.1]], [0], label_smoothing=0.1) = 0.5137
    expect(Number(doc.pairs[0].loss?.toFixed(4))).toBe(0.5137);
  });
  it('None is the default, not an unknown value', () => {
    const doc = scan([...head, 'loss = F.cross_entropy(z, y, weight=None)']);
    expect(Number(doc.pairs[0].loss?.toFixed(4))).toBe(0.417);
  });
});
