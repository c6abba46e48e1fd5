/**
 * The row pool's helpers between jobs (src/worker/rowPool.ts): they stay awake for a bounded
 * while after a job, then sleep in Atomics.wait, so an idle pool costs no CPU; a job posted while
 * they sleep wakes them and gives the single-thread bits; with no time awake at all (hotMicros
 * 0) the results are the same too. Each wait has a deadline, so a helper that never sleeps or
 * never wakes fails the test instead of hanging it; nothing here is timed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossEntropy, crossEntropySteps, prepare } from '../../../src/core/kernel';
import { rowJobStats, setRowRunner } from '../../../src/core/kernel/wasmKernel';
import type { DType, LossRequest } from '../../../src/core/types';
import { installRowPool, uninstallRowPool, type RowPool } from '../../../src/worker/rowPool';
import { mulberry32 as rng } from '../../shared/mulberry32';

/** Logits with NaN and −Inf rows among finite ones; an odd row count. */
function request(N: number, C: number, seed: number, dtype: DType): LossRequest {
  const r = rng(seed);
  const data = Float64Array.from({ length: N * C }, () => 4 * (r() - 0.5));
  data.fill(NaN, 3 * C, 4 * C);
  data[7 * C + 5] = NaN;
  data.fill(-Infinity, 11 * C, 12 * C);
  return {
    input: { data, shape: [N, C], integral: false },
    target: { data: Float64Array.from({ length: N }, () => Math.floor(r() * C)), shape: [N], integral: true },
    weight: null,
    ignoreIndex: -100,
    reduction: 'mean',
    labelSmoothing: 0,
    dtype,
    inputKind: 'logits',
  };
}

/** Blocks this thread for `ms` without spinning (the helpers get the CPU). */
const pause = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** Waits (sleeping in steps) until every helper sleeps, or `deadlineMs` passed; returns whether they do. */
function untilAsleep(pool: RowPool, deadlineMs: number): boolean {
  const end = Date.now() + deadlineMs;
  while (pool.sleepingHelpers < pool.threads - 1 && Date.now() < end) pause(2);
  return pool.sleepingHelpers === pool.threads - 1;
}

function single(req: LossRequest): { loss: number; losses: number[]; sm: number[]; grad: number[] } {
  const runner = installRowPool(1);
  setRowRunner(null);
  try {
    const p = prepare(req);
    const f = crossEntropy(p);
    const s = crossEntropySteps(p);
    const g = crossEntropy(p, true);
    return { loss: f.loss, losses: Array.from(f.losses), sm: Array.from(s.softmax), grad: Array.from(g.grad ?? []) };
  } finally {
    setRowRunner(runner);
  }
}

describe('row pool helpers between jobs', () => {
  let pool: RowPool | null = null;
  // 257 rows: 9 chunks of 29 rows, the last one short.
  const reqs = [request(257, 1001, 1, 'float32'), request(257, 999, 2, 'float64')];
  const want = reqs.map(single);

  beforeAll(() => {
    pool = installRowPool(1);
    if (pool) pool.adaptive = false;
  });
  afterAll(() => uninstallRowPool());

  it('stay awake a bounded while after a job, then sleep', () => {
    const p = pool as RowPool;
    expect(p).not.toBeNull();
    expect(p.hotMicros).toBeGreaterThan(0);
    expect(p.hotMicros).toBeLessThanOrEqual(1000);
    crossEntropy(prepare(reqs[0]));
    expect(p.started).toBe(true);
    // Well after the time awake (however busy the machine, a helper gets a slice within seconds).
    expect(untilAsleep(p, 20_000)).toBe(true);
  });

  it('a job posted while they sleep wakes them, with the single-thread bits (forward, steps, gradient)', () => {
    const p = pool as RowPool;
    const helped = p.helperChunks;
    const split = rowJobStats().splitJobs;
    let wrong = 0;
    const end = Date.now() + 30_000;
    // Until a helper woke from its sleep and took chunks (a busy machine may let the caller finish
    // a job before the helper runs), at least 4 times.
    for (let k = 0; k < 4 || (p.helperChunks === helped && Date.now() < end); k++) {
      expect(untilAsleep(p, 20_000)).toBe(true);
      const i = k % 2;
      const q = prepare(reqs[i]);
      const f = crossEntropy(q);
      expect(untilAsleep(p, 20_000)).toBe(true);
      const s = crossEntropySteps(q);
      expect(untilAsleep(p, 20_000)).toBe(true);
      const g = crossEntropy(q, true);
      if (!Object.is(f.loss, want[i].loss)) wrong++;
      expect(Array.from(f.losses)).toEqual(want[i].losses);
      expect(Array.from(s.softmax)).toEqual(want[i].sm);
      expect(Array.from(g.grad ?? [])).toEqual(want[i].grad);
    }
    expect(wrong).toBe(0);
    expect(rowJobStats().splitJobs - split).toBeGreaterThanOrEqual(12);
    expect(p.helperChunks).toBeGreaterThan(helped);
  });

  it('with no time awake (hotMicros 0) they sleep after every job, and the bits are the same', () => {
    const p = pool as RowPool;
    const hot = p.hotMicros;
    p.hotMicros = 0;
    try {
      for (let k = 0; k < 6; k++) {
        const i = k % 2;
        const q = prepare(reqs[i]);
        expect(Object.is(crossEntropy(q).loss, want[i].loss)).toBe(true);
        expect(Array.from(crossEntropy(q, true).grad ?? [])).toEqual(want[i].grad);
      }
      expect(untilAsleep(p, 20_000)).toBe(true);
    } finally {
      p.hotMicros = hot;
    }
  });
});
