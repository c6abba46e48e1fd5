/**
 * The scalar (plain JS) row loops that the float32 and float64 paths share: the row max and the
 * float32 path's Σexp. One module so that the forward (crossEntropy.ts) and the fused gradient
 * (gradScalar.ts) use the same code, hence the same bits.
 */
import { expTable } from './fastExp';

const fround = Math.fround;

/**
 * max_c x_c of a float32 row; NaN if any element is NaN (torch's propagation). The hot loops use
 * {@link sumExpF32} right after, which yields NaN for a NaN element anyway, so they call
 * {@link rowMaxNoNaNF32} and skip the NaN test.
 */
export function rowMaxF32(x: Float32Array, base: number, C: number, S: number): number {
  let m = x[base];
  for (let c = 1, i = base + S; c < C; c++, i += S) {
    const v = x[i];
    if (v > m || v !== v) m = v;
    if (m !== m) break;
  }
  return m;
}

export function rowMaxF64(x: Float64Array, base: number, C: number, S: number): number {
  let m = x[base];
  for (let c = 1, i = base + S; c < C; c++, i += S) {
    const v = x[i];
    if (v > m || v !== v) m = v;
    if (m !== m) break;
  }
  return m;
}

/**
 * max over the non-NaN elements of a row (NaN only if the first is NaN), two lanes for
 * instruction-level parallelism. Only valid where a NaN element poisons the result anyway.
 */
export function rowMaxNoNaNF32(x: Float32Array, base: number, C: number, S: number): number {
  let m0 = x[base];
  let m1 = m0;
  const end = base + C * S;
  const S2 = 2 * S;
  let i = base + S;
  for (; i + S < end; i += S2) {
    const a = x[i];
    const b = x[i + S];
    if (a > m0) m0 = a;
    if (b > m1) m1 = b;
  }
  if (i < end && x[i] > m0) m0 = x[i];
  return m1 > m0 ? m1 : m0;
}

/**
 * Σ_c fround(exp(fround(x_c − m))) in float64, unrounded: the float32 path's Σexp. Four partial
 * sums (the loop is bound by the add latency otherwise); the order changes the float64 sum by a
 * few 1e-16 relative, which rounding to float32 absorbs except in rare ties. The exp is
 * fastExpNonPositive inlined: literals and a local table, see fastExp.ts. A NaN element makes the
 * sum NaN; −Inf and elements below −110 contribute 0.
 */
export function sumExpF32(x: Float32Array, base: number, C: number, S: number, m: number): number {
  const T = expTable;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const end = base + C * S;
  let i = base;
  if (S === 1) {
    for (; i + 3 < end; i += 4) {
      const y0 = fround(x[i] - m);
      const y1 = fround(x[i + 1] - m);
      const y2 = fround(x[i + 2] - m);
      const y3 = fround(x[i + 3] - m);
      if (y0 >= -110) {
        const k = (0.5 - y0 * 92.33248261689366) | 0;
        const r = y0 + k * 0.010830424696249145;
        s0 += fround(T[k] * (1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * 0.041666666666666664)))));
      } else if (y0 !== y0) s0 = NaN;
      if (y1 >= -110) {
        const k = (0.5 - y1 * 92.33248261689366) | 0;
        const r = y1 + k * 0.010830424696249145;
        s1 += fround(T[k] * (1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * 0.041666666666666664)))));
      } else if (y1 !== y1) s1 = NaN;
      if (y2 >= -110) {
        const k = (0.5 - y2 * 92.33248261689366) | 0;
        const r = y2 + k * 0.010830424696249145;
        s2 += fround(T[k] * (1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * 0.041666666666666664)))));
      } else if (y2 !== y2) s2 = NaN;
      if (y3 >= -110) {
        const k = (0.5 - y3 * 92.33248261689366) | 0;
        const r = y3 + k * 0.010830424696249145;
        s3 += fround(T[k] * (1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * 0.041666666666666664)))));
      } else if (y3 !== y3) s3 = NaN;
    }
  }
  for (; i < end; i += S) {
    const y = fround(x[i] - m);
    if (y >= -110) {
      const k = (0.5 - y * 92.33248261689366) | 0;
      const r = y + k * 0.010830424696249145;
      s0 += fround(T[k] * (1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * 0.041666666666666664)))));
    } else if (y !== y) s0 = NaN;
  }
  return s0 + s1 + (s2 + s3);
}
