/**
 * Calls into functions defined in the source: followed with the call's arguments when the body
 * can be, and otherwise refused with the reason (a claim on the call is unverified, never
 * guessed). Also the refusals that keep a number from being invented: a malformed number, a
 * loss-like name bound to a class this source does not define. The printed values in the claims
 * are what torch 1.13 printed for the same code.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';

const head = `import torch
import torch.nn.functional as F

x = torch.tensor([[0.2, 0.4, 1.0]])
y = torch.tensor([2])
`;

function claimAt(source: string, line: number) {
  const doc = analyzeText(head + source, { fileName: 'followed.py' });
  const c = doc.claims.find((x) => x.line === line + 5);
  expect(c, `claim on line ${line} of the snippet`).toBeDefined();
  return { doc, claim: c as NonNullable<typeof c> };
}

describe('following calls into functions defined in the source', () => {
  it('follows a function defined after many others, whatever their bodies hold', () => {
    // Bodies are kept as statement spans, read again and parsed when a call is followed: hundreds
    // of functions before the one that is called.
    const filler = Array.from(
      { length: 400 },
      (_, i) => `def helper_${i}(batch, scale=2):
    """Scale one batch."""
    ("a parenthesised string")
    total = batch * scale
    total += ${i}
    for item in [batch, total]:
        print(item)
    return {"value": total, "index": ${i}}
`,
    ).join('\n');
    const source = `${filler}
def my_loss(a, b):
    """The mean cross-entropy, once the loop has counted k up to 4."""
    ("a note")
    k = 1
    k += 1
    for step in ["sum", "mean"]:
        k = k + 1
    if k > 3:
        return F.cross_entropy(a, b)
    return F.cross_entropy(a, b, label_smoothing=0.5)

print(my_loss(x, y))  # tensor(0.6922)
`;
    const { doc, claim } = claimAt(source, source.split('\n').findIndex((l) => l.startsWith('print(my_loss')) + 1);
    expect(claim.status).toBe('holds');
    expect(doc.pairs).toHaveLength(1);
  });

  it('follows a branch on an argument it knows, and computes the loss it returns', () => {
    const { doc, claim } = claimAt(
      `def branchy(a, b, flag):
    if flag:
        return F.cross_entropy(a, b)
    return F.cross_entropy(a, b, reduction='sum')

print(branchy(x, y, True))  # tensor(0.6922)
`,
      6,
    );
    expect(claim.status).toBe('holds');
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].options.reduction).toBe('mean');
  });

  it('a wrong claim on a followed call is caught', () => {
    const { claim } = claimAt(
      `def compute_loss():
    return F.cross_entropy(x, y)

print(compute_loss())  # tensor(0.5000)
`,
      4,
    );
    expect(claim.status).toBe('wrong');
  });

  it.each([
    ['def f(a, b):\n    return f(a, b)\n\nprint(f(x, y))  # tensor(0.6922)\n', 4, 'it calls itself'],
    [
      'def f(a, b, flag):\n    if flag:\n        return F.cross_entropy(a, b)\n    return a\n\nprint(f(x, y, unknown))  # tensor(0.6922)\n',
      6,
      'an `if` depends on a value not known here',
    ],
    ['def f(*args):\n    return F.cross_entropy(*args)\n\nprint(f(x, y))  # tensor(0.6922)\n', 4, '*args'],
    [
      'def f(a, b):\n    while a.sum() > 9:\n        a = a / 2\n    return F.cross_entropy(a, b)\n\nprint(f(x, y))  # tensor(0.6922)\n',
      6,
      '`while`',
    ],
    [
      'def f(a, b):\n    try:\n        return F.cross_entropy(a, b)\n    except ValueError:\n        return None\n\nprint(f(x, y))  # tensor(0.6922)\n',
      7,
      '`try`',
    ],
    // Bodies and parameters are read from their kept tokens when a call is first followed: the
    // reasons found in them are the same as when they were read as met.
    [
      // A nested `def` is followed since docs/detection.md 3.89; a nested class is not.
      'def f(a, b):\n    class G:\n        pass\n    return F.cross_entropy(a, b)\n\nprint(f(x, y))  # tensor(0.6922)\n',
      6,
      'it defines a function or class inside its body',
    ],
    [
      `def f(a, b):\n${Array.from({ length: 401 }, (_, i) => `    z${i} = a`).join('\n')}\n    return F.cross_entropy(a, b)\n\nprint(f(x, y))  # tensor(0.6922)\n`,
      405,
      'longer than 400 statements',
    ],
    // A call inside the body while it is still being read: what the body has so far says why.
    [
      'def f(a, b):\n    while a.sum() > 9:\n        a = a / 2\n    print(f(x, y))  # tensor(0.6922)\n    return F.cross_entropy(a, b)\n',
      4,
      '`while`',
    ],
  ])('says why a call is not followed (%#)', (source, line, why) => {
    const { doc, claim } = claimAt(source, line);
    expect(claim.status).toBe('unverified');
    expect(claim.reason).toContain('is not followed');
    expect(claim.reason).toContain(why);
    expect(doc.pairs.filter((p) => p.loss !== null)).toHaveLength(0);
  });
});

describe('refusals that keep numbers from being invented', () => {
  it('a malformed number computes nothing', () => {
    const doc = analyzeText(
      `import numpy as np
def cross_entropy_error(y, t):
    delta = 1e - 7
    return -np.sum(t * np.log(y + delta))

p = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
t = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
print(cross_entropy_error(p, t))  # 0.510825457099338
`,
      { fileName: 'malformed.py' },
    );
    expect(doc.pairs.filter((p) => p.loss !== null || (p.losses?.length ?? 0) > 0)).toHaveLength(0);
    expect(doc.claims.every((c) => c.status !== 'holds')).toBe(true);
  });

  it('a loss-like name bound to a class not defined here is not guessed to be a cross-entropy', () => {
    const doc = analyzeText(
      `${head}loss_fn = ProjectLoss(\n    margin=0.5,\n)\nprint(loss_fn(x, y))  # tensor(0.6922)\n`,
      {
        fileName: 'project_loss.py',
      },
    );
    expect(doc.pairs.filter((p) => p.loss !== null)).toHaveLength(0);
  });

  it('an unclosed bracket does not hide the statements after it', () => {
    const doc = analyzeText(
      `${head}half = torch.tensor([[0.1, 0.2],\n\nz = torch.tensor([[0.2, 0.4, 1.0]])\nprint(F.cross_entropy(z, y))  # tensor(0.6922)\n`,
      { fileName: 'unclosed.py' },
    );
    expect(doc.findings.some((f) => f.code === 'parse_error' && f.line === 6)).toBe(true);
    expect(doc.claims.map((c) => c.status)).toEqual(['holds']);
  });
});
