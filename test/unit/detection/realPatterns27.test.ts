/**
 * Data changed in place before a loss reads it (docs/detection.md 3.39): dict and list methods,
 * `np.copyto`, `setattr`, `exec`, `del`, a second name for the same dict, followed functions that
 * change their argument or a module-level list, in snippets written for this project by
 * test/fixtures/realpatterns27/gen_realpatterns27.py, whose numbers are what Python and torch print
 * when the file is run. Each negative got the number of the values written above on the previous
 * detector (and called torch's own printed value wrong).
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns27', 'data changed in place before a loss reads it', {
  least: { snippets: 3, negatives: 15, wrongClaims: 1 },
  exhaustive: true,
});

const scan = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 't.py' });
const head = ['import torch', 'import torch.nn.functional as F', 'import numpy as np'];
const setup = ['z = [1.0, 2.0, 0.5]', 'w = [2.0, 1.0, 1.0]', 'cfg = {"eps": 0.1, "w": w}'];
const loss =
  'loss = F.cross_entropy(torch.tensor([z]), torch.tensor([0]), weight=torch.tensor(w), label_smoothing=cfg["eps"])';
const numbered = (lines: string[]) => scan([...head, ...setup, ...lines, loss]).pairs.filter((p) => p.loss !== null);

describe('calls that may change data', () => {
  it('keep the number for reads known pure, and drop it for every other method of the data', () => {
    for (const pure of ['cfg.get("eps")', 'cfg.keys()', 'z.index(1.0)', 'z.count(1.0)', 'print(z)', 'len(w)'])
      expect(numbered([pure]), pure).toHaveLength(1);
    for (const change of ['cfg.clear_cache()', 'cfg.popitem()', 'z.extend([])', 'w.insert(0, 1.0)', 'z.__iadd__([])'])
      expect(numbered([change]), change).toEqual([]);
  });

  it('count in-place library functions and optimizers as changes, and pure ones not', () => {
    expect(numbered(['random.shuffle(z)'])).toEqual([]);
    expect(numbered(['a = torch.tensor(w)', 'torch.nn.init.constant_(a, 1.0)', 'w = a.tolist()'])).toEqual([]);
    expect(numbered(['opt = torch.optim.SGD([w], lr=0.1)'])).toEqual([]);
    expect(numbered(['a = np.array(w)', 'np.negative(a, out=a)', 'w = a.tolist()'])).toEqual([]);
    expect(numbered(['a = np.array(w)', 'b = np.negative(a)', 'w = a.tolist()'])).toHaveLength(1);
  });

  it('says why an exec stops every number after it, and leaves one run in a namespace of its own alone', () => {
    const doc = scan([...head, ...setup, 'exec("eps = 0.3")', loss]);
    expect(doc.pairs[0].loss).toBeNull();
    expect(doc.pairs[0].unverified).toMatch(/`exec\("eps = 0\.3"\)` on line 7 may change any name/);
    expect(numbered(['scope = {}', 'exec("eps = 0.3", scope)'])).toHaveLength(1);
  });

  it('stays linear with many names holding data and many changes (a hang guard: no timing)', () => {
    const names = Array.from({ length: 3000 }, (_, k) => `d${k} = {"w": [${k}.0, 1.0]}`);
    const changes = Array.from({ length: 3000 }, (_, k) => `d${k}.update(w=[0.0, 0.0])`);
    const doc = scan([...head, ...setup, ...names, ...changes, loss]);
    expect(doc.pairs).toHaveLength(1);
    // 3,000 scans of 3,000 names pass the budget: every later pair is unverified, never a guess.
    expect(doc.pairs[0].loss).toBeNull();
    expect(doc.pairs[0].unverified).toMatch(/more objects are changed in place than are followed/);
  });
});
