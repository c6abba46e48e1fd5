/**
 * A loss computed once per iteration of a module-level `for` loop over values written in the file
 * (docs/detection.md 3.35): a list of tuples in the `for` itself, a dict's `.items()`,
 * `enumerate(zip(…))` of lists bound above, a list bound to a name, arrays made by a comprehension
 * over lists of different lengths with a hand-written loss in the body, in snippets written for this
 * project by test/fixtures/realpatterns23/gen_realpatterns23.py, whose numbers are torch's.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns23', 'losses per iteration of a module-level loop', {
  least: { snippets: 5, negatives: 4, wrongClaims: 0 },
  exhaustive: true,
});

const scan = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 't.py' });
const head = ['import torch', 'import torch.nn.functional as F'];
const cases = (n: number) => `[${Array.from({ length: n }, (_, k) => `([${k}.0, 0.5], ${k % 2})`).join(', ')}]`;

describe('a module-level loop over literal cases', () => {
  it('runs at most 64 items, and a longer loop not at all', () => {
    const body = '    print(F.cross_entropy(torch.tensor([z]), torch.tensor([y])))';
    expect(scan([...head, `for z, y in ${cases(64)}:`, body]).pairs).toHaveLength(64);
    expect(scan([...head, `for z, y in ${cases(65)}:`, body]).pairs).toEqual([]);
  });

  it('runs a body that only collects what it computes, not one that reads it again', () => {
    const loop = [...head, 'seen = []', `for z, y in ${cases(3)}:`];
    const loss = '    seen.append(F.cross_entropy(torch.tensor([z]), torch.tensor([y])))';
    expect(scan([...loop, loss]).pairs).toHaveLength(3);
    // `total = total + loss` reads a name before the body assigns it: carried, not run.
    const carried = scan([
      ...head,
      'total = 0',
      `for z, y in ${cases(3)}:`,
      '    total = total + F.cross_entropy(torch.tensor([z]), torch.tensor([y]))',
    ]);
    expect(carried.pairs).toEqual([]);
  });

  it('is not run when the body changes an outer list, wherever the call that changes it stands', () => {
    // Run item by item, the second iteration would read rows[0] as written (a wrong 1.4170 where
    // torch prints 0.2200): a change inside a comprehension, a slice or a dict counts as one beside it.
    const loop = [...head, 'rows = [[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]]', 'for y in [0, 1]:', '    z = rows[0]'];
    const loss = '    print(F.cross_entropy(torch.tensor([z]), torch.tensor([y])))';
    for (const change of [
      '    rows.pop(0)',
      '    dropped = [rows.pop(0) for _ in range(1)]',
      '    kept = {"first": rows.pop(0)}',
      '    tail = z[rows.pop(0)[0] : 3]',
    ])
      expect(scan([...loop, loss, change]).pairs, change).toEqual([]);
  });

  it('is not run inside a function (the function is followed where it is called)', () => {
    const lines = [
      ...head,
      'def f():',
      `    for z, y in ${cases(2)}:`,
      '        F.cross_entropy(torch.tensor([z]), torch.tensor([y]))',
    ];
    expect(scan(lines).pairs).toEqual([]);
  });

  it('withdraws the ragged-array error of a list it reads apart, not of one made a tensor whole', () => {
    const list = '[([1.0, 2.0, 0.5], 0), ([0.1, 0.2], 1)]';
    const codes = (lines: string[]) => scan(lines).findings.map((f) => f.code);
    const loop = [...head, `for z, y in ${list}:`, '    print(F.cross_entropy(torch.tensor([z]), torch.tensor([y])))'];
    expect(codes(loop)).not.toContain('ragged_array');
    expect(codes([...head, `cases = torch.tensor(${list})`])).toContain('ragged_array');
  });
});
