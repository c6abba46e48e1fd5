/**
 * Losses older pages and repositories hid from the reader (docs/detection.md 3.330-3.332): a comment ending
 * in `class` above a class header (the NNFS copies' `# Common loss class`), TensorFlow 1 code through
 * `tensorflow.compat.v1` with labels from `ones_like`/`zeros_like`, and listings whose line numbers are glued
 * to the code. Snippets written for this project by test/fixtures/realpatterns92/gen_realpatterns92.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { withoutLineGutters } from '../../../src/core/detection/lineGutters';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns92', 'class comments, tensorflow.compat.v1 labels, glued line numbers', {
  least: { snippets: 9, negatives: 3, wrongClaims: 3 },
  exhaustive: true,
});

const losses = (text: string, fileName: string) =>
  analyzeText(text, { fileName }).pairs.map((p) => (p.loss === null ? null : Number(p.loss.toFixed(4))));

describe('a comment ending in `class` or `def` above a header', () => {
  const body = [
    'import numpy as np',
    'CLASS_COMMENT',
    'class Loss:',
    '    def calculate(self, p, y):',
    '        return np.mean(self.forward(p, y))',
    'class CE(Loss):',
    '    def forward(self, p, y):',
    '        return -np.log(p[range(len(p)), y])',
    'loss = CE().calculate(np.array([[0.5, 0.5], [0.2, 0.8]]), np.array([0, 1]))',
  ];
  it('does not take the comment`s last word for the header (the class is read either way)', () => {
    for (const comment of ['# the loss class', '# a helper def', '# loss', '#class'])
      expect(losses(body.join('\n').replace('CLASS_COMMENT', comment), 'c.py')).toEqual([0.4581]);
  });
  it('still counts a class written twice (which one runs is not known)', () => {
    const twice = [...body.slice(0, 5), 'class Loss:', '    pass', ...body.slice(5)].join('\n');
    expect(losses(twice.replace('CLASS_COMMENT', ''), 'c.py')).not.toContain(0.4581);
  });
});

describe('glued line numbers', () => {
  it('moves a gutter to the line ends: same length, same line starts', () => {
    const page = 'x\n1import torch\n2\n3a = f(1)\n4    return a\n10no\n';
    const out = withoutLineGutters(page);
    expect(out.length).toBe(page.length);
    expect(out.split('\n')).toEqual(['x', 'import torch ', ' ', 'a = f(1) ', '    return a ', '10no', '']);
  });
  it('leaves look-alikes: a list with a blank after each number, numbers not in sequence, prose, short runs', () => {
    for (const page of [
      '1 import torch\n2 a = f(1)\n3 print(a)\n',
      '1import torch\n3a = f(1)\n4print(a)\n',
      '1st place\n2nd place\n3rd place\n',
      '1import torch\n2a = f(1)\n',
      '1. import torch\n2. a = f(1)\n3. print(a)\n',
      '01import torch\n02a = f(1)\n03print(a)\n',
    ])
      expect(withoutLineGutters(page)).toBe(page);
  });
  it('reads the number the listing computes', () => {
    const listing = [
      '1import torch',
      '2import torch.nn.functional as F',
      '3loss = F.cross_entropy(torch.tensor([[1.0, 2.0]]), torch.tensor([1]))',
    ].join('\n');
    expect(losses(`Code:\n\n${listing}\n`, 'page.md')).toEqual([0.3133]);
  });
  it('reads long runs and long lines in bounded time (hang guard)', () => {
    const lines = Array.from({ length: 40_000 }, (_, k) => `${k + 1}x = f(${k})`).join('\n');
    let t = Date.now();
    expect(withoutLineGutters(lines).length).toBe(lines.length);
    const long = '1' + 'a'.repeat(200_000) + '\n2' + 'b('.repeat(100_000) + '\n3' + '='.repeat(200_000);
    expect(withoutLineGutters(long).length).toBe(long.length);
    expect(Date.now() - t).toBeLessThan(5_000);
    t = Date.now();
    analyzeText('1' + 'import '.repeat(30_000) + '\n' + '2#\n'.repeat(30_000), { fileName: 'page.md' });
    analyzeText('# loss class\n'.repeat(30_000) + 'class A:\n    pass\n', { fileName: 'c.py' });
    expect(Date.now() - t).toBeLessThan(30_000);
  }, 60_000);
});
