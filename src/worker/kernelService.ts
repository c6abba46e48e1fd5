/**
 * The worker side of the kernel protocol, without the transport. kernelWorker.ts connects it
 * to `parentPort`. The class has no Node imports, so a browser Web Worker can host it unchanged
 * later, and tests can drive it directly.
 */
import { deferredSource } from '../core/kernel/deferredInput';
import { toErrorInfo } from '../core/errors';
import {
  crossEntropy,
  defaultMaxElements,
  prepare,
  reductionBreakdown,
  sampleBreakdown,
  type LossResult,
  type Prepared,
} from '../core/kernel';
import type { ErrorInfo } from '../core/types';
import { AnalysisService } from './analysisService';
import { lossPayload, payloadBuffers } from './payload';
import {
  workerRequestProblem,
  type BreakdownRequest,
  type ComputeLossRequest,
  type SampleBreakdownPayload,
  type WorkerReply,
  type WorkerRequest,
  type AnalyzeRequest,
  type InspectRequest,
  type PanelDataRequest,
} from '../protocol/worker';

/** Sends one reply. Buffers in `transfer` move to the receiver and become detached here. */
export type PostReply = (reply: WorkerReply, transfer: ArrayBuffer[]) => void;

export interface KernelServiceOptions {
  /** Lets queued messages, such as a `cancel`, run. In Node: `() => new Promise(setImmediate)`. */
  yieldToEvents: () => Promise<void>;
  /** Inputs at least this large yield once between prepare and loss, so a cancel can stop them. */
  yieldAboveElements?: number;
  /** Most results kept for breakdown requests. Default 8. */
  cacheEntries?: number;
  /** Most bytes of typed arrays kept for breakdown requests. Default 256 MB. */
  cacheBytes?: number;
}

interface CacheEntry {
  resultId: number;
  prepared: Prepared;
  result: LossResult;
  bytes: number;
}

/** Bytes of typed arrays that an entry keeps alive. */
function entryBytes(p: Prepared, r: LossResult): number {
  return (
    (deferredSource(p)?.byteLength ?? p.x.byteLength) +
    (p.indices?.byteLength ?? 0) +
    (p.probs?.byteLength ?? 0) +
    (p.weight?.byteLength ?? 0) +
    r.losses.byteLength +
    (r.ignored?.byteLength ?? 0) +
    (r.grad?.byteLength ?? 0)
  );
}

/**
 * Handles {@link WorkerRequest}s: validates them, runs the core kernel, and replies. Each
 * `computeLoss` or `breakdown` gets exactly one reply, and an exception becomes an `error`
 * reply. Results sent with a `key` stay in a small LRU cache, so that the host can ask for the
 * breakdown of one sample of a large batch without sending the data again.
 */
export class KernelService {
  private readonly cache = new Map<string, CacheEntry>();
  private cachedBytes = 0;
  /** Computations waiting at their yield point, which a `cancel` can still stop. */
  private readonly interruptible = new Set<number>();
  private readonly cancelled = new Set<number>();
  private readonly yieldAbove: number;
  private readonly cacheEntries: number;
  private readonly cacheBytes: number;
  private readonly analyses = new AnalysisService();

  constructor(
    private readonly post: PostReply,
    private readonly options: KernelServiceOptions,
  ) {
    this.yieldAbove = options.yieldAboveElements ?? 1 << 16;
    this.cacheEntries = options.cacheEntries ?? 8;
    this.cacheBytes = options.cacheBytes ?? 256 * 2 ** 20;
  }

  /** Entry point for every incoming message. Returns after the reply is posted. */
  async handle(data: unknown): Promise<void> {
    const problem = workerRequestProblem(data);
    if (problem) {
      this.log('warn', `kernel worker: dropped a malformed message: ${problem}`);
      // Answer when there is an id, so the host does not wait until its deadline for nothing.
      const req = (data as { req?: unknown } | null)?.req;
      const type = (data as { type?: unknown } | null)?.type;
      if (typeof req === 'number' && type !== 'cancel') {
        this.replyError(req, { code: 'invalid_request', message: `Malformed worker request: ${problem}.` });
      }
      return;
    }
    const message = data as WorkerRequest;
    switch (message.type) {
      case 'computeLoss':
        return this.computeLoss(message);
      case 'breakdown':
        return this.breakdown(message);
      case 'cancel':
        if (this.interruptible.has(message.req)) this.cancelled.add(message.req);
        return;
      case 'analyze':
        return this.analyze(message);
      case 'inspect':
        return this.inspect(message);
      case 'panelData':
        return this.panelData(message);
      default: {
        const unknownMessage: never = message;
        this.log(
          'warn',
          `kernel worker: ignored message ${JSON.stringify((unknownMessage as { type: unknown }).type)}`,
        );
      }
    }
  }

  private async computeLoss(message: ComputeLossRequest): Promise<void> {
    const { req } = message;
    try {
      const started = performance.now();
      const prepared = prepare(message.request, message.maxElements ?? defaultMaxElements);
      if (prepared.N * prepared.C * prepared.S >= this.yieldAbove) {
        this.interruptible.add(req);
        try {
          await this.options.yieldToEvents();
        } finally {
          this.interruptible.delete(req);
        }
        if (this.cancelled.delete(req)) {
          this.replyError(req, { code: 'cancelled', message: 'The request was cancelled.' });
          return;
        }
      }
      const result = crossEntropy(prepared, !!message.grad);
      const kernelMs = performance.now() - started;
      const cached = message.key !== undefined && this.remember(message.key, req, prepared, result);
      // A cached result keeps its arrays for later breakdowns, so the host gets copies.
      const payload = lossPayload(prepared, result, req, kernelMs, cached);
      this.post({ type: 'result', req, result: payload }, payloadBuffers(payload));
    } catch (err) {
      this.replyError(req, toErrorInfo(err));
    }
  }

  private breakdown(message: BreakdownRequest): void {
    const { req, key, resultId, element } = message;
    try {
      const entry = this.cache.get(key);
      if (!entry || entry.resultId !== resultId) {
        this.replyError(req, {
          code: 'invalid_request',
          message: `Result ${resultId} for ${key} is no longer available; compute it again.`,
        });
        return;
      }
      // Touch: most recently used goes last.
      this.cache.delete(key);
      this.cache.set(key, entry);
      const { prepared, result } = entry;
      const count = prepared.N * prepared.S;
      if (!(element >= 0 && element < count)) {
        this.replyError(req, {
          code: 'invalid_request',
          message: `Sample ${element} is out of range: the result has ${count} sample${count === 1 ? '' : 's'}.`,
        });
        return;
      }
      const sample: SampleBreakdownPayload = sampleBreakdown(prepared, result, element);
      this.post({ type: 'breakdown', req, sample, reduction: reductionBreakdown(prepared, result) }, []);
    } catch (err) {
      this.replyError(req, toErrorInfo(err));
    }
  }

  private analyze(message: AnalyzeRequest): void {
    try {
      const started = performance.now();
      const analysis = this.analyses.analyze(message);
      this.post(
        {
          type: 'analysis',
          req: message.req,
          version: message.version,
          analysis,
          analysisMs: performance.now() - started,
        },
        [],
      );
    } catch (err) {
      this.replyError(message.req, toErrorInfo(err));
    }
  }

  private inspect(message: InspectRequest): void {
    try {
      const r = this.analyses.inspect(message);
      if ('error' in r) this.replyError(message.req, r.error);
      else this.post({ type: 'inspect', req: message.req, ...r }, []);
    } catch (err) {
      this.replyError(message.req, toErrorInfo(err));
    }
  }

  private panelData(message: PanelDataRequest): void {
    try {
      const r = this.analyses.panelData(message);
      if ('error' in r) {
        this.replyError(message.req, r.error);
        return;
      }
      const transfer = [...payloadBuffers(r.result), ...(r.otherResult ? payloadBuffers(r.otherResult) : [])];
      this.post({ type: 'panelData', req: message.req, ...r }, transfer);
    } catch (err) {
      this.replyError(message.req, toErrorInfo(err));
    }
  }

  /** Caches a keyed result when it fits; evicts least recently used entries. */
  private remember(key: string, resultId: number, prepared: Prepared, result: LossResult): boolean {
    this.forget(key);
    const bytes = entryBytes(prepared, result);
    if (bytes > this.cacheBytes) return false;
    while (this.cache.size >= this.cacheEntries || this.cachedBytes + bytes > this.cacheBytes) {
      const oldest = this.cache.keys().next().value as string;
      this.forget(oldest);
    }
    this.cache.set(key, { resultId, prepared, result, bytes });
    this.cachedBytes += bytes;
    return true;
  }

  private forget(key: string): void {
    const entry = this.cache.get(key);
    if (!entry) return;
    this.cache.delete(key);
    this.cachedBytes -= entry.bytes;
  }

  private replyError(req: number, error: ErrorInfo): void {
    this.post({ type: 'error', req, error }, []);
  }

  private log(level: 'info' | 'warn', message: string): void {
    this.post({ type: 'log', level, message }, []);
  }
}
