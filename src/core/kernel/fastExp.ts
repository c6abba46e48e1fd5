/**
 * exp(y) for y ≤ 0, for the float32 path, about 3× faster than `Math.exp` in V8.
 *
 * Method (Tang's table method, one table): k = round(−y·64/ln2), y = −k·ln2/64 + r with
 * |r| ≤ ln2/128, so exp(y) = 2^(−k/64) · exp(r), with 2^(−k/64) from one table indexed by the
 * int32 k and exp(r) from a degree-4 Taylor polynomial. Truncation error ≤ r^5/120 ≈ 3.8e-14
 * relative; measured ≤ 4.9e-14 over [−105, 0] — six orders below float32's half-ulp (6e-8), so
 * `Math.fround(fastExpNonPositive(y))` equals `Math.fround(Math.exp(y))` except in rare ties.
 * ln2/64 is one double (no Cody–Waite hi/lo split): k·(its rounding error) ≤ 10^4·1e-19, far
 * below that budget.
 *
 * Domain: y ≤ 0 (the max-shifted logits x − max). y < −110 gives 0 (below float32's smallest
 * subnormal, 2^−149 ≈ e^−103.3); −Infinity gives 0; NaN gives NaN. Positive y is not supported.
 * Use `Math.exp` where float64 accuracy is needed.
 *
 * Written for V8's optimiser (measured with test/bench): the constants are literals, because
 * esbuild turns module-level `const`s into `var`s in the bundles and V8 then reloads and
 * type-checks each one from the module context on every use in a hot loop; one table read with
 * an int32 index (`| 0` of a value ≥ 0.5) instead of two tables and a checked double→index
 * conversion. The hot loops in crossEntropy.ts inline this body with {@link expTable} in a local.
 */

/** Largest k: round(110·64/ln2) = 10157, plus slack. */
const kMax = 10160;

/** 2^(−k/64), k = 0..kMax. 81 KB; typical rows (|y| < 20) touch the first 15 KB. */
export const expTable = new Float64Array(kMax + 1);
for (let k = 0; k <= kMax; k++) expTable[k] = Math.pow(2, -k / 64);

export function fastExpNonPositive(y: number): number {
  if (!(y >= -110)) return y !== y ? NaN : 0;
  const k = (0.5 - y * 92.33248261689366) | 0; // round(−y·64/ln2); −y·64/ln2 + 0.5 ≥ 0.5
  const r = y + k * 0.010830424696249145; // ln2/64
  return expTable[k] * (1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * 0.041666666666666664))));
}
