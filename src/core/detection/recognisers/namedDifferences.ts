/**
 * A difference assigned to a name and bounded later (docs/detection.md 3.149): `diff = out.numpy() -
 * expected` then `assert np.all(abs(diff) < tol)`. The assertion reads as `abs(out.numpy() - expected)
 * < tol` would, only while nothing it names has changed: the name still holds the difference, and its
 * operands, evaluated again where the assertion stands, are the very values they were when it was
 * assigned (a loss recomputed or a name bound again in between reads nothing).
 */
import type { DetectionContext } from '../context';
import type { Evaluation } from '../evaluation';
import type { Node, NodeOf } from '../expr';
import type { Value } from '../values';

interface Difference {
  node: NodeOf<'binary'>;
  value: Value;
  left: Value;
  right: Value;
}

const byContext = new WeakMap<DetectionContext, Map<string, Difference>>();
/** Names remembered per file (a hostile file may assign thousands). */
const maxNames = 256;

/** Operands read without running anything: names, attributes, and calls without arguments (`.numpy()`). */
function plain(node: Node, depth = 0): boolean {
  if (depth > 8) return false;
  if (node.type === 'name') return true;
  if (node.type === 'attribute') return plain(node.object, depth + 1);
  if (node.type === 'call')
    return node.args.length === 0 && node.keywords.length === 0 && plain(node.callee, depth + 1);
  return false;
}

/** Each assignment of a Python name: `name = a - b` with plain operands is remembered, anything else forgets it. */
export function noteAssignment(ev: Evaluation, name: string, value: Value, node: Node): void {
  let map = byContext.get(ev.ctx);
  if (node.type !== 'binary' || node.op !== '-' || !plain(node.left) || !plain(node.right)) {
    map?.delete(name);
    return;
  }
  const left = ev.evaluate(node.left);
  const right = ev.evaluate(node.right);
  const lossy = (v: Value) => v.kind === 'loss' || v.kind === 'scalar';
  if (!lossy(left) && !lossy(right)) {
    map?.delete(name);
    return;
  }
  if (!map) byContext.set(ev.ctx, (map = new Map()));
  if (map.size >= maxNames && !map.has(name)) return;
  map.set(name, { node, value, left, right });
}

/** The `a - b` a name was assigned, when the name and both operands still hold what they held then. */
export function namedDifference(ev: Evaluation, node: Node): NodeOf<'binary'> | null {
  if (node.type !== 'name') return null;
  const d = byContext.get(ev.ctx)?.get(node.id);
  if (!d || ev.evaluate(node) !== d.value) return null;
  return same(ev.evaluate(d.node.left), d.left) && same(ev.evaluate(d.node.right), d.right) ? d.node : null;
}

/**
 * The same value again: the same object (a loss, a name's binding), or an array read afresh from the
 * same written literal with the same numbers (a list evaluates to a new array each time it is read),
 * or the same number.
 */
function same(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a.kind === 'number' && b.kind === 'number') return a.value === b.value;
  if (a.kind !== 'array' || b.kind !== 'array' || a.array.site !== b.array.site) return false;
  const x = a.array.data;
  const y = b.array.data;
  if (!x || !y || x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  return true;
}
