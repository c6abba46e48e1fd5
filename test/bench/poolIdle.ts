/**
 * What the row pool costs when it is not busy (src/worker/rowPool.ts): its helpers stay awake for
 * a bounded while after each job, then sleep in Atomics.wait. Two figures, from the process's CPU
 * time (all threads):
 * - idle: the CPU the process used in the second after its last job (the helpers' time awake, then
 *   nothing; the calling thread sleeps meanwhile) against the same second after a job the
 *   calling thread ran alone, and whether every helper sleeps at the end;
 * - sparse jobs: the extra CPU per job when jobs come 20 ms apart (a user clicking, the panel
 *   recomputing), split against on the calling thread alone: the helpers' wake-up and time awake.
 */
import { crossEntropy, prepare } from '../../src/core/kernel/index';
import { setRowRunner } from '../../src/core/kernel/wasmKernel';
import type { RowPool } from '../../src/worker/rowPool';
import { makeData, makeRequest } from './data';

export interface PoolIdleFigures {
  hot_micros: number;
  idle_cpu_ms_per_s: number;
  baseline_cpu_ms_per_s: number;
  helpers_asleep: number;
  helpers: number;
  sparse_extra_cpu_us_per_job: number;
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
};

/** Blocks the calling thread for `ms` without using the CPU. */
const sleep = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

export function benchPoolIdle(pool: RowPool): PoolIdleFigures {
  const p = prepare(makeRequest(makeData(256, 1000), 'float32'));
  crossEntropy(p, false);
  // Sparse jobs, split and alone alternating, 20 ms apart.
  const jobs = 40;
  let split = 0;
  let alone = 0;
  for (let k = 0; k < jobs; k++) {
    sleep(20);
    const one = k % 2 === 1;
    if (one) setRowRunner(null);
    const c0 = cpuMs();
    crossEntropy(p, false);
    // The helper's time awake after the job falls in this job's figure.
    sleep(2);
    const dt = cpuMs() - c0;
    if (one) {
      setRowRunner(pool);
      alone += dt;
    } else split += dt;
  }
  // The same second after a job on the calling thread alone (helpers long asleep): the baseline
  // (V8's and Node's own background threads), then after a split job.
  setRowRunner(null);
  crossEntropy(p, false);
  setRowRunner(pool);
  const b0 = cpuMs();
  sleep(1000);
  const base = cpuMs() - b0;
  crossEntropy(p, false);
  const c0 = cpuMs();
  sleep(1000);
  const idle = cpuMs() - c0;
  return {
    hot_micros: pool.hotMicros,
    idle_cpu_ms_per_s: idle,
    baseline_cpu_ms_per_s: base,
    helpers_asleep: pool.sleepingHelpers,
    helpers: pool.threads - 1,
    sparse_extra_cpu_us_per_job: ((split - alone) / (jobs / 2)) * 1000,
  };
}

export function printPoolIdle(f: PoolIdleFigures): void {
  console.log(
    `\nrow pool when not busy (helpers awake ${f.hot_micros} µs after each job, then asleep): ` +
      `${f.idle_cpu_ms_per_s.toFixed(2)} ms of CPU in the second after the last job ` +
      `(${f.baseline_cpu_ms_per_s.toFixed(2)} ms after a job on the calling thread alone), ` +
      `${f.helpers_asleep} of ${f.helpers} helper(s) asleep at its end; jobs 20 ms apart cost ` +
      `${f.sparse_extra_cpu_us_per_job.toFixed(0)} µs more CPU each split than alone.`,
  );
}
