/**
 * Pairs proposed from names (infer.ts) are a fallback for documents that show their arrays and no
 * loss call. When the text passes both arrays to a call that was not read as a loss (a Keras loss
 * object on a page without code fences, a helper of the page), that call decides the number: the
 * proposal stays, without torch's number, and says which call it is.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { callTakingBoth } from '../../../src/core/detection/infer';

const arrays = ['Example:', 'y_true = [0, 2]', 'y_pred = [[0.6, 0.3, 0.1], [0.2, 0.2, 0.6]]'];

function inferred(lines: string[]) {
  const doc = analyzeText(lines.join('\n') + '\n', { fileName: 'page.md' });
  return doc.pairs.filter((p) => p.call === null || p.call.kind === 'inferred');
}

describe('a pair proposed from names', () => {
  it('keeps its number when the page shows the arrays and no call', () => {
    const pairs = inferred(['# Cross-entropy', '', ...arrays]);
    expect(pairs).toHaveLength(1);
    expect(pairs[0].loss).not.toBeNull();
    expect(pairs[0].unverified).toBeUndefined();
  });

  it('has no number when the page passes both arrays to a call it did not read', () => {
    const pairs = inferred(['# Cross-entropy', '', ...arrays, 'loss_object(y_true, y_pred)', '1.0233']);
    expect(pairs).toHaveLength(1);
    expect(pairs[0].loss).toBeNull();
    expect(pairs[0].unverified).toContain('`loss_object(y_true, y_pred)`');
  });
});

describe('callTakingBoth', () => {
  it('finds the arrays as the first two arguments, in either order, positional or named', () => {
    expect(callTakingBoth('scce(y_true, y_pred)', 'y_pred', 'y_true')).toBe('scce(y_true, y_pred)');
    expect(callTakingBoth('m.update(y_pred ,y_true, w)', 'y_pred', 'y_true')).toBe('m.update(y_pred ,y_true, …)');
    expect(callTakingBoth('f(target=y_true, output=y_pred)', 'y_pred', 'y_true')).toBe(
      'f(target=y_true, output=y_pred)',
    );
  });

  it('ignores other uses of the names', () => {
    expect(callTakingBoth('f(y_true[0], y_pred)', 'y_pred', 'y_true')).toBeNull();
    expect(callTakingBoth('f(y_true_2, y_pred)', 'y_pred', 'y_true')).toBeNull();
    expect(callTakingBoth('f(a, y_true, y_pred)', 'y_pred', 'y_true')).toBeNull();
    expect(callTakingBoth('print(y_true, y_pred)', 'y_pred', 'y_true')).toBeNull();
  });

  it('stays linear on a long line of repeated names', () => {
    const text = 'f(' + 'y_true, '.repeat(20000) + ')';
    const t0 = performance.now();
    callTakingBoth(text, 'y_pred', 'y_true');
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
