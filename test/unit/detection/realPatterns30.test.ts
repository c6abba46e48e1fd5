/**
 * mlx-node's `Losses.crossEntropy` on arrays built from flat data and a shape, MindSpore's primitive
 * `ops.SoftmaxCrossEntropyWithLogits()` returning (loss, dlogits), and a loss call given a `**kw`
 * that is not known (docs/detection.md 3.42), in snippets written for this project by
 * test/fixtures/realpatterns30/gen_realpatterns30.py (numbers from torch 1.13, mlx-node's rule checked
 * against them in numpy). Before, a JavaScript `import { a } from 'm'` bound nothing, `3n` had no
 * value, none of these calls was read, and an unknown `**kw` left its loss call without a pair.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns30', 'mlx-node, MindSpore primitive, unknown **kw', {
  least: { snippets: 8, negatives: 4, wrongClaims: 2 },
  exhaustive: true,
});

const ts = (lines: string[]) =>
  analyzeText(
    [
      "import { MxArray, Losses } from '@mlx-node/core';",
      "import { createFloat32Array } from './utils';",
      ...lines,
    ].join('\n') + '\n',
    { fileName: 't.ts' },
  );
const targets = 'const t = MxArray.fromInt32(new Int32Array([0, 2]), BigInt64Array.from([2n]));';

describe('mlx-node', () => {
  it('reads the shape from a list, a BigInt64Array and the shape() helper alike', () => {
    const values = '[2.0, 1.0, 0.1, 0.5, -1.0, 1.5]';
    const shapes = ['[2, 3]', 'BigInt64Array.from([2n, 3n])', 'BigInt64Array.of(2n, 3n)', 'shape(2, 3)'];
    const losses = shapes.map(
      (s) =>
        ts([`const x = createFloat32Array(${values}, ${s});`, targets, 'const l = Losses.crossEntropy(x, t);']).pairs[0]
          ?.loss,
    );
    expect(losses[0]).not.toBeNull();
    for (const l of losses) expect(l).toBe(losses[0]);
  });

  it('gives no number for an allocation, extra arguments or fractions in an integer array', () => {
    for (const x of [
      'createFloat32Array(6)',
      'createFloat32Array([2.0, 1.0, 0.1, 0.5, -1.0, 1.5], [2, 3], 7, 8)',
      'createFloat32Array([[2.0, 1.0, 0.1], [0.5, -1.0, 1.5]], [2, 3])',
    ]) {
      const doc = ts([`const x = ${x};`, targets, 'const l = Losses.crossEntropy(x, t);']);
      expect(
        doc.pairs.filter((p) => p.loss !== null),
        x,
      ).toEqual([]);
    }
    const frac = ts([
      'const x = createFloat32Array([2.0, 1.0, 0.1, 0.5, -1.0, 1.5], [2, 3]);',
      'const t = MxArray.fromInt32(new Int32Array([0, 1.5]), BigInt64Array.from([2n]));',
      'const l = Losses.crossEntropy(x, t);',
    ]);
    expect(frac.pairs.filter((p) => p.loss !== null)).toEqual([]);
  });

  it('names mlx-node and its rule on the pair, not torch', () => {
    const doc = ts([
      'const x = createFloat32Array([2.0, 1.0, 0.1, 0.5, -1.0, 1.5], [2, 3]);',
      targets,
      'const l = Losses.crossEntropy(x, t, undefined, 2);',
    ]);
    const p = doc.pairs[0];
    expect(p.library).toBe('mlx-node');
    expect(p.mapping).toMatch(/numClasses \(not used\), the fourth the ignore index/);
    // Target 2 is ignored: the loss is row 0's alone.
    const row0 = ts([
      'const x = createFloat32Array([2.0, 1.0, 0.1], [1, 3]);',
      'const t = MxArray.fromInt32(new Int32Array([0]), BigInt64Array.from([1n]));',
      'const l = Losses.crossEntropy(x, t);',
    ]).pairs[0].loss;
    expect(row0).not.toBeNull();
    expect(p.loss).toBe(row0);
  });

  it('gives no number when every target is ignored, an index is out of range, or the logits are 3-D', () => {
    for (const [x, t, extra] of [
      ['[2.0, 1.0, 0.1, 0.5, -1.0, 1.5], [2, 3]', '[1, 1]', ', undefined, 1'],
      ['[2.0, 1.0, 0.1, 0.5, -1.0, 1.5], [2, 3]', '[0, 3]', ''],
      ['[2.0, 1.0, 0.1, 0.5, -1.0, 1.5], [1, 2, 3]', '[0, 1]', ''],
    ]) {
      const doc = ts([
        `const x = createFloat32Array(${x});`,
        `const t = MxArray.fromInt32(new Int32Array(${t}), BigInt64Array.from([2n]));`,
        `const l = Losses.crossEntropy(x, t${extra});`,
      ]);
      expect(doc.pairs.length, x + t).toBe(1);
      expect(doc.pairs[0].loss, x + t).toBeNull();
      expect(doc.pairs[0].unverified, x + t).toBeTruthy();
    }
  });
});

describe("an expected value written with JavaScript's Math", () => {
  it('judges toBeCloseTo(Math.log(k), d) by its value', () => {
    const claimOf = (k: number) =>
      ts([
        'const x = createFloat32Array([0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [2, 3]);',
        targets,
        'const l = Losses.crossEntropy(x, t);',
        'const v = l.toFloat32()[0];',
        `expect(v).toBeCloseTo(Math.log(${k}), 4);`,
      ]).claims.map((c) => c.status);
    expect(claimOf(3)).toEqual(['holds']);
    expect(claimOf(2)).toEqual(['wrong']);
  });
});

describe('JavaScript named imports', () => {
  it('bind the names imported, so a block after them is still one', () => {
    const doc = analyzeText(
      [
        "import { tensor2d as t2, losses } from '@tensorflow/tfjs';",
        'const x = t2([[2.0, 1.0, 0.1]]);',
        'const y = t2([[1, 0, 0]]);',
        'const l = losses.softmaxCrossEntropy(y, x);',
      ].join('\n') + '\n',
      { fileName: 't.js' },
    );
    expect(doc.pairs[0]?.loss).toBeCloseTo(0.417, 3);
  });
});

describe('an unknown **kw on a loss call', () => {
  const py = (line: string) =>
    analyzeText(
      [
        'import torch',
        'import torch.nn.functional as F',
        'x = torch.tensor([[0.5, 1.5, -1.0]])',
        'y = torch.tensor([1])',
        line,
      ].join('\n') + '\n',
      {
        fileName: 't.py',
      },
    );
  it('gives a pair without a number, saying the options could not be read', () => {
    for (const line of ['loss = F.cross_entropy(x, y, **kw)', 'loss = torch.nn.CrossEntropyLoss()(x, y, **kw)']) {
      const doc = py(line);
      expect(doc.pairs.length, line).toBe(1);
      expect(doc.pairs[0].loss).toBeNull();
      expect(doc.pairs[0].unverified).toBe('the options passed through **kw could not be read');
    }
  });
  it('leaves a call that is no loss, or a spread known, as before', () => {
    expect(py('z = torch.zeros(2, **kw)\nloss = F.cross_entropy(z, y)').pairs.every((p) => p.loss === null)).toBe(true);
    const known = py('kw = {"reduction": "sum"}\nloss = F.cross_entropy(x, y, **kw)').pairs[0];
    expect(known.unverified).toBeUndefined();
    expect(known.loss).not.toBeNull();
  });
});
