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
import { AsciiWindow } from './asciiWindow';
import { lineEnd } from './lines';
import { inv10, longDecimal, longOut, pow10, pow10Hi, pow10Lo, readValue, splitter, valueOut } from './numberSpellings';
import { Char as C, Lang, type LiteralOutcome } from './tokens';

export { Lang, type LiteralOutcome } from './tokens';

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

/**
 * Parses numeric literals of one source. Holds a growing scratch buffer reused across literals,
 * so a file with thousands of small literals does not allocate per element.
 */
export class LiteralParser {
  private scratch = new Float64Array(256);
  private start = 0; // where the literal being parsed starts
  private readonly hasCR: boolean;
  /** The text as bytes around the number run being read (see {@link AsciiWindow}). */
  private readonly window: AsciiWindow;
  /** Set when {@link parse} returns null. */
  readonly failure: LiteralFailure = { pos: 0, open: [], tooDeep: false };

  constructor(
    private readonly text: string,
    private readonly lang: Lang,
    private readonly maxElements: number,
  ) {
    this.hasCR = text.indexOf('\r') >= 0;
    this.window = new AsciiWindow(text);
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
    this.start = start;
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
          const r = readValue(text, pos, c, this.lang, underscores);
          if (r < 0) return this.fail(valueOut[0], openPos);
          pos = r;
          const v = negative ? -valueOut[0] : valueOut[0];
          const isInt = valueOut[1] === 1;
          const depth = openers.length;
          if (depth === 0) return this.fail(pos, openPos);
          counts[depth - 1]++;
          if (leafDepth < 0) leafDepth = depth;
          else if (depth !== leafDepth && error === null) {
            error = depth < leafDepth ? 'not a sequence' : 'must be real number, not list';
          }
          if (!isInt) integral = false;
          if (n < maxElements) {
            if (n === cap) cap = (data = this.grow(data, pos)).length;
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
    const win = this.window;
    if (pos < win.start || pos >= win.end) win.cover(pos);
    let b = win.bytes;
    let base = win.start;
    let end = win.end;
    for (;;) {
      let q = pos;
      const neg = cc === C.Minus;
      if (neg) cc = b[++q - base];
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
        cc = b[++q - base];
      }
      while (cc >= C.Zero && cc <= C.Nine) {
        tail = tail * 10 + (cc - C.Zero);
        nt++;
        digits++;
        cc = b[++q - base];
      }
      if (cc === C.Dot) {
        dot = true;
        cc = b[++q - base];
        const f0 = digits;
        // Two digits per step while both are digits and room remains (fewer branches per char).
        while (digits < 14) {
          const d1 = cc - C.Zero;
          const d2 = b[q + 1 - base] - C.Zero;
          if (d1 >>> 0 > 9 || d2 >>> 0 > 9) break;
          mant = mant * 100 + d1 * 10 + d2;
          digits += 2;
          q += 2;
          cc = b[q - base];
        }
        while (cc >= C.Zero && cc <= C.Nine && digits < 15) {
          mant = mant * 10 + (cc - C.Zero);
          digits++;
          cc = b[++q - base];
        }
        while (cc >= C.Zero && cc <= C.Nine) {
          tail = tail * 10 + (cc - C.Zero);
          nt++;
          digits++;
          cc = b[++q - base];
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
      // Digits that ran to the window's end (its sentinel, cc 0) are not a number yet: see below.
      if (q < end && (!exact || cc === 101 || cc === 69)) {
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
        cc = q < end ? b[q - base] : 0;
        digits = 1;
      }
      if (
        digits === 0 ||
        !(cc === C.Comma || cc === C.RBracket || cc === C.Space || cc === C.Lf || cc === C.RParen || cc === C.Cr)
      ) {
        if (q < end || !win.canGrowAt(pos)) break;
        // The number runs into the window's size limit (or an exponent read from the string ran past
        // it): read it again from a window that holds it.
        win.cover(pos);
        b = win.bytes;
        base = win.start;
        end = win.end;
        cc = b[0];
        continue;
      }
      if (neg) v = -v;
      if (dot) integral = false;
      if (n < maxElements) {
        if (n === cap) cap = (data = this.grow(data, q)).length;
        data[n] = v;
      }
      n++;
      cnt++;
      // The usual separator, `, ` and the next number, in one step (the general path below reads the same).
      if (cc === C.Comma && q + 2 < end && b[q + 1 - base] === C.Space) {
        const next = b[q + 2 - base];
        if ((next >= C.Zero && next <= C.Nine) || next === C.Minus) {
          sawComma = true;
          pos = q + 2;
          cc = next;
          continue;
        }
      }
      pos = q;
      for (;;) {
        while (cc === C.Space) cc = b[++pos - base];
        if (pos < end || !win.soft) break;
        win.cover(pos);
        b = win.bytes;
        base = win.start;
        end = win.end;
        cc = b[0];
      }
      if (cc !== C.Comma) {
        afterValue = true;
        break;
      }
      sawComma = true;
      pos++;
      for (;;) {
        cc = b[pos - base];
        while (cc === C.Space || cc === C.Lf || cc === C.Cr || cc === C.Tab) cc = b[++pos - base];
        if (pos < end || !win.soft) break;
        win.cover(pos);
        b = win.bytes;
        base = win.start;
        end = win.end;
      }
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

  /**
   * A bigger scratch buffer holding the full `data` (read up to `pos`): double, and from 64 K numbers
   * on enough for the rest of the text at the density so far (+25 %): one copy, not one per doubling
   * (peak: the final buffer + 512 KB, not 1.5× the data). Unwritten pages cost no resident memory.
   */
  private grow(data: Float64Array, pos: number): Float64Array<ArrayBuffer> {
    const cap = data.length;
    const perNumber = Math.max((pos - this.start) / cap, 2);
    const guess =
      cap < 1 << 16 ? cap * 2 : Math.max(cap * 2, cap + Math.ceil(((this.text.length - pos) / perNumber) * 1.25));
    const grown = new Float64Array(Math.min(guess, Math.max(this.maxElements, 1)));
    grown.set(data);
    this.scratch = grown;
    return grown;
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
}
