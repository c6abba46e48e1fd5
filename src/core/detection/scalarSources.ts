/**
 * Python numbers bound to a name by a literal (`y = 1`, `y_hat = 0.9`) as the sources a formula reads:
 * the scalar form of the binary log loss, `-(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))`, is
 * recognised as the array form is (terms.ts), once each number is known as an element of its own.
 * The number stays a number for everything else (bounds, counts, `range`); its 0-d source is made
 * only when a formula step reads it (`np.log` / `math.log` of it, `1 - y`, or a product with a
 * formula term), once per binding, so the same name always reads the same source.
 */
import { asPickOperands } from './pickSums';
import { clipped } from './clipSources';
import { literalArray } from './arrays';
import type { CallNode, Evaluation } from './evaluation';
import { binaryOp, unaryOp } from './tensorMath';
import type { Node } from './expr';
import { withArray, type ArrayValue, type Value } from './values';

const sources = new WeakMap<object, ArrayValue>();

/** Logs of one number: numpy's, Python's, and JavaScript's `Math.log` (a double, as Python's float, 3.390). */
const scalarLogs = new Set(['numpy.log', 'math.log', 'Math.log']);

/** The 0-d source of a number bound by a literal, or of `1 - y` of one; null for other values. */
export function numberSource(ev: Evaluation, v: Value): ArrayValue | null {
  if (v.kind !== 'number') return null;
  if (v.source) return v.source;
  const at = v.literal;
  if (!at || !Number.isFinite(v.value)) return null;
  let src = sources.get(v);
  if (!src) {
    const id = ev.ctx.addSite(
      {
        end: at.end,
        shape: [],
        data: Float64Array.of(v.value),
        integral: v.integer,
        count: 1,
        error: null,
        tuple: false,
      },
      at.start,
      'number',
    );
    src = withArray(literalArray(ev, id), { container: 'scalar', name: at.name });
    sources.set(v, src);
  }
  return src;
}

/**
 * `1 - y` of such a number: still the number Python computes, carrying the complement's source
 * (values.ts `complementOf`), so that `(1 - y) * np.log(1 - y_hat)` reads as the binary tail.
 */
export function complementNumber(ev: Evaluation, op: string, l: Value, r: Value, out: Value): Value {
  if (op !== '-' || out.kind !== 'number' || l.kind !== 'number' || l.value !== 1) return out;
  const src = numberSource(ev, r);
  const cmp = src ? binaryOp('-', { num: 1, integer: l.integer }, src) : null;
  return cmp?.complementOf && cmp.data?.[0] === out.value ? { ...out, source: cmp } : out;
}

/**
 * The operands of `l op r`, a number with a source read as that source when it multiplies a formula
 * term (`y * np.log(y_hat)`); other operands, and other operators (`p[rows, t] + eps` keeps ε a
 * number), as they are.
 */
export function asSourceOperands(ev: Evaluation, op: string, l0: Value, r0: Value): [Value, Value] {
  // Per-sample losses picked into names, added: the arrays they were made from (pickSums.ts).
  const [l, r] = asPickOperands(op, l0, r0);
  if (op !== '*') return [l, r];
  const as = (v: Value, other: Value): Value => {
    if (v.kind !== 'number' || other.kind !== 'array' || !other.array.terms) return v;
    const src = numberSource(ev, v);
    return src ? { kind: 'array', array: src } : v;
  };
  return [as(l, r), as(r, l)];
}

/**
 * `np.log(y_hat)` / `math.log(y_hat)` of a number bound by a literal: the log of its source (a 0-d
 * array whose element knows what it is), so the formula around it is read; null otherwise.
 */
export function loggedNumber(ev: Evaluation, path: string, node: CallNode): Value | null {
  if (!scalarLogs.has(path) || node.args.length !== 1 || node.keywords.length) return null;
  const src = numberSource(ev, ev.evaluate(node.args[0]));
  const logged = src ? unaryOp('log', src, path === 'numpy.log' ? 'numpy' : 'python') : null;
  return logged?.terms ? { kind: 'array', array: logged } : null;
}

/**
 * `np.clip(y_hat, eps, 1 - eps)` of a number bound by a literal (a tutorial's scalar example handed to an array
 * helper, `bce(1.0, 0.99)`): the clip of its source, a 0-d numpy float64 array whose element knows what it is, so
 * the formula the helper goes on with is read as it is for arrays (3.366); null otherwise.
 */
export function clippedNumber(ev: Evaluation, path: string, node: CallNode): Value | null {
  if (path !== 'numpy.clip' || node.args.length !== 3 || node.keywords.length) return null;
  const src = numberSource(ev, ev.evaluate(node.args[0]));
  if (!src) return null;
  const lo = ev.evaluate(node.args[1]);
  const hi = ev.evaluate(node.args[2]);
  if (lo.kind !== 'number' || hi.kind !== 'number') return null;
  const c = clipped({ ...src, container: 'ndarray', dtype: 'float64' }, lo.value, hi.value);
  return c ? { kind: 'array', array: c } : null;
}

/**
 * The number bound by `name = <number literal>` (a minus sign allowed): the same number, knowing
 * where its literal is. Other values are bound as they are.
 */
export function literalBinding(value: Value, node: Node, name: string, cell: number | undefined): Value {
  if (value.kind !== 'number' || value.literal || value.source) return value;
  const lit = node.type === 'unary' && node.op === '-' ? node.operand : node;
  if (lit.type !== 'number') return value;
  return { ...value, literal: { start: node.start, end: node.end, name, cell } };
}

/** Operands read without running anything: names, numbers, and arithmetic of them (no call, no subscript). */
function plainOperand(node: Node, depth = 0): boolean {
  if (depth > 32) return false;
  if (node.type === 'name' || node.type === 'number') return true;
  if (node.type === 'unary') return plainOperand(node.operand, depth + 1);
  if (node.type === 'binary') return plainOperand(node.left, depth + 1) && plainOperand(node.right, depth + 1);
  return false;
}

/**
 * `math.log(0)`, `math.log(1 - p)` with p = 1.0: Python raises `ValueError: math domain error`, where
 * numpy gives −inf and torch's BCE clamps; the program stops there, so no number is given (3.277).
 * Only for an operand that runs nothing (names, numbers, arithmetic): null for anything else.
 */
export function mathDomainError(ev: Evaluation, path: string, node: CallNode): Value | null {
  if (!/^math\.log(?:2|10)?$/.test(path) || node.args.length !== 1 || node.keywords.length) return null;
  if (!plainOperand(node.args[0])) return null;
  const v = ev.evaluate(node.args[0]);
  const x = v.kind === 'number' ? v.value : null;
  if (x === null || x > 0) return null;
  return { kind: 'unknown', lossy: false, why: `\`${path}\` of ${x} raises ValueError (math domain error) in Python` };
}
