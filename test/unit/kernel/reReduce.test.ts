/**
 * The panel switches the reduction without a pass over the input: reReduce builds the result
 * under another reduction from a forward's per-element losses and running sums. It must be the
 * result a fresh forward gives, to the bit, for every torch fixture (index and probability
 * targets, weights, ignore_index, label smoothing, log_probs input, K-dim inputs) and on inputs
 * large enough for the wasm kernel and its input workspace. gradientRow's `classes` must give
 * those classes' values of the full row.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeLoss, crossEntropy, gradientRow, prepare, reReduce, type LossResult } from '../../../src/core/kernel';
import type { JsonValue } from '../../../src/core/json/jsonValue';
import { parseJson } from '../../../src/core/json/parseJson';
import { decodeRequest } from '../../../src/core/request';
import type { LossRequest, Reduction } from '../../../src/core/types';
import { syntheticRequest } from '../requestBuilders';

const text = readFileSync(join(__dirname, '../../fixtures/kernel/cases.json'), 'utf8');
const parsed = JSON.parse(text) as { cases: { id: string; expect: { error?: unknown } }[] };
const raw = (parseJson(text, { wrapScalars: true }) as { [k: string]: JsonValue }).cases as {
  [k: string]: JsonValue;
}[];
const reductions: Reduction[] = ['mean', 'sum', 'none'];

/** The fields a reduction sets, compared with Object.is (so −0 and NaN count). */
function expectSameReduction(got: LossResult, want: LossResult, where: string): void {
  for (const k of ['loss', 'numerator', 'denominator'] as const) {
    expect(Object.is(got[k], want[k]), `${where}: ${k} ${got[k]} vs ${want[k]}`).toBe(true);
  }
  expect(Array.from(got.losses), where).toEqual(Array.from(want.losses));
  expect(got.ignored ? Array.from(got.ignored) : null, where).toEqual(want.ignored ? Array.from(want.ignored) : null);
}

/** Checks every switch between two reductions of `request` (in its own dtype and the other). */
function checkSwitches(request: LossRequest, where: string): number {
  let checked = 0;
  for (const dtype of ['float32', 'float64'] as const) {
    for (const from of reductions) {
      const source = computeLoss({ ...request, dtype, reduction: from });
      if (!source.ok) continue;
      for (const to of reductions) {
        const fresh = computeLoss({ ...request, dtype, reduction: to });
        if (!fresh.ok) throw new Error(`${where}: ${fresh.error.message}`);
        const moved = reReduce(source.prepared, source.result, to);
        expect(moved, `${where} ${dtype}: a forward keeps its sums`).not.toBeNull();
        expectSameReduction(moved!, fresh.result, `${where} ${dtype} ${from} → ${to}`);
        checked++;
      }
    }
  }
  return checked;
}

/** Logits over a few units with a NaN-free spread, class targets with some ignored. */
function wide(N: number, C: number, options: Partial<LossRequest> = {}): LossRequest {
  return syntheticRequest(
    N,
    C,
    (i) => Math.sin(i * 0.37) * 4 + ((i * 13) % 17) / 7,
    (n) => (n % 5 === 3 ? -100 : (n * 7919) % C),
    options,
  );
}

describe('reReduce', () => {
  it('equals a fresh forward under the other reduction for every torch fixture', () => {
    let checked = 0;
    parsed.cases.forEach((c, i) => {
      if (c.expect.error) return;
      checked += checkSwitches(decodeRequest(raw[i]!.request!), c.id);
    });
    expect(checked).toBeGreaterThan(500);
  });

  it('equals a fresh forward on inputs the wasm kernel runs (scratch and input workspace)', () => {
    const weight = new Float64Array(300);
    for (let c = 0; c < 300; c++) weight[c] = 0.5 + ((c * 31) % 7) / 4;
    const cases: [string, LossRequest][] = [
      ['(9, 300)', wide(9, 300)],
      ['(9, 300) weighted', wide(9, 300, { weight: { data: weight, shape: [300], integral: false } })],
      ['(9, 300) smoothed', wide(9, 300, { labelSmoothing: 0.2 })],
      ['(9, 300) log_probs', wide(9, 300, { inputKind: 'log_probs' })],
      ['(6, 5000)', wide(6, 5000)],
    ];
    for (const [where, request] of cases) expect(checkSwitches(request, where)).toBe(18);
  });

  it('is null for a result without sums (a gradient), which the caller computes anew', () => {
    const p = prepare(wide(9, 300));
    expect(reReduce(p, crossEntropy(p, true), 'sum')).toBeNull();
  });
});

describe('gradientRow with classes', () => {
  it("gives the full row's values of those classes, in their order", () => {
    const requests: [string, LossRequest][] = [
      ['plain', wide(6, 5000)],
      ['smoothed, sum', wide(6, 400, { labelSmoothing: 0.1, reduction: 'sum' })],
      ['log_probs', wide(6, 400, { inputKind: 'log_probs', dtype: 'float64' })],
    ];
    for (const [where, request] of requests) {
      const outcome = computeLoss(request);
      if (!outcome.ok) throw new Error(outcome.error.message);
      const { prepared, result } = outcome;
      const classes = [prepared.C - 1, 0, 17, 3, 399];
      for (let e = 0; e < prepared.N; e++) {
        const full = gradientRow(prepared, result, e);
        const some = gradientRow(prepared, result, e, classes);
        expect(Array.from(some), `${where} sample ${e}`).toEqual(classes.map((c) => full[c]));
      }
    }
  });
});
