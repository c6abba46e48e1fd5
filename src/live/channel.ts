/**
 * What the Python and JavaScript readers share: one `evaluate` channel to a frame at one epoch that
 * counts what crosses the adapter, the options of a read, and the chunked pull of a buffer the
 * debuggee describes. The language modules say only how one request is written and how one chunk
 * is asked for.
 */
import {
  LiveError,
  request,
  type CancelToken,
  type DebugSessionLike,
  type LiveFrame,
  type SessionState,
} from './session';
import type { TransferProgress } from './session';
import { defaultChunkBytes, pull, type ChunkReader, type TransferInfo } from './transfer';

/** How a read moves its bytes, and who hears about it. */
export interface ReadOptions {
  budgetBytes?: number | undefined;
  chunkBytes?: number | undefined;
  /** Chunk requests in flight at once. */
  inFlight?: number | undefined;
  inlineBytes?: number | undefined;
  /** Rows fetched when over the budget (0: none, only the per-row losses). */
  topK?: number | undefined;
  /**
   * bfloat16 and float16 inputs travel in their own 2 bytes and are widened here (default true);
   * false widens them in the program, twice the bytes (kept for the bench's comparison).
   */
  halfWire?: boolean | undefined;
  token?: CancelToken | undefined;
  progress?: ((p: TransferProgress) => void) | undefined;
}

/** `evaluate` requests for one frame, refused once the program moved on (see {@link request}). */
export class EvalChannel {
  /** Characters of the results received, and how many requests carried them. */
  bytes = 0;
  requests = 0;

  constructor(
    readonly session: DebugSessionLike,
    readonly state: SessionState,
    readonly frame: LiveFrame,
  ) {}

  /** One evaluate in the frame; resolves with the result text, which every adapter gives as a string. */
  async evaluate(expression: string, context: string, format?: object): Promise<string> {
    this.requests++;
    const body = (await request(this.session, this.state, this.frame.epoch, 'evaluate', {
      expression,
      frameId: this.frame.frameId,
      context,
      ...(format ? { format } : {}),
    })) as { result?: unknown };
    const result = body?.result;
    if (typeof result !== 'string') throw new LiveError('bad_envelope', 'The debugger returned no result.');
    this.bytes += result.length;
    return result;
  }
}

/**
 * Pulls a buffer the debuggee described, in chunks of the read's size rounded down to a multiple
 * of `align` bytes (whole elements), with the read's window, progress and cancellation.
 */
export function pullBuffer(
  info: TransferInfo,
  read: ChunkReader,
  options: ReadOptions,
  label: string,
  align = 1,
): Promise<Uint8Array> {
  const size = options.chunkBytes ?? defaultChunkBytes;
  return pull(info, read, {
    chunkBytes: Math.max(align, Math.floor(size / align) * align),
    inFlight: options.inFlight,
    token: options.token,
    progress: options.progress,
    label,
  });
}
