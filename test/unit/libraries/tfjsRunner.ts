/**
 * The runner the tfjs reference tests share: a case of tfjs-core's weighted losses
 * (`tf.losses.<name>(labels, logits, weights, labelSmoothing, reduction)`) or of a tfjs-layers
 * metric, written as one JavaScript snippet from its numbers, analysed, and compared with what
 * the real tfjs (a dev dependency) returns for the same numbers.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';

/** One call of a tfjs-core weighted loss. */
export interface CoreCase {
  name: string;
  labels: number[][];
  logits: number[][];
  weights?: number[] | number[][] | number;
  smoothing?: number;
  reduction?: 'NONE' | 'SUM' | 'MEAN' | 'SUM_BY_NONZERO_WEIGHTS' | undefined;
}

/** The tfjs-core losses these tests read, with the constructor each one's weights are written with. */
export interface CoreLoss {
  name: 'softmaxCrossEntropy' | 'sigmoidCrossEntropy';
  /** `tensor` or `tensor2d`: how the snippet builds a weight tensor. */
  weightTensor: 'tensor' | 'tensor2d';
}

/** How far ours may be from tfjs's value: `absolute` + `relative`·|truth|. */
export interface Tolerance {
  absolute: number;
  relative: number;
}

export const lit = (v: unknown): string => JSON.stringify(v);

export function coreSource(loss: CoreLoss, c: CoreCase): string {
  const args = ['labels', 'logits'];
  if (c.weights !== undefined || c.smoothing !== undefined || c.reduction !== undefined)
    args.push(c.weights === undefined ? 'undefined' : typeof c.weights === 'number' ? String(c.weights) : 'weights');
  if (c.smoothing !== undefined || c.reduction !== undefined) args.push(String(c.smoothing ?? 0));
  if (c.reduction !== undefined) args.push(`tf.Reduction.${c.reduction}`);
  return [
    "import * as tf from '@tensorflow/tfjs';",
    `const labels = tf.tensor2d(${lit(c.labels)});`,
    `const logits = tf.tensor2d(${lit(c.logits)});`,
    ...(Array.isArray(c.weights) ? [`const weights = tf.${loss.weightTensor}(${lit(c.weights)});`] : []),
    `const loss = tf.losses.${loss.name}(${args.join(', ')});`,
    '',
  ].join('\n');
}

export function coreTruth(loss: CoreLoss, c: CoreCase): number[] {
  const w =
    c.weights === undefined
      ? undefined
      : typeof c.weights === 'number'
        ? c.weights
        : loss.weightTensor === 'tensor2d'
          ? tf.tensor2d(c.weights as number[][])
          : tf.tensor(c.weights);
  const out = tf.losses[loss.name](
    tf.tensor2d(c.labels),
    tf.tensor2d(c.logits),
    w,
    c.smoothing ?? 0,
    c.reduction === undefined ? tf.Reduction.SUM_BY_NONZERO_WEIGHTS : tf.Reduction[c.reduction],
  );
  return Array.from(out.dataSync());
}

/** The loss (or per-example losses) reported for the one pair `source` holds, on tfjs's rule. */
export function reported(source: string): number[] {
  const doc = analyzeText(source, { fileName: 'case.js' });
  expect(doc.pairs).toHaveLength(1);
  const p = doc.pairs[0];
  expect(p.unverified).toBeUndefined();
  expect(p.error).toBeNull();
  expect(p.library).toMatch(/^tfjs/);
  return p.loss !== null ? [p.loss] : (p.losses ?? []);
}

export function expectClose(ours: number[], truth: number[], tol: Tolerance): void {
  expect(ours).toHaveLength(truth.length);
  ours.forEach((v, i) =>
    expect(
      Math.abs(v - truth[i]) <= tol.absolute + tol.relative * Math.abs(truth[i]),
      `${i}: ${v} vs ${truth[i]}`,
    ).toBe(true),
  );
}

/** Selects tfjs's CPU backend once for the file. */
export function useCpuBackend(): void {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
}

/** One test per case: the snippet's reported numbers against tfjs-core's. */
export function describeCoreCases(title: string, loss: CoreLoss, cases: CoreCase[], tol: Tolerance): void {
  describe(title, () => {
    for (const c of cases) it(c.name, () => expectClose(reported(coreSource(loss, c)), coreTruth(loss, c), tol));
  });
}

/** A tfjs-layers metric's case: targets and predicted probabilities. */
export interface MetricCase {
  name: string;
  yTrue: number[][];
  yPred: number[][];
}

/** One test per case: `tf.metrics.<name>(yTrue, yPred)` in a snippet against tfjs-layers' own metric. */
export function describeMetricCases(
  title: string,
  name: 'categoricalCrossentropy' | 'binaryCrossentropy',
  metric: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor,
  cases: MetricCase[],
  tol: Tolerance,
): void {
  describe(title, () => {
    for (const c of cases)
      it(c.name, () => {
        const truth = Array.from(metric(tf.tensor2d(c.yTrue), tf.tensor2d(c.yPred)).dataSync());
        const source = [
          "const tf = require('@tensorflow/tfjs');",
          `const yTrue = tf.tensor2d(${lit(c.yTrue)});`,
          `const yPred = tf.tensor2d(${lit(c.yPred)});`,
          `const perExample = tf.metrics.${name}(yTrue, yPred);`,
          '',
        ].join('\n');
        expectClose(reported(source), truth, tol);
      });
  });
}
