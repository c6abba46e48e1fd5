/**
 * Console sessions as pages flatten them, and numpy's rounding for a print (docs/detection.md 3.15):
 * the precision side of those rules. A `def` body that lost its indentation is only re-indented
 * when no line opens a block of its own; prose under an output ends it; a flattened line's output
 * belongs to its own call only; a rounded vector reduced afterwards is never judged with the
 * unrounded losses.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';

function scan(text: string, fileName = 'page.txt') {
  return analyzeText(text, { fileName });
}

/** A session defining `ce(p, t)` with `body` after its header, calling it, and `output` under the call. */
function session(body: string[], output: string[]): string {
  return [
    '>>> import numpy as np',
    '>>> def ce(p, t):',
    ...body,
    '>>> ce(np.array([0.25, 0.75]), np.array([0, 1]))',
    ...output,
  ].join('\n');
}

describe('console sessions flattened by pages', () => {
  it('re-indents a lost def body and follows the function', () => {
    const doc = scan(session(['... return -np.sum(t * np.log(p))'], ['0.2876820724517809']));
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].loss).toBeCloseTo(-Math.log(0.75), 12);
    expect(doc.claims.map((c) => c.status)).toEqual(['holds']);
  });

  it('leaves a body alone when the session already indents it', () => {
    const doc = scan(session(['...     return -np.sum(t * np.log(p))'], ['0.2876820724517809']));
    expect(doc.pairs[0].loss).toBeCloseTo(-Math.log(0.75), 12);
  });

  it('reads no number from a lost body that held a block of its own', () => {
    const doc = scan(
      session(['... if p.ndim == 1:', '... p = p.reshape(1, -1)', '... return -np.sum(t * np.log(p))'], ['0.28768']),
    );
    expect(doc.pairs.filter((p) => p.loss !== null)).toEqual([]);
    expect(doc.claims.filter((c) => c.status === 'holds' || c.status === 'wrong')).toEqual([]);
  });

  it("ends an output at a line of prose, so the next number is not this call's", () => {
    const doc = scan(
      session(['... return -np.sum(t * np.log(p))'], ['0.28768', 'and for the other guess we would get', '1.38629']),
    );
    expect(doc.claims.map((c) => [c.line, c.status])).toEqual([[5, 'holds']]);
  });

  it("binds a flattened line's output to its own call only", () => {
    const doc = scan(
      'sklearn.metrics.log_loss\n>>> from sklearn.metrics import log_loss >>> log_loss([0, 1], ... [[.8, .2], [.3, .7]]) 0.2899...\n',
    );
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].loss).toBeCloseTo(-(Math.log(0.8) + Math.log(0.7)) / 2, 12);
    expect(doc.claims.map((c) => c.status)).toEqual(['holds']);
  });
});

describe("numpy's rounding for a print", () => {
  const lines = [
    'import numpy as np',
    'import torch',
    'import torch.nn.functional as F',
    'z = torch.tensor([[1.2, -0.3, 0.4], [0.0, 2.0, 0.5]])',
    'k = torch.tensor([2, 1])',
    "rows = F.cross_entropy(z, k, reduction='none')",
  ];

  it('judges a rounded vector at its printed digits', () => {
    const doc = scan([...lines, 'print(np.around(rows.numpy(), 2))  # [1.31 0.31]'].join('\n'), 'a.py');
    expect(doc.claims.map((c) => c.status)).toEqual(['holds', 'holds']);
  });

  it('never judges a reduction of rounded losses with the unrounded ones', () => {
    // numpy prints 0.8 (the mean of 1.3 and 0.3); the unrounded mean is 0.81.
    const doc = scan([...lines, 'm = np.mean(np.around(rows.numpy(), 1))', 'print(m)  # 0.81'].join('\n'), 'a.py');
    expect(doc.claims.filter((c) => c.status === 'holds' || c.status === 'wrong')).toEqual([]);
  });

  it('rounds a scalar loss as Python would', () => {
    const doc = scan([...lines, 'print(np.round(rows.mean().item(), 2))  # 0.82'].join('\n'), 'a.py');
    expect(doc.claims.map((c) => c.status)).toEqual(['wrong']);
  });
});
