/**
 * Two forms of learner code from the twenty-seventh unseen set (docs/detection.md 3.99-3.100), in
 * snippets written for this project by test/fixtures/realpatterns45/gen_realpatterns45.py: a print
 * that shows a label and then an f-string holding the loss, and per-row losses written by hand that
 * a function named as a loss returns (d2l's `cross_entropy`). Before, neither gave a number: the
 * f-string was read only when it opened the print, and the function's rows were "not a formula".
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { hasPrintedFString, rewritePrintedFStrings } from '../../../src/core/detection/fstrings';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns45', 'labels before a printed f-string; per-row losses a loss function returns', {
  least: { snippets: 5, negatives: 4, wrongClaims: 2 },
  exhaustive: true,
});

describe('an f-string after plain string labels', () => {
  it('is rewritten into its expressions, the labels kept, offsets unchanged', () => {
    const line = 'print("ce:", \'at\', f"{crit(z, k).item():.4f} nats")';
    expect(hasPrintedFString(line)).toBe(true);
    const out = rewritePrintedFStrings(line);
    expect(out).toHaveLength(line.length);
    expect(out.startsWith('print("ce:", \'at\', ')).toBe(true);
    expect(out.replace(/\s+/g, ' ')).toBe('print("ce:", \'at\', crit(z, k).item() )');
  });

  it('is not rewritten after a label with an escape, a prefixed string or a name', () => {
    for (const line of [
      'print("a\\tb", f"{x}")',
      'print(r"a", f"{x}")',
      'print(step, f"{x}")',
      'print("""a""", f"{x}")',
    ])
      expect(rewritePrintedFStrings(line), line).toBe(line);
  });
});

describe('per-row losses a function named as a loss returns', () => {
  it('are the pair of the statement that reduces them', () => {
    const doc = analyzeText(
      [
        'import torch',
        'p = torch.tensor([[0.25, 0.75], [0.9, 0.1]])',
        'y = torch.tensor([1, 0])',
        'def cross_entropy(p, y):',
        '    return -torch.log(p[range(len(p)), y])',
        'print(cross_entropy(p, y).mean())',
      ].join('\n') + '\n',
      { fileName: 'rows.py' },
    );
    expect(doc.pairs.map((pr) => [pr.call?.line, pr.loss])).toHaveLength(1);
    expect(doc.pairs[0].call?.line).toBe(6);
    expect(doc.pairs[0].loss).toBeCloseTo(-(Math.log(0.75) + Math.log(0.9)) / 2, 6);
  });
});
