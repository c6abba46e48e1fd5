/**
 * Numeric literals read from source text: values (correctly rounded, as Number() reads them),
 * shapes, integer-ness, trivia inside literals, and raggedness in torch's own words
 * (reference.json, recorded from torch.tensor by reference.py).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Lang, LiteralParser, maxNesting } from '../../../src/core/detection/literals';

const reference = JSON.parse(readFileSync(join(__dirname, '../../fixtures/snippets/reference.json'), 'utf8')) as {
  ragged: Record<string, { literal: string; message: string }>;
};

function parse(text: string, lang = Lang.Python, max = 1e7) {
  const p = new LiteralParser(text, lang, max);
  return { out: p.parse(text.indexOf(text.trimStart()[0])), failure: p.failure };
}

describe('LiteralParser', () => {
  it('reads nested rows with their shape, like torch.tensor', () => {
    const { out } = parse('[[0.8982, 0.805, 0.6393], [0.9457, 0.0195, 0.9846]]');
    expect(out?.shape).toEqual([2, 3]);
    expect(Array.from(out?.data ?? [])).toEqual([0.8982, 0.805, 0.6393, 0.9457, 0.0195, 0.9846]);
    expect(out?.integral).toBe(false);
  });

  it('reads every number spelling Python allows, correctly rounded', () => {
    const src =
      '[1e-3, -2.5E+1, .5, 5., +0.25, -1_000.0, 1_0.0_1, -0.0, 0x1F, 0o17, 0b101, 12345678901234567890, 0.1234567890123456789, 1e400, 2.2250738585072011e-308]';
    const { out } = parse(src);
    const want = [
      1e-3,
      -25,
      0.5,
      5,
      0.25,
      -1000,
      10.01,
      -0,
      31,
      15,
      5,
      12345678901234567890,
      0.1234567890123456789,
      Infinity,
      2.2250738585072011e-308,
    ];
    expect(out?.shape).toEqual([want.length]);
    const got = Array.from(out?.data ?? []);
    got.forEach((v, i) => expect(Object.is(v, want[i]), `element ${i}: ${v} vs ${want[i]}`).toBe(true));
  });

  it('keeps integer-ness: class indices vs floats', () => {
    expect(parse('[1, 5, 3]').out?.integral).toBe(true);
    expect(parse('[1, 5.0, 3]').out?.integral).toBe(false);
    expect(parse('[1, 5., 3]').out?.integral).toBe(false);
    expect(parse('[1, 1e2]').out?.integral).toBe(false);
  });

  it('reads non-finite spellings', () => {
    const { out } = parse(
      "[float('inf'), float(\"-inf\"), float('nan'), np.inf, -np.inf, math.inf, -math.inf, np.nan, torch.inf]",
    );
    const d = Array.from(out?.data ?? []);
    expect(d.slice(0, 2)).toEqual([Infinity, -Infinity]);
    expect(Number.isNaN(d[2])).toBe(true);
    expect(d.slice(3, 7)).toEqual([Infinity, -Infinity, Infinity, -Infinity]);
    expect(Number.isNaN(d[7])).toBe(true);
    expect(d[8]).toBe(Infinity);
    const js = parse('[Infinity, -Infinity, NaN, Number.NEGATIVE_INFINITY]', Lang.Js).out;
    expect(Array.from(js?.data ?? []).slice(0, 2)).toEqual([Infinity, -Infinity]);
  });

  it('skips comments, line breaks and continuations inside the literal', () => {
    const py = parse('[\n  # first row\n  [1.0, 2.0],  # trailing [9, 9]\n  [3.0, \\\n 4.0],\n]');
    expect(py.out?.shape).toEqual([2, 2]);
    expect(Array.from(py.out?.data ?? [])).toEqual([1, 2, 3, 4]);
    const js = parse('[ // a row\n [1.5, /* inline */ 2.5],\r\n [3.5, 4.5], ]', Lang.Js);
    expect(js.out?.shape).toEqual([2, 2]);
    expect(Array.from(js.out?.data ?? [])).toEqual([1.5, 2.5, 3.5, 4.5]);
  });

  it('reads tuples in Python, and rejects a parenthesised expression', () => {
    expect(parse('(1, 2, 3)').out?.shape).toEqual([3]);
    expect(parse('((1.0, 2.0), (3.0, 4.0))').out?.shape).toEqual([2, 2]);
    expect(parse('[(1.0, 2.0), (3.0, 4.0)]').out?.shape).toEqual([2, 2]);
    expect(parse('(1.5)').out).toBeNull();
  });

  it('gives up (without a value) on anything that is not a literal, and says where', () => {
    for (const src of ['[x for x in y]', '[1, 2, a]', '[1 2]', '[1,, 2]', "['a', 1]", '[1, 2', '[[1, 2]', '[1, 2)']) {
      const { out, failure } = parse(src);
      expect(out, src).toBeNull();
      expect(failure.open.length, src).toBeGreaterThan(0);
    }
  });

  for (const [name, { literal, message }] of Object.entries(reference.ragged)) {
    it(`reports ragged ${name} in torch's words: "${message}"`, () => {
      const { out } = parse(literal);
      expect(out?.data).toBeNull();
      expect(out?.error).toBe(message);
    });
  }

  it('counts but does not keep a literal above the element cap', () => {
    const { out } = parse('[1.0, 2.0, 3.0, 4.0, 5.0]', Lang.Python, 3);
    expect(out?.count).toBe(5);
    expect(out?.shape).toEqual([5]);
    expect(out?.data).toBeNull();
  });

  it('reads 1000 levels of nesting without recursion, and stops at the first bracket deeper', () => {
    const { out } = parse('['.repeat(maxNesting) + '7.5' + ']'.repeat(maxNesting));
    expect(out?.shape.length).toBe(maxNesting);
    expect(out?.data?.[0]).toBe(7.5);
    const depth = 100_000;
    const deep = parse('['.repeat(depth) + '7.5' + ']'.repeat(depth));
    expect(deep.out).toBeNull();
    expect(deep.failure).toMatchObject({ tooDeep: true, pos: maxNesting });
    expect(deep.failure.open).toHaveLength(maxNesting);
    const unclosed = parse('['.repeat(depth) + '1');
    expect(unclosed.out).toBeNull();
  });

  it('property: every decimal spelling parses to exactly what Number() gives (correct rounding)', () => {
    const digits = (min: number, max: number) =>
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));
    const decimal = fc
      .tuple(fc.boolean(), digits(1, 12), digits(0, 22), fc.option(fc.integer({ min: -60, max: 60 })))
      .map(
        ([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac ? `.${frac}` : '.5'}${exp === null ? '' : `e${exp}`}`,
      );
    const shortest = fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => String(v));
    fc.assert(
      fc.property(fc.array(fc.oneof(decimal, shortest), { minLength: 1, maxLength: 40 }), (nums) => {
        const { out } = parse(`[${nums.join(', ')}]`);
        expect(out?.count).toBe(nums.length);
        nums.forEach((t, i) =>
          expect(Object.is(out?.data?.[i], Number(t)), `${t}: ${out?.data?.[i]} vs ${Number(t)}`).toBe(true),
        );
      }),
      { numRuns: 3000, seed: 42 },
    );
  });

  it('keeps every value of literals large enough to be sized from the text left, whatever follows them', () => {
    // From 64 K numbers the buffer is sized for the rest of the text: exactly right when the literal
    // runs to the end, far too big when a long tail of code follows; a second literal reuses it.
    let seed = 11;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const spell = (k: number) =>
      Array.from({ length: k }, (_, i) => ((rand() - 0.5) * 10 ** (i % 7)).toPrecision(1 + (i % 17)));
    const big = spell(70_000);
    const small = spell(3000);
    const tail = '\nprint(x)  # a tail of ordinary code\n'.repeat(20_000);
    for (const text of [`[${big.join(', ')}]`, `[${big.join(',\n ')}]${tail}`, `[${small.join(', ')}]${tail}`]) {
      const p = new LiteralParser(text + ` + [${small.join(', ')}]`, Lang.Python, 1e7);
      const first = p.parse(0);
      const second = p.parse(text.length + 3);
      const want = text.startsWith(`[${small[0]},`) ? small : big;
      expect(first?.count).toBe(want.length);
      expect(Array.from(first?.data ?? [])).toEqual(want.map(Number));
      expect(Array.from(second?.data ?? [])).toEqual(small.map(Number));
    }
  });

  it('reads numbers wherever they fall against the byte windows, around non-ASCII text and long spellings', () => {
    // The hot loop reads the text as bytes in ASCII-only windows of 4 K characters and up: a number
    // may start, end or be cut at a window's end, a comment in Korean ends a window early, and a
    // 400-digit integer is longer than the first window.
    let seed = 5;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let round = 0; round < 6; round++) {
      const nums: string[] = [];
      let text = '[';
      for (let row = 0; row < 60; row++) {
        text += '[';
        for (let k = 0; k < 40; k++) {
          const r = rand();
          const t =
            r < 0.01
              ? '9'.repeat(400)
              : r < 0.3
                ? String((rand() - 0.5) * 10 ** Math.floor(rand() * 8))
                : r < 0.5
                  ? `${(rand() * 100).toExponential(Math.floor(rand() * 16))}`
                  : ((rand() - 0.5) * 10).toFixed(1 + Math.floor(rand() * (round + 6)));
          nums.push(t);
          text += t + (k < 39 ? ',' + ' '.repeat(Math.floor(rand() * 3)) : '');
        }
        text += row % 7 === round ? '],  # 행 끝 — ' + 'é'.repeat(row) + '\n ' : '],\n ';
      }
      text += ']';
      const { out } = parse(' '.repeat(round * 1371) + text);
      expect(out?.shape).toEqual([60, 40]);
      nums.forEach((t, i) => expect(Object.is(out?.data?.[i], Number(t)), `${t} at ${i}`).toBe(true));
    }
  });

  it('ends a byte window at the first non-ASCII character wherever it is: before, inside or after the literal', () => {
    // The window learns where ASCII stops from the encoder (bytes written vs characters read), so a
    // character outside ASCII is found in the span being covered, never by searching the whole text.
    const row = (k: number) => `[${Array.from({ length: 300 }, (_, i) => ((i * 7 + k) % 97) / 8).join(', ')}]`;
    const rows = Array.from({ length: 40 }, (_, k) => row(k));
    const want = rows.flatMap((r) => JSON.parse(r) as number[]);
    for (const [before, inside, after] of [
      ['# 로짓 😀\n', '', ''],
      ['', '  # 😀 emoji (a surrogate pair) then é\n', ''],
      ['', '', '  # 끝 — ünïcödé'],
      ['é'.repeat(5000), '  # ü\n', '😀'],
    ]) {
      const lit = `[${rows.map((r, k) => r + (k % 9 === 4 ? ',' + inside : ',\n')).join('')}]`;
      const out = new LiteralParser(before + lit + after, Lang.Python, 1e7).parse(before.length);
      expect(out?.shape).toEqual([40, 300]);
      expect(Array.from(out?.data ?? [])).toEqual(want);
    }
  });

  it('reads a number longer than the largest byte window (no endless refill), as Number() does', () => {
    for (const n of [5000, 1_500_000]) {
      const { out } = parse(`[1, 2${'0'.repeat(n)}, 3, 0.${'1'.repeat(n)}]`);
      expect(Array.from(out?.data ?? [])).toEqual([1, Infinity, 3, Number(`0.${'1'.repeat(n)}`)]);
    }
  }, 60_000);

  it('matches JSON.parse on a large generated literal', () => {
    const rows: number[][] = [];
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 200; i++)
      rows.push(
        Array.from({ length: 50 }, () =>
          Number(((rand() - 0.5) * 10 ** Math.floor(rand() * 12 - 6)).toPrecision(1 + Math.floor(rand() * 17))),
        ),
      );
    const text = JSON.stringify(rows);
    const { out } = parse(text, Lang.Json);
    expect(out?.shape).toEqual([200, 50]);
    expect(Array.from(out?.data ?? [])).toEqual(rows.flat());
  });
});
