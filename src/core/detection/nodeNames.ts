/**
 * The names an expression reads, walked over the nodes directly inside each node: the module-level
 * loop's checks (loops.ts) and the reason a loss inside such a loop's body has no number on its
 * first reading (recognisers/common.ts).
 */
import type { Node } from './expr';

/** Nodes walked inside one another at most (deeper: not walked). */
const maxDepth = 200;

/** The expressions directly inside `node` (a lambda's or comprehension's own names included). */
export function children(node: Node): readonly (Node | null)[] {
  switch (node.type) {
    case 'attribute':
      return [node.object];
    case 'call':
      return [
        node.callee,
        ...node.args,
        ...node.keywords.map((k) => k.value),
        ...(node.stars ?? []).map((s) => s.value),
      ];
    case 'subscript':
      return [node.object, node.index];
    case 'slice':
      return [node.lower, node.upper, node.step];
    case 'binary':
      return [node.left, node.right];
    case 'unary':
      return [node.operand];
    case 'sequence':
      return node.items;
    case 'dict':
      return node.entries.map((e) => e.value);
    case 'comprehension':
      return [node.element, node.iter, node.cond];
    case 'conditional':
      return [node.body, node.test, node.orelse];
    case 'lambda':
      return [node.body];
    default:
      return [];
  }
}

/** Every name read by `node` (a lambda's or comprehension's own names included: more, never fewer). */
export function readNames(node: Node | null, out: Set<string>, depth = 0): void {
  if (!node || depth > maxDepth) return;
  if (node.type === 'name') out.add(node.id);
  for (const c of children(node)) readNames(c, out, depth + 1);
}

/** Methods that change the object they are called on (lists, dicts, sets, arrays; torch's `x.add_(…)`). */
export const mutators = new Set([
  'append',
  'extend',
  'insert',
  'pop',
  'remove',
  'clear',
  'sort',
  'reverse',
  'update',
  'setdefault',
  'popitem',
  'add',
  'discard',
  'fill',
  'resize',
  'put',
  'itemset',
]);

/** The objects calls in `node` change in place (`rows.append(…)`, `w.sub_(…)`): their root names, into `out`. */
export function mutated(node: Node | null, out: Set<string>, depth = 0): void {
  if (!node || depth > 200) return;
  if (node.type === 'call') {
    const c = node.callee;
    if (c.type === 'attribute' && (mutators.has(c.name) || /^[a-z]\w*_$/.test(c.name))) {
      const root = rootName(c.object);
      if (root) out.add(root);
    }
  }
  for (const c of children(node)) mutated(c, out, depth + 1);
}

export function rootName(node: Node): string | null {
  let n = node;
  while (n.type === 'attribute' || n.type === 'subscript') n = n.object;
  return n.type === 'name' ? n.id : null;
}
