import type { DType } from './types';

/**
 * How torch prints a 0-d float tensor with default print options (precision 4):
 * `tensor(2.1438)`, `tensor(2.)`, `tensor(1.2346e-05)`, `tensor(nan)`, and a dtype suffix for
 * float64 (`tensor(2.1438, dtype=torch.float64)`).
 */
export function formatTorchScalar(value: number, dtype: DType): string {
  const suffix = dtype === 'float64' ? ', dtype=torch.float64' : '';
  return `tensor(${formatTorchNumber(value)}${suffix})`;
}

/** One number in torch's default print style (see {@link formatTorchScalar}). */
export function formatTorchNumber(value: number): string {
  if (value !== value) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  const abs = Math.abs(value);
  if (Number.isInteger(value) && abs < 1e8) return `${value}.`;
  if (abs >= 1e8 || (abs !== 0 && abs < 1e-4)) {
    const [mant, exp] = value.toExponential(4).split('e');
    const e = Number(exp);
    return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return value.toFixed(4);
}

/** Non-finite numbers as the strings JSON output uses ("NaN", "Infinity", "-Infinity"). */
export function jsonNumber(v: number): number | string {
  if (Number.isFinite(v)) return v;
  return v !== v ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

/**
 * The shortest decimal that reads back as the same float32 as `v` (`Math.fround(v)`), as a
 * number whose own shortest print is that decimal: 0.8981999754905701 → 0.8982. Copies and
 * exports print float32 results with it, so no float64 noise of a float32 value shows.
 * Non-finite values are returned unchanged.
 */
export function shortestFloat32(v: number): number {
  if (!Number.isFinite(v)) return v;
  const f = Math.fround(v);
  if (f === 0) return 0;
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(f.toPrecision(digits));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}
