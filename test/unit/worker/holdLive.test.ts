/**
 * Live pairs in the worker (`holdLive`): a request read from a paused program is kept under its
 * own key and served by `inspect` and `panelData` as a document's pair is, the newest few only,
 * and a malformed one is refused at the boundary.
 */
import { describe, expect, it } from 'vitest';
import { livePairId, workerRequestProblem } from '../../../src/protocol/worker';
import { AnalysisService, maxHeldLive } from '../../../src/worker/analysisService';
import { seedRequest } from './helpers';

const options = {
  reduction: 'mean' as const,
  dtype: 'float32' as const,
  labelSmoothing: 0,
  ignoreIndex: -100,
  weight: null,
  inputKind: 'logits' as const,
};

describe('holdLive', () => {
  it('computes the held pair once and serves it to inspect and panelData under its key', () => {
    const service = new AnalysisService();
    const held = service.holdLive({ key: 'live:1', version: 1, request: seedRequest() });
    expect(held).toMatchObject({ printed: 'tensor(2.3519)', N: 2, C: 10, S: 1, targetKind: 'indices', error: null });
    expect(held.loss!.toFixed(4)).toBe('2.3519');
    const sample = service.inspect({ key: 'live:1', version: 1, pairId: livePairId, element: 0 });
    expect(sample.sample.loss.toFixed(4)).toBe('2.1438');
    const panel = service.panelData({ key: 'live:1', version: 1, pairId: livePairId, element: 1, options });
    expect(panel.result.loss.toFixed(4)).toBe('2.3519');
    expect(panel.breakdown!.element).toBe(1);
    const summed = service.panelData({
      key: 'live:1',
      version: 1,
      pairId: livePairId,
      element: 0,
      options: { ...options, reduction: 'sum' },
    });
    expect(summed.result.loss).toBeCloseTo(2 * 2.3519, 3);
  });

  it('answers the kernel’s error in torch’s words for a request torch refuses', () => {
    const service = new AnalysisService();
    const request = seedRequest();
    request.target = { data: new Float64Array([1, 12]), shape: [2], integral: true };
    const held = service.holdLive({ key: 'live:1', version: 1, request });
    expect(held.loss).toBeNull();
    expect(held.error?.message).toMatch(/out of bounds|out of range/i);
  });

  it('keeps only the newest few, and says so for a live key it no longer holds', () => {
    const service = new AnalysisService();
    for (let i = 1; i <= maxHeldLive + 1; i++)
      service.holdLive({ key: `live:${i}`, version: 1, request: seedRequest() });
    expect(() => service.inspect({ key: 'live:1', version: 1, pairId: livePairId })).toThrow(/no longer available/);
    expect(() => service.inspect({ key: `live:${maxHeldLive + 1}`, version: 2, pairId: livePairId })).toThrow(
      /no longer available/,
    );
    expect(() => service.inspect({ key: `live:${maxHeldLive + 1}`, version: 1, pairId: 3 })).toThrow(/No pair 3/);
    expect(
      service.inspect({ key: `live:${maxHeldLive + 1}`, version: 1, pairId: livePairId }).sample.loss,
    ).toBeGreaterThan(0);
  });

  it('is refused at the boundary when the request is malformed', () => {
    const request = (params: unknown) => ({ type: 'request', req: 1, method: 'holdLive', params });
    expect(workerRequestProblem(request({ key: 'live:1', version: 1, request: seedRequest() }))).toBeNull();
    const short = seedRequest();
    short.input = { ...short.input, shape: [3, 10] };
    expect(workerRequestProblem(request({ key: 'live:1', version: 1, request: short }))).toContain(
      'request.input holds 20 values, not 30',
    );
    expect(
      workerRequestProblem(request({ key: 'live:1', version: 1, request: { ...seedRequest(), dtype: 'int8' } })),
    ).toContain('dtype');
    expect(workerRequestProblem(request({ key: 'live:1', version: 1 }))).toContain('request is not an object');
    // A float32 request's input may come as float32 values; a float64 request's, or a target, may not.
    const narrow = seedRequest();
    narrow.input = { ...narrow.input, data: Float32Array.from(narrow.input.data) };
    expect(workerRequestProblem(request({ key: 'live:1', version: 1, request: narrow }))).toBeNull();
    expect(
      workerRequestProblem(request({ key: 'live:1', version: 1, request: { ...narrow, dtype: 'float64' } })),
    ).toContain('request.input.data is not a Float64Array');
    const target32 = { ...seedRequest(), target: { data: new Float32Array([1, 5]), shape: [2], integral: true } };
    expect(workerRequestProblem(request({ key: 'live:1', version: 1, request: target32 }))).toContain(
      'request.target.data is not a Float64Array',
    );
  });

  it('holds a float32 input given as float32 values: the same numbers as in float64', () => {
    const service = new AnalysisService();
    const narrow = seedRequest();
    narrow.input = { ...narrow.input, data: Float32Array.from(narrow.input.data) };
    const a = service.holdLive({ key: 'live:1', version: 1, request: seedRequest() });
    const b = service.holdLive({ key: 'live:2', version: 1, request: narrow });
    expect(b.loss).toBe(a.loss);
    const pa = service.panelData({ key: 'live:1', version: 1, pairId: livePairId, element: 1, options });
    const pb = service.panelData({ key: 'live:2', version: 1, pairId: livePairId, element: 1, options });
    expect(pb.breakdown).toEqual(pa.breakdown);
  });
});
