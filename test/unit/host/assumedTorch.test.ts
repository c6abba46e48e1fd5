/**
 * A torch loss read through a name the file never binds (`F.cross_entropy(…)` in a snippet that
 * leaves its imports out) is computed as torch's, and every surface says that it is assumed: the
 * lens and the hover mark it "assumed torch", the hover and the panel's header say which name is
 * not imported and what it was read as. A file that imports what it calls gets no mark.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import type { PairAnalysis } from '../../../src/core/detection';
import { englishL10n, lensTitle, lossHoverMarkdown } from '../../../src/editor/format';
import { pairView } from '../../../src/editor/locate';
import { pairSummary } from '../../../src/panel/panelDocument';

const links = { inspect: 'command:open', copy: 'command:copy' };
const unescape = (s: string) => s.replace(/\\(.)/g, '$1');
const data = ['logits = [[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]]', 'y = [1, 2]'];

function pairsOf(lines: string[]): PairAnalysis[] {
  return analyzeText(lines.join('\n') + '\n', { fileName: 'a.py' }).pairs;
}

function onlyPair(lines: string[]): PairAnalysis {
  const pairs = pairsOf(lines);
  expect(pairs).toHaveLength(1);
  return pairs[0];
}

describe('a torch loss read through a name the file does not import', () => {
  const cases = [
    {
      name: 'F.cross_entropy without any import',
      lines: [...data, 'loss = F.cross_entropy(torch.tensor(logits), torch.tensor(y))'],
      assumed: { name: 'F', path: 'torch.nn.functional.cross_entropy' },
      lens: /^cross-entropy \d\.\d{4} \(assumed torch\)$/,
    },
    {
      name: 'a criterion built from an unbound nn',
      lines: [...data, 'criterion = nn.CrossEntropyLoss(reduction="sum")', 'loss = criterion(logits, y)'],
      assumed: { name: 'nn', path: 'torch.nn.CrossEntropyLoss' },
      lens: /^cross-entropy \d\.\d{4} \(assumed torch\)$/,
    },
    {
      name: 'torch.nn.functional.nll_loss with torch not imported',
      lines: [
        ...data,
        'logp = torch.log_softmax(torch.tensor(logits), 1)',
        'loss = torch.nn.functional.nll_loss(logp, torch.tensor(y))',
      ],
      assumed: { name: 'torch', path: 'torch.nn.functional.nll_loss' },
      lens: /^NLL loss \d\.\d{4} \(assumed torch\)$/,
    },
    {
      name: 'F with torch imported but F itself not',
      lines: ['import torch', ...data, 'loss = F.cross_entropy(torch.tensor(logits), torch.tensor(y))'],
      assumed: { name: 'F', path: 'torch.nn.functional.cross_entropy' },
      lens: /^cross-entropy \d\.\d{4} \(assumed torch\)$/,
    },
  ];
  for (const c of cases)
    describe(c.name, () => {
      const pair = onlyPair(c.lines);
      const view = pairView(pair);

      it('is computed as torch’s loss and records the assumption', () => {
        expect(pair.loss).not.toBeNull();
        expect(pair.assumedTorch).toEqual(c.assumed);
      });

      it('is marked on the lens and the hover, and the hover says why', () => {
        expect(lensTitle(view, 4, englishL10n)).toMatch(c.lens);
        const hover = unescape(lossHoverMarkdown(view, 4, englishL10n, links)).split('\n');
        expect(hover[0]).toMatch(/^\*\*(CrossEntropyLoss|NLLLoss)\*\* \(assumed torch\): `tensor\(/);
        expect(hover).toContain(`${c.assumed.name} is not imported in this file: read as ${c.assumed.path}.`);
      });

      it('puts the mark and the reason in the panel’s header data', () => {
        const summary = pairSummary(analyzeText(c.lines.join('\n') + '\n', { fileName: 'a.py' }), pair, {
          ...pair.options,
          inputKind: pair.options.inputKind,
          dtype: pair.dtype,
          choice: pair.dtype,
        });
        expect(summary.assumedTorch).toEqual({
          mark: 'assumed torch',
          reason: `${c.assumed.name} is not imported in this file: read as ${c.assumed.path}.`,
        });
      });
    });
});

describe('a torch loss whose names the file imports', () => {
  const cases = [
    ['import torch.nn.functional as F', 'loss = F.cross_entropy(torch.tensor(logits), torch.tensor(y))'],
    ['from torch.nn import functional as F', 'loss = F.cross_entropy(torch.tensor(logits), torch.tensor(y))'],
    ['import torch', 'import torch.nn as nn', 'loss = nn.CrossEntropyLoss()(torch.tensor(logits), torch.tensor(y))'],
    ['from torch.nn.functional import cross_entropy', 'loss = cross_entropy(torch.tensor(logits), torch.tensor(y))'],
  ];
  for (const lines of cases)
    it(`${lines[0]}: no mark`, () => {
      const pair = onlyPair(['import torch', lines[0], ...data, ...lines.slice(1)]);
      expect(pair.assumedTorch).toBeUndefined();
      const view = pairView(pair);
      expect(lensTitle(view, 4, englishL10n)).not.toContain('assumed');
      expect(lossHoverMarkdown(view, 4, englishL10n, links)).not.toContain('not imported');
    });

  it('F imported from a module that is not torch gives no torch pair at all', () => {
    expect(pairsOf(['from mylib import F', ...data, 'loss = F.cross_entropy(logits, y)'])).toEqual([]);
  });
});

describe('a hand formula of torch ops in a file that does not import torch', () => {
  const rows = ['x = torch.tensor([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]])', 'y = torch.tensor([1, 2])'];
  const cases = [
    {
      name: '−log softmax picked at the targets',
      lines: [...rows, 'loss = -torch.log(torch.softmax(x, 1))[range(2), y].mean()'],
      assumed: { name: 'torch', path: 'torch.tensor' },
      words: '−log_softmax(x)[y]',
    },
    {
      name: 'torch ops on plain lists',
      lines: [...data, 'loss = -torch.log_softmax(torch.tensor(logits), 1)[range(2), y].sum()'],
      assumed: { name: 'torch', path: 'torch.tensor' },
      words: '−log_softmax(x)[y]',
    },
    {
      name: '−Σ y·log p over one-hot rows, the probabilities from an unbound F',
      lines: [
        'import torch',
        'p = F.softmax(torch.tensor([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]]), dim=1)',
        't = torch.tensor([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])',
        'loss = -(t * torch.log(p)).sum(1).mean()',
      ],
      assumed: { name: 'F', path: 'torch.nn.functional.softmax' },
      words: '−Σ y·log_softmax(x)',
    },
  ];
  for (const c of cases)
    it(`${c.name}: the formula records the assumption, the lens, hover and panel say it`, () => {
      const lines = c.lines;
      const pair = onlyPair(lines);
      expect(pair.formulaLibrary).toBe('torch');
      expect(pair.assumedTorch).toEqual(c.assumed);
      const view = pairView(pair);
      const title = `torch formula ${c.words}`;
      expect(lensTitle(view, 4, englishL10n)).toBe(`${title} (assumed torch) = ${pair.loss!.toFixed(4)}`);
      const hover = unescape(lossHoverMarkdown(view, 4, englishL10n, links)).split('\n');
      expect(hover[0]).toBe(`**${title}** (assumed torch): \`${pair.printed}\``);
      expect(hover).toContain(`${c.assumed.name} is not imported in this file: read as ${c.assumed.path}.`);
      const summary = pairSummary(analyzeText(lines.join('\n') + '\n', { fileName: 'a.py' }), pair, {
        ...pair.options,
        dtype: pair.dtype,
        choice: pair.dtype,
      });
      expect(summary.assumedTorch?.mark).toBe('assumed torch');
    });

  const unmarked = [
    ['import torch', ...rows, 'loss = -torch.log(torch.softmax(x, 1))[range(2), y].mean()'],
    [
      'import torch as th',
      'x = th.tensor([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]])',
      'y = th.tensor([1, 2])',
      'loss = -th.log_softmax(x, 1)[range(2), y].mean()',
    ],
    // numpy read through an unbound np is numpy's arithmetic, not a torch assumption.
    [
      'p = np.array([[0.2, 0.7, 0.1], [0.1, 0.1, 0.8]])',
      'y = np.array([1, 2])',
      'loss = -np.log(p[np.arange(2), y]).mean()',
    ],
  ];
  for (const lines of unmarked)
    it(`${lines[0]}: no mark`, () => {
      const pair = onlyPair(lines);
      expect(pair.formulaLibrary).toBeDefined();
      expect(pair.assumedTorch).toBeUndefined();
      expect(lensTitle(pairView(pair), 4, englishL10n)).not.toContain('assumed');
    });
});
