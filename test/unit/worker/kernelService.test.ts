/**
 * The worker's message handler without a thread: each request gets one reply, exceptions and
 * malformed requests become error replies, a cancel at the yield point stops a large request,
 * and the breakdown cache evicts.
 */
import { describe, expect, it } from 'vitest';
import { computeLoss, reductionBreakdown, sampleBreakdown } from '../../../src/core/kernel';
import type { WorkerReply } from '../../../src/protocol/worker';
import { KernelService, type KernelServiceOptions } from '../../../src/worker/kernelService';
import { gridRequest, seedRequest } from './helpers';

function harness(options: Partial<KernelServiceOptions> = {}) {
  const replies: { reply: WorkerReply; transfer: ArrayBuffer[] }[] = [];
  const service = new KernelService((reply, transfer) => replies.push({ reply, transfer }), {
    yieldToEvents: () => new Promise<void>((resolve) => setImmediate(resolve)),
    ...options,
  });
  return { service, replies };
}

describe('KernelService', () => {
  it('answers computeLoss with the kernel result and transfers the result buffers', async () => {
    const { service, replies } = harness();
    await service.handle({ type: 'computeLoss', req: 7, request: seedRequest(), grad: true });
    expect(replies).toHaveLength(1);
    const { reply, transfer } = replies[0];
    if (reply.type !== 'result') throw new Error(`expected a result, got ${reply.type}`);
    const local = computeLoss(seedRequest(), { grad: true });
    if (!local.ok) throw new Error('seed failed');
    expect(reply.req).toBe(7);
    expect(reply.result.resultId).toBe(7);
    expect(reply.result.loss).toBe(2.1438183784484863);
    expect(reply.result.losses).toEqual(local.result.losses);
    expect(reply.result.grad).toEqual(local.result.grad);
    expect(transfer).toContain(reply.result.losses.buffer);
    expect(transfer).toContain(reply.result.grad?.buffer);
    expect(transfer).toContain(reply.result.ignored?.buffer);
  });

  it('turns kernel errors and malformed requests into error replies', async () => {
    const { service, replies } = harness();
    const bad = seedRequest();
    bad.target.data[0] = 10;
    await service.handle({ type: 'computeLoss', req: 1, request: bad });
    await service.handle({ type: 'computeLoss', req: 2, request: { input: 'oops' } });
    await service.handle({ type: 'frobnicate', req: 3 });
    await service.handle('not even an object');
    const answers = replies.map((r) => r.reply);
    expect(answers).toContainEqual({
      type: 'error',
      req: 1,
      error: { code: 'target_out_of_bounds', message: 'Target 10 is out of bounds.' },
    });
    expect(answers).toContainEqual({
      type: 'error',
      req: 2,
      error: { code: 'invalid_request', message: 'Malformed worker request: input is not an object.' },
    });
    expect(answers.filter((r) => r.type === 'error' && r.req === 3)).toHaveLength(1);
    const logs = answers.filter((r) => r.type === 'log');
    expect(logs).toHaveLength(3);
    expect(logs[2]).toMatchObject({ level: 'warn', message: expect.stringContaining('message is not an object') });
  });

  it('drops a large request when its cancel arrives at the yield point', async () => {
    const { service, replies } = harness({ yieldAboveElements: 1000 });
    const pending = service.handle({ type: 'computeLoss', req: 1, request: gridRequest(200, 10) });
    // Delivered while the request waits at its yield point, as parentPort would.
    await service.handle({ type: 'cancel', req: 1 });
    await pending;
    expect(replies.map((r) => r.reply)).toEqual([
      { type: 'error', req: 1, error: { code: 'cancelled', message: 'The request was cancelled.' } },
    ]);
    // A cancel for a request that is not waiting leaves later requests alone.
    await service.handle({ type: 'cancel', req: 2 });
    await service.handle({ type: 'computeLoss', req: 2, request: gridRequest(200, 10) });
    expect(replies[1].reply.type).toBe('result');
  });

  it('keeps keyed results for breakdowns, sends copies, and evicts the least recently used', async () => {
    const { service, replies } = harness({ cacheEntries: 2 });
    const last = () => replies[replies.length - 1].reply;
    await service.handle({ type: 'computeLoss', req: 1, request: gridRequest(3, 4), key: 'a', grad: true });
    await service.handle({ type: 'computeLoss', req: 2, request: gridRequest(5, 4), key: 'b' });
    await service.handle({ type: 'breakdown', req: 3, key: 'a', resultId: 1, element: 2 });
    const local = computeLoss(gridRequest(3, 4), { grad: true });
    if (!local.ok) throw new Error('grid failed');
    expect(last()).toEqual({
      type: 'breakdown',
      req: 3,
      sample: sampleBreakdown(local.prepared, local.result, 2),
      reduction: reductionBreakdown(local.prepared, local.result),
    });
    // The host owns what it received; changing it does not change what the worker explains later.
    const first = replies[0].reply;
    if (first.type !== 'result') throw new Error('expected a result');
    first.result.losses.fill(-1);
    await service.handle({ type: 'breakdown', req: 4, key: 'a', resultId: 1, element: 2 });
    expect(last()).toMatchObject({ type: 'breakdown', sample: { loss: local.result.losses[2] } });

    // 'a' was used last, so a third key evicts 'b'.
    await service.handle({ type: 'computeLoss', req: 5, request: gridRequest(2, 4), key: 'c' });
    await service.handle({ type: 'breakdown', req: 6, key: 'b', resultId: 2, element: 0 });
    expect(last()).toMatchObject({
      type: 'error',
      req: 6,
      error: { code: 'invalid_request', message: 'Result 2 for b is no longer available; compute it again.' },
    });
    await service.handle({ type: 'breakdown', req: 7, key: 'a', resultId: 1, element: 3 });
    expect(last()).toMatchObject({
      type: 'error',
      req: 7,
      error: { code: 'invalid_request', message: 'Sample 3 is out of range: the result has 3 samples.' },
    });
    await service.handle({ type: 'breakdown', req: 8, key: 'c', resultId: 1, element: 0 });
    expect(last()).toMatchObject({ type: 'error', req: 8, error: { code: 'invalid_request' } });
  });
});
