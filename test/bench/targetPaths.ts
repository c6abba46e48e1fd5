/**
 * The paths the kernel takes apart from the plain class-index forward, timed against it in
 * interleaved rounds in the same run: the forward with probability targets (with and without
 * label smoothing and a weight), and the gradient (crossEntropy(p, true)) with class-index
 * targets, with label smoothing (and a weight and ignored targets) and with probability targets.
 * Printed per row: time ÷ the class-index forward of the same size and dtype, and for a gradient
 * time ÷ the forward of the same request against the goal (≤ {@link goal.gradFactor}×). torch
 * times only the class-index forward in this bench (torch_bench.py): those figures are in the
 * main table, and the ratios here carry over to them.
 *
 * As in the main table (main.ts), a round waits for a pause of the row pool's splitting to end,
 * and a round during which splitting paused anyway is run again (up to `rounds` times in all),
 * so a ratio never compares a round on one thread with one on two.
 */
import { crossEntropy, prepare, type Prepared } from '../../src/core/kernel/index';
import { forgetRowStats } from '../../src/core/kernel/input';
import { getRowRunner } from '../../src/core/kernel/wasmKernel';
import { RowPool } from '../../src/worker/rowPool';
import type { DType } from '../../src/core/types';
import { makeData } from './data';
import { goal } from './options';
import { requestOf } from './stepsKinds';
import { median, timeRound, warmUp } from './timing';

export interface TargetPathFigure {
  n: number;
  c: number;
  dtype: DType;
  what: string;
  ms: number;
  /** ÷ the class-index forward of the same size and dtype. */
  ratioIndex: number;
  /** For a gradient: ÷ the forward of the same request; NaN for a forward. */
  ratioOwn: number;
  /** Rounds run again because splitting paused during them. */
  pausedRounds: number;
}

/** Sleeps this thread until `pool` splits again (at most ~1.5 s: a pause lasts a second). */
function waitResumed(pool: RowPool): void {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 75 && pool.splitPaused; i++) Atomics.wait(cell, 0, 0, 20);
}

/** [label, kind of request (stepsKinds.ts requestOf), gradient?] */
const paths: Array<[string, string, boolean]> = [
  ['forward indices', 'indices', false],
  ['forward probabilities', 'probabilities', false],
  ['forward prob + ε 0.1 + weight', 'probabilities + ε 0.1 + weight', false],
  ['forward ε 0.1', 'ε 0.1', false],
  ['forward ε 0.1 + weight + ignore', 'ε 0.1 + weight + ignore', false],
  ['gradient indices', 'indices', true],
  ['gradient ε 0.1', 'ε 0.1', true],
  ['gradient ε 0.1 + weight + ignore', 'ε 0.1 + weight + ignore', true],
  ['gradient probabilities', 'probabilities', true],
  ['gradient prob + ε 0.1 + weight', 'probabilities + ε 0.1 + weight', true],
];

/** Times every path in `rounds` interleaved rounds (all paths per round); medians in ms. */
export function benchTargetPaths(
  sizes: Array<[number, number]>,
  dtypes: DType[],
  rounds: number,
  roundSeconds: number,
): TargetPathFigure[] {
  const out: TargetPathFigure[] = [];
  for (const [n, c] of sizes) {
    const data = makeData(n, c);
    for (const dtype of dtypes) {
      const prepared = new Map<string, Prepared>();
      const fns = paths.map(([, kind, grad]) => {
        let p = prepared.get(kind);
        if (!p) prepared.set(kind, (p = prepare(requestOf(data, dtype, kind))));
        const q = p;
        return grad
          ? (): number => {
              // From nothing, as a fresh request's (the kept row statistics would spare two passes).
              forgetRowStats(q);
              const r = crossEntropy(q, true);
              return r.loss + (r.grad as ArrayLike<number>)[0];
            }
          : (): number => crossEntropy(q).loss;
      });
      const batches = fns.map((fn) => warmUp(fn, roundSeconds).batch);
      const times: number[][] = fns.map(() => []);
      const paused = fns.map(() => 0);
      const runner = getRowRunner();
      const pool = runner instanceof RowPool ? runner : null;
      for (let k = 0; k < rounds; k++) {
        for (let j = 0; j < fns.length; j++) {
          for (;;) {
            if (pool) waitResumed(pool);
            const before = pool ? pool.pauses : 0;
            const pausedAtStart = pool?.splitPaused ?? false;
            const r = timeRound(fns[j], batches[j], roundSeconds);
            if (pool && (pausedAtStart || pool.pauses > before) && paused[j] < rounds) {
              paused[j]++;
              continue;
            }
            times[j].push((r.seconds / r.calls) * 1000);
            break;
          }
        }
      }
      const ms = times.map(median);
      const forwardOf = (kind: string): number => ms[paths.findIndex(([, k, g]) => k === kind && !g)] ?? NaN;
      paths.forEach(([what, kind, grad], j) => {
        out.push({
          n,
          c,
          dtype,
          what,
          ms: ms[j],
          ratioIndex: ms[j] / ms[0],
          ratioOwn: grad ? ms[j] / forwardOf(kind) : NaN,
          pausedRounds: paused[j],
        });
      });
    }
  }
  return out;
}

export function printTargetPaths(figures: TargetPathFigure[]): void {
  console.log(
    `\nForward and gradient per kind of target (median ms per call, interleaved rounds; ÷ idx fwd: time ÷ the ` +
      `class-index forward; gradient goal: ÷ its own forward ≤ ${goal.gradFactor}×):`,
  );
  for (const f of figures) {
    const own = Number.isNaN(f.ratioOwn)
      ? ''
      : `, ÷ own forward ${f.ratioOwn.toFixed(2)}× ${f.ratioOwn <= goal.gradFactor ? '✓' : '✗'}`;
    const paused = f.pausedRounds ? ` (splitting paused in ${f.pausedRounds} round(s), run again)` : '';
    console.log(
      `  (${f.n}, ${f.c}) ${f.dtype} ${f.what.padEnd(34)} ${f.ms.toFixed(3).padStart(8)} ms: ÷ idx fwd ${f.ratioIndex.toFixed(2)}×${own}${paused}`,
    );
  }
}
