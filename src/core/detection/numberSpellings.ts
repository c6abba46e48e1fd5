/**
 * Number spellings the literal parser reads beyond plain decimals: decimals of 16–19 significant
 * digits (Python's float repr) in double-double arithmetic, radix integers (`0x1F`), and the
 * special values (`float('inf')`, `np.nan`, `Infinity`). Values are correctly rounded or not
 * trusted (the caller then falls back to `Number()`).
 */
import { lastNumber, parseDecimal } from '../numbers';
import { Char, identTable, Lang } from './tokens';

export const pow10: number[] = [];
for (let i = 0, p = 1; i <= 22; i++, p *= 10) pow10.push(p);

/** 1 / 10^k, rounded. */
export const inv10 = pow10.map((p) => 1 / p);

/** Dekker splits of the exact powers of ten (hi + lo = 10^k, each with ≤ 26 significant bits). */
export const pow10Hi: number[] = [];
export const pow10Lo: number[] = [];
for (const p of pow10) {
  const c = 134217729 * p;
  const h = c - (c - p);
  pow10Hi.push(h);
  pow10Lo.push(p - h);
}

/** Result slots of {@link longDecimal} (a typed array: doubles stored unboxed, no allocation). */
export const longOut = new Float64Array(2);
/** Double-double scratch: [hi, lo]. */
const dd = new Float64Array(2);
export const splitter = 134217729; // 2^27 + 1 (Dekker)

/** (ah + al) · b into dd, b an exact double; ~2^-104 relative error. */
function mulDD(ah: number, al: number, b: number): void {
  const p = ah * b;
  let c = splitter * ah;
  const ahh = c - (c - ah);
  const ahl = ah - ahh;
  c = splitter * b;
  const bh = c - (c - b);
  const bl = b - bh;
  const e = ahh * bh - p + ahh * bl + ahl * bh + ahl * bl;
  const lo = e + al * b;
  const s = p + lo;
  dd[1] = lo - (s - p);
  dd[0] = s;
}

/** (ah + al) / b into dd. */
function divDD(ah: number, al: number, b: number): void {
  const q1 = ah / b;
  mulDD(q1, 0, b);
  const r = ah - dd[0] - dd[1] + al;
  const q2 = r / b;
  const s = q1 + q2;
  dd[1] = q2 - (s - q1);
  dd[0] = s;
}

/**
 * A decimal with up to 19 significant digits and a decimal exponent within ±44 (Python's repr of
 * floats is 17 digits): the mantissa is split into an exact 15-digit head and a ≤ 4-digit tail,
 * scaled in double-double arithmetic (~2^-100 relative error), and rounded once. When the exact
 * value may lie within that error of a rounding boundary the answer is not trusted and -1 is
 * returned (the caller uses Number()). Returns the end offset; the value is longOut[0], and
 * longOut[1] is 1 when the literal had a point or an exponent.
 */
export function longDecimal(text: string, pos: number): number {
  let a = 0;
  let b = 0;
  let nb = 0;
  let sig = 0;
  let exp10 = 0;
  let nonIntegral = 0;
  let c = text.charCodeAt(pos);
  let any = false;
  while (c >= 48 && c <= 57) {
    any = true;
    const d = c - 48;
    if (sig === 0 && d === 0) {
      /* leading zero */
    } else if (sig < 15) {
      a = a * 10 + d;
      sig++;
    } else if (sig < 19) {
      b = b * 10 + d;
      nb++;
      sig++;
    } else {
      if (d !== 0) return -1;
      exp10++;
    }
    c = text.charCodeAt(++pos);
  }
  if (c === 46) {
    nonIntegral = 1;
    c = text.charCodeAt(++pos);
    while (c >= 48 && c <= 57) {
      any = true;
      const d = c - 48;
      if (sig === 0 && d === 0) exp10--;
      else if (sig < 15) {
        a = a * 10 + d;
        sig++;
        exp10--;
      } else if (sig < 19) {
        b = b * 10 + d;
        nb++;
        sig++;
        exp10--;
      } else if (d !== 0) return -1;
      c = text.charCodeAt(++pos);
    }
  }
  if (!any) return -1;
  if (c === 101 || c === 69) {
    nonIntegral = 1;
    let i = pos + 1;
    let e = 0;
    let en = false;
    let cc = text.charCodeAt(i);
    if (cc === 43 || cc === 45) {
      en = cc === 45;
      cc = text.charCodeAt(++i);
    }
    if (!(cc >= 48 && cc <= 57)) return -1;
    while (cc >= 48 && cc <= 57) {
      if (e < 10000) e = e * 10 + (cc - 48);
      cc = text.charCodeAt(++i);
    }
    exp10 += en ? -e : e;
    pos = i;
  }
  longOut[1] = nonIntegral;
  if (sig === 0) {
    longOut[0] = 0;
    return pos;
  }
  if (exp10 > 44 || exp10 < -44) return -1;
  // M = a·10^nb + b, exactly, as a double-double.
  mulDD(a, 0, pow10[nb]);
  let hi = dd[0];
  const s = hi + b;
  const bb = s - hi;
  let lo = dd[1] + (hi - (s - bb) + (b - bb));
  hi = s;
  if (exp10 > 22) {
    mulDD(hi, lo, pow10[22]);
    mulDD(dd[0], dd[1], pow10[exp10 - 22]);
  } else if (exp10 > 0) mulDD(hi, lo, pow10[exp10]);
  else if (exp10 < -22) {
    divDD(hi, lo, pow10[22]);
    divDD(dd[0], dd[1], pow10[-exp10 - 22]);
  } else if (exp10 < 0) divDD(hi, lo, pow10[-exp10]);
  else {
    const h0 = hi + lo;
    dd[1] = lo - (h0 - hi);
    dd[0] = h0;
  }
  const h = dd[0];
  lo = dd[1];
  // Trust the rounding only if nudging the tail by the error bound does not change it.
  const tol = Math.abs(h) * 1.6e-30; // 2^-99
  if (h + (lo + tol) !== h || h + (lo - tol) !== h) return -1;
  longOut[0] = h;
  return pos;
}

const specials = new Map<string, number>([
  ['math.inf', Infinity],
  ['math.nan', NaN],
  ['np.inf', Infinity],
  ['np.Inf', Infinity],
  ['np.PINF', Infinity],
  ['np.NINF', -Infinity],
  ['np.nan', NaN],
  ['np.NaN', NaN],
  ['np.NAN', NaN],
  ['numpy.inf', Infinity],
  ['numpy.Inf', Infinity],
  ['numpy.PINF', Infinity],
  ['numpy.NINF', -Infinity],
  ['numpy.nan', NaN],
  ['numpy.NaN', NaN],
  ['numpy.NAN', NaN],
  // jax.numpy's constants are numpy's (`jnp.inf` in an optax issue's logits).
  ['jax.numpy.inf', Infinity],
  ['jax.numpy.nan', NaN],
  ['jnp.inf', Infinity],
  ['jnp.nan', NaN],
  ['torch.inf', Infinity],
  ['torch.nan', NaN],
  ['inf', Infinity],
  ['nan', NaN],
  ['Infinity', Infinity],
  ['NaN', NaN],
  ['Number.POSITIVE_INFINITY', Infinity],
  ['Number.NEGATIVE_INFINITY', -Infinity],
  ['Number.NaN', NaN],
]);

/**
 * A special value read as an expression: a library constant (`torch.nan`, `math.inf`, `numpy.nan`, with
 * the path as the evaluator spells it) or Python's `float('nan')` / `float('-inf')`; undefined otherwise.
 */
export function specialNumber(
  path: string,
  floatArg?: string,
): { kind: 'number'; value: number; integer: false } | undefined {
  const v =
    floatArg === undefined ? specials.get(path) : path === 'builtins.float' ? floatOfString(floatArg) : undefined;
  return v === undefined || !path.includes('.') ? undefined : { kind: 'number', value: v, integer: false };
}

/** A namespace's member `path` (`torch.nan` is the number NaN, `torch.nn` stays a namespace). */
export function memberOrSpecial<T extends { path: string }>(
  ns: T,
  path: string,
): T | { kind: 'number'; value: number; integer: false } {
  return specialNumber(path) ?? { ...ns, path };
}

/** The value of `float('…')`'s argument, or undefined. */
function floatOfString(s: string): number | undefined {
  switch (s.trim().toLowerCase()) {
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
    case 'nan':
    case '+nan':
    case '-nan':
      return NaN;
    default:
      return undefined;
  }
}

/** Digits of `radix` from `pos` (underscores allowed); value in lastNumber; returns end or -1. */
export function radixIntEnd(text: string, pos: number, radix: number): number {
  let v = 0;
  let any = false;
  for (;;) {
    const c = text.charCodeAt(pos);
    let d = -1;
    if (c >= 48 && c <= 57) d = c - 48;
    else if ((c | 0x20) >= 97 && (c | 0x20) <= 102) d = (c | 0x20) - 87;
    else if (c === Char.Underscore && any) {
      pos++;
      continue;
    }
    if (d < 0 || d >= radix) break;
    v = v * radix + d;
    any = true;
    pos++;
  }
  if (!any) return -1;
  lastNumber.value = v;
  return pos;
}

/** `inf`, `np.nan`, `float('-inf')`, `Infinity`, …; value in lastNumber; returns end or -1. */
export function specialEnd(text: string, pos: number, lang: Lang): number {
  // Every special spelling starts with one of m n t i I N f (math., np., torch., inf, NaN, Number., float).
  const f = text.charCodeAt(pos);
  if (f !== 109 && f !== 110 && f !== 116 && f !== 105 && f !== 73 && f !== 78 && f !== 102) return -1;
  let e = pos;
  for (;;) {
    const c = text.charCodeAt(e);
    if (c < 128 ? identTable[c] !== 0 || c === Char.Dot : c === c) e++;
    else break;
    if (e - pos > 32) return -1;
  }
  const name = text.slice(pos, e);
  const known = specials.get(name);
  if (known !== undefined) {
    lastNumber.value = known;
    return e;
  }
  if (name !== 'float' || lang !== Lang.Python) return -1;
  // float('inf') and friends.
  let i = e;
  while (text.charCodeAt(i) === Char.Space) i++;
  if (text.charCodeAt(i) !== Char.LParen) return -1;
  i++;
  while (text.charCodeAt(i) === Char.Space) i++;
  const q = text.charCodeAt(i);
  if (q !== Char.Quote1 && q !== Char.Quote2) return -1;
  // The word is short: look for its closing quote nearby only (never to the end of the text).
  let close = i + 1;
  while (close <= i + 16 && text.charCodeAt(close) !== q) close++;
  if (close > i + 16) return -1;
  const v = floatOfString(text.slice(i + 1, close));
  if (v === undefined) return -1;
  i = close + 1;
  while (text.charCodeAt(i) === Char.Space) i++;
  if (text.charCodeAt(i) !== Char.RParen) return -1;
  lastNumber.value = v;
  return i + 1;
}

/**
 * Result slots of {@link readValue}: the value and 1 when it is an integer literal; after a
 * failure, slot 0 is where it failed.
 */
export const valueOut = new Float64Array(2);

/**
 * Reads one unsigned value of a literal at `pos` (`c` is its first character): a decimal, a radix
 * integer or a special value, followed by something that can end it. Returns its end, or -1
 * ({@link valueOut}[0] is then where it failed).
 */
export function readValue(text: string, pos: number, c: number, lang: Lang, underscores: boolean): number {
  let v = 0;
  let isInt = true;
  // Fast path: [digits][.digits] with at most 15 significant digits and no exponent is
  // mantissa / 10^k, one correctly rounded IEEE operation (Clinger's fast path).
  let q = pos;
  let mant = 0;
  let digits = 0;
  let frac = 0;
  let cc = c;
  while (cc >= Char.Zero && cc <= Char.Nine) {
    mant = mant * 10 + (cc - Char.Zero);
    digits++;
    cc = text.charCodeAt(++q);
  }
  if (cc === Char.Dot) {
    isInt = false;
    cc = text.charCodeAt(++q);
    while (cc >= Char.Zero && cc <= Char.Nine) {
      mant = mant * 10 + (cc - Char.Zero);
      digits++;
      frac++;
      cc = text.charCodeAt(++q);
    }
  }
  if (
    digits > 0 &&
    digits <= 15 &&
    (cc === Char.Comma ||
      cc === Char.RBracket ||
      cc === Char.Space ||
      cc === Char.Lf ||
      cc === Char.RParen ||
      cc === Char.Cr ||
      cc === Char.Tab ||
      cc === Char.Hash ||
      cc === Char.Slash)
  ) {
    v = frac === 0 ? mant : mant / pow10[frac];
    pos = q;
  } else if ((c >= Char.Zero && c <= Char.Nine) || c === Char.Dot) {
    const d = text.charCodeAt(pos + 1) | 0x20;
    if (c === Char.Zero && (d === 120 || d === 111 || d === 98) && lang !== Lang.Json) {
      // 0x.., 0o.., 0b.. integers.
      const r = radixIntEnd(text, pos + 2, d === 120 ? 16 : d === 111 ? 8 : 2);
      if (r < 0) return failAt(pos);
      v = lastNumber.value;
      pos = r;
      isInt = true;
    } else {
      if (!parseDecimal(text, pos, underscores)) return failAt(pos);
      v = lastNumber.value;
      pos = lastNumber.end;
      isInt = lastNumber.integral;
    }
    const after = text.charCodeAt(pos);
    if (after === Char.Dot || (after < 128 ? identTable[after] !== 0 : after === after)) return failAt(pos);
  } else if (c < 128 ? identTable[c] === 1 : c === c) {
    const r = specialEnd(text, pos, lang);
    if (r < 0) return failAt(pos);
    v = lastNumber.value;
    pos = r;
    isInt = false;
  } else {
    return failAt(pos);
  }
  valueOut[0] = v;
  valueOut[1] = isInt ? 1 : 0;
  return pos;
}

function failAt(pos: number): number {
  valueOut[0] = pos;
  return -1;
}

/** Keras's fuzz factor as its paths spell it (`K.epsilon()`, `tf.keras.backend.epsilon()`, Keras 3's `keras.config.epsilon()`). */
const kerasEpsilonPath =
  /^(?:tensorflow\.|tf\.)?(?:python\.)?keras\.(?:src\.)?(?:backend(?:\.common)?|config)\.epsilon$/;

/**
 * `keras.backend.epsilon()` called with no argument: 1e-7, Keras's default fuzz factor (docs/detection.md
 * 3.202), unless the source sets it (`set_epsilon` anywhere in `text`: which value holds where is not
 * followed). Undefined for any other call.
 */
export function kerasEpsilon(
  path: string,
  argCount: number,
  text: string,
): { kind: 'number'; value: number; integer: false } | undefined {
  if (argCount !== 0 || !kerasEpsilonPath.test(path) || text.includes('set_epsilon')) return undefined;
  return { kind: 'number', value: 1e-7, integer: false };
}
