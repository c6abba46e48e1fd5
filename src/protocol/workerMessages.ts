/**
 * The envelopes of the worker wire (requests, replies, notifications) and the interface the host
 * asks the worker through. src/protocol/worker.ts re-exports them.
 */
import type { ErrorInfo } from '../core/types';
import type { Hop } from './hops';
import type { ParamsOf, ResultOf, WorkerMethod } from './workerMethods';

/** Host → worker: one request. */
export type WorkerRequest = {
  [M in WorkerMethod]: { type: 'request'; req: number; method: M; params: ParamsOf<M> };
}[WorkerMethod];

/** Worker → host: the answer to request `req`. Typed arrays in `result` arrive by transfer. */
export type ResultReply = {
  [M in WorkerMethod]: {
    type: 'result';
    req: number;
    method: M;
    result: ResultOf<M>;
    /** Where the worker's time went, on its own clock (see ./hops.ts). */
    hops?: Hop[];
  };
}[WorkerMethod];

/** Worker → host: request `req` failed. The host matches on `error.code`. */
export interface ErrorReply {
  type: 'error';
  req: number;
  error: ErrorInfo;
}

/** Worker → host, once per worker: its code has loaded and it takes requests from now on. */
export interface ReadyNotification {
  type: 'ready';
}

/**
 * Worker → host: a log line for the host's logger (the output channel). It has no `req`. The
 * worker sends this instead of writing to the console, which nobody reads.
 */
export interface WorkerLogNotification {
  type: 'log';
  level: 'info' | 'warn';
  message: string;
}

/** Every message the worker sends to the host. */
export type WorkerReply = ResultReply | ErrorReply | ReadyNotification | WorkerLogNotification;

/** What a request resolves with: the method's result, or an error value (never a rejection). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** The part of an `AbortSignal` a request listens to (this file sees neither DOM nor Node types). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** Per-request options. */
export interface RequestOptions {
  /** A newer request with the same key cancels this one (e.g. `analyze:` + the document uri). */
  supersedeKey?: string;
  /** Aborting resolves the request as `cancelled`. */
  signal?: AbortSignalLike;
  /** Deadline for this request in milliseconds, instead of the client's default. */
  deadlineMs?: number;
  /**
   * Buffers of `params` moved to the worker with the request instead of copied (a postMessage
   * transfer list): once the request is sent they are detached here, so the caller must not read
   * them again. A request cancelled before it is sent leaves them untouched.
   */
  transfer?: readonly ArrayBuffer[];
  /**
   * Called with the request's hops once it is answered: the time it waited in the host's queue and
   * its round trip to the worker (host clock), then the worker's own hops (see ./hops.ts).
   */
  onHops?: ((hops: Hop[]) => void) | undefined;
  /**
   * Asked ahead of the user (a snapshot the panel makes before the change that shows it): queued
   * behind every request that is not, so that a change the user made never waits for guesses
   * asked before it. Among themselves such requests keep their order.
   */
  ahead?: boolean;
}

/**
 * How the host asks the worker: what the root object hands the editor and the panel
 * (src/worker/workerClient.ts implements it; tests pass a fake).
 */
export interface WorkerRequester {
  request<M extends WorkerMethod>(
    method: M,
    params: ParamsOf<M>,
    options?: RequestOptions,
  ): Promise<Outcome<ResultOf<M>>>;
}
