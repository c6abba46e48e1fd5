import { describe, expect, it } from 'vitest';
import {
  JsonLimitError,
  JsonSyntaxError,
  NumericArray,
  RaggedArray,
  type JsonValue,
} from '../../../src/core/json/jsonValue';
import { parseJson } from '../../../src/core/json/parseJson';
import { decodeRequest, parseRequest } from '../../../src/core/request';
import { KernelError } from '../../../src/core/errors';
import { lastNumber, parseDecimal } from '../../../src/core/numbers';

describe('parseDecimal', () => {
  const cases = [
    '0',
    '-0',
    '1',
    '2.5',
    '0.1',
    '0.8982',
    '-3.25e-7',
    '1e999',
    '-1e999',
    '1E5',
    '.5',
    '5.',
    '123456789012345678901234567890',
    '0.000000000000000000000000000001',
    '2.143818427948945',
    '9007199254740993',
    '4.9e-324',
    '1.7976931348623157e308',
    '3.14159265358979323846',
  ];
  for (const text of cases) {
    it(`reads ${text} exactly as Number() does`, () => {
      expect(parseDecimal(text, 0)).toBe(true);
      expect(Object.is(lastNumber.value, Number(text.endsWith('.') ? text + '0' : text))).toBe(true);
      expect(lastNumber.end).toBe(text.length);
    });
  }

  it('agrees with Number() on 20 000 random literals', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 20_000; i++) {
      const digits = Math.floor(rand() * 20) + 1;
      let s = (rand() < 0.3 ? '-' : '') + String(Math.floor(rand() * 10));
      if (rand() < 0.8) {
        s += '.';
        for (let d = 0; d < digits; d++) s += String(Math.floor(rand() * 10));
      }
      if (rand() < 0.3) s += `e${rand() < 0.5 ? '-' : ''}${Math.floor(rand() * 40)}`;
      expect(parseDecimal(s, 0)).toBe(true);
      expect(lastNumber.value).toBe(Number(s));
    }
  });

  it('tells integer literals from float literals', () => {
    parseDecimal('12', 0);
    expect(lastNumber.integral).toBe(true);
    parseDecimal('12.0', 0);
    expect(lastNumber.integral).toBe(false);
    parseDecimal('1e2', 0);
    expect(lastNumber.integral).toBe(false);
  });

  it('reads Python digit separators only when asked', () => {
    expect(parseDecimal('1_000', 0, true)).toBe(true);
    expect(lastNumber.value).toBe(1000);
    parseDecimal('1_000', 0, false);
    expect(lastNumber.value).toBe(1);
  });

  it('rejects text without digits', () => {
    expect(parseDecimal('-', 0)).toBe(false);
    expect(parseDecimal('.', 0)).toBe(false);
    expect(parseDecimal('abc', 0)).toBe(false);
  });
});

describe('parseJson', () => {
  it('keeps numeric arrays flat with their shape and integer-ness', () => {
    const v = parseJson('{"a": [[1, 2], [3, 4]], "b": [1.0, 2]}') as Record<string, NumericArray>;
    expect(v.a.array.shape).toEqual([2, 2]);
    expect(Array.from(v.a.array.data)).toEqual([1, 2, 3, 4]);
    expect(v.a.array.integral).toBe(true);
    expect(v.b.array.integral).toBe(false);
  });

  it('accepts non-finite spellings', () => {
    const v = parseJson('["NaN", "Infinity", "-Infinity", 1e999]') as NumericArray;
    const d = Array.from(v.array.data);
    expect(Number.isNaN(d[0])).toBe(true);
    expect(d.slice(1)).toEqual([Infinity, -Infinity, Infinity]);
  });

  it('reports ragged rows in torch words', () => {
    const v = parseJson('[[1, 2, 3], [4, 5]]') as RaggedArray;
    expect(v).toBeInstanceOf(RaggedArray);
    expect(v.message).toBe('expected sequence of length 3 at dim 1 (got 2)');
  });

  it('reads empty arrays as zero-sized dimensions', () => {
    expect((parseJson('[]') as NumericArray).array.shape).toEqual([0]);
    expect((parseJson('[[]]') as NumericArray).array.shape).toEqual([1, 0]);
  });

  it('parses mixed content generically', () => {
    expect(parseJson('{"x": [1, "a", {"b": null}], "t": true}')).toEqual({ x: [1, 'a', { b: null }], t: true });
  });

  it('names the line and column of a syntax error', () => {
    try {
      parseJson('{\n  "input": [1, 2,, 3]\n}');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(JsonSyntaxError);
      expect((err as JsonSyntaxError).line).toBe(2);
      expect((err as Error).message).toMatch(/line 2, column \d+/);
    }
  });
});

/** The error parseJson throws for `text` (fails the test when it parses). */
function errorOf(text: string, options = {}): JsonSyntaxError {
  try {
    parseJson(text, options);
  } catch (err) {
    expect(err).toBeInstanceOf(JsonSyntaxError);
    return err as JsonSyntaxError;
  }
  throw new Error(`expected ${JSON.stringify(text.slice(0, 40))} to be refused`);
}

describe('parseJson: strict numbers', () => {
  // Each refused in an array of numbers (the fast path), in a mixed array, as a member and alone.
  const refused: [string, RegExp][] = [
    ['1.', /a digit must follow the decimal point/],
    ['.5', /a digit must come before the decimal point/],
    ['-.5', /a digit must come before the decimal point/],
    ['007', /leading zeros are not allowed/],
    ['-01', /leading zeros are not allowed/],
    ['00', /leading zeros are not allowed/],
    ['1.e5', /a digit must follow the decimal point/],
    ['1e', /the exponent needs digits/],
    ['1e+', /the exponent needs digits/],
    ['-', /expected a digit after '-'/],
    ['+1', /unexpected character '\+'/],
    ['-Infinity', /expected a digit after '-'/],
    ['NaN', /unexpected character 'N'/],
    ['0x10', /expected ','|unexpected text/],
    ['1_000', /expected ','|unexpected text/],
  ];
  for (const [literal, message] of refused) {
    it(`refuses ${literal} with its line and column`, () => {
      const column = '{\n  "input": [0.5, '.length - 2 + 1;
      // `0.5` keeps the fast path for numbers, `"a"` (as long) sends the array to the general one.
      for (const text of [`{\n  "input": [0.5, ${literal}]}`, `{\n  "input": ["a", ${literal}]}`]) {
        const err = errorOf(text);
        expect(err.line).toBe(2);
        expect(err.column).toBeGreaterThanOrEqual(column);
        expect(err.column).toBeLessThanOrEqual(column + literal.length);
        expect(err.message).toMatch(message);
        expect(err.message).toMatch(/^Invalid JSON at line 2, column \d+: /);
      }
      expect(errorOf(`{"a": ${literal}}`).message).toMatch(message);
      expect(errorOf(literal).message).toMatch(message);
    });
  }

  it('accepts every form of JSON number, keeping integer literals apart', () => {
    const v = parseJson('[0, -0, 10, 0.5, -1.25e-3, 1E+5, 2e0, 1.0]') as NumericArray;
    expect(Array.from(v.array.data)).toEqual([0, -0, 10, 0.5, -1.25e-3, 1e5, 2, 1]);
    expect(v.array.integral).toBe(false);
    expect((parseJson('[0, -0, 10, 123]') as NumericArray).array.integral).toBe(true);
    for (const float of ['1.0', '1e0', '0.0', '1E0', '-0.0', '10e-1']) {
      const scalar = parseJson(float, { wrapScalars: true }) as NumericArray;
      expect(scalar.array.integral, float).toBe(false);
      expect((parseJson(`[${float}]`) as NumericArray).array.integral, float).toBe(false);
    }
    expect((parseJson('1', { wrapScalars: true }) as NumericArray).array.integral).toBe(true);
  });

  it('refuses trailing commas and empty elements in arrays of numbers too', () => {
    for (const text of ['[1,]', '[[1, 2],]', '[1,,2]', '[,1]', '[1, "a",]', '{"a": 1,}']) {
      expect(() => parseJson(text), text).toThrow(JsonSyntaxError);
    }
  });

  it('refuses raw control characters in strings, naming them by code', () => {
    const err = errorOf('{"a\u001b[2K": 1}');
    expect(err.message).toContain('U+001B');
    expect(err.message).not.toContain('\u001b');
  });
});

describe('parseJson: __proto__, constructor and prototype are data', () => {
  it('keeps them as own properties of a prototype-free object', () => {
    const v = parseJson('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"x": 2}}, "toString": 3}') as {
      [k: string]: JsonValue;
    };
    expect(Object.getPrototypeOf(v)).toBe(null);
    expect(Object.keys(v)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.hasOwn(v, '__proto__')).toBe(true);
    expect(JSON.stringify(v)).toBe('{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":2}},"toString":3}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((v as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a request cannot take its fields from a __proto__ member or inherited names', () => {
    expect(() => parseRequest('{"__proto__": {"input": [[1, 2]], "target": [0]}}')).toThrow(/no "input" field/);
    expect(() => parseRequest('{"target": [0], "__proto__": {"input": [[1, 2]]}}')).toThrow(/no "input" field/);
    // A plain object's inherited `constructor` is not a field either.
    const plain = { input: parseJson('[[1, 2]]'), target: parseJson('[0]') } as unknown as JsonValue;
    expect(decodeRequest(plain).reduction).toBe('mean');
    expect(parseRequest('{"input": [[1, 2]], "target": [0], "constructor": 1, "__proto__": null}').target.data[0]).toBe(
      0,
    );
  });
});

describe('parseJson: limits while reading', () => {
  it('refuses nesting deeper than 1000 levels at the first bracket past it', () => {
    expect((parseJson('['.repeat(1000) + '1' + ']'.repeat(1000)) as NumericArray).array.shape).toHaveLength(1000);
    for (const text of [
      '['.repeat(1001) + '1' + ']'.repeat(1001),
      '['.repeat(100_000),
      '['.repeat(40_000) + '"a"' + ']'.repeat(40_000),
      '{"a":'.repeat(1001) + '1' + '}'.repeat(1001),
      '[{"a":'.repeat(600) + '1',
      '{"input": ' + '['.repeat(2000),
    ]) {
      const err = errorOf(text);
      expect(err).toBeInstanceOf(JsonLimitError);
      expect((err as JsonLimitError).limit).toBe('depth');
      expect(err.message).toMatch(/^nesting deeper than 1000 levels at line 1, column \d+$/);
      // The 1001st container opens there.
      expect(text[err.offset]).toMatch(/[[{]/);
      expect(err.column).toBeLessThanOrEqual(6 * 1001 + 11);
    }
    // The object is level 1, so the 1000th bracket (on line 1002) is one too many.
    const multi = errorOf('{\n"input":\n' + '[\n'.repeat(1001));
    expect(multi.line).toBe(1002);
    expect(multi.column).toBe(1);
  });

  it('the depth cap is an option', () => {
    expect(() => parseJson('[[[1]]]', { maxDepth: 2 })).toThrow(/nesting deeper than 2 levels at line 1, column 3/);
    expect(() => parseJson('[[1]]', { maxDepth: 2 })).not.toThrow();
  });

  it('stops at the first number past the element cap, wherever the array ends', () => {
    const text = '{"input": [[1, 2, 3], [4, 5, 6], [7, 8, 9]]}';
    const err = errorOf(text, { maxElements: 7 });
    expect(err).toBeInstanceOf(JsonLimitError);
    expect((err as JsonLimitError).limit).toBe('elements');
    expect(err.message).toBe(
      `more than 7 numbers in one array at line 1, column ${text.indexOf('8') + 1} (the element cap)`,
    );
    // Unclosed: the refusal does not depend on the end of the text.
    expect(errorOf('[' + '1,'.repeat(10), { maxElements: 5 }).message).toMatch(
      /more than 5 numbers in one array at line 1, column 12/,
    );
    expect(parseJson('[1, 2, 3]', { maxElements: 3 })).toBeInstanceOf(NumericArray);
    // Other values count against the cap in total.
    expect(errorOf('["a", "b", "c", "d"]', { maxElements: 3 }).message).toMatch(/more than 3 values/);
  });

  it('a request over the cap is input_too_large, a deep one nesting_too_deep', () => {
    const codeOf = (f: () => unknown): string => {
      try {
        f();
      } catch (err) {
        expect(err).toBeInstanceOf(KernelError);
        return (err as KernelError).code;
      }
      return 'none';
    };
    expect(codeOf(() => parseRequest('{"input": [1, 2, 3, 4], "target": 0}', 3))).toBe('input_too_large');
    expect(codeOf(() => parseRequest('{"input": ' + '['.repeat(5000)))).toBe('nesting_too_deep');
    expect(codeOf(() => parseRequest('{"input": [1.], "target": 0}'))).toBe('invalid_request');
  });

  it('arrays with a non-numeric leaf deep inside: numeric parts stay numeric, the rest is general', () => {
    const v = parseJson('[[1, [2, [3, "x"]]], [[4]], "NaN", [5, "Infinity"]]') as JsonValue[];
    const plain = (x: JsonValue): unknown =>
      x instanceof NumericArray
        ? { data: Array.from(x.array.data), shape: x.array.shape }
        : Array.isArray(x)
          ? x.map(plain)
          : x;
    expect(plain(v)).toEqual([
      [1, [2, [3, 'x']]],
      { data: [4], shape: [1, 1] },
      'NaN',
      { data: [5, Infinity], shape: [2] },
    ]);
  });
});
