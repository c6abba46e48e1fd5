/**
 * JavaScript/TypeScript losses the scan did not read (docs/detection.md 3.345-3.346): a softmax entry
 * written out from literal scores inside a log, and `for` loops at the top of a script, in snippets
 * written for this project by test/fixtures/realpatterns95/gen_realpatterns95.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns95', 'written softmax entries and top-level JavaScript loops', {
  least: { snippets: 10, negatives: 6, wrongClaims: 3 },
  exhaustive: true,
});

const losses = (lines: string[], fileName = 'check.js') =>
  analyzeText(lines.join('\n') + '\n', { fileName }).pairs.map((p) =>
    p.loss === null ? null : Number(p.loss.toFixed(4)),
  );

describe('a softmax entry written out', () => {
  it('reads exp(a) / (exp(a) + …) with a among the summed scores, and nothing else', () => {
    const row = (p: string, q: string) => [`const l = -(1 * Math.log(${p}) + 0 * Math.log(${q}));`];
    const e = (a: number) => `Math.exp(${a})`;
    expect(losses(row(`${e(2)} / (${e(2)} + ${e(0)})`, `${e(0)} / (${e(2)} + ${e(0)})`))).toEqual([0.1269]);
    // the numerator's score missing from the sum, or another function than exp: no pair
    expect(losses(row(`${e(2)} / (${e(1)} + ${e(0)})`, `${e(0)} / (${e(2)} + ${e(0)})`))).toEqual([]);
    expect(losses(row(`Math.sqrt(2) / (Math.sqrt(2) + ${e(0)})`, `${e(0)} / (${e(2)} + ${e(0)})`))).toEqual([]);
  });
});

describe('top-level JavaScript loops', () => {
  const head = ['const p = [[0.6, 0.4], [0.3, 0.7]];', 'const y = [0, 1];', 'let t = 0;'];
  it('runs a counting loop from the sum the script started with', () => {
    expect(losses([...head, 'for (let i = 0; i < 2; i++) t += -Math.log(p[i][y[i]]);', 'const m = t / 2;'])).toEqual([
      0.4338,
    ]);
    // the same loop started from another sum gives another mean (the sum carried in, not a fresh 0)
    const started = ['const p = [[0.6, 0.4], [0.3, 0.7]];', 'const y = [0, 1];', 'let t = 0;', 't = 1;'];
    expect(losses([...started, 'for (let i = 0; i < 2; i++) t += -Math.log(p[i][y[i]]);', 'const m = t / 2;'])).toEqual(
      [],
    );
  });

  it('runs `for…of` over written numbers, one pair per pass', () => {
    const doc = [...head.slice(0, 2), 'for (const i of [1, 0]) {', '  const l = -Math.log(p[i][y[i]]);', '}'];
    expect(losses(doc)).toEqual([0.3567, 0.5108]);
  });

  it('leaves loops it does not model, and loops inside functions, as they were', () => {
    expect(
      losses([...head, 'for (let i = 0; i < 2; i++) { t += -Math.log(p[i][y[i]]); break; }', 'const m = t / 2;']),
    ).toEqual([]);
    expect(losses([...head, 'while (t < 1) t += -Math.log(p[0][y[0]]);', 'const m = t / 2;'])).toEqual([]);
  });

  it('reads 200,000 characters of loop headers, unclosed loops and callbacks in bounded time (hang guard)', () => {
    const started = Date.now();
    losses(['let s = 0;', 'for (let i = 0; i < 3; i++) s += 1;\n'.repeat(6_000)]);
    losses(['let s = 0;', 'for (let i = 0; i < 3; i++) {', 's += -Math.log(0.5);\n'.repeat(12_000)]);
    losses(['for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) '.repeat(4_000) + 'x += 1;']);
    losses(['const xs = [1, 2];', 'xs.forEach((v, i) => {\n'.repeat(8_000)]);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
