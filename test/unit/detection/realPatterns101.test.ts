/**
 * JavaScript/TypeScript callbacks (docs/detection.md 3.375-3.379): `.map` / `.reduce` arrows whose body is
 * a block, in a helper or at the top of a script, the running binary sum spelled without brackets, a helper
 * named as `.map`'s callback, a `.reduce` folding per-sample losses, and a top-level `forEach` summing into an
 * outer `let`, in snippets written for this project by test/fixtures/realpatterns101/gen_realpatterns101.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns101', 'block-bodied JavaScript callbacks', {
  least: { snippets: 14, negatives: 5, wrongClaims: 7 },
  exhaustive: true,
});

const analyse = (lines: string[], fileName = 'check.js') => analyzeText(lines.join('\n') + '\n', { fileName });
const losses = (lines: string[], fileName = 'check.js') =>
  analyse(lines, fileName).pairs.map((p) => (p.loss === null ? null : Number(p.loss.toFixed(4))));
const reasons = (lines: string[]) =>
  analyse(lines)
    .claims.map((c) => c.reason ?? '')
    .filter((r) => r !== '');

/** A helper whose map callback's block is `body`, called on two samples, its mean printed. */
const helper = (body: string[]) => [
  'function f(ys, ps) {',
  '  const terms = ys.map((y, i) => {',
  ...body.map((l) => `    ${l}`),
  '  });',
  '  return terms.reduce((a, b) => a + b, 0) / ys.length;',
  '}',
  'console.log(f([1, 0], [0.8, 0.3])); // 0.2899',
];

describe('block-bodied callbacks', () => {
  it('runs a helper’s block-bodied map once per element, its own names declared inside', () => {
    expect(losses(helper(['const p = ps[i];', 'return -(y * Math.log(p) + (1 - y) * Math.log(1 - p));']))).toEqual([
      0.2899,
    ]);
    // the same with a branch and a loop variable of its own
    expect(
      losses(
        helper(['let p = ps[i];', 'if (p < 1e-7) p = 1e-7;', 'return -(y * Math.log(p) + (1 - y) * Math.log(1 - p));']),
      ),
    ).toEqual([0.2899]);
  });

  it('refuses a callback that changes what it did not declare, with its reason', () => {
    const outer = helper(['s = ps[i];', 'return -(y * Math.log(s) + (1 - y) * Math.log(1 - s));']);
    expect(losses(outer)).toEqual([]);
    expect(reasons(outer).join()).toContain('a callback that assigns `s`, a name it does not declare');
    const element = helper(['ps[i] = 0.5;', 'return -Math.log(ps[i]);']);
    expect(losses(element)).toEqual([]);
    expect(reasons(element).join()).toContain('an assignment to an element or an attribute');
  });

  it('gives nothing for a block never closed, or a callback whose body has what the replay does not model', () => {
    expect(losses(helper(['switch (y) { default: return -Math.log(ps[i]); }']))).toEqual([]);
    expect(losses(['const ys = [1, 0];', 'const t = ys.map((y) => {', '  return -Math.log(0.5);'])).toEqual([]);
  });

  it('runs a top-level block-bodied reduce closed by `}, 0) / n;`', () => {
    const doc = [
      'const y = [1, 0];',
      'const p = [0.8, 0.3];',
      'const m = y.reduce((acc, t, i) => {',
      '  return acc - t * Math.log(p[i]) - (1 - t) * Math.log(1 - p[i]);',
      '}, 0) / y.length;',
    ];
    expect(losses(doc)).toEqual([0.2899]);
    // a sum started from another number is another value, never the loss
    expect(losses([...doc.slice(0, 4), '}, 1) / y.length;'])).toEqual([]);
  });

  it('reads the running sum without brackets only when both halves are the same sample’s', () => {
    const run = (tail: string) =>
      losses([
        'const y = [1, 0];',
        'const p = [0.8, 0.3];',
        `const m = y.reduce((acc, t, i) => acc - t * Math.log(p[i]) - ${tail}, 0) / 2;`,
      ]);
    expect(run('(1 - t) * Math.log(1 - p[i])')).toEqual([0.2899]);
    // the second half of another sample, or of another array: no pair
    expect(run('(1 - t) * Math.log(1 - p[1 - i])')).toEqual([]);
    expect(run('(1 - t) * Math.log(1 - y[i])')).toEqual([]);
  });

  it('runs a helper named as `.map`’s callback in its own scope, and never one that calls itself', () => {
    const head = ['const sig = (z) => 1 / (1 + Math.exp(-z));', 'const y = [1, 0];'];
    const bce =
      'const l = -(y[0] * Math.log(p[0]) + (1 - y[0]) * Math.log(1 - p[0]) + y[1] * Math.log(p[1]) + (1 - y[1]) * Math.log(1 - p[1])) / 2;';
    expect(losses([...head, 'const p = [0.4, -0.3].map(sig);', bce])).toEqual([0.5337]);
    // `.map` passes the index as the second argument, never its default: `k` is 0, then 1, no sigmoid of the logits
    const indexed = ['const sig = (z, k = 1) => 1 / (1 + Math.exp(-k * z));', 'const y = [1, 0];'];
    expect(losses([...indexed, 'const p = [0.4, -0.3].map(sig);', bce])).toEqual([]);
    const self = ['const deep = (xs) => xs.map(deep);', 'const p = deep([0.5, 0.5]);', bce];
    expect(losses(self)).toEqual([]);
  });

  it('folds per-sample losses only inside a `.reduce`: two named losses added are no loss of their own', () => {
    const head = [
      'const sm = (r) => { const e = r.map((v) => Math.exp(v)); const s = e.reduce((a, b) => a + b, 0); return e.map((v) => v / s); };',
      'const p = [[1, 0], [0, 2]].map(sm);',
    ];
    expect(losses([...head, 'const m = [0, 1].reduce((acc, k, i) => acc - Math.log(p[i][k]), 0) / 2;'])).toEqual([
      0.2201,
    ]);
    expect(
      losses([...head, 'const a = -Math.log(p[0][0]);', 'const b = -Math.log(p[1][1]);', 'const m = (a + b) / 2;']),
    ).toEqual([0.3133, 0.1269]);
  });

  it('reads 200,000 characters of unclosed and nested callbacks in bounded time (hang guard)', () => {
    const started = Date.now();
    losses(['x.map((v) => {'.repeat(14_000)]);
    losses(['function f(x) {', 'x.map((v) => {\n'.repeat(14_000)]);
    losses(['const a = [1, 2];', 'const b = a.map((v) => {\nreturn v;\n});\n'.repeat(5_000)]);
    losses(['function f(x) {', 'const y = x.map((v) => {\n'.repeat(150), 'return v;', '});\n'.repeat(150), '}']);
    losses([
      'const x = [0.5];',
      'const y = x.reduce((a, v) => {\n'.repeat(3_000),
      'return a;',
      '}, 0);\n'.repeat(3_000),
    ]);
    losses(['const f = (v) => v;', 'const y = [0.5]' + '.map(f)'.repeat(20_000) + ';']);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
