/**
 * Inputs the gradient fast-path tests share (gradFastPath, gradFastPathTargets, gradFromStats):
 * logit rows whose range of x − max sits around each dtype's exp threshold, hostile weights and
 * probability-target rows. Every draw comes from the caller's seeded stream, in a fixed order.
 */

/**
 * (N, C) logits: row n spans `spans[n % spans.length]` below a random shift, with both ends of the
 * span exactly somewhere in the row. Every 17th row (from 5) has a NaN that is not first (the max
 * skips it, so Σ and lse are NaN), every other one with payload bits that an integer scaling of a
 * 'finite' exp would make a number of (float32: bits 29–37 of the float64 mantissa, which demotion
 * keeps as the low bits; float64: the low 12 bits); every 19th (from 7) a −Inf; with `posInf`,
 * every 23rd (from 11) a +Inf. With `nearBottom`, one element in twenty sits within 0.3 % of the
 * span's bottom: past the threshold, many exps of a row that just misses it are subnormal.
 */
export function thresholdLogits(
  N: number,
  C: number,
  spans: readonly number[],
  r: () => number,
  options: { nearBottom?: boolean; posInf?: boolean } = {},
): Float64Array {
  const data = new Float64Array(N * C);
  for (let n = 0; n < N; n++) {
    const span = spans[n % spans.length]!;
    const shift = (r() - 0.5) * 40;
    for (let c = 0; c < C; c++) {
      data[n * C + c] = shift - span * (options.nearBottom && r() < 0.05 ? 1 - 0.003 * r() : r());
    }
    data[n * C + Math.floor(r() * C)] = shift;
    data[n * C + Math.floor(r() * C)] = shift - span;
    if (n % 17 === 5) {
      const at = n * C + 1 + Math.floor(r() * (C - 1));
      data[at] = NaN;
      if (n % 2) new Uint32Array(data.buffer, at * 8, 2).set([0xe0000fff, 0x7ff8003f]);
    }
    if (n % 19 === 7) data[n * C + Math.floor(r() * C)] = -Infinity;
    if (options.posInf && n % 23 === 11) data[n * C + Math.floor(r() * C)] = Infinity;
  }
  return data;
}

/** Class weights with some 0 (s = −0) and some negative (s > 0). */
export function hostileWeights(C: number, r: () => number): Float64Array {
  return Float64Array.from({ length: C }, (_, c) => (c % 11 === 0 ? 0 : c % 7 === 0 ? -0.5 - r() : 0.1 + 2 * r()));
}

/**
 * (N, C) probability targets: about 30 % zeros per row, each row normalised; the first row all −0
 * (its upstream row and their Σ are −0) and one NaN in row min(6, N − 1).
 */
export function probabilityTargets(N: number, C: number, r: () => number): Float64Array {
  const q = new Float64Array(N * C);
  for (let n = 0; n < N; n++) {
    let s = 0;
    for (let c = 0; c < C; c++) s += q[n * C + c] = r() < 0.3 ? 0 : r();
    for (let c = 0; c < C; c++) q[n * C + c] /= s;
  }
  q.fill(-0, 0, C);
  q[Math.min(6, N - 1) * C + 3] = NaN;
  return q;
}
