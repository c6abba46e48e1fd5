/**
 * Logits and targets built with Python's list arithmetic (`[2.5] + [0.0] * 5`, `[[…]] * 4`,
 * `2 * [0.0]`, tuples joined) and with torch's `.expand(…)` / `.expand_as(y)` (docs/detection.md
 * 3.37), in snippets written for this project by test/fixtures/realpatterns25/gen_realpatterns25.py,
 * whose numbers are torch's; and the spellings where Python or torch raises, which get no number.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns25', 'lists joined and repeated, tensors expanded', {
  least: { snippets: 7, negatives: 5, wrongClaims: 1 },
  exhaustive: true,
});

const scan = (lines: string[], fileName = 't.py') => analyzeText(lines.join('\n') + '\n', { fileName });
const head = ['import numpy as np', 'import torch', 'import torch.nn.functional as F'];
const losses = (lines: string[], fileName?: string) => scan(lines, fileName).pairs.map((p) => p.loss);

describe("Python's list arithmetic", () => {
  it('leaves a list with an ndarray or a tensor to their elementwise arithmetic (never joins them)', () => {
    // np.array([[0.5, 1.0, -1.0]]) + [[1.0, 0.0, 2.0]] adds elementwise: joined, it would be a 2×3 batch.
    for (const row of ['np.array([[0.5, 1.0, -1.0]]) + [[1.0, 0.0, 2.0]]', '[[1.0, 0.0, 2.0]] * np.array([2])']) {
      const shapes = scan([
        ...head,
        `x = ${row}`,
        'l = F.cross_entropy(torch.from_numpy(x), torch.tensor([2]))',
      ]).pairs.map((p) => p.logits.shape);
      expect(shapes.every((s) => s.join() !== '2,3')).toBe(true);
    }
  });

  it('does not join lists in JavaScript, where `+` on arrays makes a string', () => {
    const js = ['const row = [2.5] + [0.0];', 'const t = tf.tensor2d([row]);'];
    expect(scan(js, 't.js').pairs).toEqual([]);
  });

  it('gives the list a name of its own line, so a wrong printed value is caught on it', () => {
    const doc = scan([
      ...head,
      'row = [1.0] * 2 + [3.0]',
      'print(F.cross_entropy(torch.tensor([row]), torch.tensor([2])))  # tensor(0.2000)',
    ]);
    expect(doc.pairs).toHaveLength(1);
    expect(doc.claims.map((c) => c.status)).toEqual(['wrong']);
  });

  it('says why a list beyond the analysed size has no number, and stays within its budget', () => {
    const doc = scan([
      ...head,
      'row = [0.0] * 1000000000000',
      'l = F.cross_entropy(torch.tensor([row]), torch.tensor([0]))',
    ]);
    expect(doc.pairs.filter((p) => p.loss !== null)).toEqual([]);
    // Many repetitions in one document: those beyond the budget are opaque, the work stays bounded.
    const many = Array.from({ length: 60 }, (_, k) => `r${k} = [0.5] * 20000`);
    const last = scan([...head, ...many, 'l = F.cross_entropy(torch.tensor([r59]), torch.tensor([0]))']);
    expect(last.pairs.filter((p) => p.loss !== null)).toEqual([]);
    const first = scan([...head, ...many, 'l = F.cross_entropy(torch.tensor([r0]), torch.tensor([0]))']);
    expect(first.pairs.map((p) => p.loss !== null)).toEqual([true]);
  });
});

describe("torch's expand", () => {
  it('keeps the element order of every broadcast dimension', () => {
    // A column expanded: each row repeats its own number across the classes (all classes equal: log 3).
    const doc = scan([
      ...head,
      'x = torch.tensor([[1.0], [5.0]]).expand(2, 3)',
      'l = F.cross_entropy(x, torch.tensor([0, 2]))',
    ]);
    expect(doc.pairs[0].loss).toBeCloseTo(Math.log(3), 6);
  });

  it('reads the sizes written as a tuple or a list, -1 included, and gives no number without them', () => {
    const row = 'one = torch.tensor([[0.0, 1.5, -0.5]])';
    const at = (sizes: string) =>
      losses([...head, row, `l = F.cross_entropy(one.expand${sizes}, torch.tensor([0, 1]))`]);
    const written = at('(2, 3)');
    expect(written).toHaveLength(1);
    expect(at('((2, 3))')).toEqual(written);
    expect(at('([2, -1])')).toEqual(written);
    expect(losses([...head, row, 'l = F.cross_entropy(one.expand_as(), torch.tensor([0]))'])).toEqual([]);
  });

  it('is not modelled for numpy (an ndarray has no expand)', () => {
    const doc = scan([
      ...head,
      'x = np.array([[1.0, 2.0]]).expand(2, 2)',
      'l = F.cross_entropy(torch.from_numpy(x), torch.tensor([0, 1]))',
    ]);
    expect(doc.pairs.filter((p) => p.loss !== null)).toEqual([]);
  });
});

describe('the fixtures need the new spellings', () => {
  it('reads a 16-class row built by concatenation and repetition', () => {
    const v = losses([...head, 'l = F.cross_entropy(torch.tensor([[0.0, 9.0] + [-9.0] * 14]), torch.tensor([1]))']);
    expect(v).toHaveLength(1);
    expect(v[0]).toBeCloseTo(0.00012361239350866526, 9);
  });
});
