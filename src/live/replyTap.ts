/**
 * The fast lane for a read's replies inside VS Code: a DebugAdapterTracker sees every message the
 * debug adapter sends in the extension host, before VS Code forwards it to the window (in a remote
 * or code-server window, over the network to the browser) and before `customRequest` hands the
 * answer back to the extension host the same way. For the `evaluate` requests the bridge itself
 * sends, the tap takes the result right there, and leaves only an empty result in the message that
 * goes on: the window never shows those results, so it need not carry megabytes of base64 twice.
 *
 * Contracts:
 * - The data still crosses only the session's own debug adapter connection; the tap only shortens
 *   where it goes after it reached the extension host. No sockets, no files.
 * - Only responses to requests sent through {@link ReplyTap.reader}, matched by their request `seq`
 *   as the tracker saw them go out, are taken; every other message passes untouched. A failed
 *   response is not taken: `customRequest` rejects with the adapter's own message as before.
 * - When VS Code hands trackers a copy of a message (the API does not say it does not), emptying
 *   it changes nothing the window sees; the answer is still taken from the tracker, so only the
 *   speed differs. When no tracker is attached to a session (the extension activated after it
 *   started), reads use plain `customRequest`.
 * - Idle cost: per request, one map entry from the moment it goes to the adapter until its
 *   response comes back ({@link SessionTap.waitingBehind}: what a read is queued behind).
 */
import type * as vscode from 'vscode';
import type { DebugSessionLike } from './session';

interface Waiter {
  key: string;
  /** The request's seq once the tracker saw it go to the adapter. */
  seq?: number;
  body?: unknown;
  taken(body: unknown): void;
}

interface DapMessage {
  type?: string;
  seq?: number;
  request_seq?: number;
  command?: string;
  success?: boolean;
  event?: string;
  arguments?: { expression?: unknown; frameId?: unknown; threadId?: unknown };
  body?: {
    result?: unknown;
    stackFrames?: { id?: unknown; name?: unknown; line?: unknown; source?: { path?: unknown } }[];
  };
}

/** A frame as the adapter described it in a `stackTrace` answer of the current stop. */
export interface KnownFrame {
  threadId: number;
  name: string;
  line: number;
  path?: string | undefined;
}

/** Requests after which no frame id of the stop is valid any more. */
const resumes = new Set([
  'continue',
  'next',
  'stepIn',
  'stepOut',
  'stepBack',
  'reverseContinue',
  'goto',
  'restartFrame',
]);

const keyOf = (frameId: unknown, expression: unknown) => `${String(frameId)}\u0000${String(expression)}`;

/** One session's tracker: pairs the bridge's evaluate requests with their responses. */
export class SessionTap implements vscode.DebugAdapterTracker {
  /** Waiters whose request has not gone out yet, by frame and expression, first come first served. */
  private readonly unsent = new Map<string, Waiter[]>();
  private readonly sent = new Map<number, Waiter>();
  /** Every request gone to the adapter and not answered yet, by seq, with when it went. */
  private readonly pending = new Map<number, { command: string; at: number; threadId?: unknown }>();
  /** The frames of this stop, from every `stackTrace` answer (the editor's own included), by id. */
  private readonly frames = new Map<number, KnownFrame>();
  /** Results taken from the tracker (for the bench and the tests). */
  taken = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  onWillReceiveMessage(message: unknown): void {
    const m = message as DapMessage;
    if (m?.type !== 'request' || typeof m.seq !== 'number') return;
    this.pending.set(m.seq, { command: String(m.command), at: this.now(), threadId: m.arguments?.threadId });
    if (resumes.has(String(m.command))) this.frames.clear();
    if (this.unsent.size === 0 || m.command !== 'evaluate') return;
    const key = keyOf(m.arguments?.frameId, m.arguments?.expression);
    const queue = this.unsent.get(key);
    const w = queue?.shift();
    if (!w) return;
    if (queue?.length === 0) this.unsent.delete(key);
    w.seq = m.seq;
    this.sent.set(m.seq, w);
  }

  onDidSendMessage(message: unknown): void {
    const m = message as DapMessage;
    if (m?.type === 'event' && /^(stopped|continued|exited|terminated)$/.test(String(m.event))) this.frames.clear();
    if (m?.type !== 'response' || typeof m.request_seq !== 'number') return;
    const asked = this.pending.get(m.request_seq);
    this.pending.delete(m.request_seq);
    if (asked?.command === 'stackTrace' && m.success === true) this.noteFrames(asked.threadId, m.body?.stackFrames);
    if (this.sent.size === 0) return;
    const w = this.sent.get(m.request_seq);
    if (!w) return;
    this.sent.delete(m.request_seq);
    const body = m.body;
    if (m.success !== true || typeof body?.result !== 'string') return; // customRequest answers it
    w.taken({ ...body });
    this.taken++;
    // Strings are immutable: the copy above keeps the result; the message that goes on carries none.
    body.result = '';
  }

  /**
   * The oldest request of someone else's (the editor's) still unanswered that went to the adapter
   * before `since` or before the oldest evaluate of ours in flight, if any.
   * debugpy's adapter forwards one request at a time and waits for its answer before the next
   * (`delegate` in its client handler), so a read started at `since` waits for every such request:
   * typically the Variables view's `variables` of the stop, which asks pydevd for the `repr` of
   * every local (torch 1.13 widens a whole bfloat16 tensor to format it: seconds for 823 MB).
   */
  waitingBehind(since: number): { command: string; at: number; seq: number } | undefined {
    // Ours in flight: a request of someone else's that reached the adapter before it came first,
    // even when it was sent after the read started (the window delays both).
    let ours = Infinity;
    for (const seq of this.sent.keys()) ours = Math.min(ours, seq);
    for (const [seq, r] of this.pending) {
      if (!this.sent.has(seq) && (r.at < since || (ours < Infinity && seq < ours)))
        return { command: r.command, at: r.at, seq };
    }
    return undefined;
  }

  /** The session ended: nothing is pending any more. */
  onExit(): void {
    this.pending.clear();
    this.frames.clear();
  }

  /**
   * A frame of the current stop as a `stackTrace` answer described it (the editor asks for the
   * stack at every stop before it focuses a frame), so the focused frame's line and source need no
   * request of ours: a request that, after a stop, queued behind the Variables view's.
   */
  frame(frameId: number): KnownFrame | undefined {
    return this.frames.get(frameId);
  }

  private noteFrames(threadId: unknown, frames: NonNullable<DapMessage['body']>['stackFrames']): void {
    if (typeof threadId !== 'number' || !Array.isArray(frames)) return;
    for (const f of frames) {
      if (typeof f?.id !== 'number' || typeof f.line !== 'number') continue;
      const path = typeof f.source?.path === 'string' ? f.source.path : undefined;
      this.frames.set(f.id, { threadId, name: String(f.name ?? ''), line: f.line, path });
    }
  }

  /** Registers a waiter for an evaluate request about to be sent. */
  expect(frameId: unknown, expression: unknown): { waiter: Waiter; body: Promise<unknown> } {
    let taken!: (body: unknown) => void;
    const body = new Promise<unknown>((resolve) => (taken = resolve));
    const waiter: Waiter = {
      key: keyOf(frameId, expression),
      taken: (b) => {
        waiter.body = b;
        taken(b);
      },
    };
    const queue = this.unsent.get(waiter.key);
    if (queue) queue.push(waiter);
    else this.unsent.set(waiter.key, [waiter]);
    return { waiter, body };
  }

  /** Drops a waiter whose request is settled (answered, failed, or never sent). */
  forget(w: Waiter): void {
    if (w.seq !== undefined) this.sent.delete(w.seq);
    const queue = this.unsent.get(w.key);
    const i = queue?.indexOf(w) ?? -1;
    if (queue && i >= 0) {
      queue.splice(i, 1);
      if (queue.length === 0) this.unsent.delete(w.key);
    }
  }

  /** The bridge's view of `session`: evaluate answers come from this tap when it sees them. */
  reader(session: vscode.DebugSession): DebugSessionLike {
    return {
      type: session.type,
      customRequest: async (command: string, args?: unknown) => {
        const a = args as DapMessage['arguments'];
        if (command !== 'evaluate' || !a) return session.customRequest(command, args);
        const { waiter, body } = this.expect(a.frameId, a.expression);
        try {
          const direct = Promise.resolve(session.customRequest(command, args));
          direct.catch(() => undefined); // answered by the tap; a late failure changes nothing
          // The tap answers first whenever it sees the response: it runs before VS Code forwards it.
          return await Promise.race([body, direct.then((b) => waiter.body ?? b)]);
        } finally {
          this.forget(waiter);
        }
      },
    };
  }
}

/**
 * Trackers for the sessions the bridge reads, and one reader per session (the Python reader keeps
 * "helper installed" per reader object, so a session keeps the same one).
 */
export class ReplyTap implements vscode.DebugAdapterTrackerFactory {
  private readonly taps = new Map<string, SessionTap>();
  private readonly readers = new Map<string, DebugSessionLike>();

  constructor(private readonly reads: (type: string) => boolean) {}

  createDebugAdapterTracker(session: vscode.DebugSession): vscode.DebugAdapterTracker | undefined {
    if (!this.reads(session.type)) return undefined;
    const tap = new SessionTap();
    this.taps.set(session.id, tap);
    return tap;
  }

  /** The tracker of a session, when one is attached. */
  tapOf(session: vscode.DebugSession): SessionTap | undefined {
    return this.taps.get(session.id);
  }

  /** The bridge's reader of `session`: the tapped one when a tracker is attached, else the session itself. */
  reader(session: vscode.DebugSession): DebugSessionLike {
    const tap = this.taps.get(session.id);
    if (!tap) return session;
    let r = this.readers.get(session.id);
    if (!r) this.readers.set(session.id, (r = tap.reader(session)));
    return r;
  }

  ended(session: vscode.DebugSession): void {
    this.taps.delete(session.id);
    this.readers.delete(session.id);
  }
}
