/**
 * Losses older pages and repositories hid from the reader (docs/detection.md 3.330-3.332): a comment ending
 * in `class` above a class header (the NNFS copies' `# Common loss class`), TensorFlow 1 code through
 * `tensorflow.compat.v1` with labels from `ones_like`/`zeros_like`, and listings whose line numbers are glued
 * to the code, per-row losses printed as columns or by paddle on one line, old torch's scaled prints. Snippets written for this project by test/fixtures/realpatterns92/gen_realpatterns92.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { claimInOutput } from '../../../src/core/detection/claims';
import { withoutLineGutters } from '../../../src/core/detection/lineGutters';
import { vectorClaims } from '../../../src/core/detection/vectorClaims';
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

describe('columns and paddle vectors', () => {
  const values = (line: string) => vectorClaims(line, 0)?.map((c) => c.value) ?? null;
  it('reads a column over one line or several, and the list after paddle`s shape', () => {
    expect(values('[[0.5], [1.25]]')).toEqual([0.5, 1.25]);
    expect(values('tensor([[0.5],\n        [1.25]])')).toEqual([0.5, 1.25]);
    expect(
      values('Tensor(shape=[2, 1], dtype=float32, place=Place(cpu), stop_gradient=True,\n [[0.5],\n  [1.25]])'),
    ).toEqual([0.5, 1.25]);
    expect(values('Tensor(shape=[2], dtype=float32, place=Place(cpu), stop_gradient=True, [0.5, 1.25])')).toEqual([
      0.5, 1.25,
    ]);
  });
  it('reads no matrix, no column with a word or one row, no scaled vector', () => {
    for (const line of [
      '[[0.5, 1.25]]',
      '[[0.5, 1.25], [0.1, 0.2]]',
      '[[0.5], [x]]',
      '[[0.5]]',
      '[[0.5], [1.25]',
      'shape=[2] [0.5]',
      'tensor(1.00000e-02 *\n       [-6.1403,  0.4963])',
    ])
      expect(values(line)).toBeNull();
  });
  it('reads long brackets in bounded time (hang guard)', () => {
    const t = Date.now();
    expect(values('['.repeat(200_000))).toBeNull();
    expect(values('[' + '[1.0], '.repeat(50_000))).toBeNull();
    expect(values('Tensor(shape=' + '['.repeat(200_000))).toBeNull();
    expect(Date.now() - t).toBeLessThan(5_000);
  });
});

describe('old torch`s scaled print', () => {
  it('reads the printed digits times the power of ten, wrapped or not', () => {
    expect(claimInOutput('tensor(1.00000e-02 * 5.3183)', 0)?.value).toBeCloseTo(0.053183, 12);
    expect(claimInOutput('tensor(1.00000e-02 *\n       -5.3183)', 0)?.value).toBeCloseTo(-0.053183, 12);
    expect(claimInOutput('tensor(1e-3 * 2.5000)', 0)?.value).toBeCloseTo(0.0025, 12);
  });
  it('reads no scale that is not a power of ten, nor a scaled exponent', () => {
    expect(claimInOutput('tensor(2.00000e-02 * 5.3183)', 0)?.text).not.toContain('*');
    expect(claimInOutput('tensor(1.00000e-02 * 5.3e-1)', 0)?.text ?? '').not.toContain('*');
    expect(claimInOutput('tensor(1.00000e-02 * x)', 0)?.text ?? '').not.toContain('*');
  });
  it('leaves a residue beside an exact zero unverified (3.112), and a lone head unread', () => {
    const head = [
      'import torch',
      'import torch.nn as nn',
      'bce = nn.BCELoss()',
      'print(bce(torch.zeros(3, 1), torch.zeros(3, 1)))',
    ];
    const doc = analyzeText([...head, '# tensor(1.00000e-12 *', '#        -1.0001)'].join('\n') + '\n', {
      fileName: 'z.py',
    });
    expect(doc.claims.map((c) => c.status)).toEqual(['unverified']);
    const lone = analyzeText([...head, '# tensor(1.00000e-12 *', 'x = 1', '# 2.0000'].join('\n') + '\n', {
      fileName: 'z.py',
    });
    expect(lone.claims).toEqual([]);
  });
  it('reads many scaled heads in bounded time (hang guard)', () => {
    const t = Date.now();
    expect(claimInOutput('tensor(1.00000e-02 *'.repeat(20_000), 0)?.scale).toBeUndefined();
    expect(claimInOutput('tensor(1e-2 *' + ' '.repeat(200_000) + '1.0)', 0)?.scale).toBeUndefined();
    expect(Date.now() - t).toBeLessThan(5_000);
  });
});
