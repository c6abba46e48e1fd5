/**
 * The runtime guards of src/protocol/worker.ts: what arrives over the worker boundary is checked
 * before anyone uses it.
 */
import { describe, expect, it } from 'vitest';
import {
  isWorkerReply,
  isWorkerRequest,
  sampleFromWire,
  sampleToWire,
  workerReplyProblem,
  workerRequestProblem,
  type LossPayload,
  type PanelDataParams,
  type WorkerReply,
  type WorkerRequest,
} from '../../../src/protocol/worker';

function payload(): LossPayload {
  return {
    resultId: 3,
    loss: 1.5,
    losses: new Float64Array([1.5]),
    numerator: 1.5,
    denominator: 1,
    ignored: new Uint8Array(1),
    dtype: 'float32',
    reduction: 'mean',
    targetKind: 'indices',
    inputShape: [1, 10],
    lossShape: [1],
    N: 1,
    C: 10,
    S: 1,
    kernelMs: 0.01,
  };
}

const sample = {
  element: 0,
  position: [0],
  target: 1,
  ignored: false,
  logits: [1, 2],
  max: 2,
  shifted: [-1, 0],
  exp: [0.37, 1],
  sumExp: 1.37,
  logSumExp: 2.31,
  softmax: [0.27, 0.73],
  logSoftmax: [-1.31, -0.31],
  targetDistribution: [0, 1],
  weight: [1, 1],
  contributions: [0, 0.31],
  loss: 0.31,
  denominatorShare: 1,
};
const reduction = {
  reduction: 'mean' as const,
  numerator: 0.31,
  denominator: 1,
  loss: 0.31,
  count: 1,
  ignoredCount: 0,
};
const emptyAnalysis = { language: 'python', arrays: [], pairs: [], claims: [], findings: [] };

/** A panelData request's params as the panel sends them. */
const panelParams: PanelDataParams = {
  key: 'k',
  version: 1,
  pairId: 0,
  element: 0,
  options: {
    reduction: 'sum',
    dtype: 'float64',
    labelSmoothing: 0.1,
    ignoreIndex: -100,
    weight: [1, 2],
    inputKind: 'logits',
  },
};

describe('isWorkerReply', () => {
  it('accepts every well-formed reply', () => {
    const replies: WorkerReply[] = [
      { type: 'ready' },
      { type: 'log', level: 'warn', message: 'hello' },
      { type: 'error', req: 4, error: { code: 'target_out_of_bounds', message: 'Target 10 is out of bounds.' } },
      { type: 'result', req: 1, method: 'analyze', result: { version: 3, analysis: emptyAnalysis, analysisMs: 1 } },
      {
        type: 'result',
        req: 2,
        method: 'inspect',
        result: { pairId: 0, sample, classIndices: null, C: 2, count: 1, reduction },
      },
      {
        type: 'result',
        req: 3,
        method: 'panelData',
        result: {
          result: payload(),
          otherResult: { ...payload(), ignored: null },
          breakdown: sampleToWire(sample),
          heatMap: null,
          heatMapId: 0,
        },
      },
      {
        type: 'result',
        req: 5,
        method: 'arrayPair',
        result: { loss: 1, printed: 'tensor(1.)', inputShape: [1, 2], dtype: 'float32', error: null },
      },
    ];
    for (const reply of replies) expect(workerReplyProblem(reply)).toBeNull();
  });

  it('a sample crosses as Float64Arrays and comes back equal; lists of another length or kind are refused', () => {
    const wire = sampleToWire(sample);
    expect(wire.logits).toBeInstanceOf(Float64Array);
    expect(sampleFromWire(wire)).toEqual(sample);
    const reply = (breakdown: unknown) => ({
      type: 'result',
      req: 3,
      method: 'panelData',
      result: { result: payload(), otherResult: null, breakdown, heatMap: null, heatMapId: 0 },
    });
    expect(workerReplyProblem(reply(wire))).toBeNull();
    expect(workerReplyProblem(reply(sample))).toMatch(/breakdown\.logits is not a Float64Array/);
    expect(workerReplyProblem(reply({ ...wire, softmax: new Float64Array(1) }))).toMatch(
      /breakdown\.softmax is not a Float64Array of the logits' length/,
    );
    expect(workerReplyProblem(reply({ ...wire, grad: [0, 1] }))).toMatch(/breakdown\.grad/);
    expect(workerReplyProblem(reply({ ...wire, shifted: null, exp: null }))).toBeNull();
    // No breakdown only for a batch without rows (the panel's "no rows" card), never to drop one.
    expect(workerReplyProblem(reply(null))).toMatch(/breakdown is null, but the result has rows/);
    const noRows = {
      ...reply(null),
      result: { ...reply(null).result, result: { ...payload(), losses: new Float64Array(0) } },
    };
    expect(workerReplyProblem(noRows)).toBeNull();
  });

  it('new rows of a held heat map come in place of the map, of one length, naming another map', () => {
    const rows = { base: 1, rowLoss: [0.5, NaN], rowIgnored: [false, true], rowPick: [0, 3] };
    const reply = (fields: Record<string, unknown>) => ({
      type: 'result',
      req: 3,
      method: 'panelData',
      result: {
        result: payload(),
        otherResult: null,
        breakdown: sampleToWire(sample),
        heatMap: null,
        heatMapId: 2,
        ...fields,
      },
    });
    expect(workerReplyProblem(reply({ heatMapRows: rows }))).toBeNull();
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ heatMapRows: rows, heatMap: {} }, /beside a heat map/],
      [{ heatMapRows: rows, heatMapKept: true }, /beside a heat map/],
      [{ heatMapRows: { ...rows, base: 0 } }, /without a base/],
      [{ heatMapRows: { ...rows, base: 2 } }, /its own heat map/],
      [{ heatMapRows: { ...rows, rowPick: [0] } }, /differ in length/],
      [{ heatMapRows: { ...rows, rowPick: [0, -1] } }, /rowPick/],
      [{ heatMapRows: { ...rows, rowIgnored: [0, 1] } }, /rowIgnored/],
      [{ heatMapRows: { ...rows, rowLoss: 'x' } }, /lists/],
      [{ heatMapRows: 1 }, /not an object/],
    ];
    for (const [fields, why] of bad) expect(workerReplyProblem(reply(fields))).toMatch(why);
  });

  it('rejects malformed replies and says why', () => {
    const panel = (result: unknown) => ({
      type: 'result',
      req: 1,
      method: 'panelData',
      result: { result, otherResult: null, breakdown: sampleToWire(sample), heatMap: null },
    });
    const bad: [unknown, string][] = [
      [null, 'not an object'],
      ['result', 'not an object'],
      [{ type: 'result', method: 'analyze', result: {} }, 'req'],
      [{ type: 'result', req: -1, method: 'analyze', result: {} }, 'req'],
      [{ type: 'result', req: 1.5, method: 'analyze', result: {} }, 'req'],
      [{ type: 'result', req: 1, method: 'analyze' }, 'result is not an object'],
      [{ type: 'result', req: 1, method: 'compute', result: {} }, 'unknown method "compute"'],
      [{ type: 'result', req: 1, method: 'toString', result: {} }, 'unknown method "toString"'],
      [{ type: 'result', req: 1, method: '__proto__', result: {} }, 'unknown method "__proto__"'],
      [panel({ ...payload(), losses: [1.5] }), 'result.losses'],
      [panel({ ...payload(), losses: new Float32Array(1) }), 'result.losses'],
      [panel({ ...payload(), grad: [0] }), 'result.grad'],
      [panel({ ...payload(), loss: '1.5' }), 'result.loss'],
      [panel({ ...payload(), dtype: 'float16' }), 'result.dtype'],
      [{ type: 'error', req: 1, error: 'boom' }, '{ code, message }'],
      [{ type: 'error', req: 1, error: { code: 'internal' } }, '{ code, message }'],
      [
        {
          type: 'result',
          req: 1,
          method: 'inspect',
          result: { pairId: 0, C: 2, count: 1, classIndices: null, reduction, sample: { element: 0 } },
        },
        'sample',
      ],
      [{ type: 'log', level: 'debug', message: 'x' }, 'level'],
      [{ type: 'crash', req: 1 }, 'unknown message type "crash"'],
    ];
    for (const [message, why] of bad) {
      expect(isWorkerReply(message)).toBe(false);
      expect(workerReplyProblem(message)).toContain(why);
    }
  });
});

describe('isWorkerRequest', () => {
  it('accepts a request of every method', () => {
    const requests: WorkerRequest[] = [
      { type: 'request', req: 1, method: 'analyze', params: { key: 'k', version: 1, text: 'x = 1' } },
      {
        type: 'request',
        req: 2,
        method: 'analyze',
        params: { key: 'k', version: 2, baseVersion: 1, edits: [{ offset: 0, length: 1, text: 'y' }] },
      },
      { type: 'request', req: 3, method: 'inspect', params: { key: 'k', version: 1, pairId: 0, topK: 3 } },
      { type: 'request', req: 4, method: 'panelData', params: panelParams },
      { type: 'request', req: 4, method: 'panelData', params: { ...panelParams, heatMapId: 3, alsoHeld: [2, 1] } },
      {
        type: 'request',
        req: 5,
        method: 'arrayPair',
        params: { logits: { text: '[1, 2]', languageId: 'python' }, target: { text: '[1]', languageId: 'python' } },
      },
    ];
    for (const request of requests) expect(workerRequestProblem(request)).toBeNull();
  });

  it('rejects structural problems and says why', () => {
    const analyze = (params: object) => ({ type: 'request', req: 1, method: 'analyze', params });
    const bad: [unknown, string][] = [
      [{ type: 'computeLoss', req: 1 }, 'unknown message type'],
      [{ type: 'request', method: 'analyze', params: {} }, 'req'],
      [{ type: 'request', req: 1, method: 'scan', params: {} }, 'unknown method "scan"'],
      [{ type: 'request', req: 1, method: 'constructor', params: {} }, 'unknown method "constructor"'],
      [{ type: 'request', req: 1, method: 'analyze' }, 'params is not an object'],
      [analyze({ version: 1, text: '' }), 'key'],
      [analyze({ key: 'k', version: 1 }), 'exactly one of text, cells and edits'],
      [analyze({ key: 'k', version: 1, text: '', cells: [] }), 'exactly one of text, cells and edits'],
      [analyze({ key: 'k', version: 1, edits: [{ offset: -1, length: 0, text: '' }], baseVersion: 0 }), 'edits'],
      [analyze({ key: 'k', version: 1, edits: [] }), 'baseVersion'],
      [analyze({ key: 'k', version: 1, text: '', dtypeOverride: 'float16' }), 'dtypeOverride'],
      [analyze({ key: 'k', version: 1, text: '', transient: 'yes' }), 'transient'],
      [{ type: 'request', req: 1, method: 'inspect', params: { key: 'k', version: 1, pairId: 0, topK: 0.5 } }, 'topK'],
      [{ type: 'request', req: 1, method: 'arrayPair', params: { logits: { text: '[1]' }, target: {} } }, 'logits'],
      ...[[1.5], [-1], Array.from({ length: 17 }, (_, i) => i + 1), 'all'].map((alsoHeld): [unknown, string] => [
        { type: 'request', req: 1, method: 'panelData', params: { ...panelParams, alsoHeld } },
        'alsoHeld',
      ]),
    ];
    for (const [message, why] of bad) {
      expect(isWorkerRequest(message)).toBe(false);
      expect(workerRequestProblem(message)).toContain(why);
    }
  });
});
