/**
 * The host side of the one analysis worker. The extension host never runs detection or the
 * kernel itself: it sends requests here and gets results back as values.
 *
 * Design:
 * - **One typed `request()`.** `request(method, params, options)` is typed by the method map in
 *   src/protocol/worker.ts; options carry the supersede key, the deadline and an AbortSignal.
 * - **Lazy start.** The first request starts the worker (`new Worker(workerPath)`; in the
 *   extension, dist/worker.js).
 * - **One request in the worker at a time.** Others wait in a host-side queue, so a deadline
 *   measures the work itself and not the time spent waiting behind another request.
 * - **The deadline clock starts when the worker can start the job**: at posting for a worker that
 *   is up, at its `ready` message for a fresh one (loading the worker's code is not the job's time).
 * - **Errors are values.** Every call resolves with `{ ok: true, value }` or
 *   `{ ok: false, error: { code, message } }` and never rejects. The worker's codes pass through;
 *   the client adds `cancelled`, `deadline_exceeded`, `worker_crashed` and `internal`.
 * - **The user's requests first.** A request asked `ahead` (a guess at what the user will want)
 *   waits in the queue behind every request that is not, whenever those were asked: a change the
 *   user made is posted to the worker as soon as the one running is done.
 * - **Supersede and cancel.** A request with a `supersedeKey` replaces the unsettled request with
 *   the same key, which resolves `cancelled`; an AbortSignal does the same for one request. A
 *   queued request leaves the queue. A running one is flagged in the shared cancellation buffer:
 *   the worker stops it at the next statement boundary and answers `cancelled`, and the worker
 *   counts as busy until that answer.
 * - **Deadline** (default 5 s). A request that passes it resolves `deadline_exceeded` and is
 *   flagged like a cancelled one; a worker that still has not answered after a short grace is
 *   terminated, and the next request starts a fresh one.
 * - **Crash.** An `error` or `exit` event resolves the running request with `worker_crashed`,
 *   including running out of memory, which `resourceLimits` turns into the worker's death instead
 *   of the host's. The next request starts a fresh worker.
 * - `dispose()` terminates the worker and resolves everything pending as `cancelled`.
 */
import type { Worker, ResourceLimits } from 'node:worker_threads';
import type * as WorkerThreads from 'node:worker_threads';
import type { ErrorCode, ErrorDetail, ErrorInfo } from '../core/types';
import {
  cancelSlots,
  workerReplyProblem,
  type Outcome,
  type ParamsOf,
  type RequestOptions,
  type ResultOf,
  type WorkerMethod,
  type WorkerReply,
  type WorkerRequest,
  type WorkerRequester,
} from '../protocol/worker';

/** Where the client reports what it drops or restarts (the extension's output channel). */
export interface WorkerLogger {
  info(message: string): void;
  warn(message: string): void;
}

/** Default deadline per request. */
export const defaultDeadlineMs = 5000;

/**
 * How long a worker past its deadline may take to notice the cancellation flag before it is
 * terminated. Detection stops within one statement; the kernel does not look at the flag, and a
 * restart (~50 ms, and every kept analysis lost) is the price of stopping it.
 */
export const deadlineGraceMs = 250;

/**
 * Default limits for the worker's V8 heap. A runaway allocation then kills the worker
 * (`ERR_WORKER_OUT_OF_MEMORY` → `worker_crashed`) and not the extension host. Typed-array
 * buffers live outside this heap, and an oversized one fails with an error reply instead.
 */
export const defaultResourceLimits: ResourceLimits = { maxOldGenerationSizeMb: 512 };

export interface WorkerClientOptions {
  /** Path of the bundled worker entry (dist/worker.js). */
  workerPath: string;
  /** How long one request may run in the worker. Default 5000; Infinity disables it. */
  deadlineMs?: number;
  /** Worker heap limits. Default {@link defaultResourceLimits}. */
  resourceLimits?: ResourceLimits;
  /** Receives warnings about dropped messages, crashes and restarts. Default: the console. */
  logger?: WorkerLogger;
}

/** A request on its way through the queue and the worker. */
interface Job {
  readonly req: number;
  readonly message: WorkerRequest;
  readonly supersedeKey: string | undefined;
  readonly deadlineMs: number;
  readonly transfer: readonly ArrayBuffer[];
  /** See {@link RequestOptions.onHops}. */
  readonly onHops: RequestOptions['onHops'];
  /** See {@link RequestOptions.ahead}. */
  readonly ahead: boolean;
  /** `performance.now()` when it was asked for, and when it was posted to the worker. */
  readonly asked: number;
  posted: number;
  settled: boolean;
  resolve(outcome: Outcome<unknown>): void;
  /** Removes the abort listener. */
  cleanup(): void;
}

interface Running {
  job: Job;
  worker: Worker;
  /** The deadline timer, once the clock runs. */
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Past its deadline or cancelled: waiting for the worker to answer, or for the grace to end. */
  abandoned: boolean;
}

const consoleLogger: WorkerLogger = {
  info: (message) => console.info(message),
  warn: (message) => console.warn(message),
};

/** A failed outcome; every cancellation (aborted, superseded, disposed) carries the `cancelled` detail. */
function failure(code: ErrorCode, message: string, detail?: ErrorDetail): { ok: false; error: ErrorInfo } {
  const d = detail ?? (code === 'cancelled' ? { id: 'cancelled' } : undefined);
  return { ok: false, error: d ? { code, message, detail: d } : { code, message } };
}

/** Why the worker stopped, in English for the log and as a detail for the surfaces to word. */
interface Crash {
  message: string;
  detail: ErrorDetail;
}

function formatDuration(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toPrecision(3))} s` : `${ms} ms`;
}

/** What a request that ran past `deadlineMs` resolves with: "The computation took longer than 5 s and was stopped." */
export function deadlineMessage(deadlineMs: number): string {
  return `The computation took longer than ${formatDuration(deadlineMs)} and was stopped.`;
}

function describeCrash(err: unknown, limits: ResourceLimits): Crash {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    const limit = limits.maxOldGenerationSizeMb;
    return {
      message: `The analysis worker ran out of memory${limit ? ` (limit ${limit} MB)` : ''} and was stopped.`,
      detail: { id: 'worker_out_of_memory', limitMb: limit ?? 0 },
    };
  }
  const reason = (err instanceof Error ? err.message : String(err)).replace(/\.$/, '');
  return { message: `The analysis worker crashed: ${reason}.`, detail: { id: 'worker_failed', reason } };
}

/** Host-side client of the analysis worker. See the file comment for the design. */
export class WorkerClient implements WorkerRequester {
  private readonly workerPath: string;
  private readonly deadlineMs: number;
  private readonly resourceLimits: ResourceLimits;
  private readonly logger: WorkerLogger;

  private worker: Worker | undefined;
  /** The current worker has said `ready`. */
  private ready = false;
  /** Shared with the current worker: slot 0 holds the req it should stop. */
  private cancelFlag: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private running: Running | undefined;
  private readonly queue: Job[] = [];
  /** The newest unsettled job per supersede key. */
  private readonly byKey = new Map<string, Job>();
  private nextReq = 1;
  private disposed = false;

  constructor(options: WorkerClientOptions) {
    this.workerPath = options.workerPath;
    this.deadlineMs = options.deadlineMs ?? defaultDeadlineMs;
    this.resourceLimits = options.resourceLimits ?? defaultResourceLimits;
    this.logger = options.logger ?? consoleLogger;
  }

  /** Asks the worker. Never rejects: failures, cancellation, deadline and crash come back as `{ ok: false, error }`. */
  request<M extends WorkerMethod>(
    method: M,
    params: ParamsOf<M>,
    options: RequestOptions = {},
  ): Promise<Outcome<ResultOf<M>>> {
    if (this.disposed) return Promise.resolve(failure('cancelled', 'The worker client was disposed.'));
    if (options.signal?.aborted) return Promise.resolve(failure('cancelled', 'The request was cancelled.'));
    const { supersedeKey, signal } = options;
    if (supersedeKey !== undefined) {
      const older = this.byKey.get(supersedeKey);
      if (older) this.cancel(older, 'Superseded by a newer request for the same document.');
    }
    const req = this.nextReq++;
    const message = { type: 'request', req, method, params } as WorkerRequest;
    return new Promise<Outcome<ResultOf<M>>>((resolve) => {
      const job: Job = {
        req,
        message,
        supersedeKey,
        deadlineMs: options.deadlineMs ?? this.deadlineMs,
        transfer: options.transfer ?? [],
        onHops: options.onHops,
        ahead: options.ahead === true,
        asked: performance.now(),
        posted: 0,
        settled: false,
        resolve: resolve as (outcome: Outcome<unknown>) => void,
        cleanup: () => undefined,
      };
      if (signal) {
        const onAbort = (): void => this.cancel(job, 'The request was cancelled.');
        signal.addEventListener('abort', onAbort, { once: true });
        job.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      if (supersedeKey !== undefined) this.byKey.set(supersedeKey, job);
      this.enqueue(job);
      this.pump();
    });
  }

  /** Terminates the worker and resolves everything pending as `cancelled`. Resolves once the worker has stopped. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const jobs = this.queue.splice(0);
    if (this.running) {
      clearTimeout(this.running.timer);
      jobs.unshift(this.running.job);
      this.running = undefined;
    }
    for (const job of jobs) this.settle(job, failure('cancelled', 'The worker client was disposed.'));
    const worker = this.worker;
    if (worker) {
      this.worker = undefined;
      await worker.terminate().catch(() => undefined);
    }
  }

  /** @internal For tests only: the live worker, so a test can kill it mid-request. */
  get workerForTests(): Worker | undefined {
    return this.worker;
  }

  /** Resolves `job` as cancelled; drops it from the queue or flags it for the worker to stop. */
  private cancel(job: Job, message: string): void {
    if (job.settled) return;
    this.settle(job, failure('cancelled', message));
    const index = this.queue.indexOf(job);
    if (index >= 0) {
      this.queue.splice(index, 1);
    } else if (this.running?.job === job) {
      // The worker stays busy until it answers; it stops at its next statement boundary.
      this.running.abandoned = true;
      Atomics.store(this.cancelFlag, 0, job.req);
    }
  }

  /** Queues `job`: one asked ahead at the end, any other in front of the first one asked ahead. */
  private enqueue(job: Job): void {
    const firstAhead = job.ahead ? -1 : this.queue.findIndex((queued) => queued.ahead);
    if (firstAhead < 0) this.queue.push(job);
    else this.queue.splice(firstAhead, 0, job);
  }

  /** Starts the next queued job when the worker is free. */
  private pump(): void {
    while (!this.running && !this.disposed) {
      const job = this.queue.shift();
      if (!job) {
        // Idle: an idle worker must not keep the process alive.
        this.worker?.unref();
        return;
      }
      if (job.settled) continue;
      let worker: Worker;
      try {
        worker = this.ensureWorker();
      } catch (err) {
        const crash = describeCrash(err, this.resourceLimits);
        this.settle(job, failure('worker_crashed', crash.message, crash.detail));
        continue;
      }
      try {
        job.posted = performance.now();
        worker.postMessage(job.message, job.transfer);
      } catch (err) {
        this.logger.warn(
          `worker client: could not post ${job.message.method} #${job.req}: ${err instanceof Error ? err.message : String(err)}`,
        );
        this.settle(job, failure('internal', 'The request could not be sent to the analysis worker.'));
        continue;
      }
      worker.ref();
      this.running = { job, worker, timer: undefined, abandoned: false };
      if (this.ready) this.startClock(this.running);
    }
  }

  private startClock(running: Running): void {
    const { job } = running;
    if (running.timer === undefined && Number.isFinite(job.deadlineMs)) {
      running.timer = setTimeout(() => this.onDeadline(running), job.deadlineMs);
    }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const cancelFlag = new Int32Array(new SharedArrayBuffer(cancelSlots * Int32Array.BYTES_PER_ELEMENT));
    // Required here, not at the top: loading `worker_threads` costs the extension host about 10 ms,
    // which would count towards activation although the worker starts only on the first analysis.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Worker } = require('node:worker_threads') as typeof WorkerThreads;
    const worker = new Worker(this.workerPath, {
      resourceLimits: this.resourceLimits,
      workerData: { cancel: cancelFlag },
    });
    worker.on('message', (data: unknown) => this.onMessage(worker, data));
    worker.on('messageerror', (err: Error) => {
      if (worker === this.worker)
        this.logger.warn(`worker client: dropped a reply that could not be deserialized: ${err.message}`);
    });
    worker.on('error', (err: unknown) => this.onCrash(worker, describeCrash(err, this.resourceLimits)));
    worker.on('exit', (exitCode: number) =>
      this.onCrash(worker, {
        message: `The analysis worker exited unexpectedly (exit code ${exitCode}).`,
        detail: { id: 'worker_exited', exitCode },
      }),
    );
    this.worker = worker;
    this.ready = false;
    this.cancelFlag = cancelFlag;
    return worker;
  }

  private onMessage(worker: Worker, data: unknown): void {
    // A late message from a worker that was already retired.
    if (worker !== this.worker) return;
    const problem = workerReplyProblem(data);
    if (problem) {
      this.logger.warn(`worker client: dropped a malformed message from the worker: ${problem}`);
      return;
    }
    const reply = data as WorkerReply;
    switch (reply.type) {
      case 'ready':
        this.ready = true;
        if (this.running) this.startClock(this.running);
        return;
      case 'log':
        this.logger[reply.level](reply.message);
        return;
      case 'result':
      case 'error': {
        const running = this.running;
        if (!running || running.job.req !== reply.req) {
          this.logger.warn(
            `worker client: dropped a ${reply.type} reply for request ${reply.req}, which is not running`,
          );
          return;
        }
        clearTimeout(running.timer);
        this.running = undefined;
        const { job } = running;
        if (reply.type === 'error') this.settle(job, { ok: false, error: reply.error });
        else if (reply.method !== job.message.method)
          this.settle(job, failure('internal', `The worker answered ${job.message.method} with ${reply.method}.`));
        else {
          job.onHops?.([
            ['host.workerQueue', job.posted - job.asked],
            ['host.workerRoundTrip', performance.now() - job.posted],
            ...(reply.hops ?? []),
          ]);
          this.settle(job, { ok: true, value: reply.result });
        }
        this.pump();
        return;
      }
      default: {
        const unknownReply: never = reply;
        this.logger.warn(`worker client: ignored message ${JSON.stringify((unknownReply as { type: unknown }).type)}`);
      }
    }
  }

  private onDeadline(running: Running): void {
    if (this.running !== running) return;
    const { job } = running;
    if (!running.abandoned) {
      // First the deadline: resolve, and ask the worker to stop at its next statement boundary.
      this.settle(
        job,
        failure('deadline_exceeded', deadlineMessage(job.deadlineMs), { id: 'deadline_exceeded', ms: job.deadlineMs }),
      );
      running.abandoned = true;
      Atomics.store(this.cancelFlag, 0, job.req);
    }
    this.logger.warn(
      `worker client: request ${job.req} (${job.message.method}) passed its ${formatDuration(job.deadlineMs)} deadline`,
    );
    // Then the grace: a worker that does not answer is terminated.
    running.timer = setTimeout(() => {
      if (this.running !== running) return;
      this.running = undefined;
      this.logger.warn(`worker client: the worker did not stop request ${job.req}; restarting it`);
      this.retire(running.worker);
      this.pump();
    }, deadlineGraceMs);
  }

  /** Handles `error` and `exit` from a worker that was not terminated on purpose (the first event wins). */
  private onCrash(worker: Worker, crash: Crash): void {
    if (worker !== this.worker) return;
    this.retire(worker);
    const running = this.running;
    if (running && running.worker === worker) {
      clearTimeout(running.timer);
      this.running = undefined;
      this.settle(
        running.job,
        failure(
          'worker_crashed',
          `${crash.message} The request was not computed; the next one starts a fresh worker.`,
          crash.detail,
        ),
      );
    }
    this.logger.warn(`worker client: ${crash.message}`);
    this.pump();
  }

  /** Stops a worker on purpose. Its later events are ignored, and the next job starts a new worker. */
  private retire(worker: Worker): void {
    if (this.worker === worker) this.worker = undefined;
    worker.terminate().catch(() => undefined);
  }

  private settle(job: Job, outcome: Outcome<unknown>): void {
    if (job.settled) return;
    job.settled = true;
    job.cleanup();
    if (job.supersedeKey !== undefined && this.byKey.get(job.supersedeKey) === job) this.byKey.delete(job.supersedeKey);
    job.resolve(outcome);
  }
}
