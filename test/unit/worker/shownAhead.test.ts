/**
 * The next sample's shown columns are made ahead a part per step (shownAhead.ts): its row lists a
 * few thousand classes a step, then its lists, its page with the sums over the other classes, and
 * the gradient with the stability card. A request for that sample arriving after any number of
 * steps finishes what is left and answers what a computation made at once answers, to the bit.
 */
import { describe, expect, it } from 'vitest';
import type { PanelData, PanelDataParams } from '../../../src/protocol/worker';
import { panelAnswer, panelComputation, prefetchedElement, stepPrefetchShown } from '../../../src/worker/panelCompute';
import { takePrefetched } from '../../../src/worker/shownAhead';
import { rowClassesPerStep } from '../../../src/worker/shownRows';
import { defaultPanelOptions, syntheticRequest } from '../requestBuilders';

const N = 5;
/** Three steps of row lists (the last a partial one). */
const C = 2 * rowClassesPerStep + 1000;

const source = () =>
  syntheticRequest(
    N,
    C,
    (i) => Math.sin(i * 0.29) * 6 + ((i * 7) % 11) / 5,
    (n) => (n === 3 ? -100 : (n * 4099) % C),
  );

function message(element: number, extra: Partial<PanelDataParams> = {}): PanelDataParams {
  return {
    key: 'k',
    version: 1,
    pairId: 1,
    element,
    options: { ...defaultPanelOptions, labelSmoothing: 0.05 },
    shown: { classStart: null, shift: 3, stability: true },
    ...extra,
  };
}

const numbers = (d: PanelData) => ({ result: d.result, otherResult: d.otherResult, shown: d.shown });

describe('the next sample’s shown columns made ahead, a part per step', () => {
  it('takes its row steps, then three parts; an answer after any of them is the one made at once', () => {
    const src = source();
    const want = numbers(
      panelAnswer(
        panelComputation(src, message(2), undefined, () => 1),
        message(2),
      ),
    );
    // How many steps it takes in all: one per call with `enough` always true.
    const counting = panelComputation(src, message(1), undefined, () => 1);
    panelAnswer(counting, message(1));
    let total = 1;
    while (!stepPrefetchShown(counting, message(1), 2, () => true)) total++;
    // The row's logits and statistics, its lists in three steps, then the three parts.
    expect(total).toBe(1 + 3 + 3);
    for (let k = 0; k <= total; k++) {
      const panel = panelComputation(src, message(1), undefined, () => 1);
      panelAnswer(panel, message(1));
      for (let i = 0; i < k; i++) stepPrefetchShown(panel, message(1), 2, () => true);
      if (k > 0) expect(prefetchedElement(panel)).toBe(2);
      const answer = panelAnswer(panel, message(2));
      expect(numbers(answer), `after ${k} steps`).toEqual(want);
      // Taken by the answer: nothing made ahead is left for it.
      expect(prefetchedElement(panel)).toBeNull();
      // What a half-made one gives when taken: finished where it stopped, not dropped.
      const again = panelComputation(src, message(1), undefined, () => 1);
      panelAnswer(again, message(1));
      for (let i = 0; i < k; i++) stepPrefetchShown(again, message(1), 2, () => true);
      const taken = takePrefetched(again, 2, message(2));
      if (k === 0) expect(taken).toBeUndefined();
      else expect(taken, `taken after ${k} steps`).toEqual(want.shown);
    }
  });

  it('starts again for another sample or page, and is not taken by a request for another', () => {
    const src = source();
    const panel = panelComputation(src, message(1), undefined, () => 1);
    panelAnswer(panel, message(1));
    stepPrefetchShown(panel, message(1), 2, () => true);
    stepPrefetchShown(panel, message(1), 3, () => true);
    expect(prefetchedElement(panel)).toBe(3);
    const other = message(4, { shown: { classStart: 40, shift: 3, stability: true } });
    const want = numbers(
      panelAnswer(
        panelComputation(src, other, undefined, () => 1),
        other,
      ),
    );
    expect(numbers(panelAnswer(panel, other))).toEqual(want);
    expect(prefetchedElement(panel)).toBe(3);
  });
});
