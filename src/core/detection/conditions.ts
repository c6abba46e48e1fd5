/**
 * Conditions decided from values known here: Python's conditional expression (`a if c else b`),
 * the test of an `if` in a followed function or a module-level loop (replay.ts), and the
 * comparisons they are made of that the arithmetic does not give (`x is None`, `mode == "sum"`,
 * `k in ("mean", "sum")`). A condition is decided only from what the file makes known: literal
 * numbers and strings, names bound to them, `None` (written, or bound to a name or a parameter's
 * default); anything else leaves it undecided, and what depends on it gets no number. Never a guess.
 */
import type { Evaluation } from './evaluation';
import type { Node, NodeOf } from './expr';
import type { Value } from './values';

/** Python's `None`: not a number, a string or an array, but known. */
export const noneValue: Value = { kind: 'unknown', lossy: false, none: true };

/** Nested `and` / `or` / `not` read at most (deeper: undecided). */
const maxDepth = 32;

/** Is `v` Python's None (true), a value known not to be None (false), or not known (null)? */
function isNone(v: Value): boolean | null {
  switch (v.kind) {
    case 'unknown':
      return v.none ? true : null;
    case 'number':
    case 'string':
    case 'sequence':
    case 'dict':
    case 'array':
    case 'opaqueArray':
    case 'criterion':
    case 'function':
    case 'loss':
      return false;
    default:
      return null;
  }
}

/** Python's equality of two known plain values (numbers and strings); null when not decided here. */
function equal(a: Value, b: Value): boolean | null {
  if (a.kind === 'string' && b.kind === 'string') return a.value === b.value;
  if ((a.kind === 'string' && b.kind === 'number') || (a.kind === 'number' && b.kind === 'string')) return false;
  if (a.kind === 'number' && b.kind === 'number' && !a.fromArray && !b.fromArray) return a.value === b.value;
  return null;
}

/** Python truthiness of a known value (a number, a string, a list or tuple, a dict, None, a 0-d array); null otherwise. */
export function truth(v: Value): boolean | null {
  if (v.kind === 'number') return v.value !== 0;
  if (v.kind === 'string') return v.value.length > 0;
  if (v.kind === 'sequence') return v.items.length > 0;
  if (v.kind === 'dict') return v.entries.size > 0;
  if (v.kind === 'unknown' && v.none) return false;
  // A 0-d array (`y == 1` of a label read from an array): its one element, as numpy's bool() reads it.
  if (v.kind === 'array' && v.array.shape.length === 0 && v.array.data?.length === 1) return v.array.data[0] !== 0;
  return null;
}

const bool = (b: boolean): Value => ({ kind: 'number', value: b ? 1 : 0, integer: true });

/**
 * `l op r` for the comparisons the arithmetic leaves out: `is` / `is not` against None, `==` / `!=`
 * of strings (or a string and a number), `in` / `not in` of a string or number in a list or tuple
 * written in place, of a string in a string, of a key a dict is known to hold. Python's bool as a
 * number; null when not decided here.
 */
export function comparedKnown(op: string, l: Value, r: Value, rightNode?: Node): Value | null {
  if (op === 'is' || op === 'is not') {
    const [a, b] = [isNone(l), isNone(r)];
    // Identity is decided only against None: None is None, and a known value is not None.
    if (a === null || b === null || (!a && !b)) return null;
    return bool((a === b) === (op === 'is'));
  }
  if (op === '==' || op === '!=') {
    if (l.kind === 'number' && r.kind === 'number') return null; // the arithmetic's own comparison
    const e = equal(l, r);
    return e === null ? null : bool(e === (op === '=='));
  }
  if (op === 'in' || op === 'not in') {
    let found: boolean | null = null;
    if (r.kind === 'string' && l.kind === 'string') found = r.value.includes(l.value);
    // A key read here is in the dict; one not read may have been set where this reading does not
    // follow (`d[k] = v` in a branch), so its absence is not decided.
    else if (r.kind === 'dict' && l.kind === 'string') found = r.entries.has(l.value) || null;
    // Only a list or tuple written in place (`k in ("mean", "sum")`): one bound to a name may have
    // been added to since.
    else if (r.kind === 'sequence' && rightNode?.type === 'sequence') {
      found = false;
      for (const item of r.items) {
        const e = equal(l, item);
        if (e === null) return null;
        if (e) found = true;
      }
    }
    return found === null ? null : bool(found === (op === 'in'));
  }
  return null;
}

/** The truth of the condition `node`, with `and` / `or` / `not` read as Python short-circuits them; null when not decided. */
export function decided(ev: Evaluation, node: Node, depth = 0): boolean | null {
  if (depth > maxDepth) return null;
  if (node.type === 'unary' && node.op === 'not') {
    const c = decided(ev, node.operand, depth + 1);
    return c === null ? null : !c;
  }
  if (node.type === 'binary' && (node.op === 'and' || node.op === 'or')) {
    const l = decided(ev, node.left, depth + 1);
    // The right operand is evaluated only when Python evaluates it.
    if (l === null) return null;
    if (l === (node.op === 'or')) return l;
    return decided(ev, node.right, depth + 1);
  }
  if (node.type === 'binary' && (node.op === '==' || node.op === '!=')) {
    const e = scalarEqual(ev, node.left, node.right);
    if (e !== null) return e === (node.op === '==');
  }
  return truth(ev.evaluate(node));
}

/** The one number of a plain operand (a number, or a name or item holding one element); null otherwise. */
function scalarOf(ev: Evaluation, n: Node): number | null {
  if (n.type === 'number') return n.value;
  if (n.type !== 'name' && n.type !== 'subscript') return null;
  const v = ev.evaluate(n);
  if (v.kind === 'number') return v.value;
  const a = v.kind === 'array' ? v.array : v.kind === 'opaqueArray' ? v.from : null;
  return a && a.shape.length === 0 && a.data?.length === 1 ? a.data[0] : null;
}

/** `y == 1` with y one element of an array known here (numpy's 0-d comparison); null when not that. */
function scalarEqual(ev: Evaluation, l: Node, r: Node): boolean | null {
  if (l.type !== 'number' && r.type !== 'number') return null;
  const [a, b] = [scalarOf(ev, l), scalarOf(ev, r)];
  return a === null || b === null ? null : a === b;
}

/** `body if test else orelse`: the branch the test selects, evaluated alone; unknown when the test is not decided. */
export function conditionalValue(ev: Evaluation, node: NodeOf<'conditional'>): Value {
  const c = decided(ev, node.test);
  if (c === null)
    return { kind: 'unknown', lossy: false, why: 'a conditional expression tests a value not known here' };
  return ev.evaluate(c ? node.body : node.orelse);
}
