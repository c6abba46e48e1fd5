/**
 * Checks on the rows of an array along its class dimension (dim 0 of a (C) array, dim 1
 * otherwise): what the data says about how it is used (probabilities where logits belong,
 * raw logits where log-probabilities belong, one-hot integer targets, unnormalised soft targets).
 */

/** Calls `visit` with each class-dimension row (as a getter and its length); stops when it returns false. */
export function everyRow(
  x: Float64Array,
  shape: number[],
  visit: (get: (c: number) => number, classes: number) => boolean,
): boolean {
  if (shape.length === 0) return true;
  const batched = shape.length > 1;
  const rows = batched ? shape[0] : 1;
  const classes = batched ? shape[1] : shape[0];
  let inner = 1;
  for (let d = 2; d < shape.length; d++) inner *= shape[d];
  for (let n = 0; n < rows; n++) {
    for (let s = 0; s < inner; s++) {
      const base = n * classes * inner + s;
      if (!visit((c) => x[base + c * inner], classes)) return false;
    }
  }
  return true;
}

/**
 * Every row in [0, 1] and summing to 1 (± 1e-3). With two classes a couple of rows summing to 1
 * is too common by chance to say anything, so that needs at least four rows.
 */
export function rowsAreDistributions(x: Float64Array, shape: number[]): boolean {
  const classes = shape.length > 1 ? shape[1] : shape[0];
  const rows = x.length / Math.max(classes, 1);
  if (!(classes >= 2) || x.length === 0 || (classes === 2 && rows < 4)) return false;
  return everyRow(x, shape, (get, n) => {
    let sum = 0;
    for (let c = 0; c < n; c++) {
      const v = get(c);
      if (!(v >= 0 && v <= 1)) return false;
      sum += v;
    }
    return Math.abs(sum - 1) <= 1e-3;
  });
}

/**
 * Every row of exp(x) (x: log-probabilities) sums to 1 within the rounding of its additions in
 * `dtype`: torch's CrossEntropyLoss of x is then NLL of x (log_softmax(x) = x to rounding).
 */
export function expRowsSumToOne(x: Float64Array, shape: number[], dtype: 'float32' | 'float64'): boolean {
  if (shape.length === 0 || x.length === 0) return false;
  const ulp = dtype === 'float32' ? 2 ** -24 : 2 ** -53;
  return everyRow(x, shape, (get, classes) => {
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(get(c));
    return Math.abs(sum - 1) <= 2 * classes * ulp;
  });
}

/** Every row ≤ 0 with logsumexp ≈ 0: log-probabilities. */
export function looksLikeLogProbs(x: Float64Array, shape: number[]): boolean {
  return everyRow(x, shape, (get, classes) => {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) {
      const v = get(c);
      if (v > 1e-6 || v !== v) return false;
      if (v > max) max = v;
    }
    if (max === -Infinity) return true;
    let s = 0;
    for (let c = 0; c < classes; c++) s += Math.exp(get(c) - max);
    return Math.abs(max + Math.log(s)) <= 1e-3;
  });
}

/** One-hot rows of 0/1 integers. */
export function isOneHot(t: Float64Array, shape: number[]): boolean {
  return everyRow(t, shape, (get, classes) => {
    let ones = 0;
    for (let c = 0; c < classes; c++) {
      const v = get(c);
      if (v === 1) ones++;
      else if (v !== 0) return false;
    }
    return ones === 1;
  });
}

/** A description of the first row that does not sum to 1 (or has a negative entry), or null. */
export function unnormalisedRow(t: Float64Array, shape: number[]): string | null {
  let found: string | null = null;
  let row = 0;
  everyRow(t, shape, (get, classes) => {
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const v = get(c);
      if (v < 0) {
        found = `row ${row} has a negative entry (${v})`;
        return false;
      }
      sum += v;
    }
    if (Math.abs(sum - 1) > 1e-3) {
      found = `row ${row} sums to ${Number(sum.toPrecision(6))}`;
      return false;
    }
    row++;
    return true;
  });
  return found;
}
