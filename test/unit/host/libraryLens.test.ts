/**
 * The CodeLens title and the hover of another library's pair, through the editor's own view model
 * (`pairView`, with the vscode stand-in): the call is named with its options and value, and the
 * hover links "Copy as PyTorch" only when torch's loss gives the library's number; the inline value
 * names the call by its short name.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import {
  englishL10n,
  inlineLabel,
  inlinePending,
  inlineTooltip,
  lensTitle,
  lossHoverMarkdown,
} from '../../../src/editor/format';
import { pairView } from '../../../src/editor/locate';

describe('lenses and hovers of library pairs', () => {
  const analyse = (source: string) => {
    return pairView(analyzeText(source, { fileName: 'k.py' }).pairs[0]);
  };
  const probabilities = [
    'import tensorflow as tf',
    'y_true = [[0, 1, 0], [0, 0, 1]]',
    'y_pred = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]',
    'loss = tf.keras.losses.CategoricalCrossentropy()(y_true, y_pred)',
  ].join('\n');
  const logits = [
    'import tensorflow as tf',
    'labels = [2, 0]',
    'scores = [[0.2, 1.1, 2.5], [1.4, 0.3, -0.6]]',
    'loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, scores)',
  ].join('\n');
  const logLoss = [
    'from sklearn.metrics import log_loss',
    'truth = [0, 2, 1]',
    'predicted = [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.2, 0.5, 0.3]]',
    'score = log_loss(truth, predicted)',
  ].join('\n');
  const torchCall = [
    'import torch',
    'loss = torch.nn.CrossEntropyLoss()(torch.tensor([[0.3, 1.2]]), torch.tensor([1]))',
  ].join('\n');
  const links = { inspect: 'command:open', copy: 'command:copy' };

  it('the lens names the call and its value', async () => {
    const p = analyse(logits);
    expect(lensTitle(p, 4, englishL10n)).toBe(
      `keras.losses.SparseCategoricalCrossentropy(from_logits=True) = ${p.loss!.toFixed(4)}`,
    );
    expect(lensTitle(analyse(probabilities), 4, englishL10n)).toBe('keras.losses.CategoricalCrossentropy = 1.1769');
  });

  it('the hover offers Copy as PyTorch only when torch gives the same number, and says why not', async () => {
    const exact = lossHoverMarkdown(analyse(logits), 4, englishL10n, links);
    expect(exact).toMatch(/^\*\*keras\\\.losses\\\.SparseCategoricalCrossentropy\\\(from\\_logits=True\\\)\*\*/);
    expect(exact).toContain('(command:copy)');
    const clipped = lossHoverMarkdown(analyse(probabilities), 4, englishL10n, links);
    expect(clipped).not.toContain('command:copy');
    expect(clipped).toContain('No "Copy as PyTorch": this library takes probabilities');
  });

  it('the hover prints a library’s number as a number, torch’s as torch prints it', () => {
    const keras = analyse(logits);
    const first = (md: string) => md.split('\n')[0];
    expect(first(lossHoverMarkdown(keras, 4, englishL10n, links))).toMatch(
      new RegExp(`\\*\\*: \`${keras.loss!.toFixed(4)}\`$`),
    );
    const sklearn = analyse(logLoss);
    expect(first(lossHoverMarkdown(sklearn, 4, englishL10n, links))).not.toContain('tensor(');
    expect(first(lossHoverMarkdown(sklearn, 4, englishL10n, links))).not.toContain('torch.float64');
    const torch = analyse(torchCall);
    expect(first(lossHoverMarkdown(torch, 4, englishL10n, links))).toBe(
      `**CrossEntropyLoss**: \`tensor(${torch.loss!.toFixed(4)})\``,
    );
  });

  it('the inline value names the call the code makes, short; torch and formulas keep CE', async () => {
    const keras = analyse(logits);
    expect(inlineLabel(keras, 4, englishL10n)).toBe(`SparseCategoricalCrossentropy = ${keras.loss!.toFixed(4)}`);
    expect(inlineTooltip(keras, englishL10n)).toBe(
      'Computed by Loss Inspector with the rule of keras.losses.SparseCategoricalCrossentropy(from_logits=True).',
    );
    expect(inlineLabel(analyse(probabilities), 4, englishL10n)).toBe('CategoricalCrossentropy = 1.1769');

    const sklearn = analyse(logLoss);
    expect(inlineLabel(sklearn, 4, englishL10n)).toBe(`log_loss = ${sklearn.loss!.toFixed(4)}`);

    // A per-example output has no reduced loss: the first values, not "computing…".
    const optax = analyse(
      [
        'import jax.numpy as jnp',
        'import optax',
        'logits = jnp.array([[2.4, 0.3, -1.0], [0.2, 0.1, 1.7]])',
        'per_example = optax.softmax_cross_entropy_with_integer_labels(logits, jnp.array([0, 2]))',
      ].join('\n'),
    );
    expect(optax.loss).toBeNull();
    expect(inlineLabel(optax, 4, englishL10n)).toBe(
      `softmax_cross_entropy_with_integer_labels = [${optax.losses!.map((v) => v.toFixed(4)).join(', ')}]`,
    );

    const tfjs = pairView(
      analyzeText(
        [
          "import * as tf from '@tensorflow/tfjs';",
          'const loss = tf.losses.softmaxCrossEntropy(tf.tensor2d([[1, 0]]), tf.tensor2d([[0.3, 1.2]]));',
        ].join('\n'),
        { fileName: 'k.ts' },
      ).pairs[0],
    );
    expect(inlineLabel(tfjs, 4, englishL10n)).toBe(`softmaxCrossEntropy = ${tfjs.loss!.toFixed(4)}`);
    expect(inlinePending(tfjs, englishL10n)).toBe('softmaxCrossEntropy: computing…');
    expect(inlineLabel({ ...tfjs, error: 'bad labels' }, 4, englishL10n)).toBe('softmaxCrossEntropy: error');

    const torch = analyse(torchCall);
    expect(torch.inlineName).toBeUndefined();
    expect(inlineLabel(torch, 4, englishL10n)).toBe(`CE = ${torch.loss!.toFixed(4)}`);
    expect(inlinePending(torch, englishL10n)).toBe('CE: computing…');
    expect(inlineTooltip(torch, englishL10n)).toBe('Computed by Loss Inspector as torch.nn.CrossEntropyLoss would.');

    const formula = analyse(
      [
        'import numpy as np',
        'x = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])',
        'y = np.array([0, 1])',
        'p = np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)',
        'loss = -np.mean(np.log(p[range(2), y]))',
      ].join('\n'),
    );
    expect(inlineLabel(formula, 4, englishL10n)).toBe(`CE = ${formula.loss!.toFixed(4)}`);
    expect(inlineTooltip(formula, englishL10n)).toBe('Computed by Loss Inspector: numpy formula −log_softmax(x)[y].');
  });

  it('a formula written with TensorFlow ops is named TensorFlow, not torch or Python, and prints as a float', () => {
    const tfSource = [
      'import tensorflow as tf',
      'onehot = tf.constant([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])',
      'probs = tf.constant([[0.2, 0.7, 0.1], [0.6, 0.3, 0.1]])',
      'xent = tf.reduce_mean(-tf.reduce_sum(onehot * tf.math.log(probs), axis=1))',
    ].join('\n');
    const formula = analyse(tfSource);
    const expected = -(Math.log(Math.fround(0.7)) + Math.log(Math.fround(0.6))) / 2;
    expect(formula.loss).toBeCloseTo(expected, 6);
    expect(formula.title).toBe('TensorFlow formula −Σ y·log p');
    expect(inlineTooltip(formula, englishL10n)).toBe('Computed by Loss Inspector: TensorFlow formula −Σ y·log p.');
    expect(lossHoverMarkdown(formula, 4, englishL10n, { inspect: 'command:open', copy: 'command:copy' })).toContain(
      'TensorFlow formula',
    );
    // print() of it is TensorFlow's float, never torch's `tensor(…)`.
    expect(analyzeText(tfSource, { fileName: 'k.py' }).pairs[0].printed).not.toMatch(/^tensor\(/);

    // The same arithmetic on torch tensors is a torch formula, named as one (never torch's NLLLoss).
    const torchFormula = analyse(
      [
        'import torch',
        'onehot = torch.tensor([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])',
        'probs = torch.tensor([[0.2, 0.7, 0.1], [0.6, 0.3, 0.1]])',
        'xent = -(onehot * torch.log(probs)).sum(dim=1).mean()',
      ].join('\n'),
    );
    expect(torchFormula.loss).toBeCloseTo(expected, 6);
    expect(torchFormula.title).toBe('torch formula −Σ y·log p');
  });
});
