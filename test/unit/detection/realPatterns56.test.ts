/**
 * Forms the thirty-third unseen set (course material and book companion code) showed unread
 * (docs/detection.md 3.132-3.135), in snippets written for this project by
 * test/fixtures/realpatterns56/gen_realpatterns56.py: printed strings split into adjacent literals, a
 * function's own array written element by element, a graded cost squeezed and printed after a label with
 * its expected output under a heading, and Keras's activations before its losses on probabilities.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { rewritePrintedFStrings } from '../../../src/core/detection/fstrings';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns56', 'adjacent literals, function locals, graded costs, Keras activations', {
  least: { snippets: 12, negatives: 3, wrongClaims: 3 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'course.py' });

describe('a printed string written as adjacent literals (3.132)', () => {
  it('reads the expressions of every f-string of the argument, keeping each offset', () => {
    const text = "print(f'loss '\n      f'{ce(z, k):.4f}' ' nats')\n";
    const out = rewritePrintedFStrings(text);
    expect(out).toHaveLength(text.length);
    expect(out.split('\n').map((l) => l.replace(/\s+/g, ' ').trim())).toEqual(['print(', 'ce(z, k) )', '']);
  });

  it('joins a later f-string of the same argument to the first with a comma', () => {
    const out = rewritePrintedFStrings("print(f'{a:.2f} ' f'{b}')");
    expect(out.replace(/\s+/g, ' ')).toBe('print( a ,b )');
  });

  it('leaves a string with a b prefix, and what follows the call, alone', () => {
    const text = "print(f'{x}' b'raw')\nname = 'plain'\n";
    expect(rewritePrintedFStrings(text).split('\n')[1]).toBe("name = 'plain'");
  });
});

describe("a function's own array (3.133)", () => {
  it('is not the module array of the same name when the function writes into it', () => {
    const doc = py([
      'import numpy as np',
      'import torch',
      'import torch.nn.functional as F',
      'z = torch.tensor([[2.0, 0.5]])',
      'y = torch.tensor([1])',
      'def table(n):',
      '    y = np.zeros((n, 2))',
      '    y[0, 1] = 1.0',
      '    return y',
      'print(F.cross_entropy(z, y))',
    ]);
    expect(doc.pairs.map((p) => p.loss)).toHaveLength(1);
    expect(doc.pairs[0].loss).toBeCloseTo(1.7014, 4);
  });

  it('is the module array when its name is a parameter the caller hands it', () => {
    const doc = py([
      'import torch',
      'import torch.nn.functional as F',
      'z = torch.tensor([[2.0, 0.5]])',
      'y = torch.tensor([1])',
      'def flip(y):',
      '    with open("log.txt") as f:',
      '        y[0] = 0',
      'flip(y)',
      'print(F.cross_entropy(z, y))',
    ]);
    expect(doc.pairs.filter((p) => p.loss !== null)).toEqual([]);
  });
});

describe('a graded cost printed after a label (3.134)', () => {
  it('judges the expected value under an output heading two blank lines below', () => {
    const doc = py([
      'import numpy as np',
      'def cost_of(a, y):',
      '    c = -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))',
      '    c = np.squeeze(c)',
      '    return c',
      'a = np.array([0.5, 0.5])',
      'y = np.array([1, 0])',
      'print("cost = " + str(cost_of(a, y)))',
      '',
      '',
      '# Expected output:',
      '# cost = 0.6931',
    ]);
    expect(doc.claims.map((c) => [c.line, c.status])).toEqual([[12, 'holds']]);
  });

  it('reads no value from two str() joined into one string', () => {
    const doc = py([
      'import numpy as np',
      'a = np.array([0.5, 0.5])',
      'y = np.array([1, 0])',
      'l = -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))',
      'print("loss " + str(l) + " of " + str(2))',
      '# loss 0.5 of 2',
    ]);
    expect(doc.claims.filter((c) => c.status === 'wrong' || c.status === 'holds')).toEqual([]);
  });
});
