/**
 * Plain Python numbers written where a loss reads them (docs/detection.md 3.274–3.276): a helper
 * called with numbers in the call, a module-level loop over a list of tuples written in the file
 * (unpacked, `zip`, `enumerate`), and the same loop as plain lines of a page, in snippets written for
 * this project by test/fixtures/realpatterns82/gen_realpatterns82.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns82', 'numbers written in calls and in loop lists', {
  least: { snippets: 5, negatives: 4, wrongClaims: 1 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'check.py' });
const md = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'page.md' });
const values = (doc: ReturnType<typeof py>) => doc.pairs.map((p) => p.loss);
const helper = ['import math', 'def bce(y, p):', '    return -(y * math.log(p) + (1 - y) * math.log(1 - p))'];

describe('numbers written in a call or a loop list', () => {
  it('pairs a helper called with numbers, each call once, and judges its comment', () => {
    const doc = py([...helper, 'print(bce(1, 0.9))  # 0.1054', 'print(bce(1, 0.9))  # 0.2054']);
    expect(doc.pairs).toHaveLength(2);
    expect(values(doc)[0]).toBeCloseTo(-Math.log(0.9), 12);
    expect(doc.claims.map((c) => c.status)).toEqual(['holds', 'wrong']);
  });

  it('gives one pair per pass of a loop over a list of tuples, a list of numbers, zip and enumerate', () => {
    const tuples = py([...helper, 'data = [(1, 0.8), (0, 0.4)]', 'for y, p in data:', '    print(bce(y, p))']);
    expect(values(tuples).map((v) => v?.toFixed(6))).toEqual([
      (-Math.log(0.8)).toFixed(6),
      (-Math.log(0.6)).toFixed(6),
    ]);
    const zipped = py([...helper, 'for y, p in zip([1, 1], [0.3, 0.7]):', '    print(bce(y, p))']);
    expect(zipped.pairs).toHaveLength(2);
    const numbers = py([...helper, 'for p in [0.25, 0.5]:', '    print(bce(1, p))']);
    expect(numbers.pairs).toHaveLength(2);
    const counted = py([...helper, 'for i, (y, p) in enumerate([(0, 0.1), (1, 0.9)]):', '    print(i, bce(y, p))']);
    expect(counted.pairs).toHaveLength(2);
  });

  it('reads a list with comments between its tuples, and not one with a name or a call in it', () => {
    const loop = ['for y, p in data:', '    print(bce(y, p))'];
    const commented = ['data = [', '    (1, 0.8),  # sure', '    (0, 0.4),  # unsure', ']'];
    expect(py([...helper, ...commented, ...loop]).pairs).toHaveLength(2);
    // A name in the list: not read as numbers written there, so no pass gets a number from it.
    expect(
      py([...helper, 'w = 0.3', 'data = [(1, w), (0, 0.4)]', ...loop]).pairs.filter((p) => p.loss !== null),
    ).toEqual([]);
  });

  it('gives no number when a clamp changes the value, or the list is changed before the loop', () => {
    const clamp = py([
      'import math',
      'def bce(y, p):',
      '    p = max(min(p, 0.99), 0.01)',
      '    return -(y * math.log(p) + (1 - y) * math.log(1 - p))',
      'print(bce(1, 1.0))',
    ]);
    expect(clamp.pairs.filter((p) => p.loss !== null)).toEqual([]);
    const appended = py([
      ...helper,
      'data = [(1, 0.8)]',
      'data.append((0, 0.3))',
      'for y, p in data:',
      '    print(bce(y, p))',
    ]);
    expect(appended.pairs.filter((p) => p.loss !== null).map((p) => p.loss?.toFixed(4))).not.toContain(
      (-Math.log(0.7)).toFixed(4),
    );
  });

  it('gives no number where math.log meets 0 and Python raises, at the top level as in a call', () => {
    const top = py(['import math', 'y = 1', 'p = 1.0', 'loss = -(y * math.log(p) + (1 - y) * math.log(1 - p))']);
    expect(top.pairs.filter((p) => p.loss !== null)).toEqual([]);
    expect(py([...helper, 'print(bce(0, 0.0))']).pairs.filter((p) => p.loss !== null)).toEqual([]);
    // numpy gives -inf there, not an error: its NaN is what the program prints.
    const np = py(['import numpy as np', 'y = 1', 'p = 1.0', 'loss = -(y * np.log(p) + (1 - y) * np.log(1 - p))']);
    expect(np.pairs.map((p) => p.loss)).toEqual([NaN]);
  });

  it('reads a for line on a page as code only when it goes over names the page bound', () => {
    const page = [
      'Worked out by hand',
      '',
      ...helper,
      '',
      'cases = [',
      '    (1, 0.6),',
      ']',
      '',
      'for y, p in cases:',
      '    print(bce(y, p))',
    ];
    expect(md(page).pairs).toHaveLength(1);
    expect(md([...page.slice(0, 8), 'for y, p in other_cases:', '    print(bce(y, p))']).pairs).toHaveLength(0);
  });

  it('reads long lists and many for lines in bounded time (hang guard)', () => {
    const long = py([
      ...helper,
      `data = [${'(1, 0.5), '.repeat(20_000)}]`,
      'for y, p in data:',
      '    print(bce(y, p))',
    ]);
    expect(long.pairs.filter((p) => p.loss !== null)).toEqual([]);
    const lines = md(['cases = [(1, 0.5)]', ...Array(20_000).fill('for y, p in cases:')]);
    expect(lines.pairs).toEqual([]);
    const comments = py([
      ...helper,
      `data = [(1, 0.5), ${'# x\n'.repeat(40_000)}(0, 0.2)]`,
      'for y, p in data:',
      '    print(bce(y, p))',
    ]);
    expect(comments.pairs.length).toBeLessThanOrEqual(2);
  }, 60_000);
});
