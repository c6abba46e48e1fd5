/** Comparisons the kernel's fixture tests share: NaN-aware identity, float32 ulps, JSON specials. */

/** The same value, NaN equal to NaN, +0 apart from −0. */
export function same(a: number, b: number): boolean {
  return Object.is(a, b) || (a !== a && b !== b);
}

const f32Cell = new Float32Array(1);
const u32Cell = new Uint32Array(f32Cell.buffer);

/** One float32 unit in the last place at |v| (v a float32 value). */
export function ulp32(v: number): number {
  f32Cell[0] = Math.abs(v);
  const e = (u32Cell[0] >>> 23) & 0xff;
  return e === 0 ? 2 ** -149 : 2 ** (e - 150);
}

/** A fixture number: "NaN", "Infinity" and "-Infinity" are written as strings. */
export function decode(v: unknown): number {
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return v as number;
}
