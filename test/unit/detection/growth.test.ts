/**
 * Linear time on hostile input, as a ratio rather than a wall-clock limit: each family's text is
 * grown 4× twice (32k, 128k, 512k characters), and the growth is judged where the times say
 * something about it:
 *
 * - **Warm-up.** Every size runs once, untimed, before any is timed, so no size pays for compiling
 *   the code it exercises or for growing the heap; each timed size then takes the minimum of a few
 *   runs, all sizes measured afresh in each attempt.
 * - **The larger step decides.** The step 128k → 512k may grow at most 8× (linear is ~4×, ~5-6×
 *   with its garbage collection under load; quadratic is 16×). The smallest size runs for a few
 *   milliseconds, so its time swings with the JIT and the collector (7.5 ms warm, 30-55 ms cold for
 *   the exercise-page family): it enters only a wide overall bound, 512k / 32k ≤ 64 (linear families
 *   reach ~42× under load, quadratic 256×).
 *
 * Times are CPU time (a process waiting for a shared core is not slower), and a family that misses
 * is measured again before it fails; a real quadratic misses every time, which the last test shows
 * on a deliberately quadratic family. Times below a floor count as the floor: sub-millisecond runs
 * say nothing about growth.
 */
import { describe, expect, it } from 'vitest';
import { hostileFamilies, type HostileFamily } from './hostileInputs';

const base = 32_000;
const sizes = [base, 4 * base, 16 * base];
/** The judged step: from the middle size to the largest. */
const maxStep = 8;
/** Largest over smallest, the smallest's time taken with a pinch of salt. */
const maxOverall = 64;
const floorMs = 4;
const repetitions = 3;
const attempts = 3;
/** A single run slower than this before the largest size is a hang, not noise: stop there. */
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
  /** The judged step: largest size over the middle one. */
  step: number;
  overall: number;
}

/** Runs every size once, untimed: compiled code and a grown heap for all of them before timing. */
function warmUp(family: HostileFamily): void {
  for (const n of sizes) {
    const c0 = process.cpuUsage();
    family.run(family.make(n));
    const c = process.cpuUsage(c0);
    if ((c.user + c.system) / 1000 > hangMs) return;
  }
}

function growth(family: HostileFamily): Growth {
  const times: number[] = [];
  for (const n of sizes) {
    const t = minTime(family, family.make(n));
    times.push(t);
    if (t > hangMs) break;
  }
  if (times.length < sizes.length) return { times, step: Infinity, overall: Infinity };
  const [small, middle, large] = times as [number, number, number];
  return { times, step: large / Math.max(middle, floorMs), overall: large / Math.max(small, floorMs) };
}

const misses = (g: Growth): boolean => g.overall > maxOverall || g.step > maxStep;

/** A family's growth after the warm-up, measured again (up to `attempts` times) while it misses. */
function judge(family: HostileFamily): { growth: Growth; shown: string } {
  warmUp(family);
  let last = growth(family);
  for (let k = 1; k < attempts && misses(last) && Number.isFinite(last.overall); k++) last = growth(family);
  const shown = `${last.times.map((t) => `${t.toFixed(1)} ms CPU`).join(' → ')} at ${sizes.join(' / ')}`;
  return { growth: last, shown };
}

/**
 * Test-only: work quadratic in the text's length (every k-th character against every k-th), the
 * shape of a reader that rescans what it has read for each new line. 128k characters: 16M steps.
 */
let sink = 0;
const quadratic: HostileFamily = {
  name: 'test-only: quadratic',
  make: (n) => 'ab'.repeat(n / 2),
  run: (text) => {
    const m = Math.floor(text.length / 32);
    let acc = 0;
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) acc += text.charCodeAt((i * 32 + j) % text.length);
    sink += acc;
  },
};

describe('detection is linear on hostile input (time ratio per 4× growth)', () => {
  for (const family of hostileFamilies) {
    it(
      family.name,
      () => {
        const { growth: g, shown } = judge(family);
        expect(g.step, shown).toBeLessThanOrEqual(maxStep);
        expect(g.overall, shown).toBeLessThanOrEqual(maxOverall);
      },
      120_000,
    );
  }

  it('fails a quadratic family (the judgement can fail)', () => {
    const { growth: g, shown } = judge(quadratic);
    expect(misses(g), shown).toBe(true);
    expect(sink).not.toBe(0);
  }, 120_000);
});
