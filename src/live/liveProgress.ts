/**
 * The live command's progress notification, drawn only when a read is still running after a
 * moment. Every DAP request and answer of a read crosses the window's renderer (the adapter is
 * reached through it), and drawing a notification there at the same moment delayed a read of one
 * 256 KB reply by about as much as the reply itself took (see docs/live-tensors.md); a read that
 * ends sooner needs no notification. Cancelling the notification cancels the read, as before.
 */
import * as vscode from 'vscode';

/** What a read reports: how far it is (0–100) and what it is doing. */
export interface ProgressStep {
  percent: number;
  message?: string | undefined;
}

/** How long a read runs before its notification appears. */
export const progressDelayMs = 400;

/**
 * Runs `work` at once; a cancellable notification titled `title` appears if it is still running
 * after `delayMs`, showing the latest step reported so far and every later one.
 */
export function withDeferredProgress<T>(
  title: string,
  work: (report: (step: ProgressStep) => void, token: vscode.CancellationToken) => Promise<T>,
  delayMs = progressDelayMs,
): Promise<T> {
  const cancel = new vscode.CancellationTokenSource();
  let latest: ProgressStep | undefined;
  let show: ((step: ProgressStep) => void) | undefined;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const running = work((step) => {
    latest = step;
    show?.(step);
  }, cancel.token);
  const timer = setTimeout(() => {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => cancel.cancel());
        let shown = 0;
        show = (step) => {
          progress.report({
            ...(step.message === undefined ? {} : { message: step.message }),
            increment: step.percent - shown,
          });
          shown = step.percent;
        };
        if (latest) show(latest);
        return finished;
      },
    );
  }, delayMs);
  const done = () => {
    clearTimeout(timer);
    finish();
  };
  running.then(done, done);
  return running;
}
