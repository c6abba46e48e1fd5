/**
 * What the panel's card, the hover and "Copy as PyTorch" say about a hand-written formula and a
 * function of the code: the heading names what is computed (the function, the formula), never
 * "how X computes it, next to torch" for something that is not a library; torch's steps are set
 * beside it only when torch's loss on the same values is the same number, and then said as a
 * comparison. A formula in bits, a log-likelihood without its minus sign, and soft targets that
 * torch's NLLLoss refuses get no torch steps and no torch copy, each with its reason.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import type { PairAnalysis } from '../../../src/core/detection';
import { torchExport } from '../../../src/core/libraryView';
import { englishL10n, inlineLabel, inlineTooltip, lossHoverMarkdown } from '../../../src/editor/format';
import { pairView } from '../../../src/editor/locate';
import { pairOrigin } from '../../../src/panel/pairOrigin';

const links = { inspect: 'command:open', copy: 'command:copy' };
const unescape = (s: string) => s.replace(/\\(.)/g, '$1');

function onlyPair(lines: string[]): PairAnalysis {
  const pairs = analyzeText(lines.join('\n') + '\n', { fileName: 'a.py' }).pairs;
  expect(pairs).toHaveLength(1);
  return pairs[0];
}

/** The panel's origin of the only pair of `lines`. */
const originOf = (lines: string[]) => pairOrigin(onlyPair(lines), englishL10n)!;

describe('a function of the code whose body is a recognised formula', () => {
  const pair = onlyPair([
    'import numpy as np',
    'def cross_entropy(p, y):',
    '    return -np.log(p[y] + 1e-9)',
    'p = np.array([0.1, 0.7, 0.2])',
    'y = np.array([1])',
    'loss = cross_entropy(p, y)',
  ]);
  const origin = pairOrigin(pair, englishL10n)!;

  it('has the body’s own number, epsilon included', () => {
    expect(pair.loss).toBe(-Math.log(0.7 + 1e-9));
    expect(pair.loss).not.toBe(-Math.log(0.7));
  });

  it('is headed by the function, and says its number is its own formula, not a torch loss', () => {
    expect(origin.heading).toBe('What cross_entropy computes');
    expect(origin.notes[0]).toBe(
      'cross_entropy is a function of this code, and its body is read: it computes −log(p[y] + 1e-9) with numpy. The number is that arithmetic in float64, not a torch loss.',
    );
  });

  it('sets torch’s steps beside it as a comparison, never as the function’s own computation', () => {
    expect(origin.torchSteps).toBe(true);
    expect(origin.notes[1]).toMatch(
      /^For comparison, the steps below are torch’s NLLLoss on the logs the formula takes/,
    );
    expect(origin.notes.join(' ')).not.toMatch(/next to torch|computes it as torch|the same number:/);
  });
});

describe('an inline formula', () => {
  it('is headed by the formula’s library, with a comparison to torch’s CrossEntropyLoss on logits', () => {
    const origin = originOf([
      'import numpy as np',
      'x = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])',
      'y = np.array([0, 1])',
      'loss = np.mean(np.log(np.sum(np.exp(x), axis=1)) - x[np.arange(2), y])',
    ]);
    expect(origin.heading).toBe('What this numpy formula computes');
    expect(origin.torchSteps).toBe(true);
    expect(origin.notes[1]).toMatch(/^For comparison, the steps below are torch’s CrossEntropyLoss on the same values/);
  });
});

describe('formulas whose number torch’s loss does not give', () => {
  const cases: {
    name: string;
    lines: string[];
    reason: string;
    note: RegExp;
    value: number;
  }[] = [
    {
      name: 'a cross-entropy in bits',
      lines: [
        'import numpy as np',
        'p = np.array([0.25, 0.5, 0.25])',
        'q = np.array([0.5, 0.25, 0.25])',
        'h = -np.sum(p * np.log2(q))',
      ],
      reason: 'bits',
      note: /in bits \(log₂\), and torch’s losses are in nats/,
      value: -(0.25 * Math.log2(0.5) + 0.5 * Math.log2(0.25) + 0.25 * Math.log2(0.25)),
    },
    {
      name: 'a log-likelihood a function returns without its minus sign',
      lines: [
        'import numpy as np',
        'def binary_cross_entropy(y, p):',
        '    return np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))',
        'y = np.array([1.0, 0.0, 1.0])',
        'p = np.array([0.9, 0.2, 0.7])',
        'loss = binary_cross_entropy(y, p)',
      ],
      reason: 'negated',
      note: /without the minus sign .*torch’s BCELoss on the same values is its negation/,
      value: (Math.log(0.9) + Math.log(0.8) + Math.log(0.7)) / 3,
    },
    {
      name: '−Σ y·log(p + ε) with soft targets',
      lines: [
        'import numpy as np',
        'p = np.array([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]])',
        't = np.array([[0.1, 0.7, 0.2], [0.5, 0.25, 0.25]])',
        'loss = -np.sum(t * np.log(p + 1e-7)) / 2',
      ],
      reason: 'nll_probability_targets',
      note: /targets are probabilities, and torch’s NLLLoss takes class indices only/,
      value:
        -(
          0.1 * Math.log(0.2 + 1e-7) +
          0.7 * Math.log(0.5 + 1e-7) +
          0.2 * Math.log(0.3 + 1e-7) +
          0.5 * Math.log(0.6 + 1e-7) +
          0.25 * Math.log(0.1 + 1e-7) +
          0.25 * Math.log(0.3 + 1e-7)
        ) / 2,
    },
  ];

  for (const c of cases)
    it(`${c.name}: its own number, no torch steps, no torch copy, and the hover agrees`, () => {
      const pair = onlyPair(c.lines);
      expect(pair.loss).toBeCloseTo(c.value, 12);
      const copy = torchExport(pair);
      expect(copy).toEqual({ offered: false, reason: c.reason });
      const origin = pairOrigin(pair, englishL10n)!;
      expect(origin.torchSteps).toBe(false);
      expect(origin.pytorch).toBe(false);
      expect(origin.noCopy).not.toBeNull();
      expect(origin.notes.join(' ')).toMatch(c.note);
      expect(origin.notes.join(' ')).not.toMatch(/For comparison/);
      const hover = unescape(lossHoverMarkdown(pairView(pair), 4, englishL10n, links));
      expect(hover).toContain(`No "Copy as PyTorch": ${origin.noCopy}`);
      expect(hover).not.toContain('[Copy as PyTorch]');
    });
});

describe('the other headings', () => {
  it('a function of the code with no number: what it computes is not known', () => {
    const origin = originOf([
      'import numpy as np',
      'p = np.array([[0.7, 0.2, 0.1]])',
      't = np.array([0])',
      'print(cross_entropy_loss(p, t))',
    ]);
    expect(origin.heading).toBe('What cross_entropy_loss computes is not known');
    expect(origin.torchSteps).toBe(false);
  });

  it('another library’s call: how it computes it, next to torch', () => {
    const origin = originOf([
      'import tensorflow as tf',
      'y_true = [1, 2]',
      'y_pred = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]',
      'loss = tf.keras.losses.SparseCategoricalCrossentropy()(y_true, y_pred)',
    ]);
    expect(origin.heading).toBe('How Keras computes it, next to torch');
  });
});

describe('the inline value and the hover name what the code computes', () => {
  it('a function of the code: its own name inline, no NLLLoss in the hover', () => {
    const v = pairView(
      onlyPair([
        'import numpy as np',
        'def cross_entropy(p, y):',
        '    return -np.log(p[y] + 1e-9)',
        'p = np.array([0.1, 0.7, 0.2])',
        'y = np.array([1])',
        'loss = cross_entropy(p, y)',
      ]),
    );
    expect(inlineLabel(v, 4, englishL10n)).toBe('cross_entropy = 0.3567');
    expect(inlineTooltip(v, englishL10n)).toBe('Computed by Loss Inspector: numpy formula −log(p[y] + 1e-9).');
    expect(unescape(lossHoverMarkdown(v, 4, englishL10n, links))).not.toContain('NLLLoss');
  });

  it('an entropy in bits is neither CE nor NLL', () => {
    const bits = pairView(
      onlyPair([
        'import numpy as np',
        'p = np.array([0.25, 0.5, 0.25])',
        'q = np.array([0.5, 0.25, 0.25])',
        'h = -np.sum(p * np.log2(q))',
      ]),
    );
    expect(inlineLabel(bits, 4, englishL10n)).toBe('−Σ y·log₂ q (bits) = 1.7500');
  });

  it('an inline negative log-likelihood keeps its generic name', () => {
    const v = pairView(
      onlyPair([
        'import numpy as np',
        'p = np.array([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]])',
        'y = np.array([1, 0])',
        'loss = -np.mean(np.log(p[np.arange(2), y] + 1e-7))',
      ]),
    );
    expect(inlineLabel(v, 4, englishL10n)).toMatch(/^NLL = /);
  });
});
