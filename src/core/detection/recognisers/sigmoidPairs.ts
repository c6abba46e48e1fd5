/**
 * What every sigmoid (binary) cross-entropy entry of another library does once it has read its
 * call: check the operands, build the request of a sigmoid rule (src/core/libraries/sigmoid.ts)
 * and record the pair. The entries themselves (kerasBinary.ts, tfjsBinary.ts, sigmoidOthers.ts)
 * only read their library's arguments and options.
 */
import type {
  KerasEra,
  LibraryLossRequest,
  LibraryName,
  LibraryReduction,
  PerExampleRule,
  WeightRule,
} from '../../libraries/types';
import type { DType, NdArray, Reduction } from '../../types';
import type { CallNode, Evaluation } from '../evaluation';
import type { Node } from '../expr';
import type { Value } from '../values';
import { libraryPair, nd, shapeOf, valuesOf, type LibraryPairArgs, type Operand } from './common';
import type { LibraryEntry } from './entry';
import { explicitDtype, unmodelledReason, type Operands } from './requests';

/** Everything an entry read from one call. */
export interface SigmoidCall {
  entry: LibraryEntry;
  call: CallNode;
  ops: Extract<Operands, { ok: true }>;
  inputNode: Node | undefined;
  library: LibraryName;
  rule: PerExampleRule;
  fromLogits: boolean;
  labelSmoothing: number;
  reduction: LibraryReduction;
  perSample: 'element' | 'mean_last_axis';
  dtype: DType;
  /** The rule's epsilon when the call sets it (tfjs logLoss); 1e-7 otherwise. */
  epsilon?: number;
  /** Weights: an array operand, a number, or none. */
  weights: { operand: Operand | null; scalar: number | null };
  weightRule: WeightRule;
  /** TensorFlow's `pos_weight` on the positive term (tfWeighted.ts), broadcast over the logits. */
  posWeight?: NdArray;
  kerasEra?: KerasEra;
  /** The first reason the call is not modelled, if any (the entry's own checks). */
  unverified: string | null;
  note: string;
}

/**
 * The fields of a sigmoid cross-entropy from logits computed per element and never reduced, with no
 * smoothing and no weights: TensorFlow's `tf.nn.sigmoid_cross_entropy_with_logits` and
 * `tf.nn.weighted_cross_entropy_with_logits` (kerasBinary.ts, tfWeighted.ts) and tfjs-layers'
 * `losses.sigmoidCrossEntropyWithLogits` (tfjsBinary.ts). Each call adds its library.
 */
export const elementwiseLogits = {
  rule: 'sigmoid_logits',
  fromLogits: true,
  labelSmoothing: 0,
  reduction: 'none',
  perSample: 'element',
  weights: { operand: null, scalar: null },
  weightRule: 'broadcast',
} as const satisfies Partial<SigmoidCall>;

const torchReduction = (r: LibraryReduction): Reduction => (r === 'none' ? 'none' : r === 'sum' ? 'sum' : 'mean');

/** Records the pair of a sigmoid cross-entropy call and returns its loss value. */
export function sigmoidPair(ev: Evaluation, c: SigmoidCall): Value {
  const input = c.ops.input.array;
  const target = c.ops.target.array;
  const base: Omit<LibraryPairArgs, 'request'> = {
    entry: c.entry,
    call: c.call,
    input,
    target,
    inputNode: c.inputNode,
    reduction: torchReduction(c.reduction),
    labelSmoothing: c.labelSmoothing,
    dtype: c.dtype,
    dtypeExplicit: c.dtype === 'float32' || explicitDtype(input),
    note: c.note,
  };
  let unverified = unmodelledReason(ev, c.ops) ?? c.unverified;
  if (c.weights.operand?.why) unverified ??= `the weights are not computed here (${c.weights.operand.why})`;
  const x = valuesOf(input, c.dtype);
  const y = valuesOf(target, c.dtype);
  if (unverified === null && (!x || !y)) unverified = 'the literal cannot be read';
  const xShape = shapeOf(input);
  const yShape = shapeOf(target);
  if (unverified === null && (xShape.length !== yShape.length || xShape.some((d, i) => d !== yShape[i])))
    unverified = `the predictions [${xShape.join(', ')}] and the labels [${yShape.join(', ')}] differ in shape (the library's broadcasting or squeezing is not modelled)`;
  if (unverified !== null || !x || !y) return libraryPair(ev, { ...base, request: null, unverified: unverified ?? '' });
  const request: LibraryLossRequest = {
    library: c.library,
    rule: c.rule,
    input: nd(x, xShape.slice()),
    target: nd(y, yShape.slice()),
    targetKind: 'probabilities',
    fromLogits: c.fromLogits,
    epsilon: c.epsilon ?? 1e-7,
    labelSmoothing: c.labelSmoothing,
    smoothing: 'binary',
    weights: null,
    weightRule: c.weightRule,
    reduction: c.reduction,
    dtype: c.dtype,
    perSample: c.perSample,
  };
  if (c.kerasEra) request.kerasEra = c.kerasEra;
  if (c.posWeight) request.posWeight = c.posWeight;
  if (c.weights.operand) {
    const w = c.weights.operand.array;
    if (!w.data) return libraryPair(ev, { ...base, request: null, unverified: 'the weights cannot be read' });
    request.weights = nd(w.data, w.shape);
  } else if (c.weights.scalar !== null) request.weights = nd(Float64Array.of(c.weights.scalar), []);
  return libraryPair(ev, { ...base, request });
}

/** The per-sample part of a note: element-wise, or the mean over the last axis. */
export function perSampleWords(perSample: 'element' | 'mean_last_axis'): string {
  return perSample === 'element' ? 'one loss per element' : 'the mean over the last axis, one loss per sample';
}
