/**
 * The live bridge against VS Code's real JavaScript debugger (js-debug, from the project's
 * code-server install) driving a real Node program: Float32Array, number[][] and tfjs logits.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeLoss } from '../../../src/core/kernel/index';
import { inspectLive, type InspectLiveOptions } from '../../../src/live/bridge';
import { readJavaScript } from '../../../src/live/javascript';
import { jsHelper, jsHelperKey } from '../../../src/live/javascriptHelper';
import { CancelSource, resolveFrame } from '../../../src/live/session';
import type { LiveOutcome } from '../../../src/live/types';
import { lineOf, recorded, waitUntil } from './dapHarness';
import { jsDebugUnavailable, launchNode, type JsPaused } from './jsDebugHost';

const program = resolve(__dirname, '../../fixtures/live/train_step.js');
const text = readFileSync(program, 'utf8');
const stop = (name: string) => lineOf(text, `// STOP:${name}`);
const unavailable = jsDebugUnavailable();
if (unavailable) console.warn(`\n!!! SKIPPING the live js-debug tests: ${unavailable} !!!\n`);

function ok(o: LiveOutcome): Extract<LiveOutcome, { kind: 'ok' }> {
  if (o.kind !== 'ok') throw new Error(`expected a result, got a pick: ${JSON.stringify(o.missing)}`);
  return o;
}

function kernelLoss(o: Extract<LiveOutcome, { kind: 'ok' }>): number {
  const r = computeLoss(o.request);
  if (!r.ok) throw new Error(r.error.message);
  return r.result.loss;
}

describe.skipIf(!!unavailable)('live inspection through the real js-debug adapter', () => {
  let p: JsPaused;
  const base = (line: number, extra: Partial<InspectLiveOptions> = {}): InspectLiveOptions => ({
    session: p.session,
    state: p.state,
    source: { text, line: line - 1, path: program },
    near: true,
    trusted: true,
    ...extra,
  });

  beforeAll(async () => {
    p = await launchNode(program);
  }, 120_000);
  afterAll(async () => {
    await p?.stop();
  }, 30_000);

  it("reads a flat Float32Array of the seed article's batch and Int32Array targets: 2.3519", async () => {
    expect(await p.lastLine()).toBe(stop('seed'));
    const o = ok(await inspectLive(base(stop('seed'))));
    expect(o.meta.sessionType).toBe('pwa-node');
    expect(o.meta.frame.name).toMatch(/seedBatch/);
    expect(o.meta.input).toMatchObject({ kind: 'Float32Array', shape: [2, 10], device: 'js' });
    expect(o.request.dtype).toBe('float32');
    expect(o.meta.notes).toContainEqual({ id: 'flat', name: o.meta.input.expression, shape: '2, 10' });
    // One evaluate: the values described, the program's loss and every value inline.
    expect(o.meta.requests).toBe(1);
    // float32 values stay float32 (the kernel reads them as they are); number[][] below is float64.
    expect(o.request.input.data).toBeInstanceOf(Float32Array);
    expect(kernelLoss(o).toFixed(4)).toBe('2.3519');
    // The program's own float64 loss of the same float32 values.
    expect(Math.abs(kernelLoss(o) - o.meta.programLoss!.value)).toBeLessThan(1e-6);
  });

  it('installs its function once per program, out of sight, and again when the program lost it', async () => {
    // A reader of its own (the function is known installed per reader), recording each expression.
    const sent: string[] = [];
    const session = {
      type: p.session.type,
      customRequest: (command: string, args?: unknown) => {
        if (command === 'evaluate') sent.push((args as { expression: string }).expression);
        return p.session.customRequest(command, args);
      },
    };
    const read = async () => kernelLoss(ok(await inspectLive(base(stop('seed'), { session }))));
    expect((await read()).toFixed(4)).toBe('2.3519');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain(jsHelper);
    // The next read calls it by name: the request no longer carries the function's source.
    expect((await read()).toFixed(4)).toBe('2.3519');
    expect(sent).toHaveLength(2);
    expect(sent[1]).not.toContain('function (op, get');
    expect(sent[1]!.length).toBeLessThan(jsHelper.length / 4);
    // A symbol-keyed, non-enumerable property of globalThis: no name of the program, no key listed.
    const frame = await resolveFrame(p.session, p.state);
    const ev = async (expression: string) =>
      (
        (await p.session.customRequest('evaluate', { expression, frameId: frame.frameId, context: 'clipboard' })) as {
          result: string;
        }
      ).result;
    const key = `globalThis.Symbol.for(${JSON.stringify(jsHelperKey)})`;
    expect(
      await ev(
        `JSON.stringify([Object.getOwnPropertyDescriptor(globalThis, ${key}).enumerable, Object.keys(globalThis).some((k) => /loss/i.test(k))])`,
      ),
    ).toBe('"[false,false]"');
    // Gone (a new program, another realm): the call says so, and the read installs it again.
    await ev(`delete globalThis[${key}]`);
    expect((await read()).toFixed(4)).toBe('2.3519');
    expect(sent).toHaveLength(4);
    expect(sent[2]!.length).toBeLessThan(jsHelper.length / 4);
    expect(sent[3]).toContain(jsHelper);
  });

  it('reads number[][] logits and number[] targets with the call options', async () => {
    expect(await p.next()).toBe(stop('nested'));
    const o = ok(await inspectLive(base(stop('nested'))));
    expect(o.meta.input).toMatchObject({ kind: 'Array', shape: [3, 4] });
    expect(o.request.dtype).toBe('float64');
    expect(o.request.input.data).toBeInstanceOf(Float64Array);
    expect(o.request.reduction).toBe('sum');
    expect(o.request.labelSmoothing).toBe(0.1);
    expect(o.meta.optionSources.label_smoothing).toBe('call');
    expect(Math.abs(kernelLoss(o) - o.meta.programLoss!.value)).toBeLessThan(1e-12);
    expect(o.meta.requests).toBe(1);

    // A progressive read of the same number[][] (painted first at any size here): the per-row
    // losses with label smoothing 0.1 and the batch's sum, computed in the program, equal the
    // program's own float64 loss and our kernel's rows.
    const firsts: Extract<LiveOutcome, { kind: 'ok' }>[] = [];
    const full = ok(
      await inspectLive(base(stop('nested'), { firstPaintAboveBytes: 0, onFirstPaint: (f) => firsts.push(f) })),
    );
    expect(firsts).toHaveLength(1);
    const first = firsts[0];
    expect(first.meta.progressive).toEqual({ phase: 'first', positions: 3 });
    expect(full.meta.progressive).toMatchObject({ phase: 'full' });
    const r = first.meta.reduced!;
    expect(Math.abs(r.loss - o.meta.programLoss!.value)).toBeLessThan(1e-12);
    const rows = computeLoss({ ...full.request, reduction: 'none' });
    if (!rows.ok) throw new Error(rows.error.message);
    for (let i = 0; i < 3; i++) expect(Math.abs(r.positionLosses[i] - rows.result.losses[i])).toBeLessThan(1e-12);
    const worst = [0, 1, 2].sort((a, b) => rows.result.losses[b] - rows.result.losses[a])[0];
    expect(r.rows).toEqual([worst]);
    expect(Array.from(first.request.input.data)).toEqual(
      Array.from(full.request.input.data.subarray(worst * 4, worst * 4 + 4)),
    );
    expect(Array.from(first.request.target.data)).toEqual([full.request.target.data[worst]]);
    expect(first.meta.notes).toContainEqual(
      expect.objectContaining({ id: 'first_rows', by: 'own_function', count: 1 }),
    );
  });

  it('never evaluates crossEntropy(model(x), y): it lists the array locals instead', async () => {
    expect(await p.next()).toBe(stop('call'));
    const o = await inspectLive(base(stop('call')));
    expect(o.kind).toBe('choose');
    if (o.kind !== 'choose') return;
    expect(o.missing).toEqual([{ role: 'input', text: 'model(x)' }]);
    expect(o.candidates.map((c) => c.expression)).toEqual(expect.arrayContaining(['hidden', 'x', 'y']));
    expect(o.candidates.find((c) => c.expression === 'hidden')).toMatchObject({ kind: 'Array', shape: [2, 3] });
    const picked = ok(await inspectLive(base(stop('call'), { choice: { input: 'hidden' } })));
    expect(picked.meta.programLoss).toBeNull();
    const ours = kernelLoss(picked);
    const frame = await resolveFrame(p.session, p.state);
    expect(await p.next()).toBe(stop('wide'));
    // The program's stdout comes as output events that may trail the next `stopped` event.
    const callLine = () =>
      p
        .stdout()
        .split('\n')
        .slice(0, -1)
        .find((l) => l.startsWith('LOSS call'));
    await waitUntil(() => callLine() !== undefined, 15_000).catch(() => undefined);
    const line = callLine();
    expect(Math.abs(ours - Number(line!.split(' ')[2]))).toBeLessThan(1e-12);
    // The frame of the earlier stop is refused.
    const plan = {
      input: { root: 'hidden', steps: [], ops: [], text: 'hidden' },
      target: { root: 'y', steps: [], ops: [], text: 'y' },
      flavor: 'inputFirst' as const,
      keywords: {},
      programLoss: null,
    };
    await expect(readJavaScript(p.session, p.state, frame, plan)).rejects.toMatchObject({ code: 'stale_frame' });
  });

  it('pulls a (64, 1000) Float32Array in checked chunks with progress', async () => {
    const progress: number[] = [];
    const o = ok(
      await inspectLive(base(stop('wide'), { chunkBytes: 64 << 10, progress: (q) => progress.push(q.done) })),
    );
    expect(o.request.input.shape).toEqual([64, 1000]);
    expect(progress.slice(0, 4)).toEqual([65536, 131072, 196608, 256000]);
    expect(Math.abs(kernelLoss(o) - o.meta.programLoss!.value)).toBeLessThan(1e-5);
    // One prepare (the 64 targets inline), then the logits in four chunks.
    expect(o.meta.requests).toBe(1 + 4);
    expect(o.request.input.data).toBeInstanceOf(Float32Array);
    expect(o.meta.bytes).toBeGreaterThan(256000 * (4 / 3));
    // With room for it, the whole read is one reply.
    const whole = ok(await inspectLive(base(stop('wide'))));
    expect(whole.meta.requests).toBe(1);
    expect(Array.from(whole.request.input.data)).toEqual(Array.from(o.request.input.data));
    expect(Array.from(whole.request.target.data)).toEqual(Array.from(o.request.target.data));
    // Targets that are not class indices are refused in the program, before any logit crosses.
    await expect(inspectLive(base(stop('wide'), { choice: { target: 'wide' } }))).rejects.toThrow(
      /target 0 = -?[\d.]+ is not a class index/,
    );
    // Cancelled after the first chunk: no request goes out after it (the function in the program
    // keeps no state between requests, so there is nothing to release).
    for (const when of ['after a chunk', 'while a chunk is in flight'] as const) {
      const { reader, sent } = recorded(p.session);
      const cancel = new CancelSource();
      let at = -1;
      const stopNow = () => {
        if (at >= 0) return;
        at = sent.length;
        cancel.cancel();
      };
      const read = inspectLive(
        base(stop('wide'), {
          session: reader,
          chunkBytes: 64 << 10,
          // Fewer in flight than the four chunks: a cancel has chunks left not to ask for.
          inFlight: 2,
          token: cancel.token,
          progress: when === 'after a chunk' ? stopNow : undefined,
        }),
      );
      if (when === 'while a chunk is in flight') {
        await waitUntil(() => sent.length >= 2); // prepare answered, the first chunk asked for
        stopNow();
      }
      await expect(read).rejects.toMatchObject({ code: 'cancelled' });
      await Promise.allSettled(sent.map((s) => s.answer));
      expect(sent.length, when).toBe(at);
    }
  });

  it('paints a (64, 1000) Float32Array first from one reply: the worst row, every row’s loss, other rows on demand', async () => {
    const firsts: Extract<LiveOutcome, { kind: 'ok' }>[] = [];
    let requestsBefore = 0;
    const full = ok(
      await inspectLive(
        base(stop('wide'), {
          chunkBytes: 64 << 10,
          progress: (q) => (requestsBefore ||= q.done),
          onFirstPaint: (f) => firsts.push(f),
        }),
      ),
    );
    expect(firsts).toHaveLength(1);
    expect(requestsBefore).toBeGreaterThan(0); // the pull came after the first paint
    const first = firsts[0];
    const r = first.meta.reduced!;
    expect(r.positions).toBe(64);
    // The first paint came with the prepare reply; the full read added the logits' four chunks.
    expect(first.meta.requests).toBe(1);
    expect(full.meta.requests).toBe(1 + 4);
    // The batch's loss computed in the program (float64 of the float32 values) is the program's own.
    expect(Math.abs(r.loss - full.meta.programLoss!.value)).toBeLessThan(1e-9);
    // Every row's loss agrees with our kernel's float32 rows of the full read; the row shown is the worst.
    const rows = computeLoss({ ...full.request, reduction: 'none' });
    if (!rows.ok) throw new Error(rows.error.message);
    let worst = 0;
    for (let i = 0; i < 64; i++) {
      expect(Math.abs(r.positionLosses[i] - rows.result.losses[i])).toBeLessThan(1e-5);
      if (rows.result.losses[i] > rows.result.losses[worst]) worst = i;
    }
    expect(r.rows).toEqual([worst]);
    expect(first.request.input.shape).toEqual([1, 1000]);
    expect(Array.from(first.request.input.data)).toEqual(
      Array.from(full.request.input.data.subarray(worst * 1000, worst * 1000 + 1000)),
    );
    expect(kernelLoss(first)).toBeCloseTo(rows.result.losses[worst], 5);
    // Another row of the same stop, read on demand (the panel's row field during the stream).
    const more = await first.fetchRows!([5, 63]);
    expect(more.input.shape).toEqual([2, 1000]);
    expect(Array.from(more.input.data.subarray(1000))).toEqual(Array.from(full.request.input.data.subarray(63_000)));
    expect(Array.from(more.target.data)).toEqual([full.request.target.data[5], full.request.target.data[63]]);
    await expect(first.fetchRows!([64])).rejects.toThrow(/row 64 is outside the 64 rows/);
    // A cancel right after the first paint: the read rejects, and nothing more is pulled.
    const token = { isCancellationRequested: false };
    let pulled = 0;
    await expect(
      inspectLive(
        base(stop('wide'), {
          chunkBytes: 64 << 10,
          token,
          progress: () => pulled++,
          onFirstPaint: () => (token.isCancellationRequested = true),
        }),
      ),
    ).rejects.toMatchObject({ code: 'cancelled' });
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it('reads tfjs tensors through dataSync(), with one-hot labels of softmaxCrossEntropy', async () => {
    expect(await p.next()).toBe(stop('tfjs'));
    const o = ok(await inspectLive(base(stop('tfjs'))));
    expect(o.meta.input).toMatchObject({ kind: 'tfjs', dtype: 'float32', shape: [2, 10] });
    expect(o.request.target.integral).toBe(false);
    expect(o.request.target.shape).toEqual([2, 10]);
    expect(o.meta.call?.criterion).toBe('softmaxCrossEntropy');
    expect(kernelLoss(o).toFixed(4)).toBe('2.3519');
    expect(Math.abs(kernelLoss(o) - o.meta.programLoss!.value)).toBeLessThan(1e-6);
  });

  it('reads the call’s Float32Array weight with the values, in one request, and paints first with it', async () => {
    expect(await p.next()).toBe(stop('weighted'));
    const o = ok(await inspectLive(base(stop('weighted'))));
    expect(o.meta.requests).toBe(1);
    expect(o.meta.optionSources.weight).toBe('call');
    expect(o.meta.weight).toMatchObject({ expression: 'classWeight', kind: 'Float32Array', shape: [10] });
    expect(Array.from(o.request.weight!.data)).toEqual(
      Array.from(Float32Array.of(0.5, 2, 1, 1, 0.25, 3, 1, 1, 1, 0.75)),
    );
    // The program's float64 weighted mean of the same float32 values; ours is float32.
    expect(Math.abs(kernelLoss(o) - o.meta.programLoss!.value)).toBeLessThan(1e-6);
    // Painted first (at any size here, so nothing fits inline): the weighted batch loss computed in
    // the program is the program's own, and the first paint carries the weight itself.
    const firsts: Extract<LiveOutcome, { kind: 'ok' }>[] = [];
    const full = ok(
      await inspectLive(base(stop('weighted'), { firstPaintAboveBytes: 0, onFirstPaint: (f) => firsts.push(f) })),
    );
    expect(firsts).toHaveLength(1);
    expect(Math.abs(firsts[0].meta.reduced!.loss - o.meta.programLoss!.value)).toBeLessThan(1e-12);
    expect(Array.from(firsts[0].request.weight!.data)).toEqual(Array.from(o.request.weight!.data));
    expect(full.meta.requests).toBe(1 + 3); // prepare with the first paint; logits, targets, weight
    expect(kernelLoss(full)).toBe(kernelLoss(o));
    expect(await p.next()).toBeNull();
    await waitUntil(() => /END/.test(p.stdout()), 15_000).catch(() => undefined);
    expect(p.stdout()).toMatch(/END/);
  });
});
