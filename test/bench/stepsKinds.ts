/**
 * The materialised steps (crossEntropySteps: forward + softmax and log_softmax of every element)
 * against the forward of the same request (crossEntropy on the same Prepared), for each kind of
 * request the kernel handles apart: plain index targets, label smoothing, a class weight,
 * ignore_index, the three together, and probability targets. Timed in interleaved rounds in the
 * same run; printed per row: steps ÷ forward against the goal (≤ 1.5×), and steps ÷ the plain
 * request's forward (what the kind costs on top). Before timing, each steps result is checked
 * (checkSteps: its loss equals the forward's, its log_softmax the per-sample breakdown's).
 */
import { crossEntropy, crossEntropySteps, prepare, type Prepared } from '../../src/core/kernel/index';
import type { DType, LossRequest } from '../../src/core/types';
import { makeData, makeRequest, type BenchData } from './data';
import { goal } from './options';
import { checkSteps } from './steps';
import { median, timeRound, warmUp } from './timing';

export interface StepsKindFigure {
  n: number;
  c: number;
  dtype: DType;
  kind: string;
  msForward: number;
  msSteps: number;
  /** steps ÷ this request's forward. */
  ratio: number;
  /** steps ÷ the plain request's forward (same size and dtype). */
  ratioPlain: number;
}

export const stepsKinds = ['indices', 'ε 0.1', 'weight', 'ignore_index', 'ε 0.1 + weight + ignore', 'probabilities'];

/** The request of `kind` over `data` (deterministic: every tenth target ignored, weights 0.5–1.5). */
export function requestOf(data: BenchData, dtype: DType, kind: string): LossRequest {
  const req = makeRequest(data, dtype);
  const { n, c } = data;
  const weight = { data: Float64Array.from({ length: c }, (_, k) => 0.5 + ((k * 37) % 101) / 100), shape: [c] };
  const ignoring = { data: data.targets.map((t, i) => (i % 10 === 3 ? -100 : t)), shape: [n], integral: true };
  if (kind === 'ε 0.1') return { ...req, labelSmoothing: 0.1 };
  if (kind === 'weight') return { ...req, weight: { ...weight, integral: false } };
  if (kind === 'ignore_index') return { ...req, target: ignoring };
  if (kind === 'ε 0.1 + weight + ignore')
    return { ...req, labelSmoothing: 0.1, weight: { ...weight, integral: false }, target: ignoring };
  if (kind.startsWith('probabilities')) {
    // A distribution per row: the target class 0.6, the rest spread evenly (a smoothed one-hot).
    const q = new Float64Array(n * c).fill(0.4 / (c - 1));
    for (let i = 0; i < n; i++) q[i * c + data.targets[i]] = 0.6;
    const probs = { ...req, target: { data: q, shape: [n, c], integral: false } };
    if (kind === 'probabilities + ε 0.1 + weight')
      return { ...probs, labelSmoothing: 0.1, weight: { ...weight, integral: false } };
    return probs;
  }
  return req;
}

/** Times steps and forward per kind in `rounds` interleaved rounds; medians in ms. */
export function benchStepsKinds(
  sizes: Array<[number, number]>,
  dtypes: DType[],
  rounds: number,
  roundSeconds: number,
  checks: string[],
): StepsKindFigure[] {
  const out: StepsKindFigure[] = [];
  for (const [n, c] of sizes) {
    const data = makeData(n, c);
    for (const dtype of dtypes) {
      let plain = NaN;
      for (const kind of stepsKinds) {
        const p: Prepared = prepare(requestOf(data, dtype, kind));
        const problem = checkSteps(p, crossEntropySteps(p), 4);
        if (problem) checks.push(`${n}×${c} ${dtype} ${kind}: steps check failed: ${problem}`);
        const forward = (): number => crossEntropy(p).loss;
        const steps = (): number => {
          const s = crossEntropySteps(p);
          return s.loss + s.softmax[0] + s.logSoftmax[s.logSoftmax.length - 1];
        };
        const bf = warmUp(forward, roundSeconds).batch;
        const bs = warmUp(steps, roundSeconds).batch;
        const tf: number[] = [];
        const ts: number[] = [];
        for (let k = 0; k < rounds; k++) {
          const a = timeRound(forward, bf, roundSeconds);
          tf.push((a.seconds / a.calls) * 1000);
          const b = timeRound(steps, bs, roundSeconds);
          ts.push((b.seconds / b.calls) * 1000);
        }
        const msForward = median(tf);
        const msSteps = median(ts);
        if (kind === 'indices') plain = msForward;
        out.push({ n, c, dtype, kind, msForward, msSteps, ratio: msSteps / msForward, ratioPlain: msSteps / plain });
      }
    }
  }
  return out;
}

export function printStepsKinds(figures: StepsKindFigure[]): void {
  console.log(
    `\nMaterialised steps per kind of request (median ms per call, interleaved rounds; goal steps ÷ forward ≤ ${goal.stepsFactor}×):`,
  );
  for (const f of figures) {
    console.log(
      `  (${f.n}, ${f.c}) ${f.dtype} ${f.kind.padEnd(24)} forward ${f.msForward.toFixed(3)} ms, steps ${f.msSteps.toFixed(3)} ms: ` +
        `${f.ratio.toFixed(2)}× ${f.ratio <= goal.stepsFactor ? '✓' : '✗'} (÷ plain forward ${f.ratioPlain.toFixed(2)}×)`,
    );
  }
}
