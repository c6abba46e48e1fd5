/**
 * The JavaScript / TypeScript gaps of the forty-first unseen set (docs/detection.md 3.325-3.328): tfjs-layers'
 * `losses.sigmoidCrossEntropyWithLogits`, a sigmoid written out on one element inside a hand-written binary
 * cross-entropy (`.map` callbacks, a mapped row, a helper's loop, numpy's whole-array helper), and a printed
 * template with a digit in its words, in snippets written for this project by
 * test/fixtures/realpatterns91/gen_realpatterns91.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns91', 'sigmoids written out, tfjs-layers sigmoid cross-entropy, digit templates', {
  least: { snippets: 8, negatives: 4, wrongClaims: 3 },
  exhaustive: true,
});

const js = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'check.js' });
const losses = (lines: string[]) => js(lines).pairs.map((p) => p.loss);

describe('a sigmoid of one element', () => {
  const head = ['const y = [1, 0];', 'const z = [0.5, -0.25];'];
  const bce = (sig: string) =>
    `const t = z.map((v, i) => -(y[i] * Math.log(${sig}) + (1 - y[i]) * Math.log(1 - ${sig})));`;
  const tail = 'console.log(t.reduce((a, b) => a + b, 0) / t.length);';

  it('reads 1 / (1 + exp(-v)) and 1 / (exp(-v) + 1), the same number as the code', () => {
    const p = [1 / (1 + Math.exp(-0.5)), 1 / (1 + Math.exp(0.25))];
    const want = -(Math.log(p[0]) + Math.log(1 - p[1])) / 2;
    for (const sig of ['1 / (1 + Math.exp(-v))', '1 / (Math.exp(-v) + 1)']) {
      const got = losses([...head, bce(sig), tail]);
      expect(got).toHaveLength(1);
      expect(got[0]).toBeCloseTo(want, 12);
    }
  });

  it('leaves other shapes alone: 2 / (1 + exp(-v)), 1 / (1 + exp(v)), 1 / (1 + exp(-2 * v))', () => {
    for (const sig of ['2 / (1 + Math.exp(-v))', '1 / (1 + Math.exp(v))', '1 / (1 + Math.exp(-2 * v))'])
      expect(losses([...head, bce(sig), tail])).toEqual([]);
  });

  it('reads a float64 numpy source element by element, and not a float32 one (numpy rounds its exp)', () => {
    const py = (dtype: string) =>
      analyzeText(
        [
          'import math',
          'import numpy as np',
          'def sig(v):',
          '    return 1 / (1 + np.exp(-v))',
          'def bce(z, y):',
          '    total = 0.0',
          '    for i in range(len(z)):',
          '        p = sig(z[i])',
          '        total += -(y[i] * math.log(p) + (1 - y[i]) * math.log(1 - p))',
          '    return total / len(z)',
          `print(bce(np.array([0.5, -0.25], dtype=np.${dtype}), [1, 0]))`,
        ].join('\n') + '\n',
        { fileName: 'check.py' },
      ).pairs.map((p) => p.loss);
    const p = [1 / (1 + Math.exp(-0.5)), 1 / (1 + Math.exp(0.25))];
    expect(py('float64')).toHaveLength(1);
    expect(py('float64')[0]).toBeCloseTo(-(Math.log(p[0]) + Math.log(1 - p[1])) / 2, 12);
    expect(py('float32').filter((v) => v !== null)).toEqual([]);
  });

  it('reads a nested sigmoid of sigmoids and a long row in bounded time (hang guard)', () => {
    const nested = 'const q = ' + '1 / (1 + Math.exp(-'.repeat(2000) + 'z[0]' + '))'.repeat(2000) + ';';
    const started = Date.now();
    js([...head, nested, 'console.log(q);']);
    const row = `const z = [${Array.from({ length: 5000 }, (_, i) => (i % 7) / 10).join(', ')}];`;
    const y = `const y = [${Array.from({ length: 5000 }, (_, i) => i % 2).join(', ')}];`;
    js([row, y, bce('1 / (1 + Math.exp(-v))'), tail]);
    js(['const s = (t) => 1 / (1 + Math.exp(-t));', 'const z = [1];', 'x'.repeat(200_000)]);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 60_000);
});

describe('a printed template with a digit in its words', () => {
  const head = [
    'const p = [0.8, 0.3];',
    'const y = [1, 0];',
    'const t = p.map((q, i) => -(y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q)));',
    'const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;',
  ];

  it('makes the pair of the loss in its field, and judges nothing on the line', () => {
    const doc = js([...head, 'console.log(`epoch 3: ${mean(t).toFixed(3)}`); // epoch 3: 0.290']);
    expect(doc.pairs).toHaveLength(1);
    expect(doc.claims.filter((c) => c.status === 'holds' || c.status === 'wrong')).toEqual([]);
  });

  it('still judges a one-field template without a digit', () => {
    const doc = js([...head, 'console.log(`loss ${mean(t).toFixed(3)}`); // loss 0.900']);
    expect(doc.claims.map((c) => c.status)).toEqual(['wrong']);
  });

  it('reads 200,000 characters of an unclosed template in bounded time (hang guard)', () => {
    const started = Date.now();
    js([...head, 'console.log(`step 1 ${mean(t)' + ' 9'.repeat(100_000)]);
    js([...head, 'console.log(`' + '${mean(t)} 1 '.repeat(20_000) + '`);']);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 60_000);
});
