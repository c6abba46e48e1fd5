/**
 * Per-row losses worked out in a comment block beside one loss (docs/detection.md 3.290): Keras'
 * docstring chains (`>>> #      = [a, b]`), plain `#` chains and one-line `# losses = [a, b, c]`,
 * in snippets written for this project by test/fixtures/realpatterns84/gen_realpatterns84.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns84', 'per-row losses worked in a comment block', {
  least: { snippets: 7, negatives: 2, wrongClaims: 3 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'check.py' });
const judged = (lines: string[]) => py(lines).claims.map((c) => [c.text, c.status]);
const head = [
  'import torch',
  'import torch.nn.functional as F',
  'z = torch.tensor([[2.0, 0.0], [0.0, 1.0]])',
  'k = torch.tensor([0, 0])',
];
const call = 'loss = F.cross_entropy(z, k)';

describe('a vector of per-row losses in a comment chain', () => {
  it('judges each number against its row, at its printed digits', () => {
    expect(judged([...head, call, '# xent = [0.1269, 1.3133]'])).toEqual([
      ['0.1269', 'holds'],
      ['1.3133', 'holds'],
    ]);
    expect(judged([...head, call, '# xent = -log(p)', '#      = [0.127, 1.314]'])).toEqual([
      ['0.127', 'holds'],
      ['1.314', 'wrong'],
    ]);
    expect(judged([...head, '>>> # loss = [0.127, 1.313]', `>>> ${call}`])).toEqual([
      ['0.127', 'holds'],
      ['1.313', 'holds'],
    ]);
  });

  it('reads no label that is not a loss, and no chain a line without a sign breaks', () => {
    expect(judged([...head, call, '# softmax = [0.1269, 1.3133]'])).toEqual([]);
    expect(judged([...head, call, '# logits = [0.1269, 1.3133]'])).toEqual([]);
    expect(judged([...head, call, '# xent = -log(p)', '# which is', '#      = [0.5, 1.5]'])).toEqual([]);
    expect(judged([...head, call, '# y_pred = -log(p)', '#      = [0.5, 1.5]'])).toEqual([]);
  });

  it('binds only beside exactly one unweighted loss, and a vector of as many numbers as rows', () => {
    const two = 'other = F.cross_entropy(z, torch.tensor([1, 1]))';
    expect(judged([...head, call, '# xent = [0.5, 1.5]', two])).toEqual([]);
    expect(judged([...head, call, '# xent = [0.1269, 1.3133, 0.5]'])).toEqual([]);
    expect(judged([...head, call, '# xent = [[0.1269], [1.3133]]'])).toEqual([]);
    expect(
      judged([...head, 'loss = F.cross_entropy(z, k, weight=torch.tensor([1.0, 2.0]))', '# xent = [0.5, 1.5]']),
    ).toEqual([]);
    const far = [...head, call, ...Array(9).fill('x = 1'), '# xent = [0.5, 1.5]'];
    expect(judged(far)).toEqual([]);
  });

  it('reads long and many comment lines in bounded time (hang guard)', () => {
    const doc = py([...head, call, '# xent = [' + '1.0, '.repeat(40_000) + ']', '#      = ' + '['.repeat(200_000)]);
    expect(doc.claims).toEqual([]);
    const many = py([...head, call, ...Array(50_000).fill('#      = [0.5, 1.5]')]);
    expect(many.claims).toEqual([]);
    const prefix = py([...head, call, '>>> # xent ='.repeat(20_000)]);
    expect(prefix.claims).toEqual([]);
  }, 60_000);
});
