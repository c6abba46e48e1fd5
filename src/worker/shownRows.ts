/**
 * The row lists of the samples the panel shows (kernel SampleRow: logits, exp, softmax,
 * log_softmax), kept per pair from one computation to the next (another ε, weight, ignore_index or
 * reduction shows the same sample without its C exps again), and made ahead a few classes a step in
 * the worker's idle time: the next sample, and the shown one in the other dtype for a switch. A
 * request that needs a row being made ahead finishes it where it stopped.
 */
import { sampleRow, SampleRowBuilder, type Prepared, type SampleRow } from '../core/kernel';

/** Rows by {@link shownRowKey}, most recently used last. */
export type ShownRows = Map<string, SampleRow>;

/**
 * Rows kept: the one on show, the next one made ahead, and the one on show in the other dtype
 * (made ahead for a dtype switch).
 */
const keptShownRows = 3;

/**
 * Rows of more classes than this are not kept: each kept row holds five lists of C doubles, which
 * the worker's memory accounting does not count (at most 3 × 5 × 2^17 × 8 B = 15.7 MB per pair; a
 * 128 256-class vocabulary fits).
 */
export const maxKeptRowClasses = 1 << 17;

/**
 * Classes per step of a row made ahead: a 50 257-class row in 7 steps of 0.2–0.6 ms (more under
 * load), so that a request arriving meanwhile waits for one of them, not for the whole row.
 */
export const rowClassesPerStep = 8192;

/** The row being made ahead for a set of kept rows. */
const begun = new WeakMap<ShownRows, { key: string; builder: SampleRowBuilder }>();

/** What a row depends on: the pair, the dtype, the input kind and the sample. */
function shownRowKey(pairId: number, p: Prepared, element: number): string {
  return `${pairId}|${p.dtype}|${p.inputKind}|${element}`;
}

function keep(rows: ShownRows, key: string, row: SampleRow): void {
  rows.set(key, row);
  while (rows.size > keptShownRows) rows.delete(rows.keys().next().value!);
}

/** Sample `element`'s row lists of `p` from `rows`, or made (finishing one begun ahead) and kept there. */
export function keptRow(rows: ShownRows, pairId: number, p: Prepared, element: number): SampleRow {
  const key = shownRowKey(pairId, p, element);
  let row = rows.get(key);
  if (row) {
    rows.delete(key);
  } else {
    const made = begun.get(rows);
    if (made?.key === key) {
      begun.delete(rows);
      row = made.builder.finish();
    } else row = sampleRow(p, element);
    if (p.C > maxKeptRowClasses) return row;
  }
  keep(rows, key, row);
  return row;
}

/**
 * Makes sample `element`'s row lists of `p` ahead, {@link rowClassesPerStep} classes a step until
 * `enough` says stop, and keeps them in `rows`. True when they are kept, or not to be made (out of
 * range, or too long to keep: it would be made twice).
 */
export function stepRowAhead(
  rows: ShownRows,
  pairId: number,
  p: Prepared,
  element: number,
  enough: () => boolean,
): boolean {
  if (p.C > maxKeptRowClasses || element < 0 || element >= p.N * p.S) return true;
  const key = shownRowKey(pairId, p, element);
  if (rows.has(key)) return true;
  let made = begun.get(rows);
  if (made?.key !== key)
    begun.set(rows, (made = { key, builder: new SampleRowBuilder(p, element, rowClassesPerStep) }));
  if (!made.builder.step(enough)) return false;
  begun.delete(rows);
  keep(rows, key, made.builder.finish());
  return true;
}
