/**
 * Every library family the detector reads, named on every surface as the code calls it: the
 * identity (src/core/libraryView.ts), the CodeLens title and tooltip, the hover, the panel's origin
 * and whether "Copy as PyTorch" is offered. A library whose losses copy torch's (PaddlePaddle) is
 * computed by torch's kernel and was shown as torch's own CrossEntropyLoss; it must name its call
 * and the torch call that gives the same number, with the code's options.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import type { PairAnalysis } from '../../../src/core/detection';
import { pairIdentity, torchCallText, torchExport } from '../../../src/core/libraryView';
import { pairTitle } from '../../../src/core/sharedText';
import { englishL10n, lensMapping, lensTitle, lossHoverMarkdown } from '../../../src/editor/format';
import { pairView } from '../../../src/editor/locate';
import { pairOrigin } from '../../../src/panel/pairOrigin';

const links = { inspect: 'command:open', copy: 'command:copy' };

/** The one pair of a small source (the last, when a file has several). */
function pairOf(lines: string[], fileName = 'a.py'): PairAnalysis {
  const pairs = analyzeText(lines.join('\n'), { fileName }).pairs;
  expect(pairs.length, lines.join('\n')).toBeGreaterThan(0);
  return pairs[pairs.length - 1];
}

/** The hover's first line, unescaped (the title and the value). */
const hoverTitle = (p: PairAnalysis) =>
  lossHoverMarkdown(pairView(p), 4, englishL10n, links).split('\n')[0].replace(/\\(.)/g, '$1');

const hoverText = (p: PairAnalysis) => lossHoverMarkdown(pairView(p), 4, englishL10n, links).replace(/\\(.)/g, '$1');

interface Family {
  name: string;
  source: string[];
  fileName?: string;
  /** The call as the surfaces name it. */
  title: string;
  /** The library as people write it. */
  library: string;
  /** torch's call that gives the same number, or null when only the library's rule does. */
  torch: string | null;
  copy: ReturnType<typeof torchExport>;
}

const paddleLogits = 'x = paddle.to_tensor([[0.3, 1.2, -0.5], [1.0, 0.1, 0.4]])';
const families: Family[] = [
  {
    name: 'PaddlePaddle CrossEntropyLoss with class weights and (N, 1) labels',
    source: [
      'import paddle',
      paddleLogits,
      'y = paddle.to_tensor([[2], [0]])',
      'w = paddle.to_tensor([1.0, 2.0, 0.5])',
      'loss = paddle.nn.CrossEntropyLoss(weight=w)(x, y)',
    ],
    title: 'paddle.nn.CrossEntropyLoss',
    library: 'PaddlePaddle',
    torch: 'CrossEntropyLoss(weight=[1.0, 2.0, 0.5])',
    copy: { offered: true },
  },
  {
    name: 'PaddlePaddle functional cross_entropy through an alias, summed',
    source: [
      'import paddle',
      'import paddle.nn.functional as F',
      paddleLogits,
      'y = paddle.to_tensor([2, 0])',
      "loss = F.cross_entropy(x, y, reduction='sum', ignore_index=0)",
    ],
    title: 'paddle.nn.functional.cross_entropy',
    library: 'PaddlePaddle',
    torch: "CrossEntropyLoss(ignore_index=0, reduction='sum')",
    copy: { offered: true },
  },
  {
    name: 'PaddlePaddle nll_loss',
    source: [
      'import paddle',
      'x = paddle.to_tensor([[-0.3, -1.2], [-1.0, -0.1]])',
      'y = paddle.to_tensor([1, 0])',
      "loss = paddle.nn.functional.nll_loss(x, y, reduction='none')",
    ],
    title: 'paddle.nn.functional.nll_loss',
    library: 'PaddlePaddle',
    torch: "NLLLoss(reduction='none')",
    copy: { offered: true },
  },
  {
    name: 'PaddlePaddle BCELoss (torch’s rule, but no CrossEntropyLoss snippet)',
    source: [
      'import paddle',
      'p = paddle.to_tensor([0.8, 0.35])',
      'y = paddle.to_tensor([1.0, 0.0])',
      'loss = paddle.nn.BCELoss()(p, y)',
    ],
    title: 'paddle.nn.BCELoss',
    library: 'PaddlePaddle',
    torch: 'BCELoss()',
    copy: { offered: false, reason: 'binary' },
  },
  {
    name: 'Keras on probabilities',
    source: [
      'import tensorflow as tf',
      'y_true = [[0, 1, 0], [0, 0, 1]]',
      'y_pred = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]',
      'loss = tf.keras.losses.CategoricalCrossentropy()(y_true, y_pred)',
    ],
    title: 'keras.losses.CategoricalCrossentropy',
    library: 'Keras',
    torch: null,
    copy: { offered: false, reason: 'probabilities' },
  },
  {
    name: 'Keras from_logits',
    source: [
      'import tensorflow as tf',
      'labels = [2, 0]',
      'scores = [[0.2, 1.1, 2.5], [1.4, 0.3, -0.6]]',
      'loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, scores)',
    ],
    title: 'keras.losses.SparseCategoricalCrossentropy(from_logits=True)',
    library: 'Keras',
    torch: 'CrossEntropyLoss()',
    copy: { offered: true },
  },
  {
    name: 'tf.nn',
    source: [
      'import tensorflow as tf',
      'logits = tf.constant([[1.5, -0.5, 0.25], [0.0, 2.0, -1.0]])',
      'loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[2, 1], logits=logits)',
    ],
    title: 'tf.nn.sparse_softmax_cross_entropy_with_logits',
    library: 'TensorFlow',
    torch: "CrossEntropyLoss(reduction='none')",
    copy: { offered: true },
  },
  {
    name: 'TensorFlow 1 losses, named as TensorFlow 2 spells them',
    source: [
      'import tensorflow as tf',
      'logits = tf.constant([[1.5, -0.5, 0.25], [0.0, 2.0, -1.0]])',
      'loss = tf.compat.v1.losses.sparse_softmax_cross_entropy(labels=[2, 1], logits=logits)',
    ],
    title: 'tf.compat.v1.losses.sparse_softmax_cross_entropy',
    library: 'TensorFlow',
    torch: 'CrossEntropyLoss()',
    copy: { offered: true },
  },
  {
    name: 'tfjs-core',
    fileName: 'a.js',
    source: [
      "import * as tf from '@tensorflow/tfjs';",
      'const logits = tf.tensor2d([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]]);',
      'const labels = tf.tensor2d([[1, 0, 0], [0, 1, 0]]);',
      'const loss = tf.losses.softmaxCrossEntropy(labels, logits);',
    ],
    title: 'tf.losses.softmaxCrossEntropy',
    library: 'TensorFlow.js',
    torch: 'CrossEntropyLoss()',
    copy: { offered: true },
  },
  {
    name: 'tfjs-layers metrics, named as TensorFlow.js spells them',
    fileName: 'a.js',
    source: [
      "import * as tf from '@tensorflow/tfjs';",
      'const yTrue = tf.tensor2d([[1, 0, 0], [0, 1, 0]]);',
      'const yPred = tf.tensor2d([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]]);',
      'const loss = tf.metrics.categoricalCrossentropy(yTrue, yPred);',
    ],
    title: 'tf.metrics.categoricalCrossentropy',
    library: 'TensorFlow.js (tfjs-layers)',
    torch: null,
    copy: { offered: false, reason: 'probabilities' },
  },
  {
    name: 'optax',
    source: [
      'import jax.numpy as jnp',
      'import optax',
      'logits = jnp.array([[1.5, -0.5, 0.25], [0.0, 2.0, -1.0]])',
      'labels = jnp.array([2, 1])',
      'loss = optax.softmax_cross_entropy_with_integer_labels(logits, labels)',
    ],
    title: 'optax.softmax_cross_entropy_with_integer_labels',
    library: 'optax',
    torch: "CrossEntropyLoss(reduction='none')",
    copy: { offered: true },
  },
  {
    name: 'MLX with label smoothing',
    source: [
      'import mlx.core as mx',
      'import mlx.nn as nn',
      'logits = mx.array([[2.0, -1.0, 0.5], [-1.0, 2.0, 0.0]])',
      'targets = mx.array([0, 2])',
      "loss = nn.losses.cross_entropy(logits, targets, label_smoothing=0.25, reduction='sum')",
    ],
    title: "mlx.nn.losses.cross_entropy(label_smoothing=0.25, reduction='sum')",
    library: 'MLX',
    torch: "CrossEntropyLoss(reduction='sum', label_smoothing=0.25)",
    copy: { offered: true },
  },
  {
    name: 'scikit-learn',
    source: [
      'from sklearn.metrics import log_loss',
      'truth = [0, 2, 1]',
      'predicted = [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.2, 0.5, 0.3]]',
      'score = log_loss(truth, predicted)',
    ],
    title: 'sklearn.metrics.log_loss',
    library: 'scikit-learn',
    torch: null,
    copy: { offered: false, reason: 'probabilities' },
  },
  {
    name: 'OneFlow',
    source: [
      'import oneflow as flow',
      'logits = flow.tensor([[1.5, -0.5, 0.25], [0.0, 2.0, -1.0]])',
      'labels = flow.tensor([2, 1])',
      'loss = flow.nn.functional.sparse_softmax_cross_entropy_with_logits(labels, logits)',
    ],
    title: 'oneflow.nn.functional.sparse_softmax_cross_entropy_with_logits',
    library: 'OneFlow',
    torch: "CrossEntropyLoss(reduction='none')",
    copy: { offered: true },
  },
  {
    name: 'MXNet softmax_cross_entropy operator (summed over the batch)',
    source: [
      'import mxnet as mx',
      'scores = mx.nd.array([[1.5, -0.3, 0.2], [0.1, 0.9, -1.1]])',
      'labels = mx.nd.array([0, 1])',
      'total = mx.nd.softmax_cross_entropy(scores, labels)',
    ],
    title: 'mxnet.nd.softmax_cross_entropy',
    library: 'MXNet',
    torch: "CrossEntropyLoss(reduction='sum')",
    copy: { offered: true },
  },
  {
    name: 'MindSpore',
    source: [
      'import numpy as np',
      'from mindspore import ops, Tensor',
      'logits = Tensor(np.array([[0.3, -1.2]]).astype(np.float32))',
      'label = Tensor(np.array([[1.0, 0.0]]).astype(np.float32))',
      'loss = ops.SigmoidCrossEntropyWithLogits()(logits, label)',
    ],
    title: 'mindspore.ops.SigmoidCrossEntropyWithLogits',
    library: 'MindSpore',
    torch: null,
    copy: { offered: false, reason: 'binary' },
  },
];

describe('each library family is named as the code calls it', () => {
  for (const f of families)
    describe(f.name, () => {
      const p = pairOf(f.source, f.fileName);
      const identity = pairIdentity(p);

      it('carries its library, its call and the torch call that gives its number', () => {
        expect(identity).toMatchObject({ family: 'library', name: f.library, title: f.title, torch: f.torch });
        expect(torchExport(p)).toEqual(f.copy);
      });

      it('the CodeLens names the call, and its tooltip the mapping to torch', () => {
        const view = pairView(p);
        expect(lensTitle(view, 4, englishL10n).startsWith(`${f.title} = `)).toBe(true);
        expect(lensMapping(view, englishL10n)).toBe(
          f.torch ? `${f.title}, computed as torch’s ${f.torch}` : `${f.title}, computed by the rule of ${f.library}`,
        );
      });

      it('the hover names the call, states the mapping and links the copy only when it is offered', () => {
        expect(hoverTitle(p).startsWith(`**${f.title}**: `)).toBe(true);
        const text = hoverText(p);
        if (f.torch) expect(text).toContain(`Computed as torch’s ${f.torch}, the same number: `);
        else expect(text).toContain("Computed by the library's own rule: ");
        expect(text.includes('(command:copy)')).toBe(f.copy.offered);
      });

      it('the panel heads the pair with the call and the library', () => {
        const origin = pairOrigin(p, englishL10n);
        expect(origin).toMatchObject({ title: f.title, library: f.library, pytorch: f.copy.offered });
      });
    });
});

describe('torch’s own losses and formulas keep their names', () => {
  it('torch’s CrossEntropyLoss is torch’s, with no library line', () => {
    const p = pairOf([
      'import torch',
      'x = torch.tensor([[0.3, 1.2], [1.0, 0.1]])',
      'loss = torch.nn.CrossEntropyLoss()(x, torch.tensor([1, 0]))',
    ]);
    expect(pairIdentity(p)).toEqual({ family: 'torch' });
    expect(hoverTitle(p)).toMatch(/^\*\*CrossEntropyLoss\*\*: `tensor\(/);
    expect(lensMapping(pairView(p), englishL10n)).toBeNull();
    expect(pairOrigin(p, englishL10n)).toBeNull();
  });

  it('torch’s BCEWithLogitsLoss names torch’s call, with no “computed as torch’s” of itself', () => {
    const p = pairOf([
      'import torch',
      'loss = torch.nn.BCEWithLogitsLoss()(torch.tensor([0.3, -1.2]), torch.tensor([1.0, 0.0]))',
    ]);
    expect(pairIdentity(p)).toMatchObject({ family: 'library', title: 'torch.nn.BCEWithLogitsLoss', torch: null });
    expect(torchExport(p)).toEqual({ offered: false, reason: 'binary' });
    expect(hoverText(p)).toContain('binary cross-entropy (one loss per element)');
    expect(hoverText(p)).not.toContain('log-probabilities (NLLLoss)');
  });

  it('a numpy formula is named by its library and form', () => {
    const p = pairOf([
      'import numpy as np',
      'x = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])',
      'y = np.array([0, 1])',
      'p = np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)',
      'loss = -np.mean(np.log(p[range(2), y]))',
    ]);
    // The core gives the library and the formula; the surface's language writes the title.
    expect(pairIdentity(p)).toEqual({
      family: 'formula',
      library: 'numpy',
      name: 'numpy',
      words: '−log_softmax(x)[y]',
    });
    expect(pairTitle(pairIdentity(p), englishL10n)).toBe('numpy formula −log_softmax(x)[y]');
    expect(hoverTitle(p).startsWith('**numpy formula')).toBe(true);
  });
});

describe('the torch call of a pair, with the options that differ from torch’s defaults', () => {
  const base = { weight: null, ignoreIndex: -100, reduction: 'mean' as const, labelSmoothing: 0 };
  it('names the loss by what it reads and lists only the options the code sets', () => {
    expect(torchCallText({ ...base, inputKind: 'logits' })).toBe('CrossEntropyLoss()');
    expect(torchCallText({ ...base, inputKind: 'log_probs', reduction: 'sum', labelSmoothing: 0.1 })).toBe(
      "NLLLoss(reduction='sum')",
    );
    expect(torchCallText({ ...base, inputKind: 'logits', labelSmoothing: 0.1, ignoreIndex: 3 })).toBe(
      'CrossEntropyLoss(ignore_index=3, label_smoothing=0.1)',
    );
  });

  it('shortens long class weights', () => {
    const weight = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(torchCallText({ ...base, inputKind: 'logits', weight })).toBe(
      'CrossEntropyLoss(weight=[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, …])',
    );
  });
});
