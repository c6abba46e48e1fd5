/**
 * Plain data shared by every room (kernel, detection, worker, CLI, editor, panel).
 * POD only: everything here survives structured clone and JSON.
 */

/** Arithmetic precision. float32 = torch's default tensors; float64 = numpy / torch.float64. */
export type DType = 'float32' | 'float64';

/** `reduction=` of `nn.CrossEntropyLoss`. */
export type Reduction = 'mean' | 'sum' | 'none';

/** logits → log_softmax is applied (CrossEntropyLoss); log_probs → used as is (NLLLoss). */
export type InputKind = 'logits' | 'log_probs';

/** How a target is read: class indices, or class probabilities of the input's shape. */
export type TargetKind = 'indices' | 'probabilities';

/**
 * A dense row-major array of numbers as written in a source: flat data plus shape.
 * `integral` is true when every element was written as an integer literal (`1`, not `1.0`),
 * which is how torch tells a LongTensor of class indices from a float tensor.
 */
export interface NdArray {
  /** Row-major values. Length is the product of `shape` (1 for a scalar, shape []). */
  data: Float64Array;
  /** Sizes of each dimension, outermost first; [] for a scalar. */
  shape: number[];
  /** Every element was written as an integer literal. */
  integral: boolean;
}

/**
 * The input of a request: float64 values, or float32 ones when the request's dtype is float32
 * (values read from a program's float32 tensor, exact in either; no widening, no copy).
 */
export interface InputArray extends Omit<NdArray, 'data'> {
  data: Float64Array | Float32Array;
}

/** One cross-entropy evaluation, in PyTorch's own terms (see docs/cli.md). */
export interface LossRequest {
  /** Logits (or log-probabilities), shape (C), (N, C) or (N, C, d1, …, dK). */
  input: InputArray;
  /** Class indices of shape (), (N) or (N, d1, …, dK), or probabilities of the input's shape. */
  target: NdArray;
  /** Per-class rescaling, length C. */
  weight?: NdArray | null;
  /** Targets equal to this are skipped (index targets only). Default -100. */
  ignoreIndex: number;
  reduction: Reduction;
  /** ε in [0, 1]: the target distribution becomes (1 − ε)·onehot + ε/C. */
  labelSmoothing: number;
  dtype: DType;
  inputKind: InputKind;
}

/** The out-of-range targets of an index-target request, by flat element index (the loss's layout). */
export interface InvalidTargetList {
  /** Number of classes: valid targets are 0 … C − 1, or ignore_index. */
  C: number;
  /** ignore_index of the request. */
  ignoreIndex: number;
  /** How many targets are out of range (all of them, even past {@link elements}' cap). */
  count: number;
  /** Flat element indices, ascending, at most `limit` of them. */
  elements: number[];
  /** The value written at each of {@link elements}. */
  values: number[];
}

/** Defaults for the optional request fields, as in torch. */
export const defaultOptions = {
  ignoreIndex: -100,
  reduction: 'mean' as Reduction,
  labelSmoothing: 0,
  dtype: 'float32' as DType,
  inputKind: 'logits' as InputKind,
};

/** Error codes shared by the kernel, the CLI and the editor. Never match on message text. */
export type ErrorCode =
  | 'invalid_request'
  | 'invalid_option'
  | 'invalid_input_shape'
  | 'empty_input'
  | 'input_too_large'
  | 'nesting_too_deep'
  | 'output_too_large'
  | 'ragged_array'
  | 'target_out_of_bounds'
  | 'batch_size_mismatch'
  | 'target_shape_mismatch'
  | 'integer_probability_target'
  | 'float_index_target'
  | 'narrow_int_target'
  | 'weight_size_mismatch'
  | 'label_smoothing_out_of_range'
  | 'unsupported_option'
  | 'worker_crashed'
  | 'deadline_exceeded'
  | 'cancelled'
  | 'internal';

/** A serialisable error: what is wrong, with torch's wording where torch has one. */
export interface ErrorInfo {
  code: ErrorCode;
  /** English, for the CLI and the log (torch's own wording where torch raises the same error). */
  message: string;
  /**
   * Which of Loss Inspector's own sentences `message` is, with its numbers, so that the editor and
   * the panel word it in the user's language (src/core/errorText.ts). Absent where the message is
   * torch's RuntimeError text, which stays as torch prints it in every language (people search
   * for it), or a detector's finding worded in English. The CLI prints `code` and `message` only.
   */
  detail?: ErrorDetail;
}

/**
 * The stable reasons behind Loss Inspector's own error sentences, each with the values the
 * sentence shows. Add a reason here, its English and Korean text in src/core/errorText.ts and
 * l10n/bundle.l10n.ko.json, and its check in src/protocol/workerGuards.ts.
 */
export type ErrorDetail =
  /** The worker no longer keeps the analysis of this document version (evicted or replaced). */
  | { id: 'analysis_gone'; version: number }
  /** Edits arrived for a document version the worker does not hold. */
  | { id: 'version_not_held'; version: number }
  /** No pair with this id in the document (or the live read). */
  | { id: 'no_pair'; pair: number }
  /** A sample index past the pair's samples. */
  | { id: 'sample_out_of_range'; sample: number; count: number }
  /** An edit reaches past the end of the text it applies to. */
  | { id: 'edit_out_of_range'; offset: number; removed: number; length: number }
  /** A selection (logits or target) holds no numeric array. */
  | { id: 'selection_no_array'; role: 'logits' | 'target' }
  /** A selected array cannot be read; `reason` is the reader's English words. */
  | { id: 'selection_unreadable'; role: 'logits' | 'target'; reason: string }
  /** The pair has nothing to compute (an internal slip). */
  | { id: 'no_request' }
  /** A request that does not fit the protocol; `problem` is the check's English words. */
  | { id: 'malformed_request'; problem: string }
  | { id: 'cancelled' }
  /** A request ran past its deadline, in milliseconds. */
  | { id: 'deadline_exceeded'; ms: number }
  /** The worker ran out of its heap (megabytes, 0 when unknown). */
  | { id: 'worker_out_of_memory'; limitMb: number }
  /** The worker failed; `reason` is Node's English words. */
  | { id: 'worker_failed'; reason: string }
  /** The worker exited on its own. */
  | { id: 'worker_exited'; exitCode: number }
  /** The input has more elements than the element cap. */
  | { id: 'input_too_large'; elements: number; limit: number }
  /** The input has no classes (C = 0); an input without rows (N = 0) is computed, as torch does. */
  | { id: 'empty_input' }
  /** nn.NLLLoss semantics with label smoothing or probability targets. */
  | { id: 'log_probs_smoothing' }
  | { id: 'log_probs_probabilities' };

/** Every {@link ErrorDetail} id, for the checks and the tests. */
export const errorDetailIds = [
  'analysis_gone',
  'version_not_held',
  'no_pair',
  'sample_out_of_range',
  'edit_out_of_range',
  'selection_no_array',
  'selection_unreadable',
  'no_request',
  'malformed_request',
  'cancelled',
  'deadline_exceeded',
  'worker_out_of_memory',
  'worker_failed',
  'worker_exited',
  'input_too_large',
  'empty_input',
  'log_probs_smoothing',
  'log_probs_probabilities',
] as const satisfies readonly ErrorDetail['id'][];

/**
 * Every step of the loss for one sample (one position for K-dim inputs): what the hover and the
 * panel render. Arrays run over the C classes. Values are in the working dtype.
 */
export interface SampleBreakdown {
  /** Flat element index n·S + s. */
  element: number;
  /** Coordinates in the loss's shape: [] unbatched, [n] or [n, i1, …, iK]. */
  position: number[];
  /** Class index, or null for probability targets. */
  target: number | null;
  /** The target equals ignore_index: the sample contributes 0 and is left out of the mean. */
  ignored: boolean;
  /** x_c as given (log p_c when input_kind is log_probs). */
  logits: number[];
  /** max_c x_c (null for log_probs: no softmax is applied). */
  max: number | null;
  /** x_c − max. */
  shifted: number[] | null;
  /** exp(x_c − max). */
  exp: number[] | null;
  /** Σ_c exp(x_c − max). */
  sumExp: number | null;
  /** log Σ_c exp(x_c) = max + log Σ exp(x_c − max). */
  logSumExp: number | null;
  /** p_c = exp(x_c − max)·(1/Σexp) (class dimension last; K-dim: exp / Σexp), as torch's softmax. */
  softmax: number[];
  /** log p_c = (x_c − max) − log Σexp. */
  logSoftmax: number[];
  /** q_c: one-hot at the target, smoothed to (1 − ε)·onehot + ε/C, or the given probabilities. */
  targetDistribution: number[];
  /** w_c (all ones when no weight is given). */
  weight: number[];
  /** −w_c·q_c·log p_c: each class's share of the sample's loss. */
  contributions: number[];
  /** The sample's loss (entry of the 'none' reduction). */
  loss: number;
  /** This sample's share of the mean's denominator (w[target], 1 for probability targets, 0 if ignored). */
  denominatorShare: number;
  /** ∂loss/∂x_c for this sample, when the result carries a gradient. */
  grad?: number[];
}

/** The reduction, with the numbers it combines. */
export interface ReductionBreakdown {
  reduction: 'mean' | 'sum' | 'none';
  numerator: number;
  denominator: number;
  loss: number;
  /** Number of samples (positions) and how many were ignored. */
  count: number;
  ignoredCount: number;
}

/** Which classes the step table shows. */
export interface ClassWindow {
  /** null: the the panel's page size most likely classes (plus the target); a number: classes from this index on. */
  start: number | null;
  /** Classes per page (the panel's page size). */
  size: number;
}

/**
 * The step-by-step breakdown of the selected sample, restricted to the shown classes. Every
 * class array runs parallel to {@link classIndices}. Values are in {@link dtype}. The fields it
 * takes from {@link SampleBreakdown} unchanged are those not per class (the sums are over all C).
 */
export interface SampleView extends Pick<
  SampleBreakdown,
  'element' | 'position' | 'ignored' | 'max' | 'sumExp' | 'logSumExp' | 'loss' | 'denominatorShare'
> {
  /**
   * Target class, or null for probability targets. For an ignored sample: ignore_index, or the
   * value written when it is out of range (see the panel's invalid targets).
   */
  target: number | null;
  /** Precision of these numbers. */
  dtype: DType;
  /** Input kind: for log_probs the softmax steps are absent. */
  inputKind: InputKind;
  /** ε of label smoothing in effect. */
  labelSmoothing: number;
  /** Total number of classes. */
  C: number;
  /** The classes shown, ascending; the target is always among them. */
  classIndices: number[];
  /** Which window of classes this is. */
  window: ClassWindow;
  /** x_c as given (log p_c for log_probs). */
  logits: number[];
  /** Class where the max is reached (null for log_probs). */
  argmax: number | null;
  /**
   * The predicted class: the first class of largest p over all C (torch.argmax of the
   * probabilities, for log_probs input too); null when every p is NaN.
   */
  predicted?: number | null;
  /** x_c − max (null for log_probs). */
  shifted: number[] | null;
  /** exp(x_c − max) (null for log_probs). */
  exp: number[] | null;
  /** p_c. */
  softmax: number[];
  /** log p_c. */
  logSoftmax: number[];
  /** q_c, the target distribution (one-hot, smoothed, or given). */
  q: number[];
  /** −q_c·log p_c (0 where q_c = 0). */
  qLogP: number[];
  /** w_c (all ones without a weight). */
  weight: number[];
  /** −w_c·q_c·log p_c: each class's share of the sample's loss. */
  contributions: number[];
  /** ∂loss/∂x_c of the reduced loss, or null when no gradient was computed. */
  grad: number[] | null;
  /** Σ over all C classes of w_c·q_c (w[target] for a plain index target): the p term of the gradient. */
  weightedTargetSum: number;
  /** D of the gradient: the mean's denominator, or 1 for sum and none. */
  gradDenominator: number;
  /** Σ p over the classes not shown (0 when all are shown). */
  hiddenSoftmax: number;
  /** Σ −w·q·log p over the classes not shown. */
  hiddenContribution: number;
}

/**
 * The stability card: softmax of x + k computed naively, exp(x + k) / Σ exp(x + k), and with the
 * max shift, both in float32. Class arrays run parallel to {@link classIndices}.
 */
export interface StabilityCard {
  /** The constant k added to every logit. */
  shift: number;
  /** The classes shown (those of the step table). */
  classIndices: number[];
  /** x + k in float32. */
  shiftedLogits: number[];
  /** exp(x + k) in float32: Infinity past x + k ≈ 88.72. */
  naiveExp: number[];
  /** Σ over all C classes of exp(x + k) in float32. */
  naiveSum: number;
  /** exp(x + k) / Σ: NaN or 0 once the exponentials overflow. */
  naiveSoftmax: number[];
  /** How many of the C exponentials overflowed to Infinity. */
  overflowCount: number;
  /** max of x + k over all classes. */
  stableMax: number;
  /** Σ exp(x + k − max) in float32. */
  stableSumExp: number;
  /** exp(x + k − max) / Σ in float32. */
  stableSoftmax: number[];
  /**
   * Not computed: the card is closed, and the webview asks for it as it opens. Its lists are
   * empty and its sums NaN; only `shift` is set.
   */
  closed?: boolean;
}
