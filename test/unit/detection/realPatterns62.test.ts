/**
 * numpy loss classes as from-scratch courses write them: a base class's `calculate` calling the
 * subclass's `forward`, the clip and the `len(y_true.shape)` branch, results kept on the instance,
 * a softmax and a loss combined in one class (docs/detection.md 3.154-3.156), in snippets written
 * for this project by test/fixtures/realpatterns62/gen_realpatterns62.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns62', 'numpy loss classes: inherited calculate, instance attributes', {
  least: { snippets: 6, negatives: 2, wrongClaims: 2 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'run.py' });
const classes = [
  'import numpy as np',
  'class Base:',
  '    def total(self, p, t):',
  '        self.forward(p, t)',
  '        self.avg = np.mean(self.rows)',
  'class Xent(Base):',
  '    def forward(self, p, t):',
  '        self.rows = -np.log(np.clip(p, 1e-7, 1 - 1e-7)[range(len(p)), t])',
  'p = np.array([[0.6, 0.4], [0.3, 0.7], [0.5, 0.5]])',
  'crit = Xent()',
];

describe('numpy loss classes of the file', () => {
  it('reports the mean a method leaves on the instance at the call that computed it', () => {
    const doc = py([...classes, 'crit.total(p, np.array([0, 1, 1]))', 'print(crit.avg)']);
    expect(doc.pairs.map((p) => [p.call?.line, p.loss])).toEqual([[11, expect.closeTo(0.5202159, 6)]]);
  });

  it('forgets what the instance holds once a method that is not followed runs', () => {
    const doc = py([
      ...classes.slice(0, 8),
      '    @property',
      '    def scaled(self):',
      '        return self.rows * 2',
      ...classes.slice(8),
      'crit.forward(p, np.array([0, 1, 1]))',
      'crit.scaled',
      'print(np.mean(crit.rows))',
    ]);
    expect(doc.pairs.filter((p) => p.loss !== null)).toEqual([]);
  });

  it('does not follow a base class of another file', () => {
    const doc = py([
      ...classes.slice(0, 1),
      'from lib import Base',
      ...classes.slice(5),
      'v = crit.total(p, np.array([0, 1, 1]))',
    ]);
    expect(doc.pairs.filter((p) => p.loss !== null)).toEqual([]);
  });
});
