/**
 * Cancelling a live read through the real debugpy adapter: after the cancel the bridge sends
 * nothing but the request that stops the program's work, that work stops before its end, and the
 * helper holds nothing afterwards. Reads that share a session are cancelled each on its own.
 * The program is test/fixtures/live/budget_step.py: (2048, 32 000) float32 logits, over a 1 MiB
 * budget, so the loss of every row is computed in the program, here in blocks of one sample.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectLive, type InspectLiveOptions } from '../../../src/live/bridge';
import { callExpression } from '../../../src/live/pythonHelper';
import { CancelSource, type DebugSessionLike } from '../../../src/live/session';
import { SharedWork } from '../../../src/live/sharedWork';
import type { LiveOutcome } from '../../../src/live/types';
import { launchPython, lineOf, pythonUnavailable, recorded, type Paused } from './dapHarness';

const script = resolve(__dirname, '../../fixtures/live/budget_step.py');
const text = readFileSync(script, 'utf8');
const unavailable = pythonUnavailable();
if (unavailable) console.warn(`\n!!! SKIPPING the live cancel tests: ${unavailable} !!!\n`);

describe.skipIf(!!unavailable)('cancelling live reads through the real debugpy adapter', () => {
  let p: Paused;
  const lossLine = lineOf(text, 'loss = F.cross_entropy(logits, labels)') - 1;
  const base = (session: DebugSessionLike, extra: Partial<InspectLiveOptions> = {}): InspectLiveOptions => ({
    session,
    state: p.state,
    source: { text, line: lossLine, path: script },
    trusted: true,
    budgetBytes: 1 << 20,
    reduceBlockRows: 1,
    ...extra,
  });
  /** What the installed helper holds: its jobs and its running threads. */
  const helperJobs = async () => {
    const st = (await p.session.customRequest('stackTrace', { threadId: p.state.stoppedThreadId, levels: 1 })) as {
      stackFrames: { id: number }[];
    };
    const body = (await p.session.customRequest('evaluate', {
      expression: callExpression({ op: 'jobs' }),
      frameId: st.stackFrames[0]!.id,
      context: 'watch',
      format: { rawString: true },
    })) as { result: string };
    return JSON.parse(body.result) as { jobs: string[]; threads: number; transfers: number };
  };

  beforeAll(async () => {
    p = await launchPython(script, [lineOf(text, 'return loss, per_row')], {
      timeoutMs: 180_000,
      env: { PYTHONBREAKPOINT: '0' },
    });
  }, 240_000);
  afterAll(async () => {
    await p?.stop();
  }, 30_000);

  it('after Cancel mid-reduction: only the job’s cancel is sent, the job stops before its end, the helper holds nothing', async () => {
    const { reader, sent } = recorded(p.session);
    const cancel = new CancelSource();
    let at = -1;
    const read = inspectLive(
      base(reader, {
        token: cancel.token,
        // A step of one sample: the first answer comes while the job still has 2047 to go.
        reduceStepElements: 32_000,
        onFirstPaint: () => undefined,
        progress: () => {
          if (at >= 0) return;
          at = sent.length;
          cancel.cancel();
        },
      }),
    );
    await expect(read).rejects.toMatchObject({ code: 'cancelled' });
    expect(sent.slice(0, at).map((s) => s.op)).toEqual(['stackTrace', 'install', 'prepare', 'reduce']);
    const after = sent.slice(at);
    expect(after.map((s) => s.op)).toEqual(['cancel']);
    const answer = (await after[0]!.answer) as { result: string };
    const stopped = (JSON.parse(answer.result) as { stopped: { done: number; of: number; running: boolean }[] })
      .stopped;
    expect(stopped).toHaveLength(1);
    expect(stopped[0]!.of).toBe(2048);
    expect(stopped[0]!.done).toBeLessThan(2048);
    expect(stopped[0]!.running).toBe(false);
    expect(await helperJobs()).toMatchObject({ jobs: [], threads: 0 });
    // The program still answers, and the next read of the stop is whole.
    const again = await inspectLive(base(p.session, { topK: 1 }));
    expect(again.kind === 'ok' && again.meta.reduced?.positions).toBe(2048);
  });

  it('a cancelled read sends nothing more, even when its request is still waiting for the program', async () => {
    const { reader, sent } = recorded(p.session);
    const cancel = new CancelSource();
    const read = inspectLive(base(reader, { token: cancel.token, stepped: true, reduceStepElements: 2048 * 32_000 }));
    // Cancelled while the first request is in flight: the read ends at once, without its answer.
    await new Promise((r) => setImmediate(r));
    const inFlight = sent.length;
    cancel.cancel();
    await expect(read).rejects.toMatchObject({ code: 'cancelled' });
    await Promise.allSettled(sent.map((s) => s.answer));
    expect(sent.length).toBe(inFlight);
    expect(await helperJobs()).toMatchObject({ jobs: [], threads: 0 });
  });

  it('reads sharing a session are cancelled each on its own; shared work only when no waiter is left', async () => {
    const oneShot = await inspectLive(base(p.session, { topK: 0 }));
    if (oneShot.kind !== 'ok') throw new Error('expected a read');
    const expected = oneShot.meta.reduced!;
    // A hover's read, shared by two hovers, and a command's read of the same loss, all at once.
    const shared = new SharedWork((token) => inspectLive(base(p.session, { token, stepped: true, topK: 0 })));
    const hoverA = new CancelSource();
    const hoverB = new CancelSource();
    const command = new CancelSource();
    const a = shared.wait(hoverA.token);
    const b = shared.wait(hoverB.token);
    const c = inspectLive(
      base(p.session, {
        token: command.token,
        onFirstPaint: () => undefined,
        reduceStepElements: 32_000,
        progress: () => command.cancel(),
      }),
    );
    await expect(c).rejects.toMatchObject({ code: 'cancelled' });
    hoverA.cancel();
    await expect(a).rejects.toMatchObject({ code: 'cancelled' });
    const got = (await b) as Extract<LiveOutcome, { kind: 'ok' }>;
    expect(shared.cancelled).toBe(false);
    expect(got.meta.reduced!.loss).toBe(expected.loss);
    expect(Array.from(got.meta.reduced!.positionLosses)).toEqual(Array.from(expected.positionLosses));
    // The program's own loss, which torch computed: ours agrees to float32 rounding.
    const torch = got.meta.programLoss!.value;
    expect(Math.abs(got.meta.reduced!.loss - torch)).toBeLessThanOrEqual(4 * torch * 2 ** -23);
    // Every waiter gone before the end: the shared read is cancelled, in the program too.
    const alone = new SharedWork((token) => inspectLive(base(p.session, { token, stepped: true, topK: 0 })));
    const only = new CancelSource();
    const waiting = alone.wait(only.token);
    await new Promise((r) => setTimeout(r, 50));
    only.cancel();
    await expect(waiting).rejects.toMatchObject({ code: 'cancelled' });
    await expect(alone.result).rejects.toMatchObject({ code: 'cancelled' });
    expect(alone.cancelled).toBe(true);
    expect(await helperJobs()).toMatchObject({ jobs: [], threads: 0 });
  });
});
