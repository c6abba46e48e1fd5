/**
 * JavaScript/TypeScript helper functions followed by the replay (docs/detection.md 3.126), in
 * snippets written for this project by test/fixtures/realpatterns52/gen_realpatterns52.py: `function`
 * declarations, arrow functions with expression or block bodies and function expressions, helpers
 * building the arrays; constructs the replay does not model give the call's reason, never a number.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns52', 'JavaScript helper functions followed', {
  least: { snippets: 6, negatives: 1, wrongClaims: 1 },
  exhaustive: true,
});

const js = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'demo.js' });
const tfjs = "const tf = require('@tensorflow/tfjs');";
const rows = 'const x = tf.tensor2d([[0.5, 1.5, -0.5], [2.0, 0.1, 0.3]]);';
const hot = 'const y = tf.tensor2d([[0, 1, 0], [0, 0, 1]]);';

describe('a JavaScript helper', () => {
  it('is followed with the arguments of each call, in the scope it was defined in', () => {
    const doc = js([
      tfjs,
      'const ce = (a, b) => tf.losses.softmaxCrossEntropy(b, a);',
      rows,
      hot,
      'const first = ce(x, y);',
      'const swapped = ce(y, x);',
    ]);
    // torch 1.13: F.cross_entropy(x, y) and, roles swapped, F.cross_entropy(y, x) (float targets).
    expect(doc.pairs.map((p) => [p.logits.line, p.target.line])).toEqual([
      [3, 4],
      [4, 3],
    ]);
    expect(doc.pairs[0].loss).toBeCloseTo(1.1972383, 6);
    expect(doc.pairs[1].loss).toBeCloseTo(2.1253171, 6);
  });

  it('says which construct stops it, and gives no number', () => {
    // Since 3.282 `if`, `while` and `forEach` blocks are followed: a test not known here, or a tfjs tensor
    // iterated (a TypeError in JavaScript), stops the call; a `switch` is still not modelled.
    for (const [statement, what] of [
      ['if (a.rank > b.unknownField) { a = b;', 'an `if` depends on a value not known here'],
      ['while (a) {', "a loop's test depends on a value not known here"],
      ['b.forEach((v) => { a = v; }); {', 'it iterates a tfjs tensor, which raises a TypeError in JavaScript'],
      ['switch (a) {', 'its body has `switch`'],
    ]) {
      const doc = js([
        tfjs,
        'function crossEntropy(a, b) {',
        `  ${statement}`,
        '  }',
        '  return tf.losses.softmaxCrossEntropy(b, a);',
        '}',
        rows,
        hot,
        'const loss = crossEntropy(x, y);',
      ]);
      expect(doc.pairs.map((p) => [p.loss, p.unverified])).toEqual([
        [null, `the call to \`crossEntropy\` is not followed: ${what}`],
      ]);
    }
  });

  it('stops at a `throw` as at any statement it does not model', () => {
    const doc = js([
      tfjs,
      'function crossEntropy(a, b) {',
      "  throw new Error('not yet');",
      '  return tf.losses.softmaxCrossEntropy(b, a);',
      '}',
      rows,
      hot,
      'const loss = crossEntropy(x, y);',
    ]);
    expect(doc.pairs.map((p) => [p.loss, p.unverified])).toEqual([
      [null, 'the call to `crossEntropy` is not followed: its body has `throw`'],
    ]);
  });
});
