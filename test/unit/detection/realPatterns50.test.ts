/**
 * Methods of a file's own classes followed as functions are (docs/detection.md 3.118-3.120), in
 * snippets written for this project by test/fixtures/realpatterns50/gen_realpatterns50.py (numbers
 * from torch 1.13): a test class's helper methods holding the data and the expected value, set-up
 * attributes, and an instance of the file's own torch `nn.Module`, gluon `Block` or MindSpore `Cell`
 * called (its `forward` / `construct`); a method defined twice, a decorated one, an attribute another
 * method assigns again and a base from another file stay unknown.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns50', "methods of the file's own classes, instances called", {
  least: { snippets: 6, negatives: 4, wrongClaims: 2 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'demo.py' });

const testCase = (extra: string[]) => [
  'import unittest',
  'import torch',
  'import torch.nn.functional as F',
  '',
  'class Case(unittest.TestCase):',
  '    def _scores(self):',
  '        return torch.tensor([[2.0, 0.0]])',
  '',
  '    def test_loss(self):',
  '        loss = F.cross_entropy(self._scores(), torch.tensor([0]))',
  ...extra,
];

describe("a test class's helper method", () => {
  it('is followed: its tensor is the logits', () => {
    const pairs = py(testCase([])).pairs;
    expect(pairs).toHaveLength(1);
    // -log softmax([2, 0])[0] = log(1 + e^-2)
    expect(pairs[0].loss).toBeCloseTo(Math.log(1 + Math.exp(-2)), 6);
  });

  it('is not followed when another class of the file defines the same name', () => {
    const pairs = py(
      testCase(['', 'class Other(Case):', '    def _scores(self):', '        return torch.tensor([[0.0, 2.0]])']),
    ).pairs;
    expect(pairs.filter((p) => p.loss !== null)).toEqual([]);
  });

  it('is not followed when a later notebook cell overrides it in a subclass', () => {
    const cell = (source: string[]) => ({ cell_type: 'code', metadata: {}, outputs: [], source: source.join('\n') });
    const notebook = (cells: string[][]) =>
      analyzeText(JSON.stringify({ cells: cells.map(cell), metadata: {}, nbformat: 4, nbformat_minor: 5 }), {
        fileName: 'demo.ipynb',
      }).pairs.filter((p) => p.loss !== null);
    const override = ['class Other(Case):', '    def _scores(self):', '        return torch.tensor([[0.0, 2.0]])'];
    expect(notebook([testCase([])])).toHaveLength(1);
    expect(notebook([testCase([]), override])).toEqual([]);
  });

  it('is not followed when it is a static method', () => {
    const lines = testCase([]);
    lines.splice(5, 0, '    @staticmethod');
    expect(py(lines).pairs.filter((p) => p.loss !== null)).toEqual([]);
  });
});

describe('an instance of a model class of the file, called', () => {
  const model = (base: string, method: string, extra: string[] = []) => [
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    '',
    `class Net(${base}):`,
    '    def __init__(self):',
    '        super().__init__()',
    '        self.scale = 2.0',
    ...extra,
    '',
    `    def ${method}(self, x, y):`,
    '        return F.cross_entropy(x * self.scale, y)',
    '',
    'net = Net()',
    'loss = net(torch.tensor([[1.0, 0.0]]), torch.tensor([0]))',
  ];
  const want = Math.log(1 + Math.exp(-2));

  it("runs an nn.Module's forward, reported at the call", () => {
    const pairs = py(model('nn.Module', 'forward')).pairs;
    expect(pairs).toHaveLength(1);
    expect(pairs[0].call?.line).toBe(14);
    expect(pairs[0].loss).toBeCloseTo(want, 6);
  });

  it("runs a Cell's construct, not its forward", () => {
    expect(py(model('nn.Cell', 'construct')).pairs[0]?.loss).toBeCloseTo(want, 6);
    expect(py(model('nn.Cell', 'forward')).pairs.filter((p) => p.loss !== null)).toEqual([]);
  });

  it('is not followed for a base of another file', () => {
    expect(py(model('Wrapped', 'forward')).pairs.filter((p) => p.loss !== null)).toEqual([]);
  });

  it('reads a set-up attribute only when the file assigns it once', () => {
    const twice = py(model('nn.Module', 'forward', ['', '    def reset(self):', '        self.scale = 1.0'])).pairs;
    expect(twice).toHaveLength(1);
    expect(twice[0].loss).toBeNull();
    expect(twice[0].unverified).toBeDefined();
  });
});
