/**
 * `d.get(k)` / `d.get(k, default)` on a dict written in the file, and starred arguments spread into
 * a call (docs/detection.md 3.40), in snippets written for this project by
 * test/fixtures/realpatterns28/gen_realpatterns28.py, whose numbers are what Python and torch print
 * when the file is run. Before, a dict statement was not read and `*shape` was dropped from its call
 * (`torch.zeros(*shape)` read as a 0-d tensor: an error torch never raises).
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns28', 'dict.get and starred arguments', {
  least: { snippets: 5, negatives: 3, wrongClaims: 0 },
  exhaustive: true,
});

const scan = (lines: string[]) =>
  analyzeText(['import torch', 'import torch.nn.functional as F', ...lines].join('\n') + '\n', { fileName: 't.py' });
const loss = (smoothing: string) =>
  `loss = F.cross_entropy(torch.tensor([[1.5, -0.5, 0.25]]), torch.tensor([2]), label_smoothing=${smoothing})`;

describe('dict.get', () => {
  it('gives no number where Python may find a key the file does not show', () => {
    for (const dict of ['{**base, "a": 1}', '{1: 0.3, "a": 1}', "{b'eps': 0.3}", '{"e\\x70s": 0.3}']) {
      const doc = scan(['base = {}', `cfg = ${dict}`, loss('cfg.get("eps", 0.1)')]);
      expect(doc.pairs[0].loss, dict).toBeNull();
    }
    // Keywords, or more than two arguments: not dict.get's form.
    expect(scan(['cfg = {"eps": 0.2}', loss('cfg.get("eps", default=0.1)')]).pairs[0].loss).toBeNull();
  });

  it('reads get(k) without a default as None when the key is absent', () => {
    const doc = scan(['cfg = {"a": 1}', 'eps = cfg.get("eps")', loss('eps if eps is not None else 0.0')]);
    const plain = scan([loss('0.0')]);
    expect(doc.pairs[0].loss).toBe(plain.pairs[0].loss);
  });
});

describe('starred arguments', () => {
  it('leave the call not computed when the spread is not known, never dropped', () => {
    const doc = scan([
      'def make(*dims):',
      '    return torch.zeros(*dims)',
      'logits = make(2, 3)',
      'loss = F.cross_entropy(torch.ones(*unknown_shape), torch.tensor([0, 1]))',
    ]);
    expect(doc.pairs.every((p) => p.loss === null && p.error === null)).toBe(true);
  });

  it('keep the positions of the arguments around a spread', () => {
    const doc = scan(['mid = (3,)', 'loss = F.cross_entropy(torch.zeros(2, *mid), torch.tensor([0, 1]))']);
    expect(doc.pairs[0].inputShape).toEqual([2, 3]);
    expect(doc.pairs[0].loss).toBeCloseTo(Math.log(3), 6);
  });

  it('stays linear with a spread of many items (a hang guard: no timing)', () => {
    const big = `shape = (${Array.from({ length: 50_000 }, () => '1').join(', ')})`;
    const doc = scan([big, 'loss = F.cross_entropy(torch.zeros(*shape), torch.tensor([0]))']);
    expect(doc.pairs.every((p) => p.loss === null)).toBe(true);
  });
});

describe('ndarrays with lists', () => {
  const ce = (logits: string) => `loss = F.cross_entropy(${logits}, torch.tensor([0]))`;
  it('converts the list as numpy does, and leaves a torch tensor with a list alone (torch raises)', () => {
    const nd = scan(['import numpy as np', 'z = np.array([[0.5, 1.0, 2.0]]) - [0.5, 0.0, 1.0]', ce('torch.tensor(z)')]);
    const direct = scan([ce('torch.tensor([[0.0, 1.0, 1.0]], dtype=torch.float64)')]);
    expect(nd.pairs[0].loss).not.toBeNull();
    expect(nd.pairs[0].loss).toBe(direct.pairs[0].loss);
    const t = scan(['z = torch.tensor([[0.5, 1.0, 2.0]]) - [0.5, 0.0, 1.0]', ce('z')]);
    expect(t.pairs.every((p) => p.loss === null)).toBe(true);
  });
});

describe('lambdas', () => {
  it('follow a one-parameter lambda as a def, its conditional decided only when its test is known', () => {
    const at = (v: string) =>
      scan([
        'pick = lambda v: 0 if v > 1 else 2',
        `loss = F.cross_entropy(torch.eye(3)[:1], torch.tensor([pick(${v})]))`,
      ]);
    const direct = (y: number) =>
      scan([`loss = F.cross_entropy(torch.eye(3)[:1], torch.tensor([${y}]))`]).pairs[0].loss;
    expect(direct(0)).not.toBeNull();
    expect(direct(0)).not.toBe(direct(2));
    expect(at('3').pairs[0].loss).toBe(direct(0));
    expect(at('0.5').pairs[0].loss).toBe(direct(2));
    expect(at('undefined_name').pairs.every((p) => p.loss === null)).toBe(true);
  });

  it("gives no number for a lambda made inside a function (it may close over the function's names)", () => {
    const doc = scan([
      'k = 0',
      'def make(k):',
      '    return lambda v: k',
      'pick = make(2)',
      'loss = F.cross_entropy(torch.eye(3)[:1], torch.tensor([pick(1)]))',
    ]);
    expect(doc.pairs.every((p) => p.loss === null)).toBe(true);
  });

  it('stays finite on a lambda calling itself and on lambdas nested deeply (a hang guard: no timing)', () => {
    const self = scan([
      'f = lambda v: f(v) if v else 1',
      'loss = F.cross_entropy(torch.eye(3)[:1], torch.tensor([f(1)]))',
    ]);
    expect(self.pairs.every((p) => p.loss === null)).toBe(true);
    const nested = `g = ${'lambda a: '.repeat(5000)}0`;
    expect(
      scan([nested, 'loss = F.cross_entropy(torch.eye(3)[:1], torch.tensor([g(1)]))']).pairs.length,
    ).toBeLessThanOrEqual(1);
  });
});
