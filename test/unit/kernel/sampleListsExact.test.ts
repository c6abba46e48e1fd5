/**
 * sampleLists fills a sample's target distribution for index targets (ε/C off the target, one value
 * on it) and computes its contributions in a loop per dtype, instead of rounding every step of
 * every class through a function variable. Each value must be the one the per-class formulas
 * give, bit for bit (−0 apart from +0, NaN where they make NaN): compared here with those formulas,
 * for both dtypes and input kinds, ε from 0 to 1 (one so small that ε/C is 0 in float32), with and without a
 * weight, on rows holding NaN, ±Inf and only −Inf, an ignored target, and targets 0 and C − 1.
 * A sample's row lists made a few classes a step (SampleRowBuilder, the worker's work ahead) must
 * be those of one pass, to the bit, however the classes are split; and they are made with a loop per
 * dtype, so each list is checked against its per-class formula too (a float32 rounding left out
 * shows there, not in a comparison of two splits).
 */
import { describe, expect, it } from 'vitest';
import {
  computeLoss,
  prepare,
  sampleLists,
  sampleRow,
  SampleRowBuilder,
  type LossResult,
  type Prepared,
  type SampleRow,
} from '../../../src/core/kernel';
import { rowStatistics } from '../../../src/core/kernel/crossEntropy';
import type { DType, InputKind } from '../../../src/core/types';
import { indexRequest } from '../requestBuilders';
import { same } from './floatCompare';
import { xorshift32 } from './xorshift32';

/** q and the contributions of sample `e` by the per-class formulas (what sampleLists computed before). */
function perClass(p: Prepared, res: LossResult, e: number): { q: number[]; contributions: number[] } {
  const { C, weight, labelSmoothing: eps } = p;
  const round = p.dtype === 'float32' ? Math.fround : (v: number) => v;
  const { logSoftmax } = sampleRow(p, e);
  const target = (p.indices as Float64Array)[e]!;
  const ignored = !!(res.ignored && res.ignored[e]);
  const q: number[] = [];
  const contributions: number[] = [];
  for (let c = 0; c < C; c++) {
    q.push(eps > 0 ? round(round((c === target ? 1 : 0) * round(1 - eps)) + round(eps / C)) : c === target ? 1 : 0);
    const w = weight ? weight[c]! : 1;
    contributions.push(ignored || q[c] === 0 ? 0 : round(-round(round(logSoftmax[c]! * q[c]!) * w)));
  }
  return { q, contributions };
}

function firstDifference(got: ArrayLike<number>, want: number[]): string | null {
  if (got.length !== want.length) return `length ${got.length} vs ${want.length}`;
  for (let c = 0; c < want.length; c++) if (!same(got[c]!, want[c]!)) return `class ${c}: ${got[c]} vs ${want[c]}`;
  return null;
}

describe("a sample's target distribution and contributions", () => {
  const N = 7;
  const C = 1003;
  const r = xorshift32(29);
  const x = Float64Array.from({ length: N * C }, () => (r() - 0.5) * 40);
  x[2 * C + 9] = NaN;
  x[3 * C + 4] = Infinity;
  x.fill(-Infinity, 4 * C, 5 * C);
  // Row 1 ignored; rows 5 and 6 aim at the first and the last class.
  const targets = Float64Array.from({ length: N }, (_, n) =>
    n === 1 ? -100 : n === 5 ? 0 : n === 6 ? C - 1 : Math.floor(r() * C),
  );
  const weight = { data: Float64Array.from({ length: C }, () => 0.05 + 3 * r()), shape: [C], integral: false };

  for (const dtype of ['float32', 'float64'] as DType[])
    for (const inputKind of ['logits', 'log_probs'] as InputKind[])
      it(`are the per-class formulas' to the bit (${dtype}, ${inputKind})`, () => {
        // nn.NLLLoss (log_probs) has no label smoothing.
        const epsilons = inputKind === 'logits' ? [0, 1e-44, 1e-7, 0.1, 0.5, 1] : [0];
        let checked = 0;
        for (const eps of epsilons)
          for (const w of [null, weight]) {
            const req = indexRequest(x, [N, C], targets, { dtype, inputKind, labelSmoothing: eps, weight: w });
            const out = computeLoss(req);
            if (!out.ok) throw new Error(out.error.message);
            for (let e = 0; e < N; e++) {
              const got = sampleLists(out.prepared, out.result, e);
              const want = perClass(out.prepared, out.result, e);
              const where = `ε ${eps}${w ? ' weighted' : ''} sample ${e}`;
              expect(firstDifference(got.targetDistribution, want.q), `${where} q`).toBeNull();
              expect(firstDifference(got.contributions, want.contributions), `${where} contributions`).toBeNull();
              checked++;
            }
          }
        expect(checked).toBe(epsilons.length * 2 * N);
      });
});

describe("a sample's row lists made a few classes a step", () => {
  const N = 6;
  const C = 4099;
  const r = xorshift32(31);
  const x = Float64Array.from({ length: N * C }, () => (r() - 0.5) * 60);
  x[2 * C + 9] = NaN;
  x[3 * C + 4] = Infinity;
  x.fill(-Infinity, 4 * C, 5 * C);
  const targets = Float64Array.from({ length: N }, (_, n) => (n * 1021) % C);

  const lists = ['logits', 'shifted', 'exp', 'softmax', 'logSoftmax'] as const;
  const scalars = ['max', 'sumExp', 'logSumExp'] as const;

  for (const dtype of ['float32', 'float64'] as DType[])
    for (const inputKind of ['logits', 'log_probs'] as InputKind[])
      it(`are those of one pass, however split (${dtype}, ${inputKind})`, () => {
        const p = prepare(indexRequest(x, [N, C], targets, { dtype, inputKind }));
        for (let e = 0; e < N; e++) {
          const want = sampleRow(p, e);
          for (const per of [1, 7, 1024, 4096]) {
            const builder = new SampleRowBuilder(p, e, per);
            let steps = 1;
            while (!builder.step(() => true)) steps++;
            // The logits and the row's statistics, then the classes `per` at a time.
            expect(steps, `sample ${e} by ${per}`).toBe(1 + Math.ceil(C / per));
            const got: SampleRow = builder.finish();
            for (const k of scalars) expect(same(got[k] ?? NaN, want[k] ?? NaN), `${k} ${e} by ${per}`).toBe(true);
            for (const k of lists) {
              const a = got[k];
              const b = want[k];
              if (b === null) expect(a, `${k} ${e}`).toBeNull();
              else expect(firstDifference(a!, Array.from(b)), `${dtype} ${k} sample ${e} by ${per}`).toBeNull();
            }
          }
        }
      });
});

describe("a sample's row lists are the per-class formulas'", () => {
  const N = 3;
  const C = 2053;
  const r = xorshift32(37);
  const values = Float64Array.from({ length: N * C * 2 }, () => (r() - 0.5) * 50);
  values[C + 17] = NaN;
  values[2 * C + 5] = Infinity;

  /** (N, C) from float64 or float32 values, and (N, C, 2), whose classes are 2 apart. */
  const inputs: { name: string; data: Float64Array | Float32Array; shape: number[] }[] = [
    { name: '(N, C) float64 values', data: values.slice(0, N * C), shape: [N, C] },
    { name: '(N, C) float32 values', data: Float32Array.from(values.slice(0, N * C)), shape: [N, C] },
    { name: '(N, C, 2)', data: values, shape: [N, C, 2] },
  ];

  for (const dtype of ['float32', 'float64'] as DType[])
    for (const { name, data, shape } of inputs)
      it(`${dtype}, ${name}`, () => {
        const round = dtype === 'float32' ? Math.fround : (v: number) => v;
        const S = shape.length === 3 ? shape[2]! : 1;
        const req = indexRequest(data, [N, C], new Float64Array(N * S), { dtype });
        req.input.shape = shape;
        req.target.shape = S === 1 ? [N] : [N, S];
        const p = prepare(req);
        for (let e = 0; e < N * S; e++) {
          const base = Math.floor(e / S) * C * S + (e % S);
          const { max, sumExp, lse } = rowStatistics(p, e);
          for (const per of [C, 1000]) {
            const builder = new SampleRowBuilder(p, e, per);
            const row = builder.finish();
            const where = `sample ${e} by ${per}`;
            const logits = Array.from({ length: C }, (_, c) => round(data[base + c * S]!));
            expect(firstDifference(row.logits, logits), `${where} logits`).toBeNull();
            const shifted = logits.map((v) => round(v - max));
            expect(firstDifference(row.shifted!, shifted), `${where} shifted`).toBeNull();
            const exp = row.exp!;
            // torch's softmax over a last class axis multiplies by 1/Σ rounded once; over another axis it divides.
            const inv = round(1 / sumExp);
            const softmax = shifted.map((_, c) => round(S === 1 ? exp[c]! * inv : exp[c]! / sumExp));
            expect(firstDifference(row.softmax, softmax), `${where} softmax`).toBeNull();
            const logSoftmax = shifted.map((v) => round(v - lse));
            expect(firstDifference(row.logSoftmax, logSoftmax), `${where} log_softmax`).toBeNull();
          }
        }
      });
});
