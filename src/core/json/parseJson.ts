import { NdBuilder } from '../ndBuilder';
import { lastNumber, nonFiniteFromString, parseDecimal } from '../numbers';
import type { NdArray } from '../types';

/** A JSON array of numbers (any nesting), kept flat with its shape and integer-ness. */
export class NumericArray {
  constructor(readonly array: NdArray) {}
}

/** A nested numeric array whose rows have different lengths (torch's wording in `message`). */
export class RaggedArray {
  constructor(readonly message: string) {}
}

/** A number literal, remembering whether it was written as an integer. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue } | NumericArray | RaggedArray;

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/**
 * Parses JSON the way the CLI needs it:
 * - arrays made only of numbers (and the strings "NaN", "Infinity", "-Infinity") become a
 *   {@link NumericArray} (flat Float64Array + shape + whether all literals were integers), or a
 *   {@link RaggedArray} when their rows differ in length;
 * - overflowing literals such as `1e999` become ±Infinity;
 * - iterative, so hostile nesting cannot overflow the stack.
 * Throws {@link JsonSyntaxError} with line and column on malformed text.
 */
export function parseJson(text: string, options: ParseOptions = {}): JsonValue {
  return new Parser(text, !!options.wrapScalars).parseDocument();
}

export interface ParseOptions {
  /**
   * Return scalar numbers as 0-d {@link NumericArray}s too, so that `1` and `1.0` stay
   * distinguishable (a torch LongTensor scalar vs a float one).
   */
  wrapScalars?: boolean;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly wrapScalars: boolean,
  ) {}

  parseDocument(): JsonValue {
    if (this.text.charCodeAt(0) === 0xfeff) this.pos = 1;
    const value = this.parseValue();
    this.skipWs();
    if (this.pos < this.text.length) this.fail('unexpected text after the JSON value');
    return value;
  }

  private parseValue(): JsonValue {
    // Explicit stack of open containers.
    type Frame =
      { kind: 'array'; items: JsonValue[] } | { kind: 'object'; obj: { [k: string]: JsonValue }; key: string };
    const stack: Frame[] = [];
    let result: JsonValue = null;
    for (;;) {
      this.skipWs();
      let value: JsonValue | undefined;
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x5b /* [ */) {
        const numeric = this.tryNumericArray();
        if (numeric) value = numeric;
        else {
          this.pos++;
          stack.push({ kind: 'array', items: [] });
          this.skipWs();
          if (this.text.charCodeAt(this.pos) === 0x5d) {
            this.pos++;
            value = (stack.pop() as { items: JsonValue[] }).items;
          } else continue;
        }
      } else if (c === 0x7b /* { */) {
        this.pos++;
        this.skipWs();
        if (this.text.charCodeAt(this.pos) === 0x7d) {
          this.pos++;
          value = {};
        } else {
          const key = this.parseKey();
          stack.push({ kind: 'object', obj: {}, key });
          continue;
        }
      } else value = this.parseScalar();
      // Attach `value` to the enclosing containers, closing them as far as they end here.
      for (;;) {
        const top = stack[stack.length - 1];
        if (!top) return value;
        if (top.kind === 'array') top.items.push(value);
        else top.obj[top.key] = value;
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
        this.fail(top.kind === 'array' ? "expected ',' or ']'" : "expected ',' or '}'");
      }
      result = value;
    }
    return result;
  }

  private parseKey(): string {
    if (this.text.charCodeAt(this.pos) !== 0x22) this.fail('expected a string key');
    const key = this.parseString();
    this.skipWs();
    if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail("expected ':'");
    this.pos++;
    return key;
  }

  private parseScalar(): JsonValue {
    const c = this.text.charCodeAt(this.pos);
    if (c === 0x22) {
      const s = this.parseString();
      const v = this.wrapScalars ? nonFiniteFromString(s) : undefined;
      return v === undefined ? s : new NumericArray({ data: Float64Array.of(v), shape: [], integral: false });
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      if (!parseDecimal(this.text, this.pos)) this.fail('invalid number');
      this.pos = lastNumber.end;
      if (this.wrapScalars)
        return new NumericArray({ data: Float64Array.of(lastNumber.value), shape: [], integral: lastNumber.integral });
      return lastNumber.value;
    }
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    if (this.pos >= this.text.length) this.fail('unexpected end of input');
    this.fail(`unexpected character '${this.text[this.pos]}'`);
  }

  /** Fast path for arrays of numbers. Returns undefined (position unchanged) if anything else is inside. */
  private tryNumericArray(): NumericArray | RaggedArray | undefined {
    const start = this.pos;
    const t = this.text;
    const b = new NdBuilder();
    let expectValue = true;
    while (this.pos < t.length) {
      this.skipWs();
      const c = t.charCodeAt(this.pos);
      if (c === 0x5b) {
        if (!expectValue) break;
        b.open();
        this.pos++;
        expectValue = true;
        continue;
      }
      if (c === 0x5d) {
        this.pos++;
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
        continue;
      }
      if (!expectValue) break;
      if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
        if (!parseDecimal(t, this.pos)) break;
        this.pos = lastNumber.end;
        b.push(lastNumber.value, lastNumber.integral);
        expectValue = false;
        continue;
      }
      if (c === 0x22) {
        const end = t.indexOf('"', this.pos + 1);
        const v = end > 0 ? nonFiniteFromString(t.slice(this.pos + 1, end)) : undefined;
        if (v === undefined) break;
        this.pos = end + 1;
        b.push(v, false);
        expectValue = false;
        continue;
      }
      break;
    }
    this.pos = start;
    return undefined;
  }

  private parseString(): string {
    const t = this.text;
    let i = this.pos + 1;
    let out = '';
    let chunk = i;
    for (;;) {
      if (i >= t.length) this.fail('unterminated string');
      const c = t.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) {
        out += t.slice(chunk, i);
        const e = t[i + 1];
        const simple: Record<string, string> = {
          '"': '"',
          '\\': '\\',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        };
        if (e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(t.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          this.pos = i;
          this.fail('invalid escape in string');
        }
        chunk = i;
        continue;
      }
      if (c < 0x20) {
        this.pos = i;
        this.fail('control character in string');
      }
      i++;
    }
    out += t.slice(chunk, i);
    this.pos = i + 1;
    return out;
  }

  private skipWs(): void {
    const t = this.text;
    let c = t.charCodeAt(this.pos);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = t.charCodeAt(++this.pos);
  }

  private fail(message: string): never {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < this.pos && i < this.text.length; i++) {
      if (this.text.charCodeAt(i) === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    const column = this.pos - lineStart + 1;
    throw new JsonSyntaxError(`Invalid JSON at line ${line}, column ${column}: ${message}`, this.pos, line, column);
  }
}
