/**
 * tfjs's binary cross-entropies found in JavaScript snippets, checked against the real tfjs
 * installed as a dev dependency: tfjs-core's `tf.losses.sigmoidCrossEntropy` (weights, label
 * smoothing, every reduction) and tfjs-layers' `metrics.binaryCrossentropy` (clipping to
 * [1e-7, 1 − 1e-7], the logit of the clipped probability, the mean over the last axis). Each case
 * is one snippet written from its numbers, and the same numbers are given to tfjs.
 */
import { metrics } from '@tensorflow/tfjs-layers';
import { type CoreCase, describeCoreCases, describeMetricCases, type MetricCase, useCpuBackend } from './tfjsRunner';

const labels = [
  [1, 0, 1],
  [0, 0, 1],
];
const logits = [
  [0.8, -2.0, 1.5],
  [0.3, -0.4, -12.0],
];

const coreCases: CoreCase[] = [
  { name: 'defaults', labels, logits },
  { name: 'NONE', labels, logits, reduction: 'NONE' },
  { name: 'weights per row, default reduction', labels, logits, weights: [[1], [0]] },
  {
    name: 'weights per element, MEAN',
    labels,
    logits,
    weights: [
      [1, 2, 0],
      [0.5, 1, 1],
    ],
    reduction: 'MEAN',
  },
  { name: 'weights per column, MEAN (broadcast factor)', labels, logits, weights: [[1, 2, 3]], reduction: 'MEAN' },
  { name: 'a scalar weight, SUM', labels, logits, weights: 2.5, reduction: 'SUM' },
  { name: 'label smoothing 0.3', labels, logits, smoothing: 0.3 },
  {
    name: 'soft labels, NONE',
    labels: [
      [0.25, 0.5, 1],
      [0.9, 0, 0.1],
    ],
    logits,
    reduction: 'NONE',
  },
];

const metricCases: MetricCase[] = [
  {
    name: 'probabilities',
    yTrue: [
      [1, 0, 1],
      [0, 1, 1],
    ],
    yPred: [
      [0.9, 0.3, 0.55],
      [0.2, 0.6, 0.75],
    ],
  },
  {
    name: 'zeros and ones (clipped to 1e-7 and 1 − 1e-7)',
    yTrue: [
      [1, 0],
      [0, 1],
    ],
    yPred: [
      [1, 0],
      [1, 0],
    ],
  },
];

useCpuBackend();

// tfjs and this project both round every step to float32: at most an ulp or two apart.
const float32Steps = { absolute: 1e-7, relative: 4 * 2 ** -24 };

describeCoreCases(
  'tfjs-core sigmoidCrossEntropy against tfjs itself',
  { name: 'sigmoidCrossEntropy', weightTensor: 'tensor2d' },
  coreCases,
  float32Steps,
);

describeMetricCases(
  'tfjs-layers metrics.binaryCrossentropy against tfjs-layers itself',
  'binaryCrossentropy',
  metrics.binaryCrossentropy,
  metricCases,
  float32Steps,
);
