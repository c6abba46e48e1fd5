/**
 * Work that several waiters wait for (the hovers over one loss call share one read of the paused
 * program). Each waiter is cancelled on its own: its wait rejects as `cancelled` and the work goes
 * on for the others. The work itself is cancelled only when no waiter is left before it ends.
 */
import { CancelSource, cancelledError, type CancelToken } from './session';

export class SharedWork<T> {
  private readonly source = new CancelSource();
  private waiting = 0;
  private ended = false;
  /** The work's own result, whoever waits for it. */
  readonly result: Promise<T>;

  /** Starts `work` at once with the token that is cancelled when the last waiter leaves. */
  constructor(work: (token: CancelToken) => Promise<T>) {
    this.result = work(this.source.token);
    const end = () => (this.ended = true);
    this.result.then(end, end);
  }

  /** Whether the work was cancelled (no waiter was left): a new waiter should start it again. */
  get cancelled(): boolean {
    return this.source.token.isCancellationRequested;
  }

  /**
   * The work's result for one waiter, or a `cancelled` rejection as soon as `token` is cancelled;
   * the last waiter to leave before the work ends cancels it.
   */
  wait(token?: CancelToken): Promise<T> {
    if (this.cancelled) return Promise.reject(cancelledError());
    if (token?.isCancellationRequested) return Promise.reject(cancelledError());
    this.waiting++;
    return new Promise<T>((resolve, reject) => {
      let left = false;
      const leave = () => {
        if (left) return false;
        left = true;
        this.waiting--;
        return true;
      };
      const sub = token?.onCancellationRequested?.(() => {
        if (!leave()) return;
        reject(cancelledError());
        if (this.waiting === 0 && !this.ended) this.source.cancel();
      });
      this.result.then(
        (v) => {
          sub?.dispose();
          if (leave()) resolve(v);
        },
        (e: unknown) => {
          sub?.dispose();
          if (leave()) reject(e);
        },
      );
    });
  }
}
