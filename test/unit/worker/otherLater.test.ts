/**
 * A held live pair's first panel answer (see docs/live-tensors.md, "The panel after a full
 * read"): it takes holdLive's pass instead of computing the pair again, and a big pair's other
 * dtype may come in a second answer (`otherLater` / `otherPending`), the same numbers as in one.
 */
import { describe, expect, it } from 'vitest';
import type { LossRequest } from '../../../src/core/types';
import {
  livePairId,
  workerReplyProblem,
  workerRequestProblem,
  type PanelDataParams,
} from '../../../src/protocol/worker';
import { AnalysisService } from '../../../src/worker/analysisService';
import { otherLaterMinElements, panelComputation } from '../../../src/worker/panelCompute';
import { computeLoss } from '../../../src/core/kernel';
import { defaultPanelOptions, indexRequest, livePanelParams } from '../requestBuilders';

const options = defaultPanelOptions;

/** (N, C) float32 logits from a seeded generator, and class targets. */
function request(N: number, C: number): LossRequest {
  const x = new Float32Array(N * C);
  let s = 12345;
  for (let i = 0; i < x.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    x[i] = (s / 2 ** 32) * 16 - 8;
  }
  return indexRequest(
    x,
    [N, C],
    Array.from({ length: N }, (_, n) => (n * 7919) % C),
  );
}

const params = (key: string, extra: Partial<PanelDataParams> = {}): PanelDataParams =>
  livePanelParams({ key, ...extra });

describe('the panel of a held live pair', () => {
  it('takes the pass holdLive made when the options are the request’s own, and only then', () => {
    const source = request(4, 50);
    const first = computeLoss(source);
    if (!first.ok) throw new Error(first.error.message);
    const own = { prepared: first.prepared, result: first.result };
    const same = panelComputation(source, params('live:1'), undefined, () => 1, own);
    expect(same.main.prepared).toBe(own.prepared);
    // Other options are another computation, with the numbers of those options.
    const smoothed = panelComputation(
      source,
      params('live:1', { options: { ...options, labelSmoothing: 0.1 } }),
      undefined,
      () => 1,
      own,
    );
    expect(smoothed.main.prepared).not.toBe(own.prepared);
    expect(smoothed.main.result.loss).not.toBe(own.result.loss);
    const weighted = panelComputation(
      source,
      params('live:1', { options: { ...options, weight: Array.from({ length: 50 }, (_, c) => 1 + (c % 3)) } }),
      undefined,
      () => 1,
      own,
    );
    expect(weighted.main.prepared).not.toBe(own.prepared);
  });

  it('keeps the hover’s breakdown of the held pair under its own reduction after the panel switched it', () => {
    const service = new AnalysisService();
    service.holdLive({ key: 'live:1', version: 1, request: request(4, 50) });
    const mean = service.inspect({ key: 'live:1', version: 1, pairId: livePairId, element: 2 });
    service.panelData(params('live:1'));
    service.panelData(params('live:1', { options: { ...options, reduction: 'sum' } }));
    const after = service.inspect({ key: 'live:1', version: 1, pairId: livePairId, element: 2 });
    expect(after.reduction).toEqual(mean.reduction);
    expect(after.sample.loss).toBe(mean.sample.loss);
  });

  it('answers a big pair first without the other dtype when asked to, then with it, as one answer would', () => {
    const N = 4;
    const C = Math.ceil(otherLaterMinElements / N);
    const service = new AnalysisService();
    service.holdLive({ key: 'live:1', version: 1, request: request(N, C) });
    service.holdLive({ key: 'live:2', version: 1, request: request(N, C) });
    const first = service.panelData(params('live:1', { otherLater: true }));
    expect(first.otherPending).toBe(true);
    expect(first.otherResult).toBeNull();
    expect(workerReplyProblem({ type: 'result', req: 1, method: 'panelData', result: first })).toBeNull();
    const rest = service.panelData(params('live:1'));
    expect(rest.otherPending).toBeUndefined();
    // The sample shown first is kept for this second request, not computed again.
    expect(rest.shown).toBe(first.shown);
    const whole = service.panelData(params('live:2'));
    expect(rest.otherResult?.dtype).toBe('float64');
    expect(rest.otherResult?.loss).toBe(whole.otherResult?.loss);
    expect(Array.from(rest.otherResult!.losses)).toEqual(Array.from(whole.otherResult!.losses));
    expect(first.result.loss).toBe(whole.result.loss);
    expect(first.shown).toEqual(whole.shown);
  });

  it('answers a small pair whole even when the other dtype may come later', () => {
    const service = new AnalysisService();
    service.holdLive({ key: 'live:1', version: 1, request: request(4, 50) });
    const answer = service.panelData(params('live:1', { otherLater: true }));
    expect(answer.otherPending).toBeUndefined();
    expect(answer.otherResult?.dtype).toBe('float64');
  });

  it('refuses otherLater that is not a boolean, and otherPending beside an other result', () => {
    const req = (p: unknown) => ({ type: 'request', req: 1, method: 'panelData', params: p });
    expect(workerRequestProblem(req(params('live:1', { otherLater: true })))).toBeNull();
    expect(workerRequestProblem(req({ ...params('live:1'), otherLater: 'yes' }))).toContain('otherLater');
    const service = new AnalysisService();
    service.holdLive({ key: 'live:1', version: 1, request: request(4, 50) });
    const whole = service.panelData(params('live:1'));
    expect(
      workerReplyProblem({ type: 'result', req: 1, method: 'panelData', result: { ...whole, otherPending: true } }),
    ).toContain('otherPending');
  });
});
