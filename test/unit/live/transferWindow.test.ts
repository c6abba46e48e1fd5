/**
 * How a read moves its bytes (docs/live-tensors.md, "Chunks and the window"): the window of chunk
 * requests in flight, the JavaScript reader's chunk size, the wait for the first paint, and the
 * live command's `transfer` argument the benches compare them with.
 */
import * as vm from 'node:vm';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { firstPaintWaitMs, transferArgs } from '../../../src/live/channel';
import { jsChunkBytes, readJavaScript, type JsPlan } from '../../../src/live/javascript';
import { parsePlainExpression } from '../../../src/live/lossCall';
import { SessionState, type DebugSessionLike } from '../../../src/live/session';
import { defaultInFlight, pull, type TransferInfo } from '../../../src/live/transfer';

const bytesOf = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);
const info = (bytes: Uint8Array): TransferInfo => ({
  layout: [{ name: 'x', wire: 'f4', shape: [bytes.length / 4], offset: 0, bytes: bytes.length }],
  bytes: bytes.length,
  crc32: zlibCrc32(bytes),
});
const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');

/** Pulls 16 chunks, each answered a few milliseconds after it is asked for; the most in flight at once. */
async function mostInFlight(inFlight: number | undefined): Promise<number> {
  const data = bytesOf(16 * 4000);
  let now = 0;
  let most = 0;
  const got = await pull(
    info(data),
    async (off, size) => {
      most = Math.max(most, ++now);
      await new Promise((r) => setTimeout(r, 3));
      now--;
      return b64(data.subarray(off, off + size));
    },
    { chunkBytes: 4000, inFlight },
  );
  expect(got).toEqual(data);
  return most;
}

/**
 * A stand-in for js-debug: evaluates each request's expression in a context holding the paused
 * frame's values (the reader's own in-program function runs as it would in the program) and
 * answers as the clipboard context does, a string as its JSON literal. Records the chunks asked for.
 */
function jsProgram(values: Record<string, unknown>) {
  const context = vm.createContext({ Buffer, ...values });
  const chunks: number[] = [];
  const session: DebugSessionLike = {
    type: 'pwa-node',
    async customRequest(command: string, args?: unknown) {
      if (command !== 'evaluate') throw new Error(`unexpected ${command}`);
      const expression = (args as { expression: string }).expression;
      const chunk = /\("chunk", \(\) => \([^)]*\), (\d+), (\d+),/.exec(expression);
      if (chunk) chunks.push(Number(chunk[2]) - Number(chunk[1]));
      const v: unknown = vm.runInContext(expression, context);
      return { result: typeof v === 'string' ? JSON.stringify(v) : String(v) };
    },
  };
  return { session, chunks };
}

function jsPlan(input: string, target: string): JsPlan {
  const expr = (t: string) => parsePlainExpression(t, 'javascript')!;
  return { input: expr(input), target: expr(target), flavor: 'inputFirst', keywords: {}, programLoss: null };
}

describe('the transfer of a read', () => {
  it('keeps defaultInFlight chunk requests in flight unless the read names its window', async () => {
    expect(await mostInFlight(undefined)).toBe(defaultInFlight);
    for (const n of [1, 2, 8]) expect(await mostInFlight(n)).toBe(n);
    // Never more than the chunks there are.
    expect(await mostInFlight(40)).toBe(16);
  });

  it('a JavaScript pull asks for chunks of jsChunkBytes unless the read names a size', async () => {
    const n = 64;
    const c = Math.ceil((2.5 * jsChunkBytes) / (4 * n));
    const logits = Float32Array.from({ length: n * c }, (_, i) => ((i * 37) % 101) / 25 - 2);
    const targets = Int32Array.from({ length: n }, (_, i) => (i * 13) % c);
    const state = new SessionState();
    state.stopped(1);
    const frame = { threadId: 1, frameId: 1, name: 'step', line: 1, epoch: state.epoch };
    const bytes = n * c * 4;
    for (const chunkBytes of [undefined, 1 << 20]) {
      const { session, chunks } = jsProgram({ logits, targets });
      const r = await readJavaScript(session, state, frame, jsPlan('logits', 'targets'), { chunkBytes });
      const size = chunkBytes ?? jsChunkBytes;
      const whole = Math.floor(bytes / size);
      expect(chunks).toEqual([...Array.from({ length: whole }, () => size), bytes - whole * size]);
      // Bit-exact: the values the program holds.
      expect(r.request.input.data).toEqual(logits);
      expect(Array.from(r.request.target.data)).toEqual(Array.from(targets));
    }
  });

  it('starts the pull once the first paint is on show, or after the read’s wait for it', async () => {
    const n = 64;
    const c = 4000; // 1 MB of logits: a first paint, then the pull
    const logits = Float32Array.from({ length: n * c }, (_, i) => ((i * 29) % 97) / 20 - 2);
    const targets = Int32Array.from({ length: n }, (_, i) => (i * 7) % c);
    const state = new SessionState();
    state.stopped(1);
    const frame = { threadId: 1, frameId: 1, name: 'step', line: 1, epoch: state.epoch };
    // Only the wait's clock is faked; the read's own steps run on setImmediate turns.
    const turns = async (done: () => boolean) => {
      for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setImmediate(r));
    };
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      // A first paint on show when the test says so: no chunk is asked for before it, however long
      // the default wait would have been.
      const { session, chunks } = jsProgram({ logits, targets });
      let show: (() => void) | undefined;
      let chunksAtShow = -1;
      const read = readJavaScript(session, state, frame, jsPlan('logits', 'targets'), {
        firstPaintWaitMs: 60_000,
        onFirstPaint: () =>
          new Promise<void>((resolve) => {
            show = () => {
              chunksAtShow = chunks.length;
              resolve();
            };
          }),
      });
      await turns(() => show !== undefined);
      await vi.advanceTimersByTimeAsync(firstPaintWaitMs + 1);
      await turns(() => false);
      expect(chunks).toHaveLength(0);
      show!();
      expect((await read).request.input.data).toEqual(logits);
      expect(chunksAtShow).toBe(0);
      expect(chunks.length).toBeGreaterThan(0);
      // A first paint that never shows: the pull starts once the read's wait (5 ms here) is over.
      const never = jsProgram({ logits, targets });
      let result: Float32Array | Float64Array | undefined;
      void readJavaScript(never.session, state, frame, jsPlan('logits', 'targets'), {
        firstPaintWaitMs: 5,
        onFirstPaint: () => new Promise<void>(() => undefined),
      }).then((r) => (result = r.request.input.data));
      await turns(() => false);
      expect(never.chunks).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(5);
      await turns(() => result !== undefined);
      expect(result).toEqual(logits);
    } finally {
      vi.useRealTimers();
    }
  });

  it('takes from the live command’s transfer argument only whole numbers in their range', () => {
    expect(transferArgs({ inFlight: 8, chunkBytes: 1 << 19, firstPaintWaitMs: 0 })).toEqual({
      inFlight: 8,
      chunkBytes: 1 << 19,
      firstPaintWaitMs: 0,
    });
    expect(transferArgs({ inFlight: 0, chunkBytes: 1.5, firstPaintWaitMs: -1 })).toEqual({});
    expect(transferArgs({ inFlight: 33, chunkBytes: 64 << 20, firstPaintWaitMs: '5' })).toEqual({});
    expect(transferArgs({ inFlight: Number.NaN, other: 3 })).toEqual({});
    expect(transferArgs(null)).toEqual({});
    expect(transferArgs('inFlight')).toEqual({});
  });
});
