/**
 * KernelClient against real worker_threads workers, built from src/worker/kernelWorker.ts into a
 * temp dir: results equal the in-process kernel, errors are values, supersede/abort/dispose
 * resolve as cancelled, a deadline or a killed worker becomes an error value and the next request
 * runs on a fresh worker, and buffers follow the documented transfer policy.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { computeLoss, reductionBreakdown, sampleBreakdown } from '../../../src/core/kernel';
import { parseJson, type JsonValue } from '../../../src/core/json/parseJson';
import { decodeRequest } from '../../../src/core/request';
import type { LossRequest } from '../../../src/core/types';
import {
  KernelClient,
  deadlineMessage,
  defaultDeadlineMs,
  defaultInlineBelowElements,
  type KernelClientOptions,
  type LossOutcome,
} from '../../../src/worker/kernelClient';
import { buildWorker, gridRequest, recordingLogger, seedRequest, sleep, slowRequest } from './helpers';

let workerPath = '';
let cleanup = (): void => undefined;
const clients: KernelClient[] = [];

beforeAll(async () => {
  ({ workerPath, cleanup } = await buildWorker());
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
});
afterAll(() => cleanup());

const warningsOf = new WeakMap<KernelClient, string[]>();

/** A client that always uses the worker unless told otherwise; disposed after each test. */
function client(options: Partial<KernelClientOptions> = {}): KernelClient {
  const logger = recordingLogger();
  const c = new KernelClient({ workerPath, inlineBelowElements: 0, logger, ...options });
  clients.push(c);
  warningsOf.set(c, logger.warnings);
  return c;
}

function warnings(kc: KernelClient): string[] {
  return warningsOf.get(kc) ?? [];
}

function expectOk(outcome: LossOutcome): Extract<LossOutcome, { ok: true }>['result'] {
  if (!outcome.ok) throw new Error(`expected ok, got ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.result;
}

// torch 1.13: nn.CrossEntropyLoss()(x, torch.tensor([1])) and x.grad, x = the seed row (float32);
// same numbers as test/fixtures/kernel/cases.json "seed/2d/mean/f32/article-1row-001".
const torchSeedLoss = 2.1438183784484863;
const torchSeedGrad = [
  0.12865528464317322, -0.8827935457229614, 0.0993090495467186, 0.1422003209590912, 0.09294767677783966,
  0.05491776391863823, 0.09137178957462311, 0.06073601171374321, 0.12142986059188843, 0.09122571349143982,
];

describe('KernelClient results', () => {
  it('computes the seed example in the worker, equal to torch and to the in-process kernel', async () => {
    const kc = client();
    expect(kc.workerForTests).toBeUndefined(); // lazy: nothing runs before the first request
    const result = expectOk(await kc.compute(seedRequest(), { grad: true }));
    expect(kc.workerForTests).toBeDefined();
    expect(result.ranInline).toBe(false);
    expect(result.loss).toBe(torchSeedLoss);
    const local = computeLoss(seedRequest(), { grad: true });
    if (!local.ok) throw new Error('seed failed in-process');
    expect(result.losses).toEqual(local.result.losses);
    expect(result.numerator).toBe(local.result.numerator);
    expect(result.denominator).toBe(local.result.denominator);
    expect(result.grad).toEqual(local.result.grad);
    result.grad?.forEach((g, i) =>
      expect(Math.abs(g - torchSeedGrad[i])).toBeLessThanOrEqual(1e-6 * Math.abs(torchSeedGrad[i]) + 1e-7),
    );
    expect(result).toMatchObject({
      dtype: 'float32',
      reduction: 'mean',
      targetKind: 'indices',
      inputShape: [1, 10],
      lossShape: [1],
      N: 1,
      C: 10,
      S: 1,
    });
  });

  it('gives the same result shape inline for tiny inputs', async () => {
    const kc = client({ inlineBelowElements: defaultInlineBelowElements });
    const inline = expectOk(await kc.compute(seedRequest(), { grad: true }));
    expect(inline.ranInline).toBe(true);
    expect(kc.workerForTests).toBeUndefined();
    const viaWorker = expectOk(await client().compute(seedRequest(), { grad: true }));
    expect({ ...inline, ranInline: false, kernelMs: 0, resultId: 0 }).toEqual({
      ...viaWorker,
      kernelMs: 0,
      resultId: 0,
    });
  });

  it('matches the in-process kernel bit for bit on every torch fixture case, errors included', async () => {
    const text = readFileSync(join(__dirname, '../../fixtures/kernel/cases.json'), 'utf8');
    const cases = (parseJson(text, { wrapScalars: true }) as { [k: string]: JsonValue }).cases as JsonValue[];
    const requests: LossRequest[] = [];
    for (const raw of cases) {
      try {
        requests.push(decodeRequest((raw as { [k: string]: JsonValue }).request));
      } catch {
        // Ragged literals fail before a request exists; nothing to send.
      }
    }
    expect(requests.length).toBeGreaterThan(300);
    const kc = client();
    const outcomes = await Promise.all(requests.map((r) => kc.compute(r, { grad: true, keepBuffers: true })));
    let errors = 0;
    outcomes.forEach((outcome, i) => {
      const local = computeLoss(requests[i], { grad: true });
      if (!local.ok) {
        errors++;
        expect(outcome).toEqual({ ok: false, error: local.error });
        return;
      }
      const result = expectOk(outcome);
      // toEqual treats NaN as NaN and tells -0 from 0 in typed arrays: the wire must not change a bit.
      expect(result.loss).toEqual(local.result.loss);
      expect(result.losses).toEqual(local.result.losses);
      expect(result.grad).toEqual(local.result.grad);
      expect(result.ignored).toEqual(local.result.ignored);
    });
    expect(errors).toBeGreaterThan(20);
  });

  it('returns kernel errors as values with their code', async () => {
    const kc = client();
    const bad = seedRequest();
    bad.target.data[0] = 10;
    expect(await kc.compute(bad)).toEqual({
      ok: false,
      error: { code: 'target_out_of_bounds', message: 'Target 10 is out of bounds.' },
    });
    const big = gridRequest(10, 10);
    expect(await client({ maxElements: 50 }).compute(big)).toMatchObject({
      ok: false,
      error: { code: 'input_too_large' },
    });
  });

  it('explains one sample of a keyed result without resending the data, in the worker and inline', async () => {
    const kc = client();
    const result = expectOk(await kc.compute(gridRequest(50, 7), { key: 'file:///a.py', grad: true }));
    const local = computeLoss(gridRequest(50, 7), { grad: true });
    if (!local.ok) throw new Error('grid failed');
    const expected = {
      sample: sampleBreakdown(local.prepared, local.result, 31),
      reduction: reductionBreakdown(local.prepared, local.result),
    };
    expect(await kc.breakdown('file:///a.py', result.resultId, 31)).toEqual({ ok: true, breakdown: expected });
    expect(await kc.breakdown('file:///a.py', result.resultId + 1000, 31)).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(await kc.breakdown('file:///a.py', result.resultId, 50)).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });

    const inlineClient = client({ inlineBelowElements: 1000 });
    const inline = expectOk(await inlineClient.compute(gridRequest(50, 7), { key: 'k', grad: true }));
    expect(inline.ranInline).toBe(true);
    expect(await inlineClient.breakdown('k', inline.resultId, 31)).toEqual({ ok: true, breakdown: expected });
  });
});

describe('KernelClient supersede, abort and dispose', () => {
  it('lets a newer request with the same key cancel the older one', async () => {
    const kc = client();
    const first = kc.compute(gridRequest(100, 10), { key: 'doc' });
    const second = kc.compute(seedRequest(), { key: 'doc' });
    expect(await first).toEqual({
      ok: false,
      error: { code: 'cancelled', message: 'Superseded by a newer request for the same document.' },
    });
    expect(expectOk(await second).loss).toBe(torchSeedLoss);
  });

  it('drops a superseded request that is still queued, and leaves other keys alone', async () => {
    const kc = client();
    const a = kc.compute(gridRequest(1000, 10), { key: 'a' });
    const b1 = kc.compute(gridRequest(20, 10), { key: 'b' });
    const b2 = kc.compute(seedRequest(), { key: 'b' });
    expect((await b1).ok).toBe(false);
    expect(await b1).toMatchObject({ error: { code: 'cancelled' } });
    expect(expectOk(await a).N).toBe(1000);
    expect(expectOk(await b2).loss).toBe(torchSeedLoss);
  });

  it('resolves an aborted request as cancelled, before or while it waits', async () => {
    const kc = client();
    const aborted = new AbortController();
    aborted.abort();
    expect(await kc.compute(seedRequest(), { signal: aborted.signal })).toMatchObject({
      ok: false,
      error: { code: 'cancelled' },
    });
    const running = kc.compute(gridRequest(1000, 10));
    const later = new AbortController();
    const queued = kc.compute(seedRequest(), { signal: later.signal });
    later.abort();
    expect(await queued).toEqual({ ok: false, error: { code: 'cancelled', message: 'The request was cancelled.' } });
    expect((await running).ok).toBe(true);
  });

  it('dispose() terminates the worker and resolves everything pending as cancelled', async () => {
    const kc = client();
    expectOk(await kc.compute(seedRequest()));
    const worker = kc.workerForTests;
    let exited = false;
    worker?.once('exit', () => {
      exited = true;
    });
    const running = kc.compute(gridRequest(20_000, 10));
    const queued = kc.breakdown('k', 1, 0);
    await kc.dispose();
    const disposed = { ok: false, error: { code: 'cancelled', message: 'The kernel client was disposed.' } };
    expect(await running).toEqual(disposed);
    expect(await queued).toEqual(disposed);
    expect(exited).toBe(true);
    expect(kc.workerForTests).toBeUndefined();
    expect(await kc.compute(seedRequest())).toEqual(disposed);
    expect(kc.workerForTests).toBeUndefined();
  });
});

describe('KernelClient deadline and crashes', () => {
  it('stops a request that runs past its deadline, then serves the next one from a fresh worker', async () => {
    const kc = client();
    expectOk(await kc.compute(seedRequest())); // start the worker, so the deadline measures only the computation
    const before = kc.workerForTests;
    const started = performance.now();
    const late = await kc.compute(slowRequest(), { grad: true, deadlineMs: 20 });
    expect(late).toEqual({
      ok: false,
      error: { code: 'deadline_exceeded', message: 'The computation took longer than 20 ms and was stopped.' },
    });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(warnings(kc).join('\n')).toContain('deadline');
    const next = expectOk(await kc.compute(seedRequest()));
    expect(next.loss).toBe(torchSeedLoss);
    expect(kc.workerForTests).toBeDefined();
    expect(kc.workerForTests).not.toBe(before);
  });

  it('words the deadline for people, in seconds from 1 s up', () => {
    expect(deadlineMessage(defaultDeadlineMs)).toBe('The computation took longer than 5 s and was stopped.');
    expect(deadlineMessage(1500)).toBe('The computation took longer than 1.5 s and was stopped.');
    expect(deadlineMessage(250)).toBe('The computation took longer than 250 ms and was stopped.');
  });

  it('keeps queued requests when the running one times out', async () => {
    const kc = client();
    expectOk(await kc.compute(seedRequest()));
    const late = kc.compute(slowRequest(), { deadlineMs: 10 });
    const queued = kc.compute(seedRequest());
    expect(await late).toMatchObject({ ok: false, error: { code: 'deadline_exceeded' } });
    expect(expectOk(await queued).loss).toBe(torchSeedLoss);
  });

  it('turns a worker killed mid-request into worker_crashed and starts a fresh worker for the next', async () => {
    const kc = client();
    expectOk(await kc.compute(seedRequest()));
    const victim = kc.workerForTests;
    const pending = kc.compute(slowRequest(), { grad: true });
    await sleep(5);
    await victim?.terminate(); // from outside the client, as a crash would
    const outcome = await pending;
    expect(outcome).toMatchObject({ ok: false, error: { code: 'worker_crashed' } });
    expect((outcome as { error: { message: string } }).error.message).toMatch(
      /^The kernel worker exited unexpectedly \(exit code \d+\)\. The request was not computed; the next one starts a fresh worker\.$/,
    );
    expect(expectOk(await kc.compute(seedRequest())).loss).toBe(torchSeedLoss);
    expect(kc.workerForTests).not.toBe(victim);
  });

  it('reports a worker that cannot start as worker_crashed instead of hanging', async () => {
    const kc = client({ workerPath: join(__dirname, 'no-such-worker.js') });
    const outcome = await kc.compute(seedRequest(), { keepBuffers: true });
    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'worker_crashed', message: expect.stringContaining('Cannot find module') },
    });
  });

  it('turns a worker that runs out of memory into worker_crashed, and the host survives', async () => {
    // The breakdown of a sample with 2 M classes builds a dozen JS arrays of 2 M numbers (~190 MB)
    // on the worker's heap, far above a 16 MB limit.
    const kc = client({ resourceLimits: { maxOldGenerationSizeMb: 16 } });
    const wide = expectOk(await kc.compute(gridRequest(1, 2_000_000), { key: 'wide' }));
    const outcome = await kc.breakdown('wide', wide.resultId, 0);
    expect(outcome).toEqual({
      ok: false,
      error: {
        code: 'worker_crashed',
        message:
          'The kernel worker ran out of memory (limit 16 MB) and was stopped. The request was not computed; the next one starts a fresh worker.',
      },
    });
    expect(expectOk(await kc.compute(seedRequest())).loss).toBe(torchSeedLoss);
  });
});

describe('KernelClient message checks and buffers', () => {
  it('drops a malformed or unexpected reply with a warning and keeps working', async () => {
    const kc = client();
    expectOk(await kc.compute(seedRequest()));
    const worker = kc.workerForTests;
    if (!worker) throw new Error('no worker');
    worker.emit('message', { type: 'result', req: 1, result: { loss: 'NaN' } });
    worker.emit('message', { type: 'crash' });
    worker.emit('message', { type: 'error', req: 424242, error: { code: 'internal', message: 'stray' } });
    expect(warnings(kc)).toHaveLength(3);
    expect(warnings(kc)[0]).toContain('dropped a malformed message from the worker: result.resultId is not an id');
    expect(warnings(kc)[1]).toContain('unknown message type "crash"');
    expect(warnings(kc)[2]).toContain('request 424242, which is not running');
    expect(expectOk(await kc.compute(seedRequest())).loss).toBe(torchSeedLoss);
  });

  it("transfers the request buffers by default: the caller's arrays are detached afterwards", async () => {
    const kc = client();
    const request = gridRequest(100, 10);
    const input = request.input.data;
    const pending = kc.compute(request);
    expect(input.length).toBe(0); // moved, not cloned
    expect(request.target.data.length).toBe(0);
    expectOk(await pending);
    const again = await kc.compute(request);
    expect(again).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect((again as { error: { message: string } }).error.message).toContain('keepBuffers: true');
  });

  it("keeps the caller's arrays with keepBuffers, and never detaches a buffer the array only views", async () => {
    const kc = client();
    const request = gridRequest(100, 10);
    const original = request.input.data.slice();
    const kept = expectOk(await kc.compute(request, { keepBuffers: true }));
    expect(request.input.data).toEqual(original);
    expect(expectOk(await kc.compute(request)).loss).toBe(kept.loss); // still sendable

    const pool = new Float64Array(5000);
    const fresh = gridRequest(100, 10);
    pool.set(fresh.input.data, 7);
    const view = new Float64Array(pool.buffer, 7 * 8, 1000);
    const viewed = expectOk(await kc.compute({ ...fresh, input: { ...fresh.input, data: view } }));
    expect(pool.length).toBe(5000);
    expect(view).toEqual(original);
    expect(viewed.loss).toBe(kept.loss);
  });

  it('hands the caller result arrays it owns', async () => {
    const kc = client();
    const result = expectOk(await kc.compute(gridRequest(100, 10), { grad: true }));
    expect(result.losses).toBeInstanceOf(Float64Array);
    expect(result.losses.length).toBe(100);
    expect(result.grad?.length).toBe(1000);
    expect(result.ignored?.length).toBe(100);
  });
});
