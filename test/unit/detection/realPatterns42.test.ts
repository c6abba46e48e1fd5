/**
 * Gaps of the twenty-fourth unseen set (docs/detection.md 3.86-3.88), in snippets written for this
 * project by test/fixtures/realpatterns42/gen_realpatterns42.py: a project's own loss a test asserts
 * equal to a torch loss on the same arrays (a pair without a number, 3.86), and an ε added to softmax
 * probabilities after they are picked (torch's NLLLoss of log(p + ε), 3.87). Before, the project's
 * call was no pair at all and the ε after a softmax pick left the loss unverified.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { reasonText } from '../../../src/core/reasonText';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns42', 'asserted project losses and ε after a softmax pick', {
  least: { snippets: 5, negatives: 1, wrongClaims: 0 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'test_demo.py' });

const head = [
  'import torch',
  'import torch.nn.functional as F',
  'x = torch.tensor([[0.5, -0.25, 1.0], [2.0, 0.0, -1.0]])',
  'y = torch.tensor([2, 0])',
];

describe('a project loss asserted equal to a torch loss (3.86)', () => {
  it('is a pair on the torch loss’s arrays and options, without a number, saying why', () => {
    const doc = py([
      ...head,
      'mine = OwnLoss(label_smoothing=0.1)(x, y)',
      'ref = F.cross_entropy(x, y, label_smoothing=0.1)',
      'torch.testing.assert_close(mine, ref)',
    ]);
    const own = doc.pairs.find((p) => p.call?.line === 5);
    expect(own, JSON.stringify(doc.pairs.map((p) => p.call?.line))).toBeDefined();
    expect(own?.loss).toBeNull();
    expect(own?.options.labelSmoothing).toBe(0.1);
    expect(own?.logits.line).toBe(3);
    expect(own?.target.line).toBe(4);
    expect(own?.unverified).toBe(
      '`OwnLoss(label_smoothing=0.1)` is the project’s own code, not read here: the assertion on line 7 says it equals `F.cross_entropy` on these arrays',
    );
    expect(doc.pairs.find((p) => p.call?.line === 6)?.loss).not.toBeNull();
  });

  it('reads the project call inside the assertion, either side, and its call again on the same arrays', () => {
    for (const cond of [
      'torch.allclose(crit(x, y), F.cross_entropy(x, y))',
      'torch.isclose(F.cross_entropy(x, y), crit(x, y))',
    ]) {
      const doc = py([...head, 'crit = build_loss({"kind": "ce"})', `assert ${cond}`, 'print(crit(x, y))']);
      const lines = doc.pairs.filter((p) => p.loss === null && p.unverified).map((p) => p.call?.line);
      expect(lines, cond).toEqual([6, 7]);
    }
  });

  it('says nothing under `not`, on other arrays, with other arguments, or once the callable is bound again', () => {
    const cases = [
      ['crit = build_loss({})', 'assert not torch.allclose(crit(x, y), F.cross_entropy(x, y))'],
      ['crit = build_loss({})', 'assert torch.allclose(crit(x * 2, y), F.cross_entropy(x, y))'],
      ['crit = build_loss({})', 'assert torch.allclose(crit(x, y, 0.5), F.cross_entropy(x, y))'],
      ['crit = build_loss({})', 'assert torch.allclose(crit(y, x), F.cross_entropy(x, y))'],
      ['crit = build_loss({})', 'ok = torch.allclose(crit(x, y), F.cross_entropy(x, y))'],
    ];
    for (const [made, cond] of cases) {
      const doc = py([...head, made, cond]);
      expect(
        doc.pairs.filter((p) => p.loss === null).map((p) => p.call?.line),
        cond,
      ).toEqual([]);
    }
    const again = py([
      ...head,
      'crit = build_loss({"w": 1})',
      'assert torch.allclose(crit(x, y), F.cross_entropy(x, y))',
      'crit = build_loss({"w": 2})',
      'print(crit(x, y))',
    ]);
    expect(again.pairs.filter((p) => p.loss === null).map((p) => p.call?.line)).toEqual([6]);
  });

  it('translates its reason through the l10n bundle, the code in it kept as written', () => {
    const ko = {
      t: (message: string, ...args: (string | number)[]) =>
        message ===
        '`{0}` is the project’s own code, not read here: the assertion on line {1} says it equals `{2}` on these arrays'
          ? `KO ${args.join(' ')}`
          : message,
    };
    const text = reasonText(
      '`crit` is the project’s own code, not read here: the assertion on line 6 says it equals `F.cross_entropy` on these arrays',
      ko as never,
    );
    expect(text).toBe('KO crit 6 F.cross_entropy');
  });
});

describe('an ε added to softmax probabilities after the pick (3.87)', () => {
  const numpyLines = (pick: string) => [
    'import numpy as np',
    'z = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])',
    't = np.array([1, 2])',
    'e = np.exp(z - z.max(axis=1, keepdims=True))',
    'p = e / e.sum(axis=1, keepdims=True)',
    `loss = ${pick}`,
    'print(loss)',
  ];

  it('is the NLL of log(p + ε), the code’s own float64 arithmetic', () => {
    const doc = py(numpyLines('-np.mean(np.log(p[np.arange(2), t] + 1e-3))'));
    expect(doc.pairs).toHaveLength(1);
    const soft = [
      [1.0, 2.0, 0.5],
      [0.0, -1.0, 3.0],
    ].map((r) => {
      const m = Math.max(...r);
      const ex = r.map((v) => Math.exp(v - m));
      const s = ex.reduce((a, b) => a + b, 0);
      return ex.map((v) => v / s);
    });
    const expected = -(Math.log(soft[0][1] + 1e-3) + Math.log(soft[1][2] + 1e-3)) / 2;
    expect(doc.pairs[0].loss).toBeCloseTo(expected, 12);
    // ε = 1e-3 is large enough that the cross-entropy of the logits is another number.
    expect(Math.abs((doc.pairs[0].loss ?? 0) - -(Math.log(soft[0][1]) + Math.log(soft[1][2])) / 2)).toBeGreaterThan(
      1e-4,
    );
    expect(doc.pairs[0].options.inputKind).toBe('log_probs');
  });

  it('is not read when what is added is an array, or when the pick is of logits plus ε through a softmax later', () => {
    const vector = py(numpyLines('-np.mean(np.log(p[np.arange(2), t] + np.array([1e-9, 1e-3])))'));
    expect(vector.pairs.filter((p) => p.loss !== null)).toEqual([]);
  });
});

describe('torch.testing.assert_close as an assertion (4.25)', () => {
  const claimed = (args: string) =>
    py([...head, `torch.testing.assert_close(F.cross_entropy(x, y), torch.tensor(0.404)${args})`]).claims.map(
      (c) => c.status,
    );

  it('judges its expected number with torch’s float32 tolerances, or the ones it is given', () => {
    // F.cross_entropy here is 0.40401… (torch 1.13): 0.404 is outside rtol 1.3e-6 + atol 1e-5, inside atol=1e-4.
    expect(claimed('')).toEqual(['wrong']);
    expect(claimed(', atol=1e-4, rtol=0')).toEqual(['holds']);
  });
});

describe('a loss’s per-sample values typed in and averaged (3.88)', () => {
  // Per-row losses of F.cross_entropy(x, y) above (torch 1.13, float32): 0.6382…, 0.1698…; mean 0.4040….
  const lines = (options: string, mean: string) => [
    ...head,
    `print(F.cross_entropy(x, y${options}))`,
    `print(${mean})  # 0.4004`,
  ];
  const judged = (options: string, mean: string) =>
    py(lines(options, mean))
      .claims.filter((c) => c.line === 6)
      .map((c) => c.status);

  it('judges the comment against what the line prints, as a claim about the loss above', () => {
    expect(judged('', '(0.6382 + 0.1698) / 2')).toEqual(['wrong']);
    const doc = py([...head, 'print(F.cross_entropy(x, y))', 'print((0.6382 + 0.1698) / 2)  # 0.4040']);
    expect(doc.claims.filter((c) => c.line === 6).map((c) => c.status)).toEqual(['holds']);
  });

  it('reads nothing when the numbers are not that loss’s rows in order, too coarse, or the loss is weighted', () => {
    for (const [options, mean] of [
      ['', '(0.1698 + 0.6382) / 2'],
      ['', '(0.6382 + 0.1698) / 3'],
      ['', '(0.64 + 0.17) / 2'],
      ['', '(0.6382 + 0.1698 + 0.0) / 2'],
      [', weight=torch.tensor([1.0, 2.0, 3.0])', '(0.6382 + 0.1698) / 2'],
      [', label_smoothing=0.1', '(0.6382 + 0.1698) / 2'],
    ])
      expect(judged(options, mean), `${options} ${mean}`).toEqual([]);
  });
});

describe('a function defined inside a followed function (3.89)', () => {
  it('is bound where the body defines it, its free names read when it is called', () => {
    const doc = py([
      'import numpy as np',
      'def f(z, t):',
      '    def nll(p):',
      '        return -np.mean(np.log(p[np.arange(n), t]))',
      '    n = 2',
      '    return nll(z)',
      'p = np.array([[0.5, 0.5], [0.25, 0.75]])',
      't = np.array([0, 1])',
      'print(f(p, t))',
    ]);
    const numbered = doc.pairs.filter((p) => p.loss !== null);
    expect(numbered).toHaveLength(1);
    expect(numbered[0].loss).toBeCloseTo(-(Math.log(0.5) + Math.log(0.75)) / 2, 14);
  });

  it('still stops at a nested class, and a module-level loop defining a function is not run', () => {
    const cls = py([
      'import numpy as np',
      'def f(p, t):',
      '    class Box:',
      '        pass',
      '    return -np.mean(np.log(p[np.arange(2), t]))',
      'print(f(np.array([[0.5, 0.5], [0.25, 0.75]]), np.array([0, 1])))',
    ]);
    expect(cls.pairs.filter((p) => p.loss !== null)).toEqual([]);
    const loop = py([
      'import numpy as np',
      'p = np.array([[0.5, 0.5], [0.25, 0.75]])',
      'for t in [np.array([0, 1]), np.array([1, 0])]:',
      '    def nll(q):',
      '        return -np.mean(np.log(q[np.arange(2), t]))',
      '    print(nll(p))',
    ]);
    expect(loop.pairs.filter((p) => p.loss !== null)).toEqual([]);
  });
});
