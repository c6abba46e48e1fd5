/**
 * What a Python `for` visits when the iterable is known here: a list or tuple of values, the items
 * of a literal list or the rows of an array (each still an element of its array, so that a loop's
 * `t * log(q)` is read as the formula step it is), `zip(a, b, …)` of such iterables (tuples,
 * cut at the shortest, as Python does) and `enumerate(x, start=0)` of one (index, item) tuples:
 * module-level loops read these from the code (loops.ts), loops in followed functions from values.
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

/** `enumerate(x)` / `enumerate(x, k)` / `enumerate(x, start=k)` of an iterable known here: (index, item) tuples, or unknown. */
export function enumerated(ev: Evaluation, call: CallNode): Value {
  const items =
    call.args.length >= 1 && call.args.length <= 2 ? loopValues(argumentValue(ev, call, { position: 0 })) : null;
  if (!items || call.keywords.some((k) => k.name !== 'start')) return unknown;
  const given = call.args.length === 2 || call.keywords.length > 0;
  const start = given ? argumentValue(ev, call, { position: 1, keyword: 'start' }) : null;
  if (start && (start.kind !== 'number' || !Number.isInteger(start.value))) return unknown;
  const first = start?.kind === 'number' ? start.value : 0;
  return {
    kind: 'sequence',
    items: items.map((v, k): Value => ({
      kind: 'sequence',
      items: [{ kind: 'number', value: first + k, integer: true }, v],
    })),
  };
}
