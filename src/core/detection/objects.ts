/**
 * Instances of the file's plain classes, and their methods called by name (docs/detection.md
 * 3.154-3.156): the numpy course's `class Loss: def calculate(self, output, y): return
 * np.mean(self.forward(output, y))` with `class CategoricalCE(Loss): def forward(…)`, then
 * `crit = CategoricalCE(); crit.calculate(probs, classes)`. A class is plain when its header
 * names no base, `object`, or one plain class of the file defined earlier; a method is looked up
 * in the instance's class, then its bases, and runs with the instance's class as `self`'s, so the
 * base's `self.forward(…)` is the subclass's `forward` (a name defined once in the file: no other
 * class can override it, methods.ts).
 */
import type { CallNode, Evaluation } from './evaluation';
import { madeRecord, settled, type ClassInfo } from './functions';
import { recogniseFormula } from './recognisers/formulas';
import { unknown, type Value } from './values';

/** Marks `info` plain when its header's bases (`''`, `object`, one plain class of the file) allow it. */
export function plainBase(info: ClassInfo, bases: string, lookup: (name: string) => Value | undefined): void {
  const b = bases.trim();
  if (b === '' || b === 'object') {
    info.plain = true;
    return;
  }
  if (!/^[A-Za-z_]\w*$/.test(b)) return;
  const v = lookup(b);
  const base = v?.kind === 'function' ? v.record.instance : undefined;
  if (base?.plain) {
    info.plain = true;
    info.base = base;
  }
}

/** The classes whose scopes a method of `info`'s instance sees, the root base first. */
export function classChain(info: ClassInfo): ClassInfo[] {
  const out: ClassInfo[] = [];
  for (let c: ClassInfo | undefined = info; c && out.length < 16; c = c.base) out.unshift(c);
  return out;
}

/** `crit = Loss()` of a plain class: the instance, whose methods `crit.m` names (not callable itself). */
export function objectOf(info: ClassInfo): Value {
  const unsupported = `calling an instance of \`${info.name}\` (its \`__call__\`) is not followed`;
  return { kind: 'function', record: madeRecord(info.name, { unsupported, object: info, fields: new Map() }) };
}

/**
 * `crit.name` of an instance of a plain class: the method its class or a base defines, run with
 * the instance's class as its owner; anything else (an attribute a method assigns, a method still
 * being read) is not known here.
 */
export function instanceMember(obj: Value, name: string): Value {
  // `Loss.bce` (the class) or `crit.bce` (an instance): a static method of the class or a base (3.366).
  const cls = obj.kind === 'function' ? (obj.record.instance ?? obj.record.object) : undefined;
  for (let c: ClassInfo | undefined = cls; c; c = c.base) {
    const s = c.statics?.get(name);
    if (s) return s.complete ? { kind: 'function', record: settled(s) } : unknown;
  }
  const info = obj.kind === 'function' ? obj.record.object : undefined;
  const fields = obj.kind === 'function' ? obj.record.fields : undefined;
  if (!info || !fields) return unknown;
  const method = methodOf(info, fields, name);
  if (method) return method;
  const field = fields.get(`self.${name}`) as Value | undefined;
  if (field) return field;
  // A member not followed (a decorated method, one of another file's base): it may change the
  // instance, so nothing it holds is known from here on.
  fields.clear();
  return unknown;
}

/** The method `name` of an instance of `info` whose attributes are `fields`, as a value to call. */
function methodOf(info: ClassInfo, fields: Map<string, unknown>, name: string): Value | null {
  for (let c: ClassInfo | undefined = info; c; c = c.base) {
    const method = c.methods.get(name);
    if (!method) continue;
    if (!method.complete) return unknown;
    // Settled in place first: the copy shares the body the original reads into.
    const record = settled(method);
    return { kind: 'function', record: { ...record, owner: info, fields } };
  }
  return null;
}

/**
 * What a method of an instance sees as `self.` when it runs (`fields`, keyed `self.name`, a scope
 * of its own): the attributes earlier calls assigned, and the instance's methods bound to the same
 * instance (so the base's `self.forward(…)` runs the subclass's, and what it assigns stays on the
 * instance, where the caller reads it back).
 */
export function seedSelf(info: ClassInfo, fields: Map<string, unknown>): void {
  for (const c of classChain(info))
    for (const name of c.methods.keys()) {
      const m = methodOf(info, fields, name);
      if (m) fields.set(`self.${name}`, m);
    }
}

/**
 * After `crit.calculate(probs, classes)` (a method of an instance, called from module code) ran to
 * its end: a hand-written loss reduced to one number that it left on the instance
 * (`self.mean_loss = np.mean(rows)`) is the pair of that call, where the code reads the loss;
 * `result` (what the call returns) is that pair too when it is the same value.
 */
export function fieldLosses(
  ev: Evaluation,
  call: CallNode,
  callee: string,
  fields: Map<string, Value>,
  before: ReadonlyMap<string, Value>,
  result: Value | null,
): Value | null {
  let out = result;
  const rows: [string, Value][] = [];
  let found = false;
  for (const [k, v] of fields) {
    if (before.get(k) === v || v.kind !== 'array' || !v.array.terms) continue;
    if (v.array.data?.length !== 1) {
      rows.push([k, v]);
      continue;
    }
    const loss = recogniseFormula(ev, v, call, { callee, argName: null, args: [] });
    if (loss.kind !== 'loss') continue;
    found = true;
    fields.set(k, loss);
    if (out?.kind === 'array' && out.array.terms === v.array.terms) out = loss;
  }
  // The per-row losses the call reduced (`self.loss`, then `self.meanloss`) are a step of that
  // pair, not a loss of their own where a print reads them.
  if (found)
    for (const [k, v] of rows)
      if (v.kind === 'array') fields.set(k, { kind: 'array', array: { ...v.array, terms: undefined } });
  return out;
}

/** `crit.calculate` of `crit.calculate(p, y)` as written (an instance's name, then the method's), else null. */
export function methodCallee(call: CallNode): string | null {
  const c = call.callee;
  return c.type === 'attribute' && c.object.type === 'name' ? `${c.object.id}.${c.name}` : null;
}
