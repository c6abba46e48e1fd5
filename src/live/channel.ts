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
import type { PullLabel, TransferProgress } from './session';
import type { ReducedInfo } from './types';
import { defaultChunkBytes, pullParts, type ChunkReader, type Pulled, type TransferInfo } from './transfer';

/** How a read moves its bytes, and who hears about it. */
export interface ReadOptions {
  budgetBytes?: number | undefined;
  chunkBytes?: number | undefined;
  /** Chunk requests in flight at once. */
  inFlight?: number | undefined;
  inlineBytes?: number | undefined;
  /** Rows fetched when over the budget (0: none, only the per-row losses). */
  topK?: number | undefined;
  /** Over the budget, progressively: the positions the user looks at, painted first (default [0]). */
  lookAt?: number[] | undefined;
  /** Samples a block of the reduction in the program holds (default: about 1 M elements). */
  reduceBlockRows?: number | undefined;
  /** Elements of the input the first step of a progressive reduction covers (default `reduceStepElements` in python.ts). */
  reduceStepElements?: number | undefined;
  /**
   * The time a step of a progressive reduction aims at (default `reduceStepMs` in python.ts): steps
   * after the first are sized from the pace measured. Given `reduceStepElements` alone, every step
   * has that size.
   */
  reduceStepMs?: number | undefined;
  /**
   * bfloat16 and float16 inputs travel in their own 2 bytes and are widened here (default true);
   * false widens them in the program, twice the bytes (kept for the bench's comparison).
   */
  halfWire?: boolean | undefined;
  /**
   * Over the budget without a first paint (the hover): reduce in the program in steps, as a
   * progressive read does, so that a cancel stops the program's work between blocks, not only
   * the requests; no row is painted first.
   */
  stepped?: boolean | undefined;
  token?: CancelToken | undefined;
  progress?: ((p: TransferProgress) => void) | undefined;
}

/**
 * A progressive read (both languages): when the logits are too big for one small reply, a first
 * reply carries what the panel paints first — every row's loss and the batch's loss computed in
 * the program, and the full logits of the {@link firstRows} rows with the highest loss — and
 * `onFirstPaint` is called with it while the full pull streams on. The promise the read returns is
 * still the full read; a read that fails after this was called (cancel, the program moved on)
 * rejects as usual. When it returns a promise, the pull waits for it (at most
 * {@link firstPaintWaitMs}): the editor's extension host is busy parsing chunk replies during a
 * pull, which would hold up the first paint itself.
 */
export interface ProgressiveOptions<R> {
  onFirstPaint?: ((first: R) => unknown) | undefined;
  /** Rows the first paint carries (default 1: the row with the highest loss). */
  firstRows?: number | undefined;
  /**
   * A progressive read paints first only when its buffer is bigger than this (default
   * {@link firstPaintAboveBytes}); smaller ones come in one reply. A path whose replies are cheap
   * (the editor's tapped reader) raises it: one reply of 256 KB is then quicker than two.
   */
  firstPaintAboveBytes?: number | undefined;
  /** How long the pull waits for the first paint to be on show (default {@link firstPaintWaitMs}). */
  firstPaintWaitMs?: number | undefined;
}

/**
 * How long the pull waits for the first paint to be on show before it starts anyway. The first
 * paint was on show 60-250 ms after its reply in most reads at load 8-13, 0.3-1.1 s in some; a
 * longer wait (it was 1.5 s) only holds the pull back in those, and none at all let the pull's
 * requests delay the first paint (command to panel, variants interleaved at load 9-10: no wait
 * 0.77 s with the first paint at 134 ms, 250 ms 0.60 s at 115 ms, 1.5 s 0.68 s at 98 ms).
 */
export const firstPaintWaitMs = 250;

/** Over this many bytes, a progressive read paints from a small first reply before the full pull. */
export const firstPaintAboveBytes = 64 << 10;

/** How a command's read moves its bytes: the live command's `transfer` argument (liveHost.ts), for the benches. */
export interface LiveTransferArgs {
  inFlight?: number | undefined;
  chunkBytes?: number | undefined;
  firstPaintWaitMs?: number | undefined;
}

/** The fields of a command's `transfer` argument that are whole numbers in their range. */
export function transferArgs(t: unknown): LiveTransferArgs {
  const out: LiveTransferArgs = {};
  if (typeof t !== 'object' || t === null) return out;
  const ranges = { inFlight: [1, 32], chunkBytes: [4096, 8 << 20], firstPaintWaitMs: [0, 10_000] } as const;
  for (const [k, [lo, hi]] of Object.entries(ranges) as [keyof LiveTransferArgs, readonly [number, number]][]) {
    const v = (t as Record<string, unknown>)[k];
    if (typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi) out[k] = v;
  }
  return out;
}

/** Waits for `p` to settle, or for `ms` to pass, whichever comes first; never rejects. */
export function settledWithin(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((done) => {
    const timer = setTimeout(done, ms);
    const end = () => {
      clearTimeout(timer);
      done();
    };
    p.then(end, end);
  });
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
    /** The read's cancel: nothing is sent after it, and a request in flight ends at it. */
    readonly token?: CancelToken,
  ) {}

  /**
   * One evaluate in the frame; resolves with the result text, which every adapter gives as a
   * string. A `cleanup` request (releasing the program's state after a cancel) ignores the token.
   */
  async evaluate(expression: string, context: string, format?: object, cleanup = false): Promise<string> {
    this.requests++;
    const args = { expression, frameId: this.frame.frameId, context, ...(format ? { format } : {}) };
    const token = cleanup ? undefined : this.token;
    const body = (await request(this.session, this.state, this.frame.epoch, 'evaluate', args, token)) as {
      result?: unknown;
    };
    const result = body?.result;
    if (typeof result !== 'string') throw new LiveError('bad_envelope', 'The debugger returned no result.');
    this.bytes += result.length;
    return result;
  }
}

/**
 * Pulls a buffer the debuggee described, in chunks of the read's size rounded down to a multiple
 * of `align` bytes (whole elements), with the read's window, progress and cancellation; `own`, a
 * range decoded into a buffer of its own (see {@link Pulled}).
 */
export function pullBuffer(
  info: TransferInfo,
  read: ChunkReader,
  options: ReadOptions,
  label: PullLabel,
  align = 1,
  own?: { offset: number; bytes: number },
): Promise<Pulled> {
  const size = options.chunkBytes ?? defaultChunkBytes;
  return pullParts(info, read, {
    chunkBytes: Math.max(align, Math.floor(size / align) * align),
    inFlight: options.inFlight,
    token: options.token,
    progress: options.progress,
    label,
    own,
  });
}

/** Bytes in MiB with one decimal, as the notes and errors about the transfer budget show them. */
export function mib(bytes: number): string {
  return (bytes / (1 << 20)).toFixed(1);
}

/** A number from an envelope, where JSON cannot write NaN and the infinities ("nan", "inf", "-inf"). */
export function toNumber(v: number | string): number {
  if (typeof v === 'number') return v;
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  throw new LiveError('bad_envelope', `Not a number: ${v}`);
}

/** What a reduction in the program answered: its rows, and the batch's loss as a fraction. */
export interface ReductionReply {
  positions: number;
  numerator: number | string;
  denominator: number | string;
  loss: number | string;
  top: number[];
}

export function reducedInfo(r: ReductionReply, losses: Float64Array): ReducedInfo {
  return {
    positions: r.positions,
    rows: r.top,
    positionLosses: losses,
    numerator: toNumber(r.numerator),
    denominator: toNumber(r.denominator),
    loss: toNumber(r.loss),
  };
}
