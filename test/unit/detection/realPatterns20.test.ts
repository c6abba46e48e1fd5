/**
 * A log-softmax written out as the logits minus their log-sum-exp (after shifting each row by its
 * maximum, or not), then picked at the target's class or weighted by probability targets: torch and
 * numpy spellings (docs/detection.md 3.32), in snippets written for this project by
 * test/fixtures/realpatterns20/gen_realpatterns20.py, whose numbers are torch's and numpy's.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns20', 'a log-softmax written as x − logsumexp(x), on generated snippets', {
  least: { snippets: 2, negatives: 1, wrongClaims: 1 },
  exhaustive: true,
});

const scan = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 't.py' });

describe('x − logsumexp(x)', () => {
  it('is a log-softmax only against the log-sum-exp of its own rows', () => {
    const head = ['import torch', 'a = torch.tensor([[0.5, 1.5, -0.5], [1.0, 0.0, 2.0]])', 'y = torch.tensor([1, 2])'];
    const own = scan([...head, 'lp = a - torch.logsumexp(a, dim=1, keepdim=True)', 'l = -lp[range(2), y].mean()']);
    expect(own.pairs.map((p) => p.recogniser)).toEqual(['formula.neg_log_softmax_pick']);
    // Another array's log-sum-exp subtracted: not a log-softmax of either, no pair.
    const other = scan([
      ...head,
      'b = torch.tensor([[2.0, 0.0, 1.0], [0.5, 0.5, 0.5]])',
      'lp = a - torch.logsumexp(b, dim=1, keepdim=True)',
      'l = -lp[range(2), y].mean()',
    ]);
    expect(other.pairs).toEqual([]);
  });
});
