/**
 * Explainer pages that work a cross-entropy out with small numbers (docs/detection.md 3.228-3.234): a remark
 * or parentheses around a worked log, table cells, `log(1 - q)` and `log(1/K)`, an expansion mid-sentence,
 * terms written out one by one, an exercise page whose input runs into `Output:`, a gather on one row, and
 * scikit-learn's version-dependent clipping, in snippets written for this project by
 * test/fixtures/realpatterns77/gen_realpatterns77.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns77', 'worked numbers on explainer pages', {
  least: { snippets: 14, negatives: 5, wrongClaims: 7 },
  exhaustive: true,
});

const page = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'page.md' });
const judged = (lines: string[]) => page(lines).claims.map((c) => [c.text, c.status]);

describe('worked logs around parentheses', () => {
  it('cuts a remark after the number and a closing parenthesis, and nothing else', () => {
    expect(judged(['# Cross-entropy loss', 'loss = -log(0.8) ≈ 0.22 (small)'])).toEqual([['0.22', 'holds']]);
    expect(judged(['# Cross-entropy loss', 'the loss is low (−log(0.9) ≈ 0.11).'])).toEqual([['0.11', 'holds']]);
    // A number followed by more arithmetic in parentheses is no number of its own.
    expect(judged(['# Cross-entropy loss', 'loss = -log(0.8) = 0.22 (0.5'])).toEqual([['0.22', 'holds']]);
    expect(page(['# Cross-entropy loss', 'loss = -log(0.8) = (0.2'])).toMatchObject({ pairs: [] });
  });
});

describe('bad input', () => {
  it('reads long runs of the new triggers in linear time', () => {
    const runs = [
      '(−log(0.9) ≈ 0.1 ('.repeat(12_000),
      '| -log(0.5) = '.repeat(16_000),
      '0·log(0.5) - '.repeat(16_000),
      '-log(1 - '.repeat(22_000),
      'yTrue = [1,0], yPred = [0.9,0.2]Output:\n'.repeat(5_000),
    ];
    for (const run of runs) {
      const text = `# Cross-entropy loss\n${run.slice(0, 200_000)}\n`;
      const t0 = performance.now();
      analyzeText(text, { fileName: 'long.md' });
      analyzeText(text, { fileName: 'long.txt' });
      expect(performance.now() - t0).toBeLessThan(5000);
    }
  });
});
