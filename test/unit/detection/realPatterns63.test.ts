/**
 * JavaScript losses written with array callbacks and spreads (docs/detection.md 3.158): `.map` and
 * `.reduce` (with and without an initial value) run with arrow callbacks, `Math.max(...xs)` spread,
 * in snippets written for this project by test/fixtures/realpatterns63/gen_realpatterns63.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns63', 'JavaScript callbacks and spreads', {
  least: { snippets: 6, negatives: 2, wrongClaims: 2 },
  exhaustive: true,
});

const js = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'demo.js' });
const head = [
  "const tf = require('@tensorflow/tfjs');",
  'const x = tf.tensor2d([[1.0, 0.0, -1.0], [0.5, 2.0, 0.0]]);',
  'const y = [0, 1];',
  'const lp = tf.logSoftmax(x).arraySync();',
];
// torch 1.13: F.cross_entropy(x, y) = 0.35698086 (float32); the code's own sum of float32 log-softmaxes,
// in doubles, agrees to float32's precision.
const torchMean = 0.35698086;

describe('JavaScript callbacks', () => {
  it('runs .map and .reduce with an initial value: the picks make the pair', () => {
    const doc = js([...head, 'const nll = y.map((t, i) => -lp[i][t]).reduce((s, v) => s + v, 0) / y.length;']);
    expect(doc.pairs.map((p) => p.call?.line)).toEqual([5]);
    expect(doc.pairs[0].loss).toBeCloseTo(torchMean, 6);
    expect(doc.pairs[0].options.reduction).toBe('mean');
  });

  it('starts .reduce from the first item when no initial value is given (a sum)', () => {
    const doc = js([...head, 'const total = y.map((t, i) => -lp[i][t]).reduce((s, v) => s + v);']);
    expect(doc.pairs.map((p) => [p.call?.line, p.options.reduction])).toEqual([[5, 'sum']]);
    expect(doc.pairs[0].loss).toBeCloseTo(2 * torchMean, 6);
  });

  it('runs a callback with a block body (3.375), and gives no number when reduce has nothing to start from', () => {
    const block = js([...head, 'const nll = y.map((t, i) => { return -lp[i][t]; }).reduce((s, v) => s + v, 0) / 2;']);
    expect(block.pairs.map((p) => p.call?.line)).toEqual([5]);
    expect(block.pairs[0].loss).toBeCloseTo(torchMean, 6);
    const empty = js([...head, 'const none = [].reduce((s, v) => s + v) / 2;']);
    expect(empty.pairs.filter((p) => p.loss !== null)).toEqual([]);
  });

  it('reads Math.max(...row) and Math.min(...row) as JavaScript does, in a class index', () => {
    // The class picked is the largest (then smallest) of the targets: 1, then 0.
    const doc = js([...head, 'const hi = -(lp[0][Math.min(...y)] + lp[1][Math.max(...y)]) / 2;']);
    expect(doc.pairs.map((p) => p.call?.line)).toEqual([5]);
    expect(doc.pairs[0].loss).toBeCloseTo(torchMean, 6);
  });

  it('runs a callback inside a helper with the names of the helper it was written in', () => {
    const doc = js([
      ...head,
      'const nllOf = (rows, ts) => {',
      '  const n = ts.length;',
      '  return ts.map((_, i) => -rows[i][ts[i]]).reduce((s, v) => s + v, 0) / n;',
      '};',
      'const nll = nllOf(lp, y);',
    ]);
    expect(doc.pairs.map((p) => p.call?.line)).toEqual([9]);
    expect(doc.pairs[0].loss).toBeCloseTo(torchMean, 6);
  });

  it('stays bounded when callbacks nest over a long list', () => {
    const items = Array.from({ length: 3000 }, (_, i) => (i % 7) / 7).join(', ');
    const doc = js([
      `const xs = [${items}];`,
      'const grid = xs.map((a) => xs.map((b) => xs.map((c) => a + b + c)));',
      'const top = Math.max(...xs);',
      'console.log(grid.length, top);',
    ]);
    expect(doc.pairs).toEqual([]);
  });
});
