/**
 * Growth-ratio checks: a linear-time routine fed an input 4× larger takes about 4× longer,
 * a quadratic one 16×. Times are only compared with each other, never with a fixed budget.
 */

export interface Growth {
  sizes: number[];
  /** Minimum CPU time per size, in milliseconds. */
  times: number[];
  /** times[i + 1] / times[i]. */
  ratios: number[];
}

/**
 * Times `run(make(n))` for n, 4n and 16n, in CPU time of this process (user + system): on a
 * machine shared with other jobs, wall time mostly measures how often we were preempted.
 * Texts are built and each run once (compiled and optimised) before timing; then each size
 * is timed `repeats` times, interleaved across sizes, and the minimum kept.
 */
export function measureGrowth(
  make: (n: number) => string,
  run: (text: string) => void,
  base: number,
  repeats = 3,
): Growth {
  const sizes = [base, base * 4, base * 16];
  const texts = sizes.map(make);
  for (let w = 0; w < 3; w++) run(texts[0]);
  for (const text of texts) run(text);
  const times = sizes.map(() => Infinity);
  for (let r = 0; r < repeats; r++) {
    for (let i = 0; i < texts.length; i++) {
      const t0 = process.cpuUsage();
      run(texts[i]);
      const used = process.cpuUsage(t0);
      times[i] = Math.min(times[i], (used.user + used.system) / 1000);
    }
  }
  return { sizes, times, ratios: [times[1] / times[0], times[2] / times[1]] };
}

/**
 * Whether `run` grows at most `limit`× per 4× step on `make`'s inputs: up to `rounds`
 * measurements, stopping at the first within the limit (noise on a shared machine inflates
 * a ratio now and then; a quadratic routine is 16× in every round). Returns the last one.
 * Five rounds: with a load average of 19 on two cores, three rounds of a linear family still
 * ended at 5.3× about once per full unit run.
 */
export function growsWithin(
  make: (n: number) => string,
  run: (text: string) => void,
  base: number,
  limit: number,
  rounds = 5,
): Growth {
  let g = measureGrowth(make, run, base);
  for (let r = 1; r < rounds && !g.ratios.every((x) => x <= limit); r++) g = measureGrowth(make, run, base);
  return g;
}

/** "n=…: … ms" for a failure message. */
export function describeGrowth(g: Growth): string {
  return g.sizes.map((n, i) => `n=${n}: ${g.times[i].toFixed(2)} ms`).join(', ');
}
