/**
 * OneFlow's copies of torch's losses, Sphinx code-blocks in docstrings, output comments one blank
 * line below a print, printed values given in a sentence, and loops in a test method's body
 * (docs/detection.md 3.41), in snippets written for this project by
 * test/fixtures/realpatterns29/gen_realpatterns29.py, whose numbers are torch's. Before, OneFlow's
 * CrossEntropyLoss / NLLLoss had no entry, a prompt-free code-block was never read, those claims were
 * not read, and a loop in a method was read once with its variable unknown.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { codeBlockBodies } from '../../../src/core/detection/codeBlocks';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns29', 'OneFlow, code-blocks, output comments, loops in methods', {
  least: { snippets: 5, negatives: 4, wrongClaims: 3 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 't.py' });

describe('OneFlow', () => {
  it("reads options by OneFlow's positions, not torch's (ignore_index is the second)", () => {
    const at = (args: string) =>
      py([
        'import oneflow as flow',
        'x = flow.tensor([[1.0, 2.0], [0.5, 0.0]])',
        't = flow.tensor([1, 1])',
        `l = flow.nn.CrossEntropyLoss(${args})(x, t)`,
      ]).pairs[0];
    const byKeyword = at('ignore_index=1, reduction="sum"');
    const byPosition = at('None, 1, "sum"');
    expect(byKeyword.loss).toBe(0);
    expect(byPosition.loss).toBe(byKeyword.loss);
    expect(at('').loss).not.toBe(0);
  });

  it('names OneFlow as the loss library', () => {
    const doc = py([
      'import oneflow as flow',
      'l = flow.nn.functional.cross_entropy(flow.tensor([[1.0, 2.0]]), flow.tensor([0]))',
    ]);
    expect(doc.pairs[0].loss).not.toBeNull();
    expect((doc.pairs[0] as { library?: string }).library).toBe('oneflow');
  });
});

describe('narrow integer class indices', () => {
  const ce = (target: string) =>
    py([
      'import torch',
      'import torch.nn.functional as F',
      'x = torch.tensor([[1.0, 2.0], [3.0, 1.0]])',
      `l = F.cross_entropy(x, ${target})`,
    ]).pairs[0];
  it("are torch's error (int32, int16, .int(), IntTensor), never a number", () => {
    for (const [t, found] of [
      ['torch.tensor([0, 1], dtype=torch.int32)', 'Int'],
      ['torch.tensor([0, 1], dtype=torch.short)', 'Short'],
      ['torch.tensor([0, 1]).int()', 'Int'],
      ['torch.IntTensor([0, 1]).view(-1)', 'Int'],
    ]) {
      const p = ce(t);
      expect(p.loss, t).toBeNull();
      expect(p.error?.message, t).toBe(`expected scalar type Long but found ${found}`);
    }
  });
  it('give the number once converted to int64, or when a dtype is not read (never a refusal torch does not make)', () => {
    const plain = ce('torch.tensor([0, 1])').loss;
    expect(plain).not.toBeNull();
    for (const t of [
      'torch.tensor([0, 1], dtype=torch.int32).long()',
      'torch.tensor([0, 1], dtype=torch.int32).to(torch.int64)',
      'torch.IntTensor([0, 1]).type(torch.LongTensor)',
      'torch.tensor([0, 1], dtype=torch.uint8)',
    ])
      expect(ce(t).loss, t).toBe(plain);
  });
});

describe('code-blocks in docstrings', () => {
  it('finds prompt-free bodies only, up to the dedent or the closing quotes', () => {
    const text = [
      '"""Doc.',
      '.. code-block:: python',
      '',
      '    a = 1',
      '',
      '    b = 2',
      'prose after',
      '.. code-block:: python',
      '',
      '    >>> c = 3',
      '.. code:: python',
      '    d = 4"""',
    ].join('\n');
    const bodies = codeBlockBodies(text).map(([s, e]) => text.slice(s, e));
    expect(bodies).toEqual(['    a = 1\n\n    b = 2']);
  });

  it('reads a body once, beside the console examples of the same docstring', () => {
    const doc = py([
      'import torch',
      'import torch.nn.functional as F',
      '"""',
      '.. code-block:: python',
      '',
      '    x = torch.tensor([[1.0, 0.0]])',
      '    l = F.cross_entropy(x, torch.tensor([0]))',
      '',
      '>>> y = torch.tensor([[0.0, 1.0]])',
      '>>> F.cross_entropy(y, torch.tensor([0]))',
      'tensor(1.3133)',
      '"""',
    ]);
    expect(doc.pairs.map((p) => p.call?.line).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([7, 10]);
  });

  it('stays linear on many directives (a hang guard: no timing)', () => {
    const text = '"""\n' + '.. code-block:: python\n\n    a = 1\n'.repeat(20_000) + '"""\n';
    expect(codeBlockBodies(text).length).toBe(20_000);
  });
});

describe('loops in methods', () => {
  it('runs a loop in a method in that method scope, not the module one', () => {
    const doc = py([
      'import torch',
      'import torch.nn.functional as F',
      'x = torch.tensor([[5.0, 0.0]])',
      'class T:',
      '    def test_a(self):',
      '        x = torch.tensor([[0.0, 0.0]])',
      '        for i in (0, 1):',
      '            l = F.cross_entropy(x, torch.tensor([i]))',
    ]);
    expect(doc.pairs.map((p) => p.loss)).toEqual([Math.log(2), Math.log(2)].map((v) => expect.closeTo(v, 6)));
  });
});
