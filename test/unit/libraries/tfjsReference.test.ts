/**
 * tfjs losses found in JavaScript snippets, checked against the real tfjs installed as a dev
 * dependency: tfjs-core's `tf.losses.softmaxCrossEntropy` (weights, label smoothing, every
 * reduction) and tfjs-layers' `metrics.categoricalCrossentropy` (division by the row sum, clipping
 * to [1e-7, 1 − 1e-7]). Each case is one snippet, written here from its numbers, and the same
 * numbers are given to tfjs.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { metrics } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';

interface CoreCase {
  name: string;
  labels: number[][];
  logits: number[][];
  weights?: number[] | number[][] | number;
  smoothing?: number;
  reduction?: 'NONE' | 'SUM' | 'MEAN' | 'SUM_BY_NONZERO_WEIGHTS' | undefined;
}

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

const lit = (v: unknown): string => JSON.stringify(v);

function coreSource(c: CoreCase): string {
  const args = ['labels', 'logits'];
  if (c.weights !== undefined || c.smoothing !== undefined || c.reduction !== undefined)
    args.push(c.weights === undefined ? 'undefined' : typeof c.weights === 'number' ? String(c.weights) : 'weights');
  if (c.smoothing !== undefined || c.reduction !== undefined) args.push(String(c.smoothing ?? 0));
  if (c.reduction !== undefined) args.push(`tf.Reduction.${c.reduction}`);
  return [
    "import * as tf from '@tensorflow/tfjs';",
    `const labels = tf.tensor2d(${lit(c.labels)});`,
    `const logits = tf.tensor2d(${lit(c.logits)});`,
    ...(Array.isArray(c.weights) ? [`const weights = tf.tensor(${lit(c.weights)});`] : []),
    `const loss = tf.losses.softmaxCrossEntropy(${args.join(', ')});`,
    '',
  ].join('\n');
}

function coreTruth(c: CoreCase): number[] {
  const w = c.weights === undefined ? undefined : typeof c.weights === 'number' ? c.weights : tf.tensor(c.weights);
  const out = tf.losses.softmaxCrossEntropy(
    tf.tensor2d(c.labels),
    tf.tensor2d(c.logits),
    w,
    c.smoothing ?? 0,
    c.reduction === undefined ? tf.Reduction.SUM_BY_NONZERO_WEIGHTS : tf.Reduction[c.reduction],
  );
  return Array.from(out.dataSync());
}

function close(actual: number, truth: number): boolean {
  return Math.abs(actual - truth) <= 1e-7 + 1e-6 * Math.abs(truth);
}

function reported(source: string): number[] {
  const doc = analyzeText(source, { fileName: 'case.js' });
  expect(doc.pairs).toHaveLength(1);
  const p = doc.pairs[0];
  expect(p.unverified).toBeUndefined();
  expect(p.error).toBeNull();
  expect(p.library).toMatch(/^tfjs/);
  return p.loss !== null ? [p.loss] : (p.losses ?? []);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('tfjs-core softmaxCrossEntropy against tfjs itself', () => {
  for (const c of coreCases)
    it(c.name, () => {
      const truth = coreTruth(c);
      const ours = reported(coreSource(c));
      expect(ours).toHaveLength(truth.length);
      ours.forEach((v, i) => expect(close(v, truth[i]), `${i}: ${v} vs ${truth[i]}`).toBe(true));
    });
});

describe('tfjs-layers categoricalCrossentropy against tfjs-layers itself', () => {
  const cases: { name: string; yTrue: number[][]; yPred: number[][] }[] = [
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
  for (const c of cases)
    it(c.name, () => {
      const truth = Array.from(metrics.categoricalCrossentropy(tf.tensor2d(c.yTrue), tf.tensor2d(c.yPred)).dataSync());
      const source = [
        "const tf = require('@tensorflow/tfjs');",
        `const yTrue = tf.tensor2d(${lit(c.yTrue)});`,
        `const yPred = tf.tensor2d(${lit(c.yPred)});`,
        'const perExample = tf.metrics.categoricalCrossentropy(yTrue, yPred);',
        '',
      ].join('\n');
      const ours = reported(source);
      expect(ours).toHaveLength(truth.length);
      ours.forEach((v, i) => expect(close(v, truth[i]), `${i}: ${v} vs ${truth[i]}`).toBe(true));
    });
});

describe('tfjs claims in test files', () => {
  it('judges expectArraysClose, expectTensorsClose and toBeCloseTo by their own tolerances', () => {
    const c: CoreCase = { name: 'NONE', labels: onehot, logits, reduction: 'NONE' };
    const truth = coreTruth(c);
    const [mean] = coreTruth({ ...c, reduction: undefined });
    const right = truth.map((v) => v.toFixed(4));
    const source = [
      coreSource(c),
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
