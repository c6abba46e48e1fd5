import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, NumericArray, RaggedArray, parseJson } from '../../../src/core/json/parseJson';
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

  it('survives 100 000 levels of nesting without recursion', () => {
    const deep = '['.repeat(100_000) + '1' + ']'.repeat(100_000);
    const v = parseJson(deep) as NumericArray;
    expect(v.array.shape.length).toBe(100_000);
    const objects = '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000);
    expect(() => parseJson(objects)).not.toThrow();
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
