/**
 * What the kernel's fixture tests share with their Python generators (gen_wasm_cases.py,
 * gen_target_cases.py): the seeded mulberry32 stream that rebuilds each case's input operation for
 * operation, and the JSON spelling of the values JSON cannot hold.
 */

/** mulberry32, as the generators write it: a tiny seedable 32-bit PRNG giving numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A number as the generators write it: `"NaN"`, `"Infinity"` and `"-Infinity"` as strings. */
export function decodeNumber(v: unknown): number {
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return v as number;
}
