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
 * - Idle cost: one property test per adapter message while no read is waiting.
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
  arguments?: { expression?: unknown; frameId?: unknown };
  body?: { result?: unknown };
}

const keyOf = (frameId: unknown, expression: unknown) => `${String(frameId)}\u0000${String(expression)}`;

/** One session's tracker: pairs the bridge's evaluate requests with their responses. */
export class SessionTap implements vscode.DebugAdapterTracker {
  /** Waiters whose request has not gone out yet, by frame and expression, first come first served. */
  private readonly unsent = new Map<string, Waiter[]>();
  private readonly sent = new Map<number, Waiter>();
  /** Results taken from the tracker (for the bench and the tests). */
  taken = 0;

  onWillReceiveMessage(message: unknown): void {
    if (this.unsent.size === 0) return;
    const m = message as DapMessage;
    if (m?.type !== 'request' || m.command !== 'evaluate' || typeof m.seq !== 'number') return;
    const key = keyOf(m.arguments?.frameId, m.arguments?.expression);
    const queue = this.unsent.get(key);
    const w = queue?.shift();
    if (!w) return;
    if (queue?.length === 0) this.unsent.delete(key);
    w.seq = m.seq;
    this.sent.set(m.seq, w);
  }

  onDidSendMessage(message: unknown): void {
    if (this.sent.size === 0) return;
    const m = message as DapMessage;
    if (m?.type !== 'response' || typeof m.request_seq !== 'number') return;
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
