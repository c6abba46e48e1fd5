/**
 * The runtime guards of src/protocol/worker.ts: what arrives over the worker boundary is checked
 * before anyone uses it.
 */
import { describe, expect, it } from 'vitest';
import {
  isWorkerReply,
  isWorkerRequest,
  workerReplyProblem,
  workerRequestProblem,
  type LossPayload,
  type WorkerReply,
} from '../../../src/protocol/worker';
import { seedRequest } from './helpers';

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

describe('isWorkerReply', () => {
  it('accepts every well-formed reply type', () => {
    const replies: WorkerReply[] = [
      { type: 'result', req: 3, result: payload() },
      { type: 'result', req: 3, result: { ...payload(), ignored: null, grad: new Float64Array(10) } },
      { type: 'error', req: 4, error: { code: 'target_out_of_bounds', message: 'Target 10 is out of bounds.' } },
      { type: 'log', level: 'warn', message: 'hello' },
      {
        type: 'breakdown',
        req: 5,
        sample: {
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
        },
        reduction: { reduction: 'mean', numerator: 0.31, denominator: 1, loss: 0.31, count: 1, ignoredCount: 0 },
      },
    ];
    for (const reply of replies) expect(workerReplyProblem(reply)).toBeNull();
  });

  it('rejects malformed replies and says why', () => {
    const bad: [unknown, string][] = [
      [null, 'not an object'],
      ['result', 'not an object'],
      [{ type: 'result', result: payload() }, 'req'],
      [{ type: 'result', req: -1, result: payload() }, 'req'],
      [{ type: 'result', req: 1.5, result: payload() }, 'req'],
      [{ type: 'result', req: 1 }, 'result is not an object'],
      [{ type: 'result', req: 1, result: { ...payload(), losses: [1.5] } }, 'losses'],
      [{ type: 'result', req: 1, result: { ...payload(), losses: new Float32Array(1) } }, 'losses'],
      [{ type: 'result', req: 1, result: { ...payload(), grad: [0] } }, 'grad'],
      [{ type: 'result', req: 1, result: { ...payload(), loss: '1.5' } }, 'loss'],
      [{ type: 'result', req: 1, result: { ...payload(), dtype: 'float16' } }, 'dtype'],
      [{ type: 'error', req: 1, error: 'boom' }, '{ code, message }'],
      [{ type: 'error', req: 1, error: { code: 'internal' } }, '{ code, message }'],
      [{ type: 'breakdown', req: 1, reduction: { loss: 1 }, sample: { element: 0 } }, 'sample'],
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
  it('accepts the three request types', () => {
    expect(
      isWorkerRequest({ type: 'computeLoss', req: 1, request: seedRequest(), grad: true, key: 'file:///a.py' }),
    ).toBe(true);
    expect(isWorkerRequest({ type: 'breakdown', req: 2, key: 'k', resultId: 1, element: 0 })).toBe(true);
    expect(isWorkerRequest({ type: 'cancel', req: 1 })).toBe(true);
  });

  it('rejects structural problems; option values are left to the kernel', () => {
    const seed = seedRequest();
    expect(
      workerRequestProblem({
        type: 'computeLoss',
        req: 1,
        request: { ...seed, input: { ...seed.input, data: [1, 2] } },
      }),
    ).toContain('input.data is not a Float64Array');
    expect(
      workerRequestProblem({
        type: 'computeLoss',
        req: 1,
        request: { ...seed, target: { ...seed.target, shape: [2] } },
      }),
    ).toBe('target has 1 values for shape [2]');
    expect(
      workerRequestProblem({
        type: 'computeLoss',
        req: 1,
        request: { ...seed, weight: { data: new Float64Array(2), shape: [2] } },
      }),
    ).toContain('weight.integral');
    expect(workerRequestProblem({ type: 'computeLoss', req: 1, request: seed, grad: 'yes' })).toContain('grad');
    expect(workerRequestProblem({ type: 'breakdown', req: 1, key: 'k', resultId: 1, element: 0.5 })).toContain(
      'element',
    );
    expect(workerRequestProblem({ type: 'scan', req: 1, text: '' })).toContain('unknown message type');
    expect(workerRequestProblem({ type: 'cancel' })).toContain('req');
    // A bad reduction name is the kernel's to report, in torch's words.
    expect(isWorkerRequest({ type: 'computeLoss', req: 1, request: { ...seed, reduction: 'avg' } })).toBe(true);
  });
});
