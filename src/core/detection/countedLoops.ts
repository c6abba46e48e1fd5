/**
 * The module-level loops of JavaScript/TypeScript code in the shape the Python ones are run in
 * (loops.ts, docs/detection.md 3.346): a loop kept by jsFunctions.ts settles into the statements of
 * jsBlocks.ts, either one `for (const v of xs)` statement or a counting loop, `let i = 0` followed by
 * `for (…; i < n; i++)`. The counting loop is read as a `for` over the integers from its start to
 * its bound (`i <= n`: included), the bound evaluated where the loop runs; only that shape: a start
 * written as an integer, a condition `i < bound` / `i <= bound`, an update adding one (`i++`, `++i`,
 * `i += 1`) and a body that never assigns the counter. Any other loop (`i += 2`, `i > 0; i--`, a
 * `while`) is not run. A `xs.forEach((v, i) => { … })` is a `for` over xs, numbered when it takes an index.
 */
import type { Node } from './expr';
import type { RecordedStmt } from './functions';
import type { Scopes } from './scope';
import type { Value } from './values';

type ForStmt = RecordedStmt & { k: 'for' };

/** A loop to run: the `for` statement, and for a counting loop where its integers start and stop. */
export interface LoopShape {
  stmt: ForStmt;
  counted: { from: number; bound: Node; inclusive: boolean } | null;
  /** A `forEach` with an index: each item is visited as the pair (its index, the item). */
  numbered?: true;
}

/** Items numbered from 0, each the pair (index, item), for a {@link LoopShape} that is `numbered`. */
export function numberedItems(items: Value[]): Value[] {
  return items.map((v, k): Value => ({ kind: 'sequence', items: [{ kind: 'number', value: k, integer: true }, v] }));
}

/** The loop a module-level record's settled body holds, or null when it is none of the shapes run. */
export function loopShape(body: RecordedStmt[]): LoopShape | null {
  if (body.length === 1 && body[0].k === 'for') return { stmt: body[0], counted: null };
  if (body.length !== 2) return null;
  const [init, loop] = body;
  if (loop.k === 'for') return indexedForEach(init, loop);
  if (init.k !== 'assign' || init.aug !== null || init.targets.length !== 1 || loop.k !== 'loop') return null;
  const counter = init.targets[0]();
  const start = init.value();
  if (counter.type !== 'name' || start.type !== 'number' || !start.integer) return null;
  const i = counter.id;
  const cond = loop.cond();
  if (cond.type !== 'binary' || (cond.op !== '<' && cond.op !== '<=')) return null;
  if (cond.left.type !== 'name' || cond.left.id !== i) return null;
  const [step] = loop.update;
  if (loop.update.length !== 1 || step.k !== 'assign' || step.aug !== '+' || step.targets.length !== 1) return null;
  const target = step.targets[0]();
  const one = step.value();
  if (target.type !== 'name' || target.id !== i || one.type !== 'number' || one.value !== 1) return null;
  if (assigns(loop.body, i, 0)) return null;
  const bound = cond.right;
  const stmt: ForStmt = { k: 'for', target: () => counter, iter: () => bound, body: loop.body, js: true };
  return { stmt, counted: { from: start.value, bound, inclusive: cond.op === '<=' } };
}

/**
 * `xs.forEach((v, i) => { … })` as jsBlocks.ts settles it (`i = 0`, then a `for` over xs whose body ends
 * with `i += 1`): a `for` whose target is the pair (i, v) over xs's items numbered from 0, as Python's
 * `for i, v in enumerate(xs)`. The body must not assign `i` itself.
 */
function indexedForEach(init: RecordedStmt, loop: ForStmt): LoopShape | null {
  if (init.k !== 'assign' || init.aug !== null || init.targets.length !== 1) return null;
  const index = init.targets[0]();
  const zero = init.value();
  if (index.type !== 'name' || zero.type !== 'number' || zero.value !== 0) return null;
  const step = loop.body[loop.body.length - 1];
  if (step?.k !== 'assign' || step.aug !== '+' || step.targets.length !== 1) return null;
  const stepped = step.targets[0]();
  const one = step.value();
  if (stepped.type !== 'name' || stepped.id !== index.id || one.type !== 'number' || one.value !== 1) return null;
  const body = loop.body.slice(0, -1);
  if (assigns(body, index.id, 0)) return null;
  const v = loop.target();
  const pair: Node = { type: 'sequence', kind: 'tuple', items: [index, v], start: v.start, end: v.end };
  return { stmt: { k: 'for', target: () => pair, iter: loop.iter, body, js: true }, counted: null, numbered: true };
}

/** Blocks looked into at most for an assignment of the counter (deeper: taken as assigning it). */
const maxNesting = 32;

/** Does `body` (its branches and loops included) assign `name`? */
function assigns(body: RecordedStmt[], name: string, depth: number): boolean {
  if (depth > maxNesting) return true;
  return body.some((s) => {
    if (s.k === 'assign') return s.targets.some((t) => named(t(), name));
    if (s.k === 'if') return s.tests.some((t) => assigns(t.body, name, depth + 1));
    if (s.k === 'for') return named(s.target(), name) || assigns(s.body, name, depth + 1);
    if (s.k === 'loop') return assigns(s.body, name, depth + 1) || assigns(s.update, name, depth + 1);
    return false;
  });
}

function named(n: Node, name: string): boolean {
  return n.type === 'name' ? n.id === name : n.type === 'sequence' && n.items.some((i) => named(i, name));
}

/** The integers a counting loop visits, when its bound is a known integer and they are at most `max`. */
export function countedItems(shape: NonNullable<LoopShape['counted']>, bound: Value, max: number): Value[] | null {
  if (bound.kind !== 'number' || !Number.isInteger(bound.value)) return null;
  const stop = shape.inclusive ? bound.value + 1 : bound.value;
  const count = stop - shape.from;
  if (count <= 0 || count > max) return null;
  return Array.from({ length: count }, (_, k): Value => ({ kind: 'number', value: shape.from + k, integer: true }));
}

/** Characters after a loop's header read for the names its body sums into (3.346). */
const sumsWindow = 4000;

/**
 * The numbers names hold where a JavaScript loop's header ends (`from`), for each name a `name +=` or
 * `name -=` in the {@link sumsWindow} characters after it adds to: what loops.ts starts a sum from
 * (the body has been read once, with unknown values, by the time the loop runs). Names the window
 * holds past the loop's end are looked up too and never used (only the body's sums are read).
 */
export function sumsBefore(text: string, from: number, scopes: Scopes): Map<string, Value> {
  const out = new Map<string, Value>();
  const re = /([A-Za-z_$][\w$]*)\s*[-+]=(?!=)/g;
  const window = text.slice(from, from + sumsWindow);
  for (let m = re.exec(window); m; m = re.exec(window)) {
    if (out.has(m[1])) continue;
    const v = scopes.lookup(m[1]);
    if (v?.kind === 'number') out.set(m[1], v);
  }
  return out;
}
