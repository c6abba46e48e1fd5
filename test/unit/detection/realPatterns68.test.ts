/**
 * Python losses of the unseen sets fresh29-34 that main did not follow (docs/detection.md 3.177-3.180),
 * in snippets written for this project by test/fixtures/realpatterns68/gen_realpatterns68.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns68', 'fresh29-34 Python shapes', {
  least: { snippets: 2, negatives: 0, wrongClaims: 1 },
  exhaustive: true,
});

const page = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'page.md' });
const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'run.py' });

describe('a notebook page cell: a blank line inside a method (3.177)', () => {
  const cell = (gap: string, after: string) => [
    'In [1]:',
    'import numpy as np',
    'p = np.array([[0.5, 0.5], [0.9, 0.1]])',
    't = np.array([1, 0])',
    '',
    'In [2]:',
    'class Base:',
    '    def run(self, p, t):',
    '        self.rows = self.forward(p, t)',
    gap,
    `        ${after}`,
    '',
    'class Pick(Base):',
    '    def forward(self, p, t):',
    '        return -np.log(p[range(len(p)), t])',
    '',
    'In [3]:',
    'c = Pick()',
    'c.run(p, t)',
    'print(c.avg)',
  ];
  const mean = -(Math.log(0.5) + Math.log(0.9)) / 2;

  it('goes on under a blank line or a line of spaces when the next line is an indented statement', () => {
    for (const gap of ['', '      ']) {
      const doc = page(cell(gap, 'self.avg = np.mean(self.rows)'));
      expect(
        doc.pairs.map((p) => p.loss),
        JSON.stringify(gap),
      ).toEqual([expect.closeTo(mean, 12)]);
    }
  });

  it('ends at a blank line when the indented line under it is no statement', () => {
    const doc = page(cell('', '0.1 0.2 0.3'));
    expect(doc.pairs.map((p) => p.loss)).toEqual([]);
  });
});

describe('a print of the loss and then an array (3.177)', () => {
  const lines = (print: string, shown: string) => [
    'import numpy as np',
    'class Crit:',
    '    def forward(self, p, t):',
    '        self.rows = -np.log(p[range(len(p)), t])',
    '    def run(self, p, t):',
    '        self.forward(p, t)',
    '        self.avg = np.mean(self.rows)',
    'p = np.array([[0.5, 0.5], [0.9, 0.1]])',
    't = np.array([1, 0])',
    'c = Crit()',
    'c.run(p, t)',
    print,
    `# ${shown}`,
  ];
  const mean = -(Math.log(0.5) + Math.log(0.9)) / 2;

  it('judges the loss at its place among the values shown', () => {
    const right = py(lines('print(c.avg, c.rows)', `${mean} [0.69314718 0.10536052]`));
    expect(right.claims.map((c) => [c.text, c.status])).toEqual([[String(mean), 'holds']]);
    const wrong = py(lines('print(c.avg, c.rows)', `0.45 [0.69314718 0.10536052]`));
    expect(wrong.claims.map((c) => [c.text, c.status])).toEqual([['0.45', 'wrong']]);
  });

  it('claims nothing when a string is printed among them, or the parts do not match', () => {
    expect(py(lines('print(c.avg, "rows", c.rows)', `${mean} rows [0.69314718 0.10536052]`)).claims).toEqual([]);
    expect(py(lines('print(c.avg, c.rows)', `${mean}`)).claims).toEqual([]);
  });
});
