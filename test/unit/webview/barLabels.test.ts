/**
 * Which class labels the softmax chart writes under its bars (placedBarLabels): none overlaps
 * another, the target's and the predicted class's come first, the rest from left to right.
 */
import { describe, expect, it } from 'vitest';
import { placedBarLabels } from '../../../webview/softmaxChart';

/** The written labels' indices. */
const written = (placed: boolean[]) => placed.flatMap((p, j) => (p ? [j] : []));

describe('placedBarLabels', () => {
  it('writes every label when the bars are wide enough', () => {
    const labels = Array.from({ length: 10 }, (_, j) => String(j));
    expect(written(placedBarLabels(labels, 20, [1, 3]))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('leaves out labels that would touch a neighbour, keeping a regular stride', () => {
    const labels = Array.from({ length: 20 }, (_, j) => String(50000 + j));
    const shown = written(placedBarLabels(labels, 10, []));
    // 5 digits ≈ 30 px plus a 3 px gap over 10 px bars: every fourth bar.
    expect(shown).toEqual([0, 4, 8, 12, 16]);
  });

  it('writes the target and the predicted class first, then fills around them', () => {
    const labels = Array.from({ length: 20 }, (_, j) => String(50000 + j));
    const shown = written(placedBarLabels(labels, 10, [1, 13]));
    expect(shown).toContain(1);
    expect(shown).toContain(13);
    // Nothing closer than four bars to another written label.
    for (let i = 1; i < shown.length; i++) expect(shown[i]! - shown[i - 1]!).toBeGreaterThanOrEqual(4);
    expect(shown.length).toBeGreaterThanOrEqual(5);
  });

  it('keeps the first of two priority labels that would overlap each other', () => {
    const labels = ['50256', '50255', '7'];
    expect(written(placedBarLabels(labels, 10, [1, 0]))).toEqual([1]);
  });

  it('ignores a priority index that is not a bar (a target not on the page)', () => {
    expect(written(placedBarLabels(['0', '1'], 20, [-1, 5]))).toEqual([0, 1]);
  });
});
