/**
 * Console sessions flattened onto one page line with an output after each call, prompts glued to the
 * sentence before them, and MegEngine's API pages (docs/detection.md 3.165), in snippets written for
 * this project by test/fixtures/realpatterns65/gen_realpatterns65.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns65', 'flattened sessions, glued prompts, MegEngine pages', {
  least: { snippets: 8, negatives: 3, wrongClaims: 3 },
  exhaustive: true,
});

const md = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'page.md' });
const session =
  '>>> import torch >>> x = torch.tensor([[0.0, 1.0]]) >>> torch.nn.functional.cross_entropy(x, torch.tensor([1]))';

describe('a flattened session with an output after each call', () => {
  it("binds each output to the call before it, never the next call's output to the first", () => {
    const doc = md([
      'Two calls',
      `${session} tensor(0.3133) >>> torch.nn.functional.cross_entropy(x, torch.tensor([0])) tensor(1.3133)`,
    ]);
    expect(doc.pairs.map((p) => p.loss)).toEqual([expect.closeTo(0.31326, 4), expect.closeTo(1.31326, 4)]);
    expect(doc.claims.map((c) => [c.text, c.status])).toEqual([
      ['tensor(0.3133)', 'holds'],
      ['tensor(1.3133)', 'holds'],
    ]);
  });

  it('reads a statement after an output that has no output of its own', () => {
    const doc = md([
      'Then',
      `${session} tensor(0.3133) >>> y = torch.tensor([0]) >>> torch.nn.functional.cross_entropy(x, y)`,
    ]);
    expect(doc.pairs.map((p) => p.loss)).toEqual([expect.closeTo(0.31326, 4), expect.closeTo(1.31326, 4)]);
  });
});

describe('a prompt glued to the prose before it', () => {
  it('is read after ASCII or CJK punctuation, alone or ending a sentence', () => {
    for (const lead of ['。', '：', 'Example:', '下面是例子：', 'Run it.']) {
      const doc = md(['Intro', `${lead}${session} tensor(0.3133)`]);
      expect(
        doc.pairs.map((p) => p.loss),
        lead,
      ).toEqual([expect.closeTo(0.31326, 4)]);
    }
  });

  it('is not read when the text before it holds a quote (a string of code)', () => {
    const doc = analyzeText(`s = "see:${session} tensor(0.3133)"\n`, { fileName: 'a.py' });
    expect(doc.pairs).toEqual([]);
  });
});
