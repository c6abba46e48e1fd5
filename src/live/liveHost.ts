/**
 * The live bridge inside VS Code: the "Inspect Live Loss at Breakpoint" command, the "Inspect live
 * values" CodeLens on the paused frame's loss line, the pick of tensors for arguments that are
 * calls, and the session state the bridge checks every answer against.
 *
 * Contracts:
 * - Nothing is evaluated in the debuggee until the user runs the command or clicks the lens. The
 *   lens itself costs one `stackTrace` request per stop (no evaluation), to learn the paused line.
 * - The session state follows `vscode.debug.onDidChangeActiveStackItem`: a newly focused frame is a
 *   stop; focus on a thread without a frame, or no focus, means the program runs.
 * - The sessions the bridge reads get a tracker (`replyTap.ts`) that takes the answers to the
 *   bridge's own evaluate requests in the extension host, so they do not cross to the window and
 *   back (a 12.9 MB pull: seconds less in code-server). It sees other messages and leaves them be.
 * - A read whose stop is gone reports "The program moved on — inspect again." and shows nothing.
 */
import * as vscode from 'vscode';
import type { LossRequest, NdArray } from '../core/types';
import { Disposable } from '../util/disposable';
import type * as LiveParts from './index';
import type { LiveLanguage } from './lossCall';
import type { DebugSessionLike, LiveError, LiveFrame, SessionState } from './session';
import { liveErrorText } from './liveErrorText';
import { liveNoteText, progressText } from './liveNoteText';
import type { LiveMeta, LiveOutcome, TensorLocal } from './types';
import { ReplyTap } from './replyTap';
import { queuedProgress } from './liveWait';
import { transferArgs, type LiveTransferArgs } from './channel';
import { LiveTrace, tracedSession, type TraceMark } from './liveTrace';
import { inspectLiveCommand, liveLensSelector, pausedContextKey } from './liveIds';

let parts: typeof LiveParts | undefined;
/**
 * The bridge, the loss-call parser and the session state, loaded on the first debug focus or
 * command (a bundle of their own, dist/live.js): activation does not pay for loading them.
 */
export function live(): typeof LiveParts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (parts ??= require('./index') as typeof LiveParts);
}

export { inspectLiveCommand, liveLensSelector, pausedContextKey };

/** A successful read, handed to whoever shows it (the root object passes it to the panel). */
export interface LiveRead {
  request: LossRequest;
  meta: LiveMeta;
  /** `meta.notes` in the user's language (src/live/liveNoteText.ts). */
  notes: string[];
  /** The document the loss line is in, when there is one. */
  uri: string | undefined;
  /** Whether the program is still paused at the stop the values were read at. */
  isCurrent(): boolean;
  /** Over the budget: reads more rows of the input from the same stop (see {@link LiveOutcome}). */
  fetchRows?: ((positions: number[]) => Promise<{ input: NdArray; target: NdArray }>) | undefined;
  /**
   * A progressive read: the same object on the first paint and on the full read that replaces it;
   * the host updates its state as the full pull goes, and whoever shows the read says so.
   */
  stream?: LiveStream | undefined;
}

/**
 * Where the full pull of a progressive read stands: still streaming, done (the full read replaced
 * the first paint), cancelled by the user, stopped because the program moved on, or failed.
 */
export interface LiveStream {
  state: 'streaming' | 'done' | 'cancelled' | 'stale' | 'failed';
  /**
   * `pull`: the first paint's batch loss is known and every row is being read; `reduce`: over the
   * budget, the rows looked at are shown and the batch's loss is being computed in the program.
   */
  kind: 'pull' | 'reduce';
  /** Rows (positions) of the whole batch. */
  positions: number;
  /** Why it failed, when it did. */
  message: string | null;
  /** Stops the full pull between chunks (the panel's stop button; the notification's cancel does the same). */
  cancel(): void;
}

/** What the command answers (for a caller such as a test): the read's frame, or why there is none. */
export type LiveCommandResult =
  | {
      ok: true;
      frame: string;
      line: number;
      input: string;
      target: string;
      /** Whether the session's tracker took answers of this read (see `replyTap.ts`). */
      tapped: boolean;
      /** Milliseconds the read took, before it was handed to the panel. */
      readMs: number;
      /** When each phase of this command happened (`performance.now()`; see `liveTrace.ts`). */
      trace: TraceMark[];
    }
  | {
      ok: false;
      code: string;
      /** The error's English (its log line). */
      message: string;
      /** What the person was shown: the error in the display language (liveErrorText.ts). */
      text: string;
    };

/** Arguments of the command when the lens (or a caller) names the loss line. */
export interface LiveCommandArgs {
  uri: string;
  /** 0-based line of the loss call. */
  line: number;
  /**
   * How the read moves its bytes, for the benches' interleaved comparisons (bench:live:vscode);
   * the lens never sets it. Values outside their range are ignored.
   */
  transfer?: LiveTransferArgs | undefined;
}

/** What the kernel says of a read, for the hover (the root object asks the worker). */
export interface LiveExplanation {
  /** The reduced loss, or null when the kernel refused the request (`error` says why). */
  loss: number | null;
  /** The sample with the highest loss, among those not ignored; null when there is none. */
  worst: { sample: number; loss: number; target: number | null; pTarget: number } | null;
  /** Samples in the request (N·S). */
  count: number;
  error: string | null;
}

export interface LiveHostOptions {
  show(read: LiveRead): Promise<void>;
  /** Computes a read's loss and its worst sample in the worker (never on the host). */
  explain(request: LossRequest): Promise<LiveExplanation>;
  /** The program moved or stopped again: anything showing an older read should say so. */
  moved(): void;
  /**
   * A read starts: whatever will show it may open now, while the program is read, rather than
   * after (the panel's first opening, or bringing it back over the Run and Debug view, took
   * 0.5–1.5 s in code-server).
   */
  opening?(): void;
  /**
   * Over the budget: the row (position) the panel shows of the same loss call (`uri`, 0-based
   * `line`), if it shows one; a new read paints that row first.
   */
  lookingAt?(uri: string | undefined, line: number): number | undefined;
  log: { info(message: string): void; warn(message: string): void };
}

type Focus = vscode.DebugThread | vscode.DebugStackFrame;

/**
 * With the tracker taking debugpy's replies, a (64, 1000) float32 read (256 KB) took 96-137 ms in
 * one reply, against a first paint after 156-188 ms and the full read after 292-492 ms
 * (code-server, load 10-16): a Python read that fits the first reply (256 KiB inline) comes whole,
 * without a first paint. Not so for js-debug, whose adapter runs inside the extension host and
 * takes the program's answer over the inspector protocol first: the same 256 KB (a 342 KB reply)
 * spent 0.5-1.0 s between reaching the adapter and leaving it (code-server, load 10-15), where a
 * small reply took one round trip. A JavaScript read keeps the default threshold (64 KiB): over it,
 * the first paint comes from one small reply.
 */
const tappedFirstPaintAbove = 256 << 10;

/** The paused frame a hover may read from, with its session and the state its answers are checked against. */
export interface FocusedRead {
  session: vscode.DebugSession;
  /** What the bridge reads the session through (the tapped reader when a tracker is attached). */
  reader: DebugSessionLike;
  state: SessionState;
  frame: LiveFrame;
  language: LiveLanguage;
}

export class LiveInspector extends Disposable implements vscode.CodeLensProvider {
  /** Session state per session id; the bridge checks every answer against its epoch. */
  private readonly states = new Map<string, SessionState>();
  private focused: Focus | undefined;
  /** The focused frame as the adapter describes it, resolved once per stop (for the lens). */
  private frameCache: { state: SessionState; epoch: number; frame: Promise<LiveFrame | undefined> } | undefined;
  /** The user's picks for arguments that are calls, per document and loss line. */
  private readonly choices = new Map<string, { input?: string; target?: string }>();
  private readonly lensesChanged = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  /**
   * Trackers on the sessions the bridge reads (a session started before activation has none). Read
   * by ./liveLoader.ts for the session whose start loaded this host.
   */
  readonly tap = new ReplyTap((type) => live().sessionLanguage(type) !== null);
  /** The trace of the command running now, if any: its requests are marked on it. */
  private trace: LiveTrace | undefined;
  /** One traced reader per reader (the Python reader keeps "helper installed" per reader object). */
  private readonly traced = new WeakMap<DebugSessionLike, DebugSessionLike>();

  constructor(private readonly o: LiveHostOptions) {
    super();
    this.register(vscode.debug.registerDebugAdapterTrackerFactory('*', this.tap));
    this.register(vscode.debug.onDidChangeActiveStackItem((item) => this.onFocus(item)));
    this.register(
      vscode.debug.onDidTerminateDebugSession((session) => {
        this.tap.ended(session);
        this.states.get(session.id)?.ended();
        this.states.delete(session.id);
        this.o.moved();
        this.lensesChanged.fire();
      }),
    );
    this.register(vscode.commands.registerCommand(inspectLiveCommand, (args?: LiveCommandArgs) => this.inspect(args)));
    this.onFocus(vscode.debug.activeStackItem);
  }

  private stateOf(session: vscode.DebugSession): SessionState {
    let state = this.states.get(session.id);
    if (!state) this.states.set(session.id, (state = new (live().SessionState)()));
    return state;
  }

  private onFocus(item: Focus | undefined): void {
    const previous = this.focused;
    this.focused = item;
    // Every focus event counts: VS Code fires it only when the focus changes, and an adapter may
    // give the frame of a new stop the id the previous stop's frame had (a stop at the next line
    // of the same function), so equal ids do not prove the same stop.
    if (item && 'frameId' in item) this.stateOf(item.session).stopped(item.threadId);
    else if (previous) this.stateOf(previous.session).continued();
    const paused = !!item && 'frameId' in item && live().sessionLanguage(item.session.type) !== null;
    void vscode.commands.executeCommand('setContext', pausedContextKey, paused);
    this.o.moved();
    this.lensesChanged.fire();
  }

  /**
   * The focused frame of a supported session with what a read needs (for the hover), resolved
   * once per stop; undefined while nothing of a supported session is paused.
   */
  async focusedRead(): Promise<FocusedRead | undefined> {
    const item = this.focused;
    if (!item || !('frameId' in item)) return undefined;
    const language = live().sessionLanguage(item.session.type);
    const frame = await this.focusedFrame();
    if (!language || !frame || this.focused !== item) return undefined;
    const reader = this.reader(item.session);
    return { session: item.session, reader, state: this.stateOf(item.session), frame, language };
  }

  /** The transfer budget in bytes (the setting `lossInspector.live.budgetMiB`). */
  budgetBytes(): number {
    const budget = vscode.workspace.getConfiguration('lossInspector').get<number>('live.budgetMiB');
    return typeof budget === 'number' && Number.isFinite(budget) && budget > 0
      ? budget * 2 ** 20
      : live().defaultBudgetBytes;
  }

  /** Computes a read in the worker (see {@link LiveHostOptions.explain}). */
  explain(request: LossRequest): Promise<LiveExplanation> {
    return this.o.explain(request);
  }

  /**
   * The focused frame of a supported session, resolved once per stop: from the editor's own
   * `stackTrace` answer when the tap saw it, else with one `stackTrace` of ours.
   */
  private focusedFrame(): Promise<LiveFrame | undefined> {
    const item = this.focused;
    if (!item || !('frameId' in item) || !live().sessionLanguage(item.session.type)) return Promise.resolve(undefined);
    const state = this.stateOf(item.session);
    if (this.frameCache?.state !== state || this.frameCache.epoch !== state.epoch) {
      // The editor's own stackTrace answer of this stop describes it already: no request of ours.
      const known = this.tap.tapOf(item.session)?.frame(item.frameId);
      const frame = (
        known?.threadId === item.threadId && state.paused
          ? Promise.resolve({ ...known, frameId: item.frameId, epoch: state.epoch })
          : live().resolveFrame(item.session, state, { threadId: item.threadId, frameId: item.frameId })
      ).then(
        (f) => f,
        () => undefined,
      );
      this.frameCache = { state, epoch: state.epoch, frame };
    }
    return this.frameCache.frame;
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const item = this.focused;
    const language = item ? live().sessionLanguage(item.session.type) : null;
    if (!language) return [];
    const frame = await this.focusedFrame();
    if (token.isCancellationRequested || !frame?.path || !samePath(frame.path, document.uri)) return [];
    const call = live().findLossCallNear(document.getText(), frame.line - 1, language);
    if (!call) return [];
    const args: LiveCommandArgs = { uri: document.uri.toString(), line: call.line };
    const range = new vscode.Range(call.line, 0, call.line, 0);
    return [
      new vscode.CodeLens(range, {
        title: vscode.l10n.t('Inspect live values'),
        tooltip: vscode.l10n.t('Read this loss call’s tensors from the paused program and explain its loss'),
        command: inspectLiveCommand,
        arguments: [args],
      }),
    ];
  }

  /** The command: read the loss line's tensors from the focused frame and show them. */
  async inspect(args?: LiveCommandArgs): Promise<LiveCommandResult> {
    const trace = new LiveTrace();
    trace.mark('command');
    this.trace = trace;
    try {
      return await this.inspectOnce(args, trace);
    } catch (err) {
      const e =
        err instanceof live().LiveError
          ? (err as LiveError)
          : new (live().LiveError)('evaluation_failed', err instanceof Error ? err.message : String(err));
      if (e.code !== 'cancelled') this.report(e, args);
      return { ok: false, code: e.code, message: e.message, text: liveErrorText(e, vscode.l10n) };
    } finally {
      if (this.trace === trace) this.trace = undefined;
    }
  }

  /**
   * The bridge's reader of `session`, marked on the running command's trace. Each read passes its
   * own cancel token to the bridge (a request in flight ends at its cancel), so cancelling the
   * command ends the command's requests and no one else's (a hover's read of the same stop).
   */
  private reader(session: vscode.DebugSession): DebugSessionLike {
    const r = this.tap.reader(session);
    let t = this.traced.get(r);
    if (!t) this.traced.set(r, (t = tracedSession(r, () => this.trace)));
    return t;
  }

  private report(e: LiveError, args: LiveCommandArgs | undefined): void {
    this.o.log.warn(`live: ${e.code}: ${e.message}`);
    if (e.code === 'stale_frame') {
      const again = vscode.l10n.t('Inspect again');
      void vscode.window
        .showWarningMessage(
          vscode.l10n.t('Loss Inspector: {0}', vscode.l10n.t('The program moved on — inspect again.')),
          again,
        )
        .then((choice) => (choice === again ? this.inspect(args) : undefined));
      return;
    }
    void vscode.window.showWarningMessage(vscode.l10n.t('Loss Inspector: {0}', liveErrorText(e, vscode.l10n)));
  }

  /**
   * A read that may have painted first: once it ends, its stream says how (done, cancelled, the
   * program moved on, failed) and the panel showing the first paint hears of it. The full outcome
   * carries the stream, so the panel replaces the first paint with it in place.
   */
  private async streamed(
    reading: Promise<LiveOutcome>,
    current: () => [LiveStream | undefined, Promise<void> | undefined],
  ): Promise<LiveOutcome & { stream?: LiveStream | undefined }> {
    try {
      const outcome = await reading;
      const [stream, shown] = current();
      if (!stream || outcome.kind !== 'ok') return outcome;
      await shown;
      stream.state = 'done';
      return { ...outcome, stream };
    } catch (err) {
      const [stream, shown] = current();
      if (stream) {
        await shown;
        const code = err instanceof live().LiveError ? (err as LiveError).code : null;
        stream.state = code === 'cancelled' ? 'cancelled' : code === 'stale_frame' ? 'stale' : 'failed';
        stream.message =
          err instanceof live().LiveError
            ? liveErrorText(err as LiveError, vscode.l10n)
            : err instanceof Error
              ? err.message
              : String(err);
        this.o.moved();
      }
      throw err;
    }
  }

  private async inspectOnce(args: LiveCommandArgs | undefined, trace: LiveTrace): Promise<LiveCommandResult> {
    if (!vscode.workspace.isTrusted) {
      throw new (live().LiveError)(
        'untrusted',
        vscode.l10n.t('Live inspection reads values from the paused program, so it runs only in a trusted workspace.'),
      );
    }
    const item = this.focused ?? vscode.debug.activeStackItem;
    if (!item || !('frameId' in item)) {
      throw new (live().LiveError)('not_paused', vscode.l10n.t('The program is not paused at a breakpoint.'));
    }
    const session = item.session;
    const language = live().sessionLanguage(session.type);
    if (!language) {
      throw new (live().LiveError)(
        'unsupported_session',
        vscode.l10n.t(
          'Live inspection reads Python (debugpy) and JavaScript (js-debug) sessions, not "{0}".',
          session.type,
        ),
      );
    }
    const state = this.stateOf(session);
    if (!state.paused) state.stopped(item.threadId);
    this.o.opening?.();
    const tap = this.tap.tapOf(session);
    const title = () => vscode.l10n.t('Loss Inspector: reading live values');
    const mark = (phase: string) => trace.mark(phase);
    const cancelledError = () => new (live().LiveError)('cancelled', 'Cancelled.');
    const queued = <T>(work: () => Promise<T>) =>
      queuedProgress(title(), tap, mark, [], cancelledError, (_, abort) => Promise.race([work(), abort]));
    // The source: the line the lens (or caller) names, else the paused line of the frame's file.
    let document: vscode.TextDocument | undefined;
    let line: number;
    let near: boolean;
    // The focused frame, resolved once per stop (the lens resolved it already): the read reuses it.
    let frame: LiveFrame | undefined;
    if (args) {
      document = await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri));
      line = args.line;
      near = false;
      trace.mark('document');
      // Queued behind the editor's requests after a stop (the lens resolved it already otherwise).
      if (this.focused === item) frame = await queued(() => this.focusedFrame());
      trace.mark('frame');
    } else {
      frame = await queued(
        async () =>
          (this.focused === item ? await this.focusedFrame() : undefined) ??
          live().resolveFrame(session, state, { threadId: item.threadId, frameId: item.frameId }),
      );
      document = frame.path ? await openFramePath(frame.path) : undefined;
      line = frame.line - 1;
      near = true;
    }
    const text = document?.getText();
    const call =
      text === undefined ? null : (near ? live().findLossCallNear : live().findLossCall)(text, line, language);
    const choiceKey = `${document?.uri.toString() ?? session.id}:${call?.line ?? line}`;
    const budgetBytes = this.budgetBytes();
    const uri = document?.uri.toString();
    const takenBefore = tap?.taken ?? 0;
    const looked = call ? this.o.lookingAt?.(uri, call.line) : undefined;
    const lookAt = looked === undefined ? undefined : [looked];
    // A read paints first from one small reply when its tensors are big (see docs/live-tensors.md).
    let stream: LiveStream | undefined;
    const stop = new vscode.CancellationTokenSource();
    let firstShown: Promise<void> | undefined;
    const onFirstPaint = (first: Extract<LiveOutcome, { kind: 'ok' }>) => {
      trace.mark('first paint read');
      const epoch = state.epoch;
      const p = first.meta.progressive?.phase === 'first' ? first.meta.progressive : null;
      const kind = p?.reducing ? 'reduce' : 'pull';
      stream = { state: 'streaming', kind, positions: p?.positions ?? 0, message: null, cancel: () => stop.cancel() };
      firstShown = this.o
        .show({
          request: first.request,
          meta: first.meta,
          notes: first.meta.notes.map((n) => liveNoteText(n, vscode.l10n)),
          uri,
          isCurrent: () => this.states.get(session.id) === state && state.epoch === epoch && state.paused,
          fetchRows: first.fetchRows,
          stream,
        })
        .then(() => trace.mark('first paint shown'))
        .catch((err: unknown) => this.o.log.warn(`live: first paint: ${String(err)}`));
      return firstShown;
    };
    const read = (choice: { input?: string; target?: string } | undefined) =>
      queuedProgress(title(), tap, mark, [stop.token], cancelledError, (report, _abort, token) => {
        trace.mark('progress');
        // The read's own cancel: the notification's or the panel's stop button.
        const cancel = new vscode.CancellationTokenSource();
        const subs = [token, stop.token].map((t) => t.onCancellationRequested(() => cancel.cancel()));
        if (token.isCancellationRequested || stop.token.isCancellationRequested) cancel.cancel();
        return live()
          .inspectLive({
            session: this.reader(session),
            // debugpy's replies taken by the tracker are cheap: what fits one reply comes whole, no
            // first paint. js-debug's big replies are not (see tappedFirstPaintAbove).
            ...(tap && language === 'python' ? { firstPaintAboveBytes: tappedFirstPaintAbove } : {}),
            state,
            focus: { threadId: item.threadId, frameId: item.frameId },
            frame,
            source: text === undefined ? undefined : { text, line, path: document?.uri.fsPath },
            near,
            choice,
            trusted: vscode.workspace.isTrusted,
            budgetBytes,
            lookAt,
            onFirstPaint,
            ...transferArgs(args?.transfer),
            token: cancel.token,
            progress: (p) => {
              const percent = p.total > 0 ? (100 * p.done) / p.total : 0;
              report({ message: progressText(p, vscode.l10n), percent });
              trace.mark(`progress ${percent.toFixed(0)}%`);
            },
          })
          .finally(() => {
            for (const sub of subs) sub.dispose();
            cancel.dispose();
          });
      });
    let outcome: LiveOutcome & { stream?: LiveStream | undefined };
    try {
      outcome = await this.streamed(Promise.resolve(read(this.choices.get(choiceKey))), () => [stream, firstShown]);
    } finally {
      stream = undefined;
      firstShown = undefined;
    }
    if (outcome.kind === 'choose') {
      const choice = { ...(this.choices.get(choiceKey) ?? {}) };
      for (const m of outcome.missing) {
        const picked = await pickTensor(m.role, m.text, outcome.candidates);
        if (picked === undefined) throw new (live().LiveError)('cancelled', 'cancelled');
        choice[m.role] = picked;
      }
      this.choices.set(choiceKey, choice);
      outcome = await this.streamed(Promise.resolve(read(choice)), () => [stream, firstShown]);
      if (outcome.kind === 'choose') {
        throw new (live().LiveError)(
          'not_plain',
          vscode.l10n.t('The picked values could not be read without running code.'),
        );
      }
    }
    trace.mark('read');
    const epoch = state.epoch;
    const { request, meta } = outcome;
    this.o.log.info(
      `live: ${meta.input.expression}, ${meta.target.expression} at ${meta.frame.name}:${meta.frame.line}, ` +
        `${meta.bytes} bytes in ${meta.requests} requests, ${meta.elapsedMs} ms`,
    );
    await this.o.show({
      request,
      meta,
      notes: meta.notes.map((n) => liveNoteText(n, vscode.l10n)),
      uri,
      isCurrent: () => this.states.get(session.id) === state && state.epoch === epoch && state.paused,
      fetchRows: outcome.fetchRows,
      stream: outcome.stream,
    });
    trace.mark('shown');
    return {
      ok: true,
      frame: meta.frame.name,
      line: meta.frame.line,
      input: meta.input.expression,
      target: meta.target.expression,
      tapped: (tap?.taken ?? 0) > takenBefore,
      readMs: meta.elapsedMs,
      trace: trace.marks,
    };
  }
}

/** The frame's source as a document: a file path from a local adapter, a URI from a remote one. */
function openFramePath(p: string): Thenable<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(/^[a-z][\w+.-]*:\/\//i.test(p) ? vscode.Uri.parse(p) : vscode.Uri.file(p));
}

function samePath(framePath: string, uri: vscode.Uri): boolean {
  const { filePath } = live();
  return filePath(framePath) === filePath(uri.scheme === 'file' ? uri.fsPath : uri.toString());
}

/** Offers the frame's tensors for an argument that is a call; resolves the picked expression. */
async function pickTensor(
  role: 'input' | 'target',
  written: string,
  candidates: TensorLocal[],
): Promise<string | undefined> {
  if (candidates.length === 0) {
    throw new (live().LiveError)(
      'not_plain',
      vscode.l10n.t('"{0}" is a call, which is never evaluated, and the frame holds no tensors to pick from.', written),
    );
  }
  const items = candidates.map((c) => ({
    label: c.expression,
    // Shapes as Python writes tuples: (8,) for one dimension.
    description: `${c.kind} (${c.shape.join(', ')}${c.shape.length === 1 ? ',' : ''}) ${c.dtype} ${c.device}`,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title:
      role === 'input'
        ? vscode.l10n.t('Which tensor is the input of {0}?', written)
        : vscode.l10n.t('Which tensor is the target of {0}?', written),
    placeHolder: vscode.l10n.t('A call is never evaluated (it could run a forward pass): pick the value it returned'),
    // A paused debugger moves focus on its own (the Variables view refreshing, the editor revealing
    // the stopped line): the question the user asked for stays until answered or dismissed.
    ignoreFocusOut: true,
  });
  return picked?.label;
}
