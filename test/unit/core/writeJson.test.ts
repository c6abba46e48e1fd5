import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonString, writeJson } from '../../../src/core/json/writeJson';

function written(value: unknown, chunk?: number): { text: string; chunks: string[] } {
  const chunks: string[] = [];
  writeJson(value, (c) => chunks.push(c), chunk);
  return { text: chunks.join(''), chunks };
}

describe('writeJson', () => {
  it('writes what JSON.stringify writes, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(written(value, 16).text).toBe(JSON.stringify(value));
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('follows JSON.stringify for undefined members, non-finite numbers and toJSON', () => {
    const value = {
      a: undefined,
      b: [undefined, NaN, -Infinity, () => 1],
      c: { toJSON: () => 'c' },
      d: -0,
      e: 1e21,
      f: 5e-324,
    };
    expect(written(value).text).toBe(JSON.stringify(value));
  });

  it('hands the text over in bounded chunks instead of one string', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ line: i, text: 'tensor(2.1438)', value: i / 3 }));
    const { text, chunks } = written({ files: [{ path: 'a.py', claims: rows }] }, 4096);
    expect(JSON.parse(text).files[0].claims).toHaveLength(20_000);
    expect(chunks.length).toBeGreaterThan(200);
    // A chunk ends at the first value that takes it past the size.
    for (const c of chunks) expect(c.length).toBeLessThan(4096 + 100);
  });

  it('escapes characters that JSON.stringify leaves raw but terminals act on', () => {
    const s = 'a\u009b2Kb\u202ec\u2028d\u007f\u001b';
    const quoted = jsonString(s);
    expect(quoted).toBe('"a\\u009b2Kb\\u202ec\\u2028d\\u007f\\u001b"');
    expect(JSON.parse(quoted)).toBe(s);
    expect(written({ [s]: s }).text).toBe(`{${quoted}:${quoted}}`);
  });
});
