/**
 * The host side of the kernel worker. The extension host does not run the kernel on a large
 * input itself: it sends the request here and gets the result back as a value.
 *
 * Design:
 * - **Lazy start.** The first request that needs the worker starts it
 *   (`new Worker(workerPath)`; in the extension, `path.join(__dirname, 'worker.js')`).
 * - **One request in the worker at a time.** Others wait in a host-side queue. Because of this,
 *   the deadline measures the computation itself and not the time spent waiting behind another
 *   one. Waiting requests still own their buffers, so a deadline or a crash affects only the
 *   request that caused it, and the queue continues on a fresh worker. The extra cost is one
 *   round trip (~30 µs) between queued requests.
 * - **Errors are values.** Every call resolves with `{ ok: true, … }` or
 *   `{ ok: false, error: { code, message } }` and never rejects. The kernel's codes pass
 *   through unchanged. The client adds `cancelled`, `deadline_exceeded`, `worker_crashed`,
 *   `invalid_request` and `internal`.
 * - **Supersede and cancel.** A `compute` with a `key` (the document uri) replaces the unfinished
 *   request with the same key, which resolves `cancelled`. An `AbortSignal` does the same for a
 *   single request. A waiting request is removed from the queue. A running request is told to stop
 *   (`cancel`), and the worker drops it if it has not started the loss yet. The worker counts as
 *   busy until it replies.
 * - **Deadline** (default 5 s). When the running request passes it, it resolves
 *   `deadline_exceeded`, the worker is terminated, and the next request starts a fresh one.
 * - **Crash.** An `error` or `exit` event from the worker resolves the running request with
 *   `worker_crashed`. This includes running out of memory, which `resourceLimits` turns into the
 *   worker's death instead of the host's. The next request starts a fresh worker.
 * - **Buffers are transferred and not cloned.** The Float64Array buffers of input, target and
 *   weight go in the transfer list, and the result's buffers come back the same way. See
 *   {@link ComputeCallOptions.keepBuffers} for what the caller keeps.
 * - **Inline fast path.** An input with fewer than `inlineBelowElements` elements is computed on
 *   the calling thread, where that costs less than a round trip. The result has the same shape
 *   (see {@link defaultInlineBelowElements} for the measurement).
 * - `dispose()` terminates the worker and resolves everything pending as `cancelled`.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { computeLoss, reductionBreakdown, sampleBreakdown, type LossResult, type Prepared } from '../core/kernel';
import type { ErrorCode, ErrorInfo, LossRequest, NdArray } from '../core/types';
import type { DocumentAnalysis } from '../core/detection/types';
import {
  workerReplyProblem,
  type AnalysisReply,
  type AnalyzeRequest,
  type BreakdownReply,
  type BreakdownRequest,
  type ComputeLossReply,
  type ComputeLossRequest,
  type InspectReply,
  type InspectRequest,
  type LossPayload,
  type PanelDataReply,
  type PanelDataRequest,
  type ReductionBreakdownPayload,
  type SampleBreakdownPayload,
  type WorkerReply,
  type WorkerRequest,
} from '../protocol/worker';
import { lossPayload } from './payload';

/** Where the client reports what it drops or restarts (the extension's output channel). */
export interface KernelLogger {
  info(message: string): void;
  warn(message: string): void;
}

/** Default deadline per request. */
export const defaultDeadlineMs = 5000;

/**
 * Inputs with fewer elements than this are computed inline on the calling thread.
 *
 * Measured on this machine (Node 20, 2 cores shared with other jobs, load average ~1.9). Scratch
 * benchmark, medians of 3000 runs, float32 (N, 10) logits with index targets and no grad:
 * - Worker round trip for a 10-element input (post, compute, reply, resolve): 27–41 µs back to
 *   back, and 55–67 µs when the worker has been idle for 1 ms (it has to wake up, which is the
 *   usual case in the editor). Raw postMessage ping-pong without the client: 11–62 µs.
 *   Starting the worker: 28–71 ms, once.
 * - Inline `computeLoss`: 6 µs for 10 elements, 7 µs for 100, 22 µs for 1 000, 37 µs for 2 000,
 *   42 µs for 2 500, 75 µs for 5 000, 141 µs for 10 000.
 * Inline always has the lower latency, because the worker runs the same kernel after the round
 * trip. The threshold therefore limits how long the host thread is blocked: below 2 048 elements
 * the inline computation costs no more than a round trip (≤ ~37 µs).
 */
export const defaultInlineBelowElements = 2048;

/**
 * Default limits for the worker's V8 heap. A runaway allocation then kills the worker
 * (`ERR_WORKER_OUT_OF_MEMORY` → `worker_crashed`) and not the extension host. Typed-array
 * buffers live outside this heap, and an oversized one fails with an error reply instead.
 */
export const defaultResourceLimits: ResourceLimits = { maxOldGenerationSizeMb: 512 };

export interface KernelClientOptions {
  /** Path of the bundled worker entry (dist/worker.js). */
  workerPath: string;
  /** How long one request may run in the worker before the worker is restarted. Default 5000; Infinity disables it. */
  deadlineMs?: number;
  /** Inputs with fewer elements than this run inline. Default {@link defaultInlineBelowElements}; 0 always uses the worker. */
  inlineBelowElements?: number;
  /** Largest input accepted, in elements (default: the kernel's 50 million). */
  maxElements?: number;
  /** Worker heap limits. Default {@link defaultResourceLimits}. */
  resourceLimits?: ResourceLimits;
  /** Receives warnings about dropped messages, crashes and restarts. Default: the console. */
  logger?: KernelLogger;
}

export interface ComputeCallOptions {
  /**
   * Supersede key, usually the document uri. A newer request with the same key cancels this one.
   * It is also the cache key for {@link KernelClient.breakdown}.
   */
  key?: string;
  /** Also compute d loss / d input. */
  grad?: boolean;
  /** Aborting resolves the request as `cancelled`. */
  signal?: AbortSignal;
  /** Deadline for this request, instead of the client's `deadlineMs`. */
  deadlineMs?: number;
  /**
   * Buffer policy. By default (false) the request's Float64Array buffers are **transferred**
   * to the worker without a copy. After `compute()` returns, `input.data`, `target.data` and
   * `weight.data` are detached (length 0), and the request cannot be sent again. Pass true to
   * keep them usable: the client then transfers copies. A Float64Array that covers only part of
   * its buffer, or a SharedArrayBuffer, is always copied, so a transfer never detaches memory the
   * request does not own. Inline computations never detach anything.
   */
  keepBuffers?: boolean;
}

/** A finished evaluation. Its typed arrays belong to the caller. */
export interface ComputedLoss extends LossPayload {
  /** True when it ran on the calling thread (inline fast path). */
  ranInline: boolean;
}

/** Outcome of {@link KernelClient.compute}. */
export type LossOutcome = { ok: true; result: ComputedLoss } | { ok: false; error: ErrorInfo };

/** One sample's steps plus the reduction they feed. */
export interface Breakdown {
  sample: SampleBreakdownPayload;
  reduction: ReductionBreakdownPayload;
}

/** Outcome of {@link KernelClient.breakdown}. */
export type BreakdownOutcome = { ok: true; breakdown: Breakdown } | { ok: false; error: ErrorInfo };

/** Outcome of {@link KernelClient.analyze}. */
export type AnalysisOutcome =
  { ok: true; analysis: DocumentAnalysis; version: number; analysisMs: number } | { ok: false; error: ErrorInfo };

/** Outcome of {@link KernelClient.inspect}. */
export type InspectOutcome =
  { ok: true; inspection: Omit<InspectReply, 'type' | 'req'> } | { ok: false; error: ErrorInfo };

/** Outcome of {@link KernelClient.panelData}. */
export type PanelDataOutcome =
  { ok: true; data: Omit<PanelDataReply, 'type' | 'req'> } | { ok: false; error: ErrorInfo };

type JobMessage = ComputeLossRequest | BreakdownRequest | AnalyzeRequest | InspectRequest | PanelDataRequest;
type JobReply = ComputeLossReply | BreakdownReply | AnalysisReply | InspectReply | PanelDataReply;

/** A request on its way through the queue and the worker. */
interface Job {
  readonly req: number;
  readonly message: JobMessage;
  readonly transfer: ArrayBuffer[];
  /** Supersede key (compute only). */
  readonly key: string | undefined;
  /** Milliseconds the job may run in the worker. */
  readonly deadlineMs: number;
  settled: boolean;
  /** Settles with the worker's answer; false when the answer has the wrong type. */
  accept(reply: JobReply): boolean;
  /** Settles with an error value. */
  reject(error: ErrorInfo): void;
  /** Removes the abort listener. */
  cleanup(): void;
}

interface Running {
  job: Job;
  worker: Worker;
  timer: ReturnType<typeof setTimeout> | undefined;
}

interface InlineEntry {
  resultId: number;
  prepared: Prepared;
  result: LossResult;
}

const inlineCacheEntries = 64;
const consoleLogger: KernelLogger = {
  info: (message) => console.info(message),
  warn: (message) => console.warn(message),
};

function failure(code: ErrorCode, message: string): { ok: false; error: ErrorInfo } {
  return { ok: false, error: { code, message } };
}

function formatDuration(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toPrecision(3))} s` : `${ms} ms`;
}

/** What a request that ran past `deadlineMs` resolves with: "The computation took longer than 5 s and was stopped." */
export function deadlineMessage(deadlineMs: number): string {
  return `The computation took longer than ${formatDuration(deadlineMs)} and was stopped.`;
}

function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Why the arrays of `request` cannot be sent, or null. Catches a request reused after its buffers moved. */
function bufferProblem(request: LossRequest): string | null {
  const arrays: [string, NdArray | null | undefined][] = [
    ['input', request.input],
    ['target', request.target],
    ['weight', request.weight],
  ];
  for (const [name, array] of arrays) {
    if (!array) continue;
    if (!(array.data instanceof Float64Array) || !Array.isArray(array.shape)) {
      return `${name} must be an NdArray with a Float64Array`;
    }
    const expected = numel(array.shape);
    if (array.data.length !== expected) {
      return array.data.length === 0
        ? `${name}'s buffer is empty: it was transferred to the kernel worker by an earlier compute(); pass keepBuffers: true to send a request twice`
        : `${name} has ${array.data.length} values for shape [${array.shape.join(', ')}]`;
    }
  }
  return null;
}

/**
 * The array as it goes on the wire. It is the caller's own Float64Array when its whole
 * ArrayBuffer can be transferred, and a copy otherwise. Its buffer is added to `transfer`.
 */
function wireArray(array: NdArray, keep: boolean, transfer: Set<ArrayBuffer>): NdArray {
  let data = array.data;
  const buffer = data.buffer;
  const ownsBuffer = buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === buffer.byteLength;
  if (keep || !ownsBuffer || transfer.has(buffer as ArrayBuffer)) data = data.slice();
  transfer.add(data.buffer as ArrayBuffer);
  return { data, shape: array.shape, integral: array.integral };
}

function describeCrash(err: unknown, limits: ResourceLimits): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    const limit = limits.maxOldGenerationSizeMb;
    return `The kernel worker ran out of memory${limit ? ` (limit ${limit} MB)` : ''} and was stopped.`;
  }
  const message = (err instanceof Error ? err.message : String(err)).replace(/\.$/, '');
  return `The kernel worker crashed: ${message}.`;
}

/** Host-side client of the kernel worker. See the file comment for the design. */
export class KernelClient {
  private readonly workerPath: string;
  private readonly deadlineMs: number;
  private readonly inlineBelow: number;
  private readonly maxElements: number | undefined;
  private readonly resourceLimits: ResourceLimits;
  private readonly logger: KernelLogger;

  private worker: Worker | undefined;
  private running: Running | undefined;
  private readonly queue: Job[] = [];
  /** The newest unsettled compute job per supersede key. */
  private readonly byKey = new Map<string, Job>();
  /** Keyed inline results, for breakdowns (they are small by construction). */
  private readonly inlineCache = new Map<string, InlineEntry>();
  private nextReq = 1;
  private disposed = false;

  constructor(options: KernelClientOptions) {
    this.workerPath = options.workerPath;
    this.deadlineMs = options.deadlineMs ?? defaultDeadlineMs;
    this.inlineBelow = options.inlineBelowElements ?? defaultInlineBelowElements;
    this.maxElements = options.maxElements;
    this.resourceLimits = options.resourceLimits ?? defaultResourceLimits;
    this.logger = options.logger ?? consoleLogger;
  }

  /**
   * Evaluates one request, in the worker or inline. Never rejects: failures, cancellation,
   * deadline and crash come back as `{ ok: false, error }`. See {@link ComputeCallOptions.keepBuffers}
   * for what happens to the request's buffers.
   */
  compute(request: LossRequest, options: ComputeCallOptions = {}): Promise<LossOutcome> {
    const { key, signal } = options;
    if (this.disposed) return Promise.resolve(failure('cancelled', 'The kernel client was disposed.'));
    if (signal?.aborted) return Promise.resolve(failure('cancelled', 'The request was cancelled.'));
    const problem = bufferProblem(request);
    if (problem) return Promise.resolve(failure('invalid_request', `${problem}.`));
    const req = this.nextReq++;
    if (key !== undefined) this.supersede(key);
    if (request.input.data.length < this.inlineBelow) {
      return Promise.resolve(this.computeInline(req, request, options));
    }

    const transfer = new Set<ArrayBuffer>();
    const keep = !!options.keepBuffers;
    const wire: LossRequest = {
      ...request,
      input: wireArray(request.input, keep, transfer),
      target: wireArray(request.target, keep, transfer),
      weight: request.weight ? wireArray(request.weight, keep, transfer) : request.weight,
    };
    const message: ComputeLossRequest = { type: 'computeLoss', req, request: wire };
    if (options.grad) message.grad = true;
    if (this.maxElements !== undefined) message.maxElements = this.maxElements;
    if (key !== undefined) message.key = key;
    return new Promise<LossOutcome>((resolve) => {
      const job = this.enqueue(message, [...transfer], key, signal, options.deadlineMs ?? this.deadlineMs, {
        accept: (reply) => {
          if (reply.type !== 'result') return false;
          resolve({ ok: true, result: { ...reply.result, ranInline: false } });
          return true;
        },
        reject: (error) => resolve({ ok: false, error }),
      });
      if (key !== undefined) this.byKey.set(key, job);
      this.pump();
    });
  }

  /**
   * The step-by-step breakdown of sample `element` (flat index n·S + s) of a result computed
   * with `key`. Only the latest result per key is kept, and the worker keeps up to 8 keys, so
   * an older `resultId` answers `invalid_request` ("no longer available").
   */
  breakdown(
    key: string,
    resultId: number,
    element: number,
    options: { signal?: AbortSignal } = {},
  ): Promise<BreakdownOutcome> {
    if (this.disposed) return Promise.resolve(failure('cancelled', 'The kernel client was disposed.'));
    if (options.signal?.aborted) return Promise.resolve(failure('cancelled', 'The request was cancelled.'));
    const inline = this.inlineCache.get(key);
    if (inline && inline.resultId === resultId) {
      const count = inline.prepared.N * inline.prepared.S;
      if (!(Number.isSafeInteger(element) && element >= 0 && element < count)) {
        return Promise.resolve(
          failure(
            'invalid_request',
            `Sample ${element} is out of range: the result has ${count} sample${count === 1 ? '' : 's'}.`,
          ),
        );
      }
      return Promise.resolve({
        ok: true,
        breakdown: {
          sample: sampleBreakdown(inline.prepared, inline.result, element),
          reduction: reductionBreakdown(inline.prepared, inline.result),
        },
      });
    }
    const message: BreakdownRequest = { type: 'breakdown', req: this.nextReq++, key, resultId, element };
    return new Promise<BreakdownOutcome>((resolve) => {
      this.enqueue(message, [], undefined, options.signal, this.deadlineMs, {
        accept: (reply) => {
          if (reply.type !== 'breakdown') return false;
          resolve({ ok: true, breakdown: { sample: reply.sample, reduction: reply.reduction } });
          return true;
        },
        reject: (error) => resolve({ ok: false, error }),
      });
      this.pump();
    });
  }

  /**
   * Finds and computes the pairs of a document in the worker. A newer analysis for the same
   * `key` (document uri) supersedes an unfinished older one, which resolves `cancelled`.
   */
  analyze(
    message: Omit<AnalyzeRequest, 'type' | 'req'>,
    options: { signal?: AbortSignal; deadlineMs?: number } = {},
  ): Promise<AnalysisOutcome> {
    if (this.disposed) return Promise.resolve(failure('cancelled', 'The kernel client was disposed.'));
    if (options.signal?.aborted) return Promise.resolve(failure('cancelled', 'The request was cancelled.'));
    const supersedeKey = `analyze:${message.key}`;
    this.supersede(supersedeKey);
    const full: AnalyzeRequest = { ...message, type: 'analyze', req: this.nextReq++ };
    return new Promise<AnalysisOutcome>((resolve) => {
      const job = this.enqueue(full, [], supersedeKey, options.signal, options.deadlineMs ?? this.deadlineMs, {
        accept: (reply) => {
          if (reply.type !== 'analysis') return false;
          resolve({ ok: true, analysis: reply.analysis, version: reply.version, analysisMs: reply.analysisMs });
          return true;
        },
        reject: (error) => resolve({ ok: false, error }),
      });
      this.byKey.set(supersedeKey, job);
      this.pump();
    });
  }

  /** One sample of one analysed pair, for a hover or the panel (see {@link InspectRequest}). */
  inspect(
    message: Omit<InspectRequest, 'type' | 'req'>,
    options: { signal?: AbortSignal } = {},
  ): Promise<InspectOutcome> {
    if (this.disposed) return Promise.resolve(failure('cancelled', 'The kernel client was disposed.'));
    const full: InspectRequest = { ...message, type: 'inspect', req: this.nextReq++ };
    return new Promise<InspectOutcome>((resolve) => {
      this.enqueue(full, [], undefined, options.signal, this.deadlineMs, {
        accept: (reply) => {
          if (reply.type !== 'inspect') return false;
          const { type: _t, req: _r, ...inspection } = reply;
          resolve({ ok: true, inspection });
          return true;
        },
        reject: (error) => resolve({ ok: false, error }),
      });
      this.pump();
    });
  }

  /** What the panel shows for one analysed pair under the panel's options (see {@link PanelDataRequest}). */
  panelData(
    message: Omit<PanelDataRequest, 'type' | 'req'>,
    options: { signal?: AbortSignal } = {},
  ): Promise<PanelDataOutcome> {
    if (this.disposed) return Promise.resolve(failure('cancelled', 'The kernel client was disposed.'));
    const supersedeKey = `panel:${message.key}`;
    this.supersede(supersedeKey);
    const full: PanelDataRequest = { ...message, type: 'panelData', req: this.nextReq++ };
    return new Promise<PanelDataOutcome>((resolve) => {
      const job = this.enqueue(full, [], supersedeKey, options.signal, this.deadlineMs, {
        accept: (reply) => {
          if (reply.type !== 'panelData') return false;
          const { type: _t, req: _r, ...data } = reply;
          resolve({ ok: true, data });
          return true;
        },
        reject: (error) => resolve({ ok: false, error }),
      });
      this.byKey.set(supersedeKey, job);
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
    for (const job of jobs) this.settleError(job, { code: 'cancelled', message: 'The kernel client was disposed.' });
    this.inlineCache.clear();
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

  private computeInline(req: number, request: LossRequest, options: ComputeCallOptions): LossOutcome {
    const started = performance.now();
    const outcome = computeLoss(request, { grad: !!options.grad, maxElements: this.maxElements });
    const kernelMs = performance.now() - started;
    if (!outcome.ok) return outcome;
    const { prepared, result } = outcome;
    if (options.key !== undefined) {
      this.inlineCache.delete(options.key);
      this.inlineCache.set(options.key, { resultId: req, prepared, result });
      if (this.inlineCache.size > inlineCacheEntries)
        this.inlineCache.delete(this.inlineCache.keys().next().value as string);
    }
    // Copies, so the caller cannot change what later breakdowns read. These arrays are tiny.
    const payload: ComputedLoss = { ...lossPayload(prepared, result, req, kernelMs, true), ranInline: true };
    return { ok: true, result: payload };
  }

  private enqueue(
    message: JobMessage,
    transfer: ArrayBuffer[],
    key: string | undefined,
    signal: AbortSignal | undefined,
    deadlineMs: number,
    settle: Pick<Job, 'accept' | 'reject'>,
  ): Job {
    const job: Job = {
      req: message.req,
      message,
      transfer,
      key,
      deadlineMs,
      settled: false,
      ...settle,
      cleanup: () => undefined,
    };
    if (signal) {
      const onAbort = (): void => this.cancel(job, 'The request was cancelled.');
      signal.addEventListener('abort', onAbort, { once: true });
      job.cleanup = () => signal.removeEventListener('abort', onAbort);
    }
    this.queue.push(job);
    return job;
  }

  /** Cancels the unsettled compute with this key, if any. */
  private supersede(key: string): void {
    const older = this.byKey.get(key);
    if (older) this.cancel(older, 'Superseded by a newer request for the same document.');
  }

  /** Resolves `job` as cancelled; drops it from the queue or tells the worker to stop it. */
  private cancel(job: Job, message: string): void {
    if (job.settled) return;
    this.settleError(job, { code: 'cancelled', message });
    const index = this.queue.indexOf(job);
    if (index >= 0) {
      this.queue.splice(index, 1);
    } else if (this.running?.job === job) {
      // The worker stays busy until it replies; it skips the loss if the cancel arrives in time.
      this.post(this.running.worker, { type: 'cancel', req: job.req }, []);
    }
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
        this.settleError(job, { code: 'worker_crashed', message: describeCrash(err, this.resourceLimits) });
        continue;
      }
      if (!this.post(worker, job.message, job.transfer)) {
        this.settleError(job, { code: 'internal', message: 'The request could not be sent to the kernel worker.' });
        continue;
      }
      worker.ref();
      const timer = Number.isFinite(job.deadlineMs)
        ? setTimeout(() => this.onDeadline(job), job.deadlineMs)
        : undefined;
      this.running = { job, worker, timer };
    }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerPath, { resourceLimits: this.resourceLimits });
    worker.on('message', (data: unknown) => this.onMessage(worker, data));
    worker.on('messageerror', (err: Error) => {
      if (worker === this.worker)
        this.logger.warn(`kernel client: dropped a reply that could not be deserialized: ${err.message}`);
    });
    worker.on('error', (err: unknown) => this.onCrash(worker, describeCrash(err, this.resourceLimits)));
    worker.on('exit', (exitCode: number) =>
      this.onCrash(worker, `The kernel worker exited unexpectedly (exit code ${exitCode}).`),
    );
    this.worker = worker;
    return worker;
  }

  private post(worker: Worker, message: WorkerRequest, transfer: ArrayBuffer[]): boolean {
    try {
      worker.postMessage(message, transfer);
      return true;
    } catch (err) {
      this.logger.warn(
        `kernel client: could not post ${message.type} #${message.req}: ${err instanceof Error ? err.message : String(err)}`,
      );
      return false;
    }
  }

  private onMessage(worker: Worker, data: unknown): void {
    // A late message from a worker that was already retired.
    if (worker !== this.worker) return;
    const problem = workerReplyProblem(data);
    if (problem) {
      this.logger.warn(`kernel client: dropped a malformed message from the worker: ${problem}`);
      return;
    }
    const reply = data as WorkerReply;
    switch (reply.type) {
      case 'log':
        this.logger[reply.level](reply.message);
        return;
      case 'result':
      case 'breakdown':
      case 'analysis':
      case 'inspect':
      case 'panelData':
      case 'error': {
        const running = this.running;
        if (!running || running.job.req !== reply.req) {
          this.logger.warn(
            `kernel client: dropped a ${reply.type} reply for request ${reply.req}, which is not running`,
          );
          return;
        }
        clearTimeout(running.timer);
        this.running = undefined;
        const { job } = running;
        if (reply.type === 'error') {
          this.settleError(job, reply.error);
        } else if (!job.settled) {
          this.settle(job);
          if (!job.accept(reply)) {
            job.reject({
              code: 'internal',
              message: `The kernel worker answered ${job.message.type} with ${reply.type}.`,
            });
          }
        }
        this.pump();
        return;
      }
      default: {
        const unknownReply: never = reply;
        this.logger.warn(`kernel client: ignored message ${JSON.stringify((unknownReply as { type: unknown }).type)}`);
      }
    }
  }

  private onDeadline(job: Job): void {
    const running = this.running;
    if (!running || running.job !== job) return;
    this.running = undefined;
    const limit = formatDuration(job.deadlineMs);
    this.settleError(job, { code: 'deadline_exceeded', message: deadlineMessage(job.deadlineMs) });
    this.logger.warn(`kernel client: request ${job.req} passed its ${limit} deadline; restarting the worker`);
    this.retire(running.worker);
    this.pump();
  }

  /** Handles `error` and `exit` from a worker that was not terminated on purpose (the first event wins). */
  private onCrash(worker: Worker, message: string): void {
    if (worker !== this.worker) return;
    this.retire(worker);
    const running = this.running;
    if (running && running.worker === worker) {
      clearTimeout(running.timer);
      this.running = undefined;
      this.settleError(running.job, {
        code: 'worker_crashed',
        message: `${message} The request was not computed; the next one starts a fresh worker.`,
      });
    }
    this.logger.warn(`kernel client: ${message}`);
    this.pump();
  }

  /** Stops a worker on purpose. Its later events are ignored, and the next job starts a new worker. */
  private retire(worker: Worker): void {
    if (this.worker === worker) this.worker = undefined;
    worker.terminate().catch(() => undefined);
  }

  private settle(job: Job): void {
    job.settled = true;
    job.cleanup();
    if (job.key !== undefined && this.byKey.get(job.key) === job) this.byKey.delete(job.key);
  }

  private settleError(job: Job, error: ErrorInfo): void {
    if (job.settled) return;
    this.settle(job);
    job.reject(error);
  }
}
