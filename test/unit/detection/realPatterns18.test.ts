/**
 * Functions of the code named like a loss, and JavaScript's bounds on an absolute difference
 * (docs/detection.md 3.30), in snippets written for this project by
 * test/fixtures/realpatterns18/gen_realpatterns18.py. A function whose body is a recognised hand
 * formula has that formula's number (numpy's, epsilon included); one whose body is not in the
 * snippet, or not followed, has no number and its printed value is judged neither way. The
 * JavaScript claims are judged by the bound each assertion writes, on torch's value.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns18', 'loss-named functions of the code and JavaScript bounds, on generated snippets', {
  least: { snippets: 4, negatives: 2, wrongClaims: 3 },
  exhaustive: true,
  close: (actual, truth) => Math.abs(actual - truth) <= 4 * 2 ** -24 * Math.abs(truth) + 1e-15,
});

describe('JavaScript bounds on an absolute difference', () => {
  const head = [
    "const tf = require('@tensorflow/tfjs');",
    'const logits = tf.tensor2d([[1.0, 2.0, 0.5], [0.3, 0.1, 1.2]]);',
    'const onehot = tf.tensor2d([[0, 1, 0], [0, 0, 1]]);',
    'const loss = tf.losses.softmaxCrossEntropy(onehot, logits);',
  ];
  const claimsOf = (...lines: string[]) =>
    analyzeText([...head, ...lines].join('\n') + '\n', { fileName: 't.test.js' }).claims.map((c) => [
      c.line,
      c.text,
      c.status,
    ]);

  it('judges by the bound written (0.5090 holds at 1e-3, fails at 1e-6)', () => {
    expect(claimsOf('expect(Math.abs(loss.dataSync()[0] - 0.5090)).toBeLessThan(1e-3);')).toEqual([
      [5, '0.5090', 'holds'],
    ]);
    expect(claimsOf('assert.ok(Math.abs(loss.dataSync()[0] - 0.5090) < 1e-6);')).toEqual([[5, '0.5090', 'wrong']]);
  });

  it('reads no claim from a bound that is not on |a − b|, or from Math.abs of anything else', () => {
    expect(claimsOf('expect(loss.dataSync()[0]).toBeLessThan(0.6);')).toEqual([]);
    expect(claimsOf('expect(Math.abs(loss.dataSync()[0])).toBeLessThan(0.6);')).toEqual([]);
    expect(claimsOf('assert(Math.abs(loss.dataSync()[0] + 0.5) < 1e-3);')).toEqual([]);
    expect(claimsOf('expect(Math.abs(loss.dataSync()[0] - 0.5)).toBeGreaterThan(1e-3);')).toEqual([]);
  });

  it('keeps chai’s assert.closeTo(actual, expected, delta) and reads the expect chain’s closeTo(expected, delta)', () => {
    expect(claimsOf('assert.closeTo(loss.dataSync()[0], 0.5090, 1e-3);')).toEqual([[5, '0.5090', 'holds']]);
    expect(claimsOf('expect(loss.dataSync()[0]).to.be.closeTo(0.5090, 1e-3);')).toEqual([[5, '0.5090', 'holds']]);
    expect(claimsOf('expect(loss.dataSync()[0]).to.be.closeTo(0.52, 1e-3);')).toEqual([[5, '0.52', 'wrong']]);
  });
});
