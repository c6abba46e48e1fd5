/**
 * JavaScript / TypeScript losses written by hand in helpers of the file (docs/detection.md 3.282-3.289):
 * loops and guards in a helper's body, JavaScript's `Math.max`/`Math.min` clip, `toFixed` prints, and a
 * helper imported from another module, in snippets written by test/fixtures/realpatterns83/gen_realpatterns83.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns83', 'JavaScript losses written by hand in helpers', {
  least: { snippets: 7, negatives: 3, wrongClaims: 2 },
  exhaustive: true,
});

const scan = (text: string, fileName: string) => analyzeText(text, { fileName });
const prefix = (): string => 'const l = 0.5;\n';

describe('helpers whose bodies loop and branch', () => {
  it('names the module an imported helper comes from, and the helper that is not in the file', () => {
    const imported = scan(
      "import { ce as crossEntropy } from './metrics';\nconst l = crossEntropy([1, 0], [0.9, 0.2]);\nconsole.log(l); // 0.1643\n",
      'a.js',
    );
    expect(imported.pairs.map((p) => p.unverified)).toEqual([
      '`crossEntropy` is imported from `./metrics`, whose body is not in this source: what it computes is not known',
    ]);
    const missing = scan('const l = crossEntropy([1, 0], [0.9, 0.2]);\n', 'b.js');
    expect(missing.pairs[0].unverified).toContain('`crossEntropy` is not defined in this source');
  });

  it('stops at a loop whose test never turns false, with a reason', () => {
    const text =
      'function ce(t, p) {\n  let s = 0;\n  for (let i = 0; i < t.length; i--) s += t[0] * Math.log(p[0]);\n  return -s;\n}\nconst l = ce([1, 0], [0.7, 0.3]);\n';
    const start = Date.now();
    const doc = scan(text, 'c.js');
    expect(Date.now() - start).toBeLessThan(20_000);
    expect(doc.pairs.every((p) => p.loss === null)).toBe(true);
  }, 60_000);

  it('does not run a `++` inside an expression', () => {
    const text =
      'function ce(t, p) {\n  let s = 0;\n  let i = 0;\n  while (i < t.length) s += t[i] * Math.log(p[i++]);\n  return -s;\n}\nconst l = ce([1, 0], [0.7, 0.3]);\n';
    expect(scan(text, 'd.js').pairs.every((p) => p.loss === null)).toBe(true);
  });
});

describe('printed template literals', () => {
  const helper =
    'function ce(t, p) {\n  let s = 0;\n  for (let i = 0; i < t.length; i++) s -= t[i] * Math.log(p[i]);\n  return s;\n}\nconst l = ce([0, 1], [0.3, 0.7]);\n';
  it('reads one field, two fields against their words (3.303), and not one field among words with digits', () => {
    const doc = scan(
      helper +
        'console.log(`ce ${l.toFixed(3)}`); // ce 0.357\n' +
        'console.log(`${l.toFixed(2)} / ${l.toFixed(1)}`); // 0.36 / 0.4\n' +
        'console.log(`run 7: ${l.toFixed(2)}`); // run 7: 0.36\n',
      'h.js',
    );
    expect(doc.claims.map((c) => [c.line, c.text, c.status])).toEqual([
      [7, '0.357', 'holds'],
      [8, '0.36', 'holds'],
      [8, '0.4', 'holds'],
    ]);
  });
});

describe('bounded time on hostile input (hang guards)', () => {
  it('reads 200,000 characters of printed template literals opened and never closed', () => {
    const start = Date.now();
    scan(prefix() + 'console.log(`${'.repeat(13_000) + '\n' + 'console.log(`a'.repeat(14_000), 'i.js');
    expect(Date.now() - start).toBeLessThan(20_000);
  }, 60_000);

  it('reads 200,000 characters of one-line `if (a)` headers in a helper', () => {
    const text = `function ce(t, p) {\n  ${'if (t) '.repeat(28_000)}return -Math.log(p[0]);\n}\nce([1], [0.5]);\n`;
    const start = Date.now();
    const doc = scan(text, 'e.js');
    expect(Date.now() - start).toBeLessThan(20_000);
    expect(doc.pairs.filter((p) => p.loss !== null)).toEqual([]);
  }, 60_000);

  it('reads 200,000 characters of an import list never closed', () => {
    const text = `import { ${'a, '.repeat(66_000)}\nconst l = crossEntropy([1, 0], [0.7, 0.3]);\n`;
    const start = Date.now();
    scan(text, 'f.js');
    expect(Date.now() - start).toBeLessThan(20_000);
  }, 60_000);

  it('reads 200,000 characters of `for (` headers in a helper', () => {
    const text = `function ce(t, p) {\n${'for (let i = 0; i < 2; i++)\n'.repeat(7_000)}  return -Math.log(p[0]);\n}\nce([1], [0.5]);\n`;
    const start = Date.now();
    scan(text, 'g.js');
    expect(Date.now() - start).toBeLessThan(20_000);
  }, 60_000);
});
