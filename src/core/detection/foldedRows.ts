/**
 * A closed list whose items were computed (`[0.25, 1 - 0.25]`, a comprehension's results, the numbers under one
 * key of a list of objects) folded into an array of its own, as if its numbers were written there. Moved out of
 * evalSteps.ts so that jsCallbacks.ts, which evalSteps.ts imports, can fold too.
 */
import { literalArray } from './arrays';
import type { Evaluation } from './evaluation';
import type { Value } from './values';

/** An element of a Python list as written (`labels[i]`): a Python number, in a list built of it. */
function listElement(v: Value): v is Value & { kind: 'array' } {
  if (v.kind !== 'array') return false;
  const a = v.array;
  return a.container === 'scalar' && a.shape.length === 0 && a.data?.length === 1 && !!a.view && !a.derived;
}

/**
 * The array a closed list spanning `start`..`end` holds when every item is a number (or every item
 * a list of numbers of one length): a site of its own, as if the results were written there.
 */
export function foldedRows(ev: Evaluation, start: number, end: number, items: Value[]): Value | null {
  if (items.length === 0 || items.length > 4096) return null;
  const rows: number[][] = [];
  let integral = true;
  const numbers = (v: Value): number[] | null => {
    if (v.kind === 'number') {
      if (!v.integer) integral = false;
      return [v.value];
    }
    if (v.kind === 'sequence' && v.items.every((x) => x.kind === 'number')) {
      if (v.items.some((x) => x.kind === 'number' && !x.integer)) integral = false;
      return v.items.map((x) => (x as { value: number }).value);
    }
    if (v.kind === 'array' && v.array.container === 'list' && v.array.shape.length === 1 && v.array.data) {
      if (!v.array.site.integral) integral = false;
      return Array.from(v.array.data);
    }
    if (listElement(v)) {
      if (!v.array.site.integral) integral = false;
      return [(v.array.data as Float64Array)[0]];
    }
    return null;
  };
  const flat = items.every((v) => v.kind === 'number' || listElement(v));
  for (const v of items) {
    const r = numbers(v);
    if (!r) return null;
    rows.push(r);
  }
  if (
    !flat &&
    (items.some((v) => v.kind === 'number' || listElement(v)) || rows.some((r) => r.length !== rows[0].length))
  )
    return null;
  const data = Float64Array.from(rows.flat());
  const shape = flat ? [rows.length] : [rows.length, rows[0].length];
  const id = ev.ctx.addSite(
    { end, shape, data, integral, count: data.length, error: null, tuple: false },
    start,
    'list',
  );
  return { kind: 'array', array: literalArray(ev, id) };
}
