/**
 * The second JavaScript blind set's families (docs/detection.md 3.390-3.392): a binary log loss written
 * with `Math.log` over plain numbers, a pair guessed from names beside a project's cross-entropy call, and
 * tfjs 0.x's per-example softmaxCrossEntropy, in snippets written for this project by
 * test/fixtures/realpatterns104/gen_realpatterns104.py.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { unreadLossCall } from '../../../src/core/detection/infer';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns104', 'JavaScript scalar log losses, guesses beside project calls, tfjs 0.x', {
  least: { snippets: 10, negatives: 4, wrongClaims: 3 },
  exhaustive: true,
});

const js = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'check.js' });

describe('a binary log loss over JavaScript numbers (3.390)', () => {
  it('reads the numbers a helper is called with, and only numbers written as literals', () => {
    const helper = ['function bce(p, y) {', '  return -(y * Math.log(p) + (1 - y) * Math.log(1 - p));', '}'];
    expect(js([...helper, 'console.log(bce(0.6, 1));']).pairs.map((p) => p.loss)).toEqual([-Math.log(0.6)]);
    expect(js([...helper, 'const q = Number(process.argv[2]);', 'console.log(bce(q, 1));']).pairs).toEqual([]);
  });

  it('keeps a bound number a number for everything else', () => {
    const doc = js(['const k = 2;', 'const xs = [0.5, 0.25, 0.25];', 'console.log(xs[k] * 3); // 0.75']);
    expect(doc.pairs).toEqual([]);
  });
});

describe('a project cross-entropy call beside arrays named like a pair (3.391)', () => {
  it('finds the first call named as a cross-entropy, never a definition', () => {
    expect(unreadLossCall('function crossEntropy(a, b) {}\nconst v = Model.crossEntropyLoss(p, t);')).toBe(
      'Model.crossEntropyLoss',
    );
    expect(unreadLossCall('const v = bceLoss(p, 1); const w = mse(a, b);')).toBe('bceLoss');
    expect(unreadLossCall('function logLoss(p, y) { return 0; }\nconsole.log(other(1));')).toBeNull();
  });

  it('stays linear on a long chain of names without a call', () => {
    const t0 = Date.now();
    expect(unreadLossCall('a.'.repeat(100_000) + 'b')).toBeNull();
    expect(unreadLossCall('crossEntropy'.repeat(20_000))).toBeNull();
    expect(unreadLossCall('x'.repeat(200_000) + '(')).toBeNull();
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it("gives no number to a test's shared arrays beside a project's loss call", () => {
    const doc = js([
      "describe('losses', function () {",
      '  const predArr = [0.3, 0.9];',
      '  const targetArr = [0.0, 1.0];',
      "  it('matches ln 2 at one half', function () {",
      '    const out = Net.CROSS_ENTROPY(Dual.of([0.5]), [1.0]);',
      '    assert.approximately(out.value, Math.log(2), 1e-9);',
      '  });',
      '});',
    ]);
    expect(doc.pairs.map((p) => [p.logits.line, p.loss])).toEqual([[2, null]]);
    expect(doc.pairs[0].unverified).toContain('Net.CROSS_ENTROPY');
  });

  it('gives no number to names guessed beside such a call, only in JavaScript', () => {
    const lines = [
      'const predArr = [0.3, 0.9];',
      'const targetArr = [0.0, 1.0];',
      'const v = Net.crossEntropy(q, [1]);',
    ];
    const doc = js(lines);
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].loss).toBeNull();
    expect(doc.pairs[0].unverified).toContain('Net.crossEntropy');
  });
});

describe('tfjs 0.x softmaxCrossEntropy (3.392)', () => {
  const dir = 'test/fixtures/realpatterns104/snippets/';
  const page = (f: string) => analyzeText(readFileSync(dir + f, 'utf8'), { fileName: dir + f });

  it('gives no number, never the current mean, where the source is 0.x', () => {
    for (const f of ['tfjs0_batch_per_example.js', 'tfjs0_pinned_page.md']) {
      const numbered = page(f).pairs.filter((p) => p.loss !== null || (p.losses?.length ?? 0) > 0);
      expect(numbered, f).toEqual([]);
    }
  });

  it('keeps the current mean where a TensorBuffer is read with `.get`', () => {
    expect(page('tfjs_buffer_get_current.js').pairs.map((p) => p.loss === null)).toEqual([false]);
  });
});
