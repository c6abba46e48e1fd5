/**
 * The wire between the extension host ({@link ../worker/workerClient}) and its one analysis
 * worker ({@link ../worker/workerMain}). Every message that crosses that boundary is declared
 * here, and both sides import this file.
 *
 * - The host asks; the worker answers. {@link WorkerMethods} maps each method to its params and
 *   result; a request is `{ type: 'request', req, method, params }` and gets exactly one reply
 *   with the same `req`: `{ type: 'result', req, method, result }` or `{ type: 'error', req, error }`.
 * - A fresh worker says `{ type: 'ready' }` once its code has loaded. The host starts a request's
 *   deadline clock when the worker can start it (on `ready` for a new worker), never at spawn.
 * - Cancellation does not travel as a message: the host and the worker share a small
 *   `SharedArrayBuffer` ({@link cancelSlots}); the host writes the `req` it gives up on, and the
 *   worker reads it at statement boundaries and stops that request with a `cancelled` error.
 * - Typed arrays in results travel in the transfer list, never structured-cloned.
 * - Everything that arrives is checked with {@link workerRequestProblem} / {@link workerReplyProblem}
 *   before use; a malformed message is dropped with a logged warning.
 * - To add a method: add it to {@link WorkerMethods}, add its params and result checks to the two
 *   tables at the bottom, and implement it in ../worker/workerService.ts. The compiler then insists
 *   that both tables and the worker's handler table cover it.
 *
 * Only type imports from src/core's public types (src/core/types, src/core/detection's index)
 * are allowed here, so this file stays plain data.
 */
import type { DocumentAnalysis, NotebookCellInput } from '../core/detection';
import type {
  DType,
  ErrorInfo,
  InputKind,
  InvalidTargetList,
  LossRequest,
  Reduction,
  ReductionBreakdown,
  SampleBreakdown,
  TargetKind,
} from '../core/types';
import type { HeatMap } from './webview';

/** Every request the host makes of the worker: method → what it sends and what it gets back. */
export interface WorkerMethods {
  analyze: { params: AnalyzeParams; result: AnalyzeResult };
  inspect: { params: InspectParams; result: Inspection };
  panelData: { params: PanelDataParams; result: PanelData };
  arrayPair: { params: ArrayPairParams; result: ArrayPairResult };
  holdLive: { params: HoldLiveParams; result: HoldLiveResult };
}

export type WorkerMethod = keyof WorkerMethods;
export type ParamsOf<M extends WorkerMethod> = WorkerMethods[M]['params'];
export type ResultOf<M extends WorkerMethod> = WorkerMethods[M]['result'];

/**
 * Layout of the shared cancellation buffer (an Int32Array over a SharedArrayBuffer passed to the
 * worker at start): slot 0 holds the `req` of the request the host gave up on (0: none). The
 * worker compares it with the request it is running, so a stale value never stops a newer one.
 */
export const cancelSlots = 1;

/**
 * Find the pairs in a document and compute them (detection + kernel). Unless `transient`, the
 * worker keeps the analysis under `key` for later {@link InspectParams inspect} and
 * {@link PanelDataParams panelData} requests.
 */
export interface AnalyzeParams {
  /** The document uri; a newer analysis for it replaces the older one. */
  key: string;
  /** Document version the text belongs to; echoed back so a stale result is never shown. */
  version: number;
  /**
   * Answer and forget: a one-shot analysis (Check All Claims, Inspect Selection) that must not
   * evict the open documents' analyses that hovers inspect.
   */
  transient?: boolean;
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

/** The answer to {@link AnalyzeParams}. Array sites carry no `data`, pairs no `request`. */
export interface AnalyzeResult {
  /** Echo of the request's version. */
  version: number;
  /** Everything found, with losses and claim verdicts. */
  analysis: DocumentAnalysis;
  /** Milliseconds spent in detection and kernel, measured in the worker. */
  analysisMs: number;
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
 * The numbers behind a hover or a copy for one pair of the analysis kept under `key`: one
 * sample's breakdown (chosen by `element`, or by the row of the logits literal that contains
 * `offset`), trimmed to the `topK` most likely classes plus the target, and optionally the
 * per-target summary and the pair's values.
 */
export interface InspectParams {
  /** The document uri the analysis was kept under. */
  key: string;
  /** The analysed version; a different kept version answers `invalid_request`. */
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

/** The answer to {@link InspectParams}. */
export interface Inspection {
  /** The pair inspected. */
  pairId: number;
  /** The sample's steps; its per-class arrays hold only the classes in `classIndices`. */
  sample: SampleBreakdown;
  /** The classes kept (ascending), or null when all C are present. */
  classIndices: number[] | null;
  /** Number of classes. */
  C: number;
  /** Number of samples N·S. */
  count: number;
  /** The reduction over the whole pair. */
  reduction: ReductionBreakdown;
  /** The first targets, when asked for. */
  targets?: TargetSummary[];
  /** The pair's values, when asked for with `withData`. */
  data?: PairData;
  /**
   * When the sample was found from `offset`: the document offsets [start, end) of the logits row
   * that offset fell in, every offset of which names the same sample. The host answers a later
   * hover anywhere in that row from this reply instead of asking again. Absent when the row is
   * not one contiguous span (inputs of more than two dimensions).
   */
  rowSpan?: { start: number; end: number };
}

/** A pair's request as plain numbers, for snippets. */
export interface PairData {
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
 * Everything the panel shows for one pair of the analysis kept under `key`, computed with the
 * panel's options: the result in both dtypes, one sample's breakdown with its gradient row, and
 * the batch heat map.
 */
export interface PanelDataParams {
  /** The document uri the analysis was kept under. */
  key: string;
  /** The analysed version. */
  version: number;
  /** Pair id from the analysis. */
  pairId: number;
  /** Flat sample index (clamped to the pair's samples). */
  element: number;
  /**
   * The user has not picked `element` (it is the default): when its target is out of range, show
   * the first sample whose target is valid instead.
   */
  preferValid?: boolean;
  /** The options in effect. */
  options: PanelComputeOptions;
  /**
   * The {@link PanelData.heatMapId} of the heat map the host holds: when the answer's is the same,
   * the heat map is left out of it ({@link PanelData.heatMapKept}) instead of cloned again.
   */
  heatMapId?: number;
}

/** The answer to {@link PanelDataParams}. */
export interface PanelData {
  /** The result in the working dtype (no `grad`: the breakdown carries its row). */
  result: LossPayload;
  /** The same pair in the other dtype. */
  otherResult: LossPayload | null;
  /**
   * The selected sample's steps, with its gradient row, each per-class list a Float64Array that
   * is transferred: a (64, 50 257) pair's sample cloned as nine lists of numbers cost 60–80 ms a
   * side, where a transfer moves the buffers. {@link sampleFromWire} gives the lists back.
   */
  breakdown: WireSampleBreakdown;
  /** The batch heat map (null for a single sample, or when {@link heatMapKept}). */
  heatMap: HeatMap | null;
  /**
   * Names the heat map (the same for every sample of a pair under options that give the same
   * probabilities and row losses: the reduction does not change it); 0 when there is none.
   */
  heatMapId: number;
  /** The host holds heat map {@link heatMapId} already (it asked with that id): `heatMap` is null. */
  heatMapKept?: boolean;
  /**
   * Targets out of range: torch raises, so `result` and `otherResult` are computed with those
   * samples masked as ignored and their totals are not torch's. Absent or null when all are valid.
   */
  invalidTargets?: InvalidTargetList | null;
}

/** The per-class lists of a {@link SampleBreakdown}, which cross the worker boundary as Float64Arrays. */
const wireLists = [
  'logits',
  'shifted',
  'exp',
  'softmax',
  'logSoftmax',
  'targetDistribution',
  'weight',
  'contributions',
  'grad',
] as const;
type WireList = (typeof wireLists)[number];

/** A {@link SampleBreakdown} whose per-class lists are Float64Arrays (null/absent stay so). */
export type WireSampleBreakdown = Omit<SampleBreakdown, WireList> & {
  [K in WireList]: SampleBreakdown[K] extends number[]
    ? Float64Array
    : SampleBreakdown[K] extends number[] | null
      ? Float64Array | null
      : Float64Array | undefined;
};

/** The worker's side: the lists as Float64Arrays. */
export function sampleToWire(b: SampleBreakdown): WireSampleBreakdown {
  const wire: Record<string, unknown> = { ...b };
  for (const k of wireLists) {
    const v = b[k];
    if (v) wire[k] = Float64Array.from(v);
  }
  return wire as WireSampleBreakdown;
}

/** The buffers of a wire sample's lists, to transfer rather than copy. */
export function wireSampleBuffers(w: WireSampleBreakdown): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const k of wireLists) {
    const v = w[k];
    if (v) out.push(v.buffer as ArrayBuffer);
  }
  return out;
}

/** The host's side: the lists as plain arrays again (a few milliseconds for 50 257 classes). */
export function sampleFromWire(w: WireSampleBreakdown): SampleBreakdown {
  const out: Record<string, unknown> = { ...w };
  for (const k of wireLists) {
    const v = w[k];
    if (v) out[k] = Array.from(v);
  }
  return out as unknown as SampleBreakdown;
}

/** One array literal as written, for {@link ArrayPairParams}. */
export interface ArraySource {
  /** The literal expression's text, e.g. `torch.tensor([[1.0, 2.0]])` or `[0, 1]`. */
  text: string;
  /** VS Code language id of the document it comes from. */
  languageId: string;
}

/**
 * The loss of two array literals read as logits and target with torch's defaults (Inspect
 * Selection, when the selection holds arrays but no loss call).
 */
export interface ArrayPairParams {
  logits: ArraySource;
  target: ArraySource;
  /** Compute in this dtype instead of the one the logits' constructor implies. */
  dtypeOverride?: DType;
  /** Largest literal read, in elements. */
  maxElements?: number;
  /** Answer with the request built from the two literals too, so the panel can show the pair. */
  withRequest?: boolean;
}

/** The answer to {@link ArrayPairParams}. */
export interface ArrayPairResult {
  /** The reduced loss; null on error. */
  loss: number | null;
  /** What torch prints for it (`tensor(2.1438)`); null on error. */
  printed: string | null;
  /** The logits' shape as computed. */
  inputShape: number[];
  /** The dtype computed in. */
  dtype: DType;
  /** Why there is no loss (unreadable literal, or the kernel's error in torch's words). */
  error: ErrorInfo | null;
  /** With `withRequest`, once both literals were read: the kernel request they make (torch's defaults). */
  request?: LossRequest;
}

/**
 * Keep a pair read from a paused program (src/live) under `key`, so that `inspect` and
 * `panelData` serve it as pair {@link livePairId} of that key, as they serve a document's pairs.
 * The worker keeps the newest few such pairs; a hold under a key already held replaces it.
 */
export interface HoldLiveParams {
  /** `live:` plus the host's own counter; never a document uri. */
  key: string;
  /** The host's version of the pair (echoed in later requests, as a document version is). */
  version: number;
  /** The kernel request built from the program's tensors (typed arrays are structured-cloned). */
  request: LossRequest;
}

/** The id a held live pair has in `inspect` and `panelData` requests. */
export const livePairId = 0;

/** The answer to {@link HoldLiveParams}: the pair computed once under its own options. */
export interface HoldLiveResult {
  /** The reduced loss (the sum for reduction 'none'); null when the kernel refused the request. */
  loss: number | null;
  /** What torch prints for it; null on error. */
  printed: string | null;
  /** Shapes as computed. */
  inputShape: number[];
  targetShape: number[];
  /** Shape of the per-sample losses. */
  lossShape: number[];
  /** Batch size, classes and positions per sample (0 on error). */
  N: number;
  C: number;
  S: number;
  /** How the target was read (null on error). */
  targetKind: TargetKind | null;
  /** The kernel's error in torch's words, or null. */
  error: ErrorInfo | null;
}

/** The numbers of one evaluation, as sent over the wire. */
export interface LossPayload {
  /** Id of this result (the pair id for panel results). */
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
  /** d loss / d input in the input's layout, when asked for. Transferred. */
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

/** Host → worker: one request. */
export type WorkerRequest = {
  [M in WorkerMethod]: { type: 'request'; req: number; method: M; params: ParamsOf<M> };
}[WorkerMethod];

/** Worker → host: the answer to request `req`. Typed arrays in `result` arrive by transfer. */
export type ResultReply = {
  [M in WorkerMethod]: { type: 'result'; req: number; method: M; result: ResultOf<M> };
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

type Problem = string | null;
type Check = (x: Record<string, unknown>) => Problem;

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

/** Works across realms, unlike `instanceof`. */
function isTyped(x: unknown, tag: 'Float64Array' | 'Uint8Array'): boolean {
  return ArrayBuffer.isView(x) && Object.prototype.toString.call(x) === `[object ${tag}]`;
}

function isCount(x: unknown): boolean {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function isInteger(x: unknown): boolean {
  return typeof x === 'number' && Number.isSafeInteger(x);
}

function isShape(x: unknown): x is number[] {
  return Array.isArray(x) && x.every(isCount);
}

function isNumberArray(x: unknown): boolean {
  return Array.isArray(x) && x.every((v) => typeof v === 'number');
}

function isDType(x: unknown): boolean {
  return x === 'float32' || x === 'float64';
}

function isCell(x: unknown): boolean {
  return (
    isObject(x) &&
    typeof x.source === 'string' &&
    (x.kind === 'code' || x.kind === 'markdown') &&
    (x.outputs === undefined || (Array.isArray(x.outputs) && x.outputs.every((o) => typeof o === 'string')))
  );
}

function optional(x: unknown, ok: (v: unknown) => boolean): boolean {
  return x === undefined || ok(x);
}

function keyAndVersion(x: Record<string, unknown>): Problem {
  if (typeof x.key !== 'string') return 'key is not a string';
  if (!isInteger(x.version)) return 'version is not an integer';
  return null;
}

function arraySourceProblem(x: unknown, name: string): Problem {
  if (!isObject(x) || typeof x.text !== 'string' || typeof x.languageId !== 'string')
    return `${name} is not { text, languageId }`;
  return null;
}

const paramsChecks: { [M in WorkerMethod]: Check } = {
  analyze: (x) => {
    const kv = keyAndVersion(x);
    if (kv) return kv;
    if (!optional(x.transient, (v) => typeof v === 'boolean')) return 'transient is not a boolean';
    if (!optional(x.text, (v) => typeof v === 'string')) return 'text is not a string';
    if (!optional(x.cells, (v) => Array.isArray(v) && v.every(isCell))) return 'cells are not notebook cells';
    if ([x.text, x.cells, x.edits].filter((v) => v !== undefined).length !== 1)
      return 'exactly one of text, cells and edits is needed';
    if (x.edits !== undefined) {
      const editsOk =
        Array.isArray(x.edits) &&
        x.edits.every((e) => isObject(e) && isCount(e.offset) && isCount(e.length) && typeof e.text === 'string');
      if (!editsOk) return 'edits are not text edits';
      if (!isInteger(x.baseVersion)) return 'baseVersion is not an integer';
    }
    for (const field of ['languageId', 'fileName'] as const) {
      if (!optional(x[field], (v) => typeof v === 'string')) return `${field} is not a string`;
    }
    if (!optional(x.dtypeOverride, isDType)) return 'dtypeOverride is not a dtype';
    if (!optional(x.maxElements, isCount)) return 'maxElements is not a count';
    return null;
  },
  inspect: (x) => {
    const kv = keyAndVersion(x);
    if (kv) return kv;
    if (!isCount(x.pairId)) return 'pairId is not an id';
    for (const field of ['element', 'offset', 'topK', 'targetLimit'] as const) {
      if (!optional(x[field], isCount)) return `${field} is not a count`;
    }
    if (!optional(x.withData, (v) => typeof v === 'boolean')) return 'withData is not a boolean';
    return null;
  },
  panelData: (x) => {
    const kv = keyAndVersion(x);
    if (kv) return kv;
    if (!isCount(x.pairId) || !isCount(x.element)) return 'pairId or element is not a count';
    const o = x.options;
    if (!isObject(o)) return 'options is not an object';
    if (o.reduction !== 'mean' && o.reduction !== 'sum' && o.reduction !== 'none')
      return 'options.reduction is not a reduction';
    if (!isDType(o.dtype)) return 'options.dtype is not a dtype';
    if (o.inputKind !== 'logits' && o.inputKind !== 'log_probs') return 'options.inputKind is not an input kind';
    if (typeof o.labelSmoothing !== 'number' || !isInteger(o.ignoreIndex))
      return 'options.labelSmoothing or ignoreIndex is invalid';
    if (o.weight !== null && !isNumberArray(o.weight)) return 'options.weight is not a list of numbers or null';
    return null;
  },
  arrayPair: (x) =>
    arraySourceProblem(x.logits, 'logits') ??
    arraySourceProblem(x.target, 'target') ??
    (optional(x.dtypeOverride, isDType) ? null : 'dtypeOverride is not a dtype') ??
    (optional(x.maxElements, isCount) ? null : 'maxElements is not a count') ??
    (optional(x.withRequest, (v) => typeof v === 'boolean') ? null : 'withRequest is not a boolean'),
  holdLive: (x) => keyAndVersion(x) ?? lossRequestProblem(x.request),
};

function ndArrayProblem(x: unknown, name: string): Problem {
  if (!isObject(x)) return `${name} is not an array`;
  if (!isTyped(x.data, 'Float64Array')) return `${name}.data is not a Float64Array`;
  if (!isShape(x.shape)) return `${name}.shape is not a list of sizes`;
  if (typeof x.integral !== 'boolean') return `${name}.integral is not a boolean`;
  const size = x.shape.reduce((a, b) => a * b, 1);
  return (x.data as Float64Array).length === size
    ? null
    : `${name} holds ${(x.data as Float64Array).length} values, not ${size}`;
}

function lossRequestProblem(x: unknown): Problem {
  if (!isObject(x)) return 'request is not an object';
  const shapes = ndArrayProblem(x.input, 'request.input') ?? ndArrayProblem(x.target, 'request.target');
  if (shapes) return shapes;
  if (x.weight !== undefined && x.weight !== null) {
    const w = ndArrayProblem(x.weight, 'request.weight');
    if (w) return w;
  }
  if (x.reduction !== 'mean' && x.reduction !== 'sum' && x.reduction !== 'none')
    return 'request.reduction is not a reduction';
  if (!isDType(x.dtype)) return 'request.dtype is not a dtype';
  if (x.inputKind !== 'logits' && x.inputKind !== 'log_probs') return 'request.inputKind is not an input kind';
  if (typeof x.labelSmoothing !== 'number' || !isInteger(x.ignoreIndex))
    return 'request.labelSmoothing or ignoreIndex is invalid';
  return null;
}

function lossPayloadProblem(x: unknown, name: string): Problem {
  if (!isObject(x)) return `${name} is not an object`;
  if (!isCount(x.resultId)) return `${name}.resultId is not an id`;
  for (const field of ['loss', 'numerator', 'denominator', 'N', 'C', 'S', 'kernelMs'] as const) {
    if (typeof x[field] !== 'number') return `${name}.${field} is not a number`;
  }
  if (!isTyped(x.losses, 'Float64Array')) return `${name}.losses is not a Float64Array`;
  if (x.ignored !== null && !isTyped(x.ignored, 'Uint8Array')) return `${name}.ignored is not a Uint8Array or null`;
  if (x.grad !== undefined && !isTyped(x.grad, 'Float64Array')) return `${name}.grad is not a Float64Array`;
  if (!isShape(x.inputShape) || !isShape(x.lossShape)) return `${name} shapes are not lists of sizes`;
  if (!isDType(x.dtype)) return `${name}.dtype is not a dtype`;
  if (x.reduction !== 'mean' && x.reduction !== 'sum' && x.reduction !== 'none')
    return `${name}.reduction is not a reduction`;
  if (x.targetKind !== 'indices' && x.targetKind !== 'probabilities') return `${name}.targetKind is not a target kind`;
  return null;
}

function sampleProblem(x: unknown, name: string): Problem {
  if (!isObject(x)) return `${name} is not an object`;
  for (const field of ['element', 'loss', 'denominatorShare'] as const) {
    if (typeof x[field] !== 'number') return `${name}.${field} is not a number`;
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
    if (!isNumberArray(x[field])) return `${name}.${field} is not a list of numbers`;
  }
  if (typeof x.ignored !== 'boolean') return `${name}.ignored is not a boolean`;
  if (x.target !== null && typeof x.target !== 'number') return `${name}.target is not a number or null`;
  return null;
}

/** A {@link WireSampleBreakdown}: Float64Array lists, all of one length C (checked in O(1) each). */
function wireSampleProblem(x: unknown, name: string): Problem {
  if (!isObject(x)) return `${name} is not an object`;
  for (const field of ['element', 'loss', 'denominatorShare'] as const) {
    if (typeof x[field] !== 'number') return `${name}.${field} is not a number`;
  }
  if (!isNumberArray(x.position)) return `${name}.position is not a list of numbers`;
  const C = isTyped(x.logits, 'Float64Array') ? (x.logits as Float64Array).length : -1;
  for (const field of wireLists) {
    const v = x[field];
    const optional = field === 'shifted' || field === 'exp' || field === 'grad';
    if (optional && (v === null || v === undefined)) continue;
    if (!isTyped(v, 'Float64Array') || (v as Float64Array).length !== C)
      return `${name}.${field} is not a Float64Array of the logits' length`;
  }
  if (typeof x.ignored !== 'boolean') return `${name}.ignored is not a boolean`;
  if (x.target !== null && typeof x.target !== 'number') return `${name}.target is not a number or null`;
  return null;
}

function reductionProblem(x: unknown): Problem {
  return isObject(x) && typeof x.loss === 'number' ? null : 'reduction is not a reduction breakdown';
}

const resultChecks: { [M in WorkerMethod]: Check } = {
  analyze: (x) => {
    if (!isInteger(x.version) || typeof x.analysisMs !== 'number') return 'analysis has no version or timing';
    const a = x.analysis;
    if (
      !isObject(a) ||
      !Array.isArray(a.pairs) ||
      !Array.isArray(a.claims) ||
      !Array.isArray(a.findings) ||
      !Array.isArray(a.arrays)
    )
      return 'analysis is not a document analysis';
    return null;
  },
  inspect: (x) => {
    if (!isCount(x.pairId) || typeof x.C !== 'number' || typeof x.count !== 'number')
      return 'inspection has no pair, C or count';
    if (x.classIndices !== null && !isNumberArray(x.classIndices))
      return 'classIndices is not a list of numbers or null';
    if (x.targets !== undefined && !Array.isArray(x.targets)) return 'targets is not a list';
    if (
      x.rowSpan !== undefined &&
      !(
        isObject(x.rowSpan) &&
        isCount(x.rowSpan.start) &&
        isCount(x.rowSpan.end) &&
        (x.rowSpan.start as number) < (x.rowSpan.end as number)
      )
    )
      return 'rowSpan is not a span of offsets';
    return reductionProblem(x.reduction) ?? sampleProblem(x.sample, 'sample');
  },
  panelData: (x) =>
    lossPayloadProblem(x.result, 'result') ??
    (x.otherResult === null ? null : lossPayloadProblem(x.otherResult, 'otherResult')) ??
    (x.heatMap === null || isObject(x.heatMap) ? null : 'heatMap is not an object or null') ??
    (isCount(x.heatMapId) ? null : 'heatMapId is not a count') ??
    (x.heatMapKept === undefined || (x.heatMapKept === true && x.heatMap === null && x.heatMapId !== 0)
      ? null
      : 'heatMapKept is set without a kept heat map') ??
    wireSampleProblem(x.breakdown, 'breakdown'),
  arrayPair: (x) => {
    if (x.loss !== null && typeof x.loss !== 'number') return 'loss is not a number or null';
    if (x.printed !== null && typeof x.printed !== 'string') return 'printed is not a string or null';
    if (!isShape(x.inputShape) || !isDType(x.dtype)) return 'inputShape or dtype is invalid';
    if (x.error !== null && !(isObject(x.error) && typeof x.error.code === 'string')) return 'error is invalid';
    return x.request === undefined ? null : lossRequestProblem(x.request);
  },
  holdLive: (x) => {
    if (x.loss !== null && typeof x.loss !== 'number') return 'loss is not a number or null';
    if (x.printed !== null && typeof x.printed !== 'string') return 'printed is not a string or null';
    if (!isShape(x.inputShape) || !isShape(x.targetShape) || !isShape(x.lossShape)) return 'shapes are invalid';
    if (!isCount(x.N) || !isCount(x.C) || !isCount(x.S)) return 'N, C or S is not a count';
    if (x.targetKind !== null && x.targetKind !== 'indices' && x.targetKind !== 'probabilities')
      return 'targetKind is not a target kind or null';
    if (x.error !== null && !(isObject(x.error) && typeof x.error.code === 'string')) return 'error is invalid';
    return null;
  },
};

function isMethod(x: unknown): x is WorkerMethod {
  return typeof x === 'string' && Object.hasOwn(paramsChecks, x);
}

/** Why `x` is not a valid {@link WorkerRequest}, or null when it is one. */
export function workerRequestProblem(x: unknown): Problem {
  if (!isObject(x)) return 'message is not an object';
  if (x.type !== 'request') return `unknown message type ${JSON.stringify(String(x.type).slice(0, 40))}`;
  if (!isCount(x.req)) return 'message has no valid req id';
  if (!isMethod(x.method)) return `unknown method ${JSON.stringify(String(x.method).slice(0, 40))}`;
  if (!isObject(x.params)) return 'params is not an object';
  return paramsChecks[x.method](x.params);
}

/** Why `x` is not a valid {@link WorkerReply}, or null when it is one. */
export function workerReplyProblem(x: unknown): Problem {
  if (!isObject(x)) return 'message is not an object';
  switch (x.type) {
    case 'ready':
      return null;
    case 'log':
      if (x.level !== 'info' && x.level !== 'warn') return 'log level is not info or warn';
      return typeof x.message === 'string' ? null : 'log message is not a string';
    case 'error':
      if (!isCount(x.req)) return 'message has no valid req id';
      if (!isObject(x.error) || typeof x.error.code !== 'string' || typeof x.error.message !== 'string')
        return 'error is not { code, message }';
      return null;
    case 'result':
      if (!isCount(x.req)) return 'message has no valid req id';
      if (!isMethod(x.method)) return `unknown method ${JSON.stringify(String(x.method).slice(0, 40))}`;
      if (!isObject(x.result)) return 'result is not an object';
      return resultChecks[x.method](x.result);
    default:
      return `unknown message type ${JSON.stringify(String(x.type).slice(0, 40))}`;
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
