/** The bench's command line, sizes and goals (see main.ts for what is measured). */
import { availableParallelism } from 'node:os';
import type { DType } from '../../src/core/types';

export type ImplName =
  | 'ours'
  | 'ours-1thread'
  | 'ours-scalar'
  | 'ours+prepare'
  | 'ours-steps'
  | 'ours-grad'
  | 'ours-grad-known'
  | 'ours-prob'
  | 'ours-prob-grad'
  | 'tfjs-cpu'
  | 'torch';

export const defaultSizes: Array<[number, number]> = [
  [1, 10],
  [64, 10],
  [256, 1000],
  [4096, 1000],
  [64, 50257],
  [16384, 1000],
];

/** The goals: float32 unless marked float64. */
export const goal = {
  logitsPerS: 200e6, // forward at (4096, 1000)
  tfjsSpeedup: 30,
  callsPerS: 5e6, // at (1, 10)
  /** float32 forward throughput ≥ torch single-thread's, with the pool (both cores). */
  torchRatio: 1.0,
  /** float32 forward on one thread ≥ 0.6× torch single-thread. */
  torchRatioPerCore: 0.6,
  /** float64 forward ≥ 0.5× torch single-thread. */
  torchRatioF64: 0.5,
  /** The sizes these three are stated at. */
  torchSizes: [
    [256, 1000],
    [4096, 1000],
    [64, 50257],
  ] as Array<[number, number]>,
  stepsFactor: 1.5, // steps time ≤ 1.5× forward
  gradFactor: 2, // gradient time ≤ 2× forward
  rssFactor: 3, // peak RSS at (16384, 1000) < 3× the input
};

export const atTorchSize = (n: number, c: number): boolean => goal.torchSizes.some(([a, b]) => a === n && b === c);

export interface Options {
  json: string | null;
  quick: boolean;
  sizes: Array<[number, number]>;
  dtypes: DType[];
  torch: boolean;
  tfjs: boolean;
  rss: boolean;
  /** Also measure detection (literal parsing, a 10 MB file end to end, memory). */
  detection: boolean;
  /** Measure detection only (no kernel, torch, tfjs or kernel RSS): for interleaved runs of it. */
  detectionOnly: boolean;
  /** Measure the steps per kind of request only (stepsKinds.ts), at --sizes: for interleaved runs. */
  stepsOnly: boolean;
  /** Measure the forward and gradient per kind of target only (targetPaths.ts), at --sizes. */
  pathsOnly: boolean;
  /**
   * The kernel table only (forward, steps, gradient against torch at --sizes): no RSS probes,
   * tfjs, label smoothing, steps per kind, target paths or detection — for interleaved A/B runs.
   */
  kernelOnly: boolean;
  rounds: number;
  roundSeconds: number;
  warmSeconds: number;
  /** Threads ours may use (the row pool's helpers + the calling thread); 1: no pool. */
  threads: number;
}

export function parseArgs(argv: string[]): Options {
  const o: Options = {
    json: null,
    quick: false,
    sizes: defaultSizes,
    dtypes: ['float32', 'float64'],
    torch: true,
    tfjs: true,
    rss: true,
    detection: true,
    detectionOnly: false,
    stepsOnly: false,
    pathsOnly: false,
    kernelOnly: false,
    rounds: 5,
    roundSeconds: 0.15,
    warmSeconds: 0.15,
    threads: Math.min(4, availableParallelism()),
  };
  let roundMs: number | null = null;
  let rounds: number | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--json') o.json = value();
    else if (a === '--quick') o.quick = true;
    else if (a === '--sizes') {
      o.sizes = value()
        .split(',')
        .map((s) => {
          const m = /^(\d+)x(\d+)$/.exec(s.trim());
          if (!m) throw new Error(`bad size ${s} (expected NxC, e.g. 64x10)`);
          return [Number(m[1]), Number(m[2])] as [number, number];
        });
    } else if (a === '--dtypes') {
      o.dtypes = value()
        .split(',')
        .map((d) => {
          if (d !== 'float32' && d !== 'float64') throw new Error(`bad dtype ${d}`);
          return d;
        });
    } else if (a === '--no-torch') o.torch = false;
    else if (a === '--no-tfjs') o.tfjs = false;
    else if (a === '--no-rss') o.rss = false;
    else if (a === '--no-detection') o.detection = false;
    else if (a === '--detection-only') o.detectionOnly = true;
    else if (a === '--steps-only') o.stepsOnly = true;
    else if (a === '--paths-only') o.pathsOnly = true;
    else if (a === '--kernel-only') {
      o.kernelOnly = true;
      o.tfjs = false;
      o.rss = false;
      o.detection = false;
    } else if (a === '--rounds') rounds = Number(value());
    else if (a === '--round-ms') roundMs = Number(value());
    else if (a === '--threads') o.threads = Math.max(1, Number(value()) | 0);
    else throw new Error(`unknown argument ${a}`);
  }
  if (o.quick) {
    o.rounds = 2;
    o.roundSeconds = 0.03;
    o.warmSeconds = 0.03;
  }
  if (rounds !== null) o.rounds = Math.max(1, rounds);
  if (roundMs !== null) o.roundSeconds = roundMs / 1000;
  return o;
}
