/**
 * A class-weighted sum of torch's per-element losses divided by the sum of the weights its targets pick
 * (docs/detection.md 3.424): `loss = nn.CrossEntropyLoss(weight=w, reduction='none')(x, y)` then
 * `loss.sum() / w[y].sum()`, the mean torch's `reduction='mean'` gives, written out. The pair made for
 * the sum becomes that mean, placed on the division; its number is the analysis's (computePairs.ts):
 * the losses summed in torch's order, divided by the code's own divisor in the loss's dtype. A divisor
 * that is not Σ w[y] (over the targets not ignored) makes nothing here.
 */
import type { Evaluation } from './evaluation';
import type { NodeOf } from './expr';
import { zeroDimNumber, type Value } from './values';

/** `losses.sum() / w[y].sum()` of a weighted loss: its weighted mean, when the divisor is Σ w[y]. */
export function weightDivision(ev: Evaluation, node: NodeOf<'binary'>, l: Value, r: Value): Value | null {
  if (!ev.python || l.kind !== 'loss' || l.rounded !== undefined || l.pair.reduction !== 'sum') return null;
  const base = ev.ctx.inputOf(l.pair.id);
  const from = base?.reducedFrom;
  const w = base?.options.weight?.data;
  if (!base?.call || !from || !w || from.how !== 'sum' || from.divisor !== undefined) return null;
  if (from.keep || from.scale || from.rows || base.library || base.call.start !== node.left.start) return null;
  if (base.call.end !== node.left.end) return null;
  const t = base.target.data;
  const d = zeroDimNumber(r);
  if (!t || d === null || !(d > 0) || base.target.shape.length !== base.input.shape.length - 1) return null;
  const ignore = base.options.ignoreIndex ?? -100;
  const round = l.pair.dtype === 'float32' ? Math.fround : (x: number): number => x;
  let total = 0;
  for (const c of t) {
    if (c === ignore) continue;
    if (!Number.isInteger(c) || c < 0 || c >= w.length) return null;
    total += round(w[c]);
  }
  if (Math.abs(total - d) > 1e-6 * total) return null;
  ev.ctx.rebuildPair(l.pair, {
    ...base,
    options: { ...base.options, reduction: 'mean' },
    call: ev.ctx.lossCallAt(base.call.kind, node.start, node.end, base.call.callee ?? null),
    reducedFrom: { ...from, how: 'mean', divisor: d },
  });
  return { kind: 'loss', pair: l.pair };
}
