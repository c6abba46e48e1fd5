/**
 * Numbers as the panel shows them: a fixed number of decimals, torch's spelling of NaN and
 * infinities, and an exponent for values too small or too large to read with fixed decimals.
 * One rule for the minus everywhere in the panel: ASCII `-`, as Python and torch print it (the
 * claims and torch's prints beside our numbers are verbatim), so every number can be pasted into
 * code. Pure.
 */

const minus = '-';

/** `v` with `decimals` decimals: `0.1172`, `-2.1438`, `1.235e-7`, `nan`, `inf`, `-inf`. */
export function num(v: number | null | undefined, decimals: number): string {
  if (v === null || v === undefined) return '—';
  if (v !== v) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return `${minus}inf`;
  if (v === 0) return (0).toFixed(decimals);
  const abs = Math.abs(v);
  let text: string;
  if (abs < 0.5 * 10 ** -decimals || abs >= 1e8) {
    const [mantissa, exp] = abs.toExponential(Math.max(1, decimals - 1)).split('e');
    text = `${mantissa}e${exp.startsWith('-') ? minus + exp.slice(1) : exp.replace('+', '')}`;
  } else {
    text = abs.toFixed(decimals);
  }
  return v < 0 ? minus + text : text;
}

/** A number that is an integer in practice (counts, denominators of unweighted means): `2`, else {@link num}. */
export function count(v: number, decimals: number): string {
  return Number.isInteger(v) && Math.abs(v) < 1e15 ? (v < 0 ? minus + String(-v) : String(v)) : num(v, decimals);
}

/** A number wrapped in parentheses when negative, for use inside a formula: `exp(-0.1933)` stays, `1 × (-2.1438)`. */
export function paren(v: number | null | undefined, decimals: number): string {
  const text = num(v, decimals);
  return v !== null && v !== undefined && (v < 0 || Object.is(v, -0)) && v === v ? `(${text})` : text;
}

/** A shape as Python prints a tuple: `(2, 10)`, `(10,)`, `()`. */
export function shapeText(shape: readonly number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/** Parses a number typed by the user, accepting a typographic minus (U+2212) pasted from elsewhere. */
export function parseUserNumber(text: string): number {
  const t = text.trim().replace(/\u2212/g, '-');
  if (t === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return NaN;
  return Number(t);
}

/** Parses a list of numbers separated by commas or spaces (brackets allowed): weights typed by the user. */
export function parseUserNumbers(text: string): number[] | null {
  const t = text.replace(/[[\]()]/g, ' ').trim();
  if (t === '') return [];
  const parts = t.split(/[\s,]+/).filter((p) => p !== '');
  const values = parts.map(parseUserNumber);
  return values.every(Number.isFinite) ? values : null;
}
