/**
 * crossEntropySteps for the kinds of request whose steps used to run the forward a second time:
 * label smoothing (now summed by the steps' own wasm call, stepsSmooth_* in wasmKernelModule.ts,
 * over the log_softmax it stores) and probability targets (losses from the materialised
 * log_softmax). Whatever the path, the steps must give the forward's loss and losses to the bit,
 * and the same log_softmax and softmax as the steps of the same input without label smoothing
 * (which does not change p). Paths covered: the input's workspace (N·C ≥ 16 384) and the scratch
 * workspace (smaller), rows at and above torch's vector length (8 float32, 4 float64) and below it
 * (the JS sum), weight, ignore_index, every reduction, float32 and float64, the scalar backend.
 * Also: the row statistics a one-shot forward keeps (wasmForward.ts keepRowStats) and a
 * workspace's stats region give a sample the statistics a fresh computation gives.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { computeLoss, crossEntropy, crossEntropySteps, prepare } from '../../../src/core/kernel';
import { gradient, rowStatistics } from '../../../src/core/kernel/crossEntropy';
import { existingInputSpace } from '../../../src/core/kernel/input';
import { probabilityLosses } from '../../../src/core/kernel/scalarRows';
import { wasmKernelStats } from '../../../src/core/kernel/wasmForward';
import { setKernelBackend } from '../../../src/core/kernel/wasmForward';
import type { DType, LossRequest, Reduction } from '../../../src/core/types';
import { same } from './floatCompare';
import { xorshift32 } from './xorshift32';

interface Kind {
  eps: number;
  weighted: boolean;
  probabilities: boolean;
  reduction: Reduction;
}

function request(N: number, C: number, dtype: DType, k: Kind, seed: number): LossRequest {
  const r = xorshift32(seed);
  const x = Float64Array.from({ length: N * C }, () => (r() - 0.5) * 24 + (r() < 0.02 ? 15 : 0));
  // Every seventh target ignored (the first one too).
  const t = Float64Array.from({ length: N }, (_, n) => (n % 7 === 0 ? -100 : Math.floor(r() * C)));
  let target: LossRequest['target'] = { data: t, shape: [N], integral: true };
  if (k.probabilities) {
    const q = Float64Array.from({ length: N * C }, () => r());
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let c = 0; c < C; c++) s += q[n * C + c];
      for (let c = 0; c < C; c++) q[n * C + c] /= s;
    }
    target = { data: q, shape: [N, C], integral: false };
  }
  return {
    input: { data: x, shape: [N, C], integral: false },
    target,
    weight: k.weighted
      ? { data: Float64Array.from({ length: C }, () => 0.2 + 2 * r()), shape: [C], integral: false }
      : null,
    ignoreIndex: -100,
    reduction: k.reduction,
    labelSmoothing: k.eps,
    dtype,
    inputKind: 'logits',
  };
}

/** The steps of `req` checked against its forward and against the steps without smoothing. */
function check(req: LossRequest, label: string): void {
  const forward = crossEntropy(prepare(req));
  const p = prepare(req);
  const s = crossEntropySteps(p);
  expect(same(s.loss, forward.loss), `${label}: steps loss ${s.loss} vs forward ${forward.loss}`).toBe(true);
  expect(Array.from(s.losses), `${label}: losses`).toEqual(Array.from(forward.losses));
  expect(s.ignored ? Array.from(s.ignored) : null).toEqual(forward.ignored ? Array.from(forward.ignored) : null);
  const logSoftmax = Array.from(s.logSoftmax);
  const softmax = Array.from(s.softmax);
  const plain = crossEntropySteps(prepare({ ...req, labelSmoothing: 0 }));
  expect(logSoftmax, `${label}: log_softmax`).toEqual(Array.from(plain.logSoftmax));
  expect(softmax, `${label}: softmax`).toEqual(Array.from(plain.softmax));
  // Twice on the same Prepared (reused outputs, a workspace made by the first): the same numbers.
  const again = crossEntropySteps(p);
  expect(same(again.loss, forward.loss), `${label}: again`).toBe(true);
  expect(Array.from(again.losses)).toEqual(Array.from(forward.losses));
  // The same Prepared's forward and gradient after the steps, in its input workspace where it has
  // one (probability targets too: wasmProb.ts), against the fresh forward and the JS gradient.
  const inPlace = crossEntropy(p);
  expect(same(inPlace.loss, forward.loss), `${label}: forward after the steps`).toBe(true);
  expect(Array.from(inPlace.losses)).toEqual(Array.from(forward.losses));
  if (req.target.shape.length === 2) {
    const g = crossEntropy(p, true);
    expect(same(g.loss, forward.loss), `${label}: gradient's loss`).toBe(true);
    const ref = gradient(p, g);
    const got = g.grad as ArrayLike<number>;
    let bad = 0;
    for (let i = 0; i < ref.length; i++) if (!same(got[i], ref[i])) bad++;
    expect(bad, `${label}: gradient elements unlike the JS reference's`).toBe(0);
  }
}

const reductions: Reduction[] = ['mean', 'sum', 'none'];

describe('crossEntropySteps with label smoothing and probability targets = the forward, to the bit', () => {
  afterEach(() => setKernelBackend('auto'));

  // (N, C): scratch rows (N·C < 16 384) at and around torch's vector lengths, and rows in the
  // input's workspace, one longer than a span (65 536).
  const shapes: Array<[number, number]> = [
    [9, 3],
    [9, 4],
    [9, 7],
    [9, 8],
    [9, 9],
    [13, 100],
    [5, 1001],
    [40, 1000],
    [3, 50257],
    [2, 70001],
  ];
  for (const dtype of ['float32', 'float64'] as const) {
    for (const probabilities of [false, true]) {
      it(`${dtype}, ${probabilities ? 'probability' : 'index'} targets`, () => {
        let i = 0;
        for (const [N, C] of shapes) {
          for (const eps of [0.1, 0.05]) {
            for (const weighted of [false, true]) {
              const reduction = reductions[i++ % 3];
              const req = request(N, C, dtype, { eps, weighted, probabilities, reduction }, N * C + i);
              check(req, `${dtype} ${N}×${C} ε ${eps}${weighted ? ' weighted' : ''} ${reduction}`);
            }
          }
        }
      });
    }
  }

  it('probability targets without label smoothing, and on the scalar backend', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const big = request(40, 1000, dtype, { eps: 0, weighted: true, probabilities: true, reduction: 'mean' }, 3);
      check(big, dtype);
      // Rows this large run in the input workspace, which holds the targets too.
      const p = prepare(big);
      crossEntropySteps(p);
      expect(existingInputSpace(p)?.q).toBeGreaterThan(0);
      setKernelBackend('scalar');
      check(request(40, 1000, dtype, { eps: 0.1, weighted: true, probabilities: false, reduction: 'sum' }, 4), dtype);
      check(request(9, 30, dtype, { eps: 0.1, weighted: false, probabilities: true, reduction: 'none' }, 5), dtype);
      setKernelBackend('auto');
    }
  });
});

describe('probability-target steps summed in wasm (stepsProb_*) = the JS reference over their log_softmax', () => {
  // The steps' own call sums −Σ_c log p_c·q_c·w_c while it stores log p; the reference
  // (scalarRows.ts probabilityLosses) sums the same terms over the stored array afterwards. Rows
  // with a NaN, an +Inf, all −Inf, and negative or NaN targets must agree too, losses bit for bit.
  // The 'wasm' backend: rows of fewer than 32 logits in wasm too.
  afterEach(() => setKernelBackend('auto'));
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: losses bit for bit, vector lanes and tails, ε, weights, hostile rows`, () => {
      setKernelBackend('wasm');
      let k = 0;
      for (const [N, C] of [
        [6, 5],
        [6, 8],
        [7, 13],
        [30, 1000],
        [2, 4099],
      ]) {
        for (const eps of [0, 0.2]) {
          for (const weighted of [false, true]) {
            const req = request(N, C, dtype, { eps, weighted, probabilities: true, reduction: 'none' }, 77 + k++);
            const x = req.input.data as Float64Array;
            const q = req.target.data as Float64Array;
            x[1 * C + (C >> 1)] = NaN;
            x[2 * C] = Infinity;
            for (let c = 0; c < C; c++) x[3 * C + c] = -Infinity;
            q[4 * C] = -0.5;
            q[5 * C + C - 1] = NaN;
            const p = prepare(req);
            const before = wasmKernelStats().wasmRows;
            const s = crossEntropySteps(p);
            expect(wasmKernelStats().wasmRows, 'rows ran in wasm').toBeGreaterThan(before);
            const want = new Float64Array(N);
            const nll = probabilityLosses(p, s.logSoftmax, want);
            const label = `${dtype} ${N}×${C} ε ${eps}${weighted ? ' weighted' : ''}`;
            for (let n = 0; n < N; n++) expect(same(s.losses[n], want[n]), `${label} loss[${n}]`).toBe(true);
            expect(same(s.loss, dtype === 'float32' ? Math.fround(nll) : nll), `${label} loss`).toBe(true);
          }
        }
      }
    });
  }
});

describe('row statistics kept from the forward', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: a one-shot forward's and a workspace's equal a fresh computation's`, () => {
      for (const [N, C, eps] of [
        [20, 1000, 0],
        [20, 1000, 0.1],
        [3, 70001, 0],
        [3, 70001, 0.1],
      ]) {
        const req = request(N, C, dtype, { eps, weighted: true, probabilities: false, reduction: 'mean' }, N + C);
        const oneShot = computeLoss(req);
        if (!oneShot.ok) throw new Error(oneShot.error.message);
        const inSpace = prepare(req);
        crossEntropySteps(inSpace);
        expect(existingInputSpace(inSpace)?.statsReady).toBe(true);
        for (let e = 0; e < N; e++) {
          const fresh = rowStatistics(prepare(req), e);
          for (const p of [oneShot.prepared, inSpace]) {
            const got = rowStatistics(p, e);
            expect(same(got.max, fresh.max) && same(got.sumExp, fresh.sumExp) && same(got.lse, fresh.lse)).toBe(true);
          }
        }
      }
    });
  }
});
