/**
 * The JavaScript / TypeScript spellings of the forty-first unseen set (docs/detection.md 3.235-3.241):
 * tfjs's logLoss by its own rule, tfjs-layers' binaryCrossentropy past [0, 1] without a number, a
 * copied page's table output, cross-entropies written out with Math.log, and a keyword call on bound
 * names in a page's plain lines, in snippets written by test/fixtures/realpatterns78/gen_realpatterns78.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns78', 'JavaScript and TypeScript spellings of the forty-first unseen set', {
  least: { snippets: 18, negatives: 5, wrongClaims: 7 },
  exhaustive: true,
});

const scan = (text: string, fileName: string) => analyzeText(text, { fileName });

describe('bounded time on hostile input (hang guards)', () => {
  it('reads a page line of 200,000 characters of a keyword call opened and never closed', () => {
    const line = 'softmax_cross_entropy_with_logits(labels=' + 'a, b='.repeat(40_000);
    const start = Date.now();
    const doc = scan(`Usage:\n\nscores = [[1.0, 2.0]]\n${line}\n`, 'page.md');
    expect(Date.now() - start).toBeLessThan(20_000);
    expect(doc.pairs.filter((p) => p.loss !== null)).toEqual([]);
  }, 60_000);

  it('reads 200,000 characters of a written sum of Math.log terms', () => {
    const body = '0.5 * Math.log(0.5) + '.repeat(9_000);
    const start = Date.now();
    const doc = scan(`const x = -(${body}0.5 * Math.log(0.5));\n`, 'long.js');
    expect(Date.now() - start).toBeLessThan(20_000);
    expect(doc.pairs.filter((p) => p.loss !== null)).toEqual([]);
  }, 60_000);

  it('reads a page of 200,000 lone bars and Tensor lines after an Output label', () => {
    const text =
      'const a = tf.tensor1d([1, 0]);\nconst b = tf.tensor1d([0.5, 0.5]);\nconst l = tf.losses.logLoss(a, b);\nl.print();\n|\nOutput:\n' +
      'Tensor\n|\n'.repeat(25_000);
    const start = Date.now();
    scan(text, 'page.md');
    expect(Date.now() - start).toBeLessThan(20_000);
  }, 60_000);
});
