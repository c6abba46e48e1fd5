/**
 * Hand-written losses over boolean-mask picks, ReLU forward passes with literal weights, and a
 * helper defined after its first call (docs/detection.md 3.214-3.220), in snippets written for this
 * project by test/fixtures/realpatterns75/gen_realpatterns75.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns75', 'masked picks, ReLU forward passes and late helpers', {
  least: { snippets: 10, negatives: 4, wrongClaims: 6 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'check.py' });
const losses = (lines: string[]) => py(lines).pairs.map((p) => [p.call?.line, p.loss]);
const numpyHead = ['import numpy as np', 'p = np.array([0.9, 0.2, 0.7, 0.4])', 'y = np.array([1, 0, 1, 0])'];
const torchHead = ['import torch', 'p = torch.tensor([0.9, 0.2, 0.7, 0.4])', 'y = torch.tensor([1, 0, 1, 0])'];
// torch 1.13: F.binary_cross_entropy(p, y.double()) in float64, and of the positives only
const bce = 0.2990011586691898;
const positives = 0.23101772979827936;

describe('boolean masks', () => {
  it('reads the masked sums as the binary cross-entropy they add up to, over n or a count', () => {
    const sum = '-(np.log(p[y == 1]).sum() + np.log(1 - p[y == 0]).sum())';
    expect(losses([...numpyHead, `loss = ${sum} / len(y)`])).toEqual([[4, bce]]);
    expect(losses([...numpyHead, `loss = ${sum} / y.shape[0]`])).toEqual([[4, bce]]);
    expect(losses([...numpyHead, 'loss = -np.log(p[y == 1]).sum() / np.count_nonzero(y == 1)'])).toEqual([
      [4, positives],
    ]);
    expect(losses([...numpyHead, 'm = 1 == y', 'loss = -np.log(p[m]).sum() / m.sum()'])).toEqual([[5, positives]]);
    expect(losses([...numpyHead, 'm = y == 1', `loss = -(np.log(p[m]).sum() + np.log(1 - p[~m]).sum()) / 4`])).toEqual([
      [5, bce],
    ]);
    // `~` of an int array is numpy's bitwise not, no mask
    expect(losses([...numpyHead, 'loss = -np.log(p[~y == -2]).mean()'])).toEqual([]);
  });

  it('gives no pair for a sum counted twice, the log of the wrong side, or labels other than 0/1', () => {
    expect(losses([...numpyHead, 'loss = -(np.log(p[y == 1]).sum() + np.log(p[y == 1]).sum()) / 4'])).toEqual([]);
    expect(losses([...numpyHead, 'loss = -np.log(p[y == 0]).mean()'])).toEqual([]);
    expect(losses([...numpyHead, 'loss = -np.log(1 - p[y == 1]).mean()'])).toEqual([]);
    expect(losses([...numpyHead, 'z = y * 2', 'loss = -np.log(p[z == 2]).mean()'])).toEqual([]);
    // means over different samples are not one loss
    expect(losses([...numpyHead, 'loss = -np.log(p[y == 1]).mean() - np.log(1 - p[y == 0]).mean()'])).toEqual([]);
  });

  it('computes nothing with a mask as if it were a number array', () => {
    for (const use of ['(m + m).sum()', '(1 - m).sum()', '(-m).sum()', 'm.mean()', '(m & m).sum()', '(not m).sum()'])
      expect(losses([...torchHead, 'm = y == 1', `loss = -torch.log(p).sum() / ${use}`])).toEqual([]);
    // torch: bool tensors mean()/neg raise; numpy's mask + mask is a logical or
    expect(losses([...numpyHead, 'm = y == 1', 'loss = -np.log(p[m]).sum() / (m + m).sum()'])).toEqual([]);
  });

  it('counts with mask.sum(), torch.sum, count_nonzero and .float().sum()', () => {
    for (const count of ['m.sum()', 'torch.sum(m)', 'torch.count_nonzero(m)', 'm.float().sum()', 'len(p[m])'])
      expect(losses([...torchHead, 'm = y.bool()', `loss = -torch.log(p[m]).sum() / ${count}`])[0]?.[1]).toBeCloseTo(
        positives,
        6,
      );
  });

  it('assigns through a mask, and refuses a mask of another shape', () => {
    expect(losses([...numpyHead, 'p[p == 0.2] = 0.25', 'loss = -np.log(1 - p[y == 0]).mean()'])).toEqual([
      [5, 0.3992538481088858], // numpy and torch 1.13 alike
    ]);
    expect(losses([...numpyHead, 'w = np.array([1, 0])', 'loss = -np.log(p[w == 1]).mean()'])).toEqual([]);
  });

  it('keeps the rows a 1-D mask selects before a library loss', () => {
    const doc = losses([
      'import torch',
      'import torch.nn.functional as F',
      'x = torch.tensor([[1.0, 2.0, 0.5], [0.3, -0.2, 1.1], [0.0, 0.4, -0.6]])',
      'y = torch.tensor([1, -1, 2])',
      'keep = y != -1',
      'loss = F.cross_entropy(x[keep], y[keep])',
    ]);
    expect(doc).toEqual([[6, 1.0882177352905273]]);
  });

  it('runs in linear time over a long chain of masks', () => {
    const t0 = Date.now();
    const chain = Array.from({ length: 4000 }, (_, i) => `m${i} = y == ${i % 2}`);
    py([...numpyHead, ...chain, 'loss = -np.log(p[m1]).mean()']);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});

describe('ReLU in a forward pass', () => {
  const head = [
    'import numpy as np',
    'X = np.array([[1.0, 2.0], [0.5, -1.0]])',
    'W = np.array([[0.1, 0.2, -0.3], [0.4, 0.0, 0.2]])',
    'b = np.array([0.1, 0.0, -0.1])',
  ];
  const tail = ['e = np.exp(s)', 'q = e / e.sum(axis=1, keepdims=True)', 'loss = -np.log(q[range(2), [2, 0]]).mean()'];
  it('computes np.maximum with a zero on either side', () => {
    // numpy 1.x: 1.365185120124237 (the detector's own exp/log may differ in the last bit)
    for (const relu of ['np.maximum(0, X @ W + b)', 'np.maximum(X.dot(W) + b, 0.0)'])
      expect(losses([...head, `s = ${relu}`, ...tail])[0]?.[1]).toBeCloseTo(1.365185120124237, 12);
  });

  it('gives no number for np.maximum of two arrays, of an int array, or of a list', () => {
    for (const relu of ['np.maximum(X @ W, b)', 'np.maximum(0, np.array([[1, 2, 3], [4, 5, 6]]))'])
      expect(losses([...head, `s = ${relu}`, ...tail])).toEqual([]);
    expect(losses([...head, 's = np.maximum(0, [[1.0, 2.0, 3.0], [0.0, 1.0, 2.0]])', ...tail])).toEqual([]);
  });
});

describe('a loss helper defined after its call', () => {
  const page = (name: string, indent: string) =>
    analyzeText(
      [
        '```python',
        'import numpy as np',
        'p = np.array([0.8, 0.25])',
        'y = np.array([1, 0])',
        `print(${name}(y, p))`,
        '```',
        '',
        '```python',
        `${indent}def ${name}(y, p):`,
        `${indent}    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))`,
        '```',
      ].join('\n') + '\n',
      { fileName: 'page.md' },
    );
  it('says the helper comes later, and keeps no number', () => {
    const [pair] = page('cross_entropy', '').pairs;
    expect(pair.loss).toBeNull();
    expect(pair.unverified).toMatch(/defined on this page only after this call/);
  });

  it('keeps the plain reason for an indented def (a method) or no def at all', () => {
    expect(page('cross_entropy', '    ').pairs[0].unverified).toMatch(/is not defined in this source/);
    expect(page('cross_entropy', '# ').pairs[0].unverified).toMatch(/is not defined in this source/);
  });

  it('reads 200,000 characters of look-alike defs quickly', () => {
    const t0 = Date.now();
    const text = `print(cross_entropy(y, p))\n${'def cross_entropyX'.repeat(12_000)}\n`;
    analyzeText(text, { fileName: 'long.py' });
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});
