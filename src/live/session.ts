/**
 * What the live bridge needs from a debug session, and nothing more: `vscode.DebugSession`
 * satisfies {@link DebugSessionLike} as it is, and so does a thin wrapper around a test
 * `DebugClient` driving a real adapter, so the same fetch code runs in both.
 */

/** The part of `vscode.DebugSession` the bridge uses. */
export interface DebugSessionLike {
  /** The debug type: `debugpy`, `python`, `pwa-node`, `node`, … */
  readonly type: string;
  /** Sends one DAP request and resolves with its response body; rejects with the adapter's message. */
  customRequest(command: string, args?: unknown): PromiseLike<unknown>;
}

/** `vscode.CancellationToken`'s shape. */
export interface CancelToken {
  readonly isCancellationRequested: boolean;
  /**
   * `vscode.CancellationToken`'s event. With it, a request in flight ends the moment the token is
   * cancelled (its late answer is dropped); without it, a read stops at its next check.
   */
  onCancellationRequested?: ((listener: () => void) => { dispose(): unknown }) | undefined;
}

/** A cancel token and its trigger (`vscode.CancellationTokenSource`'s shape, without VS Code). */
export class CancelSource {
  private listeners: (() => void)[] = [];
  private done = false;
  readonly token: CancelToken;

  constructor() {
    const isDone = () => this.done;
    this.token = {
      get isCancellationRequested() {
        return isDone();
      },
      onCancellationRequested: (listener: () => void) => {
        if (this.done) {
          listener();
          return { dispose: () => undefined };
        }
        this.listeners.push(listener);
        return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
      },
    };
  }

  cancel(): void {
    if (this.done) return;
    this.done = true;
    const ls = this.listeners;
    this.listeners = [];
    for (const l of ls) l();
  }
}

export const cancelledError = (): LiveError => new LiveError('cancelled', 'Cancelled.', { id: 'cancelled' });

/**
 * `p`, unless `token` is cancelled first: then a `cancelled` rejection at once, and `p`'s late
 * answer (or failure) is dropped. A token already cancelled rejects before anything waits.
 */
export function untilCancelled<T>(p: Promise<T>, token: CancelToken | undefined): Promise<T> {
  if (!token) return p;
  if (token.isCancellationRequested) {
    p.catch(() => undefined);
    return Promise.reject(cancelledError());
  }
  const on = token.onCancellationRequested;
  if (!on) return p;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const sub = on(() => {
      if (settled) return;
      settled = true;
      p.catch(() => undefined);
      reject(cancelledError());
    });
    p.then(
      (v) => {
        sub.dispose();
        if (!settled) resolve(v);
        settled = true;
      },
      (e: unknown) => {
        sub.dispose();
        if (!settled) reject(e);
        settled = true;
      },
    );
  });
}

/**
 * What a pull reads, for its progress message: a stable id and values that the host words in the
 * user's language (src/live/liveNoteText.ts), as {@link LiveErrorDetail} does for errors.
 */
export type PullLabel =
  /** A whole tensor: its expression, shape and dtype ("logits (64, 50257) float32"). */
  | { id: 'tensor'; name: string; shape: readonly number[]; dtype: string | null }
  /** Rows of the input: `count` of them from `name`, or the first paint's rows (both null). */
  | { id: 'rows'; count: number | null; name: string | null }
  /** The loss of every row, computed in the program. */
  | { id: 'row_losses' }
  /** Small values that came whole in one reply. */
  | { id: 'values' };

/**
 * Progress of a read: elements or bytes received of the total for a pull (`label` says what), or
 * (`reducing`) samples whose loss the program has computed, of all of them.
 */
export interface TransferProgress {
  done: number;
  total: number;
  label?: PullLabel | undefined;
  reducing?: true | undefined;
}

/**
 * A sentence a successful read adds under the panel's badge, as a stable id and the values it
 * shows; the host words it in the user's language (src/live/liveNoteText.ts). MiB figures are
 * strings with one decimal; `rows` lists positions, comma-separated.
 */
export type LiveNote =
  /** Paused at `frameLine` (1-based), before the loss line `callLine` (1-based) has run. */
  | { id: 'paused_before'; frameLine: number; callLine: number }
  /** A bfloat16 or float16 input widened exactly to float32; torch rounded the program's loss to `dtype`. */
  | { id: 'widened'; name: string; dtype: string }
  | { id: 'device'; name: string; device: string }
  | { id: 'requires_grad'; name: string }
  | { id: 'not_contiguous'; name: string }
  /** A flat JavaScript input read as `shape` (e.g. "2, 10"), one row per target. */
  | { id: 'flat'; name: string; shape: string }
  /**
   * A progressive read's first paint: `count` rows (`rows`, the highest loss) and every row's loss,
   * computed in the program by torch or by Loss Inspector's own function; `positions` rows follow.
   */
  | { id: 'first_rows'; count: number; rows: string; positions: number; by: 'torch' | 'own_function' }
  /** Over the budget, stepped: the `count` rows looked at came first; every row's loss is being computed. */
  | { id: 'over_budget_first'; name: string; mib: string; budgetMib: string; count: number }
  /** Over the budget, stepped and done: the rows looked at and the `top` with the highest loss were read. */
  | { id: 'over_budget_steps'; name: string; mib: string; budgetMib: string; top: number }
  /** Over the budget in one reduction: only the `top` rows with the highest loss were read. */
  | { id: 'over_budget_reduced'; name: string; mib: string; budgetMib: string; top: number };

/** Every {@link LiveNote} id, for the tests. */
export const liveNoteIds = [
  'paused_before',
  'widened',
  'device',
  'requires_grad',
  'not_contiguous',
  'flat',
  'first_rows',
  'over_budget_first',
  'over_budget_steps',
  'over_budget_reduced',
] as const satisfies readonly LiveNote['id'][];

/** The label of a pull of the first paint's rows. */
export const firstRowsLabel: PullLabel = { id: 'rows', count: null, name: null };

/** Every {@link PullLabel} id, for the tests. */
export const pullLabelIds = ['tensor', 'rows', 'row_losses', 'values'] as const satisfies readonly PullLabel['id'][];

export type LiveErrorCode =
  /** Live inspection was asked for in an untrusted workspace. */
  | 'untrusted'
  /** The session is not of a type the bridge reads (debugpy/python or js-debug). */
  | 'unsupported_session'
  /** No stopped thread or frame to read from. */
  | 'not_paused'
  /** The program continued (or stopped elsewhere) since the frame was resolved. */
  | 'stale_frame'
  /** No loss call on the given line. */
  | 'no_loss_call'
  /** An argument or option could not be read without running the program's code. */
  | 'not_plain'
  /** The debuggee reported an error (a name is missing, a value is not a tensor, …). */
  | 'evaluation_failed'
  /** What came back is not a well-formed envelope (version, length or checksum). */
  | 'bad_envelope'
  | 'cancelled';

/**
 * The stable reasons behind the bridge's own sentences, each with the values it shows, so that the
 * host words them in the user's language (src/live/liveErrorText.ts); `message` keeps the English
 * for the log and for callers. A LiveError without one is worded by its code around its message
 * (an adapter's or the program's own words, which stay as they were written).
 */
export type LiveErrorDetail =
  | { id: 'untrusted' }
  | { id: 'unsupported_session'; type: string }
  | { id: 'not_paused' }
  | { id: 'no_threads' }
  | { id: 'stale_frame' }
  | { id: 'cancelled' }
  /** An expression picked for the input or the target that is not a plain name. */
  | { id: 'not_plain_pick'; text: string; role: 'input' | 'target' }
  /** A loss option written as code that would have to run to be read. */
  | { id: 'not_plain_option'; name: string; text: string }
  | { id: 'not_number_option'; name: string; text: string }
  | { id: 'not_plain_weight'; text: string }
  | { id: 'bad_reduction'; text: string }
  /** A JavaScript input larger than the transfer budget (MiB, one decimal). */
  | { id: 'over_budget'; name: string; mib: string; budgetMib: string }
  /** The helper could not be installed in the program; `reason` is what the program answered. */
  | { id: 'helper_failed'; reason: string };

/** Every {@link LiveErrorDetail} id, for the tests. */
export const liveErrorDetailIds = [
  'untrusted',
  'unsupported_session',
  'not_paused',
  'no_threads',
  'stale_frame',
  'cancelled',
  'not_plain_pick',
  'not_plain_option',
  'not_number_option',
  'not_plain_weight',
  'bad_reduction',
  'over_budget',
  'helper_failed',
] as const satisfies readonly LiveErrorDetail['id'][];

export class LiveError extends Error {
  constructor(
    readonly code: LiveErrorCode,
    message: string,
    readonly detail?: LiveErrorDetail,
  ) {
    super(message);
    this.name = 'LiveError';
  }
}

/** The message shown for a frame that went away: never a number computed from another stop. */
export const staleFrameMessage = 'The program moved on — inspect again.';

/** The error of a frame that went away. */
export const staleFrameError = (): LiveError => new LiveError('stale_frame', staleFrameMessage, { id: 'stale_frame' });

/** debugpy's and js-debug's ways of saying that a frame or thread id no longer exists. */
const staleReplies = [
  /unable to find thread/i,
  /unable to find frame/i,
  /frame.*(not found|invalid|unknown)/i,
  /invalid frame/i,
  /thread.*(not (found|paused|suspended)|is running|not stopped)/i,
  /not (paused|suspended|stopped)/i,
  /no debugger available/i,
  /wrong id sent/i,
  // pydevd, for a request that reaches a thread which resumed meanwhile.
  /is not current thread id/i,
  /can only (evaluate|be done) when paused/i,
];

export function isStaleReply(message: string): boolean {
  return staleReplies.some((re) => re.test(message));
}

/**
 * Where a session is: a counter that moves on every `stopped`, `continued`, `exited` and
 * `terminated` event. A frame read at one epoch is valid only while the epoch is unchanged.
 * The host feeds it from a DebugAdapterTracker; tests feed it from the DebugClient's events.
 */
export class SessionState {
  private epochValue = 0;
  private stoppedThread: number | undefined;
  private running = true;

  get epoch(): number {
    return this.epochValue;
  }

  /** The thread of the last `stopped` event while the program is still stopped there. */
  get stoppedThreadId(): number | undefined {
    return this.running ? undefined : this.stoppedThread;
  }

  get paused(): boolean {
    return !this.running;
  }

  stopped(threadId?: number): void {
    this.epochValue++;
    this.running = false;
    if (threadId !== undefined) this.stoppedThread = threadId;
  }

  continued(): void {
    this.epochValue++;
    this.running = true;
  }

  ended(): void {
    this.epochValue++;
    this.running = true;
    this.stoppedThread = undefined;
  }

  /** Applies one DAP event message (as a DebugAdapterTracker sees it); other messages are ignored. */
  onMessage(message: unknown): void {
    const m = message as { type?: string; event?: string; body?: { threadId?: number } };
    if (m?.type !== 'event') return;
    if (m.event === 'stopped') this.stopped(m.body?.threadId);
    else if (m.event === 'continued') this.continued();
    else if (m.event === 'exited' || m.event === 'terminated') this.ended();
  }
}

/** A resolved frame, valid while `state.epoch === epoch`. */
export interface LiveFrame {
  threadId: number;
  frameId: number;
  /** Function name as the adapter reports it (`train_step`, `<module>`). */
  name: string;
  /** 1-based line the frame is paused at. */
  line: number;
  /** The frame's source path, when the adapter gives one. */
  path?: string | undefined;
  epoch: number;
}

/** The focused frame as the editor knows it (`vscode.debug.activeStackItem`). */
export interface FocusedFrame {
  threadId: number;
  frameId?: number | undefined;
}

interface StackFrameBody {
  stackFrames?: { id: number; name: string; line: number; source?: { path?: string } }[];
}
interface ThreadsBody {
  threads?: { id: number; name: string }[];
}

/**
 * Resolves the frame to read: the focused one when given (checked to still exist), else the top
 * frame of the thread that stopped last (or the first thread).
 */
export async function resolveFrame(
  session: DebugSessionLike,
  state: SessionState,
  focus?: FocusedFrame,
  token?: CancelToken,
): Promise<LiveFrame> {
  if (!state.paused)
    throw new LiveError('not_paused', 'The program is not paused at a breakpoint.', { id: 'not_paused' });
  const epoch = state.epoch;
  let threadId = focus?.threadId ?? state.stoppedThreadId;
  if (threadId === undefined) {
    const threads = (await request(session, state, epoch, 'threads', {}, token)) as ThreadsBody;
    threadId = threads.threads?.[0]?.id;
    if (threadId === undefined)
      throw new LiveError('not_paused', 'The program has no threads to read from.', { id: 'no_threads' });
  }
  const body = (await request(
    session,
    state,
    epoch,
    'stackTrace',
    {
      threadId,
      startFrame: 0,
      levels: focus?.frameId !== undefined ? 200 : 1,
    },
    token,
  )) as StackFrameBody;
  const frames = body.stackFrames ?? [];
  const frame = focus?.frameId !== undefined ? frames.find((f) => f.id === focus.frameId) : frames[0];
  if (!frame) throw staleFrameError();
  return { threadId, frameId: frame.id, name: frame.name, line: frame.line, path: frame.source?.path, epoch };
}

/**
 * One DAP request on behalf of a frame read at `epoch`: refuses to start, and refuses the answer,
 * when the session moved on meanwhile; adapter replies that mean "gone" become `stale_frame`.
 * With a `token`, a cancelled read sends nothing more, and a request in flight ends at the cancel.
 */
export async function request(
  session: DebugSessionLike,
  state: SessionState,
  epoch: number,
  command: string,
  args: unknown,
  token?: CancelToken,
): Promise<unknown> {
  if (state.epoch !== epoch) throw staleFrameError();
  if (token?.isCancellationRequested) throw cancelledError();
  let body: unknown;
  try {
    body = await untilCancelled(Promise.resolve(session.customRequest(command, args)), token);
  } catch (err) {
    if (err instanceof LiveError) throw err; // the read's own (a cancel while the request waits)
    const message = err instanceof Error ? err.message : String(err);
    if (state.epoch !== epoch || isStaleReply(message)) throw staleFrameError();
    throw new LiveError('evaluation_failed', message);
  }
  if (state.epoch !== epoch) throw staleFrameError();
  return body;
}
