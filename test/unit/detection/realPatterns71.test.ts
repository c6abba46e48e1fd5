/**
 * One print showing several losses, each with its own words (docs/detection.md 3.189): `.format`
 * per argument, f-string fields, labels between the values, `%` tuples and `tf.print`, in snippets
 * written for this project by test/fixtures/realpatterns71/gen_realpatterns71.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { templateValues } from '../../../src/core/detection/printTemplates';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns71', 'several labelled losses on one printed line', {
  least: { snippets: 8, negatives: 2, wrongClaims: 6 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'check.py' });
const head = [
  'import torch',
  'import torch.nn.functional as F',
  'z = torch.tensor([[1.0, 0.2, -0.5]])',
  'a = F.cross_entropy(z, torch.tensor([0]))',
  'b = F.cross_entropy(z, torch.tensor([2]))',
];
const judged = (lines: string[]) => py(lines).claims.map((c) => [c.text, c.status]);

describe('the output line read against the print', () => {
  it('judges each value at its own field, and nothing when the words differ', () => {
    const print = "print('ce {:.4f}'.format(a), 'other {:.4f}'.format(b))";
    expect(judged([...head, print, '# ce 0.5143 other 2.0143'])).toEqual([
      ['0.5143', 'holds'],
      ['2.0143', 'holds'],
    ]);
    expect(judged([...head, print, '# ce 0.5143 other 1.9143'])).toEqual([
      ['0.5143', 'holds'],
      ['1.9143', 'wrong'],
    ]);
    expect(judged([...head, `${print}  # loss 0.5143 2.0143`])).toEqual([]);
    expect(judged([...head, `${print}  # ce 0.5143 other 2.0143 extra`])).toEqual([]);
  });

  it('reads no template from named fields, `!r` or a stream keyword', () => {
    expect(judged([...head, "print('{x:.4f} {y:.4f}'.format(x=a, y=b))  # 0.5143 1.1"])).toEqual([]);
    expect(judged([...head, 'print(f"ce {a!r} other {b!r}")  # ce 0.5143 other 1.1'])).toEqual([]);
    expect(judged([...head, "print('ce', a, 'other', b, end='')  # ce 0.5143 other 1.1"])).toEqual([]);
  });

  it('evaluates a loss call inside a format once: one pair each, each value judged at its field', () => {
    const doc = py([
      ...head.slice(0, 3),
      "print('{:.4f} then {:.4f}'.format(F.cross_entropy(z, torch.tensor([0])), F.cross_entropy(z, torch.tensor([2]))))",
      '# 0.5143 then 1.9143',
    ]);
    expect(doc.pairs).toHaveLength(2);
    expect(doc.claims.map((c) => [c.text, c.status])).toEqual([
      ['0.5143', 'holds'],
      ['1.9143', 'wrong'],
    ]);
  });

  it('takes tf.print as a print only for TensorFlow or an unbound tf', () => {
    const other = judged([
      ...head,
      'import mylog as tf',
      "tf.print('ce {:.4f}'.format(a), 'other {:.4f}'.format(b))",
      '# ce 0.5143 other 1.9143',
    ]);
    // Not a print: the fields are not judged one by one (the line's number stays unverified at most).
    expect(other.filter(([, status]) => status !== 'unverified')).toEqual([]);
  });

  it('splits values at the words, outside brackets', () => {
    const parts = ['loss: ', 0, ' (w Logits): ', 1];
    expect(templateValues(parts, 'loss: tensor(0.5, dtype=f) (w Logits): 0.25', 0)).toEqual([
      { field: 0, text: 'tensor(0.5, dtype=f)', start: 6 },
      { field: 1, text: '0.25', start: 39 },
    ]);
    expect(templateValues([0, ' ', 1], '0.5 0.25', 0)?.map((v) => v.text)).toEqual(['0.5', '0.25']);
    expect(templateValues([0, ' ', 1], '0.5', 0)).toBeNull();
  });

  it('reads a print with thousands of arguments or a long line in bounded time (hang guard)', () => {
    const many = py([...head, `print(${Array(5000).fill("'w {:.4f}'.format(a)").join(', ')})`, '# w 0.5143']);
    expect(many.claims).toEqual([]);
    const parts = ['x ', 0, ' y ', 1];
    expect(templateValues(parts, 'x ' + '1'.repeat(200_000), 0)).toBeNull();
    const doc = py([...head, `print('ce {:.4f}'.format(a), 'other {:.4f}'.format(b))  # ce ${'9'.repeat(100_000)}`]);
    expect(doc.claims).toEqual([]);
  }, 60_000);
});
