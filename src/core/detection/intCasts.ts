/**
 * Numbers with fractions cast to an integer dtype. torch (`torch.LongTensor([0.5])`,
 * `torch.tensor(x, dtype=torch.long)`, `x.long()`, `x.to(torch.int64)`) and numpy
 * (`np.array(x, dtype=int)`, `x.astype(int)`) truncate each number toward zero: 1.7 → 1, -1.7 → -1,
 * 0.5 → 0. Left unmodelled (the array becomes opaque): NaN and infinities, whose integer is not
 * defined, and a negative number cast to uint8, which wraps.
 */
import { materialise } from './tensorIndex';
import type { ArrayValue, Value } from './values';

/** The array as the integer cast leaves it: truncated numbers, or an opaque value with the reason. */
export function truncatedToIntegers(a: ArrayValue, unsigned = false): Value {
  const src = a.transform !== null ? materialise(a) : a;
  const d = src.data;
  if (!d || d.every((x) => Number.isInteger(x))) return { kind: 'array', array: a };
  if (d.some((x) => !Number.isFinite(x)))
    return { kind: 'opaqueArray', from: a, why: 'NaN or an infinity cast to an integer dtype is not modelled' };
  if (unsigned && d.some((x) => x < 0))
    return { kind: 'opaqueArray', from: a, why: 'a negative number cast to uint8 wraps around (not modelled)' };
  const data = d.map((x) => Math.trunc(x) + 0);
  // Converted numbers are a source of their own: no formula's terms or literal view describe them.
  return { kind: 'array', array: { ...src, data, derived: true, terms: undefined, view: undefined } };
}
