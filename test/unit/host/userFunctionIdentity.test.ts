/**
 * A function of the user's own named like a loss (`cross_entropy_error`, `softmaxLoss`, `criterion`)
 * is not torch's CrossEntropyLoss: its name says nothing of whether it takes logits or
 * probabilities, adds an epsilon, or sums instead of averaging. When its body is not recognised
 * (not followed, or not in the source at all) the pair has no number, and every surface names the
 * call as the code writes it and says why nothing is computed; when its body is a recognised hand
 * formula, the number is that formula's, epsilon included, and the title names the formula.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import type { PairAnalysis } from '../../../src/core/detection';
import { pairIdentity, torchExport } from '../../../src/core/libraryView';
import { englishL10n, inlineLabel, lensTitle, lossHoverMarkdown } from '../../../src/editor/format';
import { pairView } from '../../../src/editor/locate';
import { pairOrigin } from '../../../src/panel/pairOrigin';

const links = { inspect: 'command:open', copy: 'command:copy' };
const unescape = (s: string) => s.replace(/\\(.)/g, '$1');

function pairsOf(lines: string[], fileName = 'a.py'): PairAnalysis[] {
  return analyzeText(lines.join('\n') + '\n', { fileName }).pairs;
}

const probs = ['import numpy as np', 'p = np.array([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3]])', 't = np.array([0, 1])'];

describe('a function of the code named like a loss, body not recognised', () => {
  const cases: { name: string; lines: string[]; fileName?: string; callee: string }[] = [
    {
      name: 'defined nowhere in the source (Python)',
      lines: [...probs, 'print(cross_entropy_loss(p, t))  # 0.4337'],
      callee: 'cross_entropy_loss',
    },
    {
      name: 'a bare criterion bound nowhere',
      lines: [...probs, 'loss = criterion(p, t)'],
      callee: 'criterion',
    },
    {
      name: 'an NLL-named function bound nowhere, on log-probabilities',
      lines: [...probs, 'loss = my_nll(np.log(p), t)'],
      callee: 'my_nll',
    },
    {
      name: 'defined nowhere in the source (JavaScript)',
      lines: ['const p = [[0.7, 0.2, 0.1]];', 'const t = [0];', 'console.log(crossEntropy(p, t)); // 0.7679'],
      fileName: 'a.js',
      callee: 'crossEntropy',
    },
    {
      name: 'defined in the source, body not followed (JavaScript)',
      lines: [
        'function crossEntropy(rows, labels) {',
        '  return -Math.log(rows[0][labels[0]] + 1e-7);',
        '}',
        'const p = [[0.7, 0.2, 0.1]];',
        'const t = [0];',
        'console.log(crossEntropy(p, t)); // 0.7679',
      ],
      fileName: 'a.js',
      callee: 'crossEntropy',
    },
  ];

  for (const c of cases)
    it(`${c.name}: no number, named as the code calls it`, () => {
      const pairs = pairsOf(c.lines, c.fileName);
      expect(pairs).toHaveLength(1);
      const p = pairs[0];
      expect(p.loss).toBeNull();
      expect(p.unverified).toBeDefined();
      expect(pairIdentity(p)).toEqual({ family: 'user', name: c.callee, title: `${c.callee}(…)` });
      expect(torchExport(p)).toEqual({ offered: false, reason: 'no_number' });
      const v = pairView(p);
      expect(lensTitle(v, 4, englishL10n)).toBe(`${c.callee}(…): not computed`);
      expect(inlineLabel(v, 4, englishL10n)).toBe(`${c.callee}: not computed`);
      const hover = unescape(lossHoverMarkdown(v, 4, englishL10n, links));
      expect(hover.split('\n')[0]).toBe(`**${c.callee}(…)**: \`not computed\``);
      expect(hover).toContain(`This loss is not computed: ${p.unverified}.`);
      expect(hover).not.toMatch(/CrossEntropyLoss|NLLLoss|tensor\(/);
      expect(hover).not.toContain('Copy as PyTorch');
      const origin = pairOrigin(p, englishL10n);
      expect(origin?.title).toBe(`${c.callee}(…)`);
      expect(origin?.torchSteps).toBe(false);
      expect(origin?.pytorch).toBe(false);
      expect(origin?.notes.join(' ')).toContain('not torch’s loss');
    });

  it('leaves the claim on such a call unjudged, never held by torch’s number', () => {
    // torch's CrossEntropyLoss on these probabilities read as logits is 0.8106: the claim must not be judged.
    const doc = analyzeText([...probs, 'print(cross_entropy_loss(p, t))  # 0.8106'].join('\n') + '\n', {
      fileName: 'a.py',
    });
    expect(doc.claims.map((c) => c.status)).toEqual(['unverified']);
  });
});

describe('a function of the code whose body is a recognised hand formula', () => {
  it('computes the body’s own number, epsilon included, and names the formula, not torch’s loss', () => {
    const p = pairsOf([
      'import numpy as np',
      'def cross_entropy_error(y, t):',
      '    delta = 1e-7',
      '    return -np.sum(t * np.log(y + delta))',
      'y = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])',
      't = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0])',
      'print(cross_entropy_error(y, t))',
    ])[0];
    // −ln(0.6 + 1e-7), in float64; torch's NLL of log(0.6) would be 0.5108256237659907.
    expect(p.loss).toBeCloseTo(-Math.log(0.6 + 1e-7), 15);
    expect(p.loss).not.toBeCloseTo(-Math.log(0.6), 9);
    const v = pairView(p);
    expect(lensTitle(v, 4, englishL10n)).toBe('numpy formula −Σ y·log(p + 1e-7) = 0.5108');
    expect(unescape(lossHoverMarkdown(v, 4, englishL10n, links)).split('\n')[0]).not.toMatch(/CrossEntropyLoss/);
  });
});

describe('torch’s own loss with no number on purpose', () => {
  it('says "not computed" on the lens and inline, not a value still coming', () => {
    const p = pairsOf([
      'import torch',
      'x = torch.tensor([[1.0, 2.0, 0.5]])',
      'y = torch.tensor([1])',
      'loss = torch.nn.CrossEntropyLoss()(x.tanh(), y)',
    ])[0];
    expect(p.unverified).toBeDefined();
    const v = pairView(p);
    expect(lensTitle(v, 4, englishL10n)).toBe('cross-entropy: not computed');
    expect(inlineLabel(v, 4, englishL10n)).toBe('CE: not computed');
    expect(unescape(lossHoverMarkdown(v, 4, englishL10n, links))).not.toContain('tensor(nan)');
  });
});

describe('an exercise page’s example', () => {
  const page = (name: string) =>
    analyzeText(readFileSync(path.resolve(__dirname, '../../fixtures/realpatterns8/snippets', name), 'utf8'), {
      fileName: name,
    }).pairs;

  it('names the call the page writes, never the catalogue’s id', () => {
    const [p] = page('call_signature.md');
    expect(p.call?.callee).toBe('cross_entropy');
    const v = pairView(p);
    expect(lensTitle(v, 4, englishL10n)).toMatch(/^cross_entropy\(…\) = 0\.\d{4}$/);
    expect(inlineLabel(v, 4, englishL10n)).toMatch(/^cross_entropy = /);
    const hover = unescape(lossHoverMarkdown(v, 4, englishL10n, links));
    expect(hover.split('\n')[0]).toMatch(/^\*\*cross_entropy\(…\)\*\*/);
    expect(hover).not.toMatch(/page\.categorical/);
    expect(pairOrigin(p, englishL10n)?.library).toBe('the exercise page');
  });

  it('without a written call, names the page’s loss in words', () => {
    const pairs = page('binary_sum.md');
    expect(pairs.length).toBeGreaterThan(0);
    for (const p of pairs) {
      const v = pairView(p);
      expect(lensTitle(v, 4, englishL10n)).toMatch(/^the page’s binary cross-entropy of probabilities = /);
      expect(inlineLabel(v, 4, englishL10n)).toMatch(/^BCE = /);
    }
  });
});
