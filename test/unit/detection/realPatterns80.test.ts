/**
 * Augmented assignments in a test function's straight code (docs/detection.md 3.250): `labels *= 2`,
 * `logits += [[…]]`, `total += F.cross_entropy(…)` in a `def` or a method body run once, in order, as at
 * the top level; in a loop or a branch, or on a name the function did not bind, they leave the name
 * unknown. Snippets written for this project by test/fixtures/realpatterns80/gen_realpatterns80.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns80', 'augmented assignments in a test function', {
  least: { snippets: 9, negatives: 2, wrongClaims: 3 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'check.py' });
const numbered = (lines: string[]) =>
  py(lines)
    .pairs.filter((p) => p.loss !== null)
    .map((p) => [p.call?.line, Number(p.loss!.toFixed(4))]);

describe('a function body run once', () => {
  const call = '    print(F.cross_entropy(torch.tensor(z), torch.tensor(k), reduction="sum"))';
  const head = ['import torch', 'import torch.nn.functional as F', 'def f():'];

  it('repeats and extends the lists the body bound', () => {
    expect(numbered([...head, '    z = [[1.0, 0.0]]', '    k = [0]', '    z *= 2', '    k *= 2', call])).toEqual([
      [8, 0.6265],
    ]);
    expect(
      numbered([...head, '    z = [[1.0, 0.0]]', '    k = [0]', '    z += [[0.0, 1.0]]', '    k += [1]', call]),
    ).toEqual([[8, 0.6265]]);
  });

  it('scales an array or a tensor the body bound elementwise', () => {
    const np = ['import numpy as np', ...head, '    z = np.array([[1.0, 0.0]])', '    k = [0]', '    z *= 2', call];
    expect(numbered(np)).toEqual([[8, 0.1269]]);
  });

  it('leaves a name the body did not bind unknown (Python raises UnboundLocalError)', () => {
    const lines = ['import torch', 'import torch.nn.functional as F', 'z = [[1.0, 0.0]]', 'k = [0]', 'def f():'];
    expect(numbered([...lines, '    z *= 2', '    k *= 2', call])).toEqual([]);
  });

  it('leaves a name changed in a nested block unknown', () => {
    const body = ['    z = [[1.0, 0.0]]', '    k = [0]'];
    expect(numbered([...head, ...body, '    while len(z) < 4:', '        z *= 2', '        k *= 2', call])).toEqual([]);
    expect(
      numbered([
        ...head,
        ...body,
        '    try:',
        '        z *= 2',
        '        k *= 2',
        '    except ValueError:',
        '        pass',
        call,
      ]),
    ).toEqual([]);
  });

  it('reads a body of 200,000 characters of augmented assignments in bounded time (hang guard)', () => {
    const many = Array(20_000).fill('    z *= 2').join('\n');
    const doc = py([...head, '    z = [[1.0, 0.0]]', '    k = [0]', many, call]);
    expect(doc.pairs.filter((p) => p.loss !== null)).toEqual([]);
  }, 60_000);
});
