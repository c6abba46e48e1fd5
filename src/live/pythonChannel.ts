/**
 * The Python reader's channel to the helper it installs in the program: install once per process,
 * call it with a parsed request, pull the buffers it keeps, release what a cancelled read leaves.
 */
import type { NdArray } from '../core/types';
import { EvalChannel, pullBuffer, type ReadOptions } from './channel';
import type { ArgExpr, PlainExpr } from './lossCall';
import { callExpression, helperModuleName, installExpression } from './pythonHelper';
import { LiveError, type DebugSessionLike, type PullLabel } from './session';
import { openEnvelope, unpack, type Pulled, type TransferInfo } from './transfer';

/**
 * Raw bytes per chunk of a Python pull: 512 KiB (0.7 MB of base64). VS Code reads an adapter's
 * messages (StreamDebugAdapter.handleData) by appending every piece that arrives (64 KiB from a
 * pipe) to a copy of the message so far, so a reply costs the extension host the square of its
 * size: 16 MB of fresh memory for a 1.4 MB reply. Inside code-server at load 18 (6 December), a
 * 12.9 MB read took 3.9-4.7 s in 1 MiB chunks, 1.6-2.9 s in 512 KiB and 1.3-3.1 s in 256 KiB ones,
 * interleaved. Smaller ones cost a request each (pydevd polls the paused thread every 10 ms).
 */
export const pythonChunkBytes = 512 << 10;

/** Sessions whose debuggee already has the helper (a new process means a new session). */
const installed = new WeakMap<DebugSessionLike, true>();

/** What the Python side reads for one inspection. */
export interface PythonPlan {
  callee: PlainExpr | null;
  construct: PlainExpr | null;
  input: PlainExpr;
  target: PlainExpr;
  keywords: Record<string, ArgExpr>;
  /** The variable the program stores its loss in, read only when the loss line already ran. */
  programLoss: PlainExpr | null;
}

/** The helper's side of a channel: installs it once per process, calls it, pulls its buffers. */
export class HelperChannel extends EvalChannel {
  private evaluatePy(expression: string, cleanup = false): Promise<string> {
    return this.evaluate(expression, 'watch', { rawString: true }, cleanup);
  }

  /**
   * Sends a request that releases the program's state (a kept buffer, a running job), whether or
   * not the read was cancelled, and without waiting for its answer. Only to an installed helper.
   */
  cleanup(req: object): void {
    if (!installed.has(this.session)) return;
    this.evaluatePy(callExpression(req), true).catch(() => undefined);
  }

  async install(): Promise<void> {
    if (installed.has(this.session)) return;
    const answer = await this.evaluatePy(installExpression());
    if (answer !== 'installed' && answer !== 'present') {
      throw new LiveError('evaluation_failed', `Installing the helper failed: ${answer.slice(0, 300)}`, {
        id: 'helper_failed',
        reason: answer.slice(0, 300),
      });
    }
    installed.set(this.session, true);
  }

  /**
   * One helper call; reinstalls once if the process lost the helper (a restarted debuggee).
   * `open` reads the reply (default: the whole envelope as JSON).
   */
  async call<T extends object>(
    req: object,
    what: string,
    open: (text: string, what: string) => T = openEnvelope,
  ): Promise<T> {
    await this.install();
    try {
      return open(await this.evaluatePy(callExpression(req)), what);
    } catch (err) {
      const missing =
        err instanceof LiveError && err.code === 'evaluation_failed' && err.message.includes(helperModuleName);
      if (!missing) throw err;
      installed.delete(this.session);
      await this.install();
      return open(await this.evaluatePy(callExpression(req)), what);
    }
  }

  /** Pulls a buffer the helper keeps; `own`, a range decoded into a buffer of its own (see {@link Pulled}). */
  async pull(
    info: TransferInfo,
    options: ReadOptions,
    label: PullLabel,
    own?: { offset: number; bytes: number },
  ): Promise<Pulled> {
    let released = false;
    try {
      return await pullBuffer(
        info,
        async (offset, size) => {
          // The last chunk releases the debuggee's copy (the helper serves requests in order).
          const last = offset + size >= info.bytes;
          const r = await this.call(
            { op: 'chunk', id: info.id, offset, size, ...(last ? { release: true } : {}) },
            'chunk',
            openChunk,
          );
          if (last) released = true;
          if (r.offset !== offset) throw new LiveError('bad_envelope', `Chunk offset ${r.offset} ≠ ${offset}.`);
          return r.data;
        },
        { ...options, chunkBytes: options.chunkBytes ?? pythonChunkBytes },
        label,
        1,
        own,
      );
    } finally {
      // Free the debuggee's copy, even after a cancel, without waiting for it: a failure here
      // (the program moved on) changes nothing for the user.
      if (info.id !== undefined && !released) this.cleanup({ op: 'release', id: info.id });
    }
  }
}

/**
 * A chunk reply, `{"offset":…,"bytes":…,"data":"<base64>","v":1,"ok":true}`, read without parsing
 * its 1.4 MB as JSON (15-70 ms a reply in the extension host under load, against well under 1 ms
 * for the two searches): the envelope is parsed with the data left out, and the data is the text
 * between its quotes. A JSON string holds no bare quote, so the first `"data":"` is the key and the
 * next quote ends its value; a value with escapes is not base64 and fails its decoded length.
 * Any other reply (a failure's envelope) is parsed whole.
 */
export function openChunk(text: string, what: string): { data: string; offset: number } {
  const key = '"data":"';
  const at = typeof text === 'string' ? text.indexOf(key) : -1;
  const end = at < 0 ? -1 : text.indexOf('"', at + key.length);
  if (end < 0) return openEnvelope<{ data: string; offset: number }>(text, what);
  const env = openEnvelope<{ offset: number }>(text.slice(0, at + key.length) + text.slice(end), what);
  return { offset: env.offset, data: text.slice(at + key.length, end) };
}

export const wireJson = (e: PlainExpr) => ({
  root: e.root,
  steps: e.steps,
  ops: e.ops.map(([n, a]) => [n, a.map(argJson)]),
  text: e.text,
});
const argJson = (a: number | PlainExpr): unknown => (typeof a === 'number' ? a : wireJson(a));

export function nd(data: Float64Array, shape: number[], integral: boolean): NdArray {
  return { data, shape, integral };
}

export function rowsOf(parts: ReturnType<typeof unpack>): { input: NdArray; target: NdArray } {
  const x = parts.get('input');
  const y = parts.get('target');
  if (!x || !y) throw new LiveError('bad_envelope', 'The row transfer has no input or target.');
  return { input: nd(x.data, x.entry.shape, false), target: nd(y.data, y.entry.shape, true) };
}

export async function fetchRowsWith(
  ch: HelperChannel,
  plan: PythonPlan,
  positions: number[],
  options: ReadOptions,
  inline: number,
): Promise<{ input: NdArray; target: NdArray }> {
  const reply = await ch.call<{ transfer: TransferInfo }>(
    {
      op: 'rows',
      input: wireJson(plan.input),
      target: wireJson(plan.target),
      positions,
      inline,
      half: options.halfWire ?? true,
    },
    'rows',
  );
  const bytes = await ch.pull(reply.transfer, options, { id: 'rows', count: positions.length, name: plan.input.text });
  return rowsOf(unpack(reply.transfer, bytes));
}
