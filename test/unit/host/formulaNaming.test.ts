/**
 * A loss written by hand is named by what it is on every surface: the hover's title, the CodeLens,
 * the inline value's tooltip and the panel's card say "torch formula −log_softmax(x)[y]", whatever
 * ops it is written with; torch's NLLLoss / CrossEntropyLoss on the same values is only its
 * comparison. The formula's own ε and clipping are part of its name, as the code writes them.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import type { PairAnalysis } from '../../../src/core/detection';
import { englishL10n, inlineTooltip, lensTitle, lossHoverMarkdown, type L10n } from '../../../src/editor/format';
import { pairView } from '../../../src/editor/locate';
import { pairOrigin } from '../../../src/panel/pairOrigin';
import { koreanL10n } from '../koreanL10n';

const links = { inspect: 'command:open', copy: 'command:copy' };
const unescape = (s: string) => s.replace(/\\(.)/g, '$1');

function onlyPair(lines: string[]): PairAnalysis {
  const pairs = analyzeText(lines.join('\n') + '\n', { fileName: 'a.py' }).pairs;
  expect(pairs).toHaveLength(1);
  return pairs[0];
}

describe('a formula written with torch ops', () => {
  const cases = [
    {
      name: '−log softmax picked at the targets',
      lines: [
        'import torch',
        'x = torch.tensor([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]])',
        'y = torch.tensor([1, 2])',
        'n = 2',
        'loss = -torch.log(torch.softmax(x, 1))[range(n), y].mean()',
      ],
      title: 'torch formula −log_softmax(x)[y]',
      comparedWith: 'CrossEntropyLoss',
    },
    {
      name: '−Σ y·log p over one-hot rows',
      lines: [
        'import torch',
        'p = torch.tensor([[0.2, 0.7, 0.1], [0.1, 0.1, 0.8]])',
        'y = torch.tensor([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])',
        'loss = -(y * torch.log(p)).sum(1).mean()',
      ],
      title: 'torch formula −Σ y·log p',
      comparedWith: 'NLLLoss',
    },
  ];
  for (const c of cases) {
    describe(c.name, () => {
      const pair = onlyPair(c.lines);
      const view = pairView(pair);
      const hover = unescape(lossHoverMarkdown(view, 4, englishL10n, links));

      it('is titled as the formula on the hover, the lens and the inline tooltip', () => {
        expect(view.title).toBe(c.title);
        expect(hover.split('\n')[0]).toBe(`**${c.title}**: \`${pair.printed}\``);
        expect(lensTitle(view, 4, englishL10n)).toBe(`${c.title} = ${pair.loss!.toFixed(4)}`);
        expect(inlineTooltip(view, englishL10n)).toBe(`Computed by Loss Inspector: ${c.title}.`);
      });

      it('is never named torch’s NLLLoss or CrossEntropyLoss, and prints as the tensor torch prints', () => {
        expect(pair.printed).toMatch(/^tensor\(/);
        expect(hover).not.toMatch(/NLLLoss|CrossEntropyLoss/);
      });

      it('has a panel card of its own, torch only as the comparison', () => {
        const origin = pairOrigin(pair, englishL10n)!;
        expect(origin.title).toBe(c.title);
        expect(origin.heading).toBe('What this torch formula computes');
        expect(origin.notes[0]).toMatch(/^A formula written with torch: /);
        expect(origin.notes[1]).toMatch(new RegExp(`^For comparison, the steps below are torch’s ${c.comparedWith}`));
        expect(origin.torchSteps).toBe(true);
        expect(origin.pytorch).toBe(true);
      });
    });
  }

  it('leaves torch’s own loss call untitled', () => {
    const pair = onlyPair([
      'import torch',
      'import torch.nn.functional as F',
      'x = torch.tensor([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]])',
      'y = torch.tensor([1, 2])',
      'loss = F.nll_loss(F.log_softmax(x, 1), y)',
    ]);
    expect(pairView(pair).title).toBeUndefined();
    expect(pairOrigin(pair, englishL10n)).toBeNull();
    expect(lensTitle(pairView(pair), 4, englishL10n)).toMatch(/^NLL loss /);
  });
});

describe('the ε and the clip a formula applies before its log', () => {
  const np = (...lines: string[]) => ['import numpy as np', ...lines];
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const cases = [
    {
      name: 'an ε added to the picked probabilities',
      lines: np(
        'p = np.array([[0.2, 0.7, 0.1], [0.1, 0.1, 0.8]])',
        'y = np.array([1, 2])',
        'loss = -np.log(p[np.arange(2), y] + 1e-9).mean()',
      ),
      title: 'numpy formula −log(p[y] + 1e-9)',
      loss: mean([-Math.log(0.7 + 1e-9), -Math.log(0.8 + 1e-9)]),
    },
    {
      name: 'a clip to [ε, 1 − ε] that changes a probability of 0',
      lines: np(
        'p = np.array([[0.0, 1.0, 0.0], [0.1, 0.1, 0.8]])',
        'y = np.array([0, 1])',
        'eps = 1e-7',
        'q = np.clip(p, eps, 1 - eps)',
        'loss = -np.log(q[np.arange(2), y]).mean()',
      ),
      title: 'numpy formula −log clip(p, 1e-7, 1 − 1e-7)[y]',
      loss: mean([-Math.log(1e-7), -Math.log(0.1)]),
    },
    {
      name: 'an ε inside −Σ y·log p',
      lines: np(
        'p = np.array([[0.2, 0.7, 0.1], [0.1, 0.1, 0.8]])',
        'y = np.array([[0, 1, 0], [0, 0, 1]])',
        'loss = -np.sum(y * np.log(p + 1e-9), axis=1).mean()',
      ),
      title: 'numpy formula −Σ y·log(p + 1e-9)',
      loss: mean([-Math.log(0.7 + 1e-9), -Math.log(0.8 + 1e-9)]),
    },
    {
      name: 'an ε inside both logs of a binary log loss',
      lines: np(
        'p = np.array([0.9, 0.2, 0.6])',
        'y = np.array([1.0, 0.0, 1.0])',
        'eps = 1e-7',
        'loss = -(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)).mean()',
      ),
      title: 'numpy formula −(y·log(p + 1e-7) + (1 − y)·log(1 − p + 1e-7))',
      loss: mean([-Math.log(0.9 + 1e-7), -Math.log(1 - 0.2 + 1e-7), -Math.log(0.6 + 1e-7)]),
    },
    {
      name: 'a clip and an ε together',
      lines: np(
        'p = np.array([[0.2, 0.7, 0.1], [0.1, 0.1, 0.8]])',
        'y = np.array([1, 2])',
        'loss = -np.log(np.clip(p, 1e-12, 1.0) + 1e-9)[np.arange(2), y].mean()',
      ),
      title: 'numpy formula −log(clip(p, 1e-12, 1)[y] + 1e-9)',
      loss: mean([-Math.log(0.7 + 1e-9), -Math.log(0.8 + 1e-9)]),
    },
    {
      name: 'an ε inside the log₂ of an entropy in bits (the model named q)',
      lines: np(
        'truth = np.array([0.25, 0.5, 0.25])',
        'model = np.array([0.5, 0.25, 0.25])',
        'bits = -np.sum(truth * np.log2(model + 1e-9))',
      ),
      title: 'numpy formula −Σ y·log₂(q + 1e-9) (bits)',
      loss: -(0.25 * Math.log2(0.5 + 1e-9) + 0.5 * Math.log2(0.25 + 1e-9) + 0.25 * Math.log2(0.25 + 1e-9)),
    },
    {
      name: 'a clip inside the log₂ of an entropy in bits',
      lines: np(
        'truth = np.array([0.25, 0.5, 0.25])',
        'model = np.array([0.5, 0.25, 0.25])',
        'bits = -np.sum(truth * np.log2(np.clip(model, 1e-7, 1 - 1e-7)))',
      ),
      title: 'numpy formula −Σ y·log₂ clip(q, 1e-7, 1 − 1e-7) (bits)',
      loss: -(0.25 * Math.log2(0.5) + 0.5 * Math.log2(0.25) + 0.25 * Math.log2(0.25)),
    },
    {
      name: 'torch’s clamp with one bound',
      lines: [
        'import torch',
        'p = torch.tensor([[0.2, 0.7, 0.1], [0.1, 0.1, 0.8]])',
        'y = torch.tensor([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])',
        'loss = -(y * torch.log(p.clamp(min=1e-7))).sum(1).mean()',
      ],
      title: 'torch formula −Σ y·log clip(p, 1e-7, None)',
      loss: mean([-Math.log(Math.fround(0.7)), -Math.log(Math.fround(0.8))]),
    },
  ];
  for (const c of cases)
    it(`${c.name}: named with it, and its number includes it`, () => {
      const pair = onlyPair(c.lines);
      const view = pairView(pair);
      expect(view.title).toBe(c.title);
      expect(lensTitle(view, 4, englishL10n)).toBe(`${c.title} = ${c.loss.toFixed(4)}`);
      expect(pair.loss).toBeCloseTo(c.loss, pair.dtype === 'float32' ? 6 : 12);
      const origin = pairOrigin(pair, englishL10n)!;
      expect(origin.title).toBe(c.title);
      expect(origin.notes[0]).toContain(c.title.slice(c.title.indexOf(' formula ') + ' formula '.length));
    });

  it('a formula without either keeps its plain words', () => {
    const pair = onlyPair(
      np(
        'p = np.array([[0.2, 0.7, 0.1], [0.1, 0.1, 0.8]])',
        'y = np.array([1, 2])',
        'loss = -np.log(p[np.arange(2), y]).mean()',
      ),
    );
    expect(pairView(pair).title).toBe('numpy formula −log p[y]');
    expect(pair.formulaGuard).toBeUndefined();
  });
});

describe('a formula’s title in the Korean UI', () => {
  // The extension's own Korean bundle, as vscode.l10n reads it under `--locale ko`.
  const korean: L10n = koreanL10n();
  const cases = [
    {
      lines: [
        'import numpy as np',
        'p = np.array([[0.2, 0.7, 0.1], [0.1, 0.1, 0.8]])',
        'y = np.array([1, 2])',
        'loss = -np.log(p[np.arange(2), y] + 1e-9).mean()',
      ],
      title: 'numpy 수식 −log(p[y] + 1e-9)',
    },
    {
      lines: [
        'import torch',
        'x = torch.tensor([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]])',
        'y = torch.tensor([1, 2])',
        'loss = -torch.log(torch.softmax(x, 1))[range(2), y].mean()',
      ],
      title: 'torch 수식 −log_softmax(x)[y]',
    },
  ];
  for (const c of cases)
    it(`${c.title}: the lens, the hover and the panel say 수식, the formula as written`, () => {
      const pair = onlyPair(c.lines);
      const view = pairView(pair, korean);
      expect(view.title).toBe(c.title);
      expect(lensTitle(view, 4, korean)).toBe(`${c.title} = ${pair.loss!.toFixed(4)}`);
      expect(unescape(lossHoverMarkdown(view, 4, korean, links)).split('\n')[0]).toMatch(
        new RegExp(`^\\*\\*${c.title.replace(/[[\]()+.]/g, '\\$&')}\\*\\*: `),
      );
      expect(pairOrigin(pair, korean)!.title).toBe(c.title);
      // English stays as it was.
      expect(pairView(pair, englishL10n).title).toBe(c.title.replace(' 수식 ', ' formula '));
    });
});
