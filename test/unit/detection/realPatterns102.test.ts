/**
 * Output quoted under a code block and old torch's `Variable containing:` print (docs/detection.md
 * 3.380, 3.381), in snippets written for this project by
 * test/fixtures/realpatterns102/gen_realpatterns102.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { quotedOutput } from '../../../src/core/detection/quotedOutputs';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns102', 'quoted output and the Variable print', {
  least: { snippets: 10, negatives: 2, wrongClaims: 4 },
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
    md([...code, 'Output:', '', ...Array<string>(200_000).fill('> ')]);
    md([...code, '> '.repeat(200_000)]);
    expect(Date.now() - started).toBeLessThan(5000);
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
