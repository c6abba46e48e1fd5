/**
 * tfjs losses found in JavaScript snippets, checked against the real tfjs installed as a dev
 * dependency: tfjs-core's `tf.losses.softmaxCrossEntropy` (weights, label smoothing, every
 * reduction) and tfjs-layers' `metrics.categoricalCrossentropy` (division by the row sum, clipping
 * to [1e-7, 1 − 1e-7]). Each case is one snippet, written here from its numbers, and the same
 * numbers are given to tfjs.
 */
import { metrics } from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import {
  type CoreCase,
  coreSource,
  coreTruth,
  describeCoreCases,
  describeMetricCases,
  type MetricCase,
  useCpuBackend,
} from './tfjsRunner';

const onehot = [
  [0, 0, 1],
  [1, 0, 0],
  [0, 1, 0],
];
const logits = [
  [0.5, -1.25, 2.0],
  [3.0, 0.0, -0.5],
  [0.1, 0.2, 0.3],
];

const coreCases: CoreCase[] = [
  { name: 'defaults', labels: onehot, logits },
  { name: 'per-example weights', labels: onehot, logits, weights: [1, 0, 2] },
  { name: 'weights per class, MEAN', labels: onehot, logits, weights: [[0.5, 1, 2]], reduction: 'MEAN' },
  { name: 'a scalar weight, SUM', labels: onehot, logits, weights: 3, reduction: 'SUM' },
  { name: 'label smoothing', labels: onehot, logits, smoothing: 0.2 },
  { name: 'NONE', labels: onehot, logits, reduction: 'NONE' },
  {
    name: 'soft labels, MEAN with weights',
    labels: [
      [0.2, 0.3, 0.5],
      [1, 0, 0],
      [0, 0.5, 0.5],
    ],
    logits,
    weights: [2, 1, 1],
    reduction: 'MEAN',
  },
];

const metricCases: MetricCase[] = [
  {
    name: 'probabilities',
    yTrue: onehot,
    yPred: [
      [0.1, 0.2, 0.7],
      [0.6, 0.3, 0.1],
      [0.3, 0.3, 0.4],
    ],
  },
  {
    name: 'rows that do not sum to 1, and a zero (clipped)',
    yTrue: onehot,
    yPred: [
      [1, 1, 2],
      [0, 4, 1],
      [0.5, 0, 0.5],
    ],
  },
];

useCpuBackend();

const softmax = { name: 'softmaxCrossEntropy', weightTensor: 'tensor' } as const;
const tolerance = { absolute: 1e-7, relative: 1e-6 };

describeCoreCases('tfjs-core softmaxCrossEntropy against tfjs itself', softmax, coreCases, tolerance);

describeMetricCases(
  'tfjs-layers categoricalCrossentropy against tfjs-layers itself',
  'categoricalCrossentropy',
  metrics.categoricalCrossentropy,
  metricCases,
  tolerance,
);

describe('tfjs claims in test files', () => {
  it('judges expectArraysClose, expectTensorsClose and toBeCloseTo by their own tolerances', () => {
    const c: CoreCase = { name: 'NONE', labels: onehot, logits, reduction: 'NONE' };
    const truth = coreTruth(softmax, c);
    const [mean] = coreTruth(softmax, { ...c, reduction: undefined });
    const right = truth.map((v) => v.toFixed(4));
    const source = [
      coreSource(softmax, c),
      `expectArraysClose(await loss.data(), [${right.join(', ')}]);`,
      `expectTensorsClose(loss, tf.tensor1d([${right[0]}, ${(truth[1] + 0.01).toFixed(4)}, ${right[2]}]));`,
      'const mean = tf.losses.softmaxCrossEntropy(labels, logits);',
      // toBeCloseTo(x, 2) allows 0.005: 0.004 off holds, 0.05 off does not.
      `expect(mean.dataSync()[0]).toBeCloseTo(${(mean + 0.004).toFixed(4)}, 2);`,
      `expect(mean.dataSync()[0]).toBeCloseTo(${(mean + 0.05).toFixed(4)}, 2);`,
      '',
    ].join('\n');
    const doc = analyzeText(source, { fileName: 'case.spec.js' });
    expect(doc.claims.map((x) => x.status)).toEqual([
      'holds',
      'holds',
      'holds',
      'holds',
      'wrong',
      'holds',
      'holds',
      'wrong',
    ]);
  });
});
