/**
 * Half-precision inputs (a float16 or bfloat16 tensor given to a loss gets no number; one widened
 * back with `.float()` is computed on its rounded values) and values pasted under prints as a bare
 * triple-quoted string or after an output label inside the fence (docs/detection.md 3.29), in
 * snippets written for this project by test/fixtures/realpatterns17/gen_realpatterns17.py, whose
 * numbers are torch's. The negatives print a softmax and an accuracy the same ways, and a loss of
 * a half-precision model's output.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns17', 'half precision and pasted output blocks, on generated snippets', {
  least: { snippets: 3, negatives: 3, wrongClaims: 4 },
  exhaustive: true,
});

const head = [
  'import torch',
  'import torch.nn.functional as F',
  'x = torch.tensor([[0.5, 1.5, -0.5], [1.0, 0.0, 2.0]])',
  'y = torch.tensor([1, 2])',
];
const scan = (lines: string[], fileName = 't.py') => analyzeText(lines.join('\n') + '\n', { fileName });

describe('half precision', () => {
  it('gives no number for a float16 input, and says why', () => {
    const doc = scan([...head, 'print(F.cross_entropy(x.half(), y))  # tensor(0.5000, dtype=torch.float16)']);
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].loss).toBeNull();
    expect(doc.pairs[0].unverified).toMatch(/float16/);
    expect(doc.claims.filter((c) => c.status === 'holds' || c.status === 'wrong')).toEqual([]);
  });

  it('reads half precision from a string, a tensor type and a constructor dtype', () => {
    for (const make of [
      "x.to('float16')",
      'x.type(torch.HalfTensor)',
      "torch.tensor([[0.5, 1.5, -0.5], [1.0, 0.0, 2.0]], dtype='bfloat16')",
    ])
      expect(scan([...head, `z = ${make}`, 'loss = F.cross_entropy(z, y)']).pairs[0].loss, make).toBeNull();
  });

  it('computes again once the tensor is widened, on the rounded numbers', () => {
    const half = scan([...head, 'loss = F.cross_entropy(x.half().float(), y)']).pairs[0].loss;
    const plain = scan([...head, 'loss = F.cross_entropy(x.float(), y)']).pairs[0].loss;
    expect(half).not.toBeNull();
    // 0.5, 1.5, … are exact in float16: the same number either way.
    expect(half).toBe(plain);
    const odd = scan([
      'import torch',
      'import torch.nn.functional as F',
      'loss = F.cross_entropy(torch.tensor([[0.1, 0.7]]).half().double(), torch.tensor([1]))',
    ]);
    const exact = scan([
      'import torch',
      'import torch.nn.functional as F',
      'loss = F.cross_entropy(torch.tensor([[0.1, 0.7]]).double(), torch.tensor([1]))',
    ]);
    expect(odd.pairs[0].loss).not.toBe(exact.pairs[0].loss);
  });
});

describe('values pasted under prints', () => {
  const prints = [...head, 'print(F.cross_entropy(x, y))', "print(F.cross_entropy(x, y, reduction='sum'))"];
  const claims = (lines: string[], fileName?: string) => scan(lines, fileName).claims.map((c) => [c.line, c.status]);

  it('zips a quoted block with the prints above it, in order', () => {
    expect(claims([...prints, '"""', 'tensor(0.9)', 'tensor(1.8)', '"""'])).toEqual([
      [8, 'wrong'],
      [9, 'wrong'],
    ]);
  });

  it('reads nothing when the block has more values than the prints', () => {
    expect(claims([...prints, '"""', 'tensor(0.9)', 'tensor(1.8)', 'tensor(2.7)', '"""'])).toEqual([]);
  });

  it('reads no docstring, and no string that is not directly under a print', () => {
    expect(claims([...prints, 'z = 1', '"""', 'tensor(0.9)', 'tensor(1.8)', '"""'])).toEqual([]);
    expect(claims([...prints, 'def f():', '    """tensor(0.9)"""'])).toEqual([]);
  });

  it('reads an output label inside a Markdown fence only as a label', () => {
    const fence = (label: string) => [
      '```python',
      ...head,
      'print(F.cross_entropy(x, y))',
      label,
      'tensor(0.9)',
      '```',
    ];
    expect(claims(fence('Output:'), 't.md')).toEqual([[8, 'wrong']]);
    expect(claims(fence('output = 3'), 't.md')).toEqual([]);
    // A comment is code in a fence: `# Out:` above a commented value leaves that value to the comment rule.
    expect(
      claims(['```python', ...head, 'print(F.cross_entropy(x, y))', '# Out:', '# tensor(0.9)', '```'], 't.md'),
    ).toEqual([[8, 'wrong']]);
  });
});
