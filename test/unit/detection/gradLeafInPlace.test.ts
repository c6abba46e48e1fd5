/**
 * An indexed assignment to a torch leaf tensor that requires grad: torch raises ("a leaf Variable
 * that requires grad is being used in an in-place operation", also for a view of one), so the loss
 * after it has no number, and says why. `requires_grad=False`, `.detach()` and `.clone()` leave a
 * tensor torch lets the code change: those losses are the same as the plain tensor's. (torch 1.13
 * checked: the plain and detached programs print tensor(1.3048), the others raise.)
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';

const head = ['import torch', 'import torch.nn.functional as F', 't = torch.tensor([2, 0])'];
const rows = '[[0.5, 1.0, 2.0], [0.1, 0.2, 0.3]]';

function scan(lines: string[]) {
  return analyzeText([...head, ...lines].join('\n') + '\n', { fileName: 'a.py' });
}

/** The loss of `F.cross_entropy(name, t)` after `x[0, 0] = 3.0` on `x = <made>`, and its reason. */
function changed(made: string, name = 'x', between: string[] = []) {
  const doc = scan([`x = ${made}`, ...between, `${name}[0, 0] = 3.0`, `print(F.cross_entropy(x, t))`]);
  expect(doc.pairs).toHaveLength(1);
  return { loss: doc.pairs[0].loss, why: doc.pairs[0].unverified };
}

describe('an in-place change of a leaf tensor that requires grad', () => {
  const plain = changed(`torch.tensor(${rows})`);

  it('premise: on a plain tensor the change is computed', () => {
    expect(plain.loss).not.toBeNull();
    // The change reached the loss: it is not the loss of the rows as written.
    const asWritten = scan([`x = torch.tensor(${rows})`, 'print(F.cross_entropy(x, t))']).pairs[0].loss;
    expect(plain.loss).not.toBe(asWritten);
  });

  it('requires_grad=True in the constructor: no number, and torch’s refusal as the reason', () => {
    const r = changed(`torch.tensor(${rows}, requires_grad=True)`);
    expect(r.loss).toBeNull();
    expect(r.why).toMatch(/leaf tensor that requires grad/);
  });

  it('.requires_grad_() and a view of the leaf: no number either', () => {
    expect(changed(`torch.tensor(${rows}).requires_grad_()`).loss).toBeNull();
    expect(changed(`torch.tensor(${rows}).requires_grad_(True)`).loss).toBeNull();
    const doc = scan([
      `x = torch.tensor(${rows}, requires_grad=True)`,
      'v = x.view(3, 2)',
      'v[0, 0] = 3.0',
      'print(F.cross_entropy(x, t))',
    ]);
    expect(doc.pairs.filter((p) => p.loss !== null)).toEqual([]);
  });

  it('requires_grad=False, .requires_grad_(False), a detached or cloned copy: the plain tensor’s loss', () => {
    expect(changed(`torch.tensor(${rows}, requires_grad=False)`).loss).toBe(plain.loss);
    expect(changed(`torch.tensor(${rows}).requires_grad_(False)`).loss).toBe(plain.loss);
    expect(changed(`torch.tensor(${rows}, requires_grad=True).detach()`).loss).toBe(plain.loss);
    expect(changed(`torch.tensor(${rows}, requires_grad=True).clone()`).loss).toBe(plain.loss);
  });

  it('numpy arrays have no such rule', () => {
    const doc = scan([
      'import numpy as np',
      `x = np.array(${rows}, dtype=np.float32)`,
      'x[0, 0] = 3.0',
      'print(F.cross_entropy(torch.from_numpy(x), t))',
    ]);
    expect(doc.pairs[0].loss).toBe(plain.loss);
  });
});
