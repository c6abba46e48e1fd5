/**
 * Values a page or a comment states away from the code that printed them, and values that flow
 * through parameters (docs/detection.md 3.122-3.124), in snippets written for this project by
 * test/fixtures/realpatterns51/gen_realpatterns51.py: a Markdown sentence or table after the code
 * block, a `Result:` line under it, words before the number in a comment on a print of a loss, a
 * criterion passed into a function with a `break`, a transpose written with einsum, and a code block
 * a page flattened onto one line.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns51', 'prose, tables, comment words, partial follows, einsum, flattened fences', {
  least: { snippets: 16, negatives: 6, wrongClaims: 6 },
  exhaustive: true,
});

const md = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'page.md' });
const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'demo.py' });
const judged = (doc: ReturnType<typeof md>) =>
  doc.claims.filter((c) => c.status === 'holds' || c.status === 'wrong').map((c) => [c.line, c.text, c.status]);

const block = [
  '```python',
  'import torch',
  'import torch.nn.functional as F',
  'loss = F.cross_entropy(torch.tensor([[2.0, 1.0, 0.1]]), torch.tensor([0]))',
  'print(loss)',
  '```',
  '',
];

describe('a sentence after the block', () => {
  it('claims the one number a few words after the loss word', () => {
    expect(judged(md([...block, 'So the loss is 0.4170 here.']))).toEqual([[8, '0.4170', 'holds']]);
    expect(judged(md([...block, '손실은 약 0.52입니다.']))).toEqual([[8, '0.52', 'wrong']]);
  });

  it('claims nothing for a condition, two numbers, far words, a unit or another quantity', () => {
    for (const line of [
      'The loss should be 0.4170.',
      'The loss went from 1.2 to 0.4170.',
      'The loss of this small example, with three classes and one row, is 0.4170.',
      'The loss dropped 41.7% overall.',
      'The loss is low and the accuracy 0.4170.',
      'Calling `loss(x, y)` gives 0.4170.',
    ])
      expect(judged(md([...block, line])), line).toEqual([]);
  });

  it('only reads the first sentence that gives a number after a loss word', () => {
    expect(judged(md([...block, 'The loss should be 0.0 in theory.', 'The loss is 0.4170.']))).toEqual([]);
  });

  it('needs the block to print its one loss', () => {
    const silent = block.filter((l) => l !== 'print(loss)');
    expect(judged(md([...silent, 'So the loss is 0.4170 here.']))).toEqual([]);
  });

  it('stops at a later block with loss words in it', () => {
    const later = ['```python', 'other_loss = compute_loss()', 'print(other_loss)', '```', ''];
    expect(judged(md([...block, ...later, 'So the loss is 0.4170 here.']))).toEqual([]);
  });
});

describe('a table with a Loss column', () => {
  it('binds its rows to the losses above it in order, only when the counts agree', () => {
    const two = [
      '```python',
      'import torch',
      'import torch.nn.functional as F',
      'x = torch.tensor([[2.0, 1.0, 0.1]])',
      'a = F.cross_entropy(x, torch.tensor([0]))',
      'print(a)',
      '```',
      '',
      '```python',
      'b = F.cross_entropy(x, torch.tensor([2]))',
      'print(b)',
      '```',
      '',
      '| target | Loss |',
      '|---|---|',
      '| 0 | 0.417 |',
    ];
    expect(judged(md(two))).toEqual([]);
    expect(judged(md([...two, '| 2 | 2.317 |']))).toEqual([
      [16, '0.417', 'holds'],
      [17, '2.317', 'holds'],
    ]);
    expect(judged(md([...two, '| 2 | 1.317 |']))).toEqual([
      [16, '0.417', 'holds'],
      [17, '1.317', 'wrong'],
    ]);
  });
});

describe('words before the number in a comment', () => {
  const lines = (comment: string) => [
    'import torch',
    'import torch.nn.functional as F',
    'loss = F.cross_entropy(torch.tensor([[2.0, 1.0, 0.1]]), torch.tensor([0]))',
    `print(loss.item())  # ${comment}`,
  ];

  it('reads one to three words before the number on a print of a loss', () => {
    expect(judged(py(lines('good 0.42 low loss')))).toEqual([[4, '0.42', 'holds']]);
    expect(judged(py(lines('quite low, 0.52')))).toEqual([[4, '0.52', 'wrong']]);
  });

  it('reads nothing for another quantity, a condition, a unit or another digit', () => {
    for (const c of ['lr 0.42', 'not 0.42', 'about 0.42 after 3 epochs', 'took 0.42 s', 'one two three four 0.42'])
      expect(judged(py(lines(c))), c).toEqual([]);
  });

  it('reads nothing on a print of something else', () => {
    const doc = py([
      'import torch',
      'p = torch.softmax(torch.tensor([2.0, 1.0, 0.1]), dim=0)',
      'print(p.max().item())  # highest 0.66',
    ]);
    expect(judged(doc)).toEqual([]);
  });
});
