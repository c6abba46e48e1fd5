/**
 * Value evaluation for numbers and losses: `(loss1 + loss2) / 2`, `-loss`, `round(loss, 4)`,
 * `math.exp(loss)`. Numbers known in the source fold to numbers; anything that reads a loss
 * becomes a scalar expression (see scalars.ts) that the analysis evaluates after the kernel.
 */
import type { DType } from '../types';
import { pickedBinary, pickedLog, pickedNegated } from './recognisers/floatPicks';
import { arith, type ArithSymbol, type ScalarExpr } from './scalars';
import { isLossy, unknown, unknownLossy, type PairRef, type Value } from './values';

/**
 * The expression a value stands for as a number: undefined when it is not a scalar at all, null
 * when it is one but an operand is not known.
 */
export function scalarOf(v: Value): ScalarExpr | null | undefined {
  switch (v.kind) {
    case 'number':
      return { op: 'const', value: v.value };
    case 'loss':
      return v.rounded === undefined
        ? { op: 'loss', pair: v.pair.id }
        : { op: 'round', operand: { op: 'loss', pair: v.pair.id }, digits: v.rounded };
    case 'scalar':
      return v.expr;
    case 'unknown':
      return v.lossy ? null : undefined;
    default:
      return undefined;
  }
}

export function pairsOf(v: Value): PairRef[] {
  return v.kind === 'loss' ? [v.pair] : v.kind === 'scalar' ? v.pairs : [];
}

function dtypeOf(v: Value): DType {
  if (v.kind === 'loss') return v.pair.dtype;
  if (v.kind === 'scalar') return v.dtype;
  return 'float64';
}

function constant(expr: ScalarExpr | null): number | undefined {
  return expr?.op === 'const' ? expr.value : undefined;
}

const arithSymbols = new Set(['+', '-', '*', '/', '**', '//']);

/**
 * `l op r` when both are scalars (numbers or losses); undefined when they are not. A float32
 * loss in the expression makes the arithmetic float32 (torch tensors), unless a hand-written
 * formula's float64 value is involved.
 */
export function scalarBinary(op: string, l: Value, r: Value): Value | undefined {
  if (!arithSymbols.has(op)) return undefined;
  const a = scalarOf(l);
  const b = scalarOf(r);
  if (a === undefined || b === undefined) return undefined;
  const pairs = [...pairsOf(l), ...pairsOf(r)];
  const ka = constant(a);
  const kb = constant(b);
  if (pairs.length === 0 && ka !== undefined && kb !== undefined) {
    const value = arith(op, ka, kb);
    const integer = l.kind === 'number' && r.kind === 'number' && l.integer && r.integer && op !== '/' && op !== '**';
    const terms = op === '+' ? expTermsOfSum(l, r) : null;
    if (terms) return { kind: 'number', value, integer, expTerms: terms };
    // A log-softmax worked out over numbers, summed and averaged (3.182).
    const picked = pickedBinary(op, l, r);
    return picked ? { kind: 'number', value, integer, picked } : { kind: 'number', value, integer };
  }
  const dtype: DType = dtypeOf(l) === 'float64' && dtypeOf(r) === 'float64' ? 'float64' : 'float32';
  const float32 = dtype === 'float32' && pairs.every((p) => p.kind !== 'formula');
  const expr: ScalarExpr | null =
    a === null || b === null ? null : { op: 'arith', symbol: op as ArithSymbol, left: a, right: b, float32 };
  return { kind: 'scalar', expr, pairs, dtype };
}

/**
 * `x`, or its number when it is one element of a list (not a tensor) and `other` a worked log-probability: a
 * label weighing it (`labels[i] * Math.log(probs[i])`, docs/detection.md 3.378).
 */
export function listNumber(x: Value, other: Value): Value {
  if (x.kind !== 'array' || other.kind !== 'number' || other.picked?.stage !== 'log') return x;
  const a = x.array;
  if ((a.container !== 'list' && a.container !== 'scalar') || a.shape.length !== 0 || a.data?.length !== 1) return x;
  return { kind: 'number', value: a.data[0], integer: Number.isInteger(a.data[0]) };
}

/** Most exponents a sum of exps is followed through (a longer sum is no worked example). */
const maxExpTerms = 64;

/** `exp(a) + exp(b)` of numbers that are exps (or sums of them): the exponents, in order; else null. */
function expTermsOfSum(l: Value, r: Value): number[] | null {
  if (l.kind !== 'number' || r.kind !== 'number') return null;
  // A sum started at an exact 0 (`es.reduce((a, b) => a + b, 0)`, docs/detection.md 3.300) adds nothing.
  const zero = (x: typeof l): boolean => x.value === 0 && !x.expTerms && !x.picked && !x.logSumExp;
  const lt = l.expTerms ?? (zero(l) && r.expTerms ? [] : null);
  const rt = r.expTerms ?? (zero(r) && l.expTerms ? [] : null);
  if (!lt || !rt) return null;
  const terms = [...lt, ...rt];
  return terms.length <= maxExpTerms ? terms : null;
}

/** `-x` of a scalar; undefined when x is not one. */
export function scalarNegated(x: Value): Value | undefined {
  if (x.kind === 'number') {
    const picked = pickedNegated(x);
    return picked
      ? { kind: 'number', value: -x.value, integer: x.integer, picked }
      : { kind: 'number', value: -x.value, integer: x.integer };
  }
  const e = scalarOf(x);
  if (e === undefined) return undefined;
  return { kind: 'scalar', expr: e === null ? null : { op: 'neg', operand: e }, pairs: pairsOf(x), dtype: dtypeOf(x) };
}

/** `exp(x)` / `log(x)` of a scalar (math, numpy or torch on a number). */
export function scalarFunction(op: 'exp' | 'log', x: Value): Value {
  const e = scalarOf(x);
  if (e === undefined || e === null) return isLossy(x) ? unknownLossy : unknown;
  const k = constant(e);
  const pairs = pairsOf(x);
  if (pairs.length === 0 && k !== undefined) {
    const value = op === 'exp' ? Math.exp(k) : Math.log(k);
    // Which exponents a number is the exp (or the sum of exps) of, for a log-sum-exp written out.
    if (op === 'exp' && x.kind === 'number') return { kind: 'number', value, integer: false, expTerms: [k] };
    if (op === 'log' && x.kind === 'number' && (x.expTerms?.length ?? 0) > 1)
      return { kind: 'number', value, integer: false, logSumExp: x.expTerms };
    const picked = op === 'log' ? pickedLog(x) : undefined;
    return picked ? { kind: 'number', value, integer: false, picked } : { kind: 'number', value, integer: false };
  }
  return { kind: 'scalar', expr: { op, operand: e }, pairs, dtype: dtypeOf(x) };
}

/** Python's `round(x, digits)`. */
export function scalarRounded(x: Value, digits: Value): Value {
  const e = scalarOf(x);
  if (e === undefined || e === null || digits.kind !== 'number') return isLossy(x) ? unknownLossy : unknown;
  return {
    kind: 'scalar',
    expr: { op: 'round', operand: e, digits: digits.value },
    pairs: pairsOf(x),
    dtype: 'float64',
  };
}

/** `losses.mean()` / `.sum()` of a loss computed with reduction 'none'. */
export function reducedLosses(pair: PairRef, how: 'mean' | 'sum'): Value {
  return {
    kind: 'scalar',
    expr: { op: 'reduce', pair: pair.id, how, float32: pair.dtype === 'float32' },
    pairs: [pair],
    dtype: pair.dtype,
  };
}

/** Both operands of a binary, a list's element weighing a worked log-probability read as its number ({@link listNumber}). */
export function weighing(l: Value, r: Value): [Value, Value] {
  return [listNumber(l, r), listNumber(r, l)];
}
