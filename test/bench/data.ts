/**
 * Benchmark inputs: deterministic pseudo-random logits and class indices, built straight into
 * typed arrays (the shape a parsed literal arrives in), never through JS arrays.
 */
import type { DType, LossRequest } from '../../src/core/types';
// A tiny, fast, seedable 32-bit PRNG; good enough for benchmark data.
import { mulberry32 } from '../shared/mulberry32';

/** Logits ~ 2·N(0, 1) (Box–Muller), class indices uniform in [0, C). */
export interface BenchData {
  n: number;
  c: number;
  /** Row-major (N, C) logits in float64, the precision a parsed source literal has. */
  logits: Float64Array;
  /** Class indices as doubles (NdArray stores every number as a double). */
  targets: Float64Array;
}

export function makeData(n: number, c: number, seed = 12345): BenchData {
  const rand = mulberry32(seed ^ (n * 7919 + c));
  const logits = new Float64Array(n * c);
  for (let i = 0; i < logits.length; i += 2) {
    const u1 = 1 - rand();
    const u2 = rand();
    const r = 2 * Math.sqrt(-2 * Math.log(u1));
    logits[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < logits.length) logits[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  const targets = new Float64Array(n);
  for (let i = 0; i < n; i++) targets[i] = Math.min(c - 1, Math.floor(rand() * c));
  return { n, c, logits, targets };
}

/** The LossRequest a user's `F.cross_entropy(x, t)` with defaults becomes. */
export function makeRequest(d: BenchData, dtype: DType): LossRequest {
  return {
    input: { data: d.logits, shape: [d.n, d.c], integral: false },
    target: { data: d.targets, shape: [d.n], integral: true },
    weight: null,
    ignoreIndex: -100,
    reduction: 'mean',
    labelSmoothing: 0,
    dtype,
    inputKind: 'logits',
  };
}
