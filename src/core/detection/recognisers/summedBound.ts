/**
 * A bound on a sum of absolute differences asserted against zero: Objax's and other array tests write
 * `self.assertAlmostEqual(jn.abs(e - gold).sum(), 0, delta=1e-6)` (also `np.sum(np.abs(e - gold))`,
 * `abs(e - gold).sum()`). The assertion holds when Σ|e − gold| ≤ δ; each element of `gold` is then
 * claimed as `e`'s value within δ. That is weaker than the assertion (several elements each off by
 * less than δ may still fail it together), so a claim read this way is never called wrong where the
 * assertion holds: it may only miss a failure spread over several elements.
 */
import type { Evaluation } from '../evaluation';
import type { Node } from '../expr';

/** What sums an array: `np.sum`, `jnp.sum`, `torch.sum`, and the `.sum()` method. */
const sums = new Set(['numpy.sum', 'jax.numpy.sum', 'torch.sum']);

/** The `x` of `x.sum()` or `np.sum(x)` (no axis, no keyword), else null. */
function summed(ev: Evaluation, node: Node): Node | null {
  if (node.type !== 'call' || node.keywords.length > 0) return null;
  const c = node.callee;
  if (node.args.length === 0 && c.type === 'attribute' && c.name === 'sum') return c.object;
  if (node.args.length !== 1) return null;
  const fn = ev.evaluate(c);
  return fn.kind === 'namespace' && sums.has(fn.path) ? node.args[0] : null;
}

/** A literal zero (`0`, `0.0`). */
function isZero(node: Node): boolean {
  return node.type === 'number' && node.value === 0;
}

/**
 * `(Σ|a − b|, 0)` in either order: the [a, b] whose elements the assertion bounds, else null.
 * `absoluteDifference` is the reader of `abs(a - b)` the other assertion forms use.
 */
export function summedAbsoluteDifference(
  ev: Evaluation,
  first: Node,
  second: Node,
  absoluteDifference: (ev: Evaluation, node: Node) => [Node, Node] | null,
): [Node, Node] | null {
  const [sum, zero] = isZero(second) ? [first, second] : [second, first];
  if (!isZero(zero)) return null;
  const inner = summed(ev, sum);
  return inner ? absoluteDifference(ev, inner) : null;
}
