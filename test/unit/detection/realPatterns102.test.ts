/**
 * Output quoted under a code block, old torch's `Variable containing:` print and prints sharing one
 * label (docs/detection.md 3.380-3.382), in snippets written for this project by
 * test/fixtures/realpatterns102/gen_realpatterns102.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { quotedOutput } from '../../../src/core/detection/quotedOutputs';
import { oneRun } from '../../../src/core/detection/sharedLabels';
import { joinVariablePrints } from '../../../src/core/detection/variablePrints';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns102', 'quoted output and the Variable print', {
  least: { snippets: 15, negatives: 2, wrongClaims: 6 },
  exhaustive: true,
});

const md = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'page.md' });
const code = [
  '```python',
  'import torch',
  'import torch.nn.functional as F',
  'loss = F.cross_entropy(torch.tensor([[1.0, 0.0]]), torch.tensor([0]))',
  'print(loss)',
  '```',
  '',
];
const judged = (lines: string[]) => md(lines).claims.map((c) => [c.text, c.status]);

describe('a quote under a code block', () => {
  it('is output under a label, or when it opens with a print', () => {
    expect(judged([...code, 'Output:', '', '> tensor(0.3133)'])).toEqual([['tensor(0.3133)', 'holds']]);
    expect(judged([...code, '> tensor(0.3233)'])).toEqual([['tensor(0.3233)', 'wrong']]);
    expect(judged([...code, '> Variable containing:', '>  0.3133', '> [torch.FloatTensor of size 1]'])).toEqual([
      ['0.3133', 'holds'],
    ]);
  });

  it('stays prose when neither: a reply quoting numbers, a console prompt', () => {
    expect(judged([...code, '> the value I expected was 0.3233'])).toEqual([]);
    expect(judged([...code, '>>> 0.3233'])).toEqual([]);
  });

  it('ends at the first unquoted line and the next block', () => {
    const text = ['> a', '> 0.5', 'b', '> 0.7'].join('\n');
    const lines = [0, 4, 10, 12].map((start, i, all) => ({ start, end: (all[i + 1] ?? text.length + 1) - 1 }));
    expect(quotedOutput(text, lines, 0, true, text.length).map((l) => l.text)).toEqual(['a', '0.5']);
    expect(quotedOutput(text, lines, 0, false, text.length)).toEqual([]);
    expect(quotedOutput(text, lines, 0, true, 4).map((l) => l.text)).toEqual(['a']);
  });

  it('reads a long run of quote markers in linear time', () => {
    const started = Date.now();
    md([...code, 'Output:', '', ...Array<string>(66_667).fill('> ')]);
    md([...code, '> '.repeat(100_000)]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('old torch’s Variable print in a comment', () => {
  const py = (comment: string) =>
    analyzeText(
      [
        'import torch',
        'import torch.nn.functional as F',
        'loss = F.cross_entropy(torch.tensor([[1.0, 0.0]]), torch.tensor([0]))',
        'print(loss)',
        comment,
      ].join('\n') + '\n',
      { fileName: 'check.py' },
    ).claims.map((c) => [c.text, c.status]);

  it('reads the value after `Variable containing:`', () => {
    expect(py('# Variable containing: 0.3133 [torch.FloatTensor of size 1]')).toEqual([['0.3133', 'holds']]);
    expect(py('# Output: Variable containing: 0.3233 [torch.FloatTensor of size 1]')).toEqual([['0.3233', 'wrong']]);
  });

  it('needs the colon: `variable containing` as words is prose', () => {
    expect(py('# variable containing 0.3233')).toEqual([]);
  });
});

describe('prints sharing one label', () => {
  it('run once each in order only at one depth, within one block', () => {
    const at = (text: string) => [...text.matchAll(/print\(/g)].map((m) => m.index);
    const straight = "print('l:', a)\nx = 1\nprint('l:', b)\n";
    expect(oneRun(straight, at(straight))).toBe(true);
    const branches = "if c:\n    print('l:', a)\nelse:\n    print('l:', b)\n";
    expect(oneRun(branches, at(branches))).toBe(false);
    const functions = "def f():\n    print('l:', a)\ndef g():\n    print('l:', b)\n";
    expect(oneRun(functions, at(functions))).toBe(false);
    const depths = "print('l:', a)\nfor i in r:\n    print('l:', b)\n";
    expect(oneRun(depths, at(depths))).toBe(false);
    expect(oneRun(straight, at(straight).slice(0, 1))).toBe(false);
  });

  it('reads many prints of one label quickly', () => {
    const started = Date.now();
    const body = "print('loss: ', loss)\n".repeat(10_000);
    md([
      '```python',
      'import torch',
      ...code.slice(3, 4),
      body,
      '```',
      'Output:',
      '',
      'loss:  tensor(0.3133)\n'.repeat(10_000),
    ]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('the three lines of a Variable print', () => {
  const lines = (texts: string[]) => {
    let start = 0;
    return texts.map((text) => {
      const line = { text, start };
      start += text.length + 1;
      return line;
    });
  };

  it('are one line: the head and the value, at their places', () => {
    const joined = joinVariablePrints(
      lines(['loss:  Variable containing:', ' 0.6931', '[torch.FloatTensor of size 1]', 'next']),
    );
    expect(joined.map((l) => [l.text, l.start])).toEqual([
      ['loss:  Variable containing:\n 0.6931', 0],
      ['next', 66],
    ]);
  });

  it('stay apart for a vector, a missing size line or other text between', () => {
    const vector = ['Variable containing:', ' 0.5', ' 0.2', '[torch.FloatTensor of size 2]'];
    expect(joinVariablePrints(lines(vector))).toHaveLength(4);
    expect(joinVariablePrints(lines(['Variable containing:', ' 0.5', 'done']))).toHaveLength(3);
    const apart = [
      { text: 'Variable containing:', start: 0 },
      { text: ' 0.5', start: 60 },
      { text: '[torch.FloatTensor of size 1]', start: 65 },
    ];
    expect(joinVariablePrints(apart)).toHaveLength(3);
  });
});

describe('one loss printed among other values', () => {
  const py = (print: string) =>
    analyzeText(
      [
        'import torch',
        'import torch.nn.functional as F',
        'loss = F.cross_entropy(torch.tensor([[1.0, 0.0]]), torch.tensor([0]))',
        'acc = 0.75',
        print,
      ].join('\n') + '\n',
      { fileName: 'check.py' },
    ).claims.map((c) => [c.text, c.status]);

  it('is read at its place when every part shown is a value', () => {
    expect(py('print(acc, loss.item())  # 0.75 0.3133')).toEqual([['0.3133', 'holds']]);
    expect(py('print(acc, loss.item())  # 0.75 0.3233')).toEqual([['0.3233', 'wrong']]);
    expect(py('print(helper(acc), loss)  # 7 tensor(0.3233)')).toEqual([['tensor(0.3233)', 'wrong']]);
    expect(py('print(loss.item(), acc)  # 0.3133 0.75')).toEqual([['0.3133', 'holds']]);
  });

  it('is never judged by the line’s first number when another value comes first', () => {
    expect(py("print('acc', acc, 'loss', loss.item())  # acc 0.75 loss 0.3133")).toEqual([['0.75', 'unverified']]);
    expect(py("print(acc, loss.item(), sep=' | ')  # 0.75 | 0.3133")).toEqual([['0.75', 'unverified']]);
    expect(py('print(helper(acc), loss)  # lr 0.01 acc 0.75')).toEqual([]);
  });
});
