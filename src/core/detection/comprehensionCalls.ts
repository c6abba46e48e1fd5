/**
 * A comprehension over the code's own function (`[bce(y, p) for y, p in zip(ys, ps)]`): the
 * element is one call of a function defined in the file, with arguments of plain arithmetic over
 * the loop names; comprehensions.ts runs it once per item (replay.ts), as a `for` loop calling it
 * would, and keeps what each call returns (a sample's loss term, so `np.mean(...)` of the list is
 * the reduced loss it computes). Items bind a tuple of names by unpacking, as Python does.
 */
import type { CallNode, Evaluation } from './evaluation';
import type { Node } from './expr';
import type { FunctionRecord } from './functions';
import type { Scopes } from './scope';
import type { Value } from './values';

/** Plain operands of a call to the code's own function: names, numbers, subscripts, arithmetic. */
function plainArgument(n: Node, depth = 0): boolean {
  if (depth > 16) return false;
  switch (n.type) {
    case 'name':
    case 'number':
      return true;
    case 'unary':
      return plainArgument(n.operand, depth + 1);
    case 'binary':
      return plainArgument(n.left, depth + 1) && plainArgument(n.right, depth + 1);
    case 'subscript':
      return plainArgument(n.object, depth + 1) && plainArgument(n.index, depth + 1);
    default:
      return false;
  }
}

/** The element as one call of a function defined in the file, or null when it is not that. */
export function userCall(ev: Evaluation, e: Node): { record: FunctionRecord; call: CallNode } | null {
  if (e.type !== 'call' || e.callee.type !== 'name') return null;
  if (!e.args.every((a) => plainArgument(a)) || !e.keywords.every((k) => plainArgument(k.value))) return null;
  const fn = ev.evaluate(e.callee);
  return fn.kind === 'function' && !fn.record.instance ? { record: fn.record, call: e } : null;
}

/** Binds the loop's names to one item (a tuple unpacked into as many names); false when it cannot. */
export function bindItem(scopes: Scopes, names: string[], item: Value): boolean {
  if (names.length === 1) {
    scopes.shadow(names[0], item);
    return true;
  }
  if (item.kind !== 'sequence' || item.items.length !== names.length) return false;
  names.forEach((name, k) => scopes.shadow(name, item.items[k]));
  return true;
}
