import { NdBuilder } from '../ndBuilder';
import { lastNumber, nonFiniteFromString, parseDecimal } from '../numbers';
import { CodeUnits, describeChar, hexValue, isDigit, isHex4, simpleEscape } from './jsonChars';
import {
  JsonLimitError,
  JsonSyntaxError,
  NumericArray,
  RaggedArray,
  defaultMaxDepth,
  defaultMaxJsonElements,
  type JsonValue,
  type ParseOptions,
} from './jsonValue';

/**
 * Parses strict JSON (RFC 8259) the way the CLI needs it:
 * - arrays made only of numbers (and the strings "NaN", "Infinity", "-Infinity") become a
 *   {@link NumericArray} (flat Float64Array + shape + whether all literals were integers), or a
 *   {@link RaggedArray} when their rows differ in length;
 * - overflowing literals such as `1e999` become ±Infinity;
 * - numbers follow JSON's grammar: `1.`, `.5`, `-.5`, `007`, `+1` are errors;
 * - iterative, and linear in the length of the text whatever it holds;
 * - depth and element limits are checked while reading ({@link JsonLimitError}).
 * Throws {@link JsonSyntaxError} with line and column on malformed text.
 */
export function parseJson(text: string, options: ParseOptions = {}): JsonValue {
  return new Parser(
    text,
    !!options.wrapScalars,
    !!options.numbersOnlyInArrays,
    options.maxDepth ?? defaultMaxDepth,
    options.maxElements ?? defaultMaxJsonElements,
  ).parseDocument();
}

type JsonObject = { [key: string]: JsonValue };
type Frame = { kind: 'array'; items: JsonValue[] } | { kind: 'object'; obj: JsonObject; key: string };

class Parser {
  private pos = 0;
  /** Values read outside numeric arrays, against the element cap. */
  private values = 0;
  /**
   * Opening brackets that a failed numeric attempt found still open when it hit a non-numeric
   * token, in increasing position. Each of them contains that token, so trying the numeric
   * path again from there would fail the same way; skipping them keeps parsing linear.
   */
  private doomed: number[] = [];
  private doomedNext = 0;

  constructor(
    private readonly text: string,
    private readonly wrapScalars: boolean,
    private readonly numbersOnly: boolean,
    private readonly maxDepth: number,
    private readonly maxElements: number,
  ) {}

  parseDocument(): JsonValue {
    if (this.text.charCodeAt(0) === 0xfeff) this.pos = 1;
    const value = this.parseValue();
    this.skipWs();
    if (this.pos < this.text.length) this.fail('unexpected text after the JSON value');
    return value;
  }

  private parseValue(): JsonValue {
    const stack: Frame[] = [];
    for (;;) {
      this.skipWs();
      let value: JsonValue;
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x5b /* [ */) {
        const numeric = this.isDoomed(this.pos) ? undefined : this.tryNumericArray(stack.length);
        if (numeric) value = numeric;
        else {
          this.enter(stack.length);
          this.pos++;
          this.skipWs();
          if (this.text.charCodeAt(this.pos) === 0x5d) {
            this.pos++;
            value = [];
          } else {
            stack.push({ kind: 'array', items: [] });
            continue;
          }
        }
      } else if (c === 0x7b /* { */) {
        this.enter(stack.length);
        this.pos++;
        this.skipWs();
        const obj = Object.create(null) as JsonObject;
        if (this.text.charCodeAt(this.pos) === 0x7d) {
          this.pos++;
          value = obj;
        } else {
          stack.push({ kind: 'object', obj, key: this.parseKey() });
          continue;
        }
      } else {
        this.count();
        // Only numbers that are a member's whole value need `1` vs `1.0`; in an array that is not
        // all numbers they stay plain (no object per number: millions of them slowed collection).
        const top = stack[stack.length - 1];
        value = this.parseScalar(this.wrapScalars && (top === undefined || top.kind === 'object'));
      }
      // Attach `value` to the enclosing containers, closing them as far as they end here.
      for (;;) {
        const top = stack[stack.length - 1];
        if (!top) return value;
        if (top.kind === 'array') top.items.push(value);
        else top.obj[top.key] = value; // own property: the object has no prototype
        this.skipWs();
        const d = this.text.charCodeAt(this.pos);
        if (d === 0x2c /* , */) {
          this.pos++;
          if (top.kind === 'object') {
            this.skipWs();
            top.key = this.parseKey();
          }
          break;
        }
        if ((top.kind === 'array' && d === 0x5d) || (top.kind === 'object' && d === 0x7d)) {
          this.pos++;
          stack.pop();
          value = top.kind === 'array' ? top.items : top.obj;
          continue;
        }
        if (this.pos >= this.text.length) this.fail('unexpected end of input');
        this.fail(top.kind === 'array' ? "expected ',' or ']'" : "expected ',' or '}'");
      }
    }
  }

  private isDoomed(pos: number): boolean {
    if (this.doomedNext < this.doomed.length && this.doomed[this.doomedNext] === pos) {
      this.doomedNext++;
      return true;
    }
    return false;
  }

  /** Opens a container at `this.pos` inside `depth` others. */
  private enter(depth: number): void {
    if (depth + 1 > this.maxDepth) this.failDepth();
    this.count();
  }

  private count(): void {
    if (++this.values > this.maxElements) {
      this.failLimit('elements', `more than ${this.maxElements} values`);
    }
  }

  private parseKey(): string {
    if (this.text.charCodeAt(this.pos) !== 0x22) {
      if (this.pos >= this.text.length) this.fail('unexpected end of input');
      this.fail('expected a string key');
    }
    const key = this.parseString();
    this.skipWs();
    if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail("expected ':'");
    this.pos++;
    return key;
  }

  private parseScalar(wrap: boolean): JsonValue {
    const c = this.text.charCodeAt(this.pos);
    if (c === 0x22) {
      const s = this.parseString();
      const v = wrap ? nonFiniteFromString(s) : undefined;
      return v === undefined ? s : NumericArray.scalar(v, false);
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x2e) {
      this.readNumber();
      if (wrap) return NumericArray.scalar(lastNumber.value, lastNumber.integral);
      return lastNumber.value;
    }
    const literal = c === 0x74 ? 'true' : c === 0x66 ? 'false' : c === 0x6e ? 'null' : undefined;
    if (literal !== undefined && this.text.startsWith(literal, this.pos)) {
      this.pos += literal.length;
      return c === 0x74 ? true : c === 0x66 ? false : null;
    }
    if (this.pos >= this.text.length) this.fail('unexpected end of input');
    this.fail(`unexpected character ${describeChar(this.text.charCodeAt(this.pos))}`);
  }

  /**
   * Reads a number at `this.pos` with JSON's grammar, `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`,
   * leaving its value in {@link lastNumber} and `this.pos` after it. `parseDecimal` accepts more
   * (`5.`, `.5`, `007`), so the lexeme is checked here first.
   */
  private readNumber(): void {
    const t = this.text;
    const start = this.pos;
    let i = start;
    if (t.charCodeAt(i) === 0x2d) i++;
    const first = t.charCodeAt(i);
    if (!isDigit(first)) {
      this.pos = i;
      this.fail(
        first === 0x2e
          ? 'invalid number: a digit must come before the decimal point'
          : "invalid number: expected a digit after '-'",
      );
    }
    if (first === 0x30 && isDigit(t.charCodeAt(i + 1))) {
      this.pos = i;
      this.fail('invalid number: leading zeros are not allowed');
    }
    while (isDigit(t.charCodeAt(i))) i++;
    if (t.charCodeAt(i) === 0x2e) {
      i++;
      if (!isDigit(t.charCodeAt(i))) {
        this.pos = i;
        this.fail('invalid number: a digit must follow the decimal point');
      }
      while (isDigit(t.charCodeAt(i))) i++;
    }
    const e = t.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      i++;
      const sign = t.charCodeAt(i);
      if (sign === 0x2b || sign === 0x2d) i++;
      if (!isDigit(t.charCodeAt(i))) {
        this.pos = i;
        this.fail('invalid number: the exponent needs digits');
      }
      while (isDigit(t.charCodeAt(i))) i++;
    }
    // The lexeme is valid JSON, hence one parseDecimal reads exactly (without underscores).
    parseDecimal(t, start);
    this.pos = i;
  }

  /**
   * Fast path for arrays of numbers, reading them straight into an {@link NdBuilder}.
   * Returns undefined (position unchanged) if anything else is inside, after noting which of
   * the brackets it opened contain that thing (see {@link doomed}). Syntax errors in numbers
   * and passed limits are thrown from here: the general path would meet the same text.
   */
  private tryNumericArray(outerDepth: number): NumericArray | RaggedArray | undefined {
    const start = this.pos;
    const t = this.text;
    const b = new NdBuilder(this.maxElements);
    /** Positions of the brackets open in this attempt, outermost first. */
    const open: number[] = [];
    let expectValue = true;
    let afterComma = false;
    let size = 0;
    while (this.pos < t.length) {
      this.skipWs();
      const c = t.charCodeAt(this.pos);
      if (c === 0x5b) {
        if (!expectValue) break;
        if (outerDepth + open.length + 1 > this.maxDepth) this.failDepth();
        open.push(this.pos);
        b.open();
        this.pos++;
        expectValue = true;
        afterComma = false;
        continue;
      }
      if (c === 0x5d) {
        if (afterComma) break;
        this.pos++;
        open.pop();
        b.close();
        expectValue = false;
        if (b.depth === 0) {
          const array = b.finish();
          return array ? new NumericArray(array) : new RaggedArray(b.error as string);
        }
        continue;
      }
      if (c === 0x2c) {
        if (expectValue) break;
        this.pos++;
        expectValue = true;
        afterComma = true;
        continue;
      }
      if (!expectValue) break;
      if (c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x2e) {
        if (++size > this.maxElements) {
          this.failLimit('elements', `more than ${this.maxElements} numbers in one array`);
        }
        this.readNumber();
        b.push(lastNumber.value, lastNumber.integral);
        expectValue = false;
        afterComma = false;
        continue;
      }
      if (c === 0x22) {
        const v = this.nonFiniteString();
        if (v === undefined) break;
        if (++size > this.maxElements) {
          this.failLimit('elements', `more than ${this.maxElements} numbers in one array`);
        }
        b.push(v, false);
        expectValue = false;
        afterComma = false;
        continue;
      }
      break;
    }
    if (this.numbersOnly) this.failInNumbers(expectValue, afterComma);
    // open[0] is `start`, which the caller now opens on the general path.
    this.doomed = open;
    this.doomedNext = 1;
    this.pos = start;
    return undefined;
  }

  /**
   * Where an array of numbers stopped, the error the general path would report, or for a
   * value that is not a number, that arrays hold only numbers here (`numbersOnlyInArrays`).
   */
  private failInNumbers(expectValue: boolean, afterComma: boolean): never {
    if (this.pos >= this.text.length) this.fail('unexpected end of input');
    const c = this.text.charCodeAt(this.pos);
    if (!expectValue) this.fail("expected ',' or ']'");
    const found =
      c === 0x22
        ? 'a string'
        : c === 0x7b
          ? 'an object'
          : this.text.startsWith('true', this.pos) || this.text.startsWith('false', this.pos)
            ? 'a boolean'
            : this.text.startsWith('null', this.pos)
              ? 'null'
              : undefined;
    if (found) {
      const { line, column } = this.where();
      throw new JsonSyntaxError(
        `Expected a number at line ${line}, column ${column}, found ${found} (arrays hold only numbers here)`,
        this.pos,
        line,
        column,
      );
    }
    this.fail(`unexpected character ${describeChar(c)}${afterComma && c === 0x5d ? ' (a comma before it)' : ''}`);
  }

  /** `"NaN"`, `"Infinity"`, `"-Infinity"` (and the spellings numbers.ts accepts) at `this.pos`, read past; else undefined. */
  private nonFiniteString(): number | undefined {
    const t = this.text;
    // The longest accepted spelling is 9 characters; look no further, whatever follows.
    const limit = Math.min(t.length, this.pos + 11);
    for (let j = this.pos + 1; j < limit; j++) {
      const c = t.charCodeAt(j);
      if (c === 0x22) {
        const v = nonFiniteFromString(t.slice(this.pos + 1, j));
        if (v !== undefined) this.pos = j + 1;
        return v;
      }
      if (c === 0x5c) return undefined;
    }
    return undefined;
  }

  private parseString(): string {
    const t = this.text;
    const start = this.pos + 1;
    let i = start;
    for (;;) {
      if (i >= t.length) {
        this.pos = i;
        this.fail('unterminated string');
      }
      const c = t.charCodeAt(i);
      if (c === 0x22) {
        this.pos = i + 1;
        return t.slice(start, i);
      }
      if (c === 0x5c) return this.parseEscapedString(start, i);
      if (c < 0x20) {
        this.pos = i;
        this.fail(`control character ${describeChar(c)} in string (write it as an escape)`);
      }
      i++;
    }
  }

  /**
   * A string that has escapes: it starts at `start`, its first escape is at `escape`. Decoded
   * into a buffer of UTF-16 code units and turned into text once: a substring and a piece per
   * escape allocated enough to make a long escaped string superlinear (young objects promoted).
   */
  private parseEscapedString(start: number, escape: number): string {
    const t = this.text;
    const codes = new CodeUnits(escape - start + 64);
    for (let k = start; k < escape; k++) codes.push(t.charCodeAt(k));
    let i = escape;
    for (;;) {
      if (i >= t.length) {
        this.pos = i;
        this.fail('unterminated string');
      }
      const c = t.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) {
        const e = t.charCodeAt(i + 1);
        const simple = simpleEscape(e);
        if (simple !== undefined) {
          codes.push(simple);
          i += 2;
        } else if (e === 0x75 /* u */ && isHex4(t, i + 2)) {
          codes.push(
            (hexValue(t.charCodeAt(i + 2)) << 12) |
              (hexValue(t.charCodeAt(i + 3)) << 8) |
              (hexValue(t.charCodeAt(i + 4)) << 4) |
              hexValue(t.charCodeAt(i + 5)),
          );
          i += 6;
        } else {
          this.pos = i;
          this.fail('invalid escape in string');
        }
        continue;
      }
      if (c < 0x20) {
        this.pos = i;
        this.fail(`control character ${describeChar(c)} in string (write it as an escape)`);
      }
      codes.push(c);
      i++;
    }
    this.pos = i + 1;
    return codes.text();
  }

  private skipWs(): void {
    const t = this.text;
    let c = t.charCodeAt(this.pos);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = t.charCodeAt(++this.pos);
  }

  private where(): { line: number; column: number } {
    let line = 1;
    let lineStart = 0;
    const end = Math.min(this.pos, this.text.length);
    for (let i = this.text.indexOf('\n'); i >= 0 && i < end; i = this.text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    return { line, column: this.pos - lineStart + 1 };
  }

  private fail(message: string): never {
    const { line, column } = this.where();
    throw new JsonSyntaxError(`Invalid JSON at line ${line}, column ${column}: ${message}`, this.pos, line, column);
  }

  private failDepth(): never {
    const { line, column } = this.where();
    throw new JsonLimitError(
      'depth',
      `nesting deeper than ${this.maxDepth} levels at line ${line}, column ${column}`,
      this.pos,
      line,
      column,
    );
  }

  private failLimit(limit: 'elements', what: string): never {
    const { line, column } = this.where();
    throw new JsonLimitError(
      limit,
      `${what} at line ${line}, column ${column} (the element cap)`,
      this.pos,
      line,
      column,
    );
  }
}
