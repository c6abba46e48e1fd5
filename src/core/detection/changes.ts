/**
 * Python calls that may change data in place (docs/detection.md 3.39). A name bound to a list, a
 * dict or an array keeps the value written for it only until something changes that object: a
 * method of it (`cfg.update(eps=0.3)`, `cfg.__setitem__("eps", 0.3)`, `z.reverse()`, `w.sort()`),
 * a function handed it (`np.copyto(w, …)`, `random.shuffle(z)`, a function not defined in the
 * source), `setattr(obj, …)`, or `exec(…)`. Such a call makes the object unknown from there on,
 * under every name that holds it or holds something it holds (`c2 = cfg`, `cfg = {"w": w}`, a
 * followed function's parameter), in whichever scope the name was bound, so a loss reading it
 * afterwards gets no number (with the reason) instead of the one written above. A call is taken
 * as pure only when it is known to be: a short list of builtins and methods, torch and numpy
 * functions other than their in-place ones, and array methods other than in-place ones.
 */
import type { CallNode, Evaluation } from './evaluation';
import type { Node } from './expr';
import { mutators } from './nodeNames';
import type { Scopes } from './scope';
import type { Value } from './values';

/** Methods of a dict or list that read it (every other method may change it: `update`, `__setitem__`, …). */
const pureContainerMethods = new Set([
  'get',
  'keys',
  'values',
  'items',
  'copy',
  'index',
  'count',
  '__getitem__',
  '__contains__',
  '__len__',
]);

/**
 * Methods of an array that change it: torch's in-place `x_` methods (not `requires_grad_`, which
 * changes no number), numpy's in-place ones, Python's list methods (a list literal is read as an
 * array too) and the dunders behind `x[i] = v` and `x += v`.
 */
const arrayChangers = new Set([
  // The methods nodeNames.ts knows change a list or array, but for those of a set or dict (a tensor's
  // `add` and `update`-like names return new values).
  ...[...mutators].filter((m) => !['add', 'discard', 'update', 'setdefault', 'popitem'].includes(m)),
  'setfield',
  'partition',
  'byteswap',
  '__setitem__',
  '__delitem__',
  '__iadd__',
  '__isub__',
  '__imul__',
  '__itruediv__',
]);

/** Library functions that change what they are handed (besides torch's `name_` functions and any `out=`). */
const changingFunctions = new Set(['copyto', 'put', 'place', 'putmask', 'fill_diagonal', 'shuffle', 'copy_']);

/**
 * A function named as changing what it is handed: torch's `name_` functions and numpy's and
 * Python's in-place ones. Other functions (of a library, or defined outside the source: a test's
 * function under test, `out.check(…)`, `model(x)`) are read as not changing their arguments: a
 * pure function is what such code calls far more often, and counting each as a change lost losses
 * found in the fresh study sets (docs/detection.md 3.39 says what this misses).
 */
function inPlaceName(path: string): boolean {
  const last = path.slice(path.lastIndexOf('.') + 1);
  return changingFunctions.has(last) || (/^[a-z]\w*_$/.test(last) && last !== 'requires_grad_');
}

/** Calls that may change every name (`exec("eps = 0.3")`). */
const changesAll = new Set(['exec', 'eval', 'globals', 'locals']);

const changeable = new Set<Value['kind']>(['array', 'opaqueArray', 'sequence', 'dict']);

/** What a call may change: the names it is handed or is a method of; `all` for `exec`. */
export interface Changes {
  names: string[];
  /** Per name: the change may reach inside it (`cfg["w"].reverse()`), not only the object itself (`cfg.update(…)`). */
  deep: boolean[];
  /** What each name held before the call (a modelled in-place method rebinds it: `t.fill_(0)`). */
  before: (Value | undefined)[];
  /** `setattr(obj, "eps", …)`: the dotted names it sets (`obj.eps`), or every `obj.…` when the name is not written. */
  attributes: string[];
  all: boolean;
}

/** The name (`cfg`, `self.cfg`) a node reads its object through: itself, or the object it indexes. */
function holder(node: Node): string | null {
  let n = node;
  while (n.type === 'subscript') n = n.object;
  if (n.type === 'name') return n.id;
  const parts: string[] = [];
  while (n.type === 'attribute' && parts.length < 8) {
    parts.unshift(n.name);
    n = n.object;
  }
  return n.type === 'name' && parts.length > 0 ? `${n.id}.${parts.join('.')}` : null;
}

/**
 * Names handed to a call (its arguments, keyword values, and the items of list, tuple and dict
 * literals among them); `deep` for an element handed (`np.copyto(cfg["w"], …)`).
 */
function handed(call: CallNode, out: string[], deep: boolean[]): void {
  const visit = (n: Node, depth: number): void => {
    if (depth > 3) return;
    if (n.type === 'sequence') for (const i of n.items) visit(i, depth + 1);
    else if (n.type === 'dict') for (const e of n.entries) visit(e.value, depth + 1);
    else if (n.type === 'name' || n.type === 'attribute' || n.type === 'subscript') {
      const h = holder(n);
      if (h) {
        out.push(h);
        deep.push(n.type === 'subscript');
      }
    }
  };
  for (const a of call.args) visit(a, 0);
  for (const k of call.keywords) visit(k.value, 0);
  for (const s of call.stars ?? []) visit(s.value, 0);
}

/** The value a name holds, never evaluating anything (no call is run twice). */
function held(scopes: Scopes, name: string): Value | undefined {
  const v = scopes.lookup(name);
  if (v !== undefined || !name.includes('.')) return v;
  return scopes.lookup(name.slice(0, name.indexOf('.')));
}

/**
 * What `call` may change, decided before it is evaluated (`fn`: its callee's value, when known).
 * Null when it changes nothing a name here holds. JavaScript is not read this way.
 */
export function changesOf(ev: Evaluation, scopes: Scopes, call: CallNode, fn: Value | null): Changes | null {
  if (!ev.python) return null;
  const c = call.callee;
  const names: string[] = [];
  const deep: boolean[] = [];
  const attributes: string[] = [];
  for (const k of call.keywords) if (k.name === 'out') handed({ ...call, args: [], keywords: [k] }, names, deep);
  if (c.type === 'name' && scopes.lookup(c.id) === undefined) {
    // `exec(code, namespace)` runs in the namespace it is handed; `exec(code)` in this module's.
    if (changesAll.has(c.id) && call.args.length + call.keywords.length < 2)
      return { names: [], deep: [], before: [], attributes: [], all: true };
    if (changesAll.has(c.id)) handed({ ...call, args: call.args.slice(1) }, names, deep);
    if (c.id === 'setattr' || c.id === 'delattr') {
      const obj = call.args[0] && holder(call.args[0]);
      const attr = call.args[1];
      if (obj) {
        names.push(obj);
        deep.push(false);
        attributes.push(attr?.type === 'string' && attr.value !== null ? `${obj}.${attr.value}` : obj);
      }
    } else if (inPlaceName(c.id)) handed(call, names, deep);
  } else if (c.type === 'attribute') {
    const obj = holder(c.object);
    const v = obj === null ? undefined : held(scopes, obj);
    if (obj !== null && v !== undefined && changeable.has(v.kind)) {
      // A method of data: `cfg.update(…)`, `z.reverse()`, `w.sort()`, `t.exponential_()`.
      // A tensor's or ndarray's methods (on it or on an element of it) are pure but for the in-place ones.
      const array = (v.kind === 'array' && v.array.container !== 'list') || v.kind === 'opaqueArray';
      const changes = array
        ? arrayChangers.has(c.name) || (/^[a-z]\w*_$/.test(c.name) && c.name !== 'requires_grad_')
        : !pureContainerMethods.has(c.name);
      if (changes) {
        names.push(obj);
        deep.push(c.object.type === 'subscript');
      }
      // What it is handed may now be held inside it (`seen.append(z)`): changed with it later.
      if (changes && !array) handed(call, names, deep);
    } else if (
      fn?.kind === 'namespace' ? inPlaceName(fn.path) || fn.path.startsWith('torch.optim.') : inPlaceName(c.name)
    ) {
      // `np.copyto(w, …)`, `random.shuffle(z)`, `nn.init.constant_(w, 1.0)`, an optimizer (it changes
      // its parameters at each `step()`), `helper.normalize_(w)`.
      handed(call, names, deep);
    }
  }
  const at = names.flatMap((n, k) => (changeable.has(held(scopes, n)?.kind ?? 'unknown') ? [k] : []));
  if (at.length === 0 && attributes.length === 0) return null;
  const kept = at.map((k) => names[k]);
  return {
    names: kept,
    deep: at.map((k) => deep[k]),
    before: kept.map((n) => held(scopes, n)),
    attributes,
    all: false,
  };
}

/** The value of `call` (`value()` evaluates it), with what it may change made unknown after it. */
export function tracked(ev: Evaluation, scopes: Scopes, call: CallNode, fn: Value, value: () => Value): Value {
  const changes = changesOf(ev, scopes, call, fn);
  const v = value();
  if (changes) applyChanges(ev, scopes, call, changes);
  return v;
}

/** Objects gathered per value at most (a value holding more is taken to share one). */
const maxObjects = 256;

/**
 * The objects a value holds (dicts, lists, array buffers), a few levels deep: what
 * aliases share. False when there were more than {@link maxObjects} (not all gathered).
 */
function objectsOf(v: Value, out: Set<object>, depth = 0, deep = true): boolean {
  if (depth > 3 || out.size > maxObjects) return out.size <= maxObjects;
  if (v.kind === 'dict') {
    out.add(v.entries);
    if (deep) for (const x of v.entries.values()) if (!objectsOf(x, out, depth + 1)) return false;
  } else if (v.kind === 'sequence') {
    out.add(v.items);
    if (deep) for (const x of v.items) if (!objectsOf(x, out, depth + 1)) return false;
  } else if (v.kind === 'array' || v.kind === 'opaqueArray') {
    const a = v.kind === 'array' ? v.array : v.from;
    // Its buffer (shared by views and by `torch.from_numpy`), its formula, or its literal when neither is known.
    out.add(a.data ?? a.terms ?? a.site);
  }
  return out.size <= maxObjects;
}

/** Bindings looked at per text for changed objects at most (then every later pair is unverified). */
const maxScans = 2_000_000;

/**
 * Makes what `changes` names unknown, under every name holding it (every scope, so a followed
 * function's change to a module-level list outlives its call). `at`: the call or statement making
 * the change. A name the call itself rebound to its modelled result (`t.fill_(0)` computed) keeps it.
 */
export function applyChanges(
  ev: Evaluation,
  scopes: Scopes,
  at: { start: number; end: number },
  changes: Changes,
): void {
  const ctx = ev.ctx;
  const line = ctx.lines.lineAt(at.start);
  const long = at.end - at.start > 60;
  const why = `\`${ctx.text.slice(at.start, long ? at.start + 60 : at.end)}${long ? '…' : ''}\` on line ${line} may change it`;
  if (changes.all || ctx.changeScans > maxScans) {
    ctx.changedAll ??= changes.all
      ? why.replace(/may change it$/, 'may change any name')
      : `more objects are changed in place than are followed (line ${line})`;
    return;
  }
  const objects = new Set<object>();
  const kept = new Set<Value>();
  for (const [k, n] of changes.names.entries()) {
    const v = changes.before[k];
    const now = held(scopes, n);
    if (now !== undefined && now !== v) kept.add(now);
    if (v && !objectsOf(v, objects, 0, changes.deep[k]))
      ctx.changedAll ??= `${why.replace(/ may change it$/, '')} changes an object holding too many others to follow`;
  }
  const attributes = changes.attributes;
  const prefixes = attributes.map((a) => `${a}.`);
  const gone: Value = { kind: 'unknown', lossy: false, why };
  ctx.changeScans += scopes.replaceAll((name, v) => {
    if (kept.has(v)) return false;
    if (attributes.includes(name) || prefixes.some((p) => name.startsWith(p))) return true;
    if (!changeable.has(v.kind)) return false;
    // Every binding of the name changes (a parameter may be the caller's object under the same
    // name), but for a function's local made by a filling constructor (`y = np.zeros(…)` in a def):
    // Python makes it a new object of that call's own, so `y[i] = 1` in that body leaves the
    // module's `y` as it was (3.133); other bindings change then only when they hold the same object.
    const k = changes.names.indexOf(name);
    const was = changes.before[k];
    if (k >= 0 && (was === undefined || was === v || !freshLocals.has(was))) return true;
    const mine = new Set<object>();
    if (!objectsOf(v, mine)) return true;
    for (const o of mine) if (objects.has(o)) return true;
    return false;
  }, gone);
}

/** Bindings of a function's locals that a filling constructor made (see {@link freshLocal}). */
const freshLocals = new WeakSet<Value>();

/** Constructors that make a new array of their own (never a view of an argument). */
const filling = new Set(
  ['zeros', 'ones', 'empty', 'full', 'eye', 'zeros_like', 'ones_like', 'empty_like', 'full_like'].flatMap((f) => [
    'numpy.' + f,
    'torch.' + f,
  ]),
);

/**
 * After `name = value_node` is bound inside a function body: when the value is a call of a filling
 * constructor (`np.zeros((len(y_cl), k))`), the name's binding there is a new object, local to
 * the function (changes.ts' rule for a same-named binding elsewhere). `bound` is the binding as
 * stored; a shared constant is never marked (the caller binds a copy of it).
 */
export function freshLocal(ev: Evaluation, node: Node, name: string, bound: Value | undefined): void {
  if (!bound || node.type !== 'call' || !dotted(node.callee)) return;
  const callee = ev.evaluate(node.callee);
  if (callee.kind !== 'namespace' || !filling.has(callee.path)) return;
  // `global y` / `nonlocal y` anywhere in the file: the assignment may rebind the outer name itself.
  if (declaredOuter(ev.ctx.whole, name)) return;
  freshLocals.add(bound);
}

/** `np.zeros`, `zeros`: a name or names joined by dots (evaluated without running any call). */
function dotted(n: Node): boolean {
  return n.type === 'name' || (n.type === 'attribute' && dotted(n.object));
}

/** The names the last text read declares `global` or `nonlocal` (one scan per text). */
let outerNames: { text: string; names: Set<string> } = { text: '', names: new Set() };

/** Does a `global` or `nonlocal` statement of the text name `name`? */
function declaredOuter(text: string, name: string): boolean {
  if (outerNames.text !== text) {
    const names = new Set<string>();
    const outer = /\b(?:global|nonlocal)[ \t]+([\w \t,]+)/g;
    for (let m = outer.exec(text); m; m = outer.exec(text)) for (const n of m[1].split(',')) names.add(n.trim());
    outerNames = { text, names };
  }
  return outerNames.names.has(name);
}

/** `to`, the binding that replaces `from` under the same name (an element written), local as `from` was. */
export function carryFresh(from: Value | undefined, to: Value): Value {
  if (from !== undefined && freshLocals.has(from)) freshLocals.add(to);
  return to;
}

/**
 * `del z[0]`, `del cfg["eps"]`, `del obj.w`, `del w`, and assignments into an element the reader does
 * not model (`cfg["w"][0] = 5.0`): each target's object changes (a name deleted is unknown).
 */
export function overwritten(ev: Evaluation, scopes: Scopes, targets: Node[]): void {
  if (!ev.python) return;
  for (const t of targets) {
    const name = holder(t);
    if (name === null) continue;
    const whole = t.type !== 'subscript';
    const names = whole ? [] : [name];
    const deep = t.type === 'subscript' && t.object.type === 'subscript';
    const before = names.map((n) => held(scopes, n));
    applyChanges(ev, scopes, t, { names, deep: [deep], before, attributes: whole ? [name] : [], all: false });
  }
}
