/**
 * The wire between the extension host ({@link ../worker/kernelClient}) and the kernel worker
 * ({@link ../worker/kernelWorker}). Every message that crosses that boundary is declared here,
 * and both sides import this file.
 *
 * - Host → worker: {@link WorkerRequest}. Worker → host: {@link WorkerReply}.
 * - Every request carries a `req` id from the host's counter. Each `computeLoss` or `breakdown`
 *   request gets exactly one reply with the same `req`: a result, or an `error` whose
 *   `{ code, message }` the host turns back into an error value.
 * - Typed arrays travel in the transfer list and are never structured-cloned: the host transfers the
 *   input, target and weight buffers in, and the worker transfers `losses`, `ignored` and `grad` out.
 * - Messages that arrive are checked with {@link workerRequestProblem} / {@link workerReplyProblem}
 *   before use. A malformed message is dropped with a logged warning.
 * - To add a message, for example `scan` for detection in the worker, add its interface, add it
 *   to the union, and add a `case` to the validator tables at the bottom. The exhaustive switches
 *   in the worker and the client then fail to compile until they handle it.
 *
 * Only type imports from `src/core/types` are allowed here, so this file stays plain data.
 */
import type { DocumentAnalysis, NotebookCellInput } from '../core/detection/types';
import type {
  DType,
  ErrorInfo,
  InputKind,
  LossRequest,
  Reduction,
  ReductionBreakdown,
  SampleBreakdown,
  TargetKind,
} from '../core/types';
import type { HeatMap } from './webview';

/** Host → worker: evaluate one cross-entropy request. Answered by {@link ComputeLossReply} or {@link ErrorReply}. */
export interface ComputeLossRequest {
  type: 'computeLoss';
  /** Host-assigned id, unique for the client's lifetime (it survives worker restarts). */
  req: number;
  /** The request. Its `data` buffers arrive by transfer and belong to the worker from then on. */
  request: LossRequest;
  /** Also compute d loss / d input. */
  grad?: boolean;
  /** Largest input accepted, in elements (the kernel's default when absent). */
  maxElements?: number;
  /**
   * Keep this result in the worker's small per-key cache, so that later {@link BreakdownRequest}s
   * can ask for one sample without sending the data again. Usually the document uri.
   */
  key?: string;
}

/**
 * Host → worker: the step-by-step breakdown of one sample of a result cached under `key`.
 * Answered by {@link BreakdownReply} or {@link ErrorReply}. The error code is `invalid_request` when the
 * result is no longer cached, for example after eviction or a worker restart.
 */
export interface BreakdownRequest {
  type: 'breakdown';
  /** Host-assigned id. */
  req: number;
  /** The cache key given with the `computeLoss` request. */
  key: string;
  /** `resultId` of the result to explain. A newer result under the same key does not match. */
  resultId: number;
  /** Flat element index n·S + s, from 0 to N·S − 1. */
  element: number;
}

/**
 * Host → worker: the host no longer wants request `req`. It has no reply of its own. The worker
 * answers the cancelled request with a `cancelled` error if it has not finished it yet, and
 * with its normal reply otherwise. The host ignores that reply, but it means the worker is free.
 */
export interface CancelNotification {
  type: 'cancel';
  /** Id of the request to drop. */
  req: number;
}

/**
 * Host → worker: find the pairs in a document and compute them (detection + kernel). The worker
 * keeps the last analysis per `key` for {@link InspectRequest}s. Answered by {@link AnalysisReply}.
 */
export interface AnalyzeRequest {
  type: 'analyze';
  /** Host-assigned id. */
  req: number;
  /** The document uri; a newer analysis for it replaces the older one. */
  key: string;
  /** Document version the text belongs to; echoed back so a stale result is never shown. */
  version: number;
  /** The text of a text document (absent for notebooks, and when `edits` are sent instead). */
  text?: string;
  /**
   * Instead of `text`: the edits that turn the text the worker holds for `key` at `baseVersion`
   * into this version, in the order to apply them (each offset refers to the text after the
   * previous edits). Saves cloning a 10 MB document on every keystroke. If the worker no longer
   * holds that version it answers `invalid_request` and the host sends the full text.
   */
  edits?: TextEdit[];
  /** The version `edits` apply to. */
  baseVersion?: number;
  /** The cells of a notebook, in order (absent for text documents). */
  cells?: NotebookCellInput[];
  /** VS Code language id of a text document. */
  languageId?: string;
  /** File name, to pick the language from its extension when the id is not one we know. */
  fileName?: string;
  /** Compute every pair in this dtype instead of the one the code implies. */
  dtypeOverride?: DType;
  /** Largest literal analysed, in elements. */
  maxElements?: number;
}

/** One replacement in a text: `length` characters at `offset` become `text`. */
export interface TextEdit {
  /** UTF-16 offset. */
  offset: number;
  /** Characters replaced. */
  length: number;
  /** The new text. */
  text: string;
}

/**
 * Host → worker: the numbers behind a hover or the panel for one pair of the analysis cached
 * under `key`: one sample's breakdown (chosen by `element`, or by the row of the logits literal
 * that contains `offset`), trimmed to the `topK` most likely classes plus the target, and
 * optionally the per-target summary. Answered by {@link InspectReply}.
 */
export interface InspectRequest {
  type: 'inspect';
  /** Host-assigned id. */
  req: number;
  /** The document uri the analysis was cached under. */
  key: string;
  /** The analysed version; a different cached version answers `invalid_request`. */
  version: number;
  /** Pair id from the analysis. */
  pairId: number;
  /** Flat sample index; defaults to the row at `offset`, or 0. */
  element?: number;
  /** A document offset inside the logits literal: its sample is inspected. */
  offset?: number;
  /** Keep only this many classes (the most likely) plus the target. 0 or absent: all. */
  topK?: number;
  /** Also return a summary of the first `targetLimit` targets (class, p, −log p). */
  targetLimit?: number;
  /** Also return the pair's request values (for "Copy as PyTorch"). */
  withData?: boolean;
}

/** A pair's request as plain numbers, for snippets. */
export interface PairDataPayload {
  /** Flat input values, row-major. */
  input: number[];
  /** Input shape. */
  inputShape: number[];
  /** Flat target values. */
  target: number[];
  /** Target shape. */
  targetShape: number[];
  /** Class weights, or null. */
  weight: number[] | null;
}

/** Options the panel's controls set for a pair (code options plus the user's overrides). */
export interface PanelComputeOptions {
  /** `reduction=`. */
  reduction: Reduction;
  /** Working precision; the other one is computed too, for the reduction card. */
  dtype: DType;
  /** ε in [0, 1]. */
  labelSmoothing: number;
  /** `ignore_index=`. */
  ignoreIndex: number;
  /** Class weights, or null. */
  weight: number[] | null;
  /** logits or log-probabilities. */
  inputKind: InputKind;
}

/**
 * Host → worker: everything the panel shows for one pair of the analysis cached under `key`,
 * computed with the panel's options: the result in both dtypes, one sample's breakdown with its
 * gradient row, and the batch heat map. Answered by {@link PanelDataReply}.
 */
export interface PanelDataRequest {
  type: 'panelData';
  /** Host-assigned id. */
  req: number;
  /** The document uri the analysis was cached under. */
  key: string;
  /** The analysed version. */
  version: number;
  /** Pair id from the analysis. */
  pairId: number;
  /** Flat sample index (clamped to the pair's samples). */
  element: number;
  /** The options in effect. */
  options: PanelComputeOptions;
}

/** Every message the host sends to the kernel worker. */
export type WorkerRequest =
  ComputeLossRequest | BreakdownRequest | CancelNotification | AnalyzeRequest | InspectRequest | PanelDataRequest;

/** The numbers of one evaluation, as sent over the wire (and returned by the inline path). */
export interface LossPayload {
  /** Id of this result: the `req` of the `computeLoss` that produced it. Pass it to breakdown requests. */
  resultId: number;
  /** The reduced loss: mean or sum. For reduction 'none' it is the sum of `losses`. */
  loss: number;
  /** Per-element losses, in the layout of `lossShape`. 0 for ignored targets. Transferred. */
  losses: Float64Array;
  /** Σ losses: the reduction's numerator. */
  numerator: number;
  /** The reduction's denominator: Σ w[target] over non-ignored targets, N·d1·…·dK for probabilities, 1 for sum/none. */
  denominator: number;
  /** For index targets: 1 where the target equals ignore_index; null for probability targets. Transferred. */
  ignored: Uint8Array | null;
  /** d loss / d input in the input's layout, when `grad` was asked for. Transferred. */
  grad?: Float64Array;
  /** Working precision. */
  dtype: DType;
  /** The reduction applied. */
  reduction: Reduction;
  /** Whether the target was read as class indices or as probabilities. */
  targetKind: TargetKind;
  /** Input shape: (C), (N, C) or (N, C, d1, …, dK). */
  inputShape: number[];
  /** Shape of `losses`: () unbatched, (N) or (N, d1, …, dK). */
  lossShape: number[];
  /** Batch size: 1 for an unbatched input. */
  N: number;
  /** Number of classes. */
  C: number;
  /** Positions per sample (d1·…·dK): 1 without extra dimensions. */
  S: number;
  /** Milliseconds spent in the kernel (prepare + loss), measured where it ran. */
  kernelMs: number;
}

/** One sample's steps (src/core/types.ts `SampleBreakdown`; plain data, structured-cloned). */
export type SampleBreakdownPayload = SampleBreakdown;

/** The reduction, with the numbers it combines (src/core/types.ts `ReductionBreakdown`). */
export type ReductionBreakdownPayload = ReductionBreakdown;

/** Worker → host: the answer to a {@link ComputeLossRequest}. */
export interface ComputeLossReply {
  type: 'result';
  /** The request's id. */
  req: number;
  /** The numbers. Typed arrays in it arrive by transfer. */
  result: LossPayload;
}

/** Worker → host: the answer to a {@link BreakdownRequest}. */
export interface BreakdownReply {
  type: 'breakdown';
  /** The request's id. */
  req: number;
  /** The sample's steps. */
  sample: SampleBreakdownPayload;
  /** The reduction over the whole result. */
  reduction: ReductionBreakdownPayload;
}

/** Worker → host: a request failed. The host rebuilds the error as a value from `{ code, message }`. */
export interface ErrorReply {
  type: 'error';
  /** The request's id. */
  req: number;
  /** What went wrong. Callers match on `code`. */
  error: ErrorInfo;
}

/**
 * Worker → host: a log line for the host's logger (the output channel). It has no `req`. The
 * worker sends this instead of writing to the console, which nobody reads.
 */
export interface WorkerLogNotification {
  type: 'log';
  /** Severity. */
  level: 'info' | 'warn';
  /** The text. */
  message: string;
}

/** Worker → host: the answer to an {@link AnalyzeRequest}. Array sites carry no `data`. */
export interface AnalysisReply {
  type: 'analysis';
  /** The request's id. */
  req: number;
  /** Echo of the request's version. */
  version: number;
  /** Everything found, with losses and claim verdicts. */
  analysis: DocumentAnalysis;
  /** Milliseconds spent in detection and kernel, measured in the worker. */
  analysisMs: number;
}

/** One target of a pair, for the target hover. */
export interface TargetSummary {
  /** Flat sample index. */
  sample: number;
  /** Class index (null for probability targets). */
  target: number | null;
  /** Softmax probability of the target class. */
  pTarget: number;
  /** The sample's loss (−log p for unweighted, unsmoothed targets). */
  nll: number;
  /** The target equals ignore_index. */
  ignored: boolean;
}

/** Worker → host: the answer to an {@link InspectRequest}. */
export interface InspectReply {
  type: 'inspect';
  /** The request's id. */
  req: number;
  /** The pair inspected. */
  pairId: number;
  /** The sample's steps; its per-class arrays hold only the classes in `classIndices`. */
  sample: SampleBreakdownPayload;
  /** The classes kept (ascending), or null when all C are present. */
  classIndices: number[] | null;
  /** Number of classes. */
  C: number;
  /** Number of samples N·S. */
  count: number;
  /** The reduction over the whole pair. */
  reduction: ReductionBreakdownPayload;
  /** The first targets, when asked for. */
  targets?: TargetSummary[];
  /** The pair's values, when asked for with `withData`. */
  data?: PairDataPayload;
}

/** Worker → host: the answer to a {@link PanelDataRequest}. */
export interface PanelDataReply {
  type: 'panelData';
  /** The request's id. */
  req: number;
  /** The result in the working dtype (no `grad`: the breakdown carries its row). */
  result: LossPayload;
  /** The same pair in the other dtype. */
  otherResult: LossPayload | null;
  /** The selected sample's steps, with its gradient row. */
  breakdown: SampleBreakdownPayload;
  /** The batch heat map (null for a single sample). */
  heatMap: HeatMap | null;
}

/** Every message the kernel worker sends to the host. */
export type WorkerReply =
  | ComputeLossReply
  | BreakdownReply
  | ErrorReply
  | WorkerLogNotification
  | AnalysisReply
  | InspectReply
  | PanelDataReply;

type Problem = string | null;

const requestTypes: readonly unknown[] = [
  'computeLoss',
  'breakdown',
  'cancel',
  'analyze',
  'inspect',
  'panelData',
] satisfies WorkerRequest['type'][];
const replyTypes: readonly unknown[] = [
  'result',
  'breakdown',
  'error',
  'log',
  'analysis',
  'inspect',
  'panelData',
] satisfies WorkerReply['type'][];

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

/** Works across realms, unlike `instanceof`. */
function isTyped(x: unknown, tag: 'Float64Array' | 'Uint8Array'): boolean {
  return ArrayBuffer.isView(x) && Object.prototype.toString.call(x) === `[object ${tag}]`;
}

function isReq(x: unknown): boolean {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function isShape(x: unknown): x is number[] {
  return Array.isArray(x) && x.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0);
}

function isNumberArray(x: unknown): boolean {
  return Array.isArray(x) && x.every((v) => typeof v === 'number');
}

function ndArrayProblem(x: unknown, name: string): Problem {
  if (!isObject(x)) return `${name} is not an object`;
  if (!isTyped(x.data, 'Float64Array')) return `${name}.data is not a Float64Array`;
  if (!isShape(x.shape)) return `${name}.shape is not a list of sizes`;
  if (typeof x.integral !== 'boolean') return `${name}.integral is not a boolean`;
  const expected = x.shape.reduce((a, b) => a * b, 1);
  const length = (x.data as Float64Array).length;
  if (length !== expected) return `${name} has ${length} values for shape [${x.shape.join(', ')}]`;
  return null;
}

/**
 * Checks the structure of a request. Option values such as the reduction name are checked by
 * the kernel, which reports them with torch's wording.
 */
function lossRequestProblem(x: unknown): Problem {
  if (!isObject(x)) return 'request is not an object';
  const input = ndArrayProblem(x.input, 'input');
  if (input) return input;
  const target = ndArrayProblem(x.target, 'target');
  if (target) return target;
  if (x.weight !== undefined && x.weight !== null) {
    const weight = ndArrayProblem(x.weight, 'weight');
    if (weight) return weight;
  }
  for (const field of ['ignoreIndex', 'labelSmoothing'] as const) {
    if (typeof x[field] !== 'number') return `${field} is not a number`;
  }
  for (const field of ['reduction', 'dtype', 'inputKind'] as const) {
    if (typeof x[field] !== 'string') return `${field} is not a string`;
  }
  return null;
}

/** Why `x` is not a valid {@link WorkerRequest}, or null when it is one. */
export function workerRequestProblem(x: unknown): Problem {
  if (!isObject(x)) return 'message is not an object';
  const type = x.type as WorkerRequest['type'];
  if (!requestTypes.includes(type)) return `unknown message type ${JSON.stringify(type)}`;
  if (!isReq(x.req)) return 'message has no valid req id';
  switch (type) {
    case 'computeLoss':
      if (x.grad !== undefined && typeof x.grad !== 'boolean') return 'grad is not a boolean';
      if (x.maxElements !== undefined && !(typeof x.maxElements === 'number' && x.maxElements >= 0))
        return 'maxElements is not a count';
      if (x.key !== undefined && typeof x.key !== 'string') return 'key is not a string';
      return lossRequestProblem(x.request);
    case 'breakdown':
      if (typeof x.key !== 'string') return 'key is not a string';
      if (!isReq(x.resultId)) return 'resultId is not an id';
      if (!(typeof x.element === 'number' && Number.isSafeInteger(x.element))) return 'element is not an integer';
      return null;
    case 'cancel':
      return null;
    case 'analyze':
      if (typeof x.key !== 'string') return 'key is not a string';
      if (!(typeof x.version === 'number' && Number.isSafeInteger(x.version))) return 'version is not an integer';
      if (x.text !== undefined && typeof x.text !== 'string') return 'text is not a string';
      if (x.cells !== undefined && !(Array.isArray(x.cells) && x.cells.every(isCell)))
        return 'cells are not notebook cells';
      if ([x.text, x.cells, x.edits].filter((v) => v !== undefined).length !== 1)
        return 'exactly one of text, cells and edits is needed';
      if (x.edits !== undefined) {
        if (
          !Array.isArray(x.edits) ||
          !x.edits.every((e) => isObject(e) && isReq(e.offset) && isReq(e.length) && typeof e.text === 'string')
        )
          return 'edits are not text edits';
        if (!(typeof x.baseVersion === 'number' && Number.isSafeInteger(x.baseVersion)))
          return 'baseVersion is not an integer';
      }
      for (const field of ['languageId', 'fileName'] as const) {
        if (x[field] !== undefined && typeof x[field] !== 'string') return `${field} is not a string`;
      }
      if (x.dtypeOverride !== undefined && x.dtypeOverride !== 'float32' && x.dtypeOverride !== 'float64')
        return 'dtypeOverride is not a dtype';
      if (x.maxElements !== undefined && !(typeof x.maxElements === 'number' && x.maxElements >= 0))
        return 'maxElements is not a count';
      return null;
    case 'inspect':
      if (typeof x.key !== 'string') return 'key is not a string';
      if (!(typeof x.version === 'number' && Number.isSafeInteger(x.version))) return 'version is not an integer';
      if (!isReq(x.pairId)) return 'pairId is not an id';
      for (const field of ['element', 'offset', 'topK', 'targetLimit'] as const) {
        if (x[field] !== undefined && !isReq(x[field])) return `${field} is not a count`;
      }
      if (x.withData !== undefined && typeof x.withData !== 'boolean') return 'withData is not a boolean';
      return null;
    case 'panelData': {
      if (typeof x.key !== 'string') return 'key is not a string';
      if (!(typeof x.version === 'number' && Number.isSafeInteger(x.version))) return 'version is not an integer';
      if (!isReq(x.pairId) || !isReq(x.element)) return 'pairId or element is not a count';
      const o = x.options;
      if (!isObject(o)) return 'options is not an object';
      if (o.reduction !== 'mean' && o.reduction !== 'sum' && o.reduction !== 'none')
        return 'options.reduction is not a reduction';
      if (o.dtype !== 'float32' && o.dtype !== 'float64') return 'options.dtype is not a dtype';
      if (o.inputKind !== 'logits' && o.inputKind !== 'log_probs') return 'options.inputKind is not an input kind';
      if (typeof o.labelSmoothing !== 'number' || !Number.isSafeInteger(o.ignoreIndex))
        return 'options.labelSmoothing or ignoreIndex is invalid';
      if (o.weight !== null && !isNumberArray(o.weight)) return 'options.weight is not a list of numbers or null';
      return null;
    }
    default: {
      const unknownType: never = type;
      return `unknown message type ${JSON.stringify(unknownType)}`;
    }
  }
}

function isCell(x: unknown): boolean {
  return (
    isObject(x) &&
    typeof x.source === 'string' &&
    (x.kind === 'code' || x.kind === 'markdown') &&
    (x.outputs === undefined || (Array.isArray(x.outputs) && x.outputs.every((o) => typeof o === 'string')))
  );
}

function lossPayloadProblem(x: unknown): Problem {
  if (!isObject(x)) return 'result is not an object';
  if (!isReq(x.resultId)) return 'result.resultId is not an id';
  for (const field of ['loss', 'numerator', 'denominator', 'N', 'C', 'S', 'kernelMs'] as const) {
    if (typeof x[field] !== 'number') return `result.${field} is not a number`;
  }
  if (!isTyped(x.losses, 'Float64Array')) return 'result.losses is not a Float64Array';
  if (x.ignored !== null && !isTyped(x.ignored, 'Uint8Array')) return 'result.ignored is not a Uint8Array or null';
  if (x.grad !== undefined && !isTyped(x.grad, 'Float64Array')) return 'result.grad is not a Float64Array';
  if (!isShape(x.inputShape) || !isShape(x.lossShape)) return 'result shapes are not lists of sizes';
  if (x.dtype !== 'float32' && x.dtype !== 'float64') return 'result.dtype is not a dtype';
  if (x.reduction !== 'mean' && x.reduction !== 'sum' && x.reduction !== 'none')
    return 'result.reduction is not a reduction';
  if (x.targetKind !== 'indices' && x.targetKind !== 'probabilities') return 'result.targetKind is not a target kind';
  return null;
}

function sampleProblem(x: unknown): Problem {
  if (!isObject(x)) return 'sample is not an object';
  for (const field of ['element', 'loss', 'denominatorShare'] as const) {
    if (typeof x[field] !== 'number') return `sample.${field} is not a number`;
  }
  for (const field of [
    'position',
    'logits',
    'softmax',
    'logSoftmax',
    'targetDistribution',
    'weight',
    'contributions',
  ] as const) {
    if (!isNumberArray(x[field])) return `sample.${field} is not a list of numbers`;
  }
  if (typeof x.ignored !== 'boolean') return 'sample.ignored is not a boolean';
  if (x.target !== null && typeof x.target !== 'number') return 'sample.target is not a number or null';
  return null;
}

/** Why `x` is not a valid {@link WorkerReply}, or null when it is one. */
export function workerReplyProblem(x: unknown): Problem {
  if (!isObject(x)) return 'message is not an object';
  const type = x.type as WorkerReply['type'];
  if (!replyTypes.includes(type)) return `unknown message type ${JSON.stringify(type)}`;
  if (type !== 'log' && !isReq(x.req)) return 'message has no valid req id';
  switch (type) {
    case 'result':
      return lossPayloadProblem(x.result);
    case 'breakdown':
      if (!isObject(x.reduction) || typeof x.reduction.loss !== 'number')
        return 'reduction is not a reduction breakdown';
      return sampleProblem(x.sample);
    case 'error':
      if (!isObject(x.error) || typeof x.error.code !== 'string' || typeof x.error.message !== 'string') {
        return 'error is not { code, message }';
      }
      return null;
    case 'log':
      if (x.level !== 'info' && x.level !== 'warn') return 'log level is not info or warn';
      return typeof x.message === 'string' ? null : 'log message is not a string';
    case 'analysis':
      if (!(typeof x.version === 'number' && typeof x.analysisMs === 'number'))
        return 'analysis has no version or timing';
      if (
        !isObject(x.analysis) ||
        !Array.isArray(x.analysis.pairs) ||
        !Array.isArray(x.analysis.claims) ||
        !Array.isArray(x.analysis.findings) ||
        !Array.isArray(x.analysis.arrays)
      )
        return 'analysis is not a document analysis';
      return null;
    case 'inspect':
      if (!isReq(x.pairId) || typeof x.C !== 'number' || typeof x.count !== 'number')
        return 'inspect reply has no pair, C or count';
      if (x.classIndices !== null && !isNumberArray(x.classIndices))
        return 'classIndices is not a list of numbers or null';
      if (!isObject(x.reduction) || typeof x.reduction.loss !== 'number')
        return 'reduction is not a reduction breakdown';
      if (x.targets !== undefined && !Array.isArray(x.targets)) return 'targets is not a list';
      return sampleProblem(x.sample);
    case 'panelData':
      return (
        lossPayloadProblem(x.result) ??
        (x.otherResult === null ? null : lossPayloadProblem(x.otherResult)) ??
        (x.heatMap === null || isObject(x.heatMap) ? null : 'heatMap is not an object or null') ??
        sampleProblem(x.breakdown)
      );
    default: {
      const unknownType: never = type;
      return `unknown message type ${JSON.stringify(unknownType)}`;
    }
  }
}

/** Guard for messages arriving at the worker. */
export function isWorkerRequest(x: unknown): x is WorkerRequest {
  return workerRequestProblem(x) === null;
}

/** Guard for messages arriving at the host. */
export function isWorkerReply(x: unknown): x is WorkerReply {
  return workerReplyProblem(x) === null;
}
