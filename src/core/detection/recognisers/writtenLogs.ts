/**
 * The mean negative log-likelihood of probabilities written as numbers, the form tests and exercises
 * use for an expected value: `-(np.log(0.7) + np.log(0.8) + np.log(0.6)) / 3`,
 * `(-math.log(0.9) - math.log(0.8)) / 2`, `(-(log(0.9)) + (-log(0.65))) / 2.0`. Each number is the
 * probability one sample gave its true class, so the expression is torch's NLLLoss (mean) of the
 * logs of those numbers, every sample's class being the one column given. The number reported is the
 * code's own arithmetic (Python floats / numpy float64, in the order written).
 *
 * Only this shape: every term a `np.log` / `math.log` (a bare `log` imported from either, or
 * JavaScript's `Math.log`, whose doubles are Python's floats: docs/detection.md 3.238) of one
 * number literal in (0, 1], of `1 - q` (q a literal in [0, 1), a binary sample of class 0) or of a
 * softmax entry written out from literal scores (`Math.exp(1) / (Math.exp(1) + Math.exp(2))`, 3.345), every
 * term negated, at least two terms, and a division by a number
 * literal equal to their count. A single `-np.log(0.7)` stays no pair (3.23: nothing says it is a
 * loss), and so do logs with weights (`2 * np.log(0.7)`), of numbers above 1, or a divisor other
 * than the count.
 */
import { literalArray } from '../arrays';
import type { Evaluation } from '../evaluation';
import type { Node, NodeOf } from '../expr';
import type { PairInput } from '../pairInput';
import { withArray, writtenProbOperands, type Value } from '../values';

const logPaths = new Set(['numpy.log', 'math.log', 'Math.log']);

interface WrittenLog {
  p: number;
  negated: boolean;
  lib: 'numpy' | 'python';
}

/** JavaScript's Math.log computes in doubles as Python's math.log does. */
const libOf = (path: string): 'numpy' | 'python' => (path === 'numpy.log' ? 'numpy' : 'python');

/** Deeper sums are not read (a long chain of terms is no test's expected value). */
const maxDepth = 64;

/** Adds the signed log terms of a sum to `out`; false when any part is not one. */
function logTerms(ev: Evaluation, node: Node, negated: boolean, out: WrittenLog[], depth = 0): boolean {
  if (depth > maxDepth) return false;
  if (node.type === 'unary' && node.op === '-') return logTerms(ev, node.operand, !negated, out, depth + 1);
  if (node.type === 'binary' && (node.op === '+' || node.op === '-'))
    return (
      logTerms(ev, node.left, negated, out, depth + 1) &&
      logTerms(ev, node.right, node.op === '-' ? !negated : negated, out, depth + 1)
    );
  if (node.type !== 'call' || node.args.length !== 1 || node.keywords.length) return false;
  const p = writtenProb(node.args[0]) ?? softmaxProb(ev, node.args[0]);
  if (p === null) return false;
  const fn = ev.evaluate(node.callee);
  if (fn.kind !== 'namespace' || !logPaths.has(fn.path)) return false;
  out.push({ p, negated, lib: libOf(fn.path) });
  return true;
}

/**
 * A probability written as a number literal in (0, 1], or as `1 - q` with q a literal in [0, 1): the
 * probability a binary sample of class 0 gave its class, written term by term (`np.log(1 - 0.6)`,
 * docs/detection.md 3.145). Its value is the float subtraction Python does (the same double).
 */
function writtenProb(arg: Node): number | null {
  if (arg.type === 'number') return arg.value > 0 && arg.value <= 1 ? arg.value : null;
  if (arg.type !== 'binary' || arg.op !== '-' || arg.left.type !== 'number' || arg.right.type !== 'number') return null;
  if (arg.left.value !== 1 || !(arg.right.value >= 0 && arg.right.value < 1)) return null;
  return 1 - arg.right.value;
}

const expPaths = new Set(['numpy.exp', 'math.exp', 'Math.exp']);

/** A number literal, negated or not; null otherwise. */
function signedLiteral(n: Node): number | null {
  if (n.type === 'number') return n.value;
  return n.type === 'unary' && n.op === '-' && n.operand.type === 'number' ? -n.operand.value : null;
}

/** `exp(a)` (a a signed number literal, exp one of {@link expPaths}), or a bare `1` standing for exp(0). */
function expOf(ev: Evaluation, n: Node, one: boolean): number | null {
  if (one && n.type === 'number' && n.value === 1) return 0;
  if (n.type !== 'call' || n.args.length !== 1 || n.keywords.length) return null;
  const a = signedLiteral(n.args[0]);
  if (a === null) return null;
  const fn = ev.evaluate(n.callee);
  return fn.kind === 'namespace' && expPaths.has(fn.path) ? a : null;
}

/**
 * A softmax probability written out from its scores, `Math.exp(1) / (Math.exp(1) + Math.exp(2))` or
 * `math.exp(2) / (math.exp(2) + math.exp(1) + 1)` (a `1` is exp(0)): the numerator's exponent is one of
 * the denominator's (at least two terms, at most {@link maxDepth}), every exponent a number literal
 * (docs/detection.md 3.345). Its value is the double the code computes, in the order written; null for
 * any other quotient (a ratio of exps that is not a softmax entry is no probability of a class).
 */
function softmaxProb(ev: Evaluation, arg: Node): number | null {
  if (arg.type !== 'binary' || arg.op !== '/') return null;
  const top = expOf(ev, arg.left, false);
  if (top === null) return null;
  const exps: number[] = [];
  let n: Node = arg.right;
  while (n.type === 'binary' && n.op === '+' && exps.length < maxDepth) {
    const e = expOf(ev, n.right, true);
    if (e === null) return null;
    exps.unshift(e);
    n = n.left;
  }
  const first = expOf(ev, n, true);
  if (first === null || exps.length === 0) return null;
  exps.unshift(first);
  if (!exps.includes(top)) return null;
  let sum = Math.exp(exps[0]);
  for (let k = 1; k < exps.length; k++) sum += Math.exp(exps[k]);
  const p = Math.exp(top) / sum;
  return p > 0 && p <= 1 ? p : null;
}

/**
 * `node` (a division whose value the evaluator computed as `value`) as the pair of a mean NLL of
 * written probabilities; null when it is not that shape.
 */
export function writtenLogMean(ev: Evaluation, node: NodeOf<'binary'>, value: Value): Value | null {
  if (node.op !== '/' || value.kind !== 'number' || node.right.type !== 'number') return null;
  const terms: WrittenLog[] = [];
  if (!logTerms(ev, node.left, false, terms) || terms.length < 2 || node.right.value !== terms.length) return null;
  if (terms.some((t) => !t.negated) || !Number.isFinite(value.value)) return null;
  const ctx = ev.ctx;
  const k = terms.length;
  const probs = Float64Array.from(terms, (t) => t.p);
  const site = ctx.syntheticSite(node.left.start, node.left.end, probs, [k], false, 'number');
  const src = literalArray(ev, site.id);
  const pair: PairInput = {
    recogniser: 'formula.mean_nll_of_written_probs',
    kind: 'formula',
    ...writtenProbOperands(src),
    reads: 'log_probs',
    options: { reduction: 'mean' },
    call: ctx.lossCallAt('formula', node.start, node.end, null),
    formula: { lib: terms.every((t) => t.lib === 'python') ? 'python' : 'numpy', scaledBy: null },
    formulaValue: value.value,
  };
  return { kind: 'loss', pair: ctx.addPair(pair) };
}

/** A distribution written out sums to 1; float addition of one-decimal numbers leaves ~1e-16. */
const sumTolerance = 1e-9;

/** `w * log(p)`, `log(p) * w` or a bare `log(p)` (w = 1), w a literal in [0, 1], p a literal in (0, 1]. */
function weightedLog(ev: Evaluation, node: Node): { w: number; p: number; lib: 'numpy' | 'python' } | null {
  let w = 1;
  let term = node;
  if (node.type === 'binary' && node.op === '*') {
    const [num, other] = node.left.type === 'number' ? [node.left, node.right] : [node.right, node.left];
    if (num.type !== 'number' || !(num.value >= 0 && num.value <= 1)) return null;
    w = num.value;
    term = other;
  }
  const logs: WrittenLog[] = [];
  if (term.type !== 'call' || !logTerms(ev, term, false, logs) || logs.length !== 1) return null;
  return { w, p: logs[0].p, lib: logs[0].lib };
}

/**
 * `-(1 * math.log(0.7) + 0 * math.log(0.1) + 0 * math.log(0.2))`: a one-hot expansion of the
 * cross-entropy over a distribution written as numbers (the "Neural Networks from Scratch" first
 * example, in code). `node` is the negation whose value the evaluator computed as `value`; the pair is
 * NLLLoss of log p over one row, the class the weight 1 marks. Only this shape: at least two terms,
 * weights the literals 0 and 1 with exactly one 1, probabilities in (0, 1] that sum to 1 (a
 * distribution, not any weighted sum of logs) unless three or more terms carry those weights (3.386).
 * The number is the code's own float arithmetic.
 * The same with a soft target written as the weights (`-1 * (Math.log(0.3) * 0.25 + Math.log(0.7) *
 * 0.75)`, 3.238): weights in [0, 1] that sum to 1 over probabilities that sum to 1, the cross-entropy
 * −Σ w·log p of that row; weights equal to the probabilities are the entropy, and equal weights a
 * mean over samples as much as a target: no pair.
 */
export function writtenOneHot(ev: Evaluation, node: NodeOf<'unary'>, value: Value): Value | null {
  if (node.op !== '-') return null;
  return writtenRow(ev, node, node.operand, value);
}

/** `-1 * (…)` or `(…) * -1`: the negation written as a product (3.238). */
export function writtenNegatedProduct(ev: Evaluation, node: NodeOf<'binary'>, value: Value): Value | null {
  if (node.op !== '*') return null;
  const minusOne = (n: Node): boolean =>
    (n.type === 'number' && n.value === -1) ||
    (n.type === 'unary' && n.op === '-' && n.operand.type === 'number' && n.operand.value === 1);
  const operand = minusOne(node.left) ? node.right : minusOne(node.right) ? node.left : null;
  return operand ? writtenRow(ev, node, operand, value) : null;
}

function writtenRow(ev: Evaluation, node: Node, operand: Node, value: Value): Value | null {
  if (value.kind !== 'number' || !Number.isFinite(value.value)) return null;
  const terms: { w: number; p: number; lib: 'numpy' | 'python' }[] = [];
  const collect = (n: Node, depth: number): boolean => {
    if (depth > maxDepth) return false;
    if (n.type === 'binary' && n.op === '+') return collect(n.left, depth + 1) && collect(n.right, depth + 1);
    const t = weightedLog(ev, n);
    if (t) terms.push(t);
    return t !== null;
  };
  if (!collect(operand, 0) || terms.length < 2) return null;
  const hot = terms.filter((t) => t.w === 1);
  const oneHot = hot.length === 1 && terms.every((t) => t.w === 0 || t.w === 1);
  const sum = terms.reduce((s, t) => s + t.p, 0);
  const weightSum = terms.reduce((s, t) => s + t.w, 0);
  // Three or more terms weighted by the literals 0 and 1 with one 1 say "one-hot" on their own: a row
  // copied with a slip (`0.05, 0.95, 0.05`) is still −log of the marked probability (3.386).
  if (Math.abs(sum - 1) > sumTolerance && !(oneHot && terms.length >= 3)) return null;
  // Equal weights (`0.5 * log(0.6) + 0.5 * log(0.4)`) read as a mean over samples as well: left as before.
  const soft = Math.abs(weightSum - 1) <= sumTolerance && terms.some((t) => t.w !== terms[0].w);
  if (!oneHot && (!soft || terms.every((t) => t.w === t.p))) return null;
  const ctx = ev.ctx;
  const probs = Float64Array.from(terms, (t) => t.p);
  const site = ctx.syntheticSite(operand.start, operand.end, probs, [1, terms.length], false, 'number');
  const src = literalArray(ev, site.id);
  const input = withArray(src, {
    data: Float64Array.from(probs, Math.log),
    shape: [1, terms.length],
    dtype: 'float64',
    integerTensor: false,
    transform: null,
    name: null,
  });
  const target = oneHot
    ? withArray(src, { data: Float64Array.of(terms.indexOf(hot[0])), shape: [1], integerTensor: true, dtype: null })
    : withArray(src, {
        data: Float64Array.from(terms, (t) => t.w),
        shape: [1, terms.length],
        integerTensor: false,
        dtype: 'float64',
      });
  const pair: PairInput = {
    recogniser: 'formula.onehot_sum_log_probs',
    kind: 'formula',
    input,
    target,
    reads: 'log_probs',
    options: { reduction: 'mean' },
    call: ctx.lossCallAt('formula', node.start, node.end, null),
    formula: { lib: terms.every((t) => t.lib === 'python') ? 'python' : 'numpy', scaledBy: null },
    formulaValue: value.value,
  };
  return { kind: 'loss', pair: ctx.addPair(pair) };
}
