/**
 * Linear time on hostile input, as a ratio rather than a wall-clock limit: each family's text is
 * grown 4× twice, and the time may grow at most ~5× per step: 5² = 25× over both steps, and no
 * single step above 8× (a quadratic pattern grows 16× per step, 256× over both). The allowance
 * per step absorbs what a step costs in garbage collection on a busy, shared machine.
 * Times are CPU time (a process waiting for a shared core is not slower), each size takes the
 * minimum of a few runs, and a family that misses is measured again before it fails, so a noisy
 * machine does not make the test flaky; a real quadratic misses every time. Times below a floor
 * count as the floor: sub-millisecond runs say nothing about growth.
 */
import { describe, expect, it } from 'vitest';
import { hostileFamilies, type HostileFamily } from './hostileInputs';

const base = 32_000;
const sizes = [base, 4 * base, 16 * base];
const maxOverall = 25;
const maxStep = 8;
const floorMs = 4;
const repetitions = 3;
const attempts = 3;
/** A single run slower than this at the smallest size is a hang, not noise: stop there. */
const hangMs = 3000;

function minTime(family: HostileFamily, text: string): number {
  let best = Infinity;
  for (let r = 0; r < repetitions; r++) {
    const c0 = process.cpuUsage();
    family.run(text);
    const c = process.cpuUsage(c0);
    const t = (c.user + c.system) / 1000;
    best = Math.min(best, t);
    if (t > hangMs) break;
  }
  return best;
}

interface Growth {
  times: number[];
  steps: number[];
  overall: number;
}

function growth(family: HostileFamily): Growth {
  const times: number[] = [];
  for (const n of sizes) {
    const t = minTime(family, family.make(n));
    times.push(t);
    if (t > hangMs) break;
  }
  if (times.length < sizes.length) return { times, steps: [Infinity], overall: Infinity };
  const steps = times.slice(1).map((t, i) => t / Math.max(times[i], floorMs));
  return { times, steps, overall: times[2] / Math.max(times[0], floorMs) };
}

const misses = (g: Growth): boolean => g.overall > maxOverall || g.steps.some((r) => r > maxStep);

describe('detection is linear on hostile input (time ratio per 4× growth)', () => {
  for (const family of hostileFamilies) {
    it(
      family.name,
      () => {
        let last = growth(family);
        for (let k = 1; k < attempts && misses(last) && Number.isFinite(last.overall); k++) last = growth(family);
        const shown = `${last.times.map((t) => `${t.toFixed(1)} ms CPU`).join(' → ')} at ${sizes.join(' / ')}`;
        expect(last.overall, shown).toBeLessThanOrEqual(maxOverall);
        for (const r of last.steps) expect(r, shown).toBeLessThanOrEqual(maxStep);
      },
      120_000,
    );
  }
});
