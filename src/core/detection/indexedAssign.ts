/**
 * Assignments to an element of an array the code holds (`out[i] = v`, `w[0][1] = 2.0`, `g[idx, y] -= 1`),
 * read by the replay (replay.ts) and by the statement reader (statements.ts): the array written to, as the
 * library writes it, or the names holding it marked changed when the assignment is not modelled.
 */
import { applyChanges, carryFresh } from './changes';
import type { Evaluation } from './evaluation';
import type { Node } from './expr';
import type { Scopes } from './scope';
import { indexPart, setItem, type IndexPart } from './tensorIndex';
import { kindOf, libOf } from './tensorMath';
import { isLossy, type Value } from './values';

/**
 * `name[index] = value` on an array bound to `name`: rebinds the name to the updated array.
 * False when the assignment is not modelled (the name is then bound to nothing known).
 */
export function assignIndexed(ev: Evaluation, scopes: Scopes, target: Node, value: Value): boolean {
  const flat = chainedItem(ev, scopes, target);
  if (flat) return assignIndexed(ev, scopes, flat, value);
  if (target.type !== 'subscript' || target.object.type !== 'name') return false;
  const name = target.object.id;
  const old = scopes.lookup(name);
  // `cfg["eps"] = 0.3`, `z[0] = 3.0` on a dict or list: the object changes, under every name holding it.
  const changed = (): void =>
    applyChanges(ev, scopes, target, { names: [name], deep: [false], before: [old], attributes: [], all: false });
  if (!old || old.kind !== 'array') {
    if (old) changed();
    return false;
  }
  if (old.array.gradLeaf) {
    // torch raises here: "a leaf Variable that requires grad is being used in an in-place operation".
    changed();
    scopes.shadow(name, {
      kind: 'opaqueArray',
      from: old.array,
      why: 'torch refuses to change in place a leaf tensor that requires grad (requires_grad=True), so this code raises',
    });
    return false;
  }
  const index = ev.evaluate(target.index);
  const tuple = target.index.type === 'sequence' && target.index.kind === 'tuple';
  const parts = tuple && index.kind === 'sequence' ? index.items.map(indexPart) : [indexPart(index)];
  let updated = null;
  if (parts.every((p) => p !== null)) {
    if (value.kind === 'number')
      updated = setItem(old.array, parts as IndexPart[], { num: value.value, integer: value.integer });
    else if (value.kind === 'array') updated = setItem(old.array, parts as IndexPart[], value.array);
  }
  if (!updated) {
    changed();
    scopes.shadow(
      name,
      carryFresh(
        old,
        isLossy(value)
          ? { kind: 'unknown', lossy: true }
          : { kind: 'opaqueArray', from: old.array, why: 'an indexed assignment to it is not modelled' },
      ),
    );
    return false;
  }
  // Other names holding the same array (`w2 = w`, a followed function's parameter) no longer hold what was written.
  changed();
  scopes.shadow(name, carryFresh(old, { kind: 'array', array: { ...updated, name } }));
  return true;
}

/**
 * `w[0][1] = 2.0` on a torch tensor or an ndarray: `w[0]` is a view of row 0, so the assignment is
 * `w[0, 1] = 2.0`. Only an integer first index is read so (a slice or an index array first makes a
 * different selection, or a copy); a list of lists is left to the caller (its rows may be one list).
 */
function chainedItem(ev: Evaluation, scopes: Scopes, target: Node): Node | null {
  if (target.type !== 'subscript' || target.object.type !== 'subscript' || target.object.object.type !== 'name')
    return null;
  const old = scopes.lookup(target.object.object.id);
  if (old?.kind !== 'array' || (libOf(old.array) !== 'torch' && libOf(old.array) !== 'numpy')) return null;
  const outer = ev.evaluate(target.object.index);
  if (outer.kind !== 'number' || !Number.isInteger(outer.value)) return null;
  if (target.index.type === 'sequence' && target.index.kind === 'tuple') return null;
  const items = [target.object.index, target.index];
  const index: Node = { type: 'sequence', kind: 'tuple', items, start: items[0].start, end: items[1].end };
  return { type: 'subscript', object: target.object.object, index, start: target.start, end: target.end };
}

/**
 * `name[index] op= value` (`g[np.arange(n), y] -= 1`, `q[0] += eps`) on a float numpy array bound to
 * `name`: the elements read, combined and written back, as numpy does (a repeated index is changed
 * once). False when it is not that (an integer array, whose in-place float arithmetic numpy refuses or
 * truncates; a torch tensor, which raises when it is a leaf that requires grad; another target or
 * operator): the caller then treats the array as changed, not known.
 */
export function augmentedItem(ev: Evaluation, scopes: Scopes, target: Node, op: string, right: Node): boolean {
  if (target.type !== 'subscript' || target.object.type !== 'name' || !'+-*/'.includes(op) || op.length !== 1)
    return false;
  const old = scopes.lookup(target.object.id);
  // numpy only: torch raises on a leaf that requires grad, which is not tracked here.
  if (old?.kind !== 'array' || kindOf(old.array) === 'int' || libOf(old.array) !== 'numpy') return false;
  const node: Node = { type: 'binary', op, left: target, right, start: target.start, end: right.end };
  const value = ev.evaluate(node);
  if (value.kind !== 'number' && value.kind !== 'array') return false;
  return assignIndexed(ev, scopes, target, value);
}
