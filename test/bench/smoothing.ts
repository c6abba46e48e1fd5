/**
 * Label smoothing against none on the same pair: computeLoss (the panel's forward), the steps
 * (heat map) and one sample's shown gradient, timed in interleaved rounds in the same run; the
 * ratio smoothing ÷ none is printed per figure (the goal: label smoothing costs about what the
 * forward without it does, ≤ 1.5×).
 */
import { computeLoss, crossEntropySteps, gradientRow, prepare } from '../../src/core/kernel/index';
import type { DType } from '../../src/core/types';
import { makeData, makeRequest } from './data';
import { median, timeRound, warmUp } from './timing';

/** Goal for smoothing ÷ none. */
const goal = 1.5;

export interface SmoothingFigure {
  n: number;
  c: number;
  dtype: DType;
  what: string;
  msNone: number;
  msSmooth: number;
  ratio: number;
}

/** Times `what` with label smoothing 0 and 0.1 in `rounds` interleaved rounds; medians in ms. */
export function benchSmoothing(
  sizes: Array<[number, number]>,
  dtypes: DType[],
  rounds = 5,
  roundSeconds = 0.3,
): SmoothingFigure[] {
  const out: SmoothingFigure[] = [];
  for (const [n, c] of sizes) {
    const data = makeData(n, c);
    for (const dtype of dtypes) {
      const req = (ls: number) => ({ ...makeRequest(data, dtype), labelSmoothing: ls, weight: null });
      const forward = (ls: number) => () => {
        const r = computeLoss(req(ls));
        return r.ok ? r.result.loss : NaN;
      };
      const preparedOf = (ls: number) => prepare(req(ls));
      const p0 = preparedOf(0);
      const p1 = preparedOf(0.1);
      const steps = (p: ReturnType<typeof prepare>) => () => crossEntropySteps(p).loss;
      const row = (ls: number) => {
        const r = computeLoss(req(ls));
        if (!r.ok) throw new Error(r.error.message);
        const classes = Array.from({ length: Math.min(c, 16) }, (_, k) => k);
        return () => gradientRow(r.prepared, r.result, n - 1, classes)[0];
      };
      const cases: Array<[string, () => number, () => number]> = [
        ['computeLoss', forward(0), forward(0.1)],
        ['steps', steps(p0), steps(p1)],
        ['gradient row (16 classes)', row(0), row(0.1)],
      ];
      for (const [what, none, smooth] of cases) {
        const b0 = warmUp(none, 0.1).batch;
        const b1 = warmUp(smooth, 0.1).batch;
        const t0: number[] = [];
        const t1: number[] = [];
        for (let k = 0; k < rounds; k++) {
          const a = timeRound(none, b0, roundSeconds);
          t0.push((a.seconds / a.calls) * 1000);
          const b = timeRound(smooth, b1, roundSeconds);
          t1.push((b.seconds / b.calls) * 1000);
        }
        const msNone = median(t0);
        const msSmooth = median(t1);
        out.push({ n, c, dtype, what, msNone, msSmooth, ratio: msSmooth / msNone });
      }
    }
  }
  return out;
}

export function printSmoothing(figures: SmoothingFigure[]): void {
  console.log(
    '\nLabel smoothing 0.1 against none (median ms per call, interleaved rounds; goal smoothing ÷ none ≤ 1.5×):',
  );
  for (const f of figures) {
    console.log(
      `  (${f.n}, ${f.c}) ${f.dtype} ${f.what.padEnd(26)} none ${f.msNone.toFixed(3)} ms, smoothing ${f.msSmooth.toFixed(3)} ms: ` +
        `${f.ratio.toFixed(2)}× ${f.ratio <= goal ? '✓' : '✗'}`,
    );
  }
}
