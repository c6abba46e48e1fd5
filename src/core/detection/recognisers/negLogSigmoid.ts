/**
 * The binary cross-entropy with logits worked out over numbers with a helper that returns −log σ(x)
 * (docs/detection.md 3.297): d2l's word2vec chapter and its many copies check a masked
 * `SigmoidBinaryCrossEntropyLoss` by hand with
 *
 *     def sigmd(x): return -math.log(1 / (1 + math.exp(-x)))
 *     print(f'{(sigmd(1.1) + sigmd(2.2) + sigmd(-3.3) + sigmd(4.4)) / 4:.4f}')
 *
 * (also named `sigmoid` or `neg_log_sigmoid`, or a lambda). −log σ(x) is the loss of logit x for label 1,
 * and −log σ(−x) = −log(1 − σ(x)) that of label 0: the label is written as the sign. The mean of k calls
 * on number literals, divided by k, is torch's BCEWithLogitsLoss (mean) of those k signed logits with
 * labels 1, i.e. CrossEntropyLoss of the rows [0, x] at class 1. The number reported is the code's own
 * float arithmetic.
 *
 * Only this shape: a function of one parameter whose whole body returns `-log(1 / (1 + exp(-x)))`
 * (math or numpy, `exp(-x) + 1` as well) or `log(1 + exp(-x))`; at least two calls, each on one number
 * literal, added and divided by a number literal equal to their count. The helper's name says nothing:
 * a lone call, a sum without the division, another divisor or a body of any other form stays no pair.
 */
import type { Evaluation } from '../evaluation';
import type { Node, NodeOf } from '../expr';
import { settled, type FunctionRecord } from '../functions';
import type { PairInput } from '../pairInput';
import type { Value } from '../values';
import { typedFloats } from './typedFloats';

const logs = new Set(['math.log', 'numpy.log']);
const exps = new Set(['math.exp', 'numpy.exp']);

/** Deeper sums are not read. */
const maxTerms = 64;

function pathOf(ev: Evaluation, node: Node): string | null {
  const v = ev.evaluate(node);
  return v.kind === 'namespace' ? v.path : null;
}

function callOf(ev: Evaluation, node: Node, paths: Set<string>): Node | null {
  if (node.type !== 'call' || node.args.length !== 1 || node.keywords.length) return null;
  const p = pathOf(ev, node.callee);
  return p !== null && paths.has(p) ? node.args[0] : null;
}

/** `1 + exp(-x)` or `exp(-x) + 1`, x the parameter. */
function onePlusExpNeg(ev: Evaluation, node: Node, param: string): boolean {
  if (node.type !== 'binary' || node.op !== '+') return false;
  const one = (n: Node) => n.type === 'number' && n.value === 1;
  const expNeg = (n: Node) => {
    const arg = callOf(ev, n, exps);
    return (
      arg !== null && arg.type === 'unary' && arg.op === '-' && arg.operand.type === 'name' && arg.operand.id === param
    );
  };
  return (one(node.left) && expNeg(node.right)) || (expNeg(node.left) && one(node.right));
}

/** The body `return -log(1 / (1 + exp(-x)))` or `return log(1 + exp(-x))`. */
function returnsNegLogSigmoid(ev: Evaluation, record: FunctionRecord): boolean {
  const r = settled(record);
  if (r.unsupported !== null || r.owner || r.params.length !== 1 || r.params[0].star || r.params[0].default)
    return false;
  if (r.body.length !== 1 || r.body[0].k !== 'return' || r.body[0].node === null) return false;
  const param = r.params[0].name;
  const ret = r.body[0].node();
  if (ret.type === 'unary' && ret.op === '-') {
    const arg = callOf(ev, ret.operand, logs);
    return (
      arg !== null &&
      arg.type === 'binary' &&
      arg.op === '/' &&
      arg.left.type === 'number' &&
      arg.left.value === 1 &&
      onePlusExpNeg(ev, arg.right, param)
    );
  }
  const arg = callOf(ev, ret, logs);
  return arg !== null && onePlusExpNeg(ev, arg, param);
}

/** A number literal, negated or not. */
function literal(node: Node): number | null {
  if (node.type === 'number') return node.value;
  if (node.type === 'unary' && node.op === '-' && node.operand.type === 'number') return -node.operand.value;
  return null;
}

/** `(f(a) + f(b) + …) / k` with f returning −log σ(x): the pair of BCE with logits a, b, … at label 1. */
export function negLogSigmoidMean(ev: Evaluation, node: NodeOf<'binary'>, value: Value): Value | null {
  if (node.op !== '/' || value.kind !== 'number' || !Number.isFinite(value.value) || node.right.type !== 'number')
    return null;
  const calls: NodeOf<'call'>[] = [];
  const collect = (n: Node, depth: number): boolean => {
    if (depth > maxTerms) return false;
    if (n.type === 'binary' && n.op === '+') return collect(n.left, depth + 1) && collect(n.right, depth + 1);
    if (n.type !== 'call' || n.args.length !== 1 || n.keywords.length || literal(n.args[0]) === null) return false;
    calls.push(n);
    return true;
  };
  if (!collect(node.left, 0) || calls.length < 2 || node.right.value !== calls.length) return null;
  const fn = ev.evaluate(calls[0].callee);
  if (fn.kind !== 'function' || !returnsNegLogSigmoid(ev, fn.record)) return null;
  for (const c of calls.slice(1)) {
    const other = ev.evaluate(c.callee);
    if (other.kind !== 'function' || other.record !== fn.record) return null;
  }
  const k = calls.length;
  const rows = new Float64Array(2 * k);
  calls.forEach((c, i) => (rows[2 * i + 1] = literal(c.args[0])!));
  const input = typedFloats(ev, node.left, rows, [k, 2]);
  const pair: PairInput = {
    recogniser: 'formula.mean_neg_log_sigmoid',
    kind: 'formula',
    input,
    target: { ...input, data: new Float64Array(k).fill(1), shape: [k], integerTensor: true, dtype: null },
    reads: 'logits',
    options: { reduction: 'mean' },
    call: ev.ctx.lossCallAt('formula', node.start, node.end, null),
    formula: { lib: 'python', scaledBy: null },
    formulaValue: value.value,
  };
  return { kind: 'loss', pair: ev.ctx.addPair(pair) };
}
