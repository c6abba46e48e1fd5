/**
 * Starred arguments (`torch.zeros(*shape)`, `x.view(*x.shape)`, `f(**opts)`): Python spreads a
 * tuple into positional arguments and a dict into keywords. A spread whose items are known numbers
 * or strings is written out (each item a node at the star's span) and the call is read as if
 * written so; any other spread leaves the call not computed, since the arguments it would read
 * are not the ones Python passes (dropping `*shape` made `torch.zeros(*shape)` a 0-d tensor).
 * A loss call given a `**kw` that is not known (`F.cross_entropy(x, y, **kw)`) is still a pair: it is
 * read without the spread, and its pair is unverified, saying that the options passed through `**kw`
 * could not be read; it never gets a number.
 */
import { dictComplete } from './dictMethods';
import { jsCallback } from './jsCallbacks';
import { recogniserForPath } from './catalogue';
import { opaqueCall, sourceOf, type CallNode, type Evaluation } from './evaluation';
import type { Node, Star } from './expr';
import type { Scopes } from './scope';
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
export function spreadCall(ev: Evaluation, call: CallNode, scopes: Scopes): CallNode | Value {
  const js = jsCallback(ev, scopes, call);
  if (js) return js;
  if (!call.stars) return call;
  const args: Node[] = [];
  const keywords = call.keywords.slice();
  let next = 0;
  for (const star of call.stars) {
    while (next < star.at) args.push(call.args[next++]);
    const spread = star.double ? spreadKeywords(ev, star) : spreadItems(ev, star);
    const clash = star.double && spread?.some((k) => keywords.some((x) => x.name === (k as { name: string }).name));
    if (!spread || clash || args.length + keywords.length + spread.length > maxSpread) {
      if (star.double && !clash) {
        const loss = lossWithoutSpread(ev, call, star);
        if (loss) return loss;
      }
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

/** Does this callee compute a loss of the catalogue (a loss object, or a loss function's path)? */
function isLossCallee(ev: Evaluation, call: CallNode): boolean {
  const fn = ev.evaluate(call.callee);
  if (fn.kind === 'criterion') return true;
  return fn.kind === 'namespace' && recogniserForPath(fn.path)?.form === 'function';
}

/**
 * A loss call read without the `**kw` it was given (and is not known here): its pair, unverified
 * with the reason, or null when the callee is no loss or the call gives no pair.
 */
function lossWithoutSpread(ev: Evaluation, call: CallNode, star: Star): Value | null {
  if (call.stars?.some((s) => !s.double) || !isLossCallee(ev, call)) return null;
  const name = sourceOf(ev, star.value).slice(0, 40);
  const { stars: _, ...rest } = call;
  const bare: CallNode = { ...rest, keywords: call.keywords.slice() };
  const ctx = ev.ctx;
  const before = ctx.spreadUnread;
  ctx.spreadUnread = {
    start: call.start,
    end: call.end,
    why: `the options passed through **${name} could not be read`,
  };
  try {
    const v = ev.evaluate(bare);
    return v.kind === 'loss' ? v : null;
  } finally {
    ctx.spreadUnread = before;
  }
}
