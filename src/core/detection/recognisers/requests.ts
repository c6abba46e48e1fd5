/**
 * From evaluated operands to a library request: the operands' values as the library receives
 * them, the class axis moved last, targets read as probabilities or as class indices by the
 * library's rule, and (when the numbers are torch's) the same loss as a torch kernel request.
 */
import type { LibraryLossRequest } from '../../libraries/types';
import type { DType, LossRequest, Reduction } from '../../types';
import { sourceOf, type Evaluation } from '../evaluation';
import type { Node } from '../expr';
import type { ArrayValue, Value } from '../values';
import { classAxisLast, nd, operandOf, shapeOf, valuesOf, type Operand } from './common';

/** Operands read from the call, or the value to return when they are not arrays of the source. */
export type Operands =
  | {
      ok: true;
      input: Operand;
      target: Operand;
      weights: Operand | null;
      why: string | null;
      through: Node | undefined;
    }
  | { ok: false; missing: Node | undefined };

/** Evaluates the input, target and (optional) weights nodes. */
export function readOperands(
  ev: Evaluation,
  inputNode: Node | undefined,
  targetNode: Node | undefined,
  weightsNode?: Node,
): Operands {
  const input = inputNode ? operandOf(ev.evaluate(inputNode)) : null;
  if (!input) return { ok: false, missing: inputNode };
  const target = targetNode ? operandOf(ev.evaluate(targetNode)) : null;
  if (!target) return { ok: false, missing: targetNode };
  let weights: Operand | null = null;
  if (weightsNode) {
    weights = operandOf(ev.evaluate(weightsNode));
    if (!weights) return { ok: false, missing: weightsNode };
  }
  const why = input.why ?? target.why ?? weights?.why ?? null;
  const through = input.why !== null ? inputNode : target.why !== null ? targetNode : weightsNode;
  return { ok: true, input, target, weights, why, through };
}

/** The unverified reason for operands that went through an unmodelled step. */
export function unmodelledReason(ev: Evaluation, ops: Extract<Operands, { ok: true }>): string | null {
  if (ops.why === null) return null;
  return `\`${ops.through ? sourceOf(ev, ops.through) : 'an argument'}\` is not computed here (${ops.why})`;
}

/** How a library reads its target. */
export type TargetRule =
  | 'probabilities'
  | 'indices'
  /** MLX: probabilities when the target has the logits' rank, else indices. */
  | 'by_rank';

/** How class indices written as floats are read: exactly, truncated (TensorFlow's cast), or floored (tfjs). */
export type IndexRule = 'exact' | 'truncate' | 'floor';

export interface Prepared {
  input: Float64Array;
  inputShape: number[];
  target: Float64Array;
  targetShape: number[];
  targetKind: 'indices' | 'probabilities';
}

/** Why an operand's values are not there (a ragged or too large literal). */
function missingValues(a: ArrayValue): string {
  return `the literal cannot be read (${a.site.error ?? 'no values'})`;
}

/**
 * The operands' values as the library receives them, classes on the last axis. Returns a string
 * (the reason there is no number) when a literal cannot be read or the axis is not valid.
 */
export function prepareOperands(
  input: ArrayValue,
  target: ArrayValue,
  rule: TargetRule,
  axis: number,
  dtype: DType,
  indexRule: IndexRule,
): Prepared | string {
  const x = valuesOf(input, dtype);
  if (!x) return missingValues(input);
  const t = valuesOf(target, dtype);
  if (!t) return missingValues(target);
  const xShape = shapeOf(input);
  const tShape = shapeOf(target);
  const moved = classAxisLast(x, xShape, axis);
  if (!moved) return `axis ${axis} is not an axis of an input of shape [${xShape.join(', ')}]`;
  const kind = rule === 'by_rank' ? (tShape.length === xShape.length ? 'probabilities' : 'indices') : rule;
  if (kind === 'probabilities') {
    const tm = classAxisLast(t, tShape, tShape.length === xShape.length ? axis : -1);
    if (!tm) return `axis ${axis} is not an axis of a target of shape [${tShape.join(', ')}]`;
    return { input: moved.data, inputShape: moved.shape, target: tm.data, targetShape: tm.shape, targetKind: kind };
  }
  const idx = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++)
    idx[i] = indexRule === 'truncate' ? Math.trunc(t[i]) : indexRule === 'floor' ? Math.floor(t[i]) : t[i];
  return { input: moved.data, inputShape: moved.shape, target: idx, targetShape: tShape, targetKind: kind };
}

/** Class indices with a trailing dimension of 1 (labels (N, 1) for predictions (N, C)) lose that dimension, as Keras squeezes them and FastEstimator's `view(-1)` flattens them. */
export function squeezeLabelColumn(p: Prepared): void {
  if (p.targetKind === 'indices' && p.targetShape.length === p.inputShape.length && p.targetShape.at(-1) === 1)
    p.targetShape = p.targetShape.slice(0, -1);
}

/** The library request for prepared operands (the options left at their neutral values). */
export function baseRequest(
  library: LibraryLossRequest['library'],
  rule: LibraryLossRequest['rule'],
  p: Prepared,
  dtype: DType,
): LibraryLossRequest {
  return {
    library,
    rule,
    input: nd(p.input, p.inputShape),
    target: { data: p.target, shape: p.targetShape, integral: p.targetKind === 'indices' },
    targetKind: p.targetKind,
    fromLogits: false,
    epsilon: 1e-7,
    labelSmoothing: 0,
    smoothing: 'mix_targets',
    weights: null,
    weightRule: 'broadcast',
    reduction: 'none',
    dtype,
  };
}

/**
 * The same loss as a torch kernel request, when it is one: a log-softmax rule without weights, a
 * plain mean / sum / none, and an input of at most two dimensions (torch's class axis is dim 1).
 */
export function torchEquivalent(req: LibraryLossRequest): LossRequest | null {
  if (req.rule !== 'softmax' && req.rule !== 'nll') return null;
  if (req.weights || req.input.shape.length > 2) return null;
  const reduction: Reduction | null =
    req.reduction === 'none' ? 'none' : req.reduction === 'sum' ? 'sum' : req.reduction === 'mean' ? 'mean' : null;
  if (reduction === null) return null;
  if (req.input.shape.length === 1 && req.targetKind === 'indices' && req.target.shape.length !== 0) return null;
  // MLX's smoothing equals torch's for index targets only (for probabilities when they sum to 1).
  if (req.labelSmoothing > 0 && (req.rule === 'nll' || (req.smoothing === 'mlx' && req.targetKind !== 'indices')))
    return null;
  // torch averages index targets over the non-ignored ones: the same count when every index is valid.
  return {
    input: req.input,
    target: req.target,
    weight: null,
    ignoreIndex: -100,
    reduction,
    labelSmoothing: req.labelSmoothing,
    dtype: req.dtype,
    inputKind: req.rule === 'nll' ? 'log_probs' : 'logits',
  };
}

/** The dtype of a float operand as a library that keeps its input's dtype sees it (lists: float32). */
export function floatDtype(a: ArrayValue): DType {
  if (a.dtype) return a.dtype;
  return a.container === 'ndarray' ? 'float64' : 'float32';
}

/** Is this dtype stated in the code (an explicit dtype or a typed constructor)? */
export function explicitDtype(a: ArrayValue): boolean {
  return a.dtypeSource === 'explicit';
}

export type { Value };
