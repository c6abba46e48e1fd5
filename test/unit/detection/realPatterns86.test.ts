/**
 * JavaScript softmax helpers whose result is indexed by a label (docs/detection.md 3.300-3.304): `Math.max(...v)`
 * subtracted, `map(Math.exp)` and `map((x) => Math.exp(x - m))`, a sum started at 0, tied logits, a loss handed
 * to a formatting helper, and template literals of several fields read against the output line's words, in
 * snippets written by test/fixtures/realpatterns86/gen_realpatterns86.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns86', 'JavaScript softmax helpers indexed by a label', {
  least: { snippets: 8, negatives: 3, wrongClaims: 3 },
  exhaustive: true,
});

const scan = (text: string, fileName = 'a.js') => analyzeText(text, { fileName });
const softmax =
  'const softmax = (v) => {\n  const m = Math.max(...v);\n  const e = v.map((x) => Math.exp(x - m));\n' +
  '  const s = e.reduce((a, b) => a + b, 0);\n  return e.map((x) => x / s);\n};\n';
const losses = (text: string) => scan(text).pairs.map((p) => p.loss);

describe('a softmax worked out over the file numbers', () => {
  it('computes -log softmax(z)[k] as JavaScript does, and the same for either of two tied logits', () => {
    const ce = 'const ce = (z, k) => -Math.log(softmax(z)[k]);\n';
    const [a] = losses(softmax + ce + 'const l = ce([1.0, 2.0, 0.5], 1);\n');
    const v = [1.0, 2.0, 0.5].map((x) => Math.exp(x - 2.0));
    expect(a).toBe(-Math.log(v[1] / v.reduce((p, q) => p + q, 0)));
    const tied = losses(softmax + ce + 'const a = ce([0.4, 0.4, 1.0], 0);\nconst b = ce([0.4, 0.4, 1.0], 1);\n');
    expect(tied).toHaveLength(2);
    expect(tied[0]).toBeCloseTo(tied[1] as number, 12);
  });

  it('makes no pair from a softmax without a label, nor from a callback that calls a helper', () => {
    expect(losses(softmax + 'const p = softmax([1.0, 2.0]);\nconsole.log(p[0]);\n')).toEqual([]);
    // The callback is run once, as written: a loss it computes is one pair per element, never two.
    const each = 'const ce = (z, k) => -Math.log(softmax(z)[k]);\nconst ls = [0, 1].map((k) => ce([0.5, 1.5], k));\n';
    expect(losses(softmax + each).length).toBeLessThanOrEqual(2);
  });

  it('judges no claim on a template literal whose other field is not a loss', () => {
    const text =
      softmax +
      'const ce = (z, k) => -Math.log(softmax(z)[k]);\nconst l = ce([0.2, 0.9], 0);\n' +
      'console.log(`epoch ${3}: ${l.toFixed(3)}`); // epoch 3: 9.999\n';
    expect(scan(text).claims.filter((c) => c.status === 'wrong')).toEqual([]);
  });
});

describe('bounded time on hostile input (hang guards)', () => {
  it('reads 200,000 characters of a printed template literal of many fields', () => {
    const text = 'const l = 0.5;\nconsole.log(`' + 'a ${l} '.repeat(28_000) + '`);\n';
    const start = Date.now();
    scan(text);
    expect(Date.now() - start).toBeLessThan(20_000);
  }, 60_000);

  it('reads 200,000 characters of `.map(Math.exp)` chained on a literal row', () => {
    const text = 'const e = [1.0, 2.0, 0.5]' + '.map(Math.exp)'.repeat(14_000) + ';\n';
    const start = Date.now();
    scan(text);
    expect(Date.now() - start).toBeLessThan(20_000);
  }, 60_000);
});
