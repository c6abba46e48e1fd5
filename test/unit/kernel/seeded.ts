/**
 * What the kernel's fixture tests share with their Python generators (gen_wasm_cases.py,
 * gen_target_cases.py) besides the seeded mulberry32 stream (test/shared/mulberry32.ts, which
 * rebuilds each case's input operation for operation): the JSON spelling of the values JSON
 * cannot hold.
 */

/** A number as the generators write it: `"NaN"`, `"Infinity"` and `"-Infinity"` as strings. */
export function decodeNumber(v: unknown): number {
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return v as number;
}
