/**
 * The live bridge's entry point: from "the user asked to inspect this loss line while paused" to a
 * kernel request with its provenance, or to a list of tensors to pick from.
 *
 * Security contract: the only things evaluated in the debuggee are the helper (our own code), and
 * the plain expressions of the loss call on the line the user acted on or of the user's own pick —
 * walked structurally by the helpers, never `eval`ed as text. Nothing runs in an untrusted
 * workspace: the host passes `trusted`, and the bridge refuses without it.
 */
import {
  findLossCall,
  findLossCallNear,
  parsePlainExpression,
  type LiveLanguage,
  type LossCall,
  type PlainExpr,
} from './lossCall';
import { readJavaScript, readJavaScriptRows, javascriptTensorLocals, type JsPlan } from './javascript';
import type { ReadOptions } from './channel';
import { pythonTensorLocals, readPython, readPythonRows, type PythonPlan } from './python';
import type { LossRequest } from '../core/types';
import {
  LiveError,
  resolveFrame,
  staleFrameError,
  type DebugSessionLike,
  type FocusedFrame,
  type LiveFrame,
  type LiveNote,
  type SessionState,
} from './session';
import type { LiveMeta, LiveOutcome } from './types';

/** Debug types whose adapter is debugpy (the Python extension's `debugpy`, and the older `python`). */
export const pythonSessionTypes: readonly string[] = ['debugpy', 'python'];
/** Debug types served by VS Code's built-in JavaScript debugger (js-debug). */
export const javascriptSessionTypes: readonly string[] = [
  'pwa-node',
  'node',
  'node-terminal',
  'pwa-chrome',
  'chrome',
  'pwa-msedge',
  'msedge',
  'pwa-extensionHost',
  'extensionHost',
];

export function sessionLanguage(type: string): LiveLanguage | null {
  if (pythonSessionTypes.includes(type)) return 'python';
  if (javascriptSessionTypes.includes(type)) return 'javascript';
  return null;
}

/** The document the user acted on. */
export interface LiveSource {
  text: string;
  /** 0-based line of the loss call (the CodeLens line, the hovered line, or the cursor's). */
  line: number;
  /** The document's file path, compared with the frame's to tell whether the loss line already ran. */
  path?: string | undefined;
}

export interface InspectLiveOptions extends ReadOptions {
  /** Rows a progressive read's first paint carries (default 1). */
  firstRows?: number | undefined;
  /** A progressive read paints first only above this many bytes (see `ProgressiveOptions`). */
  firstPaintAboveBytes?: number | undefined;
  session: DebugSessionLike;
  state: SessionState;
  /** The focused frame (`vscode.debug.activeStackItem`); default: top frame of the stopped thread. */
  focus?: FocusedFrame | undefined;
  /** That frame already resolved by the caller: used while its stop is current, saving a `stackTrace`. */
  frame?: LiveFrame | undefined;
  source?: LiveSource | undefined;
  /** Look for the loss call within a few lines of `source.line` instead of on it exactly. */
  near?: boolean | undefined;
  /** Expressions the user picked for arguments that are not plain (e.g. `criterion(model(x), y)`). */
  choice?: { input?: string | undefined; target?: string | undefined } | undefined;
  /** Whether the workspace is trusted. Required: live inspection evaluates in the user's program. */
  trusted: boolean;
  /**
   * A progressive read: called with a first outcome built from one small reply — the per-row
   * losses and batch loss computed in the program (by torch in Python, by the in-program function
   * in JavaScript), and the rows with the highest loss — while the full
   * pull streams on; its `meta.progressive.phase` is `'first'`. The returned promise is the full
   * read (`phase: 'full'`), or rejects (cancelled, the program moved on) after the first paint.
   * A promise it returns holds the pull back until the first paint is on show (for a while).
   * Reads that fit one small reply, and probability targets, never call it.
   */
  onFirstPaint?: ((first: LiveOk) => unknown) | undefined;
}

type LiveOk = Extract<LiveOutcome, { kind: 'ok' }>;

export async function inspectLive(o: InspectLiveOptions): Promise<LiveOutcome> {
  const started = Date.now();
  if (!o.trusted) {
    throw new LiveError(
      'untrusted',
      'Live inspection reads values from the paused program, so it runs only in a trusted workspace.',
      { id: 'untrusted' },
    );
  }
  const language = sessionLanguage(o.session.type);
  if (!language) {
    throw new LiveError(
      'unsupported_session',
      `Live inspection reads Python (debugpy) and JavaScript (js-debug) sessions, not "${o.session.type}".`,
      { id: 'unsupported_session', type: o.session.type },
    );
  }
  const known = o.frame;
  const frame =
    known && known.epoch === o.state.epoch && o.state.paused && (!o.focus || o.focus.frameId === known.frameId)
      ? known
      : await resolveFrame(o.session, o.state, o.focus, o.token);
  const call = o.source ? (o.near ? findLossCallNear : findLossCall)(o.source.text, o.source.line, language) : null;
  const input = pick('input', o.choice?.input, call?.input, language);
  const target = pick('target', o.choice?.target, call?.target, language);
  if (!input.expr || !target.expr) {
    const candidates =
      language === 'python'
        ? await pythonTensorLocals(o.session, o.state, frame, o.token)
        : await javascriptTensorLocals(o.session, o.state, frame);
    const missing: { role: 'input' | 'target'; text: string }[] = [];
    if (!input.expr) missing.push({ role: 'input', text: input.text });
    if (!target.expr) missing.push({ role: 'target', text: target.text });
    return { kind: 'choose', missing, candidates, call, frame: { name: frame.name, line: frame.line } };
  }
  const ran = call ? lineAlreadyRan(call, frame, o.source) : false;
  const notes: LiveNote[] = [];
  if (call && !ran && sameFile(frame, o.source) && frame.line - 1 < call.line) {
    notes.push({ id: 'paused_before', frameLine: frame.line, callLine: call.line + 1 });
  }
  const programLoss = call && ran ? call.assignedTo : null;
  type Read = Omit<LiveMeta, 'elapsedMs' | 'frame' | 'language' | 'sessionType' | 'call'> & {
    criterion: string;
    request: LossRequest;
  };
  const outcome = (r: Read, fetchRows: LiveOk['fetchRows'], progressive: LiveMeta['progressive']): LiveOk => {
    const { criterion, request, ...metaOnly } = r;
    return {
      kind: 'ok',
      request,
      fetchRows,
      meta: {
        ...metaOnly,
        notes: [...notes, ...r.notes],
        language,
        sessionType: o.session.type,
        frame: { name: frame.name, line: frame.line, path: frame.path },
        call: call ? { calleeText: call.calleeText, line: call.line, criterion } : null,
        elapsedMs: Date.now() - started,
        ...(progressive ? { progressive } : {}),
      },
    };
  };
  let read: Read;
  let fetchRows: LiveOk['fetchRows'];
  let firstMs: number | null = null;
  /** The reader's first paint, as an outcome for `o.onFirstPaint`, with the rows of its stop. */
  const firstPaint = <R extends Read>(rowsOf: (first: R) => LiveOk['fetchRows']) => {
    const { onFirstPaint } = o;
    if (!onFirstPaint) return undefined;
    return (first: R) => {
      firstMs = Date.now() - started;
      if (o.state.epoch !== frame.epoch) throw staleFrameError();
      return onFirstPaint(
        outcome(first, rowsOf(first), {
          phase: 'first',
          positions: first.reduced?.positions ?? 0,
          ...(first.reduced?.pending ? { reducing: true } : {}),
        }),
      );
    };
  };
  if (language === 'python') {
    const plan: PythonPlan = {
      callee: call?.callee ?? null,
      construct: call?.construct?.expr ?? null,
      input: input.expr,
      target: target.expr,
      keywords: call ? call.keywords : {},
      programLoss,
    };
    const { session, state } = o;
    const rowsOfStop = (positions: number[]) =>
      readPythonRows(session, state, frame, plan, positions, { chunkBytes: o.chunkBytes, inFlight: o.inFlight });
    const r = await readPython(session, state, frame, plan, { ...o, onFirstPaint: firstPaint(() => rowsOfStop) });
    if (r.reduced) fetchRows = rowsOfStop;
    read = r;
  } else {
    const plan: JsPlan = {
      input: input.expr,
      target: target.expr,
      flavor: call?.flavor ?? 'inputFirst',
      keywords: call ? call.keywords : {},
      programLoss,
    };
    const { session, state } = o;
    read = await readJavaScript(session, state, frame, plan, {
      ...o,
      // The row field of the first paint reads other rows of the same stop.
      onFirstPaint: firstPaint((first) => {
        const shape = [first.reduced?.positions ?? 0, first.request.input.shape[1] ?? 0];
        return (positions: number[]) => readJavaScriptRows(session, state, frame, plan, shape, positions);
      }),
    });
  }
  if (o.state.epoch !== frame.epoch) throw staleFrameError();
  return outcome(read, fetchRows, firstMs === null ? undefined : { phase: 'full', firstPaintMs: firstMs });
}

function pick(
  role: 'input' | 'target',
  chosen: string | undefined,
  arg: LossCall['input'] | undefined,
  language: LiveLanguage,
): { expr: PlainExpr | null; text: string } {
  if (chosen !== undefined) {
    const e = parsePlainExpression(chosen, language);
    if (!e) {
      throw new LiveError(
        'not_plain',
        `"${chosen}" is not a plain name, attribute or subscript, so it is not evaluated for the ${role}.`,
        { id: 'not_plain_pick', text: chosen, role },
      );
    }
    return { expr: e, text: chosen };
  }
  if (arg?.kind === 'plain') return { expr: arg.expr, text: arg.text };
  return { expr: null, text: arg?.text ?? '' };
}

function sameFile(frame: LiveFrame, source: LiveSource | undefined): boolean {
  if (!source?.path || !frame.path) return true;
  return filePath(source.path) === filePath(frame.path);
}

/**
 * A comparable form of a path or URI: VS Code hands frames of remote sessions to the extension
 * with URI paths (`vscode-remote://host/work/train.py`), the adapter itself gives file paths.
 */
export function filePath(p: string): string {
  let s = p;
  const [, uriPath] = /^[a-z][\w+.-]*:\/\/[^/]*(\/.*)$/i.exec(s) ?? [];
  if (uriPath !== undefined) {
    try {
      s = decodeURIComponent(uriPath);
    } catch {
      s = uriPath;
    }
    if (/^\/[a-z]:\//i.test(s)) s = s.slice(1);
  }
  return s.replace(/\\/g, '/').toLowerCase();
}

/** The loss statement executed in this pass: the frame is in the same file, past its last line. */
function lineAlreadyRan(call: LossCall, frame: LiveFrame, source: LiveSource | undefined): boolean {
  return sameFile(frame, source) && frame.line - 1 > call.endLine;
}
