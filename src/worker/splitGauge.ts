/**
 * Whether splitting a row job across the row pool's threads (rowPool.ts) still pays, judged by
 * the time it saves or loses, not by a ratio per job.
 *
 * After each split job the pool reports two figures: the time the caller alone would have taken,
 * estimated as the job's rows × the fastest time per row of the chunks the caller ran (a
 * preempted chunk only makes a chunk slower, so the fastest is the least disturbed), and the
 * time the job took. Their difference is the time splitting saved (negative: lost). The gauge
 * keeps a decaying sum of it (each job's figure counts {@link keep} times less at the next job,
 * about the last ten jobs) and pauses splitting for {@link pauseMs} when that sum falls below
 * minus {@link worstJobs} times the job's estimate: when the recent split jobs together lost more
 * than two whole jobs (two jobs that each took 2× the caller alone after a fresh start, or three
 * delayed jobs in a row after a run of good ones).
 *
 * Why not a ratio: the previous rule paused on a moving average of actual ÷ estimate above 0.95.
 * A job whose helper wakes too late to take a chunk scores ≈ 1.0 (it lost nothing), and one job
 * delayed by a millisecond of preemption on a 0.2 ms job scores 5; either pushed the average over
 * the line, so at (256, 1000) — ~0.2 ms per forward — splitting spent most of its time paused
 * even where it paid (see the commit that brought this file). In time, a job the helper missed
 * costs ≈ 0, and one outlier (each job's loss counts at most {@link worstJobs} estimates) cannot
 * outweigh a run of jobs that each saved half their time.
 *
 * Results never depend on it: any thread computes a row with the same code and bits.
 */

/** How long splitting pauses once it stops paying. */
export const pauseMs = 1000;
/** The weight of the previous jobs' sum at each new job (a memory of ~10 jobs). */
export const keep = 0.9;
/** A single job's loss counts at most this many times its estimate; the pause threshold too. */
export const worstJobs = 2;

export class SplitGauge {
  /** Decaying sum of the time split jobs saved (ms; negative when they lost). */
  private credit = 0;
  private pausedUntil = 0;
  /** Times splitting was paused. */
  pauses = 0;

  /** Whether splitting is allowed at time `now` (ms, performance.now()). */
  allows(now: number): boolean {
    return now >= this.pausedUntil;
  }

  /**
   * Records a split job: `alone` the caller-alone estimate, `took` its time (both ms), at time
   * `now`. Returns whether this paused splitting.
   */
  record(alone: number, took: number, now: number): boolean {
    if (!(alone > 0) || !(took >= 0)) return false;
    const saved = Math.max(alone - took, -worstJobs * alone);
    this.credit = this.credit * keep + saved;
    if (this.credit >= -worstJobs * alone) return false;
    this.pauses++;
    this.pausedUntil = now + pauseMs;
    this.credit = 0;
    return true;
  }
}
