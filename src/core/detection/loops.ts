/**
 * A `for` loop of module-level code over values known here (`for z, y in [([1.0, 2.0], 0), …]:`,
 * `for z, y in zip(logits, labels):` with both lists written above, `for name, z in cases.items():`):
 * the statement reader reads its body once with the loop variables unknown, which finds nothing in
 * it. The loop is therefore also kept like a function whose body is the whole `for` statement
 * (functions.ts), and once its body has been read to its end it is run by the replay (replay.ts):
 * every iteration binds the loop variables to that item, and a loss the body computes from them is
 * a pair per iteration, at the body's call (pairs on the same numbers at the same call are one).
 *
 * Only what runs the same way whatever came before is run: a loop over at most {@link maxItems}
 * items (a training loop over `range(10_000)` is not unrolled), whose body has no nested loop, no
 * `break` / `continue` (the replay does not model them: the loop is then not run), assigns no
 * name its iterable reads, and carries no state from one iteration to the next (a name read before
 * the body assigns it, `total += loss`, an element or attribute set on an outer value, an outer
 * list or array changed by a method and read again). The body was already read once with unknown
 * loop variables, so a loop-carried name would start from that pass's value, not from the value
 * before the loop: such a loop is left as it was (no pair), never run on a wrong start.
 */
import type { Evaluation } from './evaluation';
import type { Node } from './expr';
import { settled, type FunctionRecord, type RecordedStmt } from './functions';
import { loopValues } from './iteration';
import { writtenNumbers } from './loopNumbers';
import { mutated, readNames, rootName } from './nodeNames';
import { raggedItems } from './literalItems';
import { recogniseFormula } from './recognisers/formulas';
import { runLoop } from './replay';
import type { Scopes } from './scope';
import type { Value } from './values';
import { summedNames } from './accumulators';
import { countedItems, loopShape, numberedItems } from './countedLoops';

const none: ReadonlySet<string> = new Set();

/** Items a loop is run over at most (more: not run at all). */
const maxItems = 64;
/** Iterations run per text at most: each is a followed call's worth of work. */
const maxRunsPerText = 2000;

/**
 * Why the loop `stmt` is not run (said for whoever reads this code), or null when every iteration
 * computes the same thing whatever the body's first, unknown-valued reading left behind.
 */
export function notRunnable(stmt: RecordedStmt & { k: 'for' }, summed: ReadonlySet<string> = none): string | null {
  /** Names the body assigns anywhere (its own names; one read before its assignment is loop-carried). */
  const assigned = new Set<string>();
  const collect = (body: RecordedStmt[]): void => {
    for (const s of body) {
      if (s.k === 'assign') for (const t of s.targets) collectTargets(t(), assigned);
      else if (s.k === 'if') for (const t of s.tests) collect(t.body);
      else if (s.k === 'for' && summed.size) collect(s.body);
    }
  };
  collect(stmt.body);
  const iterNames = new Set<string>();
  readNames(stmt.iter(), iterNames);
  const loopVars = new Set<string>();
  collectTargets(stmt.target(), loopVars);
  for (const n of [...assigned, ...loopVars])
    if (iterNames.has(n)) return `its iterable reads \`${n}\`, which the loop assigns`;
  /** Names assigned so far in one iteration, in the body's order. */
  const written = new Set(loopVars);
  const changed = new Set<string>();
  const target = (t: Node): string | null => {
    if (t.type === 'name') {
      written.add(t.id);
      return null;
    }
    if (t.type === 'sequence') {
      for (const i of t.items) {
        const why = target(i);
        if (why) return why;
      }
      return null;
    }
    // `out[i] = v` / `obj.x = v` on a value made before the loop: state kept between iterations.
    const root = rootName(t);
    return root && written.has(root) ? null : 'it sets an element or attribute of a value made before it';
  };
  const reads = (node: Node | null): string | null => {
    const r = new Set<string>();
    readNames(node, r);
    for (const n of r)
      if (assigned.has(n) && !written.has(n)) return `\`${n}\` is carried from one iteration to the next`;
    mutated(node, changed);
    return null;
  };
  const order = (body: RecordedStmt[]): string | null => {
    for (const s of body) {
      if (s.k === 'for') {
        // A loop inside a loop that only sums into names (accumulators.ts): checked as the outer one's body.
        if (!summed.size) return 'it has a loop inside it';
        const why = reads(s.iter());
        if (why) return why;
        collectTargets(s.target(), written);
        const inner = order(s.body);
        if (inner) return inner;
        continue;
      }
      if (s.k === 'unsupported') return `it has ${s.what}`;
      if (s.k === 'def') return `it has ${'a nested definition'}`;
      if (s.k === 'loop') return 'it has a loop inside it';
      if (s.k === 'if') {
        for (const t of s.tests) {
          const why = (t.cond && reads(t.cond())) || order(t.body);
          if (why) return why;
        }
        continue;
      }
      const why = reads(s.k === 'assign' ? s.value() : s.k === 'expr' ? s.node() : s.node ? s.node() : null);
      if (why) return why;
      if (s.k !== 'assign') continue;
      for (const t of s.targets) {
        const node = t();
        if (s.aug && node.type === 'name' && summed.has(node.id)) continue;
        if (s.aug) return `\`${node.type === 'name' ? node.id : 'a value'}\` is updated from one iteration to the next`;
        const w = target(node);
        if (w) return w;
      }
    }
    return null;
  };
  const why = order(stmt.body);
  if (why) return why;
  // An outer list or array changed by a method and read again (by the iterable or the body).
  for (const n of changed) {
    if (written.has(n)) continue;
    if (iterNames.has(n)) return `its body changes \`${n}\`, which it goes over`;
    if (uses(stmt.body, n) > 1) return `its body changes \`${n}\` and reads it again`;
  }
  return null;
}

/** Statements of `body` (nested blocks included) that read `name`. */
function uses(body: RecordedStmt[], name: string): number {
  let count = 0;
  for (const s of body) {
    const r = new Set<string>();
    if (s.k === 'assign') readNames(s.value(), r);
    else if (s.k === 'expr') readNames(s.node(), r);
    else if (s.k === 'return' && s.node) readNames(s.node(), r);
    else if (s.k === 'if')
      for (const t of s.tests) {
        if (t.cond) readNames(t.cond(), r);
        count += uses(t.body, name);
      }
    if (r.has(name)) count++;
  }
  return count;
}

function collectTargets(t: Node, out: Set<string>): void {
  if (t.type === 'name') out.add(t.id);
  else if (t.type === 'sequence') for (const i of t.items) collectTargets(i, out);
}

/**
 * The items a loop over `node` visits, when known here: what {@link loopValues} knows, a list of
 * tuples the tokenizer read whole as one (ragged) literal, read apart (written in place or bound to
 * a name above), `zip(…)` and `enumerate(…)` of such, and a dict's `.items()`, `.keys()`, `.values()`.
 */
function iterable(ev: Evaluation, scopes: Scopes, node: Node, depth: number, elements = false): Value[] | null {
  if (depth > 4) return null;
  if (node.type === 'call' && node.callee.type === 'name' && node.keywords.length === 0) {
    const f = node.callee.id;
    if (f === 'enumerate' && node.args.length === 1 && scopes.lookup(f) === undefined) {
      const items = iterable(ev, scopes, node.args[0], depth + 1);
      return (
        items && items.map((v, k) => ({ kind: 'sequence', items: [{ kind: 'number', value: k, integer: true }, v] }))
      );
    }
    if (f === 'zip' && node.args.length > 0 && scopes.lookup(f) === undefined) {
      const lists: Value[][] = [];
      for (const a of node.args) {
        const items = iterable(ev, scopes, a, depth + 1);
        if (!items) return null;
        lists.push(items);
      }
      const n = Math.min(...lists.map((l) => l.length));
      return Array.from({ length: n }, (_, k) => ({ kind: 'sequence', items: lists.map((l) => l[k]) }));
    }
  }
  if (
    node.type === 'call' &&
    node.callee.type === 'attribute' &&
    node.args.length === 0 &&
    node.keywords.length === 0
  ) {
    const how = node.callee.name;
    if (how === 'items' || how === 'keys' || how === 'values') {
      const d = ev.evaluate(node.callee.object);
      if (d.kind !== 'dict') return null;
      return [...d.entries].map(([key, value]): Value =>
        how === 'keys'
          ? { kind: 'string', value: key }
          : how === 'values'
            ? value
            : { kind: 'sequence', items: [{ kind: 'string', value: key }, value] },
      );
    }
  }
  const v = ev.evaluate(node);
  // Plain numbers written in the list, each knowing its place (loopNumbers.ts, 3.274).
  const written = writtenNumbers(ev, v);
  if (written) return written;
  const known = loopValues(v);
  // A Python list's items are Python numbers (a numpy array's stay 0-d arrays); so are a JavaScript array's (3.346).
  if (
    known &&
    v.kind === 'array' &&
    v.array.shape.length === 1 &&
    (v.array.site.constructorName === 'list' ||
      (!ev.python && !elements && v.array.site.constructorName === 'array')) &&
    v.array.data
  )
    return known.map((item): Value =>
      item.kind === 'array' && item.array.shape.length === 0 && item.array.data
        ? { kind: 'number', value: item.array.data[0], integer: v.array.site.integral }
        : item,
    );
  if (known) return known;
  // A ragged literal (`[([1.0, 2.0], 0), …]`): its items read apart and evaluated one by one.
  return raggedItems(ev, v, maxItems);
}

/** Every name read in `body` (conditions and nested blocks included). */
function bodyNames(body: RecordedStmt[], out: Set<string>): void {
  for (const s of body) {
    if (s.k === 'assign') {
      readNames(s.value(), out);
      for (const t of s.targets) readNames(t(), out);
    } else if (s.k === 'expr') readNames(s.node(), out);
    else if (s.k === 'return' && s.node) readNames(s.node(), out);
    else if (s.k === 'if')
      for (const t of s.tests) {
        if (t.cond) readNames(t.cond(), out);
        bodyNames(t.body, out);
      }
    else if (s.k === 'for') {
      readNames(s.iter(), out);
      bodyNames(s.body, out);
    }
  }
}

/** A text's module-level loops, kept as functions whose body is the loop and run once read to their end. */
export class TopLevelLoops {
  private waiting: FunctionRecord[] = [];
  private runs = 0;
  /** Ragged literals already read apart in this text, by site: a list read once however many loops read it. */
  private lists = new Map<number, Value | null>();

  /**
   * Names the loop reads that are bound to a list the tokenizer read whole as one ragged literal
   * (`data = [([1.0, 2.0], 0), ([0.5, 0.1, 3.0], 2)]`), bound in the loop's scope to that list read
   * apart, so that `range(len(data))` and `data[i]` in the body are the list's length and items.
   */
  private listsRead(ev: Evaluation, scopes: Scopes, stmt: RecordedStmt & { k: 'for' }): void {
    const names = new Set<string>();
    readNames(stmt.iter(), names);
    bodyNames(stmt.body, names);
    for (const name of names) {
      const v = scopes.lookup(name);
      if (v?.kind !== 'array' || v.array.data !== null || !v.array.site.error) continue;
      const id = v.array.site.id;
      if (!this.lists.has(id)) {
        const items = raggedItems(ev, v, maxItems);
        this.lists.set(id, items && { kind: 'sequence', items });
      }
      const list = this.lists.get(id);
      if (list) scopes.shadow(name, list);
    }
  }

  /** The values names a loop sums into had before it (accumulators.ts `valuesBefore`), by loop. */
  private before = new Map<FunctionRecord, Map<string, Value>>();

  /** A module-level `for` statement whose body is being kept in `record`; `before`: see {@link before}. */
  add(record: FunctionRecord, before?: Map<string, Value>): void {
    this.waiting.push(record);
    if (before?.size) this.before.set(record, before);
  }

  /** Runs every loop whose body has been read to its end, in the scope around it. */
  run(ev: Evaluation, scopes: Scopes): void {
    if (this.waiting.length === 0) return;
    const done = this.waiting.filter((w) => w.complete);
    if (done.length === 0) return;
    this.waiting = this.waiting.filter((w) => !w.complete);
    for (const record of done) {
      const rec = settled(record);
      const start = this.before.get(record);
      this.before.delete(record);
      // A `for` statement; JavaScript's counting loop reads as one over its integers (countedLoops.ts).
      const shape = rec.unsupported ? null : loopShape(rec.body);
      if (!shape) continue;
      const { stmt, counted, numbered } = shape;
      // Names only summed into, each holding a number before the loop: run from those numbers.
      const summed = summedNames(stmt) ?? none;
      if ([...summed].some((n) => !start?.has(n)) || notRunnable(stmt, summed)) continue;
      const sums = new Map<string, Value>();
      // The loop's own scope, around its iterable and its iterations: what it binds stays in it.
      scopes.push(Number.MAX_SAFE_INTEGER);
      try {
        this.listsRead(ev, scopes, stmt);
        const listed = counted
          ? countedItems(counted, ev.evaluate(counted.bound), maxItems)
          : iterable(ev, scopes, stmt.iter(), 0, numbered);
        const items = listed && numbered ? numberedItems(listed) : listed;
        if (!items || items.length === 0 || items.length > maxItems) continue;
        this.runs += items.length;
        if (this.runs > maxRunsPerText) return;
        // A hand-written loss assigned in the body (`ce = -np.log(p[y])`) is its pair where its statement
        // ends, as at the top level (statements.ts).
        const settle = (v: Value, node: Node): Value =>
          v.kind === 'array' && v.array.terms
            ? recogniseFormula(ev, v, node, { callee: null, argName: null, args: [] })
            : v;
        for (const n of summed) {
          scopes.shadow(n, start?.get(n) as Value);
          sums.set(n, start?.get(n) as Value);
        }
        runLoop(ev, scopes, { body: stmt.body, target: stmt.target(), items }, settle, sums.size ? sums : undefined);
      } finally {
        scopes.pop();
      }
      // The sums the loop left, in the scope it was written in (a name stays unknown when its sum is not known).
      for (const [n, v] of sums) if (v.kind !== 'unknown') scopes.bind(n, v);
    }
  }

  /** A new text: nothing carries over. */
  reset(): void {
    this.waiting = [];
    this.runs = 0;
    this.lists.clear();
    this.before.clear();
  }
}
