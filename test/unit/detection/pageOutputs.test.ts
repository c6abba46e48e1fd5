/**
 * Output pasted into page text without comment markers, labelled prints and printed tuples: which
 * lines are output, which print owns which line, and the places where nothing may be bound (prose
 * after the output, a label two lines share, a tuple of the wrong length). The numbers judged come
 * from the detector's own pairs; the fixtures with torch truths are in realPatterns.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { printLabel } from '../../../src/core/detection/printLabels';
import { detectLanguage } from '../../../src/core/detection';
import { pageGroups } from '../../../src/core/detection/pageOutputs';

const header = ['In [1]:', 'import torch', 'import torch.nn.functional as F', ''];

function claimsOf(text: string, fileName = 'page.txt') {
  return analyzeText(text, { fileName }).claims.map((c) => ({ line: c.line, text: c.text, status: c.status }));
}

describe('page outputs', () => {
  it('takes the lines under a cell’s code, up to two blank lines', () => {
    const text = [...header, 'In [2]:', 'x = 1', 'print(x)', '', '1', '', '', 'Some prose: 2.5 here', ''].join('\n');
    const groups = pageGroups(text);
    const texts = groups.flatMap((g) => g.outputs.map((o) => o.text));
    expect(texts).toEqual(['1']);
  });

  it('stops at a heading or comment line and at the next cell', () => {
    const text = ['In [1]:', 'print(2)', '', '2', '# Notes', '3.5', 'In [2]:', 'print(4)', '', '4'].join('\n');
    expect(pageGroups(text).map((g) => g.outputs.map((o) => o.text))).toEqual([['2'], ['4']]);
  });

  it('finds no output in a cell whose lines all read as code', () => {
    const text = ['In [1]:', 'a = [1.0, 2.0]', '', 'b = a[0]', 'print(b)'].join('\n');
    expect(pageGroups(text)).toEqual([]);
  });

  it('does not judge prose with a number after a cell’s output', () => {
    const text = [
      ...header,
      'In [2]:',
      'z = torch.tensor([[0.0, 0.0]])',
      'k = torch.tensor([0])',
      'print(F.cross_entropy(z, k).item())',
      '',
      '0.6931471824645996',
      '',
      '',
      'A value such as 0.9 would be worse.',
    ].join('\n');
    const claims = claimsOf(text);
    expect(claims.map((c) => [c.line, c.status])).toEqual([[10, 'holds']]);
  });

  it('reads a repr under a bare expression only when the expression is the line above', () => {
    const body = ['import torch', 'import torch.nn.functional as F', 'z = torch.tensor([[0.0, 0.0], [0.0, 0.0]])'];
    body.push('k = torch.tensor([0, 1])', "F.cross_entropy(z, k, reduction='none')", 'tensor([0.6931, 0.7000])');
    expect(claimsOf(body.join('\n')).map((c) => c.status)).toEqual(['holds', 'wrong']);
    const apart = [...body.slice(0, 5), 'Returns:', 'tensor([0.6931, 0.7000])'];
    expect(claimsOf(apart.join('\n'))).toEqual([]);
  });
});

describe('labelled prints', () => {
  it('reads the text a print writes before its value', () => {
    expect(printLabel('print("loss with wrong labels  :", v)')).toBe('loss with wrong labels  :');
    expect(printLabel("print(f'summed loss: {t.item():.4f}')")).toBe('summed loss:');
    expect(printLabel('print("\\n=== part 2 ===", x)')).toBe('=== part 2 ===');
    expect(printLabel('print(":", v)')).toBeNull();
    expect(printLabel('print(loss)')).toBeNull();
    expect(printLabel('print("a {} b".format(v))')).toBeNull();
  });

  it('binds a label only to the one line that starts with it', () => {
    const code = [
      '```python',
      'import torch',
      'import torch.nn as nn',
      'z = torch.tensor([[0.0, 0.0]])',
      'k = torch.tensor([0])',
      "print('loss:', nn.CrossEntropyLoss()(z, k).item())",
      "print('loss:', nn.CrossEntropyLoss(reduction='sum')(z, k).item())",
      "print('other')",
      '```',
      '',
      'Output:',
      '',
      '```text',
    ];
    // Two prints share the label and three prints make two lines: nothing can be bound.
    const shared = [...code, 'loss: 0.9', 'loss: 0.9', '```'].join('\n');
    expect(claimsOf(shared, 'lesson.md')).toEqual([]);
  });
});

describe('printed tuples', () => {
  const session = [
    '```',
    '>>> import torch',
    '>>> import torch.nn.functional as F',
    '>>> z = torch.tensor([[0.0, 0.0]])',
    '>>> k = torch.tensor([0])',
    '>>> a = F.cross_entropy(z, k)',
    ">>> b = F.cross_entropy(z, k, reduction='sum')",
  ];

  it('judges each element against its own item', () => {
    const text = [...session, '>>> a, b', '(tensor(0.6931), tensor(0.6391))', '```'].join('\n');
    expect(claimsOf(text, 'tuple.md').map((c) => [c.text, c.status])).toEqual([
      ['tensor(0.6931)', 'holds'],
      ['tensor(0.6391)', 'wrong'],
    ]);
  });

  it('binds nothing element-wise when the lengths differ', () => {
    const text = [...session, '>>> a, b', '(tensor(0.6931), tensor(0.6931), tensor(0.5))', '```'].join('\n');
    expect(claimsOf(text, 'tuple.md').filter((c) => c.status === 'wrong' || c.status === 'holds')).toEqual([]);
  });
});

describe('plain page text', () => {
  it('is read as JavaScript when its code lines are JavaScript', () => {
    const js = ['Example:', 'import * as tf from "@tensorflow/tfjs"', 'const a = tf.tensor2d([[1, 0]]);', 'x = 2'];
    expect(detectLanguage({ fileName: 'page.txt' }, js.join('\n'))).toBe('javascript');
  });

  it('stays Python when Python lines are as many, and a known extension always wins', () => {
    const mixed = ['import torch', 'from torch import nn', 'const a = 1', 'print(a)'];
    expect(detectLanguage({ fileName: 'page.txt' }, mixed.join('\n'))).toBe('python');
    expect(detectLanguage({ fileName: 'page.txt' }, 'Some prose without code.')).toBe('python');
    expect(detectLanguage({ fileName: 'notes.py' }, 'const a = tf.tensor([1]);')).toBe('python');
  });
});
