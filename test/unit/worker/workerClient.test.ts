/**
 * WorkerClient against real worker_threads workers, built from src/worker/workerMain.ts into a
 * temp dir, on the path the extension uses (analyze, inspect, panelData): results equal the
 * in-process service, errors are values, supersede/abort/dispose resolve as cancelled, a running
 * analysis stops at the next statement when superseded, the deadline clock starts when the worker
 * can start the job, and a deadline or a dead worker becomes an error value with the next request
 * served by a working worker.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyzeParams, Outcome, PanelComputeOptions } from '../../../src/protocol/worker';
import { AnalysisService } from '../../../src/worker/analysisService';
import {
  WorkerClient,
  deadlineMessage,
  defaultDeadlineMs,
  type WorkerClientOptions,
} from '../../../src/worker/workerClient';
import {
  buildWorker,
  manyPairs,
  recordingLogger,
  seedBatch,
  seedLine,
  seedRequest,
  sleep,
  writeWorker,
} from './helpers';

let dir = '';
let workerPath = '';
let cleanup = (): void => undefined;
const clients: WorkerClient[] = [];

beforeAll(async () => {
  ({ dir, workerPath, cleanup } = await buildWorker());
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
});
afterAll(() => cleanup());

const warningsOf = new WeakMap<WorkerClient, string[]>();

/**
 * A client disposed after each test. Its deadline is generous (the machine may be busy); the
 * deadline tests set their own.
 */
function client(options: Partial<WorkerClientOptions> = {}): WorkerClient {
  const logger = recordingLogger();
  const c = new WorkerClient({ workerPath, logger, deadlineMs: 120_000, ...options });
  clients.push(c);
  warningsOf.set(c, logger.warnings);
  return c;
}

function warnings(c: WorkerClient): string[] {
  return warningsOf.get(c) ?? [];
}

function ok<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`expected ok, got ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.value;
}

function doc(text: string, key = 'file:///a.py', version = 1): AnalyzeParams {
  return { key, version, text, languageId: 'python' };
}

const panelOptions: PanelComputeOptions = {
  reduction: 'mean',
  dtype: 'float32',
  labelSmoothing: 0,
  ignoreIndex: -100,
  weight: null,
  inputKind: 'logits',
};

/** analysisMs aside (a timing), the same analysis. */
function withoutTiming<T extends { analysisMs: number }>(x: T): Omit<T, 'analysisMs'> {
  const { analysisMs: _ms, ...rest } = x;
  return rest;
}

describe('WorkerClient on the extension’s path', () => {
  it('answers analyze, inspect and panelData exactly as the in-process service does', async () => {
    const c = client();
    const local = new AnalysisService();
    const params = doc(seedBatch);
    const analysis = ok(await c.request('analyze', params));
    expect(withoutTiming(analysis)).toEqual(withoutTiming(local.analyze(params)));
    expect(analysis.analysis.pairs[0]?.printed).toBe('tensor(2.3519)');
    const pairId = analysis.analysis.pairs[0]!.id;

    const inspectParams = { key: params.key, version: 1, pairId, offset: seedBatch.indexOf('0.9457') + 2, topK: 3 };
    const inspection = ok(await c.request('inspect', inspectParams));
    expect(inspection).toEqual(local.inspect(inspectParams));
    expect(inspection.sample.element).toBe(1);

    const panelParams = { key: params.key, version: 1, pairId, element: 1, options: panelOptions };
    const panel = ok(await c.request('panelData', panelParams));
    // Typed arrays arrive by transfer: toEqual tells -0 from 0 and NaN from a number in them.
    expect(panel).toEqual(local.panelData(panelParams));
    expect(panel.result.losses).toBeInstanceOf(Float64Array);
  });

  it('returns the worker’s errors as values with their code', async () => {
    const c = client();
    expect(await c.request('inspect', { key: 'nothing', version: 1, pairId: 0 })).toEqual({
      ok: false,
      error: {
        code: 'invalid_request',
        message: 'The analysis of version 1 is no longer available; analyse again.',
        // What the host words in the user's language (src/core/errorText.ts), across the real wire.
        detail: { id: 'analysis_gone', version: 1 },
      },
    });
    ok(await c.request('analyze', doc(seedLine)));
    expect(await c.request('inspect', { key: 'file:///a.py', version: 1, pairId: 99 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: 'No pair 99 in this document.', detail: { id: 'no_pair', pair: 99 } },
    });
  });

  it('keeps a transient analysis out of what it holds', async () => {
    const c = client();
    ok(await c.request('analyze', { ...doc(seedLine, 'check:file:///b.py'), transient: true }));
    expect(await c.request('inspect', { key: 'check:file:///b.py', version: 1, pairId: 0 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
  });

  it('computes the loss of two literals read as logits and target', async () => {
    const c = client();
    const pair = ok(
      await c.request('arrayPair', {
        logits: {
          text: '[0.8982, 0.805, 0.6393, 0.9983, 0.5731, 0.0469, 0.556, 0.1476, 0.8404, 0.5544]',
          languageId: 'python',
        },
        target: { text: '[1]', languageId: 'python' },
      }),
    );
    expect(pair).toEqual({
      loss: 2.1438183784484863,
      printed: 'tensor(2.1438)',
      inputShape: [1, 10],
      dtype: 'float32',
      error: null,
    });
    const bad = ok(
      await c.request('arrayPair', {
        logits: { text: '[[1.0, 2.0]]', languageId: 'python' },
        target: { text: '[7]', languageId: 'python' },
      }),
    );
    expect(bad.error?.code).toBe('target_out_of_bounds');
  });
});

describe('WorkerClient supersede, abort and dispose', () => {
  it('moves the buffers a request lists to the worker: detached here, the same loss there', async () => {
    const c = client();
    const copied = seedRequest();
    const moved = seedRequest();
    const buffers = [moved.input.data.buffer as ArrayBuffer, moved.target.data.buffer as ArrayBuffer];
    const a = ok(await c.request('holdLive', { key: 'live:1', version: 1, request: copied }));
    const b = ok(await c.request('holdLive', { key: 'live:2', version: 1, request: moved }, { transfer: buffers }));
    expect(b.loss).toBe(a.loss);
    expect(b.loss!.toFixed(4)).toBe('2.3519');
    expect(copied.input.data.length).toBe(20);
    expect(moved.input.data.length).toBe(0);
    expect(moved.target.data.length).toBe(0);
    // A request cancelled before it was sent keeps its buffers.
    const busy = c.request('analyze', doc(manyPairs(400), 'file:///busy.py'));
    const kept = seedRequest();
    const cancelled = c.request(
      'holdLive',
      { key: 'live:3', version: 1, request: kept },
      { supersedeKey: 'hold', transfer: [kept.input.data.buffer as ArrayBuffer] },
    );
    void c.request('holdLive', { key: 'live:4', version: 1, request: seedRequest() }, { supersedeKey: 'hold' });
    expect((await cancelled).ok).toBe(false);
    expect(kept.input.data.length).toBe(20);
    await busy;
  });

  it('lets a newer request with the same key cancel a queued one, and leaves other keys alone', async () => {
    const c = client();
    const other = c.request('analyze', doc(manyPairs(2000), 'file:///other.py'), { supersedeKey: 'analyze:other' });
    const first = c.request('analyze', doc(seedLine, 'file:///a.py', 1), { supersedeKey: 'analyze:a' });
    const second = c.request('analyze', doc(seedBatch, 'file:///a.py', 2), { supersedeKey: 'analyze:a' });
    expect(await first).toEqual({
      ok: false,
      error: {
        code: 'cancelled',
        message: 'Superseded by a newer request for the same document.',
        detail: { id: 'cancelled' },
      },
    });
    expect(ok(await second).version).toBe(2);
    expect(ok(await other).analysis.pairs).toHaveLength(2000);
  });

  it('stops a running analysis at a statement boundary when a newer edit supersedes it', async () => {
    const c = client();
    const slow = doc(manyPairs(15_000));
    ok(await c.request('analyze', doc(seedLine))); // a warm worker
    // The whole analysis, measured in this run, for comparison.
    let started = performance.now();
    ok(await c.request('analyze', slow));
    const fullMs = performance.now() - started;

    const running = c.request('analyze', { ...slow, version: 2 }, { supersedeKey: 'analyze:a' });
    await sleep(fullMs / 4); // well inside the analysis
    started = performance.now();
    const newer = await c.request('analyze', doc(seedLine, 'file:///a.py', 3), { supersedeKey: 'analyze:a' });
    const answerMs = performance.now() - started;
    expect(await running).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(ok(newer).analysis.pairs[0]?.printed).toBe('tensor(2.1438)');
    // Not waiting for the rest of the old analysis (three quarters of fullMs): a ratio, not a clock.
    expect(answerMs).toBeLessThan(fullMs / 3);
    // The worker itself was not restarted: it stopped the old analysis and took the new one.
    expect(warnings(c).join('\n')).not.toContain('restarting');
  });

  it('posts a request the user made before the queued ones asked ahead, which keep their order', async () => {
    const c = client();
    const answered: string[] = [];
    const ask = (name: string, ahead: boolean) =>
      c
        .request('analyze', doc(seedLine, `file:///${name}.py`), ahead ? { ahead } : {})
        .then((r) => (answered.push(name), ok(r)));
    // The worker is busy with the first; the rest wait in the queue.
    const running = ask('running', false);
    const guesses = [ask('ahead1', true), ask('ahead2', true)];
    const user = ask('user', false);
    const later = ask('ahead3', true);
    const user2 = ask('user2', false);
    await Promise.all([running, ...guesses, user, later, user2]);
    expect(answered).toEqual(['running', 'user', 'user2', 'ahead1', 'ahead2', 'ahead3']);
  });

  it('resolves an aborted request as cancelled, before or while it waits', async () => {
    const c = client();
    const aborted = new AbortController();
    aborted.abort();
    expect(await c.request('analyze', doc(seedLine), { signal: aborted.signal })).toMatchObject({
      ok: false,
      error: { code: 'cancelled' },
    });
    const running = c.request('analyze', doc(manyPairs(2000), 'file:///big.py'));
    const later = new AbortController();
    const queued = c.request('analyze', doc(seedLine), { signal: later.signal });
    later.abort();
    expect(await queued).toEqual({
      ok: false,
      error: { code: 'cancelled', message: 'The request was cancelled.', detail: { id: 'cancelled' } },
    });
    expect((await running).ok).toBe(true);
  });

  it('dispose() terminates the worker and resolves everything pending as cancelled', async () => {
    const c = client();
    ok(await c.request('analyze', doc(seedLine)));
    const worker = c.workerForTests;
    let exited = false;
    worker?.once('exit', () => {
      exited = true;
    });
    const running = c.request('analyze', doc(manyPairs(20_000), 'file:///big.py'));
    const queued = c.request('inspect', { key: 'file:///a.py', version: 1, pairId: 0 });
    await c.dispose();
    const disposed = {
      ok: false,
      error: { code: 'cancelled', message: 'The worker client was disposed.', detail: { id: 'cancelled' } },
    };
    expect(await running).toEqual(disposed);
    expect(await queued).toEqual(disposed);
    expect(exited).toBe(true);
    expect(c.workerForTests).toBeUndefined();
    expect(await c.request('analyze', doc(seedLine))).toEqual(disposed);
    expect(c.workerForTests).toBeUndefined();
  });
});

describe('WorkerClient deadline', () => {
  it('words the deadline for people, in seconds from 1 s up', () => {
    expect(deadlineMessage(defaultDeadlineMs)).toBe('The computation took longer than 5 s and was stopped.');
    expect(deadlineMessage(1500)).toBe('The computation took longer than 1.5 s and was stopped.');
    expect(deadlineMessage(250)).toBe('The computation took longer than 250 ms and was stopped.');
  });

  it('stops an analysis past its deadline without restarting the worker, and serves the next', async () => {
    const c = client();
    ok(await c.request('analyze', doc(seedLine)));
    const before = c.workerForTests;
    const late = c.request('analyze', doc(manyPairs(30_000), 'file:///slow.py'), { deadlineMs: 50 });
    const queued = c.request('analyze', doc(seedBatch, 'file:///a.py', 2));
    expect(await late).toEqual({
      ok: false,
      error: {
        code: 'deadline_exceeded',
        message: 'The computation took longer than 50 ms and was stopped.',
        detail: { id: 'deadline_exceeded', ms: 50 },
      },
    });
    expect(ok(await queued).analysis.pairs[0]?.printed).toBe('tensor(2.3519)');
    expect(warnings(c).join('\n')).toContain('deadline');
    expect(c.workerForTests).toBe(before);
  });

  it('starts the clock when the worker can start the job: a slow start does not count', async () => {
    // A worker that takes 1 s to load before it runs the real one: four times the deadline.
    const slowStart = writeWorker(
      dir,
      'slow-start.js',
      `const until = Date.now() + 1000; while (Date.now() < until);\nrequire(${JSON.stringify(workerPath)});\n`,
    );
    const c = client({ workerPath: slowStart, deadlineMs: 250 });
    expect(ok(await c.request('analyze', doc(seedLine))).analysis.pairs).toHaveLength(1);
    // Once warm, deadlines of tens of milliseconds hold for small documents.
    for (let i = 2; i < 12; i++) {
      const outcome = await c.request('analyze', doc(seedLine, 'file:///a.py', i), { deadlineMs: 60 });
      expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
    }
  });

  it('terminates a worker that does not stop after its deadline, and the next request gets a fresh one', async () => {
    // A worker that never looks at the cancellation flag: it spins on 'hang', answers anything else.
    const stubborn = writeWorker(
      dir,
      'stubborn.js',
      `const { parentPort } = require('node:worker_threads');
parentPort.postMessage({ type: 'ready' });
parentPort.on('message', (m) => {
  if (m.params.key === 'hang') for (;;);
  const analysis = { language: 'python', arrays: [], pairs: [], claims: [], findings: [] };
  parentPort.postMessage({ type: 'result', req: m.req, method: 'analyze', result: { version: m.params.version, analysis, analysisMs: 0 } });
});
`,
    );
    const c = client({ workerPath: stubborn });
    ok(await c.request('analyze', doc('')));
    const victim = c.workerForTests;
    const hung = c.request('analyze', doc('', 'hang'), { deadlineMs: 30 });
    const next = c.request('analyze', doc('', 'file:///next.py', 5));
    expect(await hung).toMatchObject({ ok: false, error: { code: 'deadline_exceeded' } });
    expect(ok(await next).version).toBe(5);
    expect(c.workerForTests).not.toBe(victim);
    expect(warnings(c).join('\n')).toContain('restarting it');
  });
});

describe('WorkerClient crashes', () => {
  it('turns a worker killed mid-request into worker_crashed and starts a fresh worker for the next', async () => {
    const c = client();
    ok(await c.request('analyze', doc(seedLine)));
    const victim = c.workerForTests;
    const pending = c.request('analyze', doc(manyPairs(20_000), 'file:///big.py'));
    await sleep(5);
    await victim?.terminate(); // from outside the client, as a crash would
    const outcome = await pending;
    expect(outcome).toMatchObject({ ok: false, error: { code: 'worker_crashed' } });
    expect((outcome as { error: { message: string } }).error.message).toMatch(
      /^The analysis worker exited unexpectedly \(exit code \d+\)\. The request was not computed; the next one starts a fresh worker\.$/,
    );
    // The fresh worker holds nothing: the host's cache re-analyses (see the cache's tests).
    expect(await c.request('inspect', { key: 'file:///a.py', version: 1, pairId: 0 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(ok(await c.request('analyze', doc(seedLine))).analysis.pairs).toHaveLength(1);
    expect(c.workerForTests).not.toBe(victim);
  });

  it('reports a worker that cannot start as worker_crashed instead of hanging', async () => {
    const c = client({ workerPath: `${dir}/no-such-worker.js` });
    expect(await c.request('analyze', doc(seedLine))).toMatchObject({
      ok: false,
      error: { code: 'worker_crashed', message: expect.stringContaining('Cannot find module') },
    });
  });

  it('turns a worker that runs out of memory into worker_crashed, and the host survives', async () => {
    // One row of 2 M classes: its values live in typed arrays, off the heap, but the full breakdown of
    // its one sample builds a dozen JS arrays of 2 M numbers (~190 MB), far above a 24 MB heap. The
    // worker's own code lives on that heap too, so the limit leaves room for it to grow (16 MB did not).
    const wide = `logits = [[${Array.from({ length: 2_000_000 }, (_, i) => (i % 10) / 10).join(', ')}]]\ntarget = [3]\n`;
    const c = client({ resourceLimits: { maxOldGenerationSizeMb: 24 } });
    const pairId = ok(await c.request('analyze', doc(wide, 'file:///wide.py'))).analysis.pairs[0]!.id;
    const outcome = await c.request('inspect', { key: 'file:///wide.py', version: 1, pairId, topK: 0 });
    expect(outcome).toEqual({
      ok: false,
      error: {
        code: 'worker_crashed',
        message:
          'The analysis worker ran out of memory (limit 24 MB) and was stopped. The request was not computed; the next one starts a fresh worker.',
        detail: { id: 'worker_out_of_memory', limitMb: 24 },
      },
    });
    expect(ok(await c.request('analyze', doc(seedLine))).analysis.pairs).toHaveLength(1);
  });

  it('drops a malformed or unexpected reply with a warning and keeps working', async () => {
    const c = client();
    ok(await c.request('analyze', doc(seedLine)));
    const worker = c.workerForTests;
    if (!worker) throw new Error('no worker');
    worker.emit('message', { type: 'result', req: 1, method: 'analyze', result: { version: 'x' } });
    worker.emit('message', { type: 'crash' });
    worker.emit('message', { type: 'error', req: 424242, error: { code: 'internal', message: 'stray' } });
    expect(warnings(c)).toHaveLength(3);
    expect(warnings(c)[0]).toContain('dropped a malformed message from the worker: analysis has no version or timing');
    expect(warnings(c)[1]).toContain('unknown message type "crash"');
    expect(warnings(c)[2]).toContain('request 424242, which is not running');
    expect(ok(await c.request('analyze', doc(seedLine))).analysis.pairs).toHaveLength(1);
  });
});
