/**
 * Following a call into a Python function defined in the source: its recorded body
 * (functions.ts) is evaluated with the call's arguments bound to its parameters, in a scope of
 * its own, and the call's value is what its `return` gives. A function is a loss because of what
 * it returns (a loss call's value, or a formula's, recognised where the calling statement ends:
 * recognisers/formulas.ts), never because of its name. A body the replay cannot follow (a construct not modelled, a branch on a value not known
 * here, recursion) gives no number and says why, so a claim printed on the call is unverified
 * with that reason rather than guessed.
 */
import { pickedPair, whileReducing } from './recognisers/floatPicks';
import { recogniseFormula } from './recognisers/formulas';
import { changesOf, freshLocal, overwritten } from './changes';
import { assignIndexed, augmentedItem } from './indexedAssign';
import { decided } from './conditions';
import { followedPrint, settledLocal } from './followedPrints';
import { labelBranch } from './labelBranches';
import { loopValues } from './iteration';
import { children, mutated } from './nodeNames';
import type { Evaluation, CallNode } from './evaluation';
import type { Node } from './expr';
import { settled, type FunctionRecord, type RecordedStmt } from './functions';
import { lossyName } from './names';
import { literalBinding } from './scalarSources';
import type { Scopes } from './scope';
import { checkInstanceReturn } from './instanceReturns';
import { ownerScope } from './methods';
import { lossSubclassInstance, superCall, superFunction } from './lossSubclasses';
export { instanceMember } from './objects';
import { fieldLosses, methodCallee, seedSelf } from './objects';
import { isLossy, unknown, type CriterionValue, type Value } from './values';

/** Calls followed inside one another at most (deeper calls are not followed). */
const maxDepth = 6;
/** Statements run per followed call at most (loops included). */
const maxSteps = 20_000;
/** Passes of a JavaScript loop at most (one whose body is empty counts no steps). */
const maxPasses = maxSteps;

let depth = 0;
/** Functions whose calls are being followed (a call to one of them again is recursion). */
const active = new Set<FunctionRecord>();

/**
 * Why a call is not followed: a signal thrown out of a replay and caught in callFunction, never
 * seen outside. Not an Error: constructing one captures a stack trace, and a file whose helpers are
 * called thousands of times (each call stopping at the same `for` over an unknown value) spent a
 * sixth of its analysis there.
 */
class NotFollowed {
  constructor(readonly message: string) {}
}

/** What a body with a nested definition the replay does not follow has (its own reason). */
const nestedDefinition = 'a nested definition';

interface Run {
  ev: Evaluation;
  scopes: Scopes;
  steps: number;
  /** The attributes of the instance whose method runs (objects.ts): where `self.x = …` goes. */
  fields?: Map<string, Value>;
  /** What an assigned value becomes where its statement ends (a module-level loop's hand-written loss: its pair). */
  settle?: (value: Value, node: Node) => Value;
  /** A function with no `return` called for what it shows: a hand-written loss it assigns is its pair (3.209). */
  local?: (value: Value, node: Node) => Value;
}

/** The value of `record(…)` at `call`, following its body. */
export function callFunction(ev: Evaluation, scopes: Scopes, record: FunctionRecord, call: CallNode): Value {
  // Not followed: a claim on the call is unverified, with the reason, when the call may be a
  // loss (its name says so, or arrays go into it).
  const notFollowed = (why: string): Value => {
    // A method of an instance not followed may change it: what it holds is not known any more.
    record.fields?.clear();
    // Its arrays are not paired again by their names: the code's own function is what it computes.
    let arrays = false;
    for (const a of [...call.args, ...call.keywords.map((k) => k.value)]) {
      const v = ev.evaluate(a);
      if (v.kind === 'array') ev.ctx.usedSites.add(v.array.site.id);
      if (v.kind === 'opaqueArray') ev.ctx.usedSites.add(v.from.site.id);
      if (v.kind === 'array' || v.kind === 'opaqueArray' || isLossy(v)) arrays = true;
    }
    return {
      kind: 'unknown',
      lossy: arrays || lossyName.test(record.name),
      why: `the call to \`${record.name}\` is not followed: ${why}`,
    };
  };
  // `Net()`: the instance of a class of the file; `super()` in a torch loss subclass's `forward`: its base.
  if (record.instance) return lossSubclassInstance(ev, record.instance, call);
  if (record.superOf) return superCall(scopes, record.superOf as CriterionValue, call);
  // A body still being read (a call inside it) is read from a copy: its later statements still come.
  const rec = record.complete
    ? settled(record)
    : settled({ ...record, body: [], pending: record.pending && { ...record.pending } });
  // A body with a construct the replay does not model still runs, as written, up to it: the call is
  // followed until the replay meets it (docs/detection.md 3.124), unless calling the function runs
  // nothing at all (a generator's or a coroutine's body runs when it is iterated or awaited).
  if (rec.unsupported && (!record.complete || !partlyFollowed(rec))) return notFollowed(rec.unsupported);
  if (!record.complete || active.has(record)) return notFollowed('it calls itself');
  if (depth >= maxDepth) return notFollowed(`calls nest deeper than ${maxDepth}`);
  const params = record.params;
  if (params.some((p) => p.star)) return notFollowed('it takes *args or **kwargs');
  if (call.args.length > params.length) return notFollowed('it is called with more arguments than it takes');
  // Arguments are evaluated where the call is, before the function's scope exists.
  const bound = new Map<string, Value>();
  // A number written in the call (`bce(1, 0.9)`) is a source where it is written, as `y = 1` is (3.274).
  // A loss worked out over numbers handed to a JavaScript helper (`fmt(ce(z, 0), 4)`) is a pair where it is written (3.303).
  const arg = (a: Node, name: string): Value =>
    ev.python
      ? literalBinding(ev.evaluate(a), a, name, ev.ctx.cell)
      : handedLoss(ev, literalBinding(ev.evaluate(a), a, name, ev.ctx.cell), a);
  call.args.forEach((a, i) => bound.set(params[i].name, arg(a, params[i].name)));
  for (const k of call.keywords) {
    if (!params.some((p) => p.name === k.name)) return notFollowed(`it has no parameter \`${k.name}\``);
    bound.set(k.name, arg(k.value, k.name));
  }
  for (const p of params) if (!bound.has(p.name)) bound.set(p.name, p.default ? ev.evaluate(p.default) : unknown);
  depth++;
  active.add(record);
  // A method sees its class's attributes that are known (methods.ts), under the call's scope.
  const owner = record.owner ? ownerScope(ev.ctx.whole, record.owner) : undefined;
  // `net(x, y)` running the instance's `construct`: its losses are reported at this call.
  const outer = ev.ctx.instanceCall;
  if (outer === null && record.owner?.call === record.name && call.callee.type === 'name')
    ev.ctx.instanceCall = { start: call.start, end: call.end, callee: call.callee.id };
  // `head.forward(x, y)` on an instance of a plain class (objects.ts): the same, at that call.
  const at = outer === null && record.fields ? methodCallee(call) : null;
  if (at) ev.ctx.instanceCall = { start: call.start, end: call.end, callee: at };
  if (owner) scopes.push(Number.MAX_SAFE_INTEGER, 'class', record.owner?.home, owner);
  // Names the body does not bind are the defining scope's (Python's lexical scope), not the caller's.
  // A method of an instance (objects.ts): `self.` is that instance's attributes and methods, a
  // scope between the class's and the body's, which the body's `self.x = …` assigns into.
  const fields = owner && record.fields ? (record.fields as Map<string, Value>) : undefined;
  if (fields && record.owner) {
    seedSelf(record.owner, fields);
    scopes.push(Number.MAX_SAFE_INTEGER, 'block', owner, fields);
  }
  scopes.push(Number.MAX_SAFE_INTEGER, 'block', fields ?? owner ?? record.home);
  let ran = false;
  const before = fields && depth === 1 ? new Map(fields) : undefined;
  const firstPair = ev.ctx.pairs.length;
  try {
    for (const [name, v] of bound) scopes.shadow(name, v);
    if (record.superLoss) scopes.shadow('super', superFunction(record.superLoss as CriterionValue));
    const run: Run = { ev, scopes, steps: 0, fields };
    if (depth === 1 && !owner && record.returns === 0) run.local = (v, node) => settledLocal(ev, v, node);
    // A running sum of per-sample losses in the body folds them (recognisers/floatPicks.ts, 3.378).
    let result = whileReducing(() => block(run, record.body));
    ran = true;
    if (fields && before) result = fieldLosses(ev, call, record.name, fields, before, result);
    if (outer === null) checkInstanceReturn(ev.ctx, firstPair, ev.ctx.instanceCall?.callee ?? record.name, result);
    // A formula's value is recognised where the statement using it ends (it may be reduced first).
    return result ?? unknown;
  } catch (e) {
    // Stopped at the construct the body was recorded with: the reason it was recorded with.
    if (e instanceof NotFollowed)
      return notFollowed(rec.unsupported && e.message.startsWith('its body has') ? rec.unsupported : e.message);
    throw e;
  } finally {
    // Not run to its end: nothing the instance holds is known any more.
    if (fields && !ran) fields.clear();
    if (fields) scopes.pop();
    scopes.pop();
    if (owner) scopes.pop();
    ev.ctx.instanceCall = outer;
    active.delete(record);
    depth--;
  }
}

/** A JavaScript argument that is a summed or averaged loss worked out over numbers: its pair, where it is written. */
function handedLoss(ev: Evaluation, v: Value, a: Node): Value {
  // Only at a call written outside any helper: inside one, the argument is the helper's own name for it.
  if (depth !== 0) return v;
  // A sum or mean of per-element losses written by hand (`fmt(terms.reduce((a, b) => a + b), 4)`, 3.327).
  if (v.kind === 'array' && v.array.terms && v.array.data?.length === 1)
    return recogniseFormula(ev, v, a, { callee: null, argName: null, args: [] });
  const stage = v.kind === 'number' ? v.picked?.stage : undefined;
  return stage === 'neg' || stage === 'mean' ? (pickedPair(ev, v, a) ?? v) : v;
}

/**
 * Runs a module-level loop's body (loops.ts) once per item, `target` bound to the item, in one
 * scope of its own as Python's loop does; stops at what the replay cannot follow (the iterations
 * already run keep what they found).
 */
export function runLoop(
  ev: Evaluation,
  scopes: Scopes,
  loop: { body: RecordedStmt[]; target: Node; items: Value[] },
  settle: (value: Value, node: Node) => Value,
  keep?: Map<string, Value>,
): void {
  if (depth >= maxDepth) {
    keep?.clear();
    return;
  }
  depth++;
  scopes.push(Number.MAX_SAFE_INTEGER, 'loop');
  try {
    const run: Run = { ev, scopes, steps: 0, settle };
    for (const item of loop.items) {
      assign(run, loop.target, item);
      block(run, loop.body);
    }
    // What the loop left in names it sums into (accumulators.ts), read before its scope goes.
    for (const name of keep?.keys() ?? []) keep?.set(name, scopes.lookup(name) ?? unknown);
  } catch (e) {
    if (!(e instanceof NotFollowed)) throw e;
    keep?.clear();
  } finally {
    scopes.pop();
    depth--;
  }
}

/**
 * A body the replay may follow up to its first construct not modelled (a `break`, a `while`, a
 * `try`, a class inside it): not a generator or a coroutine, and not cut short when it was recorded.
 */
function partlyFollowed(rec: FunctionRecord): boolean {
  const reason = rec.unsupported ?? '';
  if (!reason.startsWith('its body has') && !reason.startsWith('it defines')) return false;
  const runsNothing = (body: RecordedStmt[]): boolean =>
    body.some((s) =>
      s.k === 'unsupported'
        ? /yield|await|async/.test(s.what)
        : s.k === 'if'
          ? s.tests.some((t) => runsNothing(t.body))
          : (s.k === 'for' || s.k === 'loop') && runsNothing(s.body),
    );
  return !runsNothing(rec.body);
}

/** Runs statements; the value of a `return` reached, or null when the block ends without one. */
function block(run: Run, body: RecordedStmt[]): Value | null {
  for (const s of body) {
    if (++run.steps > maxSteps) throw new NotFollowed(`it runs more than ${maxSteps} statements`);
    switch (s.k) {
      case 'return':
        return s.node ? run.ev.evaluate(s.node()) : unknown;
      case 'expr': {
        const node = s.node();
        // A print in a followed function's body (not a module-level loop's: runLoop settles those).
        if (run.settle || !followedPrint(run.ev, run.scopes, node)) run.ev.evaluate(node);
        break;
      }
      case 'assign': {
        let value: Value;
        let made: Node | null = null;
        if (s.aug) {
          const target = s.targets[0]();
          const right = s.value();
          if (target.type === 'subscript') {
            if (!augmentedItem(run.ev, run.scopes, target, s.aug, right)) assign(run, target, unknown);
            break;
          }
          const node: Node = {
            type: 'binary',
            op: s.aug,
            left: target,
            right,
            start: target.start,
            end: right.end,
          };
          value = run.ev.evaluate(node);
        } else {
          const node = s.value();
          value = run.ev.evaluate(node);
          if (run.settle) value = run.settle(value, node);
          else if (run.local) value = run.local(value, node);
          // Not in a module-level loop (runLoop settles its values): its names are the module's.
          if (node.type === 'call' && !run.settle && run.scopes.inFunction()) made = node;
        }
        for (const t of s.targets) {
          const target = t();
          // A local a filling constructor makes (`y = np.zeros(…)`): a binding of its own (changes.ts).
          if (made && target.type === 'name') {
            assign(run, target, value === unknown ? { ...unknown } : value);
            freshLocal(run.ev, made, target.id, run.scopes.lookup(target.id));
          } else assign(run, target, value);
        }
        break;
      }
      case 'if': {
        for (const test of s.tests) {
          if (test.cond !== null) {
            const c = decided(run.ev, test.cond());
            // An `if` that only reports (`if loss.item() > 1: print("hard")`) changes nothing the run reads on.
            if (c === null && inert(run, s.tests)) break;
            if (c === null) throw new NotFollowed('an `if` depends on a value not known here');
            if (!c) continue;
          }
          const r = block(run, test.body);
          if (r) return labelBranch(run.ev, s.tests, s.tests.indexOf(test), r);
          break;
        }
        break;
      }
      case 'for': {
        const over = run.ev.evaluate(s.iter());
        if (s.js && over.kind === 'array' && over.array.container === 'tf')
          throw new NotFollowed('it iterates a tfjs tensor, which raises a TypeError in JavaScript');
        const items = loopValues(over);
        if (!items) throw new NotFollowed('a `for` loop goes over a value not known here');
        for (const item of items) {
          assign(run, s.target(), item);
          const r = block(run, s.body);
          if (r) return r;
        }
        break;
      }
      case 'loop': {
        // JavaScript's counting loop, run as written: the test read before each pass (3.282).
        for (let pass = 0; ; pass++) {
          const c = decided(run.ev, s.cond());
          if (c === null) throw new NotFollowed("a loop's test depends on a value not known here");
          if (!c) break;
          if (pass >= maxPasses) throw new NotFollowed(`it runs more than ${maxSteps} statements`);
          const r = block(run, s.body);
          if (r) return r;
          block(run, s.update);
        }
        break;
      }
      case 'def': {
        // `def softmax(z): …` inside the body: bound here, its free names read in this call's scope.
        const nested = settled(s.record);
        // A callback's body (3.375): the reason it was read with, met where its call runs.
        if (nested.unsupported && nested.callback) throw new NotFollowed(nested.unsupported);
        if (nested.unsupported) throw new NotFollowed(`its body has ${nestedDefinition}`);
        run.scopes.bind(nested.name, { kind: 'function', record: { ...nested, home: run.scopes.current() } });
        break;
      }
      case 'unsupported':
        throw new NotFollowed(`its body has ${s.what}`);
    }
  }
  return null;
}

/**
 * Branches that change nothing a later statement reads: expression statements only, none changing
 * an object in place (`seen.append(x)`, `cfg.update(eps=0.3)`, `np.copyto(w, …)`: changes.ts) or
 * calling a function of the source (which may), and no test after the first whose evaluation
 * could (the later tests are not evaluated either).
 */
function inert(run: Run, tests: { cond: (() => Node) | null; body: RecordedStmt[] }[]): boolean {
  const ev = run.ev;
  const calls = (node: Node | null, depth = 0): boolean => {
    if (!node || depth > 200) return true;
    if (node.type === 'call') {
      const c = node.callee;
      const fn = plain(c) ? ev.evaluate(c) : null;
      if (fn?.kind === 'function' || changesOf(ev, run.scopes, node, fn)) return false;
    }
    return children(node).every((c) => calls(c, depth + 1));
  };
  for (const [k, t] of tests.entries()) {
    const nodes = k > 0 && t.cond ? [t.cond()] : [];
    for (const s of t.body) {
      if (s.k !== 'expr') return false;
      nodes.push(s.node());
    }
    const changed = new Set<string>();
    for (const node of nodes) {
      mutated(node, changed);
      if (changed.size > 0 || !calls(node)) return false;
    }
  }
  return true;
}

/** A name or a dotted name (`cfg`, `self.opts.update`): evaluated without running any call. */
function plain(n: Node): boolean {
  return n.type === 'name' || (n.type === 'attribute' && plain(n.object));
}

/** `target = value` for a name, a tuple of names, or an indexed array (`out[i] = v`). */
function assign(run: Run, target: Node, value: Value): void {
  const scopes = run.scopes;
  if (target.type === 'name') scopes.bind(target.id, namedNumber(value, target.id));
  else if (target.type === 'sequence') {
    target.items.forEach((t, i) =>
      assign(
        run,
        t,
        value.kind === 'sequence' && value.items.length === target.items.length ? value.items[i] : unknown,
      ),
    );
  } else if (target.type === 'subscript') {
    if (!assignIndexed(run.ev, scopes, target, value)) {
      overwritten(run.ev, scopes, [target]);
      throw new NotFollowed('an indexed assignment is not modelled');
    }
  } else if (target.type === 'attribute' && target.object.type === 'name' && target.object.id === 'self') {
    // `self.loss = -np.log(p)` inside a followed method: read back by the same call (objects.ts, 3.155);
    // a caller reading `crit.loss` afterwards does not see it (not known there).
    if (run.fields) run.fields.set(`self.${target.name}`, value);
    else scopes.shadow(`self.${target.name}`, value);
  } else overwritten(run.ev, scopes, [target]);
}

/** A loop's number written in its list (loopNumbers.ts), named by the loop's name it is bound to. */
function namedNumber(value: Value, name: string): Value {
  return value.kind === 'number' && value.literal?.name === ''
    ? { ...value, literal: { ...value.literal, name } }
    : value;
}

/**
 * Runs a block-bodied callback's body (jsBlockCallbacks.ts, 3.375), or a helper named as the callback (3.377),
 * in the scope jsCallbacks.ts made for it,
 * its parameters bound there: the value its `return` gives (`undefined` when it ends without one), or not
 * computed with the reason the replay stopped at.
 */
export function runCallback(ev: Evaluation, scopes: Scopes, record: FunctionRecord, method: string): Value {
  const rec = settled(record);
  const why = (what: string): Value => ({
    kind: 'unknown',
    lossy: false,
    why: `the \`.${method}\` callback is not followed: ${what}`,
  });
  if (active.has(record)) return why('it calls itself');
  if (rec.unsupported) return why(rec.unsupported);
  if (depth >= maxDepth) return why(`calls nest deeper than ${maxDepth}`);
  depth++;
  active.add(record);
  try {
    return block({ ev, scopes, steps: 0 }, rec.body) ?? { kind: 'unknown', lossy: false, none: true };
  } catch (e) {
    if (e instanceof NotFollowed) return why(e.message);
    throw e;
  } finally {
    active.delete(record);
    depth--;
  }
}

/**
 * `lambda v: body` as a function of one parameter returning its body (`a if c else b` decided by
 * conditions.ts when it is called): followed as a `def` is. Only one made at a segment's top level:
 * its other names are the module's, looked up when it is called, as Python does.
 */
export function lambdaValue(ev: Evaluation, scopes: Scopes, node: Extract<Node, { type: 'lambda' }>): Value {
  // Made inside a function, it may close over that function's names, which its call would not see.
  if (!ev.topLevel) return { kind: 'unknown', lossy: false, why: 'a lambda made inside a function is not followed' };
  const record: FunctionRecord = {
    name: 'lambda',
    params: node.params.map((q) => ({ name: q.name, default: q.default, star: false })),
    body: [{ k: 'return', node: () => node.body }],
    // A destructured parameter is unpacked only where an array callback hands it its element (jsCallbacks.ts).
    unsupported: node.params.some((q) => q.unpack) ? 'a destructured parameter' : null,
    complete: true,
    returns: 1,
    pending: null,
    home: scopes.current(),
  };
  return { kind: 'function', record };
}
