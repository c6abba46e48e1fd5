/**
 * A loss computed inside an instance's call (`crit(x, y)` running a class's `forward`, methods.ts)
 * is reported at that call (context.ts `instanceCall`). That holds when the call returns the loss
 * (as it is, reduced, or inside a tuple or dict with other outputs). A `forward` that returns the loss
 * combined with other numbers (a focal factor `(1 - pt) ** gamma * ce`, `alpha * ce`, a sum with a
 * regulariser) returns something else: its call is not that loss, and the loss's number must not be
 * shown on it. The pairs recorded during the call are then unverified, with the reason
 * (docs/detection.md 3.170).
 */
import type { DetectionContext } from './context';
import type { ScalarExpr } from './scalars';
import type { Value } from './values';

/** True when `v` is one of the call's losses as it is, or reduced, or carried in a tuple or dict. */
function returnsLoss(v: Value, ids: Set<number>): boolean {
  switch (v.kind) {
    case 'loss':
      return ids.has(v.pair.id);
    case 'scalar':
      return v.expr !== null && plainLoss(v.expr, ids);
    case 'sequence':
      return v.items.some((item) => returnsLoss(item, ids));
    case 'dict':
      return [...v.entries.values()].some((item) => returnsLoss(item, ids));
    default:
      return false;
  }
}

function plainLoss(e: ScalarExpr, ids: Set<number>): boolean {
  return (e.op === 'loss' || e.op === 'reduce') && ids.has(e.pair);
}

/**
 * True when the call returns something known that is not its loss: arithmetic on the loss (known or
 * not), an array, a number. A value the replay could not read at all (not lossy) says nothing.
 */
function combined(v: Value): boolean {
  return !(v.kind === 'unknown' && !v.lossy);
}

/**
 * Called when an instance's call has run: the pairs from `first` on that are reported at the call
 * become unverified when the call returns their loss combined with other values.
 */
export function checkInstanceReturn(ctx: DetectionContext, first: number, callee: string, result: Value | null): void {
  const at = ctx.instanceCall;
  if (!at || !result) return;
  const ids = new Set<number>();
  for (let id = first; id < ctx.pairs.length; id++) {
    const call = ctx.pairs[id].call;
    if (call && call.start === at.start && call.end === at.end) ids.add(id);
  }
  if (ids.size === 0 || returnsLoss(result, ids) || !combined(result)) return;
  for (const id of ids) {
    const pair = ctx.pairs[id];
    if (pair.unverified === null && pair.error === null)
      pair.unverified = `\`${callee}\` returns its loss combined with other values, not the loss itself`;
  }
}
