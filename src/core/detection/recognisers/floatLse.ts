/**
 * A cross-entropy written out over Python floats typed into the source, the way a learner checks a
 * printed loss by hand: `x_sum = exp(0.34) + exp(0.13) + exp(-1.12)`, then `-0.34 + log(x_sum)` or
 * `log(x_sum) - x` with `x = 0.34`. That is log Σ exp(x) − x[t] of the logits written, the class t
 * being the exponent subtracted, so it is torch's CrossEntropyLoss of those logits and that class. The
 * number reported is the code's own float arithmetic (the order written, no max shift).
 *
 * Only this shape: a `log` (math or numpy) of a sum of at least two `exp` of numbers, and, added to it,
 * the negation of a number equal to one of those exponents (or subtracted from it, that number). A
 * lone `log(exp(a))` (which is `a`), a log-sum-exp without the subtraction (a softplus, a smooth max),
 * or a subtraction of anything else stays a number, as before (scalarValues.ts follows the exponents).
 */
import type { Evaluation } from '../evaluation';
import type { NodeOf } from '../expr';
import type { PairInput } from '../pairInput';
import type { Value } from '../values';
import { negLogSigmoidMean } from './negLogSigmoid';
import { typedFloats } from './typedFloats';
import { writtenLogMean, writtenNegatedProduct, writtenOneHot } from './writtenLogs';

/** The class an operand subtracts from a log-sum-exp: the index of its exponent, or -1. */
function pickedClass(lse: number[], subtracted: number): number {
  const k = lse.indexOf(subtracted);
  // The same exponent twice would make the class a guess.
  return k >= 0 && lse.indexOf(subtracted, k + 1) < 0 ? k : -1;
}

/**
 * `node` (`a + b` or `a - b` whose value the evaluator computed as `value`) as the pair of a
 * log-sum-exp minus one of its exponents; null when it is not that shape.
 */
export function floatLseMinusPick(
  ev: Evaluation,
  node: NodeOf<'binary'>,
  l: Value,
  r: Value,
  value: Value,
): Value | null {
  if (value.kind !== 'number' || !Number.isFinite(value.value)) return null;
  if (l.kind !== 'number' || r.kind !== 'number' || (node.op !== '+' && node.op !== '-')) return null;
  let lse: number[] | undefined;
  let k = -1;
  if (node.op === '-' && l.logSumExp) [lse, k] = [l.logSumExp, pickedClass(l.logSumExp, r.value)];
  else if (node.op === '+' && l.logSumExp) [lse, k] = [l.logSumExp, pickedClass(l.logSumExp, -r.value)];
  else if (node.op === '+' && r.logSumExp) [lse, k] = [r.logSumExp, pickedClass(r.logSumExp, -l.value)];
  if (!lse || k < 0) return null;
  const ctx = ev.ctx;
  const logits = Float64Array.from(lse);
  const input = typedFloats(ev, node, logits, [logits.length]);
  const pair: PairInput = {
    recogniser: 'formula.log_sum_exp_minus_pick',
    kind: 'formula',
    input,
    target: { ...input, data: Float64Array.of(k), shape: [], integerTensor: true, dtype: null },
    targetIndex: k,
    reads: 'logits',
    options: { reduction: 'mean' },
    call: ctx.lossCallAt('formula', node.start, node.end, null),
    formula: { lib: 'python', scaledBy: null },
    formulaValue: value.value,
  };
  return { kind: 'loss', pair: ctx.addPair(pair) };
}

/** A loss written out over numbers of the source (writtenLogs.ts, or the log-sum-exp here); null for other arithmetic. */
export function numberFormula(ev: Evaluation, node: NodeOf<'binary'>, l: Value, r: Value, value: Value): Value | null {
  return (
    writtenLogMean(ev, node, value) ??
    writtenNegatedProduct(ev, node, value) ??
    negLogSigmoidMean(ev, node, value) ??
    floatLseMinusPick(ev, node, l, r, value)
  );
}

/** A negated loss written out over numbers of the source (a one-hot expansion, writtenLogs.ts); null otherwise. */
export function negatedFormula(ev: Evaluation, node: NodeOf<'unary'>, value: Value): Value | null {
  return writtenOneHot(ev, node, value);
}
