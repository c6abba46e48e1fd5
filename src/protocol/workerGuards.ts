/**
 * The guards of the worker wire: every request and reply is checked here before use.
 */
import { wireLists } from './wireSample';
import { shownSampleProblem } from './webviewGuards';
import { hopsProblem } from './hops';
import { maxAlsoHeld, type WorkerMethod } from './workerMethods';
import type { ErrorDetail } from '../core/types';
import type { WorkerReply, WorkerRequest } from './workerMessages';

type Problem = string | null;
type Check = (x: Record<string, unknown>) => Problem;

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

/** Works across realms, unlike `instanceof`. */
function isTyped(x: unknown, tag: 'Float64Array' | 'Float32Array' | 'Uint8Array'): boolean {
  return ArrayBuffer.isView(x) && Object.prototype.toString.call(x) === `[object ${tag}]`;
}

function isCount(x: unknown): boolean {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function isInteger(x: unknown): boolean {
  return typeof x === 'number' && Number.isSafeInteger(x);
}

/** The fields of each {@link ErrorDetail} beside its id: a number or a string (a role is one of two). */
const detailFields: { [I in ErrorDetail['id']]: Record<string, 'number' | 'string' | 'role'> } = {
  analysis_gone: { version: 'number' },
  version_not_held: { version: 'number' },
  no_pair: { pair: 'number' },
  sample_out_of_range: { sample: 'number', count: 'number' },
  edit_out_of_range: { offset: 'number', removed: 'number', length: 'number' },
  selection_no_array: { role: 'role' },
  selection_unreadable: { role: 'role', reason: 'string' },
  no_request: {},
  malformed_request: { problem: 'string' },
  cancelled: {},
  deadline_exceeded: { ms: 'number' },
  worker_out_of_memory: { limitMb: 'number' },
  worker_failed: { reason: 'string' },
  worker_exited: { exitCode: 'number' },
  input_too_large: { elements: 'number', limit: 'number' },
  empty_input: {},
  log_probs_smoothing: {},
  log_probs_probabilities: {},
};

/** Longest text a detail may carry (a reader's or Node's words); the surfaces show it. */
const maxDetailText = 2000;

/** Why `x` is not an ErrorInfo (`{ code, message, detail? }`), or null when it is one. */
export function errorInfoProblem(x: unknown, at: string): Problem {
  if (!isObject(x) || typeof x.code !== 'string' || typeof x.message !== 'string')
    return `${at} is not { code, message }`;
  if (x.detail === undefined) return null;
  const d = x.detail;
  if (!isObject(d) || typeof d.id !== 'string' || !Object.hasOwn(detailFields, d.id))
    return `${at}.detail has no known id`;
  const fields = detailFields[d.id as ErrorDetail['id']];
  for (const key of Object.keys(d)) if (key !== 'id' && !Object.hasOwn(fields, key)) return `${at}.detail has ${key}`;
  for (const [key, kind] of Object.entries(fields)) {
    const v = d[key];
    const ok =
      kind === 'number'
        ? typeof v === 'number' && Number.isFinite(v)
        : kind === 'role'
          ? v === 'logits' || v === 'target'
          : typeof v === 'string' && v.length <= maxDetailText;
    if (!ok) return `${at}.detail.${key} is invalid`;
  }
  return null;
}

function isShape(x: unknown): x is number[] {
  return Array.isArray(x) && x.every(isCount);
}

function isNumberArray(x: unknown): boolean {
  return Array.isArray(x) && x.every((v) => typeof v === 'number');
}

/** A panelData reply's heatMapRows: absent, or new rows of the map the host named, in place of the map. */
function heatMapRowsProblem(x: Record<string, unknown>): string | null {
  const d = x.heatMapRows;
  if (d === undefined) return null;
  if (!isObject(d)) return 'heatMapRows is not an object';
  if (x.heatMap !== null || x.heatMapKept !== undefined || x.heatMapId === 0 || !isCount(d.base) || d.base === 0)
    return 'heatMapRows is sent beside a heat map, or without a base';
  if (d.base === x.heatMapId) return 'heatMapRows names its own heat map as its base';
  const rows = Array.isArray(d.rowLoss) ? d.rowLoss.length : -1;
  if (!isNumberArray(d.rowLoss) || !Array.isArray(d.rowIgnored) || !Array.isArray(d.rowPick))
    return 'heatMapRows has no rowLoss, rowIgnored or rowPick lists';
  if (d.rowIgnored.length !== rows || d.rowPick.length !== rows) return 'heatMapRows lists differ in length';
  if (!d.rowIgnored.every((v) => typeof v === 'boolean') || !d.rowPick.every(isCount))
    return 'heatMapRows has a rowIgnored that is not a boolean or a rowPick that is not a count';
  return null;
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

/** A {@link ShownRequest}: a class index or null, a finite shift, optionally whether the stability card is open. */
function isShownRequest(x: unknown): boolean {
  return (
    isObject(x) &&
    Object.keys(x).every((k) => k === 'classStart' || k === 'shift' || k === 'stability') &&
    (x.classStart === null || isCount(x.classStart)) &&
    typeof x.shift === 'number' &&
    Number.isFinite(x.shift) &&
    optional(x.stability, (v) => typeof v === 'boolean')
  );
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
    if (!optional(x.otherLater, (v) => typeof v === 'boolean')) return 'otherLater is not a boolean';
    if (!optional(x.alsoHeld, (v) => Array.isArray(v) && v.length <= maxAlsoHeld && v.every(isCount)))
      return `alsoHeld is not a list of at most ${maxAlsoHeld} ids`;
    return optional(x.shown, isShownRequest) ? null : 'shown is not { classStart, shift, stability? }';
  },
  arrayPair: (x) =>
    arraySourceProblem(x.logits, 'logits') ??
    arraySourceProblem(x.target, 'target') ??
    (optional(x.dtypeOverride, isDType) ? null : 'dtypeOverride is not a dtype') ??
    (optional(x.maxElements, isCount) ? null : 'maxElements is not a count') ??
    (optional(x.withRequest, (v) => typeof v === 'boolean') ? null : 'withRequest is not a boolean'),
  holdLive: (x) => keyAndVersion(x) ?? lossRequestProblem(x.request),
};

/** An NdArray; with `float32`, its data may also be a Float32Array (a float32 request's input). */
function ndArrayProblem(x: unknown, name: string, float32 = false): Problem {
  if (!isObject(x)) return `${name} is not an array`;
  if (!isTyped(x.data, 'Float64Array') && !(float32 && isTyped(x.data, 'Float32Array')))
    return `${name}.data is not a Float64Array${float32 ? ' or Float32Array' : ''}`;
  if (!isShape(x.shape)) return `${name}.shape is not a list of sizes`;
  if (typeof x.integral !== 'boolean') return `${name}.integral is not a boolean`;
  const size = x.shape.reduce((a, b) => a * b, 1);
  const length = (x.data as Float64Array | Float32Array).length;
  return length === size ? null : `${name} holds ${length} values, not ${size}`;
}

function lossRequestProblem(x: unknown): Problem {
  if (!isObject(x)) return 'request is not an object';
  const shapes =
    ndArrayProblem(x.input, 'request.input', x.dtype === 'float32') ?? ndArrayProblem(x.target, 'request.target');
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
    (x.otherPending === undefined || (x.otherPending === true && x.otherResult === null)
      ? null
      : 'otherPending is set with an other result') ??
    (x.heatMap === null || isObject(x.heatMap) ? null : 'heatMap is not an object or null') ??
    (isCount(x.heatMapId) ? null : 'heatMapId is not a count') ??
    (x.heatMapKept === undefined || (x.heatMapKept === true && x.heatMap === null && x.heatMapId !== 0)
      ? null
      : 'heatMapKept is set without a kept heat map') ??
    heatMapRowsProblem(x) ??
    // The shown columns, or the full breakdown: one of the two; neither for a batch without rows.
    (x.shown === undefined
      ? x.breakdown === null
        ? isObject(x.result) && (x.result.losses as { length?: unknown } | undefined)?.length === 0
          ? null
          : 'breakdown is null, but the result has rows'
        : wireSampleProblem(x.breakdown, 'breakdown')
      : x.breakdown !== null
        ? 'breakdown is sent with shown'
        : shownSampleProblem(x.shown, 'shown')),
  arrayPair: (x) => {
    if (x.loss !== null && typeof x.loss !== 'number') return 'loss is not a number or null';
    if (x.printed !== null && typeof x.printed !== 'string') return 'printed is not a string or null';
    if (!isShape(x.inputShape) || !isDType(x.dtype)) return 'inputShape or dtype is invalid';
    if (x.error !== null && errorInfoProblem(x.error, 'error')) return 'error is invalid';
    return x.request === undefined ? null : lossRequestProblem(x.request);
  },
  holdLive: (x) => {
    if (x.loss !== null && typeof x.loss !== 'number') return 'loss is not a number or null';
    if (x.printed !== null && typeof x.printed !== 'string') return 'printed is not a string or null';
    if (!isShape(x.inputShape) || !isShape(x.targetShape) || !isShape(x.lossShape)) return 'shapes are invalid';
    if (!isCount(x.N) || !isCount(x.C) || !isCount(x.S)) return 'N, C or S is not a count';
    if (x.targetKind !== null && x.targetKind !== 'indices' && x.targetKind !== 'probabilities')
      return 'targetKind is not a target kind or null';
    if (x.error !== null && errorInfoProblem(x.error, 'error')) return 'error is invalid';
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
      return errorInfoProblem(x.error, 'error');
    case 'result':
      if (!isCount(x.req)) return 'message has no valid req id';
      if (!isMethod(x.method)) return `unknown method ${JSON.stringify(String(x.method).slice(0, 40))}`;
      if (!isObject(x.result)) return 'result is not an object';
      if (x.hops !== undefined) {
        const problem = hopsProblem(x.hops, 'hops');
        if (problem) return problem;
      }
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
