/**
 * torch's binary cross-entropies, one loss per element (there is no class axis), each step rounded
 * to the dtype as torch's CPU kernels do (aten/src/ATen/native/Loss.cpp, torch 1.13):
 * - BCELoss / F.binary_cross_entropy: (y − 1)·max(log1p(−p), −100) − y·max(log p, −100); every p
 *   must be in [0, 1] (torch raises otherwise);
 * - BCEWithLogitsLoss / F.binary_cross_entropy_with_logits: with m = max(−x, 0),
 *   (1 − y)·x + m + log(e^−m + e^(−x−m)); with `pos_weight` w, (1 − y)·x + (1 + (w − 1)·y)·(log(e^−m
 *   + e^(−x−m)) + m);
 * then `weight` multiplies each element, and the mean or sum is torch's own (torchSum.ts).
 * - MultiLabelSoftMarginLoss / F.multilabel_soft_margin_loss: −(y·logσ(x) + (1 − y)·logσ(−x)) per element
 *   with logσ(v) = min(v, 0) − log1p(e^−|v|) (torch's CPU log_sigmoid), times `weight`, then each row's sum
 *   over the last axis divided by its size; the rows are then reduced (torch/nn/functional.py, torch 1.13).
 * Checked against torch 1.13 in test/fixtures/libraries/gen_binary.py (exp and log may differ from
 * torch's vectorised ones in the last bit).
 */
import type { DType, NdArray } from '../types';
import { broadcastShape, LibraryRuleError } from './reduce';
import { torchSum } from '../torchSum';
import type { LibraryLossRequest, LibraryLossResult } from './types';

const sameShape = (a: number[], b: number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** `a` broadcast to `shape` (numpy rules), values rounded; throws when it does not broadcast. */
export function broadcastTo(a: NdArray, shape: number[], what: string, r: (v: number) => number): Float64Array {
  const both = broadcastShape(shape, a.shape);
  if (!both || !sameShape(both, shape))
    throw new LibraryRuleError(
      'invalid_option',
      `The ${what} of shape [${a.shape.join(', ')}] does not broadcast to the input's shape [${shape.join(', ')}].`,
    );
  const size = shape.reduce((p, d) => p * d, 1);
  const out = new Float64Array(size);
  const offset = shape.length - a.shape.length;
  const strides = new Array<number>(shape.length).fill(0);
  let stride = 1;
  for (let i = a.shape.length - 1; i >= 0; i--) {
    strides[offset + i] = a.shape[i] === 1 ? 0 : stride;
    stride *= a.shape[i];
  }
  const index = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < size; k++) {
    let at = 0;
    for (let d = 0; d < shape.length; d++) at += index[d] * strides[d];
    out[k] = r(a.data[at]);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

/** The per-element losses of a binary rule, before weights. */
function elementLosses(req: LibraryLossRequest, r: (v: number) => number): Float64Array {
  const x = req.input.data;
  const y = req.target.data;
  const shape = req.input.shape;
  const out = new Float64Array(x.length);
  if (req.rule === 'torch_bce') {
    for (let i = 0; i < x.length; i++) {
      const p = r(x[i]);
      if (!(p >= 0 && p <= 1))
        throw new LibraryRuleError('invalid_request', 'all elements of input should be between 0 and 1');
      const t = r(y[i]);
      const logNot = Math.max(r(Math.log1p(-p)), -100);
      const logP = Math.max(r(Math.log(p)), -100);
      out[i] = r(r(r(t - 1) * logNot) - r(t * logP));
    }
    return out;
  }
  const w = req.posWeight ? broadcastTo(req.posWeight, shape, 'pos_weight', r) : null;
  for (let i = 0; i < x.length; i++) {
    const v = r(x[i]);
    const t = r(y[i]);
    const m = r(Math.max(-v, 0));
    const log = r(Math.log(r(r(Math.exp(-m)) + r(Math.exp(r(-v - m))))));
    const first = r(r(1 - t) * v);
    if (w) {
      const lw = r(r(r(w[i] - 1) * t) + 1);
      out[i] = r(first + r(lw * r(log + m)));
    } else out[i] = r(r(first + m) + log);
  }
  return out;
}

/** torch's log_sigmoid on the CPU: min(v, 0) − log1p(e^−|v|), each step rounded. */
function logSigmoid(v: number, r: (v: number) => number): number {
  return r(Math.min(v, 0) - r(Math.log1p(r(Math.exp(-Math.abs(v))))));
}

/** MultiLabelSoftMarginLoss: the per-element losses times the weight, a mean over the last axis per row. */
function multilabelSoftMargin(req: LibraryLossRequest, r: (v: number) => number, dtype: DType): LibraryLossResult {
  const shape = req.input.shape;
  if (shape.length === 0)
    throw new LibraryRuleError('invalid_input_shape', 'Dimension specified as -1 but tensor has no dimensions');
  const x = req.input.data;
  const y = req.target.data;
  const w = req.weights ? broadcastTo(req.weights, shape, 'weight', r) : null;
  const values = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = r(x[i]);
    const t = r(y[i]);
    const e = -r(r(t * logSigmoid(v, r)) + r(r(1 - t) * logSigmoid(-v, r)));
    values[i] = w ? r(e * w[i]) : e;
  }
  const C = shape[shape.length - 1];
  const rows = new Float64Array(C > 0 ? x.length / C : 0);
  for (let k = 0; k < rows.length; k++) rows[k] = r(torchSum(values.subarray(k * C, (k + 1) * C), dtype) / C);
  const rowShape = shape.slice(0, -1);
  const sum = torchSum(rows, dtype);
  switch (req.reduction) {
    case 'none':
      return {
        losses: rows,
        shape: rowShape,
        loss: rowShape.length === 0 ? rows[0] : null,
        numerator: sum,
        denominator: 1,
      };
    case 'sum':
      return { losses: rows, shape: rowShape, loss: sum, numerator: sum, denominator: 1 };
    default:
      return { losses: rows, shape: rowShape, loss: r(sum / rows.length), numerator: sum, denominator: rows.length };
  }
}

/** The loss of a binary rule request (torch's BCELoss, BCEWithLogitsLoss or MultiLabelSoftMarginLoss). */
export function binaryLoss(req: LibraryLossRequest): LibraryLossResult {
  const dtype: DType = req.dtype;
  const r = dtype === 'float32' ? Math.fround : (v: number) => v;
  const shape = req.input.shape;
  if (!sameShape(req.target.shape, shape)) {
    const t = `torch.Size([${req.target.shape.join(', ')}])`;
    const i = `torch.Size([${shape.join(', ')}])`;
    throw new LibraryRuleError(
      'target_shape_mismatch',
      req.rule === 'torch_bce'
        ? `Using a target size (${t}) that is different to the input size (${i}) is deprecated. Please ensure they have the same size.`
        : `Target size (${t}) must be the same as input size (${i})`,
    );
  }
  if (req.rule === 'torch_multilabel_soft_margin') return multilabelSoftMargin(req, r, dtype);
  const losses = elementLosses(req, r);
  let values = losses;
  if (req.weights) {
    const w = broadcastTo(req.weights, shape, 'weight', r);
    values = new Float64Array(losses.length);
    for (let i = 0; i < losses.length; i++) values[i] = r(losses[i] * w[i]);
  }
  const sum = torchSum(values, dtype);
  const n = values.length;
  switch (req.reduction) {
    case 'none':
      return { losses: values, shape, loss: shape.length === 0 ? values[0] : null, numerator: sum, denominator: 1 };
    case 'sum':
      return { losses: values, shape, loss: sum, numerator: sum, denominator: 1 };
    default:
      return { losses: values, shape, loss: r(sum / n), numerator: sum, denominator: n };
  }
}
