/**
 * torch's CPU sum in its own order (src/core/torchSum.ts) against the sums and means torch 1.13
 * printed for the same tensors (test/fixtures/libraries/gen_torch_sums.py): equal to the last bit,
 * for float32 and float64, across the vector widths and the cascade's level steps. A plain left-to-
 * right sum must differ somewhere, or these cases would not test the order.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { torchSum } from '../../../src/core/torchSum';

interface Case {
  dtype: 'float32' | 'float64';
  values: number[];
  sum: number;
  mean: number;
}

const file = path.resolve(__dirname, '../../fixtures/libraries/torch_sums.json');
const { cases } = JSON.parse(readFileSync(file, 'utf8')) as { cases: Case[] };

describe('torchSum', () => {
  it('gives torch’s sum and mean to the last bit', () => {
    expect(cases.length).toBeGreaterThan(100);
    const wrong: string[] = [];
    for (const c of cases) {
      const r = c.dtype === 'float32' ? Math.fround : (v: number) => v;
      const s = torchSum(Float64Array.from(c.values), c.dtype);
      if (s !== c.sum || r(s / c.values.length) !== c.mean)
        wrong.push(`${c.dtype} n=${c.values.length}: ${s} vs ${c.sum}`);
    }
    expect(wrong).toEqual([]);
  });

  it('differs from a left-to-right sum on some of these tensors', () => {
    const differs = cases.filter((c) => {
      const r = c.dtype === 'float32' ? Math.fround : (v: number) => v;
      let s = 0;
      for (const v of c.values) s = r(s + v);
      return s !== c.sum;
    });
    expect(differs.length).toBeGreaterThan(10);
  });
});
