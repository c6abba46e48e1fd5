/**
 * The softmax step normalises as torch 1.13's CPU softmax does (scalarRows.ts softmaxScale): over
 * the last dimension (S = 1, the class dimension of (N, C) and (C) inputs) e·fround(1/Σ), the
 * reciprocal rounded to the dtype first; over another dimension (S > 1) e / Σ. Reference:
 * test/fixtures/kernel/softmax_scale.json (gen_softmax_scale.py), rows of four classes with
 * torch's own exps and softmax. torch's order of adding the exps is not ours, so every order of
 * the four is tried: a row agrees with a formula when, for one of those Σ, every element does.
 * The within-1-ulp bound of e·fround(1/Σ) against the correctly rounded e / Σ is checked on the
 * kernel's own steps in wasmPaths.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { softmaxScale } from '../../../src/core/kernel/scalarRows';

interface Layout {
  name: string;
  dtype: 'float32' | 'float64';
  shape: number[];
  exp: number[][];
  softmax: number[][];
}

const file = JSON.parse(readFileSync(join(__dirname, '../../fixtures/kernel/softmax_scale.json'), 'utf8')) as {
  layouts: Layout[];
};

/** Σ of `e` in every order of addition, each addition rounded to the dtype. */
function sums(e: number[], f32: boolean): number[] {
  const out = new Set<number>();
  const walk = (left: number[], acc: number): void => {
    if (!left.length) out.add(acc);
    left.forEach((v, i) => {
      const s = acc + v;
      walk([...left.slice(0, i), ...left.slice(i + 1)], f32 ? Math.fround(s) : s);
    });
  };
  walk(e, 0);
  return [...out];
}

/** Whether torch's softmax row equals softmaxScale(e, Σ, S) for some Σ of `e`. */
function agrees(e: number[], sm: number[], S: number, f32: boolean): boolean {
  return sums(e, f32).some((sum) => e.every((v, c) => softmaxScale(v, sum, S, f32) === sm[c]));
}

describe('softmax normalised as torch does (softmax_scale.json)', () => {
  for (const k of file.layouts) {
    it(`${k.dtype}, ${k.name}`, () => {
      const f32 = k.dtype === 'float32';
      const last = k.shape.length === 2;
      // The formula this layout gets (S = 1: the product; S = 3: the quotient), and the other one.
      const ours = last ? 1 : 3;
      const other = last ? 3 : 1;
      let agree = 0;
      let otherOnly = 0;
      let oursOnly = 0;
      k.exp.forEach((e, r) => {
        const a = agrees(e, k.softmax[r], ours, f32);
        const b = agrees(e, k.softmax[r], other, f32);
        if (a) agree++;
        if (a && !b) oursOnly++;
        if (b && !a) otherOnly++;
      });
      const rows = k.exp.length;
      expect(rows).toBeGreaterThanOrEqual(300);
      if (last) {
        // Every row: e·fround(1/Σ); none that only the quotient explains.
        expect(agree).toBe(rows);
        expect(otherOnly).toBe(0);
      } else {
        // Here torch's exps inside softmax are not always torch.exp's (a quarter of the rows fit
        // neither formula with the exps stored), but of the rows only one formula explains, the
        // quotient explains 120 and the product 3 (float32; float64 125 and 1).
        expect(agree).toBeGreaterThan(0.7 * rows);
        expect(otherOnly).toBeLessThan(0.05 * rows);
      }
      // Not vacuous: in many rows only the formula used explains torch's numbers.
      expect(oursOnly).toBeGreaterThan(0.2 * rows);
    });
  }
});
