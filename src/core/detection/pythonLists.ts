/**
 * Python's arithmetic on lists: `a + b` joins two lists (or two tuples) and `a * n` / `n * a` repeats
 * a list n times, so `torch.tensor([[0.0, 9.0] + [-9.0] * 14])` holds the sixteen numbers Python
 * builds. The result is a list of its own (a site over the whole expression). Only plain Python
 * sequences take part: a list with an ndarray or a tensor is numpy's / torch's elementwise arithmetic
 * (tensorMath.ts), a list with a float or a list with a tuple raises in Python, and JavaScript's `+`
 * on arrays makes a string; all of those are left to the caller.
 *
 * Hostile input: a list built here never exceeds the literal limit, and all the lists one document
 * builds together stay within {@link listBudget} numbers (a chain `[0.0] + [0.0] + …` copies its
 * prefix at every step), so the work stays linear in that budget; beyond it a list is opaque.
 */
import { literalArray } from './arrays';
import type { Evaluation } from './evaluation';
import type { NodeOf } from './expr';
import { libOf } from './tensorMath';
import type { ArrayValue, Value } from './values';

// TensorFlow's conversion of a list it is given (beside a tensor, into softmax): tfLists.ts.
export { tfFloatArgument, tfListOperands } from './tfLists';

/** A Python list (or tuple) written with numbers, with its numbers known. */
function plainList(v: Value): ArrayValue | null {
  if (v.kind !== 'array') return null;
  const a = v.array;
  return libOf(a) === 'list' && a.container === 'list' && a.transform === null && a.data && a.shape.length > 0
    ? a
    : null;
}

/** Numbers that list arithmetic may build in one document (each list, and all of them together). */
export const listBudget = 1_000_000;

/** Numbers built so far by list arithmetic, per document. */
const built = new WeakMap<object, number>();

const isTuple = (a: ArrayValue): boolean => a.site.constructorName === 'tuple';

/**
 * The value of `l op r` when it is list concatenation or repetition; null when it is not (the caller
 * evaluates it as before). A result beyond the literal limit is opaque, with the reason.
 */
export function listArithmetic(ev: Evaluation, node: NodeOf<'binary'>, l: Value, r: Value): Value | null {
  if (!ev.python) return jsObjectArithmetic(node.op, l, r);
  if (node.op !== '+' && node.op !== '*') return null;
  const a = plainList(l);
  const b = plainList(r);
  let data: Float64Array;
  let shape: number[];
  let integral: boolean;
  let tuple: boolean;
  if (node.op === '+') {
    if (!a || !b || isTuple(a) !== isTuple(b)) return null;
    // An empty list joins anything; otherwise the rows must have one shape, or the result is ragged.
    const [x, y] = a.data?.length === 0 ? [b, a] : [a, b];
    if (y.data?.length !== 0 && x.shape.slice(1).join() !== y.shape.slice(1).join()) return null;
    const total = (x.data as Float64Array).length + (y.data as Float64Array).length;
    if (!spend(ev, total)) return tooLarge(a, total, ev);
    data = new Float64Array(total);
    data.set(x.data as Float64Array);
    data.set(y.data as Float64Array, (x.data as Float64Array).length);
    shape = [x.shape[0] + (y.data?.length ? y.shape[0] : 0), ...x.shape.slice(1)];
    integral = a.site.integral && b.site.integral;
    tuple = isTuple(a);
  } else {
    const list = a ?? b;
    const times = a ? r : l;
    if (!list || (a && b) || times.kind !== 'number' || !times.integer || !Number.isInteger(times.value)) return null;
    // Python repeats a list 0 times for a negative count.
    const n = Math.max(0, times.value);
    const once = (list.data as Float64Array).length;
    const total = once * n;
    if (!spend(ev, total)) return tooLarge(list, total, ev);
    data = new Float64Array(total);
    for (let k = 0; k < n; k++) data.set(list.data as Float64Array, k * once);
    shape = [list.shape[0] * n, ...list.shape.slice(1)];
    integral = list.site.integral;
    tuple = isTuple(list);
  }
  const id = ev.ctx.addSite(
    { end: node.end, shape, data, integral, count: data.length, error: null, tuple },
    node.start,
    tuple ? 'tuple' : 'list',
  );
  return { kind: 'array', array: literalArray(ev, id) };
}

function limit(ev: Evaluation): number {
  return Math.min(ev.ctx.options.maxElements, listBudget);
}

/** Takes `count` numbers from the document's budget; false (nothing taken) when they do not fit. */
function spend(ev: Evaluation, count: number): boolean {
  const used = built.get(ev.ctx) ?? 0;
  if (count > limit(ev) || used + count > listBudget) return false;
  built.set(ev.ctx, used + count);
  return true;
}

function tooLarge(from: ArrayValue, count: number, ev: Evaluation): Value {
  return {
    kind: 'opaqueArray',
    from,
    why: `the list built here has ${count} elements; lists built by \`+\` and \`*\` are analysed up to ${limit(ev)} elements each and ${listBudget} in all`,
  };
}

const arithmetic = new Set(['+', '-', '*', '/', '%', '**']);

/**
 * JavaScript's arithmetic operators on an array or a tensor (not on one number read from it): `+` makes
 * a string, the others NaN (`labels * tf.log(p)`), never elementwise arithmetic (docs/detection.md 3.140).
 */
function jsObjectArithmetic(op: string, l: Value, r: Value): Value | null {
  if (!arithmetic.has(op)) return null;
  const whole = (v: Value): boolean => (v.kind === 'array' && v.array.shape.length > 0) || v.kind === 'opaqueArray';
  return whole(l) || whole(r) ? { kind: 'unknown', lossy: false } : null;
}
