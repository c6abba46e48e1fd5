/**
 * MXNet 1.x's metric objects (docs/detection.md 3.173) and a bare call of a page's own names on a plain
 * page line (3.174), in snippets written for this project by
 * test/fixtures/realpatterns67/gen_realpatterns67.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns67', 'mxnet metrics, bare calls on page lines', {
  least: { snippets: 8, negatives: 3, wrongClaims: 3 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'run.py' });
const md = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'page.md' });

describe("MXNet's metric objects", () => {
  const metric = (make: string, update: string, probs = '[[0.25, 0.75], [0.5, 0.5]]') =>
    py(['import mxnet as mx', `p = mx.nd.array(${probs})`, 'y = mx.nd.array([1, 0])', `m = ${make}`, update]);
  const mean = -(Math.log(0.75) + Math.log(0.5)) / 2;

  it('is a pair at each update of one batch, lists of one array or the arrays themselves', () => {
    for (const make of ['mx.metric.CrossEntropy()', 'mx.metric.NegativeLogLikelihood(eps=1e-12)'])
      for (const update of ['m.update([y], [p])', 'm.update(y, p)', 'm.update(labels=[y], preds=[p])']) {
        const doc = metric(make, update);
        expect(
          doc.pairs.map((q) => q.loss),
          `${make} ${update}`,
        ).toEqual([expect.closeTo(mean, 6)]);
      }
  });

  it('has no number when ε moves a picked probability, a label is no class, or the rows are float64', () => {
    const cases: [string, string][] = [
      ['mx.metric.CrossEntropy(eps=0.01)', 'm.update([y], [p])'],
      ['mx.metric.CrossEntropy()', 'm.update([mx.nd.array([2, 0])], [p])'],
      ['mx.metric.CrossEntropy()', "m.update([y], [mx.nd.array([[0.25, 0.75], [0.5, 0.5]], dtype='float64')])"],
    ];
    for (const [make, update] of cases) {
      const doc = metric(make, update);
      expect(doc.pairs.length, update).toBe(1);
      expect(doc.pairs[0].loss, `${make} ${update}`).toBeNull();
      expect(doc.pairs[0].unverified, update).toBeTruthy();
    }
  });

  it('is not called like a loss, and two batches in one update are not read', () => {
    expect(metric('mx.metric.CrossEntropy()', 'm([y], [p])').pairs).toEqual([]);
    expect(metric('mx.metric.CrossEntropy()', 'm.update([y, y], [p, p])').pairs).toEqual([]);
  });

  it("reads get()'s value only after one update since the metric was made or reset", () => {
    const doc = py([
      'import mxnet as mx',
      'p = mx.nd.array([[0.25, 0.75], [0.5, 0.5]])',
      'y = mx.nd.array([1, 0])',
      'm = mx.metric.CrossEntropy()',
      'm.update([y], [p])',
      'm.update([y], [p])',
      'print(m.get()[1])  # 0.4904',
      'm.reset()',
      'm.update([y], [p])',
      'print(m.get()[1])  # 0.4904',
    ]);
    expect(doc.pairs.map((q) => q.loss)).toEqual([expect.closeTo(mean, 6), null, expect.closeTo(mean, 6)]);
    expect(doc.claims.map((c) => [c.line, c.status])).toEqual([
      [7, 'unverified'],
      [10, 'holds'],
    ]);
  });
});

describe('a bare call on a plain page line', () => {
  const page = (call: string) =>
    md([
      'Example:',
      '',
      'x = torch.tensor([[2.0, 0.5], [0.1, 1.2]])',
      't = torch.tensor([0, 1])',
      call,
      'tensor(0.3185)',
    ]);

  it('is code when every argument is a name the code above bound', () => {
    for (const call of ['F.cross_entropy(x, t)', 'nn.functional.cross_entropy(x, t)', 'F.cross_entropy(x, t,)'])
      expect(
        page(call).pairs.map((q) => q.call?.line),
        call,
      ).toEqual([5]);
  });

  it('is not code with a name the code did not bind, a literal, a callee not spelled as a loss, or a blank line above it', () => {
    // The two arrays may still be proposed as a pair by their shapes (no call): never one on line 5.
    for (const call of ['F.cross_entropy(x, target)', 'F.cross_entropy(x, [0, 1])', 'score_of(x, t)'])
      expect(
        page(call).pairs.filter((q) => q.call !== null),
        call,
      ).toEqual([]);
    const apart = md(['x = torch.tensor([[2.0, 0.5]])', 't = torch.tensor([0])', '', 'F.cross_entropy(x, t)']);
    expect(apart.pairs.filter((q) => q.call !== null)).toEqual([]);
  });
});
