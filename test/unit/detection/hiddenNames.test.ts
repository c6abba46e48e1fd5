// The names the detector binds for itself (a callback's receiver) never reach a pair's names: the
// CLI's JSON, the hovers and the panel show the names the source spells.
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';

describe('hidden names', () => {
  const text = [
    'const probs = [[0.6, 0.3, 0.1], [0.2, 0.7, 0.1]];',
    'const labels = [0, 1];',
    'const loss = -labels.map((y, i) => Math.log(probs[i][y])).reduce((a, b) => a + b, 0) / labels.length;',
    'console.log(loss);',
  ].join('\n');

  it("a callback's receiver is named by the array the code calls it on, not by the detector's own name", () => {
    const pairs = analyzeText(text + '\n', { fileName: 'nll.js' }).pairs;
    expect(pairs).toHaveLength(1);
    const { logits, target } = pairs[0]!;
    expect(target.name).toBe('labels');
    for (const name of [logits.name, logits.argName, target.name, target.argName])
      expect(name ?? '').not.toMatch(/\u0000/);
  });
});
