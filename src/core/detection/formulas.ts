/**
 * Hand-written cross-entropy formulas on one sample, recognised from symbolic values:
 * `log(sum(exp(x))) - x[t]`, `logsumexp(x) - x[t]` and `-log(exp(x[t]) / sum(exp(x)))`. Each is
 * a catalogue entry (catalogue.ts); the pair reports the formula's own value, computed as the
 * code computes it (no max shift, the code's summation order and dtype).
 */
import type { DType } from '../types';
import type { Evaluation } from './evaluation';
import type { Node } from './expr';
import type { LossCall } from './types';
import {
  inDtype,
  numpyPairwiseSum,
  withArray,
  type ArrayValue,
  type SumKind,
  type Value,
  type ValueOf,
} from './values';

/** `LOG(SUM(EXP(x))) - x[t]` or `logsumexp(x) - x[t]`, else null. */
export function formulaFromDifference(
  ev: Evaluation,
  left: ValueOf<'symbolic'>,
  right: ValueOf<'element'>,
  node: Node,
): Value | null {
  let x: ArrayValue | null = null;
  let sumKind: SumKind = 'numpy';
  let logSumExpCall = false;
  const sum = left.operand;
  if (
    left.op === 'log' &&
    sum.kind === 'symbolic' &&
    sum.op === 'sum' &&
    sum.operand.kind === 'symbolic' &&
    sum.operand.op === 'exp' &&
    sum.operand.operand.kind === 'array'
  ) {
    x = sum.operand.operand.array;
    sumKind = sum.sumKind ?? 'numpy';
  } else if (left.op === 'logsumexp' && left.operand.kind === 'array') {
    x = left.operand.array;
    logSumExpCall = true;
  }
  if (!x || x.site.id !== right.array.site.id || x.shape.length !== 1) return null;
  return formulaPair(
    ev,
    x,
    right,
    sumKind,
    logSumExpCall ? 'formula.logsumexp_minus_pick' : 'formula.log_sum_exp_minus_pick',
    node,
  );
}

/** `-LOG(EXP(x[t]) / SUM(EXP(x)))`, else null. */
export function formulaFromNegatedLog(ev: Evaluation, s: ValueOf<'symbolic'>, node: Node): Value | null {
  if (s.op !== 'log' || s.operand.kind !== 'symbolic' || s.operand.op !== 'div') return null;
  const numerator = s.operand.operand;
  const denominator = s.operand.divisor;
  if (
    numerator.kind !== 'symbolic' ||
    numerator.op !== 'exp' ||
    numerator.operand.kind !== 'element' ||
    !denominator ||
    denominator.kind !== 'symbolic' ||
    denominator.op !== 'sum'
  )
    return null;
  const inner = denominator.operand;
  if (inner.kind !== 'symbolic' || inner.op !== 'exp' || inner.operand.kind !== 'array') return null;
  const x = inner.operand.array;
  if (x.site.id !== numerator.operand.array.site.id || x.shape.length !== 1) return null;
  return formulaPair(ev, x, numerator.operand, denominator.sumKind ?? 'numpy', 'formula.neg_log_softmax_pick', node);
}

function formulaPair(
  ev: Evaluation,
  x: ArrayValue,
  pick: ValueOf<'element'>,
  sumKind: SumKind,
  recogniser: string,
  node: Node,
): Value {
  const ctx = ev.ctx;
  const dtype: DType = ctx.options.dtypeOverride ?? x.dtype ?? 'float64';
  const call: LossCall = {
    kind: 'formula',
    line: ctx.lines.lineAt(node.start),
    start: node.start,
    end: node.end,
    resultName: null,
    callee: null,
  };
  if (ctx.cell !== undefined) call.cell = ctx.cell;
  const input = withArray(x, { dtype, name: x.name, transform: null });
  const classes = x.shape[0];
  const value =
    x.data && pick.index >= 0 && pick.index < classes
      ? formulaLoss(x.data, pick.index, dtype, sumKind, recogniser === 'formula.logsumexp_minus_pick')
      : undefined;
  const ref = ctx.addPair({
    recogniser,
    kind: 'formula',
    input,
    target: pick.indexArray ?? withArray(x, { integerTensor: true }),
    targetIndex: pick.index,
    reads: 'logits',
    options: {},
    call,
    formulaValue: value,
  });
  return { kind: 'loss', pair: ref };
}

/**
 * The hand-written unbatched formula `log(Σ exp(x)) − x[t]` as the code computes it (no max shift),
 * in float64 (numpy / Python floats) or float32 (torch tensors). `sumKind` picks the summation
 * order: Python's builtin `sum` is sequential, `np.sum` is pairwise. `logSumExpCall`: the code
 * calls a logsumexp function (which does shift by the max).
 */
export function formulaLoss(
  x: Float64Array,
  t: number,
  dtype: DType,
  sumKind: SumKind,
  logSumExpCall: boolean,
): number {
  const round = dtype === 'float32' ? Math.fround : (v: number) => v;
  const xs = inDtype(x, dtype);
  let lse: number;
  if (logSumExpCall) {
    let max = -Infinity;
    for (let i = 0; i < xs.length; i++) if (xs[i] > max) max = xs[i];
    let s = 0;
    for (let i = 0; i < xs.length; i++) s += Math.exp(xs[i] - max);
    lse = round(max + Math.log(s));
  } else {
    const e = new Float64Array(xs.length);
    for (let i = 0; i < xs.length; i++) e[i] = round(Math.exp(xs[i]));
    let s = 0;
    if (sumKind === 'numpy' && dtype === 'float64') s = numpyPairwiseSum(e, 0, e.length);
    else {
      for (let i = 0; i < e.length; i++) s = round(s + e[i]);
    }
    lse = round(Math.log(s));
  }
  return round(lse - xs[t]);
}
