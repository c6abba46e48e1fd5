/**
 * A read queued behind the editor's own requests. debugpy's adapter forwards one request at a time
 * and waits for its answer before it forwards the next, so after a stop the first click waits for
 * whatever VS Code asked first: the Variables view's `variables`, for which pydevd formats every
 * local with `repr` (torch 1.13 widens a whole bfloat16 tensor to format it: 10–34 s for 823 MB
 * here). Nothing the bridge sends can overtake it on the session's connection (see
 * docs/live-tensors.md). So the read says what it waits for, and a cancel ends it at once instead
 * of when the queued answers finally come (the bridge races every request with the read's token).
 */
import * as vscode from 'vscode';
import { withDeferredProgress, type ProgressStep } from './liveProgress';
import type { SessionTap } from './replyTap';

/** How long a request must have been waited for before the progress names it. */
export const queuedAfterMs = 1000;

/** A request of the editor's, in the words of the view that sent it. */
function viewOf(command: string): string {
  switch (command) {
    case 'variables':
    case 'scopes':
      return vscode.l10n.t('the Variables view');
    case 'evaluate':
      return vscode.l10n.t('a hover, watch or Debug Console expression');
    case 'stackTrace':
      return vscode.l10n.t('the Call Stack view');
    default:
      return vscode.l10n.t('the editor');
  }
}

/** The progress message while a read waits behind `command`, sent `seconds` ago. */
export function queuedMessage(command: string, seconds: number): string {
  return vscode.l10n.t(
    'waiting for the debugger: it answers one request at a time and is still answering {0} ({1}, {2} s). Cancel stops waiting.',
    viewOf(command),
    command,
    seconds.toFixed(0),
  );
}

/**
 * Watches a read that starts now: every `everyMs`, while `tap` shows a request sent before it
 * still unanswered for over {@link queuedAfterMs}, calls `waiting` with it. Returns the stop.
 */
export function watchQueue(
  tap: SessionTap | undefined,
  waiting: (command: string, seconds: number, seq: number) => void,
  everyMs = 500,
): () => void {
  if (!tap) return () => undefined;
  const since = performance.now();
  const timer = setInterval(() => {
    const w = tap.waitingBehind(since);
    const now = performance.now();
    if (w && now - w.at > queuedAfterMs) waiting(w.command, (now - w.at) / 1000, w.seq);
  }, everyMs);
  return () => clearInterval(timer);
}

/** A promise that rejects with `error()` when any of `tokens` is cancelled (already, or later). */
export function cancelled(tokens: vscode.CancellationToken[], error: () => Error): Promise<never> {
  const p = new Promise<never>((_, reject) => {
    for (const t of tokens) {
      if (t.isCancellationRequested) reject(error());
      t.onCancellationRequested(() => reject(error()));
    }
  });
  p.catch(() => undefined);
  return p;
}

/**
 * {@link withDeferredProgress} for a step of a live read that may queue behind the editor's own
 * requests: while it does, the progress names what it waits for (and `mark` notes it once per
 * request); `work` gets an `abort` that rejects with `error()` as soon as the notification's
 * cancel or one of `tokens` is cancelled.
 */
export function queuedProgress<T>(
  title: string,
  tap: SessionTap | undefined,
  mark: (phase: string) => void,
  tokens: vscode.CancellationToken[],
  error: () => Error,
  work: (report: (step: ProgressStep) => void, abort: Promise<never>, token: vscode.CancellationToken) => Promise<T>,
): Promise<T> {
  return withDeferredProgress(title, (report, token) => {
    const abort = cancelled([token, ...tokens], error);
    let percent = 0;
    let marked = -1;
    const unwatch = watchQueue(tap, (command, seconds, seq) => {
      report({ message: queuedMessage(command, seconds), percent });
      if (marked !== seq) mark(`waiting behind the editor's ${command} (seq ${(marked = seq)})`);
    });
    const step = (s: ProgressStep) => {
      percent = s.percent;
      report(s);
    };
    return work(step, abort, token).finally(unwatch);
  });
}
