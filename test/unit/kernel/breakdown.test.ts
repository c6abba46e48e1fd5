/**
 * The step-by-step breakdown must tell the same story as torch: for unweighted index targets with
 * reduction 'sum', torch's gradient row is exactly softmax − onehot, so torch's own softmax can be
 * read back from the fixtures and compared with ours, and every sample's loss from 'none' cases.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeLoss, crossEntropySteps, reductionBreakdown, sampleBreakdown } from '../../../src/core/kernel';
import type { JsonValue } from '../../../src/core/json/jsonValue';
import { parseJson } from '../../../src/core/json/parseJson';
import { decodeRequest } from '../../../src/core/request';

const text = readFileSync(join(__dirname, '../../fixtures/kernel/cases.json'), 'utf8');
const parsed = JSON.parse(text) as {
  cases: {
    id: string;
    request: Record<string, unknown>;
    expect: { grad?: unknown; loss?: unknown; error?: unknown };
  }[];
};
const raw = (parseJson(text, { wrapScalars: true }) as { [k: string]: JsonValue }).cases as {
  [k: string]: JsonValue;
}[];

const decode = (v: unknown): number[] =>
  Array.isArray(v)
    ? v.flatMap(decode)
    : [v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : (v as number)];

const sumCases = parsed.cases
  .map((c, i) => ({ c, i }))
  .filter(
    ({ c }) =>
      !c.expect.error &&
      c.request.reduction === 'sum' &&
      !c.request.weight &&
      !c.request.label_smoothing &&
      (c.request.input_kind ?? 'logits') === 'logits' &&
      !Array.isArray((c.request.target as unknown[])?.[0] ?? null) &&
      c.id.startsWith('idx/'),
  )
  .filter(({ c }) => decode(c.request.input).every(Number.isFinite));

describe('sampleBreakdown against torch', () => {
  it('finds enough sum-reduction cases to compare', () => {
    expect(sumCases.length).toBeGreaterThanOrEqual(10);
  });

  for (const { c, i } of sumCases) {
    it(`softmax and loss of every sample: ${c.id}`, () => {
      const outcome = computeLoss(decodeRequest(raw[i].request), { grad: true });
      if (!outcome.ok) throw new Error(outcome.error.message);
      const { prepared: p, result } = outcome;
      const torchGrad = decode(c.expect.grad);
      const tol = p.dtype === 'float32' ? 2e-6 : 1e-12;
      for (let e = 0; e < p.N * p.S; e++) {
        const b = sampleBreakdown(p, result, e);
        if (b.ignored) {
          expect(b.loss).toBe(0);
          continue;
        }
        const base = Math.floor(e / p.S) * p.C * p.S + (e % p.S);
        let loss = 0;
        for (let k = 0; k < p.C; k++) {
          const torchSoftmax = torchGrad[base + k * p.S] + (k === b.target ? 1 : 0);
          expect(Math.abs(b.softmax[k] - torchSoftmax)).toBeLessThanOrEqual(tol);
          loss += b.contributions[k];
        }
        // The contributions add up to the sample's loss, which is −log p[target].
        expect(Math.abs(loss - b.loss)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b.loss)));
        expect(Math.abs(b.loss + Math.log(b.softmax[b.target as number]))).toBeLessThanOrEqual(
          p.dtype === 'float32' ? 1e-5 * Math.max(1, b.loss) : 1e-10,
        );
        expect(b.logSumExp).toBeCloseTo(
          (b.max as number) + Math.log(b.sumExp as number),
          p.dtype === 'float32' ? 5 : 12,
        );
      }
    });
  }
});

describe('breakdown on the seed example', () => {
  const req = decodeRequest(
    parseJson(
      '{"input": [[0.8982, 0.805, 0.6393, 0.9983, 0.5731, 0.0469, 0.556, 0.1476, 0.8404, 0.5544], [0.9457, 0.0195, 0.9846, 0.3231, 0.1605, 0.3143, 0.9508, 0.2762, 0.7276, 0.4332]], "target": [1, 5]}',
      { wrapScalars: true },
    ),
  );
  const outcome = computeLoss(req, { grad: true });
  if (!outcome.ok) throw new Error(outcome.error.message);
  const { prepared, result } = outcome;

  it('reduction numbers are the mean of the two sample losses', () => {
    const r = reductionBreakdown(prepared, result);
    expect(r.denominator).toBe(2);
    expect(r.count).toBe(2);
    const b0 = sampleBreakdown(prepared, result, 0);
    const b1 = sampleBreakdown(prepared, result, 1);
    expect(Math.fround(Math.fround(b0.loss + b1.loss) / 2)).toBeCloseTo(r.loss, 6);
    expect(b0.max).toBe(Math.fround(0.9983));
    expect(b0.shifted?.[1]).toBeCloseTo(0.805 - 0.9983, 6);
  });

  it('the gradient row is (p − onehot)/N', () => {
    const b = sampleBreakdown(prepared, result, 1);
    b.grad?.forEach((g, k) => expect(g).toBeCloseTo((b.softmax[k] - (k === 5 ? 1 : 0)) / 2, 6));
  });

  it('crossEntropySteps materialises the same numbers as the per-sample breakdown', () => {
    const steps = crossEntropySteps(prepared);
    expect(steps.loss).toBe(result.loss);
    for (let e = 0; e < 2; e++) {
      const b = sampleBreakdown(prepared, result, e);
      for (let k = 0; k < 10; k++) {
        expect(steps.softmax[e * 10 + k]).toBeCloseTo(b.softmax[k], 7);
        expect(steps.logSoftmax[e * 10 + k]).toBe(b.logSoftmax[k]);
      }
      expect(steps.max[e]).toBe(b.max);
      expect(steps.logSumExp[e]).toBe(b.logSumExp);
    }
  });
});
