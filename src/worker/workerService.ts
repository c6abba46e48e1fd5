/**
 * The worker side of the protocol in src/protocol/worker.ts, without the transport: it checks
 * each request, runs it, and posts exactly one reply. workerMain.ts connects it to `parentPort`.
 * No Node imports, so a browser Web Worker could host it unchanged, and tests drive it directly.
 */
import { KernelError, toErrorInfo } from '../core/errors';
import type { ErrorInfo } from '../core/types';
import {
  type Hop,
  wireSampleBuffers,
  workerRequestProblem,
  type ResultOf,
  type ParamsOf,
  type WorkerMethod,
  type WorkerReply,
  type WorkerRequest,
} from '../protocol/worker';
import { AnalysisService, type AnalysisServiceOptions } from './analysisService';
import { payloadBuffers } from './payload';

/** Sends one reply. Buffers in `transfer` move to the receiver and become detached here. */
export type PostReply = (reply: WorkerReply, transfer: ArrayBuffer[]) => void;

export interface WorkerServiceOptions extends AnalysisServiceOptions {
  /**
   * Whether the host has given up on request `req` (read at statement boundaries while it runs).
   * In the worker: a load from the shared cancellation buffer. Default: never.
   */
  isCancelled?: (req: number) => boolean;
}

/** A method's implementation: its result, and the buffers to transfer with it; it may add its own hops to `hops`. */
type Handler<M extends WorkerMethod> = (
  params: ParamsOf<M>,
  shouldStop: () => boolean,
  hops: Hop[],
) => { result: ResultOf<M>; transfer: ArrayBuffer[] };

/** Handles {@link WorkerRequest}s one at a time; an exception becomes an `error` reply. */
export class WorkerService {
  private readonly analyses: AnalysisService;
  private readonly isCancelled: (req: number) => boolean;
  private readonly handlers: { [M in WorkerMethod]: Handler<M> };

  constructor(
    private readonly post: PostReply,
    options: WorkerServiceOptions = {},
  ) {
    this.analyses = new AnalysisService(options);
    this.isCancelled = options.isCancelled ?? (() => false);
    this.handlers = {
      analyze: (params, shouldStop) => ({ result: this.analyses.analyze(params, shouldStop), transfer: [] }),
      inspect: (params) => ({ result: this.analyses.inspect(params), transfer: [] }),
      panelData: (params, shouldStop, hops) => {
        const result = this.analyses.panelData(params, hops, shouldStop);
        const transfer = [...payloadBuffers(result.result)];
        if (result.otherResult) transfer.push(...payloadBuffers(result.otherResult));
        if (result.breakdown) transfer.push(...wireSampleBuffers(result.breakdown));
        return { result, transfer };
      },
      arrayPair: (params) => ({ result: this.analyses.arrayPair(params), transfer: [] }),
      holdLive: (params) => ({ result: this.analyses.holdLive(params), transfer: [] }),
    };
  }

  /** Entry point for every incoming message. Returns after the reply is posted. */
  handle(data: unknown): void {
    const received = performance.now();
    const problem = workerRequestProblem(data);
    if (problem) {
      this.log('warn', `worker: dropped a malformed message: ${problem}`);
      // Answer when there is an id, so the host does not wait until its deadline for nothing.
      const req = (data as { req?: unknown } | null)?.req;
      if (typeof req === 'number' && Number.isSafeInteger(req) && req >= 0) {
        this.replyError(req, {
          code: 'invalid_request',
          message: `Malformed worker request: ${problem}.`,
          detail: { id: 'malformed_request', problem },
        });
      }
      return;
    }
    this.run(data as WorkerRequest, received);
  }

  /** Runs `request`, which arrived at `received` (`performance.now()`), and posts its reply with its hops. */
  private run<M extends WorkerMethod>(request: WorkerRequest & { method: M }, received: number): void {
    const { req } = request;
    const shouldStop = () => this.isCancelled(req);
    try {
      const handler = this.handlers[request.method] as Handler<M>;
      const hops: Hop[] = [['worker.check', performance.now() - received]];
      const { result, transfer } = handler(request.params as ParamsOf<M>, shouldStop, hops);
      // Finished after all, but the host has moved on: say so rather than send what nobody reads.
      if (shouldStop()) throw new KernelError('cancelled', 'The request was cancelled.', { id: 'cancelled' });
      hops.push(['worker.total', performance.now() - received]);
      this.post({ type: 'result', req, method: request.method, result, hops } as WorkerReply, transfer);
    } catch (err) {
      this.replyError(req, toErrorInfo(err));
    }
  }

  private replyError(req: number, error: ErrorInfo): void {
    this.post({ type: 'error', req, error }, []);
  }

  private log(level: 'info' | 'warn', message: string): void {
    this.post({ type: 'log', level, message }, []);
  }
}
