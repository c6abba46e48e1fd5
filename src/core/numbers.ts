/**
 * Decimal literal parsing shared by the JSON request reader and the source scanner.
 *
 * Parsing text is the real cost of this tool (a 10 MB source is millions of numbers), so this
 * is a hand-written character-code loop. Values are correctly rounded: the fast path is
 * Clinger's (an exact mantissa below 2^53 times or divided by an exact power of ten ≤ 1e22 is a
 * single IEEE operation, hence correctly rounded); everything else falls back to `Number()`.
 */

/** Out-slots of the last successful {@link parseDecimal} call (no allocation per number). */
export const lastNumber = { value: 0, end: 0, integral: true };

const pow10: number[] = [];
for (let i = 0, p = 1; i <= 22; i++, p *= 10) pow10.push(p);

const enum Ch {
  Plus = 43,
  Minus = 45,
  Dot = 46,
  Zero = 48,
  Nine = 57,
  E = 69,
  Underscore = 95,
  e = 101,
}

/**
 * Parses `[-]digits[.digits][(e|E)[+|-]digits]` (also `.5` and `5.`) starting at `pos`.
 * With `underscores`, `_` between digits is accepted (Python's `1_000`).
 * Returns false, leaving {@link lastNumber} untouched, when no digits start at `pos`.
 */
export function parseDecimal(text: string, pos: number, underscores = false): boolean {
  const len = text.length;
  let i = pos;
  let negative = false;
  let c = text.charCodeAt(i);
  if (c === Ch.Minus) {
    negative = true;
    c = text.charCodeAt(++i);
  }
  let mantissa = 0;
  let significant = 0; // significant digits taken into `mantissa`
  let dropped = 0; // digits after the 15th significant one, before the point
  let fracDigits = 0;
  let sawDigit = false;
  let integral = true;
  let sawUnderscore = false;
  // Integer part.
  while (i < len) {
    c = text.charCodeAt(i);
    if (c >= Ch.Zero && c <= Ch.Nine) {
      sawDigit = true;
      if (significant < 15) {
        if (mantissa !== 0 || c !== Ch.Zero) {
          mantissa = mantissa * 10 + (c - Ch.Zero);
          significant++;
        }
      } else dropped++;
      i++;
    } else if (c === Ch.Underscore && underscores && sawDigit && isDigit(text.charCodeAt(i + 1))) {
      sawUnderscore = true;
      i++;
    } else break;
  }
  // Fraction.
  if (c === Ch.Dot) {
    const afterDot = text.charCodeAt(i + 1);
    if (isDigit(afterDot) || sawDigit) {
      integral = false;
      i++;
      while (i < len) {
        c = text.charCodeAt(i);
        if (c >= Ch.Zero && c <= Ch.Nine) {
          sawDigit = true;
          if (significant < 15) {
            if (mantissa !== 0 || c !== Ch.Zero) {
              mantissa = mantissa * 10 + (c - Ch.Zero);
              significant++;
            }
            fracDigits++;
          } else if (c !== Ch.Zero) dropped = -1; // precision beyond the fast path
          i++;
        } else if (
          c === Ch.Underscore &&
          underscores &&
          isDigit(text.charCodeAt(i + 1)) &&
          isDigit(text.charCodeAt(i - 1))
        ) {
          sawUnderscore = true;
          i++;
        } else break;
      }
    }
  }
  if (!sawDigit) return false;
  // Exponent.
  let exp = 0;
  if (c === Ch.e || c === Ch.E) {
    let j = i + 1;
    let expNeg = false;
    let cc = text.charCodeAt(j);
    if (cc === Ch.Plus || cc === Ch.Minus) {
      expNeg = cc === Ch.Minus;
      cc = text.charCodeAt(++j);
    }
    if (isDigit(cc)) {
      integral = false;
      while (j < len) {
        cc = text.charCodeAt(j);
        if (cc >= Ch.Zero && cc <= Ch.Nine) {
          if (exp < 100000) exp = exp * 10 + (cc - Ch.Zero);
          j++;
        } else if (cc === Ch.Underscore && underscores && isDigit(text.charCodeAt(j + 1))) {
          sawUnderscore = true;
          j++;
        } else break;
      }
      if (expNeg) exp = -exp;
      i = j;
    }
  }
  let value: number;
  const exp10 = exp - fracDigits + (dropped > 0 ? dropped : 0);
  if (dropped === 0 && exp10 >= -22 && exp10 <= 22) {
    value = exp10 >= 0 ? mantissa * pow10[exp10] : mantissa / pow10[-exp10];
  } else {
    let literal = text.slice(negative ? pos + 1 : pos, i);
    if (sawUnderscore) literal = literal.replace(/_/g, '');
    if (literal.charCodeAt(literal.length - 1) === Ch.Dot) literal += '0';
    value = Number(literal);
  }
  lastNumber.value = negative ? -value : value;
  lastNumber.end = i;
  lastNumber.integral = integral;
  return true;
}

function isDigit(c: number): boolean {
  return c >= Ch.Zero && c <= Ch.Nine;
}

/** Parses a whole string as a number (for the JSON strings "NaN", "Infinity", "-Infinity" too). */
export function nonFiniteFromString(s: string): number | undefined {
  switch (s) {
    case 'NaN':
    case 'nan':
      return NaN;
    case 'Infinity':
    case 'inf':
    case '+Infinity':
      return Infinity;
    case '-Infinity':
    case '-inf':
      return -Infinity;
    default:
      return undefined;
  }
}
