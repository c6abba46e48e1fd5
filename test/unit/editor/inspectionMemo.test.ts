/**
 * The host's memo of inspect answers: a repeated hover anywhere in an answered row is answered
 * from it; other requests (another pair, class count, a request with data) still go to the worker.
 */
import { describe, expect, it } from 'vitest';
import { InspectionMemo } from '../../../src/editor/inspectionMemo';
import type { Inspection } from '../../../src/protocol/worker';

function answer(element: number, rowSpan?: { start: number; end: number }): Inspection {
  return {
    pairId: 0,
    sample: { element } as Inspection['sample'],
    classIndices: null,
    C: 3,
    count: 4,
    reduction: {} as Inspection['reduction'],
    ...(rowSpan ? { rowSpan } : {}),
  };
}

describe('InspectionMemo', () => {
  it('answers any offset inside an answered row, and nothing outside it', () => {
    const memo = new InspectionMemo();
    const a = answer(1, { start: 100, end: 140 });
    memo.set({ pairId: 0, offset: 120, topK: 10 }, a);
    expect(memo.get({ pairId: 0, offset: 120, topK: 10 })).toBe(a);
    expect(memo.get({ pairId: 0, offset: 100, topK: 10 })).toBe(a);
    expect(memo.get({ pairId: 0, offset: 139, topK: 10 })).toBe(a);
    expect(memo.get({ pairId: 0, offset: 140, topK: 10 })).toBeUndefined();
    expect(memo.get({ pairId: 0, offset: 99, topK: 10 })).toBeUndefined();
    // Another pair, or another number of classes, is another question.
    expect(memo.get({ pairId: 1, offset: 120, topK: 10 })).toBeUndefined();
    expect(memo.get({ pairId: 0, offset: 120, topK: 3 })).toBeUndefined();
  });

  it('keeps an answer without a span for its exact request only', () => {
    const memo = new InspectionMemo();
    const a = answer(2);
    memo.set({ pairId: 0, offset: 50, topK: 10 }, a);
    expect(memo.get({ pairId: 0, offset: 50, topK: 10 })).toBe(a);
    expect(memo.get({ pairId: 0, offset: 51, topK: 10 })).toBeUndefined();
    const t = answer(0);
    memo.set({ pairId: 0, topK: 1, targetLimit: 20 }, t);
    expect(memo.get({ pairId: 0, topK: 1, targetLimit: 20 })).toBe(t);
  });

  it('never keeps an answer that carries the pair’s data', () => {
    const memo = new InspectionMemo();
    memo.set({ pairId: 0, withData: true, topK: 0 }, answer(0));
    expect(memo.get({ pairId: 0, withData: true, topK: 0 })).toBeUndefined();
    expect(memo.get({ pairId: 0, topK: 0 })).toBeUndefined();
  });

  it('stays bounded: past its size it starts over', () => {
    const memo = new InspectionMemo();
    const first = answer(0, { start: 0, end: 10 });
    memo.set({ pairId: 0, offset: 5 }, first);
    for (let i = 1; i <= 64; i++) memo.set({ pairId: 0, element: i }, answer(i));
    expect(memo.get({ pairId: 0, offset: 5 })).toBeUndefined();
    expect(memo.get({ pairId: 0, offset: 7 })).toBeUndefined();
    expect(memo.get({ pairId: 0, element: 64 })?.sample.element).toBe(64);
  });
});
