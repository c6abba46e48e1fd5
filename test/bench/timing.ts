/**
 * Timed rounds for synchronous implementations. A round runs batches of calls until it has lasted
 * at least the asked time; the batch size is calibrated so the clock is read about once per
 * millisecond, which keeps the clock's cost out of tiny calls such as (1, 10).
 */

/**
 * One timed round: how many calls ran in how many seconds (wall clock), and the CPU time the
 * measured process used meanwhile (all its threads), which other processes competing for the
 * cores inflate far less than the wall clock.
 */
export interface Round {
  calls: number;
  seconds: number;
  cpuSeconds: number;
}

function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Results flow here so V8 cannot drop a call whose value is unused. */
let sink = 0;

/** The accumulated results (a module-level variable, so the writes above cannot be elided). */
export function sinkValue(): number {
  return sink;
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

/** Runs `fn` for one round of at least `minSeconds` in batches of `batch` calls. */
export function timeRound(fn: () => number, batch: number, minSeconds: number): Round {
  let calls = 0;
  const c0 = cpuNow();
  const t0 = now();
  let el = 0;
  do {
    for (let i = 0; i < batch; i++) sink += fn();
    calls += batch;
    el = now() - t0;
  } while (el < minSeconds);
  return { calls, seconds: el, cpuSeconds: cpuNow() - c0 };
}

/**
 * Warm-up: runs `fn` for about `seconds` (at least twice, so the optimising compiler sees it)
 * and returns the batch size that makes one batch last ~1 ms, plus the time per call.
 */
export function warmUp(fn: () => number, seconds: number): { batch: number; secondsPerCall: number } {
  let batch = 1;
  let calls = 0;
  let lastPerCall = Infinity;
  const t0 = now();
  // Two calls at least, so the optimising compiler has seen it, unless one call takes seconds.
  while (now() - t0 < seconds || (calls < 2 && lastPerCall < 0.5)) {
    const r = timeRound(fn, batch, 0);
    calls += r.calls;
    lastPerCall = r.seconds / r.calls;
    if (r.seconds < 1e-3 && batch < 1 << 20) batch *= 2;
  }
  return { batch: Math.max(1, Math.round(1e-3 / lastPerCall)), secondsPerCall: lastPerCall };
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
