/**
 * `[element for name in items]` over items known here (a literal list, a tuple, the rows of a
 * literal array): the list it builds, folded into an array when every element is a number or a
 * row of numbers of one length (`asarray([[1 - v, v] for v in p])`). Anything else is unknown.
 */
import { foldedRows } from './evalSteps';
import type { Evaluation } from './evaluation';
import type { Node, NodeOf } from './expr';
import type { Scopes } from './scope';
import { unknown, type Value } from './values';

/** Longest list a comprehension is evaluated for. */
const maxItems = 4096;

/** The values a `for` clause visits, or null when they are not known here. */
function loopItems(v: Value): Value[] | null {
  if (v.kind === 'sequence') return v.items;
  if (v.kind !== 'array' || v.array.container !== 'list' || v.array.shape.length !== 1) return null;
  const integer = v.array.site.integral;
  const data = v.array.data;
  return data ? Array.from(data, (x) => ({ kind: 'number', value: x, integer }) as Value) : null;
}

/**
 * Whether an element is plain arithmetic over names, numbers and lists. A call in it (a loss per
 * item, `[F.cross_entropy(z, k) for k in ks]`) is not evaluated once per item: no pair comes from a
 * loop variable.
 */
function arithmetic(n: Node, depth = 0): boolean {
  if (depth > 32) return false;
  switch (n.type) {
    case 'name':
    case 'number':
    case 'literal':
      return true;
    case 'unary':
      return arithmetic(n.operand, depth + 1);
    case 'binary':
      return arithmetic(n.left, depth + 1) && arithmetic(n.right, depth + 1);
    case 'sequence':
      return n.items.every((x) => arithmetic(x, depth + 1));
    case 'subscript':
      return arithmetic(n.object, depth + 1) && arithmetic(n.index, depth + 1);
    default:
      return false;
  }
}

export function comprehension(ev: Evaluation, scopes: Scopes, node: NodeOf<'comprehension'>): Value {
  if (!arithmetic(node.element)) return unknown;
  const items = loopItems(ev.evaluate(node.iter));
  if (!items || items.length === 0 || items.length > maxItems) return unknown;
  const depth = scopes.depth;
  scopes.push(Number.MAX_SAFE_INTEGER);
  // At the nesting limit the scope is not entered: the loop name would leak into the one below.
  if (scopes.depth === depth) {
    scopes.pop();
    return unknown;
  }
  try {
    const values = items.map((item) => {
      scopes.shadow(node.name, item);
      const e = node.element;
      // A row written per item (`[1 - v, v]`) is a list of numbers, not an array site of its own.
      return e.type === 'sequence' ? { kind: 'sequence', items: e.items.map((x) => ev.evaluate(x)) } : ev.evaluate(e);
    });
    return foldedRows(ev, node.start, node.end, values as Value[]) ?? unknown;
  } finally {
    scopes.pop();
  }
}
