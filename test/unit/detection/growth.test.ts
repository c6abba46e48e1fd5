/**
 * Linear time on hostile input, as a ratio rather than a wall-clock limit: each family's text is
 * grown 4× twice (32k, 128k, 512k characters), and the growth is judged where the times say
 * something about it:
 *
 * - **Warm-up.** Every size runs once, untimed, before any is timed, so no size pays for compiling
 *   the code it exercises or for growing the heap; all sizes are measured afresh in each attempt.
 * - **The larger step decides.** The step 128k → 512k may grow at most 8× (linear is ~4×, ~5-6×
 *   with its garbage collection under load; quadratic is 16×). The smallest size runs for a few
 *   milliseconds, so its time swings with the JIT and the collector (7.5 ms warm, 30-55 ms cold for
 *   the exercise-page family): it enters only a wide overall bound, 512k / 32k ≤ 64 (linear families
 *   reach ~42× under load, quadratic 256×).
 * - **Mean, not minimum.** Each size's time is the mean CPU time of repeated runs (at least
 *   `minRuns`, until `budgetMs` of CPU is spent), the slowest run dropped. A linear reader's garbage
 *   collection is linear too, but it falls in lumps: a small size can dodge it in a lucky run while
 *   a large one (whose garbage overflows the young generation) never can, so the fastest run
 *   compared a collection-free middle size with a collection-paying large one (json: records,
 *   5.7 → 78.6 ms CPU at 128k → 512k in a fresh-clone CI, a 13.8× "step" from a reader that grows
 *   2.0× from 1M to 2M characters). The mean charges every size its collector share.
 * - **Cheap families are judged higher up.** When a family's largest size costs under
 *   `cheapMs`, its sizes straddle V8's promotion regimes rather than say anything about the
 *   algorithm (json: records: 9 ms steady at 256k, 39-125 ms at 512k), so it is measured again at
 *   128k, 512k and 2M characters and judged there, where every size pays the collector alike.
 *
 * - **Each run starts from a collected heap.** A full collection runs before every timed run,
 *   untimed, so no run pays for the garbage its predecessors left (json: records still stepped
 *   9.3× once, 11.9 → 111.0 ms at 512k → 2M, when a run inherited a nearly full old generation).
 *   What a run allocates itself is still collected inside its own time.
 *
 * Times are CPU time (a process waiting for a shared core is not slower). A family that misses is
 * measured again before it fails; a real quadratic misses every time, which the last test shows on
 * a deliberately quadratic family. Times below a floor count as the floor: sub-millisecond runs
 * say nothing about growth.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { hostileFamilies, type HostileFamily } from './hostileInputs';

const base = 32_000;
const sizesAt = (b: number): number[] => [b, 4 * b, 16 * b];
/** A family whose largest size costs less than this is judged again at sizes 4× larger. */
const cheapMs = 100;
/** The judged step: from the middle size to the largest. */
const maxStep = 8;
/** Largest over smallest, the smallest's time taken with a pinch of salt. */
const maxOverall = 64;
const floorMs = 4;
/** Each timed size runs at least this often… */
const minRuns = 3;
/** …and until this much CPU time is spent (cheap sizes run many times, so their mean settles). */
const budgetMs = 150;
const maxRuns = 60;
const attempts = 3;
/** A single run slower than this before the largest size is a hang, not noise: stop there. */
const hangMs = 3000;

setFlagsFromString('--expose-gc');
/** V8's full collection, exposed for this file only (the flag applies to contexts made after it). */
const collect = runInNewContext('gc') as () => void;

/** Mean CPU time per run of `family` on `text`, the slowest run left out once there are four. */
function meanTime(family: HostileFamily, text: string): number {
  const runs: number[] = [];
  let total = 0;
  while (runs.length < maxRuns && (runs.length < minRuns || total < budgetMs)) {
    collect();
    const c0 = process.cpuUsage();
    family.run(text);
    const c = process.cpuUsage(c0);
    const t = (c.user + c.system) / 1000;
    runs.push(t);
    total += t;
    if (t > hangMs) return t;
  }
  if (runs.length >= 4) total -= Math.max(...runs);
  return total / (runs.length >= 4 ? runs.length - 1 : runs.length);
}

interface Growth {
  times: number[];
  /** The judged step: largest size over the middle one. */
  step: number;
  overall: number;
}

/** Runs every size once, untimed: compiled code and a grown heap for all of them before timing. */
function warmUp(family: HostileFamily, sizes: number[]): void {
  for (const n of sizes) {
    const c0 = process.cpuUsage();
    family.run(family.make(n));
    const c = process.cpuUsage(c0);
    if ((c.user + c.system) / 1000 > hangMs) return;
  }
}

/** Lets the test runner's messages through between sizes (the runs themselves are synchronous). */
const breathe = (): Promise<void> => new Promise((done) => setImmediate(done));

async function growth(family: HostileFamily, sizes: number[]): Promise<Growth> {
  const times: number[] = [];
  for (const n of sizes) {
    await breathe();
    const t = meanTime(family, family.make(n));
    times.push(t);
    if (t > hangMs) break;
  }
  if (times.length < sizes.length) return { times, step: Infinity, overall: Infinity };
  const [small, middle, large] = times as [number, number, number];
  return { times, step: large / Math.max(middle, floorMs), overall: large / Math.max(small, floorMs) };
}

const misses = (g: Growth): boolean => g.overall > maxOverall || g.step > maxStep;

/** A family's growth at `sizes` after the warm-up, measured again (up to `attempts` times) while it misses. */
async function judgeAt(family: HostileFamily, sizes: number[]): Promise<Growth> {
  warmUp(family, sizes);
  let last = await growth(family, sizes);
  for (let k = 1; k < attempts && misses(last) && Number.isFinite(last.overall); k++)
    last = await growth(family, sizes);
  return last;
}

/** A family's growth from 32k characters, or from 128k when it is cheap there (see above). */
async function judge(family: HostileFamily): Promise<{ growth: Growth; shown: string }> {
  let sizes = sizesAt(base);
  let g = await judgeAt(family, sizes);
  const largest = g.times[g.times.length - 1] ?? Infinity;
  if (g.times.length === sizes.length && largest < cheapMs) {
    sizes = sizesAt(4 * base);
    g = await judgeAt(family, sizes);
  }
  const shown = `${g.times.map((t) => `${t.toFixed(1)} ms CPU`).join(' → ')} at ${sizes.join(' / ')}`;
  return { growth: g, shown };
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
      async () => {
        const { growth: g, shown } = await judge(family);
        expect(g.step, shown).toBeLessThanOrEqual(maxStep);
        expect(g.overall, shown).toBeLessThanOrEqual(maxOverall);
      },
      120_000,
    );
  }

  it('fails a quadratic family (the judgement can fail)', async () => {
    const { growth: g, shown } = await judge(quadratic);
    expect(misses(g), shown).toBe(true);
    expect(sink).not.toBe(0);
  }, 120_000);
});
