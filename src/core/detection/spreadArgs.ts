/**
 * Starred arguments (`torch.zeros(*shape)`, `x.view(*x.shape)`, `f(**opts)`): Python spreads a
 * tuple into positional arguments and a dict into keywords. A spread whose items are known numbers
 * or strings is written out (each item a node at the star's span) and the call is read as if
 * written so; any other spread leaves the call not computed, since the arguments it would read
 * are not the ones Python passes (dropping `*shape` made `torch.zeros(*shape)` a 0-d tensor).
 */
import { dictComplete } from './dictMethods';
import { opaqueCall, sourceOf, type CallNode, type Evaluation } from './evaluation';
import type { Node, Star } from './expr';
import type { Value } from './values';

/** Items spread at most (more: the call is not computed). */
const maxSpread = 64;

/** A known number or string as a node at `at`'s span, else null. */
function nodeOf(v: Value, at: Node): Node | null {
  if (v.kind === 'number') return { type: 'number', value: v.value, integer: v.integer, start: at.start, end: at.end };
  if (v.kind === 'string') return { type: 'string', value: v.value, start: at.start, end: at.end };
  return null;
}

/** The items of a spread `*value` as nodes, else null. */
function spreadItems(ev: Evaluation, star: Star): Node[] | null {
  const v = ev.evaluate(star.value);
  let items: Value[] | null = null;
  if (v.kind === 'sequence') items = v.items;
  else if (v.kind === 'array' && v.array.container === 'list' && v.array.data && v.array.shape.length === 1) {
    // A literal list or tuple of integers written as such (`(2, 3)`); floats and derived values are not read.
    const a = v.array;
    if (!a.site.integral || a.derived || a.transform) return null;
    items = Array.from(a.data ?? [], (x): Value => ({ kind: 'number', value: x, integer: true }));
  }
  if (!items || items.length > maxSpread) return null;
  const nodes = items.map((x) => nodeOf(x, star.value));
  return nodes.every((n) => n !== null) ? (nodes as Node[]) : null;
}

/** The keywords of a spread `**value`, else null. */
function spreadKeywords(ev: Evaluation, star: Star): { name: string; value: Node }[] | null {
  const v = ev.evaluate(star.value);
  if (v.kind !== 'dict' || !dictComplete(v) || v.entries.size > maxSpread) return null;
  const out: { name: string; value: Node }[] = [];
  for (const [name, x] of v.entries) {
    const n = nodeOf(x, star.value);
    if (!n || !/^[A-Za-z_]\w*$/.test(name)) return null;
    out.push({ name, value: n });
  }
  return out;
}

/**
 * The call with its spreads written out; the call itself when it has none; or the value of a call
 * not computed (its other arguments still evaluated), with the reason, when a spread is not known.
 */
export function spreadCall(ev: Evaluation, call: CallNode): CallNode | Value {
  if (!call.stars) return call;
  const args: Node[] = [];
  const keywords = call.keywords.slice();
  let next = 0;
  for (const star of call.stars) {
    while (next < star.at) args.push(call.args[next++]);
    const spread = star.double ? spreadKeywords(ev, star) : spreadItems(ev, star);
    const clash = star.double && spread?.some((k) => keywords.some((x) => x.name === (k as { name: string }).name));
    if (!spread || clash || args.length + keywords.length + spread.length > maxSpread) {
      const v = opaqueCall(ev, call, false);
      const why = `the arguments spread by \`${sourceOf(ev, call).slice(0, 80)}\` are not known here`;
      return { kind: 'unknown', lossy: v.kind === 'unknown' && v.lossy, why };
    }
    if (star.double) keywords.push(...(spread as { name: string; value: Node }[]));
    else args.push(...(spread as Node[]));
  }
  while (next < call.args.length) args.push(call.args[next++]);
  const { stars: _, ...rest } = call;
  return { ...rest, args, keywords };
}
