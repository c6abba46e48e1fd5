/**
 * JavaScript's array callbacks and spreads, run as the code runs them (docs/detection.md 3.158):
 * `xs.map((v, i) => …)`, `xs.reduce((acc, v, i) => …, init)` (and without `init`: the first element
 * starts), and `Math.max(...xs)` / `Math.min(...xs)`. The callback is an arrow with an expression
 * body (jsArrows.ts), run once per element in a scope of its own whose other names are the scope it
 * was written in (a helper's `max` in `row.reduce((a, v) => a + Math.exp(v - max), 0)`); each
 * element is the receiver's own item (`xs[i]`, read as a subscript is), so a row of a literal
 * array stays that row. Numbers are JavaScript's doubles: `Math.exp`/`Math.log` of them are
 * computed as evaluate.ts computes them for one number, never rounded to a dtype.
 *
 * Bounded: a receiver of at most {@link maxItems} items, and at most {@link maxRuns} callback runs
 * per file, so that a hostile file (callbacks nested in callbacks) stays linear. Past either, and for
 * anything not modelled (a block body, a receiver whose items are not known), the call is not
 * computed and says why.
 */
import type { CallNode, Evaluation } from './evaluation';
import type { Node, NodeOf } from './expr';
import type { Scopes } from './scope';
import type { Value } from './values';

/** Items of one receiver at most. */
const maxItems = 4096;
/** Callback runs per file at most. */
const maxRuns = 20000;
/** Callbacks nested in callbacks at most. */
const maxNested = 8;

const runs = new WeakMap<object, number>();
let nested = 0;

/** The hidden name the receiver is bound to while its callback runs (no source name can spell it). */
const receiverName = '\u0000receiver';

function notComputed(why: string): Value {
  return { kind: 'unknown', lossy: false, why };
}

/** How many items a receiver has, or null when they are not known here. */
function itemCount(v: Value): number | null {
  if (v.kind === 'sequence') return v.items.length;
  if (v.kind === 'array' && v.array.data && v.array.shape.length >= 1 && v.array.container === 'list')
    return v.array.shape[0];
  return null;
}

/** A number, or one element read from an array (a 0-d view), as a double; else null. */
function numberOf(v: Value): number | null {
  if (v.kind === 'number') return v.value;
  if (v.kind === 'array' && v.array.data?.length === 1 && v.array.shape.length === 0) return v.array.data[0];
  return null;
}

/** The numbers of a spread receiver, or null. */
function numbersOf(v: Value): number[] | null {
  if (v.kind === 'sequence') {
    const out: number[] = [];
    for (const x of v.items) {
      const n = numberOf(x);
      if (n === null) return null;
      out.push(n);
    }
    return out;
  }
  if (v.kind === 'array' && v.array.data && v.array.shape.length === 1 && v.array.container === 'list')
    return Array.from(v.array.data);
  return null;
}

/** `Math.max(...xs)` / `Math.min(...xs)` with every argument a spread of known numbers or a number. */
function spreadMath(ev: Evaluation, call: CallNode, which: 'max' | 'min'): Value | null {
  const spreads = call.jsSpreads;
  if (!spreads?.length || call.keywords.length) return null;
  const values: number[] = [];
  let next = 0;
  const plain = (until: number): boolean => {
    for (; next < until; next++) {
      const v = numberOf(ev.evaluate(call.args[next]));
      if (v === null) return false;
      values.push(v);
    }
    return true;
  };
  for (const s of spreads) {
    if (!plain(s.at)) return notComputed(`an argument of \`Math.${which}\` is not a known number`);
    const xs = numbersOf(ev.evaluate(s.value));
    if (!xs || xs.length > maxItems) return notComputed(`the numbers spread into \`Math.${which}\` are not known`);
    values.push(...xs);
    next++; // the spread's own place in `args` (an `other` node)
  }
  // Spread arguments were parsed as `other` nodes in `args`: the written ones are the rest.
  if (!plain(call.args.length)) return notComputed(`an argument of \`Math.${which}\` is not a known number`);
  const value = which === 'max' ? Math.max(...values) : Math.min(...values);
  return { kind: 'number', value, integer: Number.isInteger(value) };
}

/**
 * An item of a list a callback made, at an index read from an array (`probs[t]`, `t` an element of
 * a target list): the item at that integer, as JavaScript reads it; null for any other index.
 */
export function jsItem(seq: Value & { kind: 'sequence' }, index: Value): Value | null {
  const i = numberOf(index);
  if (i === null || !Number.isInteger(i) || i < 0) return null;
  return seq.items[i] ?? { kind: 'unknown', lossy: false, none: true };
}

/** `xs.length` of a list a callback made (JavaScript only); null otherwise. */
export function jsLength(ev: Evaluation, seq: Value & { kind: 'sequence' }, name: string): Value | null {
  return !ev.python && name === 'length' ? { kind: 'number', value: seq.items.length, integer: true } : null;
}

function at(node: Node, id: string): Node {
  return { type: 'name', id, start: node.start, end: node.end };
}

function item(node: Node, i: number): Node {
  const index: Node = { type: 'number', value: i, integer: true, start: node.start, end: node.end };
  return { type: 'subscript', object: at(node, receiverName), index, start: node.start, end: node.end };
}

/** Runs `xs.map(cb)` or `xs.reduce(cb[, init])`; null when the call is neither. */
function arrayCallback(ev: Evaluation, scopes: Scopes, call: CallNode, name: string): Value | null {
  const callee = call.callee as NodeOf<'attribute'>;
  const cb = call.args[0];
  const arity = name === 'map' ? 1 : 2;
  if (call.keywords.length || call.jsSpreads || call.args.length < 1 || call.args.length > arity) return null;
  if (cb.type !== 'lambda') return null;
  const receiver = ev.evaluate(callee.object);
  const n = itemCount(receiver);
  if (n === null) return null;
  if (n > maxItems) return notComputed(`\`.${name}\` runs over more than ${maxItems} items`);
  const used = runs.get(ev.ctx) ?? 0;
  if (used + n > maxRuns || nested >= maxNested)
    return notComputed(`more callbacks than this module runs in one file (${maxRuns})`);
  runs.set(ev.ctx, used + n);
  const params = cb.params.map((p) => p.name);
  const depth = scopes.depth;
  scopes.push(Number.MAX_SAFE_INTEGER, 'block', scopes.current());
  nested++;
  try {
    if (scopes.depth !== depth + 1) return notComputed('callbacks nest too deep');
    scopes.shadow(receiverName, receiver);
    const run = (args: Value[]): Value => {
      params.forEach((p, k) => scopes.shadow(p, args[k] ?? { kind: 'unknown', lossy: false, none: true }));
      return ev.evaluate(cb.body);
    };
    const element = (i: number): Value => ev.evaluate(item(callee.object, i));
    if (name === 'map') {
      const items: Value[] = [];
      for (let i = 0; i < n; i++) items.push(run([element(i), { kind: 'number', value: i, integer: true }, receiver]));
      // Only a list of steps of a formula (log-probabilities read from a tensor, 3.140): anything else a
      // callback made (plain numbers, rows) stays what it was, an array not computed, so that a loss
      // called on it keeps its unverified pair with the reason.
      const steps = items.every((x) => x.kind === 'array' && x.array.shape.length === 0 && !!x.array.terms);
      return steps ? { kind: 'sequence', items } : null;
    }
    let acc: Value;
    let i = 0;
    if (call.args.length === 2) acc = ev.evaluate(call.args[1]);
    else if (n === 0) return notComputed('`.reduce` of no items and no initial value throws a TypeError');
    else acc = element(i++);
    for (; i < n; i++) {
      acc = run([acc, element(i), { kind: 'number', value: i, integer: true }, receiver]);
      if (acc.kind === 'unknown') return acc;
    }
    return acc;
  } finally {
    nested--;
    scopes.pop();
  }
}

/** A JavaScript call this file computes (see the header), or null when it is none of them. */
export function jsCallback(ev: Evaluation, scopes: Scopes, call: CallNode): Value | null {
  if (ev.python || call.callee.type !== 'attribute') return null;
  const { object, name } = call.callee;
  if ((name === 'max' || name === 'min') && object.type === 'name' && object.id === 'Math')
    return scopes.lookup('Math') === undefined ? spreadMath(ev, call, name) : null;
  if (name === 'map' || name === 'reduce') return arrayCallback(ev, scopes, call, name);
  return null;
}
