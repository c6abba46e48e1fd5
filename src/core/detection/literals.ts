/**
 * Nested numeric literals (`[[0.1, -2e3], [5., float('inf')]]`) parsed straight from the source
 * text: one character-code loop that skips whitespace and comments, reads numbers with
 * {@link parseDecimal} and tracks the shape the way `torch.tensor` does (first element at each
 * depth fixes the size, later rows must match; raggedness is reported in torch's words).
 *
 * Iterative (no recursion): 100 000 levels of nesting cost a few arrays, not the stack.
 * Anything that is not a number, a sign, a bracket, a comma or trivia makes the parse fail, and
 * the caller tokenises the text normally; the brackets still open at the failure point are
 * reported so the caller never retries them (each would fail at the same place: O(n) overall).
 */
import { lastNumber, parseDecimal } from '../numbers';
import { lineEnd } from './lines';

/** Source language family: decides comments, tuples and special names. */
export const enum Lang {
  Python = 0,
  Js = 1,
  Json = 2,
}

/** A parsed literal. */
export interface LiteralOutcome {
  /** Offset just after the closing bracket. */
  end: number;
  shape: number[];
  /** Row-major values; null when the literal exceeded the element cap. */
  data: Float64Array | null;
  /** Every element was written as an integer. */
  integral: boolean;
  /** Number of elements read. */
  count: number;
  /** First raggedness, in torch's words ("expected sequence of length 3 at dim 1 (got 2)"). */
  error: string | null;
  /** The outermost bracket is `(`: a Python tuple. */
  tuple: boolean;
}

/** Where the last failed {@link LiteralParser.parse} stopped, and the brackets open there. */
export interface LiteralFailure {
  pos: number;
  open: number[];
  /** The literal nests deeper than {@link maxNesting}: `pos` is the first bracket too deep. */
  tooDeep: boolean;
}

/**
 * Brackets nested deeper than this are not read as one literal: no tensor has a thousand
 * dimensions, and a shape of 100 000 entries is only a way to make every later step slow.
 */
export const maxNesting = 1000;

const enum C {
  Tab = 9,
  Lf = 10,
  Vt = 11,
  Ff = 12,
  Cr = 13,
  Space = 32,
  Quote2 = 34,
  Hash = 35,
  Quote1 = 39,
  LParen = 40,
  RParen = 41,
  Star = 42,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  LBracket = 91,
  Backslash = 92,
  RBracket = 93,
  Underscore = 95,
}

/** 1 = identifier start, 2 = identifier part only (digits). ASCII only; ≥ 128 counts as a letter. */
export const identTable = new Uint8Array(128);
for (let c = 65; c <= 90; c++) identTable[c] = 1;
for (let c = 97; c <= 122; c++) identTable[c] = 1;
identTable[95] = 1; // _
identTable[36] = 1; // $ (JS)
for (let c = 48; c <= 57; c++) identTable[c] = 2;

/** Characters that continue an identifier (letters, digits, _, $, non-ASCII). */
export function isIdentPart(c: number): boolean {
  return c < 128 ? identTable[c] !== 0 : c === c && c !== 0xa0 && c !== 0xfeff && c !== 0x2028 && c !== 0x2029;
}

const pow10: number[] = [];
for (let i = 0, p = 1; i <= 22; i++, p *= 10) pow10.push(p);

/** 1 / 10^k, rounded. */
const inv10 = pow10.map((p) => 1 / p);

/** Dekker splits of the exact powers of ten (hi + lo = 10^k, each with ≤ 26 significant bits). */
const pow10Hi: number[] = [];
const pow10Lo: number[] = [];
for (const p of pow10) {
  const c = 134217729 * p;
  const h = c - (c - p);
  pow10Hi.push(h);
  pow10Lo.push(p - h);
}

/** Result slots of {@link longDecimal} (a typed array: doubles stored unboxed, no allocation). */
const longOut = new Float64Array(2);
/** Double-double scratch: [hi, lo]. */
const dd = new Float64Array(2);
const splitter = 134217729; // 2^27 + 1 (Dekker)

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
function longDecimal(text: string, pos: number): number {
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
  ['numpy.nan', NaN],
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

/**
 * Parses numeric literals of one source. Holds a growing scratch buffer reused across literals,
 * so a file with thousands of small literals does not allocate per element.
 */
export class LiteralParser {
  private scratch = new Float64Array(256);
  private readonly hasCR: boolean;
  /** Set when {@link parse} returns null. */
  readonly failure: LiteralFailure = { pos: 0, open: [], tooDeep: false };

  constructor(
    private readonly text: string,
    private readonly lang: Lang,
    private readonly maxElements: number,
  ) {
    this.hasCR = text.indexOf('\r') >= 0;
  }

  /**
   * Parses the literal whose opening bracket (`[`, or `(` in Python) is at `start`.
   * Returns null when the bracketed text is not a pure numeric literal (see {@link failure}).
   */
  parse(start: number): LiteralOutcome | null {
    const text = this.text;
    const len = text.length;
    const py = this.lang === Lang.Python;
    const js = this.lang === Lang.Js;
    const underscores = this.lang !== Lang.Json;
    const maxElements = this.maxElements;
    const openers: number[] = [];
    const openPos: number[] = [];
    const counts: number[] = [];
    const commas: number[] = [];
    const shape: number[] = [];
    let leafDepth = -1;
    let n = 0;
    let integral = true;
    let error: string | null = null;
    let data = this.scratch;
    let cap = data.length;
    let pos = start;
    let expectValue = true;
    let c = 0;
    for (;;) {
      // Skip trivia: whitespace, comments, Python line continuations.
      for (;;) {
        c = text.charCodeAt(pos);
        if (c === C.Space || c === C.Lf || c === C.Cr || c === C.Tab || c === C.Ff || c === C.Vt) {
          pos++;
          continue;
        }
        if (py) {
          if (c === C.Hash) {
            pos = this.lineEnd(pos);
            continue;
          }
          if (c === C.Backslash) {
            const d = text.charCodeAt(pos + 1);
            if (d === C.Lf || d === C.Cr) {
              pos += 2;
              continue;
            }
          }
        } else if (js && c === C.Slash) {
          const d = text.charCodeAt(pos + 1);
          if (d === C.Slash) {
            pos = this.lineEnd(pos);
            continue;
          }
          if (d === C.Star) {
            const e = text.indexOf('*/', pos + 2);
            if (e < 0) return this.fail(len, openPos);
            pos = e + 2;
            continue;
          }
        }
        break;
      }
      if (expectValue && openers.length === leafDepth && ((c >= C.Zero && c <= C.Nine) || c === C.Minus)) {
        // Hot loop for a run of plain numbers in an innermost list (a small method of its own,
        // so the JIT optimises it as a unit).
        this.n = n;
        this.data = data;
        this.cap = cap;
        this.integral = integral;
        pos = this.leafRun(text, pos, c, underscores, maxElements);
        n = this.n;
        data = this.data;
        cap = this.cap;
        integral = this.integral;
        const cnt = this.runCount;
        counts[leafDepth - 1] += cnt;
        if (this.runComma) commas[leafDepth - 1] = 1;
        if (cnt > 0) {
          if (this.runAfterValue) expectValue = false;
          continue;
        }
        c = text.charCodeAt(pos);
      }
      if (expectValue) {
        if (c === C.LBracket || (py && c === C.LParen)) {
          const depth = openers.length;
          if (depth > 0) counts[depth - 1]++;
          // torch's words (torch/csrc/utils/tensor_new.cpp) for a list where a number belongs.
          if (leafDepth >= 0 && depth >= leafDepth && error === null)
            error = `must be real number, not ${c === C.LParen ? 'tuple' : 'list'}`;
          if (depth >= maxNesting) {
            this.fail(pos, openPos);
            this.failure.tooDeep = true;
            return null;
          }
          openers.push(c);
          openPos.push(pos);
          counts.push(0);
          commas.push(0);
          pos++;
          continue;
        }
        if (c === C.RBracket || c === C.RParen) {
          // `[]`, or a trailing comma before the bracket.
        } else {
          // A number, a signed number or a special value.
          let negative = false;
          if (c === C.Minus || c === C.Plus) {
            negative = c === C.Minus;
            pos++;
            for (;;) {
              c = text.charCodeAt(pos);
              if (c === C.Space || c === C.Tab) pos++;
              else break;
            }
          }
          let v = 0;
          let isInt = true;
          // Fast path: [digits][.digits] with at most 15 significant digits and no exponent is
          // mantissa / 10^k, one correctly rounded IEEE operation (Clinger's fast path).
          let q = pos;
          let mant = 0;
          let digits = 0;
          let frac = 0;
          let cc = c;
          while (cc >= C.Zero && cc <= C.Nine) {
            mant = mant * 10 + (cc - C.Zero);
            digits++;
            cc = text.charCodeAt(++q);
          }
          if (cc === C.Dot) {
            isInt = false;
            cc = text.charCodeAt(++q);
            while (cc >= C.Zero && cc <= C.Nine) {
              mant = mant * 10 + (cc - C.Zero);
              digits++;
              frac++;
              cc = text.charCodeAt(++q);
            }
          }
          if (
            digits > 0 &&
            digits <= 15 &&
            (cc === C.Comma ||
              cc === C.RBracket ||
              cc === C.Space ||
              cc === C.Lf ||
              cc === C.RParen ||
              cc === C.Cr ||
              cc === C.Tab ||
              cc === C.Hash ||
              cc === C.Slash)
          ) {
            v = frac === 0 ? mant : mant / pow10[frac];
            pos = q;
          } else if ((c >= C.Zero && c <= C.Nine) || c === C.Dot) {
            const d = text.charCodeAt(pos + 1) | 0x20;
            if (c === C.Zero && (d === 120 || d === 111 || d === 98) && this.lang !== Lang.Json) {
              // 0x.., 0o.., 0b.. integers.
              const r = this.radixInt(pos + 2, d === 120 ? 16 : d === 111 ? 8 : 2);
              if (r < 0) return this.fail(pos, openPos);
              v = lastNumber.value;
              pos = r;
              isInt = true;
            } else {
              if (!parseDecimal(text, pos, underscores)) return this.fail(pos, openPos);
              v = lastNumber.value;
              pos = lastNumber.end;
              isInt = lastNumber.integral;
            }
            const after = text.charCodeAt(pos);
            if (after === C.Dot || (after < 128 ? identTable[after] !== 0 : after === after))
              return this.fail(pos, openPos);
          } else if (c < 128 ? identTable[c] === 1 : c === c) {
            const r = this.special(pos);
            if (r < 0) return this.fail(pos, openPos);
            v = lastNumber.value;
            pos = r;
            isInt = false;
          } else {
            return this.fail(pos, openPos);
          }
          if (negative) v = -v;
          const depth = openers.length;
          if (depth === 0) return this.fail(pos, openPos);
          counts[depth - 1]++;
          if (leafDepth < 0) leafDepth = depth;
          else if (depth !== leafDepth && error === null) {
            error = depth < leafDepth ? 'not a sequence' : 'must be real number, not list';
          }
          if (!isInt) integral = false;
          if (n < maxElements) {
            if (n === cap) {
              const grown = new Float64Array(Math.min(cap * 2, Math.max(maxElements, 1)));
              grown.set(data);
              data = grown;
              cap = grown.length;
              this.scratch = grown;
            }
            data[n] = v;
          }
          n++;
          expectValue = false;
          continue;
        }
      }
      // After a value (or a closer in expect-value position): a comma or a closer.
      if (c === C.Comma && !expectValue) {
        commas[openers.length - 1] = 1;
        pos++;
        expectValue = true;
        continue;
      }
      if (c === C.RBracket || c === C.RParen) {
        const depth = openers.length;
        const opener = openers.pop() as number;
        if ((c === C.RBracket) !== (opener === C.LBracket)) return this.fail(pos, openPos);
        // `(x)` without a comma is a parenthesised expression, not a tuple.
        if (opener === C.LParen && commas[depth - 1] === 0 && counts[depth - 1] !== 0) return this.fail(pos, openPos);
        const count = counts.pop() as number;
        commas.pop();
        openPos.pop();
        if (leafDepth < 0 && count === 0) leafDepth = depth;
        const dim = depth - 1;
        if (dim >= shape.length) {
          while (shape.length < dim) shape.push(-1);
          shape[dim] = count;
        } else if (shape[dim] === -1) {
          shape[dim] = count;
        } else if (shape[dim] !== count && error === null) {
          error = `expected sequence of length ${shape[dim]} at dim ${dim} (got ${count})`;
        }
        pos++;
        if (openers.length === 0) break;
        expectValue = false;
        continue;
      }
      return this.fail(pos, openPos);
    }
    const finalShape = shape.slice(0, Math.max(leafDepth, 0)).map((s) => Math.max(s, 0));
    let out: Float64Array | null = null;
    if (n <= maxElements && error === null) {
      // A big literal keeps the scratch buffer itself when it is mostly full (no second copy of
      // megabytes of data at the peak); small ones get an exact copy and the scratch is reused.
      if (n > 4096 && n >= cap * 0.75) {
        out = n === cap ? data : data.subarray(0, n);
        this.scratch = new Float64Array(256);
      } else out = data.slice(0, n);
    }
    if (cap > 1 << 20) this.scratch = new Float64Array(256);
    return {
      end: pos,
      shape: finalShape,
      data: out,
      integral,
      count: n,
      error,
      tuple: text.charCodeAt(start) === C.LParen,
    };
  }

  /** Output of {@link leafRun}. */
  private runCount = 0;
  private runComma = false;
  private runAfterValue = false;
  private n = 0;
  private data = this.scratch;
  private cap = 0;
  private integral = true;

  /**
   * Reads a run of plain numbers `1.25, -0.5, 3, …` in an innermost list, starting at the value at
   * `pos`; stops before anything else (a bracket, a comment, an exponent it cannot take, …).
   * Returns the new position: after the last number, or after its comma and trivia.
   */
  private leafRun(text: string, pos: number, c: number, underscores: boolean, maxElements: number): number {
    let n = this.n;
    let data = this.data;
    let cap = this.cap;
    let integral = this.integral;
    let cnt = 0;
    let cc = c;
    let sawComma = false;
    let afterValue = false;
    for (;;) {
      let q = pos;
      const neg = cc === C.Minus;
      if (neg) cc = text.charCodeAt(++q);
      // Digits: the first 15 in `mant` (exact), up to 4 more in `tail`.
      let mant = 0;
      let tail = 0;
      let nt = 0;
      let digits = 0;
      let frac = 0;
      let dot = false;
      while (cc >= C.Zero && cc <= C.Nine && digits < 15) {
        mant = mant * 10 + (cc - C.Zero);
        digits++;
        cc = text.charCodeAt(++q);
      }
      while (cc >= C.Zero && cc <= C.Nine) {
        tail = tail * 10 + (cc - C.Zero);
        nt++;
        digits++;
        cc = text.charCodeAt(++q);
      }
      if (cc === C.Dot) {
        dot = true;
        cc = text.charCodeAt(++q);
        const f0 = digits;
        // Two digits per step while both are digits and room remains (fewer branches per char).
        while (digits < 14) {
          const d1 = cc - C.Zero;
          const d2 = text.charCodeAt(q + 1) - C.Zero;
          if (d1 >>> 0 > 9 || d2 >>> 0 > 9) break;
          mant = mant * 100 + d1 * 10 + d2;
          digits += 2;
          q += 2;
          cc = text.charCodeAt(q);
        }
        while (cc >= C.Zero && cc <= C.Nine && digits < 15) {
          mant = mant * 10 + (cc - C.Zero);
          digits++;
          cc = text.charCodeAt(++q);
        }
        while (cc >= C.Zero && cc <= C.Nine) {
          tail = tail * 10 + (cc - C.Zero);
          nt++;
          digits++;
          cc = text.charCodeAt(++q);
        }
        frac = digits - f0;
      }
      let v = 0;
      let exact = false;
      if (nt === 0) {
        v = frac === 0 ? mant : mant / pow10[frac];
        exact = true;
      } else if (nt <= 4 && frac > 0 && frac <= 22 && cc !== 101 && cc !== 69) {
        // 16–19 digits (Python's repr): (mant·10^nt + tail) / 10^frac in double-double
        // arithmetic (Dekker products), rounded once; trusted unless within 2^-99 of a tie.
        const P = pow10[nt];
        let cs = splitter * mant;
        const ah = cs - (cs - mant);
        const al = mant - ah;
        const p = mant * P;
        const e = ah * pow10Hi[nt] - p + ah * pow10Lo[nt] + al * pow10Hi[nt] + al * pow10Lo[nt];
        const hi = p + tail;
        const bb = hi - p;
        const lo = e + (p - (hi - bb) + (tail - bb));
        // Quotient by multiplication with 1/10^frac: q1 need only be close, the exact remainder
        // hi − q1·10^frac (Dekker product, Sterbenz subtraction) corrects it in q2.
        const D = pow10[frac];
        const inv = inv10[frac];
        const q1 = hi * inv;
        cs = splitter * q1;
        const qh = cs - (cs - q1);
        const ql = q1 - qh;
        const ph = q1 * D;
        const pl = qh * pow10Hi[frac] - ph + qh * pow10Lo[frac] + ql * pow10Hi[frac] + ql * pow10Lo[frac];
        const q2 = (hi - ph - pl + lo) * inv;
        v = q1 + q2;
        const rest = q2 - (v - q1);
        const tol = Math.abs(v) * 1.6e-30;
        exact = v + (rest + tol) === v && v + (rest - tol) === v;
      }
      if (!exact || cc === 101 || cc === 69) {
        // Long mantissas (Python's 17-digit repr) and exponents: double-double path.
        const numStart = neg ? pos + 1 : pos;
        const r = longDecimal(text, numStart);
        if (r < 0) {
          if (!parseDecimal(text, numStart, underscores)) break;
          v = lastNumber.value;
          q = lastNumber.end;
          dot = !lastNumber.integral;
        } else {
          v = longOut[0];
          q = r;
          dot = longOut[1] === 1;
        }
        cc = text.charCodeAt(q);
        digits = 1;
      }
      if (
        digits === 0 ||
        !(cc === C.Comma || cc === C.RBracket || cc === C.Space || cc === C.Lf || cc === C.RParen || cc === C.Cr)
      )
        break;
      if (neg) v = -v;
      if (dot) integral = false;
      if (n < maxElements) {
        if (n === cap) {
          const grown = new Float64Array(Math.min(cap * 2, Math.max(maxElements, 1)));
          grown.set(data);
          data = grown;
          cap = grown.length;
          this.scratch = grown;
        }
        data[n] = v;
      }
      n++;
      cnt++;
      pos = q;
      while (cc === C.Space) cc = text.charCodeAt(++pos);
      if (cc !== C.Comma) {
        afterValue = true;
        break;
      }
      sawComma = true;
      cc = text.charCodeAt(++pos);
      while (cc === C.Space || cc === C.Lf || cc === C.Cr || cc === C.Tab) cc = text.charCodeAt(++pos);
      if (!((cc >= C.Zero && cc <= C.Nine) || cc === C.Minus)) break;
    }
    this.n = n;
    this.data = data;
    this.cap = cap;
    this.integral = integral;
    this.runCount = cnt;
    this.runComma = sawComma;
    this.runAfterValue = afterValue;
    return pos;
  }

  private fail(pos: number, open: number[]): null {
    this.failure.pos = pos;
    this.failure.open = open;
    this.failure.tooDeep = false;
    return null;
  }

  /** End of the line starting at `pos` (offset of its line break, or the text's length). */
  private lineEnd(pos: number): number {
    return lineEnd(this.text, pos, this.hasCR);
  }

  /** Digits of `radix` from `pos` (underscores allowed); value in lastNumber; returns end or -1. */
  private radixInt(pos: number, radix: number): number {
    const text = this.text;
    let v = 0;
    let any = false;
    for (;;) {
      const c = text.charCodeAt(pos);
      let d = -1;
      if (c >= 48 && c <= 57) d = c - 48;
      else if ((c | 0x20) >= 97 && (c | 0x20) <= 102) d = (c | 0x20) - 87;
      else if (c === C.Underscore && any) {
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
  private special(pos: number): number {
    const text = this.text;
    // Every special spelling starts with one of m n t i I N f (math., np., torch., inf, NaN, Number., float).
    const f = text.charCodeAt(pos);
    if (f !== 109 && f !== 110 && f !== 116 && f !== 105 && f !== 73 && f !== 78 && f !== 102) return -1;
    let e = pos;
    for (;;) {
      const c = text.charCodeAt(e);
      if (c < 128 ? identTable[c] !== 0 || c === C.Dot : c === c) e++;
      else break;
      if (e - pos > 32) return -1;
    }
    const name = text.slice(pos, e);
    const known = specials.get(name);
    if (known !== undefined) {
      lastNumber.value = known;
      return e;
    }
    if (name !== 'float' || this.lang !== Lang.Python) return -1;
    // float('inf') and friends.
    let i = e;
    while (text.charCodeAt(i) === C.Space) i++;
    if (text.charCodeAt(i) !== C.LParen) return -1;
    i++;
    while (text.charCodeAt(i) === C.Space) i++;
    const q = text.charCodeAt(i);
    if (q !== C.Quote1 && q !== C.Quote2) return -1;
    const close = text.indexOf(String.fromCharCode(q), i + 1);
    if (close < 0 || close - i > 16) return -1;
    const v = floatOfString(text.slice(i + 1, close));
    if (v === undefined) return -1;
    i = close + 1;
    while (text.charCodeAt(i) === C.Space) i++;
    if (text.charCodeAt(i) !== C.RParen) return -1;
    lastNumber.value = v;
    return i + 1;
  }
}
