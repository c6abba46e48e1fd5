/**
 * Spellings of libraries other than torch that the blind set fresh45 showed unread (docs/detection.md
 * 3.266-3.269): a library's own docstring whose doctest imports the library, tinygrad's binary
 * cross-entropy methods, braintools' sigmoid BCE, and a printed repr closing a Python fence under a print
 * or a bare expression, in snippets written for this project by
 * test/fixtures/realpatterns61/gen_realpatterns61.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite(
  'realpatterns61',
  'other frameworks: doctest imports, tinygrad and braintools BCE, reprs in fences',
  {
    least: { snippets: 13, negatives: 3, wrongClaims: 6 },
    exhaustive: true,
  },
);

const md = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'page.md' });
const judged = (lines: string[]) => md(lines).claims.map((c) => [c.text, c.status]);
const head = [
  '```python',
  'import torch',
  'import torch.nn.functional as F',
  'z = torch.tensor([[1.0, 0.2, -0.5]])',
  'loss = F.cross_entropy(z, torch.tensor([0]))',
];

describe('a printed repr closing a Python fence', () => {
  it('is read under a print or a bare expression, and judged', () => {
    expect(judged([...head, 'print(loss)', 'tensor(0.5143)', '```'])).toEqual([['tensor(0.5143)', 'holds']]);
    expect(judged([...head, 'loss', 'tensor(0.6143)', '```'])).toEqual([['tensor(0.6143)', 'wrong']]);
  });

  it('is not read under an assignment, a compound statement or code at another margin', () => {
    expect(judged([...head, 'shown = loss', 'tensor(0.5143)', '```'])).toEqual([]);
    expect(judged([...head, 'if True:', '    print(loss)', 'tensor(0.5143)', '```'])).toEqual([]);
  });

  it('is not read when the last line is code that merely looks like a repr', () => {
    // `array(values, …)` names a value: a call of the code, not numbers a console printed.
    expect(judged([...head, 'print(loss)', 'array(values, dtype=float32)', '```'])).toEqual([]);
    expect(judged([...head, 'print(loss)', 'tensor([0.5143]) + offset', '```'])).toEqual([]);
  });

  it('stays linear on a long fence of repr-like lines', () => {
    const lines = ['```python', 'loss', ...Array.from({ length: 4000 }, () => 'array([0.1, (((')];
    const started = Date.now();
    md([...lines, '```']);
    md(['```python', 'print(x)', 'tensor(' + '['.repeat(200000), '```']);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe("a library's own docstring", () => {
  const own = (
    imports: string[],
    body = ['    return mx.logsumexp(logits, axis=-1) - mx.take_along_axis(logits, targets, -1)'],
  ) =>
    analyzeText(
      [
        'def cross_entropy(logits, targets):',
        '    """Cross entropy.',
        ...imports,
        '    >>> nn.losses.cross_entropy(mx.array([[0.0, 1.0]]), mx.array([1]))',
        '    array([0.31326166], dtype=float32)',
        '    """',
        ...body,
      ].join('\n') + '\n',
      { fileName: 'losses.py' },
    );

  it('keeps its number when a doctest prompt imports the library its code computes with', () => {
    const doc = own(['    >>> import mlx.core as mx', '    >>> import mlx.nn as nn']);
    expect(doc.pairs[0]?.losses?.[0]).toBeCloseTo(0.3132617, 6);
    expect(doc.claims.map((c) => c.status)).toEqual(['holds']);
  });

  it('keeps none when the definition does not compute with what the prompt imports (3.75)', () => {
    const doc = own(
      ['    >>> import mlx.core as mx', '    >>> import mlx.nn as nn'],
      ['    return our_kernel(logits, targets)'],
    );
    expect(doc.pairs[0]?.losses ?? []).toEqual([]);
    expect(doc.claims.filter((c) => c.status !== 'unverified')).toEqual([]);
  });

  it('keeps none when nothing imports the library (the module documents its own definition)', () => {
    const doc = own(['    >>> import mylib.nn as nn']);
    expect(doc.pairs[0]?.losses ?? []).toEqual([]);
    expect(doc.claims.filter((c) => c.status !== 'unverified')).toEqual([]);
  });
});
