/**
 * What a Python `for` visits when the iterable is known here: a list or tuple of values, the items
 * of a literal list or the rows of an array (each still an element of its array, so that a loop's
 * `t * log(q)` is read as the formula step it is), and `zip(a, b, …)` of such iterables (tuples,
 * cut at the shortest, as Python does).
 */
import { argumentValue, type CallNode, type Evaluation } from './evaluation';
import { getItem } from './tensorIndex';
import { unknown, type Value } from './values';

/** Longest iterable a loop is followed over. */
const maxLoopItems = 4096;

/** The items of an iterable value, or null when they are not known here. */
export function loopValues(v: Value): Value[] | null {
  if (v.kind === 'sequence') return v.items.length <= maxLoopItems ? v.items : null;
  if (v.kind !== 'array' || !v.array.data || v.array.shape.length === 0 || v.array.transform !== null) return null;
  const n = v.array.shape[0];
  if (n > maxLoopItems) return null;
  const out: Value[] = [];
  for (let k = 0; k < n; k++) {
    const row = getItem(v.array, [{ k: 'int', value: k, op: null }]);
    if (!row) return null;
    out.push({ kind: 'array', array: row });
  }
  return out;
}

/** `zip(a, b, …)` of iterables known here: a list of tuples, or unknown. */
export function zipped(ev: Evaluation, call: CallNode): Value {
  if (call.args.length === 0 || call.keywords.length) return unknown;
  const lists: Value[][] = [];
  for (let i = 0; i < call.args.length; i++) {
    const items = loopValues(argumentValue(ev, call, { position: i }));
    if (!items) return unknown;
    lists.push(items);
  }
  const n = Math.min(...lists.map((l) => l.length));
  return {
    kind: 'sequence',
    items: Array.from({ length: n }, (_, k) => ({ kind: 'sequence', items: lists.map((l) => l[k]) }) as Value),
  };
}
