/**
 * Spellings of the twentieth unseen set (docs/detection.md 3.71-3.74), in snippets written for this
 * project by test/fixtures/realpatterns38/gen_realpatterns38.py (numbers from torch 1.13): a fence
 * without a language whose literal spans several lines, comment lines under a run of prints read in
 * order, reductions from `"…".split()` in a loop, a rule line between a print and its output, and no
 * guess from names beside a criterion built with options and never called.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns38', 'the twentieth unseen set', {
  least: { snippets: 4, negatives: 2, wrongClaims: 3 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 't.py' });
const md = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 't.md' });
const head = [
  'import torch',
  'import torch.nn.functional as F',
  'a = torch.tensor([[1.5, 0.2, -0.7], [0.1, 0.1, 2.4]])',
  'b = torch.tensor([0, 2])',
];
// torch 1.13: F.cross_entropy(a, b) = 0.2536, with reduction='sum' 0.5073.
const judged = (lines: string[]) => py([...head, ...lines]).claims.map((c) => [c.line, c.status]);

describe('comment lines under a run of prints', () => {
  it('are read in order only when there is one value line per print', () => {
    const run = ['print(F.cross_entropy(a, b))', "print(F.cross_entropy(a, b, reduction='sum'))"];
    expect(judged([...run, '# 0.2536', '# 0.5073'])).toEqual([
      [7, 'holds'],
      [8, 'holds'],
    ]);
    // One value under two prints: the print right above it, as before.
    expect(judged([...run, '# 0.5073'])).toEqual([[7, 'holds']]);
    // Three value lines under two prints: not read in order (the first binds to the print above).
    expect(judged([...run, '# 0.5073', '# 0.2536', '# 0.1']).filter(([l]) => l === 8)).toEqual([]);
  });

  it('leave a run alone when a print has its own comment', () => {
    const lines = ['print(F.cross_entropy(a, b))  # 0.2536', "print(F.cross_entropy(a, b, reduction='sum'))"];
    expect(judged([...lines, '# 0.5073'])).toEqual([
      [5, 'holds'],
      [7, 'holds'],
    ]);
  });
});

describe('a rule line between a print and its output', () => {
  it('is passed over in Python text as in a page', () => {
    expect(judged(['print(F.cross_entropy(a, b))', '----------', 'tensor(0.2536)'])).toEqual([[7, 'holds']]);
    expect(judged(['print(F.cross_entropy(a, b))', '----------', 'tensor(0.2636)'])).toEqual([[7, 'wrong']]);
  });
});

describe('"…".split() as loop items', () => {
  it('gives one pair per word; a separator argument is not modelled', () => {
    const loop = (items: string) =>
      py([...head, `for r in ${items}:`, '    v = F.cross_entropy(a, b, reduction=r)'])
        .pairs.filter((p) => p.loss !== null || (p.losses?.length ?? 0) > 0)
        .map((p) => p.options.reduction);
    expect(loop('"sum mean".split()')).toEqual(['sum', 'mean']);
    expect(loop('"sum,mean".split(",")')).toEqual([]);
  });
});

describe('a fence without a language', () => {
  it('is code when a statement above left its brackets open, output otherwise', () => {
    const fenced = (rows: string[]) =>
      md([
        '```',
        'x = torch.tensor([',
        ...rows,
        '])',
        'y = torch.tensor([1, 0])',
        'print(F.cross_entropy(x, y))',
        '```',
      ]).pairs.length;
    expect(fenced(['    [0.5, -1.0],', '    [2.0, 0.0],'])).toBe(1);
    expect(md(['```', 'tensor([[0.5, -1.0],', '        [2.0, 0.0]])', '```']).pairs).toEqual([]);
  });
});

describe('a pair guessed from names', () => {
  it('gets no number beside a criterion built with options, and keeps it beside a bare one', () => {
    const page = (criterion: string) =>
      md(['logits = torch.tensor([[0.4, 1.1, -0.2], [0.9, 0.3, 0.3]])', 'labels = torch.tensor([1, 0])', criterion])
        .pairs;
    const withOptions = page("crit = nn.CrossEntropyLoss(reduction='sum')");
    expect(withOptions.map((p) => p.loss)).toEqual([null]);
    expect(withOptions[0].unverified).toMatch(/no call of it on these arrays was read/);
    expect(page('crit = nn.CrossEntropyLoss()').map((p) => p.loss === null)).toEqual([false]);
  });
});
