/**
 * Methods of the classes a Python file defines, followed as functions are (docs/detection.md 3.118):
 * `self._get_outputs()` in a test method runs the class's own `_get_outputs`, and calling an
 * instance of a model class defined in the file (`net = Net(); net(x, y)`) runs its `forward`
 * (torch's `nn.Module`, gluon's `Block`) or `construct` (MindSpore's `Cell`). Only what is
 * unambiguous in the file is followed: a method whose name is defined once in the whole file (no
 * subclass of the file can override it), no decorator (`@staticmethod`, `@property` change what
 * the name means), and, inside a followed method, only the `self.` attributes the file assigns
 * exactly once (set-up values another method may change are not known).
 */
import type { ClassInfo } from './functions';
import { classChain, objectOf } from './objects';
import type { Value } from './values';

/** Counts of the file's `def NAME`, `class NAME` and `self.NAME =` spellings, made in one pass per text. */
interface Counts {
  defs: Map<string, number>;
  classes: Map<string, number>;
  attributes: Map<string, number>;
}

let countedText: string | null = null;
let counted: Counts = { defs: new Map(), classes: new Map(), attributes: new Map() };

const spellings = /\b(def|class)[ \t]+([A-Za-z_]\w*)|\b(?:self|cls)\.([A-Za-z_]\w*)\s*(?:[-+*/]?=(?!=))/g;

function counts(text: string): Counts {
  if (text === countedText) return counted;
  const c: Counts = { defs: new Map(), classes: new Map(), attributes: new Map() };
  // `self.loss = self.loss = X` is one assignment: an attribute counts once per line.
  let lineEnd = -1;
  let line = 0;
  const seen = new Map<string, number>();
  let cls = '';
  for (const m of text.matchAll(spellings)) {
    while (lineEnd < (m.index ?? 0)) {
      lineEnd = text.indexOf('\n', lineEnd + 1);
      if (lineEnd < 0) lineEnd = text.length;
      line++;
    }
    // An attribute is counted under the class whose header comes last before it (`Net.eps`).
    const name = m[3] !== undefined ? `${cls}.${m[3]}` : m[2];
    if (m[1] === 'class') cls = m[2];
    if (m[3] !== undefined) {
      if (seen.get(name) === line) continue;
      seen.set(name, line);
    }
    const map = m[3] !== undefined ? c.attributes : m[1] === 'def' ? c.defs : c.classes;
    map.set(name, (map.get(name) ?? 0) + 1);
  }
  countedText = text;
  counted = c;
  return c;
}

/** Is `def name` written once in the whole text (so no other class's method of that name can run instead)? */
export function definedOnce(text: string, name: string): boolean {
  return counts(text).defs.get(name) === 1;
}

/** Is the attribute of `self.name` (or `cls.name`) assigned on one line of class `owner`'s text at most? */
export function assignedOnce(text: string, owner: string, name: string): boolean {
  return (counts(text).attributes.get(`${owner}.${name.slice(name.indexOf('.') + 1)}`) ?? 0) <= 1;
}

/** Is `class name` written once in the whole text? */
export function classOnce(text: string, name: string): boolean {
  return counts(text).classes.get(name) === 1;
}

/** Does the line above the `def` at `start` (blank lines skipped) carry a decorator? */
export function decorated(text: string, start: number): boolean {
  let end = text.lastIndexOf('\n', start - 1);
  while (end > 0) {
    const from = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(from, end).trim();
    if (line) return line.startsWith('@');
    end = from - 1;
  }
  return false;
}

/** Is the one decorator above the `def` at `start` (blank lines skipped) `@staticmethod`? */
export function staticDecorated(text: string, start: number): boolean {
  const lines: string[] = [];
  let end = text.lastIndexOf('\n', start - 1);
  while (end > 0 && lines.length < 2) {
    const from = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(from, end).trim();
    if (line) lines.push(line);
    end = from - 1;
  }
  return lines[0] === '@staticmethod' && !(lines[1] ?? '').startsWith('@');
}

/** Base classes whose instances, called, run a method of their own: the method's name. */
const instanceCalls = new Map([
  ['Module', 'forward'],
  ['Block', 'forward'],
  ['HybridBlock', 'forward'],
  ['Cell', 'construct'],
]);

/**
 * What calling an instance runs, from the class header's bases (`(nn.Cell)`): one base among
 * torch's `nn.Module`, gluon's `Block` / `HybridBlock` and MindSpore's `Cell`, spelled with their
 * module or bare; anything else (a base of the file, several bases) is not followed.
 */
export function instanceCall(bases: string): string | null {
  const parts = bases.split(',').map((s) => s.trim());
  if (parts.length !== 1 || !/^[A-Za-z_][\w.]*$/.test(parts[0])) return null;
  const last = parts[0].slice(parts[0].lastIndexOf('.') + 1);
  return instanceCalls.get(last) ?? null;
}

/**
 * The class scope a followed method sees: the `self.` attributes the file assigns once (in
 * `__init__` / `setUp`), its own methods; an attribute assigned more than once anywhere in the
 * file is left out (which value the method would see depends on the order of calls).
 */
export function ownerScope(text: string, info: ClassInfo): Map<string, Value> {
  const attributes = counts(text).attributes;
  const out = new Map<string, Value>();
  // An instance of a plain class sees its bases' names under its own class's (objects.ts).
  for (const c of classChain(info))
    for (const [key, v] of c.vars as ReadonlyMap<string, Value>) {
      if (!key.startsWith('self.')) out.set(key, v);
      else if (v.kind === 'function' && c.methods.has(key.slice(5))) out.set(key, v);
      else if (attributes.get(`${c.name}.${key.slice(5)}`) === 1) out.set(key, v);
    }
  return out;
}

/** `Net(…)`: the instance, as the method its call runs, or why it is not followed. */
export function instanceOf(info: ClassInfo): Value {
  const name = info.call;
  const record = name ? info.methods.get(name) : undefined;
  if (!name && info.plain) return objectOf(info);
  if (!name || !record)
    return {
      kind: 'unknown',
      lossy: false,
      why: `\`${info.name}\` defines no \`${name ?? 'forward'}\` defined once in this file`,
    };
  return { kind: 'function', record };
}
