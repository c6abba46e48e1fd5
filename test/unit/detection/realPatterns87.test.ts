/**
 * Outputs and worked losses as language-modelling pages write them (docs/detection.md 3.305-3.307): a
 * label and the value on one line, a notebook cell ending with names, a forum's `>>> value` under code,
 * worked −log(p) after list markers, in snippets written for this project by
 * test/fixtures/realpatterns87/gen_realpatterns87.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns87', 'outputs and worked losses of language-modelling pages', {
  least: { snippets: 11, negatives: 4, wrongClaims: 4 },
  exhaustive: true,
});

const md = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'page.md' });
const judged = (lines: string[]) => md(lines).claims.map((c) => [c.text, c.status]);
const code = [
  'import torch',
  'import torch.nn.functional as F',
  'z = torch.tensor([[1.0, 0.2, -0.5]])',
  'loss = F.cross_entropy(z, torch.tensor([0]))',
  'print(loss)',
];

describe('a label and the printed value on one line', () => {
  it('reads the value after an output word and a colon, in several languages', () => {
    for (const label of ['Output: ', '输出:', '结果：', 'Result: ', '**Output:** '])
      expect(judged(['Some text.', ...code, `${label}tensor(0.5143)`])).toEqual([['tensor(0.5143)', 'holds']]);
    expect(judged(['Some text.', ...code, 'Output: tensor(0.6143)'])).toEqual([['tensor(0.6143)', 'wrong']]);
  });

  it('reads no value after an output word without a colon', () => {
    expect(judged(['Some text.', ...code, 'Output tensor(0.6143)'])).toEqual([]);
  });
});

describe('a forum block whose last line shows the value with a prompt', () => {
  it('reads `>>> value` under code without prompts as the value of the line above', () => {
    const block = ['```python', ...code.slice(0, 4), '>>> tensor(0.6143)', '```'];
    expect(judged(block)).toEqual([['tensor(0.6143)', 'wrong']]);
  });

  it('keeps a console session a console session when a prompt holds code', () => {
    const session = ['```', '>>> ' + code.slice(0, 4).join('\n>>> '), '>>> loss', 'tensor(0.5143)', '```'];
    expect(judged(session)).toEqual([['tensor(0.5143)', 'holds']]);
  });
});

describe('worked logs after list markers', () => {
  it('reads `- −log(p) = v` and `2. -log(p) = v`, not a word before the log', () => {
    const page = ['The cross-entropy loss of each next token:', ''];
    expect(judged([...page, '- −log(0.25) = 1.3863'])).toEqual([['1.3863', 'holds']]);
    expect(judged([...page, '2. -log(0.25) = 1.3963'])).toEqual([['1.3963', 'wrong']]);
    expect(judged([...page, 'so - −log(0.25) = 1.3863'])).toEqual([]);
  });
});

describe('bad input', () => {
  it('reads 200 000 characters of each new trigger quickly', () => {
    const started = Date.now();
    md(['Output: '.repeat(25000), ...code]);
    md(['```python', 'x = 1', '>>> tensor('.repeat(18000), '```']);
    md(['In [1]:', 'a = 1', '', 'a,'.repeat(100000), '']);
    md(['- '.repeat(100000) + '−log(0.5) = 0.69']);
    expect(Date.now() - started).toBeLessThan(4000);
  });
});
