// The tap's matching rules, with the editor's side played in VS Code's order: the tracker sees a
// request just before it goes to the adapter, and the response (the same object) just before it is
// forwarded to the window; `customRequest` then resolves with what was forwarded. That the real
// VS Code passes the message itself, and what the tap saves there, is checked in the real editor
// (test/integration/suite/zzz-live.test.ts asserts that its reads came through the tap;
// `npm run bench:live:vscode` measures it).
import { describe, expect, it } from 'vitest';
import type * as vscode from 'vscode';
import { ReplyTap, SessionTap } from '../../../src/live/replyTap';

interface Sent {
  seq: number;
  command: string;
  arguments: { expression: string; frameId: number };
}

/** A session whose adapter answers `evaluate` with `answer(expression)`; `order` reorders responses. */
function editor(tap: SessionTap | undefined, answer: (e: string) => { success: boolean; result?: string }) {
  let seq = 0;
  const forwarded: unknown[] = [];
  const waiting: { req: Sent; done: (body: unknown) => void; fail: (e: Error) => void }[] = [];
  const session = {
    id: 's1',
    type: 'debugpy',
    customRequest(command: string, args: Sent['arguments']) {
      return new Promise((done, fail) => {
        const req = { type: 'request', seq: ++seq, command, arguments: args };
        tap?.onWillReceiveMessage(req);
        waiting.push({ req, done, fail });
      });
    },
  } as unknown as vscode.DebugSession;
  /** The adapter answers the oldest (or the `index`th) request waiting. */
  const respond = (index = 0) => {
    const [w] = waiting.splice(index, 1);
    if (!w) throw new Error('nothing waiting');
    const a = answer(w.req.arguments.expression);
    const message: {
      type: string;
      request_seq: number;
      success: boolean;
      body?: unknown;
      message?: string | undefined;
    } = {
      type: 'response',
      request_seq: w.req.seq,
      success: a.success,
      ...(a.success ? { body: { result: a.result } } : { message: a.result }),
    };
    tap?.onDidSendMessage(message);
    forwarded.push(JSON.parse(JSON.stringify(message)));
    // The window's answer comes back later, with what was forwarded.
    setTimeout(() => (a.success ? w.done(structuredClone(message.body)) : w.fail(new Error(a.result))), 5);
  };
  return { session, respond, forwarded, waiting };
}

const evaluate = (expression: string, frameId = 7) => ({ expression, frameId, context: 'watch' });

describe('reply tap', () => {
  it('takes the result of its own evaluate from the tracker and forwards an empty one', async () => {
    const tap = new SessionTap();
    const e = editor(tap, (x) => ({ success: true, result: `value of ${x}` }));
    const reader = tap.reader(e.session);
    const reply = reader.customRequest('evaluate', evaluate('chunk 0'));
    e.respond();
    expect(await reply).toMatchObject({ result: 'value of chunk 0' });
    expect(e.forwarded).toEqual([expect.objectContaining({ body: { result: '' } })]);
    expect(tap.taken).toBe(1);
  });

  it('leaves requests it did not send, and other messages, as they are', async () => {
    const tap = new SessionTap();
    const e = editor(tap, (x) => ({ success: true, result: `value of ${x}` }));
    const theirs = e.session.customRequest('evaluate', evaluate('user watch'));
    tap.onDidSendMessage({ type: 'event', event: 'output', body: { output: 'x' } });
    e.respond();
    expect(await theirs).toMatchObject({ result: 'value of user watch' });
    expect(e.forwarded).toEqual([expect.objectContaining({ body: { result: 'value of user watch' } })]);
    // The same expression in another frame is another request.
    const reader = tap.reader(e.session);
    const other = e.session.customRequest('evaluate', evaluate('x', 8));
    const mine = reader.customRequest('evaluate', evaluate('x', 7));
    e.respond();
    e.respond();
    expect(await other).toMatchObject({ result: 'value of x' });
    expect(await mine).toMatchObject({ result: 'value of x' });
    expect(e.forwarded.map((m) => (m as { body: { result: string } }).body.result)).toEqual([
      'value of user watch',
      'value of x',
      '',
    ]);
  });

  it('pairs responses by sequence number, in whatever order they come', async () => {
    const tap = new SessionTap();
    let n = 0;
    const e = editor(tap, (x) => ({ success: true, result: `${x} #${++n}` }));
    const reader = tap.reader(e.session);
    const a = reader.customRequest('evaluate', evaluate('same'));
    const b = reader.customRequest('evaluate', evaluate('same'));
    const c = reader.customRequest('evaluate', evaluate('other'));
    e.respond(2); // other
    e.respond(1); // the second 'same'
    e.respond(0); // the first 'same'
    expect(await c).toMatchObject({ result: 'other #1' });
    expect(await b).toMatchObject({ result: 'same #2' });
    expect(await a).toMatchObject({ result: 'same #3' });
  });

  it('lets a failed response reject with the adapter’s message, untouched', async () => {
    const tap = new SessionTap();
    const e = editor(tap, () => ({ success: false, result: 'Unable to find thread for evaluation.' }));
    const reply = tap.reader(e.session).customRequest('evaluate', evaluate('chunk'));
    e.respond();
    await expect(reply).rejects.toThrow('Unable to find thread for evaluation.');
    expect(tap.taken).toBe(0);
    expect(e.forwarded).toEqual([expect.objectContaining({ message: 'Unable to find thread for evaluation.' })]);
  });

  it('without a tracker on the session, reads the session itself', async () => {
    const factory = new ReplyTap((type) => type === 'debugpy');
    const e = editor(undefined, (x) => ({ success: true, result: `value of ${x}` }));
    expect(factory.reader(e.session)).toBe(e.session);
    expect(factory.createDebugAdapterTracker({ ...e.session, type: 'cppdbg' } as vscode.DebugSession)).toBeUndefined();
    const tracker = factory.createDebugAdapterTracker(e.session);
    expect(tracker).toBeInstanceOf(SessionTap);
    // One reader per session: the Python reader remembers its helper per reader object.
    expect(factory.reader(e.session)).toBe(factory.reader(e.session));
    factory.ended(e.session);
    expect(factory.reader(e.session)).toBe(e.session);
  });

  it('forgets a request that never reached the adapter', async () => {
    const tap = new SessionTap();
    const session = {
      type: 'debugpy',
      customRequest: () => Promise.reject(new Error('No debugger available, can not send evaluate')),
    } as unknown as vscode.DebugSession;
    await expect(tap.reader(session).customRequest('evaluate', evaluate('chunk'))).rejects.toThrow('No debugger');
    // A later request with the same expression, sent by someone else, is not taken for the lost one.
    const message = { type: 'request', seq: 5, command: 'evaluate', arguments: evaluate('chunk') };
    tap.onWillReceiveMessage(message);
    const response = { type: 'response', request_seq: 5, success: true, body: { result: 'theirs' } };
    tap.onDidSendMessage(response);
    expect(response.body.result).toBe('theirs');
  });

  it('names the oldest request sent before a read that is still unanswered (what the read queues behind)', () => {
    let clock = 0;
    const tap = new SessionTap(() => clock);
    const req = (seq: number, command: string) => tap.onWillReceiveMessage({ type: 'request', seq, command });
    const res = (seq: number) => tap.onDidSendMessage({ type: 'response', request_seq: seq, success: true, body: {} });
    req(1, 'stackTrace');
    clock = 10;
    req(2, 'scopes');
    clock = 20;
    req(3, 'variables');
    res(1);
    res(2);
    clock = 30;
    // The read starts at 25: it waits for the Variables view's request, not for one sent after it
    // started while nothing of its own is in flight (seq 4).
    req(4, 'evaluate');
    expect(tap.waitingBehind(25)).toEqual({ command: 'variables', at: 20, seq: 3 });
    // Events and the adapter's own messages are not requests.
    tap.onDidSendMessage({ type: 'event', event: 'output', body: {} });
    expect(tap.waitingBehind(25)?.seq).toBe(3);
    res(3);
    expect(tap.waitingBehind(25)).toBeUndefined();
    expect(tap.waitingBehind(31)).toEqual({ command: 'evaluate', at: 30, seq: 4 });
    res(4);
    // Sent after the read started but reaching the adapter before the read's own evaluate (the
    // window delays both): waited for too. A request after ours, and ours, are not.
    const { waiter } = tap.expect(7, 'ours');
    clock = 40;
    req(5, 'variables');
    tap.onWillReceiveMessage({
      type: 'request',
      seq: 6,
      command: 'evaluate',
      arguments: { frameId: 7, expression: 'ours' },
    });
    req(7, 'threads');
    expect(waiter.seq).toBe(6);
    expect(tap.waitingBehind(35)).toEqual({ command: 'variables', at: 40, seq: 5 });
    res(5);
    expect(tap.waitingBehind(35)).toBeUndefined();
    // The session ended: nothing is waited for.
    req(8, 'scopes');
    tap.onExit();
    expect(tap.waitingBehind(50)).toBeUndefined();
  });

  it("keeps the frames of the stop from every stackTrace answer, the editor's own included, until the program moves", () => {
    const tap = new SessionTap();
    const answer = (seq: number, threadId: number, frames: unknown[], success = true) => {
      tap.onWillReceiveMessage({ type: 'request', seq, command: 'stackTrace', arguments: { threadId } });
      tap.onDidSendMessage({
        type: 'response',
        request_seq: seq,
        command: 'stackTrace',
        success,
        body: { stackFrames: frames },
      });
    };
    answer(1, 3, [
      { id: 10, name: 'train_step', line: 42, source: { path: '/w/train.py' } },
      { id: 11, name: '<module>', line: 60, source: { path: '/w/train.py' } },
    ]);
    expect(tap.frame(10)).toEqual({ threadId: 3, name: 'train_step', line: 42, path: '/w/train.py' });
    expect(tap.frame(11)?.line).toBe(60);
    expect(tap.frame(12)).toBeUndefined();
    // A failed answer, or frames without an id or a line, describe nothing.
    answer(2, 3, [{ id: 12, name: 'x', line: 1 }], false);
    answer(3, 3, [
      { name: 'x', line: 1 },
      { id: 13, name: 'y' },
    ]);
    expect([tap.frame(12), tap.frame(13)]).toEqual([undefined, undefined]);
    // A step, a continue event, a new stop: the ids of this stop mean nothing any more.
    tap.onWillReceiveMessage({ type: 'request', seq: 4, command: 'next', arguments: { threadId: 3 } });
    expect(tap.frame(10)).toBeUndefined();
    answer(5, 3, [{ id: 10, name: 'train_step', line: 43 }]);
    expect(tap.frame(10)).toEqual({ threadId: 3, name: 'train_step', line: 43, path: undefined });
    tap.onDidSendMessage({ type: 'event', event: 'continued', body: { threadId: 3 } });
    expect(tap.frame(10)).toBeUndefined();
    answer(6, 3, [{ id: 10, name: 'train_step', line: 44 }]);
    tap.onDidSendMessage({ type: 'event', event: 'stopped', body: { threadId: 3 } });
    expect(tap.frame(10)).toBeUndefined();
  });
});
