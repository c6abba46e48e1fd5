/**
 * A hand-written formula reports its own arithmetic, and the panel explains it with the torch loss it
 * corresponds to (the pair's request). That request must run in the kernel and give the formula's
 * number: −Σ y·log p on probabilities has no NLLLoss with probability targets in torch, so one-hot
 * labels become class indices (exact) and soft labels on rows summing to 1 become CrossEntropyLoss
 * of log p (log_softmax(log p) = log p up to rounding).
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { computeLoss } from '../../../src/core/kernel';

function only(source: string) {
  const pairs = analyzeText(source, { fileName: 'f.py' }).pairs;
  expect(pairs).toHaveLength(1);
  return pairs[0];
}

function stepsAgree(source: string, rel: number) {
  const pair = only(source);
  expect(pair.error).toBeNull();
  expect(pair.loss).not.toBeNull();
  expect(pair.request).toBeDefined();
  const run = computeLoss(pair.request!);
  if (!run.ok) throw new Error(`the torch steps fail: ${run.error.message}`);
  expect(Math.abs(run.result.loss - pair.loss!)).toBeLessThanOrEqual(rel * Math.abs(pair.loss!));
  return pair;
}

const onehot = '[[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]';
const probs = '[[0.2, 0.7, 0.1], [0.6, 0.3, 0.1], [0.25, 0.25, 0.5]]';
const soft = '[[0.1, 0.8, 0.1], [0.7, 0.2, 0.1], [0.0, 0.3, 0.7]]';

describe('the torch steps of −Σ y·log p give the formula’s number', () => {
  it('numpy, one-hot labels: NLLLoss of log p with the class indices, exactly', () => {
    const pair = stepsAgree(
      [
        'import numpy as np',
        `y = np.array(${onehot})`,
        `p = np.array(${probs})`,
        'loss = -np.sum(y * np.log(p)) / 3',
      ].join('\n'),
      0,
    );
    expect(pair.targetKind).toBe('indices');
  });

  it('TensorFlow, one-hot labels, mean of the row sums', () => {
    stepsAgree(
      [
        'import tensorflow as tf',
        `y = tf.constant(${onehot})`,
        `p = tf.constant(${probs})`,
        'loss = tf.reduce_mean(-tf.reduce_sum(y * tf.math.log(p), axis=1))',
      ].join('\n'),
      1e-6,
    );
  });

  it('torch, soft labels on rows that sum to 1: CrossEntropyLoss of log p', () => {
    const pair = stepsAgree(
      [
        'import torch',
        `y = torch.tensor(${soft})`,
        `p = torch.tensor(${probs})`,
        'loss = -(y * torch.log(p)).sum(dim=1).mean()',
      ].join('\n'),
      1e-6,
    );
    expect(pair.targetKind).toBe('probabilities');
  });

  it('numpy float64, soft labels', () => {
    stepsAgree(
      [
        'import numpy as np',
        `y = np.array(${soft})`,
        `p = np.array(${probs})`,
        'loss = np.mean(-np.sum(y * np.log(p), axis=1))',
      ].join('\n'),
      1e-12,
    );
  });
});

describe('where the pair of per-row losses written by hand is reported', () => {
  const source = (between: string) =>
    [
      'import numpy as np',
      'probs = np.array([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]])',
      'labels = [0, 1, 1]',
      'loss = -np.log(probs[range(len(probs)), labels])',
      between,
      'print(loss)  # [0.35667494 0.69314718 0.10536052]',
      'average = np.mean(loss)',
      'print(average)',
    ].join('\n');

  it('on the assignment that computes them, named after it, with the printed vector judged there', () => {
    const a = analyzeText(source(''), { fileName: 'f.py' });
    const rows = a.pairs.find((p) => p.options.reduction === 'none');
    const mean = a.pairs.find((p) => p.options.reduction === 'mean');
    expect(rows?.call?.line).toBe(4);
    expect(rows?.call?.resultName).toBe('loss');
    expect(mean?.call?.line).toBe(7);
    const want = [0.7, 0.5, 0.9].map((p) => -Math.log(p));
    expect(rows?.losses).toHaveLength(3);
    rows?.losses?.forEach((v, i) => expect(v).toBeCloseTo(want[i], 12));
    const claim = a.claims.find((c) => c.line === 6);
    expect(claim?.status).toBe('holds');
    expect(claim?.pairId).toBe(rows?.id);
  });

  it('on the print when the name was bound to something else in between', () => {
    const a = analyzeText(source('loss = loss * 1'), { fileName: 'f.py' });
    expect(a.pairs.every((p) => p.call?.line !== 4)).toBe(true);
  });
});
