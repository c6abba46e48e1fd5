/**
 * Masked reductions of torch's per-element losses (docs/detection.md 3.350): a loss computed with
 * `reduction='none'` and held by a name, then reduced over a mask as sequence models do with padded
 * or prompt tokens: `losses[mask].mean()`, `torch.masked_select(losses, mask).mean()`,
 * `(losses * mask).sum() / mask.sum()` (also `.clamp(min=1)` / `.clamp_min(1)` of the count),
 * `losses.masked_fill(~mask, 0).sum() / mask.sum()`. The reduced value is a loss of its own on the
 * reducing line; its number is the analysis's (computePairs.ts): the kept elements (or every element
 * times its 0 or 1) summed in torch's order, then divided by the count the code divides by.
 *
 * The mask is a boolean mask of the losses' shape (maskPicks.ts: `labels != -100`, `~mask`,
 * `attention.bool()`) or a torch tensor of 0s and 1s of that shape whose dtype does not widen the
 * losses' (`mask.float()`, `torch.tensor([1., 1., 0.])`). A mask read from random numbers, a model or
 * a file has no bits, so nothing is made; nor for a weight that is not 0 or 1, a mask of another
 * shape (torch broadcasts or raises), a divisor that is not a whole positive count, another library's
 * vector, or a loss whose dtype the divisor would widen.
 */
import { argumentValue, type CallNode, type Evaluation } from './evaluation';
import type { Node, NodeOf } from './expr';
import { maskFlats, maskPartOf } from './maskPicks';
import type { PairInput } from './pairInput';
import { materialise } from './tensorIndex';
import { kindOf, libOf } from './tensorMath';
import type { ReducedFrom } from './types';
import { weightDivision } from './weightedSums';
import type { MaskedVector, PairRef, Value, ValueOf } from './values';

const same = (a: number[], b: number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** The shape of the per-element losses of torch's pair `base`; null when it is not read here. */
function lossShape(base: PairInput): number[] | null {
  const i = base.input.shape;
  const t = base.target.shape;
  // The BCE family: one loss per element of input and target alike.
  if (base.library) return same(i, t) ? i.slice() : null;
  if (t.length === i.length - 1) return t.slice();
  if (t.length === i.length) return i.length >= 2 ? i.filter((_, k) => k !== 1) : [];
  return null;
}

/** The pair and the shape of the per-element losses `v` holds, when a mask may pick from them here. */
function vectorOf(ev: Evaluation, v0: Value): { ref: PairRef; base: PairInput; shape: number[] } | null {
  // `losses.view(B, T)`: the same vector under another shape.
  const viewed = v0.kind === 'unknown' && v0.masked?.shape && !v0.masked.keep && !v0.masked.scale ? v0.masked : null;
  const v: Value = viewed ? { kind: 'loss', pair: viewed.pair } : v0;
  if (!ev.python || v.kind !== 'loss' || v.pair.reduction !== 'none' || v.rounded !== undefined) return null;
  const base = ev.ctx.inputOf(v.pair.id);
  if (!base?.call || base.unverified !== undefined || base.reducedFrom || base.library?.error) return null;
  const torchOwn = base.library ? base.library.name === 'torch' : !base.formula && base.recogniser.startsWith('torch.');
  const shape = torchOwn ? lossShape(base) : null;
  if (!shape) return null;
  return { ref: v.pair, base, shape: viewed?.shape && size(viewed.shape) === size(shape) ? viewed.shape : shape };
}

const size = (shape: number[]): number => shape.reduce((p, x) => p * x, 1);

/**
 * `losses.view(B, T)`, `.reshape(targets.shape)`, `.view_as(mask)`, `.reshape_as(mask)`: the losses
 * under the shape given (a -1 inferred), so a mask of that shape applies; null for another size.
 */
function viewedLosses(ev: Evaluation, receiver: Value, name: string, node: CallNode): Value | null {
  const vec = vectorOf(ev, receiver);
  if (!vec || node.keywords.length || !node.args.length) return null;
  const args = node.args.map((a) => ev.evaluate(a));
  let dims: number[] | null = null;
  if (name === 'view_as' || name === 'reshape_as')
    dims = args.length === 1 && args[0].kind === 'array' ? args[0].array.shape.slice() : null;
  else {
    const items = args.length === 1 && args[0].kind === 'sequence' ? args[0].items : args;
    const ints = items.map((x) => (x.kind === 'number' && Number.isInteger(x.value) ? x.value : NaN));
    const known = size(ints.filter((x) => x !== -1));
    const n = size(vec.shape);
    if (ints.every((x) => Number.isInteger(x) && x >= -1) && ints.filter((x) => x === -1).length <= 1 && known > 0)
      dims = ints.map((x) => (x === -1 ? n / known : x));
  }
  if (!dims || dims.some((d) => !Number.isInteger(d)) || size(dims) !== size(vec.shape)) return null;
  return {
    kind: 'unknown',
    lossy: true,
    why: 'per-element losses under another shape',
    masked: { pair: vec.ref, keep: null, scale: null, shape: dims },
  };
}

/** The 0s and 1s of a mask of `shape` as multipliers of losses of `dtype`; null otherwise. */
function multipliers(m: Value, shape: number[], ref: PairRef): number[] | null {
  if (m.kind !== 'array') return null;
  const part = maskPartOf(m.array);
  if (part) return same(part.shape, shape) ? Array.from(part.bits) : null;
  const a = materialise(m.array);
  if (libOf(a) !== 'torch' || !a.data || a.transform !== null || a.terms || !same(a.shape, shape)) return null;
  const kind = kindOf(a);
  // torch's float32 losses times a float64 tensor are float64: another sum than the code's losses.
  if (kind === 'float64' && ref.dtype !== 'float64') return null;
  return a.data.every((x) => x === 0 || x === 1) ? Array.from(a.data) : null;
}

function masked(ref: PairRef, keep: number[] | null, scale: number[] | null): Value {
  return { kind: 'unknown', lossy: true, why: 'masked per-element losses', masked: { pair: ref, keep, scale } };
}

/** `losses[mask]` (a boolean mask of the losses' shape, or of their first axis). */
export function maskedIndex(ev: Evaluation, obj: Value, index: Value): Value | null {
  const vec = vectorOf(ev, obj);
  const part = vec && index.kind === 'array' ? maskPartOf(index.array) : null;
  const at = vec && part ? maskFlats(part, vec.shape) : null;
  return vec && at ? masked(vec.ref, at.flats, null) : null;
}

/** `losses * mask` / `mask * losses`, and the count division of a masked sum (`… / mask.sum()`). */
export function maskedBinary(ev: Evaluation, node: NodeOf<'binary'>, l: Value, r: Value): Value | null {
  if (node.op === '/')
    return rowDivision(ev, node, l, r) ?? weightDivision(ev, node, l, r) ?? countDivision(ev, node, l, r);
  if (node.op !== '*') return null;
  for (const [v, m] of [
    [l, r],
    [r, l],
  ]) {
    const vec = vectorOf(ev, v);
    const scale = vec ? multipliers(m, vec.shape, vec.ref) : null;
    if (vec && scale) return masked(vec.ref, null, scale);
  }
  return null;
}

/** `losses.masked_fill(mask, 0)` (the elements under the mask become 0) and `losses.masked_select(mask)`. */
export function maskedMethod(ev: Evaluation, receiver: Value, name: string, node: CallNode): Value | null {
  if (name === 'view' || name === 'reshape' || name === 'view_as' || name === 'reshape_as')
    return viewedLosses(ev, receiver, name, node);
  if (name !== 'masked_fill' && name !== 'masked_select') return null;
  const vec = vectorOf(ev, receiver);
  if (!vec) return null;
  const m = argumentValue(ev, node, { position: 0, keyword: 'mask' });
  const part = m.kind === 'array' ? maskPartOf(m.array) : null;
  if (!part || !same(part.shape, vec.shape)) return null;
  if (name === 'masked_select')
    return node.args.length + node.keywords.length === 1 ? select(vec.ref, part.bits) : null;
  const value = argumentValue(ev, node, { position: 1, keyword: 'value' });
  if (node.args.length + node.keywords.length !== 2 || value.kind !== 'number' || value.value !== 0) return null;
  return masked(
    vec.ref,
    null,
    Array.from(part.bits, (b) => 1 - b),
  );
}

function select(ref: PairRef, bits: Float64Array): Value {
  const keep: number[] = [];
  bits.forEach((b, i) => {
    if (b) keep.push(i);
  });
  return masked(ref, keep, null);
}

/** `torch.masked_select(losses, mask)`, and `torch.mean` / `torch.sum` of masked losses. */
export function maskedCall(ev: Evaluation, path: string, node: CallNode): Value | null {
  if (path === 'torch.masked_select') {
    if (node.args.length + node.keywords.length !== 2) return null;
    const vec = vectorOf(ev, argumentValue(ev, node, { position: 0, keyword: 'input' }));
    const m = argumentValue(ev, node, { position: 1, keyword: 'mask' });
    const part = vec && m.kind === 'array' ? maskPartOf(m.array) : null;
    return vec && part && same(part.shape, vec.shape) ? select(vec.ref, part.bits) : null;
  }
  if (path !== 'torch.mean' && path !== 'torch.sum') return null;
  if (node.args.length !== 1 || node.keywords.length) return null;
  const v = ev.evaluate(node.args[0]);
  return v.kind === 'unknown' && v.masked ? reduced(ev, v.masked, path === 'torch.mean' ? 'mean' : 'sum', node) : null;
}

/** `.mean()` / `.sum()` (no arguments) of masked losses; `.mean(dim=1)` over their last axis. */
export function maskedReduction(ev: Evaluation, receiver: Value, name: string, node: CallNode): Value | null {
  if (receiver.kind !== 'unknown' || !receiver.masked || (name !== 'mean' && name !== 'sum')) return null;
  if (node.args.length + node.keywords.length === 0) return reduced(ev, receiver.masked, name, node);
  return rowReduction(ev, receiver, name, node);
}

/** Why a reduction over an axis of per-element losses has no number. */
export const rowsWhy = 'an axis other than the last is not modelled';

/**
 * `v.mean(0)` / `v.sum(dim=-1)` that reduces every element: torch's own vector of one axis, or
 * another library's vector or a formula's rows (their shapes are not read here: as before, the
 * whole reduction). False for torch's vector of two or more axes, or an axis not read.
 */
export function wholeAxis(ev: Evaluation, v: ValueOf<'loss'>, node: CallNode): boolean {
  const base = ev.ctx.inputOf(v.pair.id);
  if (!base) return true;
  const torchOwn = base.library ? base.library.name === 'torch' : !base.formula && base.recogniser.startsWith('torch.');
  if (!torchOwn) return true;
  const vec = vectorOf(ev, v);
  const axis = reducedAxis(ev, node);
  return !!vec && vec.shape.length <= 1 && (axis === 0 || axis === -1);
}

/** The axis a reduction's arguments name (`1`, `dim=-1`, `keepdim=True` beside), or null for anything else. */
function reducedAxis(ev: Evaluation, node: CallNode): number | null {
  let dim: Node | null = node.args[0] ?? null;
  if (node.args.length > 1) return null;
  for (const k of node.keywords) {
    if (k.name === 'dim' && !dim) dim = k.value;
    else if (k.name === 'keepdim') {
      const kd = ev.evaluate(k.value);
      if (kd.kind !== 'number') return null;
    } else return null;
  }
  const d = dim ? ev.evaluate(dim) : null;
  return d?.kind === 'number' && Number.isInteger(d.value) ? d.value : null;
}

/**
 * `v.mean(dim=1)` / `(v * weights).sum(-1)` of torch's per-element losses (plain, viewed or times a
 * 0/1 weight, not picked by a boolean index) of two or more axes, over the last one: one loss per
 * row, the pair of a vector on the reducing line (docs/detection.md 3.372). Another axis (torch sums
 * it in another order), a picked vector, or arguments not read: the value is not known here.
 */
export function rowReduction(ev: Evaluation, receiver: Value, how: 'mean' | 'sum', node: CallNode): Value | null {
  const m: MaskedVector | null =
    receiver.kind === 'unknown' && receiver.masked
      ? receiver.masked
      : receiver.kind === 'loss'
        ? { pair: receiver.pair, keep: null, scale: null }
        : null;
  if (!m || m.keep) return null;
  const vec = vectorOf(ev, m.scale ? { kind: 'loss', pair: m.pair } : receiver);
  const shape = m.shape ?? vec?.shape;
  const axis = reducedAxis(ev, node);
  if (!vec || !shape || axis === null || shape.length < 2) return null;
  if (axis !== shape.length - 1 && axis !== -1) return null;
  const base = vec.base;
  if (!base.call) return null;
  const reducedFrom: ReducedFrom = { pair: m.pair.id, how, rows: shape.slice() };
  if (m.scale) reducedFrom.scale = m.scale;
  const callee = ev.ctx.text.slice(node.callee.start, Math.min(node.callee.end, node.callee.start + 80));
  const call = ev.ctx.lossCallAt(base.call.kind, node.start, node.end, callee);
  const input = { ...base, options: { ...base.options, reduction: 'none' }, call, reducedFrom };
  // Inside an instance's call both are reported at that call, where the code reads the rows only:
  // the vector becomes its rows (computePairs.ts reduces a pair's own losses, the kernel's run kept).
  if (call.start === base.call.start && call.end === base.call.end) {
    ev.ctx.rebuildPair(m.pair, input);
    return { kind: 'loss', pair: m.pair };
  }
  return { kind: 'loss', pair: ev.ctx.addPair({ ...input, breakdown: false }) };
}

function reduced(ev: Evaluation, m: MaskedVector, how: 'mean' | 'sum', node: CallNode): Value | null {
  const base = ev.ctx.inputOf(m.pair.id);
  if (!base?.call || (!m.keep && !m.scale)) return null;
  const kept = m.keep ? m.keep.length : (m.scale?.length ?? 0);
  if (kept === 0) return null;
  const reducedFrom: ReducedFrom = { pair: m.pair.id, how };
  if (m.keep) reducedFrom.keep = m.keep;
  if (m.scale) reducedFrom.scale = m.scale;
  const library = base.library && { ...base.library, reduction: how, request: null, torch: null };
  const callee = ev.ctx.text.slice(node.callee.start, Math.min(node.callee.end, node.callee.start + 80));
  const ref = ev.ctx.addPair({
    ...base,
    ...(library ? { library } : {}),
    options: { ...base.options, reduction: how },
    call: ev.ctx.lossCallAt(base.call.kind, node.start, node.end, callee),
    breakdown: false,
    reducedFrom,
  });
  return { kind: 'loss', pair: ref };
}

/** The whole number a divisor is, when its dtype keeps the loss's (`mask.sum()`, `n`, `m.sum()` of float32 0/1). */
function count(v: Value, ref: PairRef): number | null {
  if (v.kind === 'number') return Number.isInteger(v.value) ? v.value : null;
  if (v.kind !== 'array' || v.array.shape.length !== 0 || v.array.data?.length !== 1) return null;
  const a = v.array;
  if (libOf(a) !== 'torch' || a.transform !== null || (kindOf(a) === 'float64' && ref.dtype !== 'float64')) return null;
  const x = (a.data as Float64Array)[0];
  return Number.isInteger(x) ? x : null;
}

/** `x.clamp(min=k)` / `x.clamp_min(k)` / `x.clamp(k)` of a count: the count and the bound, else null. */
function clampedCount(ev: Evaluation, n: Node, ref: PairRef): number | null {
  if (n.type !== 'call' || n.callee.type !== 'attribute') return null;
  const name = n.callee.name;
  if ((name !== 'clamp' && name !== 'clamp_min' && name !== 'clip') || n.args.length + n.keywords.length !== 1)
    return null;
  if (n.keywords.length && n.keywords[0].name !== 'min') return null;
  const bound = ev.evaluate(n.args.length ? n.args[0] : n.keywords[0].value);
  const c = count(ev.evaluate(n.callee.object), ref);
  if (c === null || bound.kind !== 'number') return null;
  return Math.max(c, bound.value);
}

/**
 * A masked sum written in this very expression, divided by a whole positive count: the mean the code
 * computes (torch divides the float sum by it in the loss's dtype). The pair made for the sum becomes
 * that mean, placed on the division.
 */
function countDivision(ev: Evaluation, node: NodeOf<'binary'>, l: Value, r: Value): Value | null {
  if (!ev.python || l.kind !== 'loss' || l.rounded !== undefined || l.pair.reduction !== 'sum') return null;
  const base = ev.ctx.inputOf(l.pair.id);
  const from = base?.reducedFrom;
  if (!base?.call || !from || from.how !== 'sum' || from.divisor !== undefined || (!from.keep && !from.scale))
    return null;
  if (base.call.start !== node.left.start || base.call.end !== node.left.end) return null;
  const c = count(r, l.pair) ?? clampedCount(ev, node.right, l.pair);
  if (c === null || c <= 0 || !Number.isInteger(c)) {
    // The line's loss is the quotient, not the sum: no number rather than the sum's.
    ev.ctx.rebuildPair(l.pair, { ...base, unverified: 'the masked sum is divided by a number not read as a count' });
    return null;
  }
  const library = base.library && { ...base.library, reduction: 'mean' as const };
  ev.ctx.rebuildPair(l.pair, {
    ...base,
    ...(library ? { library } : {}),
    options: { ...base.options, reduction: 'mean' },
    call: ev.ctx.lossCallAt(base.call.kind, node.start, node.end, base.call.callee ?? null),
    reducedFrom: { ...from, how: 'mean', divisor: c },
  });
  return { kind: 'loss', pair: l.pair };
}

/**
 * Per-row sums written in this very expression, divided by each row's count (`(v * m).sum(dim=1) /
 * m.sum(dim=1)`, a 0-d or same-length vector of whole positive numbers, or one number): each row's
 * mean the code computes (float32 ÷ int64 is float32 in torch). Anything else divided: the line's
 * value is the quotient, so the pair has no number rather than the sums'.
 */
/** Does the reducing call written at `n` keep the reduced axis (`keepdim=True`)? */
function keptDim(n: Node): boolean {
  return (
    n.type === 'call' &&
    n.keywords.some((k) => k.name === 'keepdim' && !(k.value.type === 'name' && k.value.id === 'False'))
  );
}

function rowDivision(ev: Evaluation, node: NodeOf<'binary'>, l: Value, r: Value): Value | null {
  if (!ev.python || l.kind !== 'loss' || l.rounded !== undefined) return null;
  const base = ev.ctx.inputOf(l.pair.id);
  const from = base?.reducedFrom;
  if (!base?.call || !from?.rows || from.how !== 'sum' || from.divisor !== undefined || from.divisors) return null;
  if (base.call.start !== node.left.start || base.call.end !== node.left.end) return null;
  const rows = from.rows.slice(0, -1).reduce((p, x) => p * x, 1);
  let divisors: number[] | null = null;
  const c = count(r, l.pair);
  if (c !== null) divisors = new Array<number>(rows).fill(c);
  else if (r.kind === 'array') {
    const a = r.array;
    // Exactly the rows' shape: `[B, 1]` against `[B]` (or a keepdim numerator) would broadcast to `[B, B]`.
    const want = from.rows.slice(0, -1);
    const fits = !keptDim(node.left) && a.shape.length === want.length && a.shape.every((x, i) => x === want[i]);
    const ok =
      fits && libOf(a) === 'torch' && a.transform === null && !(kindOf(a) === 'float64' && l.pair.dtype !== 'float64');
    if (ok && a.data) divisors = Array.from(a.data);
  }
  if (!divisors || divisors.some((d) => !Number.isInteger(d) || d <= 0)) {
    ev.ctx.rebuildPair(l.pair, { ...base, unverified: 'the masked sum is divided by a number not read as a count' });
    return null;
  }
  ev.ctx.rebuildPair(l.pair, {
    ...base,
    call: ev.ctx.lossCallAt(base.call.kind, node.start, node.end, base.call.callee ?? null),
    reducedFrom: { ...from, how: 'mean', divisors },
  });
  return { kind: 'loss', pair: l.pair };
}
