/**
 * tfjs's binary cross-entropies found in JavaScript snippets, checked against the real tfjs
 * installed as a dev dependency: tfjs-core's `tf.losses.sigmoidCrossEntropy` (weights, label
 * smoothing, every reduction) and tfjs-layers' `metrics.binaryCrossentropy` (clipping to
 * [1e-7, 1 − 1e-7], the logit of the clipped probability, the mean over the last axis). Each case
 * is one snippet written from its numbers, and the same numbers are given to tfjs.
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
  weights?: number[][] | number;
  smoothing?: number;
  reduction?: 'NONE' | 'SUM' | 'MEAN' | 'SUM_BY_NONZERO_WEIGHTS';
}

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
    ...(Array.isArray(c.weights) ? [`const weights = tf.tensor2d(${lit(c.weights)});`] : []),
    `const loss = tf.losses.sigmoidCrossEntropy(${args.join(', ')});`,
    '',
  ].join('\n');
}

function coreTruth(c: CoreCase): number[] {
  const w = c.weights === undefined ? undefined : typeof c.weights === 'number' ? c.weights : tf.tensor2d(c.weights);
  const out = tf.losses.sigmoidCrossEntropy(
    tf.tensor2d(c.labels),
    tf.tensor2d(c.logits),
    w,
    c.smoothing ?? 0,
    c.reduction === undefined ? tf.Reduction.SUM_BY_NONZERO_WEIGHTS : tf.Reduction[c.reduction],
  );
  return Array.from(out.dataSync());
}

/** tfjs and this project both round every step to float32: at most an ulp or two apart. */
function close(actual: number, truth: number): boolean {
  return Math.abs(actual - truth) <= 1e-7 + 4 * 2 ** -24 * Math.abs(truth);
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

describe('tfjs-core sigmoidCrossEntropy against tfjs itself', () => {
  for (const c of coreCases)
    it(c.name, () => {
      const truth = coreTruth(c);
      const ours = reported(coreSource(c));
      expect(ours).toHaveLength(truth.length);
      ours.forEach((v, i) => expect(close(v, truth[i]), `${i}: ${v} vs ${truth[i]}`).toBe(true));
    });
});

describe('tfjs-layers metrics.binaryCrossentropy against tfjs-layers itself', () => {
  const cases: { name: string; yTrue: number[][]; yPred: number[][] }[] = [
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
  for (const c of cases)
    it(c.name, () => {
      const truth = Array.from(metrics.binaryCrossentropy(tf.tensor2d(c.yTrue), tf.tensor2d(c.yPred)).dataSync());
      const source = [
        "const tf = require('@tensorflow/tfjs');",
        `const yTrue = tf.tensor2d(${lit(c.yTrue)});`,
        `const yPred = tf.tensor2d(${lit(c.yPred)});`,
        'const perExample = tf.metrics.binaryCrossentropy(yTrue, yPred);',
        '',
      ].join('\n');
      const ours = reported(source);
      expect(ours).toHaveLength(truth.length);
      ours.forEach((v, i) => expect(close(v, truth[i]), `${i}: ${v} vs ${truth[i]}`).toBe(true));
    });
});
