/**
 * What an exercise page's prose settles (src/core/detection/problemProse.ts): each phrase below is
 * written for this test, modelled on the layouts of docs/detection.md 3.20. A phrase that does not
 * settle something must leave it null, so the pair is unverified rather than computed by a guess.
 */
import { describe, expect, it } from 'vitest';
import { readSemantics, roleOfName } from '../../../src/core/detection/problemProse';

describe('exercise page prose', () => {
  it('reads mean or sum over the batch, and a reduction the page rules out is not stated', () => {
    expect(readSemantics('Return the average loss over the batch.').reduction).toBe('mean');
    expect(readSemantics('BCE = -(1/n) * sum(y log p + (1 - y) log(1 - p))').reduction).toBe('mean');
    expect(readSemantics('Return the total loss summed over the samples (not the mean).').reduction).toBe('sum');
    expect(readSemantics('Sum over classes per sample, then average over samples.').reduction).toBe('mean');
    expect(readSemantics('Compute the cross-entropy of the predictions.').reduction).toBeNull();
  });

  it('reads the rounding in digits or words, through Markdown emphasis', () => {
    expect(readSemantics('Round the result to 4 decimal places.').decimals).toBe(4);
    expect(readSemantics('Round to **5 decimal places**.').decimals).toBe(5);
    expect(readSemantics('round your answer to two decimal places').decimals).toBe(2);
    expect(readSemantics('Return a float.').decimals).toBeNull();
  });

  it('reads a stated clipping epsilon, and clipping without a value', () => {
    expect(readSemantics('Clip y_pred to [1e-15, 1 - 1e-15] first.').epsilon).toBe(1e-15);
    expect(readSemantics('with epsilon = 10^-7 added').epsilon).toBe(1e-7);
    const unstated = readSemantics('Clip predictions before computing the log.');
    expect([unstated.epsilon, unstated.clipping]).toEqual([null, true]);
  });

  it('tells probabilities from logits, and says neither when the page says both or nothing', () => {
    const probs = readSemantics('y_pred contains probabilities (rows sum to 1).');
    expect([probs.probabilities, probs.logits]).toEqual([true, false]);
    const logits = readSemantics('The inputs are raw scores before the softmax.');
    expect([logits.probabilities, logits.logits]).toEqual([false, true]);
    // "raw model outputs" says nothing about logits: a page of probabilities wrote it.
    const vague = readSemantics('Raw model outputs can saturate to exactly 0 or 1.');
    expect([vague.probabilities, vague.logits]).toEqual([false, false]);
  });

  it('tells binary from categorical, and names variants it does not model', () => {
    expect(readSemantics('# Binary Cross-Entropy (Log Loss)').binary).toBe(true);
    expect(readSemantics('# Categorical Cross-Entropy').categorical).toBe(true);
    const plain = readSemantics('# Cross-entropy');
    expect([plain.binary, plain.categorical, plain.namesLoss]).toEqual([false, false, true]);
    expect(readSemantics('Multi-class log loss over three classes').binary).toBe(false);
    expect(readSemantics('Focal loss: a binary cross-entropy variant').variant).toBe('focal');
  });

  it('gives names their roles', () => {
    expect(roleOfName('y_true')?.role).toBe('target');
    expect(roleOfName('true_labels')?.role).toBe('target');
    expect(roleOfName('logits')).toEqual({ role: 'prediction', kind: 'logits' });
    expect(roleOfName('predicted_probs')).toEqual({ role: 'prediction', kind: 'probabilities' });
    expect(roleOfName('y_pred')).toEqual({ role: 'prediction', kind: null });
    expect(roleOfName('gamma')).toBeNull();
  });
});
