/**
 * Spellings of tutorial pages (docs/detection.md 3.365-3.369, the fresh53 blind set): a labelled print owns no
 * prose line, `@staticmethod` helpers and `np.clip` of a literal number, a page's `-1.0 * logp.gather(dim=0, …)`,
 * a name shown under the code with `Output:` and its number, and worked logs with the weight after the log, a
 * step of term values and the label said again, in snippets written for this project by
 * test/fixtures/realpatterns99/gen_realpatterns99.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns99', 'tutorial pages: labels, static helpers, echoed names, weights after logs', {
  least: { snippets: 14, negatives: 7, wrongClaims: 6 },
  exhaustive: true,
});

const scan = (text: string, fileName: string) => analyzeText(text, { fileName });
const judged = (text: string, fileName: string) =>
  scan(text, fileName).claims.map((c) => [c.text, c.status] as [string, string]);

describe('what is read, and what is not', () => {
  it('binds a labelled line to its print, and no line without the label', () => {
    const page = (under: string) =>
      [
        'In [3]:',
        'import numpy as np',
        '',
        'p = np.array([[0.5, 0.5]])',
        'y = np.array([[1, 0]])',
        'ce = -np.mean(np.sum(y * np.log(p), axis=1))',
        'print(f"loss: {ce:.4f}")',
        '',
        under,
      ].join('\n') + '\n';
    expect(judged(page('loss: 0.6931'), 'p.md')).toEqual([['0.6931', 'holds']]);
    expect(judged(page('loss: 0.7931'), 'p.md')).toEqual([['0.7931', 'wrong']]);
    expect(judged(page('It said (0.5) for both.'), 'p.md')).toEqual([]);
  });

  it('follows a static method called on scalars, and stops at any other decorator', () => {
    const cls = (decorator: string) =>
      [
        'import numpy as np',
        'class K:',
        `    ${decorator}`,
        '    def bce(t, q):',
        '        q = np.clip(q, 1e-7, 1 - 1e-7)',
        '        return -(t * np.log(q) + (1 - t) * np.log(1 - q))',
        'y = 1.0',
        'g = 0.9',
        'loss = K.bce(y, g)',
      ].join('\n') + '\n';
    const found = scan(cls('@staticmethod'), 's.py').pairs;
    expect(found).toHaveLength(1);
    expect(found[0].loss).toBeCloseTo(0.10536051565782628, 12);
    expect(scan(cls('@classmethod'), 's.py').pairs.filter((p) => p.loss !== null)).toEqual([]);
    expect(scan(cls('@property'), 's.py').pairs.filter((p) => p.loss !== null)).toEqual([]);
  });

  it('reads long lines of the new shapes in bounded time (hang guard)', () => {
    const started = Date.now();
    const long = 'x'.repeat(200_000);
    scan(`a = 1\nb = -1.0 * a(${'k=0, '.repeat(40_000)})\n`, 'g.md');
    scan(`import numpy as np\nce = np.array([1.0])\nce\nOutput:\n${'\n'.repeat(200_000)}0.5\n`, 'e.md');
    scan(`L = - [ log(0.5)*1 ]\n  = - [ ${'0 + '.repeat(50_000)}0 ]\n  = 0.693\n`, 'w.md');
    scan(`L = - ( 1.0 ln(0.5) ) L = ${'9'.repeat(200_000)}\n`, 'w.md');
    scan(`L = - [ log(0.5)*${'1'.repeat(200_000)} ]\n`, 'w.md');
    scan(`class K:\n${'    @staticmethod\n'.repeat(20_000)}    def f(t, q):\n        return t\n${long}\n`, 'k.py');
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
