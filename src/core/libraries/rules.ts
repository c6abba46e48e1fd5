/**
 * Per-example losses by each library's own rule, one row (the classes, on the last axis) at a
 * time, rounding every step to the dtype as the library's float32 tensors do. Where each rule
 * comes from is said in types.ts (PerExampleRule) and in docs/detection.md section 4.
 */
import type { DType } from '../types';
import type { LibraryLossRequest } from './types';

type Round = (v: number) => number;

const identity: Round = (v) => v;

export function rounding(dtype: DType): Round {
  return dtype === 'float32' ? Math.fround : identity;
}

/** The clipping bounds [ε, 1 − ε] as the library's tensors hold them (1 − ε computed in double first). */
export function clipBounds(epsilon: number, dtype: DType): [number, number] {
  const r = rounding(dtype);
  return [r(epsilon), r(1 - epsilon)];
}

function clip(v: number, lo: number, hi: number): number {
  // clip_by_value / np.clip keep NaN.
  return v !== v ? v : v < lo ? lo : v > hi ? hi : v;
}

/** Row reading and writing over a flat array whose last axis holds the C classes. */
interface Row {
  x: Float64Array;
  at: number;
  C: number;
}

/** logsumexp of a row, max-shifted: returns [max, log Σ exp(x − max)] (NaN when the row has one). */
function logSumExp(row: Row, r: Round): [number, number] {
  const { x, at, C } = row;
  let max = -Infinity;
  for (let c = 0; c < C; c++) {
    const v = x[at + c];
    if (v > max || v !== v) max = v;
  }
  if (max === -Infinity) return [max, NaN];
  let sum = 0;
  for (let c = 0; c < C; c++) sum = r(sum + r(Math.exp(r(x[at + c] - max))));
  return [max, r(Math.log(sum))];
}

/** −Σ y·log_softmax(x) for a target row, or logsumexp(x) − x_t for an index (TensorFlow's xent kernel). */
function softmaxLoss(row: Row, y: Float64Array | null, t: number, r: Round): number {
  const [max, logSum] = logSumExp(row, r);
  const { x, at, C } = row;
  if (y === null) return r(logSum - r(x[at + t] - max));
  let loss = 0;
  for (let c = 0; c < C; c++) loss = r(loss + r(y[c] * r(logSum - r(x[at + c] - max))));
  return loss;
}

/** MLX: logsumexp(x) − (1 − s)·score − s·mean(x), score = x_t or Σ x·y. */
function mlxSmoothedLoss(row: Row, y: Float64Array | null, t: number, s: number, r: Round): number {
  const { x, at, C } = row;
  const [max, logSum] = logSumExp(row, r);
  const lse = r(max + logSum);
  let score: number;
  if (y === null) score = x[at + t];
  else {
    score = 0;
    for (let c = 0; c < C; c++) score = r(score + r(x[at + c] * y[c]));
  }
  let mean = 0;
  for (let c = 0; c < C; c++) mean = r(mean + x[at + c]);
  mean = r(mean / C);
  return r(r(lse - r(r(1 - s) * score)) + r(-mean * s));
}

/** Probabilities divided by their sum (or the softmax of logits), then clipped; −Σ y·log p. */
function clippedLoss(
  row: Row,
  y: Float64Array | null,
  t: number,
  fromLogits: boolean,
  bounds: [number, number],
  r: Round,
): number {
  const { x, at, C } = row;
  const p = new Float64Array(C);
  if (fromLogits) {
    let max = -Infinity;
    for (let c = 0; c < C; c++) if (x[at + c] > max || x[at + c] !== x[at + c]) max = x[at + c];
    let sum = 0;
    for (let c = 0; c < C; c++) {
      p[c] = r(Math.exp(r(x[at + c] - max)));
      sum = r(sum + p[c]);
    }
    for (let c = 0; c < C; c++) p[c] = r(p[c] / sum);
  } else {
    let sum = 0;
    for (let c = 0; c < C; c++) sum = r(sum + x[at + c]);
    for (let c = 0; c < C; c++) p[c] = r(x[at + c] / sum);
  }
  if (y === null) return -r(Math.log(clip(p[t], bounds[0], bounds[1])));
  let acc = 0;
  for (let c = 0; c < C; c++) acc = r(acc + r(y[c] * r(Math.log(clip(p[c], bounds[0], bounds[1])))));
  return -acc;
}

/** Keras on TensorFlow, sparse, from probabilities: log of the clipped probabilities, then sparse softmax CE. */
function kerasSparseTfLoss(row: Row, t: number, bounds: [number, number], r: Round): number {
  const { x, at, C } = row;
  const logits = new Float64Array(C);
  for (let c = 0; c < C; c++) logits[c] = r(Math.log(clip(x[at + c], bounds[0], bounds[1])));
  return softmaxLoss({ x: logits, at: 0, C }, null, t, r);
}

/** scikit-learn: clip to [eps, 1 − eps], divide by the row sum, −Σ onehot·log p (0·log p is 0). */
function sklearnLoss(row: Row, t: number, bounds: [number, number], r: Round): number {
  const { x, at, C } = row;
  let sum = 0;
  for (let c = 0; c < C; c++) sum = r(sum + clip(x[at + c], bounds[0], bounds[1]));
  const p = r(clip(x[at + t], bounds[0], bounds[1]) / sum);
  return -r(Math.log(p));
}

/** −Σ y·log p (or −log p_t) on the probabilities as given: no row sum, no clipping (a zero gives inf, or NaN as 0·log 0). */
function logOfProbabilitiesLoss(row: Row, y: Float64Array | null, t: number, r: Round): number {
  const { x, at, C } = row;
  if (y === null) return -r(Math.log(x[at + t]));
  let acc = 0;
  for (let c = 0; c < C; c++) acc = r(acc + r(-y[c] * r(Math.log(x[at + c]))));
  return acc;
}

/** The target row of example n, mixed by label smoothing when the rule mixes targets. */
function targetRow(req: LibraryLossRequest, n: number, C: number, r: Round): Float64Array | null {
  const s = req.smoothing === 'mix_targets' ? req.labelSmoothing : 0;
  if (req.targetKind === 'indices' && s === 0) return null;
  const y = new Float64Array(C);
  if (req.targetKind === 'indices') {
    const t = req.target.data[n];
    if (t >= 0 && t < C) y[t] = 1;
  } else for (let c = 0; c < C; c++) y[c] = r(req.target.data[n * C + c]);
  if (s > 0) {
    const keep = r(1 - s);
    const share = r(s / C);
    for (let c = 0; c < C; c++) y[c] = r(r(y[c] * keep) + share);
  }
  return y;
}

/**
 * The loss of every example (row) of the request, in the request's dtype. Targets must already
 * be checked (shapes, index range) by the caller.
 */
export function perExampleLosses(req: LibraryLossRequest): Float64Array {
  const r = rounding(req.dtype);
  const shape = req.input.shape;
  const C = shape[shape.length - 1];
  const x = Float64Array.from(req.input.data, r);
  const rows = C > 0 ? x.length / C : 0;
  const out = new Float64Array(rows);
  const bounds = clipBounds(req.epsilon, req.dtype);
  for (let n = 0; n < rows; n++) {
    const row: Row = { x, at: n * C, C };
    const t = req.targetKind === 'indices' ? req.target.data[n] : -1;
    switch (req.rule) {
      case 'softmax': {
        if (req.smoothing === 'mlx' && req.labelSmoothing > 0) {
          const y = req.targetKind === 'indices' ? null : targetRow(req, n, C, r);
          out[n] = mlxSmoothedLoss(row, y, t, req.labelSmoothing, r);
        } else {
          const y = targetRow(req, n, C, r);
          out[n] = softmaxLoss(row, y, y === null ? t : -1, r);
        }
        break;
      }
      case 'keras_probabilities':
      case 'tfjs_layers': {
        const y = targetRow(req, n, C, r);
        out[n] = clippedLoss(row, y, y === null ? t : -1, req.fromLogits, bounds, r);
        break;
      }
      case 'keras_sparse_tf':
        out[n] = req.fromLogits ? softmaxLoss(row, null, t, r) : kerasSparseTfLoss(row, t, bounds, r);
        break;
      case 'tfjs_layers_sparse': {
        // tfjs clips the raw output before anything else (logits included), then one-hot encodes
        // the floored target (an index outside [0, C) gives a row of zeros, so a loss of 0).
        const clipped = new Float64Array(C);
        for (let c = 0; c < C; c++) clipped[c] = clip(x[n * C + c], bounds[0], bounds[1]);
        const y = new Float64Array(C);
        const k = Math.floor(t);
        if (k >= 0 && k < C) y[k] = 1;
        out[n] = clippedLoss({ x: clipped, at: 0, C }, y, -1, req.fromLogits, bounds, r);
        break;
      }
      case 'sklearn':
        out[n] = sklearnLoss(row, t, bounds, r);
        break;
      case 'nll':
        out[n] = -x[n * C + t];
        break;
      case 'log_probabilities': {
        const y = targetRow(req, n, C, r);
        out[n] = logOfProbabilitiesLoss(row, y, t, r);
        break;
      }
    }
  }
  return out;
}
