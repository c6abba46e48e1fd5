// What the live suite and the live benches share: starting a Python program under the test-only
// debugpy adapter, waiting for VS Code to focus a paused frame, and reading an inspection's result.
import * as vscode from 'vscode';
import { computeLoss } from '../../src/core/kernel/index';
import type { LiveOutcome } from '../../src/live/types';
import { waitFor } from './helpers';

/** 1-based line of the first line of `text` containing `marker` (0 when none does). */
export const lineOf = (text: string, marker: string): number =>
  text.split('\n').findIndex((l) => l.includes(marker)) + 1;

export function ok(o: LiveOutcome): Extract<LiveOutcome, { kind: 'ok' }> {
  if (o.kind !== 'ok') throw new Error(`expected a result, got a pick for ${JSON.stringify(o.missing)}`);
  return o;
}

/** The kernel's loss for a read (computed here, in the test, not by the extension). */
export function lossOf(o: Extract<LiveOutcome, { kind: 'ok' }>): number {
  const r = computeLoss(o.request);
  if (!r.ok) throw new Error(r.error.message);
  return r.result.loss;
}

/**
 * The focused stack frame once a session is paused (VS Code focuses the top frame of a stop),
 * optionally of a given session type and other than `previous` (a frame of an earlier stop).
 */
export function pausedFrame(
  timeoutMs: number,
  sessionType?: RegExp,
  previous?: vscode.DebugStackFrame,
): Promise<vscode.DebugStackFrame> {
  return waitFor(
    'a paused stack frame',
    () => {
      const item = vscode.debug.activeStackItem;
      if (!item || !('frameId' in item)) return undefined;
      if (sessionType && !sessionType.test(item.session.type)) return undefined;
      if (previous && item.frameId === previous.frameId && item.threadId === previous.threadId) return undefined;
      return item;
    },
    timeoutMs,
  );
}

/**
 * Starts `program` under the test-only debugpy adapter with breakpoints on `lines` (1-based) and
 * resolves with the frame it pauses in; `events` (what the adapters said) goes into a timeout's message.
 */
export async function startPython(
  program: string,
  lines: number[],
  events: string[] = [],
): Promise<vscode.DebugStackFrame> {
  if (!vscode.extensions.getExtension('loss-inspector-tests.debugpy-adapter')) {
    throw new Error(
      'the test-only debugpy adapter extension is not loaded: run the suite with --extension test/fixtures/live/debugpy-adapter',
    );
  }
  vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
  const uri = vscode.Uri.file(program);
  vscode.debug.addBreakpoints(
    lines.map((l) => new vscode.SourceBreakpoint(new vscode.Location(uri, new vscode.Position(l - 1, 0)))),
  );
  let started: boolean | string = 'pending';
  void Promise.resolve(
    vscode.debug.startDebugging(undefined, {
      type: 'debugpy',
      request: 'launch',
      name: 'live test',
      program,
      console: 'internalConsole',
      justMyCode: true,
      python: '/usr/bin/python3',
    }),
  ).then(
    (v) => (started = v),
    (e: Error) => (started = e.message),
  );
  try {
    return await pausedFrame(120_000, /^debugpy$/);
  } catch (err) {
    const s = vscode.debug.activeDebugSession;
    throw new Error(
      `${(err as Error).message}; started ${String(started)}; active session ${s?.type}/${s?.name}, events ${JSON.stringify(events.slice(-16))}, ` +
        `item ${JSON.stringify(Object.keys(vscode.debug.activeStackItem ?? {}))}`,
    );
  }
}
