/**
 * Log-softmax values worked out over Python floats typed in, then summed or averaged by hand
 * (docs/detection.md 3.182): a learner checks torch's printed loss with
 *
 *     first = math.log(math.exp(0.41) / (math.exp(0.41) + math.exp(-0.2)))
 *     second = math.log(math.exp(0.35) / (math.exp(0.9) + math.exp(0.35)))
 *     print(-(first + second) / 2)
 *
 * Each `log(exp(a) / (exp(a) + exp(b) + …))` is the log-probability of one sample's class (the exponent
 * on top, written once in the sum below), so the negated sum is torch's CrossEntropyLoss with
 * reduction 'sum' of those rows of logits and classes, and the sum over its count is the mean. The
 * number reported is the code's own float arithmetic.
 *
 * Only this shape: the numerator one `exp` of a number, the denominator a sum of at least two `exp`s
 * of numbers holding that exponent (twice or more: tied logits, either class gives the same loss, 3.300); log-probabilities only added to each other (the same
 * one may be added twice: two samples with the same logits and class); the negation of their sum, and
 * that divided by a number equal to the count. A log-probability not negated, a sum with other numbers,
 * rows of different lengths, or another divisor stays a number, as before. The pair is made where the
 * value is printed or assigned (statements.ts), so a mean is one pair, not a sum and a mean.
 */
import type { Evaluation } from '../evaluation';
import type { Node } from '../expr';
import type { PairInput } from '../pairInput';
import type { PickedLogs } from '../pickedLogs';
import type { Value } from '../values';
import { typedFloats } from './typedFloats';

/** More samples than this are no worked example. */
const maxRows = 64;

type NumberValue = Extract<Value, { kind: 'number' }>;

const asNumber = (v: Value): NumberValue | null => (v.kind === 'number' ? v : null);

/** The picks a number made by `l op r` carries (both numbers of the source), or undefined. */
export function pickedBinary(op: string, l: Value, r: Value): PickedLogs | undefined {
  const a = asNumber(l);
  const b = asNumber(r);
  if (!a || !b) return undefined;
  if (op === '/' && a.expTerms?.length === 1 && (b.expTerms?.length ?? 0) >= 2 && !a.picked) {
    const terms = b.expTerms!;
    // An exponent written twice (tied logits) is either class: both give the same loss, so the first is taken.
    const k = terms.indexOf(a.expTerms[0]);
    if (k < 0) return undefined;
    return { stage: 'softmax', rows: [{ logits: terms, k }] };
  }
  if (reducing > 0) {
    const folded = reducedPicks(op, a, b);
    if (folded) return folded;
  }
  // A one-hot label's 1 keeps the log-probability it weighs, its 0 adds an exact 0 (`-(1 * log p0 + 0 * log p1)`, 3.378).
  const plain = (x: NumberValue, v: number): boolean => x.value === v && !x.picked && !x.expTerms;
  if (op === '*' && plain(a, 1) && b.picked?.stage === 'log') return b.picked;
  if (op === '*' && plain(b, 1) && a.picked?.stage === 'log') return a.picked;
  if (op === '+' && plain(a, 0) && b.picked?.stage === 'log') return b.picked;
  if (op === '+' && plain(b, 0) && a.picked?.stage === 'log') return a.picked;
  if (op === '+' && a.picked?.stage === 'log' && b.picked?.stage === 'log') {
    const rows = [...a.picked.rows, ...b.picked.rows];
    return rows.length <= maxRows ? { stage: 'log', rows } : undefined;
  }
  if (op === '/' && a.picked?.stage === 'neg' && !b.picked && b.value === a.picked.rows.length)
    return { stage: 'mean', rows: a.picked.rows };
  return undefined;
}

/**
 * `.reduce` callbacks (jsCallbacks.ts) or followed helpers' bodies (replay.ts) running: their running sums
 * fold losses, see {@link reducedPicks}.
 */
let reducing = 0;

/** Runs `fn` as a `.reduce` callback's passes or a followed helper's body (3.378). */
export function whileReducing<T>(fn: () => T): T {
  reducing++;
  try {
    return fn();
  } finally {
    reducing--;
  }
}

/**
 * A running sum in a `.reduce` callback or a helper's body (3.378): the exact 0 it starts from takes the other
 * side's picks, and per-sample losses add up (`acc + v` over `-Math.log(p[t])`s, `acc - Math.log(p[t])`). Only
 * there: two losses the code named and added at the top (`(l1 + l2) / 2`) are not a new loss of their own.
 */
function reducedPicks(op: string, a: NumberValue, b: NumberValue): PickedLogs | undefined {
  const zero = (x: NumberValue): boolean => x.value === 0 && !x.picked && !x.expTerms;
  const sums = (x: NumberValue): boolean => x.picked?.stage === 'log' || x.picked?.stage === 'neg';
  if (op === '+' && zero(a) && sums(b)) return b.picked;
  if (op === '+' && zero(b) && sums(a)) return a.picked;
  if (op === '-' && zero(a) && b.picked?.stage === 'log') return { stage: 'neg', rows: b.picked.rows };
  const rows = [...(a.picked?.rows ?? []), ...(b.picked?.rows ?? [])];
  if (rows.length > maxRows) return undefined;
  if (op === '+' && a.picked?.stage === 'neg' && b.picked?.stage === 'neg') return { stage: 'neg', rows };
  if (op === '-' && a.picked?.stage === 'neg' && b.picked?.stage === 'log') return { stage: 'neg', rows };
  return undefined;
}

/** `log` of a softmax probability: its log-probability. */
export function pickedLog(x: Value): PickedLogs | undefined {
  const n = asNumber(x);
  return n?.picked?.stage === 'softmax' ? { stage: 'log', rows: n.picked.rows } : undefined;
}

/** `-x` of a sum of log-probabilities: the summed loss. */
export function pickedNegated(x: Value): PickedLogs | undefined {
  const n = asNumber(x);
  return n?.picked?.stage === 'log' ? { stage: 'neg', rows: n.picked.rows } : undefined;
}

/**
 * The pair of a summed or averaged loss worked out this way, where the value `v` written as `node`
 * is printed or assigned; null for any other value.
 */
export function pickedPair(ev: Evaluation, v: Value, node: Node): Value | null {
  const n = asNumber(v);
  const picked = n?.picked;
  if (!n || !picked || (picked.stage !== 'neg' && picked.stage !== 'mean') || !Number.isFinite(n.value)) return null;
  const width = picked.rows[0].logits.length;
  if (picked.rows.some((r) => r.logits.length !== width)) return null;
  const ctx = ev.ctx;
  const logits = Float64Array.from(picked.rows.flatMap((r) => r.logits));
  const shape = [picked.rows.length, width];
  const input = typedFloats(ev, node, logits, shape);
  const classes = Float64Array.from(picked.rows, (r) => r.k);
  const pair: PairInput = {
    recogniser: 'formula.neg_log_softmax_pick',
    kind: 'formula',
    input,
    target: { ...input, data: classes, shape: [classes.length], integerTensor: true, dtype: null },
    reads: 'logits',
    options: { reduction: picked.stage === 'mean' ? 'mean' : 'sum' },
    call: ctx.lossCallAt('formula', node.start, node.end, null),
    formula: { lib: 'python', scaledBy: null },
    formulaValue: n.value,
  };
  return { kind: 'loss', pair: ctx.addPair(pair) };
}
