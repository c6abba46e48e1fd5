/**
 * The sigmoid (binary) cross-entropies of libraries other than torch: one loss per element (no
 * class axis), each step rounded to the dtype as the library's float32 tensors do, then (for the
 * Keras and tfjs-layers loss functions) the mean over the last axis, then the library's weights
 * and reduction (reduce.ts). torch's own BCELoss / BCEWithLogitsLoss are binary.ts.
 *
 * The rules, from each library's source (docs/detection.md 4.12–4.15):
 * - `sigmoid_logits` (tf.nn.sigmoid_cross_entropy_with_logits, tfjs-core, Keras with from_logits,
 *   MindSpore): relu(x) − x·z, plus log1p(exp(−|x|)); with a `posWeight` q (broadcast over the logits,
 *   tf.nn.weighted_cross_entropy_with_logits) (1 − z)·x + (1 + (q − 1)·z)·(log1p(exp(−|x|)) + relu(−x)),
 *   in TensorFlow's order of operations;
 * - `keras_bce` on probabilities: p clipped to [ε, 1 − ε] (ε = 1e-7); tf.keras 2 (TF 1.15–2.15)
 *   then −(z·log(p + ε) + (1 − z)·log(1 − p + ε)), Keras 3 −(z·log p + (1 − z)·log(1 − p));
 * - `tfjs_layers_bce`: p clipped to [ε, 1 − ε], x = log(p / (1 − p)), then `sigmoid_logits`;
 * - `mlx_bce`: logaddexp(0, x) − x·z on logits; −(z·max(log p, −100) + (1 − z)·max(log(1 − p),
 *   −100)) on probabilities (`fromLogits` false);
 * - `optax_sigmoid`: −z·log_sigmoid(x) − (1 − z)·log_sigmoid(−x), log_sigmoid(x) =
 *   −(max(−x, 0) + log1p(exp(−|x|)));
 * - `tfjs_log_loss` (tfjs-core ops/losses/log_loss.ts): −z·log(p + ε) − (1 − z)·log(1 − p + ε), no
 *   clipping, ε the call's epsilon.
 * Label smoothing (`smoothing: 'binary'`) first turns z into z·(1 − s) + s/2.
 */
import type { DType } from '../types';
import { broadcastTo } from './binary';
import { LibraryRuleError, weightAndReduce } from './reduce';
import { clipBounds, rounding } from './rules';
import type { KerasEra, LibraryLossRequest, LibraryLossResult } from './types';

type Round = (v: number) => number;

const sameShape = (a: number[], b: number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** TensorFlow's (and tfjs's) stable sigmoid cross-entropy of one logit. */
function sigmoidLogits(x: number, z: number, r: Round): number {
  const relu = x > 0 ? x : x !== x ? x : 0;
  return r(r(relu - r(x * z)) + r(Math.log1p(r(Math.exp(-Math.abs(x))))));
}

/** TensorFlow's weighted sigmoid cross-entropy of one logit (nn_impl.py weighted_cross_entropy_with_logits). */
function weightedLogits(x: number, z: number, q: number, r: Round): number {
  const logWeight = r(1 + r(r(q - 1) * z));
  const relu = -x > 0 ? -x : x !== x ? x : 0;
  const soft = r(r(Math.log1p(r(Math.exp(-Math.abs(x))))) + relu);
  return r(r(r(1 - z) * x) + r(logWeight * soft));
}

/** jax's log_sigmoid(x) = −softplus(−x), softplus by logaddexp(−x, 0). */
function logSigmoid(x: number, r: Round): number {
  const m = -x > 0 ? -x : 0;
  return -r(m + r(Math.log1p(r(Math.exp(-Math.abs(x))))));
}

/** MLX's logaddexp(0, x): the larger plus log1p(exp(smaller − larger)). */
function logAddExp0(x: number, r: Round): number {
  const hi = x > 0 ? x : 0;
  const lo = x > 0 ? 0 : x;
  if (hi === Infinity) return hi;
  return r(hi + r(Math.log1p(r(Math.exp(r(lo - hi))))));
}

/** One element's loss by the request's rule (z already smoothed). */
function elementLoss(
  req: LibraryLossRequest,
  era: Exclude<KerasEra, 'either'>,
  x: number,
  z: number,
  r: Round,
): number {
  switch (req.rule) {
    case 'sigmoid_logits':
      return sigmoidLogits(x, z, r);
    case 'keras_bce': {
      if (req.fromLogits) return sigmoidLogits(x, z, r);
      const [lo, hi] = clipBounds(req.epsilon, req.dtype);
      const p = x !== x ? x : x < lo ? lo : x > hi ? hi : x;
      const eps = era === 'tf_keras2' ? r(req.epsilon) : 0;
      const logP = r(Math.log(r(p + eps)));
      const logNot = r(Math.log(r(r(1 - p) + eps)));
      return -r(r(z * logP) + r(r(1 - z) * logNot));
    }
    case 'tfjs_layers_bce': {
      const [lo, hi] = clipBounds(req.epsilon, req.dtype);
      const p = x !== x ? x : x < lo ? lo : x > hi ? hi : x;
      const logit = r(Math.log(r(p / r(1 - p))));
      return sigmoidLogits(logit, z, r);
    }
    case 'mlx_bce': {
      if (req.fromLogits) return r(logAddExp0(x, r) - r(x * z));
      const logP = Math.max(r(Math.log(x)), -100);
      const logNot = Math.max(r(Math.log(r(1 - x))), -100);
      return -r(r(z * logP) + r(r(1 - z) * logNot));
    }
    case 'optax_sigmoid':
      return r(r(-z * logSigmoid(x, r)) - r(r(1 - z) * logSigmoid(-x, r)));
    case 'tfjs_log_loss': {
      const eps = r(req.epsilon);
      const logP = r(Math.log(r(x + eps)));
      const logNot = r(Math.log(r(r(1 - x) + eps)));
      return r(r(-(z * logP)) - r(r(1 - z) * logNot));
    }
    default:
      throw new LibraryRuleError('invalid_request', `${req.rule} is not a sigmoid cross-entropy rule`);
  }
}

/** The rule's losses for one era: per element, or their means over the last axis. */
function lossesOf(
  req: LibraryLossRequest,
  era: Exclude<KerasEra, 'either'>,
  r: Round,
): { losses: Float64Array; shape: number[] } {
  const x = req.input.data;
  const s = req.smoothing === 'binary' ? req.labelSmoothing : 0;
  const keep = r(1 - s);
  const half = r(0.5 * s);
  const out = new Float64Array(x.length);
  const q =
    req.posWeight && req.rule === 'sigmoid_logits'
      ? broadcastTo(req.posWeight, req.input.shape, 'pos_weight', r)
      : null;
  for (let i = 0; i < x.length; i++) {
    const t = r(req.target.data[i]);
    const z = s > 0 ? r(r(t * keep) + half) : t;
    out[i] = q ? weightedLogits(r(x[i]), z, q[i], r) : elementLoss(req, era, r(x[i]), z, r);
  }
  const shape = req.input.shape;
  if (req.perSample !== 'mean_last_axis') return { losses: out, shape };
  if (shape.length === 0) return { losses: out, shape };
  const C = shape[shape.length - 1];
  const rows = C > 0 ? out.length / C : 0;
  const means = new Float64Array(rows);
  for (let k = 0; k < rows; k++) {
    let sum = 0;
    for (let c = 0; c < C; c++) sum = r(sum + out[k * C + c]);
    means[k] = r(sum / C);
  }
  return { losses: means, shape: shape.slice(0, -1) };
}

function reduced(req: LibraryLossRequest, era: Exclude<KerasEra, 'either'>, dtype: DType): LibraryLossResult {
  const r = rounding(dtype);
  const { losses, shape } = lossesOf(req, era, r);
  return weightAndReduce(losses, shape, req.weights, req.weightRule, req.reduction, dtype);
}

/** Relative difference of two results, element by element (the largest). */
function largestDifference(a: LibraryLossResult, b: LibraryLossResult): number {
  let worst = 0;
  const rel = (u: number, v: number): number =>
    u === v
      ? 0
      : !Number.isFinite(u) || !Number.isFinite(v)
        ? Infinity
        : Math.abs(u - v) / Math.max(Math.abs(u), Math.abs(v));
  if (a.loss !== null && b.loss !== null) worst = rel(a.loss, b.loss);
  for (let i = 0; i < a.losses.length; i++) worst = Math.max(worst, rel(a.losses[i], b.losses[i]));
  return worst;
}

/**
 * How far tf.keras 2's and Keras 3's numbers may differ (relative) when the source does not say
 * which Keras runs it: up to here the number stands (tf.keras 2's, with Keras 3's kept as an
 * alternative that a claim may match); past it the pair has no number (`unsettled`).
 */
export const kerasEraAgreement = 1e-5;

/** The loss of a sigmoid cross-entropy request. */
export function sigmoidLoss(req: LibraryLossRequest): LibraryLossResult {
  if (!sameShape(req.target.shape, req.input.shape))
    throw new LibraryRuleError(
      'target_shape_mismatch',
      `logits and labels must have the same shape, but got shapes [${req.target.shape.join(', ')}] and [${req.input.shape.join(', ')}]`,
    );
  if (req.rule === 'mlx_bce' && !req.fromLogits)
    for (const p of req.input.data)
      if (!(p >= 0 && p <= 1))
        throw new LibraryRuleError('invalid_request', 'MLX: a probability outside [0, 1] has no logarithm (NaN)');
  const era = req.kerasEra ?? 'tf_keras2';
  if (req.rule !== 'keras_bce' || req.fromLogits || era !== 'either')
    return reduced(req, era === 'either' ? 'tf_keras2' : era, req.dtype);
  const two = reduced(req, 'tf_keras2', req.dtype);
  const three = reduced(req, 'keras3', req.dtype);
  const differ = largestDifference(two, three);
  if (differ > kerasEraAgreement) {
    const show = (v: LibraryLossResult): string =>
      v.loss !== null
        ? String(Number(v.loss.toPrecision(7)))
        : `[${Array.from(v.losses.slice(0, 4), (u) => Number(u.toPrecision(7))).join(', ')}${v.losses.length > 4 ? ', …' : ''}]`;
    two.unsettled = `tf.keras 2 (log(p + 1e-7)) gives ${show(two)} and Keras 3 (log p) gives ${show(three)} for these probabilities, and nothing in this source says which Keras runs it`;
    two.versions = [
      { loss: two.loss, losses: two.losses, version: 'tf.keras 2' },
      { loss: three.loss, losses: three.losses, version: 'Keras 3' },
    ];
  } else if (differ > 0) two.alternative = { loss: three.loss, losses: three.losses, version: 'Keras 3' };
  return two;
}
