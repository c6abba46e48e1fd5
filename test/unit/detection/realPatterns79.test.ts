/**
 * Chinese, Japanese and Korean pages as their text is copied (docs/detection.md 3.242-3.244): worked logs in
 * parentheses glued to the words, `[In]` / `[Out]` runs whose prints alternate headings and values, and a
 * program flattened onto one line of page text, in snippets written for this project by
 * test/fixtures/realpatterns79/gen_realpatterns79.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { statementsOfLine } from '../../../src/core/detection/flattenedPageCode';
import { workedLogsInLine } from '../../../src/core/detection/workedLogs';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns79', 'Chinese, Japanese and Korean pages as copied', {
  least: { snippets: 8, negatives: 3, wrongClaims: 4 },
  exhaustive: true,
});

const md = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'page.md' });
const pieces = (line: string) => statementsOfLine(line)?.map(([a, b]) => line.slice(a, b)) ?? null;

describe('a worked log in parentheses glued to a word', () => {
  it('reads it after a Han, kana or Hangul letter or in full-width parentheses, not after a name', () => {
    expect(workedLogsInLine('损失会更低(-log(0.8) ≈ 0.223)').map((w) => w.claim?.text)).toEqual(['0.223']);
    expect(workedLogsInLine('損失は（−log(0.5) ≈ 0.693）です').map((w) => w.claim?.text)).toEqual(['0.693']);
    expect(workedLogsInLine('손실은(-log(0.5) = 0.693)').map((w) => w.claim?.text)).toEqual(['0.693']);
    expect(workedLogsInLine('loss(-log(0.8) ≈ 0.223)')).toEqual([]);
    expect(workedLogsInLine('f(-log(0.8) ≈ 0.223)')).toEqual([]);
  });
});

describe('a program flattened onto one line of page text', () => {
  it('splits it where the statements certainly start', () => {
    expect(
      pieces('import torch import torch.nn as nn # 説明 x = torch.tensor([[1.0, 2.0]]) y = torch.tensor([1]) print(x)'),
    ).toEqual([
      'import torch',
      'import torch.nn as nn',
      'x = torch.tensor([[1.0, 2.0]])',
      'y = torch.tensor([1])',
      'print(x)',
    ]);
    expect(pieces('from torch import nn import torch')).toEqual(['from torch import nn', 'import torch']);
  });

  it('refuses a line with prose taken for code, an indented line, an unclosed bracket or one statement', () => {
    expect(pieces('delta = 1e-7 # t = 0 and y = 0のとき、数値にならない x = 1')).toBeNull();
    expect(pieces('    x = torch.tensor([1.0]) # 注意 y = torch.tensor([2.0])')).toBeNull();
    expect(pieces('import torch x = torch.tensor([1.0')).toBeNull();
    expect(pieces('import torch')).toBeNull();
    expect(pieces('Import the data, then x = 1 gives y = 2')).toBeNull();
  });

  it('reads a defined function only when the line calls it', () => {
    const body = 'x = torch.tensor([[0.5, 1.5]]) loss = F.cross_entropy(x, torch.tensor([1])) print(loss)';
    const called = md([
      `import torch import torch.nn.functional as F def go(): ${body} if __name__ == "__main__": go()`,
    ]);
    expect(called.pairs.map((p) => p.loss?.toFixed(4))).toEqual(['0.3133']);
    expect(md([`import torch import torch.nn.functional as F def go(): ${body}`]).pairs).toEqual([]);
  });

  it('binds what is under the line only to its one print', () => {
    const two = md([
      'import torch import torch.nn.functional as F x = torch.tensor([[0.5, 1.5]]) a = F.cross_entropy(x, torch.tensor([1])) print(a) print(a * 2)',
      'tensor(0.3133) tensor(0.6265)',
    ]);
    expect(two.pairs).toHaveLength(1);
    expect(two.claims.filter((c) => c.status === 'holds' || c.status === 'wrong')).toEqual([]);
  });
});

describe('bad input', () => {
  it('reads long triggering lines in bounded time (hang guard)', () => {
    const t0 = Date.now();
    expect(statementsOfLine('import a '.repeat(22_000))).toBeNull();
    expect(statementsOfLine('import a '.repeat(888))?.length).toBe(888);
    expect(statementsOfLine('x = (' + ' y = 1 #'.repeat(25_000))).toBeNull();
    expect(workedLogsInLine('损失(-log(0.5) ≈ '.repeat(12_000)).length).toBeLessThan(12_001);
    md(['[In]', 'import torch', ...Array(20_000).fill('print("---")'), 'print(torch.tensor(1.0))', '[Out]', '---']);
    md(['import torch x = (' + ' y = 1 # 注'.repeat(20_000)]);
    md([('import torch # 说明 x = torch.tensor([1.0]) ' + '(').repeat(8_000)]);
    expect(Date.now() - t0).toBeLessThan(30_000);
  }, 60_000);
});
