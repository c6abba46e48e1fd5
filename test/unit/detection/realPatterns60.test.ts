/**
 * A print's labelled value shown in a comment under lines of code someone switched off (docs/detection.md
 * 3.148), and per-example losses bounded element by element, through a named difference or in place
 * (3.149), in snippets written for this project by test/fixtures/realpatterns60/gen_realpatterns60.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns60', 'labelled values under switched-off code, element-wise bounds', {
  least: { snippets: 11, negatives: 1, wrongClaims: 4 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'run.py' });
const head = [
  'import torch',
  'import torch.nn.functional as F',
  'a = torch.tensor([[0.5, 2.5], [1.0, 0.0]])',
  'err = F.cross_entropy(a, torch.tensor([0, 0]))',
  'print("err now:", err)',
];

describe('a labelled value past switched-off code', () => {
  it('stops at a blank line in the comment block', () => {
    const doc = py([...head, '# print(a)', '', '# err now: tensor(9.9999)']);
    expect(doc.claims.filter((c) => c.status === 'wrong' || c.status === 'holds')).toEqual([]);
  });

  it('reads no more than eight switched-off lines', () => {
    const off = Array.from({ length: 9 }, (_, i) => `# print(a[${i % 2}])`);
    expect(py([...head, ...off, '# err now: tensor(9.9999)']).claims.some((c) => c.status === 'wrong')).toBe(false);
    expect(py([...head, ...off.slice(1), '# err now: tensor(9.9999)']).claims.some((c) => c.status === 'wrong')).toBe(
      true,
    );
  });
});
