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
import { isGraphValue } from './jsValueGraphs';
import type { CallNode, Evaluation } from './evaluation';
import type { Node, NodeOf } from './expr';
import { settled, type FunctionRecord } from './functions';
import { foldedRows } from './foldedRows';
import { runCallback } from './replay';
import type { Scopes } from './scope';
import { whileReducing } from './recognisers/floatPicks';
import { sigmoidRow } from './sigmoidElements';
import type { Unpack } from './jsArrows';
import { zeroDimNumber, type ArrayValue, type Value } from './values';

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

/** The numbers of a spread receiver, or null. */
function numbersOf(v: Value): number[] | null {
  if (v.kind === 'sequence') {
    const out: number[] = [];
    for (const x of v.items) {
      const n = zeroDimNumber(x);
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
      const v = zeroDimNumber(ev.evaluate(call.args[next]));
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
  const i = zeroDimNumber(index);
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

/** `name[i]`, written where `node` is: item i of the receiver (bound under {@link receiverName}) or of a column. */
function item(node: Node, i: number, name = receiverName): Node {
  const index: Node = { type: 'number', value: i, integer: true, start: node.start, end: node.end };
  return { type: 'subscript', object: at(node, name), index, start: node.start, end: node.end };
}

/**
 * The name a destructured element's k-th column is bound to, which no source can spell and a report can show:
 * `[prob]` (the `prob` of every row), `{score}` (of every object).
 */
function columnName(unpack: Unpack, k: number): string {
  return typeof unpack.keys[k] === 'number' ? `[${unpack.names[k]}]` : `{${unpack.names[k]}}`;
}

/**
 * The columns a destructured element reads, each an array of its own (so that a label column and a probability
 * column are two arrays, as two written lists are): `[p, y]` of the rows of a written (N, M) list (M at least
 * the names) or of a list of lists, `{ p, y }` of a list of objects whose every such key holds a number (or every
 * one a list of numbers of one length). Null for any other receiver.
 */
function unpackedColumns(ev: Evaluation, node: Node, receiver: Value, n: number, unpack: Unpack): ArrayValue[] | null {
  if (receiver.kind === 'array' && receiver.array.data && receiver.array.container === 'list') {
    const { data, shape } = receiver.array;
    if (shape.length !== 2 || shape[0] !== n) return null;
    const width = shape[1];
    if (unpack.keys.some((key) => typeof key !== 'number' || key >= width)) return null;
    const from = receiver.array;
    return unpack.keys.map((key) => ({
      ...from,
      data: Float64Array.from({ length: n }, (_, i) => data[i * width + (key as number)]),
      shape: [n],
      transform: null,
      name: null,
      fresh: false,
      derived: false,
      view: undefined,
      terms: undefined,
    }));
  }
  if (receiver.kind !== 'sequence' || receiver.items.length !== n) return null;
  // A list of objects (or of rows of mixed kinds, `[[2.0, 1.0], 0]`): each key's numbers, or its lists of one
  // length, folded into an array of their own, as if written there.
  const cols: ArrayValue[] = [];
  for (const key of unpack.keys) {
    const items: Value[] = [];
    for (const row of receiver.items) {
      const v =
        row.kind === 'dict' && typeof key === 'string'
          ? row.entries.get(key)
          : row.kind === 'sequence' && typeof key === 'number'
            ? row.items[key]
            : undefined;
      if (!v) return null;
      items.push(v);
    }
    const col = foldedRows(ev, node.start, node.end, items);
    if (col?.kind !== 'array') return null;
    cols.push(col.array);
  }
  return cols;
}

/** Callbacks chained on one receiver at most (`xs.map(f).map(g)…`). */
const maxChain = 8;

/** How many `.map`/`.reduce` calls the receiver `n` is a chain of (counted up to one past {@link maxChain}). */
function chained(n: Node): number {
  let k = 0;
  let at = n;
  while (k <= maxChain && at.type === 'call' && at.callee.type === 'attribute') {
    if (at.callee.name !== 'map' && at.callee.name !== 'reduce') break;
    k++;
    at = at.callee.object;
  }
  return k;
}

/** A step of a formula: an element read from a tensor with what it is (3.140). */
const isStep = (x: Value): boolean => x.kind === 'array' && x.array.shape.length === 0 && !!x.array.terms;

/**
 * A step of a softmax worked out over the file's numbers (`Math.exp(x - m)`, `x / s`, 3.300): a number that
 * says which exponents it is the exp of, or which softmax probability (or its log) it is.
 */
const isWorked = (x: Value): boolean => x.kind === 'number' && (!!x.expTerms || !!x.picked);

/** A row of softmax steps a helper made for one row of a batch (`rows.map(softmax)`, 3.377). */
const isWorkedRow = (x: Value): boolean => x.kind === 'sequence' && x.items.length > 0 && x.items.every(isWorked);

/**
 * Is `n` arithmetic over names and numbers with calls of `Math.exp` / `Math.log` only (a body run twice
 * must not make a pair twice)? Bounded by depth.
 */
function arithmetic(n: Node, depth: number): boolean {
  if (depth > 32) return false;
  switch (n.type) {
    case 'name':
    case 'number':
      return true;
    case 'binary':
      return arithmetic(n.left, depth + 1) && arithmetic(n.right, depth + 1);
    case 'unary':
      return arithmetic(n.operand, depth + 1);
    case 'call':
      return mathFunction(n.callee) && n.args.length === 1 && arithmetic(n.args[0], depth + 1);
    default:
      return false;
  }
}

/** `Math.exp` / `Math.log` named as a callback (not called). */
function mathFunction(n: Node): boolean {
  return (
    n.type === 'attribute' &&
    n.object.type === 'name' &&
    n.object.id === 'Math' &&
    (n.name === 'exp' || n.name === 'log')
  );
}

/** `Math.exp` as the arrow `(v) => Math.exp(v)` (a name no source can spell), so that `.map` runs it. */
function mathLambda(n: Node): NodeOf<'lambda'> {
  const v = '\u0000item';
  const arg: Node = { type: 'name', id: v, start: n.start, end: n.end };
  const body: Node = { type: 'call', callee: n, args: [arg], keywords: [], isNew: false, start: n.start, end: n.end };
  return { type: 'lambda', params: [{ name: v, default: null }], body, start: n.start, end: n.end };
}

/** Runs `xs.map(cb)` or `xs.reduce(cb[, init])`; null when the call is neither. */
function arrayCallback(ev: Evaluation, scopes: Scopes, call: CallNode, name: string): Value | null {
  const callee = call.callee as NodeOf<'attribute'>;
  const cb = call.args[0];
  const arity = name === 'map' ? 1 : 2;
  if (call.keywords.length || call.jsSpreads || call.args.length < 1 || call.args.length > arity) return null;
  // A block-bodied arrow (jsBlockCallbacks.ts, 3.375), bound under a name no source spells, or a helper of the
  // file named as the callback (`zs.map(sigmoid)`, 3.377): run by the replay.
  const block = cb.type === 'name' ? blockCallback(scopes, cb.id, name) : null;
  if (cb.type !== 'lambda' && !block && !(name === 'map' && mathFunction(cb))) return null;
  // A receiver that is itself a long chain of callbacks is not run: a call not computed is read again by the
  // evaluator, so a chain of them would double its work at each link (3.304).
  if (chained(callee.object) > maxChain) return notComputed(`more than ${maxChain} callbacks are chained`);
  const receiver = ev.evaluate(callee.object);
  const n = itemCount(receiver);
  if (n === null) return null;
  if (n > maxItems) return notComputed(`\`.${name}\` runs over more than ${maxItems} items`);
  const used = runs.get(ev.ctx) ?? 0;
  if (used + n > maxRuns || nested >= maxNested)
    return notComputed(`more callbacks than this module runs in one file (${maxRuns})`);
  runs.set(ev.ctx, used + n);
  // `xs.map(Math.exp)`: the function itself, called with the element (its other arguments unused).
  const fn = cb.type === 'lambda' ? cb : block ? null : mathLambda(cb);
  const params = fn ? fn.params.map((p) => p.name) : (block?.params.map((p) => p.name) ?? []);
  // A destructured element (`([p, y]) =>`, `(acc, { p, y }) =>`, 3.396): its names read the receiver's columns.
  const unpackAt = fn ? fn.params.findIndex((p) => p.unpack) : -1;
  const columns =
    unpackAt < 0 ? null : unpackedColumns(ev, callee.object, receiver, n, fn?.params[unpackAt].unpack as Unpack);
  if (unpackAt >= 0 && (unpackAt !== arity - 1 || fn?.params.some((p, k) => p.unpack && k !== unpackAt) || !columns))
    return notComputed('a destructured parameter whose items are not rows of known numbers');
  const depth = scopes.depth;
  // A helper named as the callback reads the names of the scope it was written in; an arrow, those around it.
  scopes.push(Number.MAX_SAFE_INTEGER, 'block', block && !block.callback ? block.home : scopes.current());
  nested++;
  try {
    if (scopes.depth !== depth + 1) return notComputed('callbacks nest too deep');
    scopes.shadow(receiverName, receiver);
    // A helper's parameter past the three `.map` passes takes its default, as JavaScript's `undefined` does.
    const defaults = (block?.params ?? []).map((p) => (p.default ? ev.evaluate(p.default) : undefined));
    const unpack = fn?.params[unpackAt]?.unpack;
    if (columns && unpack) columns.forEach((c, k) => scopes.shadow(columnName(unpack, k), { kind: 'array', array: c }));
    const run = (args: Value[]): Value => {
      params.forEach((p, k) =>
        scopes.shadow(p, args[k] ?? defaults[k] ?? { kind: 'unknown', lossy: false, none: true }),
      );
      // The element's own names: item i of each column (args[arity] is the index).
      if (columns && unpack) {
        const i = zeroDimNumber(args[arity]) ?? 0;
        unpack.names.forEach((name, k) =>
          scopes.shadow(name, ev.evaluate(item(callee.object, i, columnName(unpack, k)))),
        );
      }
      return fn ? ev.evaluate(fn.body) : runCallback(ev, scopes, block as FunctionRecord, name);
    };
    const element = (i: number): Value => ev.evaluate(item(callee.object, i));
    if (name === 'map') {
      // A softmax worked out over a row of numbers (`v.map((x) => Math.exp(x - m))`, 3.300): run over the
      // elements as JavaScript's numbers, so that each exp says its exponent; kept only when every result is
      // such a step, else the elements are run as the array's own items.
      const numbers = fn && arithmetic(fn.body, 0) ? numbersOf(receiver) : null;
      if (numbers && (runs.get(ev.ctx) ?? 0) + n <= maxRuns) {
        runs.set(ev.ctx, (runs.get(ev.ctx) ?? 0) + n);
        const worked = numbers.map((x, i): Value => {
          const item: Value = { kind: 'number', value: x, integer: Number.isInteger(x) };
          return run([item, { kind: 'number', value: i, integer: true }, receiver]);
        });
        if (worked.every(isWorked)) return { kind: 'sequence', items: worked };
      }
      const items: Value[] = [];
      for (let i = 0; i < n; i++) items.push(run([element(i), { kind: 'number', value: i, integer: true }, receiver]));
      if (items.every(isStep) || items.every(isWorked) || items.every(isWorkedRow)) return { kind: 'sequence', items };
      // micrograd `Value`s, one per element (`xs.map((x) => new Value(x))`, 3.420): kept as they are.
      if (n > 0 && items.every(isGraphValue)) return { kind: 'sequence', items };
      // A sigmoid of each element (sigmoidElements.ts, 3.326): the row of σ(source) it makes.
      const row = sigmoidRow(items);
      return row ? { kind: 'array', array: row } : null;
    }
    let acc: Value;
    let i = 0;
    if (call.args.length === 2) acc = ev.evaluate(call.args[1]);
    else if (n === 0) return notComputed('`.reduce` of no items and no initial value throws a TypeError');
    else acc = element(i++);
    // The running sum folds the per-sample losses it adds (recognisers/floatPicks.ts, 3.378).
    return whileReducing(() => {
      for (; i < n; i++) {
        acc = run([acc, element(i), { kind: 'number', value: i, integer: true }, receiver]);
        if (acc.kind === 'unknown') return acc;
      }
      return acc;
    });
  } finally {
    nested--;
    scopes.pop();
  }
}

/**
 * The block-bodied callback bound to `id` for `.${method}` (jsBlockCallbacks.ts), or a helper of the file
 * named as `.map`'s callback, read to its end, whose parameters are plain names (3.377); else null.
 */
function blockCallback(scopes: Scopes, id: string, method: string): FunctionRecord | null {
  const v = scopes.lookup(id);
  if (v?.kind !== 'function') return null;
  if (v.record.callback) return v.record.callback === method ? v.record : null;
  const r = v.record;
  if (method !== 'map' || !r.complete || r.instance || r.owner || r.object || r.name === 'lambda') return null;
  const rec = settled(r);
  return rec.unsupported || rec.params.some((p) => p.star) ? null : rec;
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
