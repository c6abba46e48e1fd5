/**
 * A loss computed by another library's own rule, where torch has no call that gives the same
 * number (Keras clips probabilities, tfjs weights the per-example losses, scikit-learn clips by the
 * dtype's epsilon, …). Plain data: it crosses the worker boundary like a kernel request.
 */
import type { DType, NdArray } from '../types';

/** Libraries whose rules are modelled. */
/**
 * The library a hand-written formula is written with, known from its data: numpy arrays, torch
 * tensors, Python numbers (`math`), or TensorFlow tensors (`tf.constant`, computed as torch would).
 */
export type FormulaLibrary = 'torch' | 'numpy' | 'python' | 'tensorflow';

/**
 * What a hand-written formula does to its probabilities before their log, as the code writes it:
 * an ε added (`np.log(p + 1e-9)`) and a clip (`np.clip(p, eps, 1 - eps)`, `p.clamp(min=eps)`; an
 * open bound is null). The formula's value includes both; the surfaces name the formula with them.
 */
export interface FormulaGuard {
  epsilon?: number;
  clip?: { lo: number | null; hi: number | null };
}

export type LibraryName =
  | 'keras'
  | 'tensorflow'
  | 'tfjs'
  | 'tfjs-layers'
  | 'mlx'
  | 'optax'
  | 'objax'
  | 'braintools'
  | 'mlx-node'
  | 'sklearn'
  | 'oneflow'
  | 'mindspore'
  | 'paddle'
  | 'chainer'
  | 'dezero'
  | 'megengine'
  | 'fastestimator'
  | 'mxnet'
  | 'classy_vision'
  | 'tinygrad'
  | 'torcheval'
  | 'torchmetrics'
  /** torch's own losses that are not a cross-entropy over classes (BCELoss, BCEWithLogitsLoss). */
  | 'torch';

/**
 * How one example's loss is computed from its row of predictions (classes on the last axis):
 * - `softmax`: logits; −Σ y·log_softmax(x) for probability targets, logsumexp(x) − x_t for indices
 *   (tf.nn, optax, tfjs-core, TF1 losses, MLX, oneflow).
 * - `keras_probabilities`: probabilities divided by their row sum, clipped to [ε, 1 − ε], −Σ y·log p
 *   (Keras categorical on every backend; Keras sparse on JAX, torch and numpy).
 * - `keras_sparse_tf`: probabilities clipped to [ε, 1 − ε], their log taken as logits of a sparse
 *   softmax cross-entropy (Keras sparse on TensorFlow: the row sum is divided out after clipping).
 * - `tfjs_layers`: softmax (from logits) or division by the row sum, then clipping, −Σ y·log p.
 * - `tfjs_layers_sparse`: clipping of the raw output first (even logits), one-hot of the floored
 *   targets, then `tfjs_layers`.
 * - `sklearn`: clipping to [eps, 1 − eps], division by the row sum, −Σ onehot·log p.
 * - `nll`: −x_t (the input is read as log-probabilities).
 * - `log_probabilities`: −Σ y·log p, or −log p_t for an index, on the probabilities as they are (no
 *   division by the row sum, no clipping): FastEstimator's torch branch (`torch.sum(-y * torch.log(p), 1)`,
 *   `NLLLoss(reduction='none')(torch.log(p), y)`).
 * - `torch_bce`: torch's BCELoss, one loss per element (no class axis): (y − 1)·max(log(1 − p), −100)
 *   − y·max(log p, −100) (binary.ts).
 * - `torch_bce_logits`: torch's BCEWithLogitsLoss per element, log(1 + e^−x) computed with the max
 *   shift, `pos_weight` on the positive term (binary.ts).
 * - `torch_multilabel_soft_margin`: torch's MultiLabelSoftMarginLoss, −(y·logσ(x) + (1 − y)·logσ(−x)) per
 *   element, times the weight, summed over the last (class) axis and divided by its size: one loss per
 *   row (binary.ts).
 * The sigmoid cross-entropies of the other libraries, one loss per element (sigmoid.ts):
 * - `sigmoid_logits`: TensorFlow's max(x, 0) − x·z + log1p(e^−|x|) (tf.nn, tfjs-core, MindSpore,
 *   Keras with from_logits);
 * - `keras_bce`: Keras on probabilities, clipped to [ε, 1 − ε]; tf.keras 2 takes log(p + ε) and
 *   log(1 − p + ε), Keras 3 log p and log(1 − p) (`kerasEra`);
 * - `tfjs_layers_bce`: tfjs-layers clips p to [ε, 1 − ε], turns it into the logit log(p / (1 − p)),
 *   then `sigmoid_logits`;
 * - `mlx_bce`: MLX, logaddexp(0, x) − x·t on logits, or each log clamped at −100 on probabilities;
 * - `optax_sigmoid`: optax, −t·log_sigmoid(x) − (1 − t)·log_sigmoid(−x);
 * - `tfjs_log_loss`: tfjs-core `tf.losses.logLoss`, −z·log(p + ε) − (1 − z)·log(1 − p + ε) on the
 *   probabilities as given (no clipping), ε the call's `epsilon` (1e-7 by default).
 */
export type PerExampleRule =
  | 'softmax'
  | 'keras_probabilities'
  | 'keras_sparse_tf'
  | 'tfjs_layers'
  | 'tfjs_layers_sparse'
  | 'sklearn'
  | 'nll'
  | 'log_probabilities'
  | 'torch_bce'
  | 'torch_bce_logits'
  | 'torch_multilabel_soft_margin'
  | 'sigmoid_logits'
  | 'keras_bce'
  | 'tfjs_layers_bce'
  | 'mlx_bce'
  | 'optax_sigmoid'
  | 'tfjs_log_loss';

/**
 * Which Keras computes a `keras_bce` on probabilities: tf.keras 2 (TF 1.15 to 2.15: log(p + ε)),
 * Keras 3 (log p after clipping), or not known from the source (`either`: both are computed, and
 * the number stands only when they agree; see sigmoid.ts).
 */
export type KerasEra = 'tf_keras2' | 'keras3' | 'either';

/**
 * How the per-example losses are combined (after multiplying by the weights, when there are any):
 * - `none`: the weighted losses themselves;
 * - `sum`: their sum;
 * - `mean`: their sum divided by how many there are (Keras `sum_over_batch_size`, MLX and
 *   scikit-learn's mean, tfjs `MEAN` without weights);
 * - `weighted_mean`: Σ w·l / Σ w (scikit-learn with `sample_weight`, Keras `mean_with_sample_weight`);
 * - `tfjs_mean`: Σ w·l / Σ w, divided again by |l| / |w| when the weights broadcast (tfjs `MEAN`);
 * - `sum_by_nonzero_weights`: Σ w·l / the number of non-zero weights broadcast to the losses
 *   (tfjs and TF1's default).
 */
export type LibraryReduction = 'none' | 'sum' | 'mean' | 'weighted_mean' | 'tfjs_mean' | 'sum_by_nonzero_weights';

/**
 * How weights meet the losses: `broadcast` (numpy broadcasting, after Keras's squeeze/expand of a
 * trailing dimension of size 1) or `same_shape` (MLX: the weights must have the losses' shape).
 */
export type WeightRule = 'broadcast' | 'keras' | 'same_shape';

/**
 * How label smoothing mixes the targets: y·(1 − s) + s/C (Keras, tfjs, TF1), MLX's formula, or the
 * binary losses' y·(1 − s) + s/2 (Keras BinaryCrossentropy, tfjs sigmoidCrossEntropy).
 */
export type SmoothingRule = 'mix_targets' | 'mlx' | 'binary';

export interface LibraryLossRequest {
  library: LibraryName;
  rule: PerExampleRule;
  /** Predictions: logits or probabilities, classes on the last axis. */
  input: NdArray;
  /** Probabilities (or one-hot rows) of the input's shape, or class indices of the input's shape without its last axis. */
  target: NdArray;
  targetKind: 'indices' | 'probabilities';
  /** Softmax first (Keras `from_logits`, tfjs-layers `fromLogits`). Only the clipped-probability rules read it. */
  fromLogits: boolean;
  /** The clipping epsilon of the clipped-probability rules. */
  epsilon: number;
  labelSmoothing: number;
  smoothing: SmoothingRule;
  weights: NdArray | null;
  /** torch's BCEWithLogitsLoss `pos_weight`, broadcast over the input (binary rules; TensorFlow's `sigmoid_logits` with tf.nn.weighted_cross_entropy_with_logits). */
  posWeight?: NdArray | null;
  /** The sigmoid rules: one loss per element, or their mean over the last axis (Keras's and tfjs-layers' loss functions). */
  perSample?: 'element' | 'mean_last_axis';
  /** `keras_bce` on probabilities: which Keras's formula. */
  kerasEra?: KerasEra;
  weightRule: WeightRule;
  reduction: LibraryReduction;
  dtype: DType;
}

export interface LibraryLossResult {
  /** The output: the weighted per-example losses for `none`, else the per-example losses. */
  losses: Float64Array;
  /** Shape of `losses` (the input's shape without its class axis, or the broadcast shape with weights). */
  shape: number[];
  /** The reduced loss, or the only element of a 0-d output; null for a vector output. */
  loss: number | null;
  numerator: number;
  denominator: number;
  /**
   * Why the number does not stand although the rule ran: the library's versions compute different
   * numbers for these operands and the source does not say which one it uses (the pair becomes
   * unverified with this reason).
   */
  unsettled?: string;
  /**
   * With `unsettled`: each version's number, so that a claim matching none of them is still found
   * wrong (the pair itself keeps no number).
   */
  versions?: { loss: number | null; losses: Float64Array; version: string }[];
  /** The same call's number by another version of the library, when it differs only slightly (claims match either). */
  alternative?: { loss: number | null; losses: Float64Array; version: string };
}
