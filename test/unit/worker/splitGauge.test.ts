/**
 * The row pool's rule for pausing splitting (src/worker/splitGauge.ts), fed with made-up job
 * times: it must keep splitting through the cases that cost little or nothing (a helper that
 * missed the job, an odd preempted job among many that saved time) and pause when split jobs
 * keep losing time, then try again after the pause.
 */
import { describe, expect, it } from 'vitest';
import { SplitGauge, pauseMs } from '../../../src/worker/splitGauge';

/** Feeds `jobs` jobs of `alone` ms estimate, each taking took(i) ms, 1 ms apart; returns the pauses. */
function feed(g: SplitGauge, jobs: number, alone: number, took: (i: number) => number, t0 = 0): number {
  const before = g.pauses;
  for (let i = 0; i < jobs; i++) {
    const now = t0 + i;
    if (g.allows(now)) g.record(alone, took(i), now);
  }
  return g.pauses - before;
}

describe('split gauge', () => {
  it('keeps splitting while split jobs save time', () => {
    expect(feed(new SplitGauge(), 5000, 0.2, () => 0.11)).toBe(0);
  });

  it('keeps splitting when a job in twenty is delayed 25-fold (one preemption) among jobs that save', () => {
    // A (256, 1000) forward of 0.2 ms delayed by ~5 ms of preemption: the ratio rule paused here.
    expect(feed(new SplitGauge(), 5000, 0.2, (i) => (i % 20 === 10 ? 5 : 0.11))).toBe(0);
    // Two such delays in a row as well.
    expect(feed(new SplitGauge(), 5000, 0.2, (i) => (i % 20 === 10 || i % 20 === 11 ? 5 : 0.11))).toBe(0);
  });

  it('keeps splitting when the helper misses the jobs (the caller does all the rows: ~nothing lost)', () => {
    expect(feed(new SplitGauge(), 5000, 0.2, () => 0.204)).toBe(0);
  });

  it('pauses when split jobs keep taking longer than the caller alone would', () => {
    const g = new SplitGauge();
    expect(feed(g, 3, 0.2, () => 0.4)).toBe(1);
    // Three delayed jobs in a row after a good run pause it too.
    const h = new SplitGauge();
    feed(h, 100, 0.2, () => 0.11);
    expect(feed(h, 3, 0.2, () => 5, 100)).toBe(1);
  });

  it('a pause lasts pauseMs, then splitting is tried afresh', () => {
    const g = new SplitGauge();
    expect(g.record(0.2, 0.4, 0)).toBe(false);
    expect(g.record(0.2, 0.4, 1)).toBe(false);
    expect(g.record(0.2, 0.4, 2)).toBe(true);
    expect(g.allows(2 + pauseMs - 0.5)).toBe(false);
    expect(g.allows(2 + pauseMs)).toBe(true);
    // Afresh: the losses before the pause are forgotten, one loss alone does not pause again.
    expect(g.record(0.2, 0.4, 3 + pauseMs)).toBe(false);
  });

  it('ignores figures it cannot judge (no estimate, NaN)', () => {
    const g = new SplitGauge();
    for (let i = 0; i < 10; i++) {
      expect(g.record(0, 5, i)).toBe(false);
      expect(g.record(NaN, 5, i)).toBe(false);
      expect(g.record(0.2, NaN, i)).toBe(false);
    }
    expect(g.pauses).toBe(0);
  });
});
