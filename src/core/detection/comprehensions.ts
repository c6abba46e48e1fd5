/**
 * `[element for name in items]` (or `… if cond`, or a generator given to `sum(…)`) over items
 * known here (a literal list, a tuple, `range(n)`, the rows of a literal array): the list it
 * builds, folded into an array when every element is a number or a row of numbers of one length
 * (`asarray([[1 - v, v] for v in p])`). Elements that are steps of a hand-written cross-entropy
 * (`p[i] * log2(q[i])`: terms.ts) keep what they are, so `-sum([...])` is recognised as the loss
 * it computes. Anything else is unknown.
 */
import { bindItem, userCall } from './comprehensionCalls';
import { foldedRows } from './evalSteps';
import type { Evaluation } from './evaluation';
import type { Node, NodeOf } from './expr';
import { raggedItems } from './literalItems';
import { callFunction } from './replay';
import type { Scopes } from './scope';
import { getItem } from './tensorIndex';
import { computed, kindOf } from './tensorMath';
import { isElementwiseFunction } from './tensorCalls';
import type { Term } from './terms';
import { unknown, type ArrayValue, type Value } from './values';

/** Longest list a comprehension is evaluated for. */
const maxItems = 4096;

/**
 * The values a `for` clause visits, or null when they are not known here. The items of a list are
 * its numbers, or with `elements` each still an element of the list (`math.exp(v) for v in row`: the
 * exps of that row, as a formula step).
 */
function loopItems(v: Value, elements: boolean): Value[] | null {
  if (v.kind === 'sequence') return v.items;
  if (v.kind !== 'array' || v.array.container !== 'list' || v.array.shape.length !== 1) return null;
  const integer = v.array.site.integral;
  const data = v.array.data;
  if (!data) return null;
  return Array.from(data, (x, k): Value => {
    const item = elements ? getItem(v.array, [{ k: 'int', value: k, op: null }]) : null;
    return item ? { kind: 'array', array: item } : { kind: 'number', value: x, integer };
  });
}

/**
 * Whether an element is plain arithmetic over names, numbers and lists, and elementwise math
 * functions (`math.log2(q[i])`: pure, one number in, one out). Any other call in it (a loss per
 * item, `[F.cross_entropy(z, k) for k in ks]`) is not evaluated once per item: no pair comes from
 * a loop variable.
 */
function arithmetic(ev: Evaluation, n: Node, depth = 0): boolean {
  if (depth > 32) return false;
  switch (n.type) {
    case 'call': {
      if (n.args.length !== 1 || n.keywords.length || (n.callee.type !== 'name' && n.callee.type !== 'attribute'))
        return false;
      const fn = ev.evaluate(n.callee);
      return fn.kind === 'namespace' && isElementwiseFunction(fn.path) && arithmetic(ev, n.args[0], depth + 1);
    }
    case 'name':
    case 'number':
    case 'literal':
      return true;
    case 'unary':
      return arithmetic(ev, n.operand, depth + 1);
    case 'binary':
      return arithmetic(ev, n.left, depth + 1) && arithmetic(ev, n.right, depth + 1);
    case 'sequence':
      return n.items.every((x) => arithmetic(ev, x, depth + 1));
    case 'subscript':
      return arithmetic(ev, n.object, depth + 1) && arithmetic(ev, n.index, depth + 1);
    default:
      return false;
  }
}

/** Python truthiness of a filter's value; null when it is not known here. */
function truth(v: Value): boolean | null {
  if (v.kind === 'number') return v.value !== 0;
  if (v.kind === 'array' && v.array.data?.length === 1 && v.array.shape.length === 0) return v.array.data[0] !== 0;
  return null;
}

/**
 * The 1-D list of one-element values that are cross-entropy steps (`p[i] * log2(q[i])`), keeping
 * their terms; null when none is one, or an element is not a single number.
 */
function termedList(values: Value[]): Value | null {
  const arrays: ArrayValue[] = [];
  for (const v of values) {
    if (v.kind !== 'array' || v.array.shape.length !== 0 || v.array.data?.length !== 1) return null;
    arrays.push(v.array);
  }
  if (!arrays.some((a) => a.terms)) return null;
  const terms: (Term | null)[] = arrays.map((a) => a.terms?.[0] ?? null);
  const data = Float64Array.from(arrays, (a) => (a.data as Float64Array)[0]);
  const kind = arrays.every((a) => kindOf(a) === 'int') ? 'int' : 'float64';
  const out = computed(arrays[0], data, [arrays.length], 'list', kind, terms);
  return { kind: 'array', array: { ...out, container: 'list' } };
}

/** Array constructors that make one array of each item (`[np.array(v) for v in rows]`). */
const converters = new Set(['numpy.array', 'numpy.asarray', 'torch.tensor', 'torch.as_tensor']);

/**
 * `[np.array(v) for v in ([3.0, 1.0], [0.5, 0.2, 0.1])]`: a list of arrays, one per item, the items
 * of lists of different lengths included (read apart: literalItems.ts); null when it is not that.
 */
function converted(ev: Evaluation, scopes: Scopes, node: NodeOf<'comprehension'>): Value | null {
  const e = node.element;
  if (node.cond || e.type !== 'call' || e.args.length !== 1 || e.keywords.length) return null;
  const arg = e.args[0];
  if (arg.type !== 'name' || node.names.length !== 1 || arg.id !== node.names[0]) return null;
  const fn = ev.evaluate(e.callee);
  if (fn.kind !== 'namespace' || !converters.has(fn.path)) return null;
  const iter = ev.evaluate(node.iter);
  const items = iter.kind === 'sequence' ? iter.items : raggedItems(ev, iter, maxConverted);
  if (!items || items.length === 0 || items.length > maxConverted) return null;
  return inOwnScope(scopes, () => {
    const values: Value[] = [];
    for (const item of items) {
      if (item.kind !== 'array' && item.kind !== 'sequence') return null;
      scopes.shadow(node.names[0], item);
      const v = ev.evaluate(e);
      if (v.kind !== 'array') return null;
      values.push(v);
    }
    return { kind: 'sequence', items: values };
  });
}

/**
 * `run` inside a scope of the comprehension's own, where its loop name is shadowed; null without
 * running it at the nesting limit, where the scope is not entered and the loop name would leak
 * into the one below.
 */
function inOwnScope(scopes: Scopes, run: () => Value | null): Value | null {
  const depth = scopes.depth;
  scopes.push(Number.MAX_SAFE_INTEGER);
  if (scopes.depth === depth) {
    scopes.pop();
    return null;
  }
  try {
    return run();
  } finally {
    scopes.pop();
  }
}

/** Items a comprehension calls the code's own function for, at most (each call a followed replay). */
const maxCalls = 256;

/** Items converted one by one at most. */
const maxConverted = 64;

export function comprehension(ev: Evaluation, scopes: Scopes, node: NodeOf<'comprehension'>): Value {
  const conversion = converted(ev, scopes, node);
  if (conversion) return conversion;
  const own = userCall(ev, node.element);
  if ((!own && !arithmetic(ev, node.element)) || (node.cond && !arithmetic(ev, node.cond))) return unknown;
  const iter = ev.evaluate(node.iter);
  // Over a list's elements first: a list of formula steps is kept only when some element is one;
  // otherwise the list is built again from its plain numbers (rows such as `[1 - v, v]`).
  const steps = iter.kind === 'array' ? built(ev, scopes, node, loopItems(iter, true), true) : null;
  return steps ?? built(ev, scopes, node, loopItems(iter, false), false) ?? unknown;
}

/** The list a comprehension builds from `items`; with `termsOnly`, only a list of formula steps. */
function built(
  ev: Evaluation,
  scopes: Scopes,
  node: NodeOf<'comprehension'>,
  items: Value[] | null,
  termsOnly: boolean,
): Value | null {
  if (!items || items.length === 0 || items.length > maxItems) return null;
  return inOwnScope(scopes, () => {
    const values: Value[] = [];
    const own = userCall(ev, node.element);
    if (own && items.length > maxCalls) return null;
    for (const item of items) {
      if (!bindItem(scopes, node.names, item)) return null;
      if (node.cond) {
        const keep = truth(ev.evaluate(node.cond));
        if (keep === null) return null;
        if (!keep) continue;
      }
      const e = node.element;
      if (own) {
        // The code's own function, run once per item: what it returns, never a pair at its call.
        const v = callFunction(ev, scopes, own.record, own.call);
        if (v.kind === 'unknown') return null;
        values.push(v);
        continue;
      }
      // A row written per item (`[1 - v, v]`) is a list of numbers, not an array site of its own.
      values.push(
        e.type === 'sequence' ? { kind: 'sequence', items: e.items.map((x) => ev.evaluate(x)) } : ev.evaluate(e),
      );
    }
    if (values.length === 0) return null;
    const steps = termedList(values);
    if (termsOnly) return steps;
    return steps ?? foldedRows(ev, node.start, node.end, values);
  });
}
