/**
 * The per-hop trace of a panel change (src/protocol/hops.ts): the worker puts its own hops on a
 * panelData reply, the connection sends the host's with the snapshot a routed message led to
 * (only while tracing), and both guards refuse a malformed trace and say where.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PanelController } from '../../../src/panel/panelController';
import { PanelConnection } from '../../../src/panel/panelConnection';
import { setPanelTracing, takeTrace } from '../../../src/panel/panelTrace';
import { hostToWebviewProblem, type HopTrace, type PanelState } from '../../../src/protocol/webview';
import { workerReplyProblem, type WorkerReply } from '../../../src/protocol/worker';
import { WorkerService } from '../../../src/worker/workerService';
import { seedBatch } from '../worker/helpers';
import { seedBatchState } from './states';
import { defaultPanelOptions } from '../requestBuilders';

const names = (hops: [string, number][]) => hops.map(([name]) => name);

describe('hops of a panel change', () => {
  afterEach(() => setPanelTracing(false));

  it('the worker reports where its time went with each reply, on its own clock', () => {
    const replies: WorkerReply[] = [];
    const service = new WorkerService((reply) => replies.push(reply));
    const key = 'file:///seed.py';
    service.handle({
      type: 'request',
      req: 1,
      method: 'analyze',
      params: { key, version: 1, text: seedBatch, languageId: 'python' },
    });
    const analyzed = replies[0]!;
    if (analyzed.type !== 'result' || analyzed.method !== 'analyze') throw new Error(JSON.stringify(analyzed));
    service.handle({
      type: 'request',
      req: 2,
      method: 'panelData',
      params: {
        key,
        version: 1,
        pairId: analyzed.result.analysis.pairs[0]!.id,
        element: 0,
        preferValid: false,
        options: defaultPanelOptions,
      },
    });
    const reply = replies[1]!;
    if (reply.type !== 'result') throw new Error(JSON.stringify(reply));
    expect(workerReplyProblem(reply)).toBeNull();
    expect(names(reply.hops!)).toEqual(['worker.check', 'worker.kernel', 'worker.answer', 'worker.total']);
    const ms = new Map(reply.hops);
    // The parts fit in the whole.
    expect(ms.get('worker.check')! + ms.get('worker.kernel')! + ms.get('worker.answer')!).toBeLessThanOrEqual(
      ms.get('worker.total')!,
    );
    expect(names(analyzed.hops!)).toEqual(['worker.check', 'worker.total']);
  });

  it('the connection sends the host hops with the snapshot the routed message led to, only while tracing', async () => {
    let state = seedBatchState();
    const posted: unknown[] = [];
    const target = {
      postMessage: (m: unknown) => {
        posted.push(m);
        return Promise.resolve(true);
      },
    };
    // A controller that publishes as the panel's model does: it takes the trace of the message
    // it handles, hands it the worker's hops and ties it to the snapshot.
    const publish = (worker: boolean) => {
      const trace = takeTrace();
      if (worker)
        trace?.took([
          ['host.workerQueue', 0.5],
          ['host.workerRoundTrip', 3],
          ['worker.total', 2],
        ]);
      state = { ...state };
      trace?.published(state);
      connection.schedulePost();
    };
    const noop = vi.fn();
    const controller = {
      onDidChangeState: () => ({ dispose() {} }),
      getState: () => state,
      onSelectPair: noop,
      onSelectSample: () => publish(true),
      onSetClassWindow: noop,
      onSetLossPage: noop,
      onSetControls: () => publish(false),
      onResetControls: noop,
      onSetShift: noop,
      onCopy: noop,
      onReveal: noop,
    } satisfies PanelController;
    const connection = new PanelConnection(target, controller, { warn: (m) => posted.push(`warn ${m}`) });
    connection.receive({ type: 'ready' });
    const traceOf = (m: unknown) => (m as { trace?: HopTrace }).trace;

    connection.receive({ type: 'selectSample', element: 1 });
    await Promise.resolve();
    expect(traceOf(posted.at(-1))).toBeUndefined();

    setPanelTracing(true);
    connection.receive({ type: 'selectSample', element: 1 });
    await Promise.resolve();
    const traced = traceOf(posted.at(-1))!;
    expect(traced.cause).toBe('selectSample');
    expect(names(traced.hops)).toEqual([
      'host.route',
      'host.workerQueue',
      'host.workerRoundTrip',
      'worker.total',
      'host.snapshot',
      'host.post',
      'host.total',
    ]);
    expect(hostToWebviewProblem(posted.at(-1))).toBeNull();

    // Served without the worker: the host built it.
    connection.receive({ type: 'setControls', controls: { reduction: 'sum' } });
    await Promise.resolve();
    const built = traceOf(posted.at(-1))!;
    expect(built.cause).toBe('setControls');
    expect(names(built.hops)).toEqual(['host.build', 'host.post', 'host.total']);

    // A snapshot no message led to (a document change) carries no trace.
    state = { ...state };
    connection.schedulePost();
    await Promise.resolve();
    expect(traceOf(posted.at(-1))).toBeUndefined();
    expect(posted.filter((m) => typeof m === 'string')).toEqual([]);
  });

  it('both guards refuse a malformed trace and say where', () => {
    const state: PanelState = seedBatchState();
    const good: HopTrace = { cause: 'setControls', hops: [['host.build', 0.2]] };
    expect(hostToWebviewProblem({ type: 'state', state, trace: good })).toBeNull();
    const bad: [unknown, string][] = [
      [{ ...good, extra: 1 }, 'state.trace has an unknown field "extra"'],
      [{ ...good, cause: 'set controls' }, 'state.trace.cause is not a message type'],
      [{ ...good, hops: [['host.build', -1]] }, 'state.trace.hops[0] is not a duration in ms'],
      [{ ...good, hops: [['host.build', NaN]] }, 'state.trace.hops[0] is not a duration in ms'],
      [{ ...good, hops: [['<b>x</b>', 1]] }, 'state.trace.hops[0] has no hop name of letters and dots'],
      [{ ...good, hops: [['host.build']] }, 'state.trace.hops[0] is not a [name, ms] pair'],
      [{ ...good, hops: Array.from({ length: 25 }, () => ['a', 1]) }, 'more than 24'],
    ];
    for (const [trace, problem] of bad)
      expect(hostToWebviewProblem({ type: 'state', state, trace })).toContain(problem);
    const reply = { type: 'result', req: 1, method: 'arrayPair', result: {} };
    expect(workerReplyProblem({ ...reply, hops: [['worker.total', 'slow']] })).toBe('hops[0] is not a duration in ms');
    expect(workerReplyProblem({ ...reply, hops: 'fast' })).toBe('hops is not an array');
  });
});
