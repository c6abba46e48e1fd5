/**
 * Methods of Python values other than arrays and losses: `d.get(k)` / `d.get(k, default)` on a dict
 * known from the file (changes.ts makes a dict changed in place unknown before it gets here),
 * `"…".format(loss)`, and `"none mean sum".split()` (a list of words a loop may visit).
 */
import { argumentValue, sourceOf, type CallNode, type Evaluation } from './evaluation';
import type { NodeOf } from './expr';
import { maskedMethod, maskedReduction } from './maskedLosses';
import { isLossy, unknown, type Value, type ValueOf } from './values';

/** The value of a dict literal: its string keys, and whether every key is one (no `**other`, no other key). */
export function dictValue(ev: Evaluation, node: NodeOf<'dict'>, entries: Map<string, Value>): Value {
  // A key with an escape or a bytes prefix may not be the text it reads as.
  const plain = (e: { key: string | null; start: number }): boolean =>
    e.key !== null && !e.key.includes('\\') && /^[rRuU]?['"]/.test(ev.ctx.text.slice(e.start, e.start + 2));
  if (!ev.python) return { kind: 'dict', entries };
  // Such a key is not read at all (`{b"eps": 0.3}["eps"]` raises): the dict is not complete either.
  for (const e of node.entries) if (e.key !== null && !plain(e)) entries.delete(e.key);
  return { kind: 'dict', entries, complete: node.entries.every(plain) };
}

/** Does the dict hold every key it has (so that a key absent from it is absent in Python)? */
export function dictComplete(d: ValueOf<'dict'>): boolean {
  return d.complete === true;
}

/** `d.name`: a key read as a field (JavaScript), or (Python) a method of the dict, called by {@link valueMethod}. */
export function dictAttribute(ev: Evaluation, d: ValueOf<'dict'>, name: string): Value {
  return d.entries.get(name) ?? (ev.python ? { kind: 'method', receiver: d, name } : unknown);
}

/** A method call on a dict or a string this module computes, else null. */
export function valueMethod(ev: Evaluation, receiver: Value, name: string, node: CallNode): Value | null {
  if (receiver.kind === 'unknown' && receiver.masked)
    return maskedReduction(ev, receiver, name, node) ?? maskedMethod(ev, receiver, name, node);
  if (receiver.kind === 'string' && name === 'format') {
    const values = node.args.map((x) => ev.evaluate(x)).filter(isLossy);
    return values.length === 1 ? values[0] : unknown;
  }
  if (receiver.kind === 'string' && name === 'split' && ev.python) return splitWords(receiver.value, node);
  if (receiver.kind !== 'dict' || name !== 'get' || !ev.python) return null;
  if (node.keywords.length || node.args.length < 1 || node.args.length > 2) return null;
  const key = node.args[0];
  const k = ev.evaluate(key);
  // The key as written: a plain string literal, or a name bound to one.
  const plainKey =
    k.kind === 'string' &&
    !k.value.includes('\\') &&
    (key.type !== 'string' || /^[rRuU]?['"]/.test(ev.ctx.text.slice(key.start, key.start + 2)));
  if (!plainKey) return { kind: 'unknown', lossy: false, why: `the key of \`${sourceOf(ev, node)}\` is not known` };
  const found = receiver.entries.get(k.value);
  if (found !== undefined) return found;
  if (!dictComplete(receiver))
    return { kind: 'unknown', lossy: false, why: `whether \`${sourceOf(ev, node)}\` finds its key is not known` };
  // Absent: the default given, else None.
  return node.args.length === 2
    ? argumentValue(ev, node, { position: 1 })
    : { kind: 'unknown', lossy: false, none: true };
}

/** Longest list of words read from `"…".split()`. */
const maxWords = 64;

/**
 * Python's `str.split()` with no argument (runs of whitespace part the words, none empty) of a
 * string known here; any argument, or a string holding a backslash (an escape read here or not),
 * is not modelled.
 */
function splitWords(value: string, node: CallNode): Value {
  if (node.args.length || node.keywords.length || value.includes('\\')) return unknown;
  const words = value.split(/[ \t\n\r\f\v]+/).filter((w) => w !== '');
  if (words.length > maxWords) return unknown;
  return { kind: 'sequence', items: words.map((w): Value => ({ kind: 'string', value: w })) };
}
