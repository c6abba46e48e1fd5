/**
 * Question-and-answer pages (docs/detection.md 3.320-3.323): a mirror's plain lines with TensorFlow's
 * printed reprs as comments and a loop over `zip` of converted arrays, the sentence `the output is …` /
 * `This results in a value of …` under a block with one loss, a softmax cross-entropy worked from its
 * scores (`-x[c] + log Σ exp(x)`), and a chain labelled `l(0.4 | 0) =`, in snippets written for this
 * project by test/fixtures/realpatterns90/gen_realpatterns90.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { workedLseInLine } from '../../../src/core/detection/workedLse';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns90', 'question-and-answer pages', {
  least: { snippets: 12, negatives: 8, wrongClaims: 5 },
  exhaustive: true,
});

const md = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'page.md' });

describe('a softmax cross-entropy worked from its scores', () => {
  it('needs the subtracted score among the summed ones, and takes it as the target', () => {
    expect(workedLseInLine('-1 + log(exp(0) + exp(1) + exp(0)) = 0.5514').map((w) => w.target)).toEqual([1]);
    expect(workedLseInLine('log(exp(2) + exp(0)) - 2 = 0.1269').map((w) => w.target)).toEqual([0]);
    expect(workedLseInLine('-3 + log(exp(0) + exp(1)) = 1.69')).toEqual([]);
    expect(workedLseInLine('log(exp(0) + exp(1)) = 1.3133')).toEqual([]);
    // A library's log is code, not a worked line.
    expect(workedLseInLine('-1 + np.log(np.exp(0) + np.exp(1)) = 0.3133')).toEqual([]);
  });

  it('reads the value only at the end of the chain', () => {
    const doc = md(['The loss is -1 + log(exp(0) + exp(1)) = 0.3133 = 0.31 nats.']);
    expect(doc.pairs).toHaveLength(1);
    expect(doc.claims.map((c) => [c.text, c.status])).toEqual([['0.31', 'holds']]);
  });

  it('stays linear on 200,000 characters of the trigger, in one line or in many', () => {
    const one = '-1 + log(' + 'exp(1) + '.repeat(22000);
    const many = Array.from({ length: 50 }, () => '-1 + log(' + 'exp(1) + '.repeat(430) + '= ').join('\n');
    for (const page of [one, many]) {
      expect(page.length).toBeGreaterThan(190000);
      const t0 = Date.now();
      md(['The cross-entropy loss:', page]);
      expect(Date.now() - t0).toBeLessThan(5000);
    }
  });
});
