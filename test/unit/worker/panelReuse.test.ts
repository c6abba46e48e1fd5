/**
 * What the panel's worker reuses must not change what it answers: a reduction switch re-reduces
 * the kept per-sample losses instead of computing the pair again, and a sample's shown columns
 * come from typed lists with the gradient of the shown classes alone. Each answer is compared with
 * a fresh service's (nothing kept) and with the host's builders over the full breakdown.
 */
import { describe, expect, it } from 'vitest';
import { buildSampleView, buildStability } from '../../../src/core/shownSample';
import type { LossRequest, Reduction } from '../../../src/core/types';
import { classPageSize } from '../../../src/protocol/webview';
import { sampleFromWire, type PanelData, type PanelDataParams } from '../../../src/protocol/worker';
import { syntheticRequest, defaultPanelOptions } from '../requestBuilders';
import { heldLivePanel } from './helpers';
import {
  panelAnswer,
  panelComputation,
  prefetchedElement,
  prefetchOtherRow,
  prefetchShown,
} from '../../../src/worker/panelCompute';

/** (N, C) logits large enough for the wasm kernel's input workspace, one target ignored. */
function request(N: number, C: number): LossRequest {
  return syntheticRequest(
    N,
    C,
    (i) => Math.cos(i * 0.61) * 5 + ((i * 11) % 13) / 6,
    (n) => (n === 2 ? -100 : (n * 4099) % C),
  );
}

type Options = PanelDataParams['options'];
const base: Options = defaultPanelOptions;

const holding = heldLivePanel;

/** The parts of an answer that carry numbers (the heat map's id is per service). */
function numbers(d: PanelData) {
  return { result: d.result, otherResult: d.otherResult, shown: d.shown, invalidTargets: d.invalidTargets };
}

describe('the panel worker reuses what it computed', () => {
  const N = 6;
  const C = 5000;
  const shown = { classStart: null, shift: 0 };
  const weight = Array.from({ length: C }, (_, c) => 0.25 + (c % 9) / 3);

  for (const [label, options] of [
    ['plain', base],
    ['weighted', { ...base, weight }],
    ['smoothed', { ...base, labelSmoothing: 0.05 }],
    ['float64', { ...base, dtype: 'float64' }],
  ] as [string, Options][]) {
    it(`answers a reduction switch as a fresh computation does (${label})`, () => {
      const kept = holding(request(N, C));
      kept(0, options, shown);
      for (const reduction of ['sum', 'none', 'mean', 'sum'] as Reduction[]) {
        for (const element of [1, 2, 5]) {
          const o = { ...options, reduction };
          const fresh = holding(request(N, C))(element, o, shown);
          expect(numbers(kept(element, o, shown)), `${reduction} sample ${element}`).toEqual(numbers(fresh));
        }
      }
    });
  }

  for (const [label, options] of [
    ['plain', base],
    ['smoothed, sum', { ...base, labelSmoothing: 0.05, reduction: 'sum' }],
    ['weighted, none', { ...base, weight, reduction: 'none' }],
  ] as [string, Options][]) {
    it(`answers a dtype switch as a fresh computation does, heat map included (${label})`, () => {
      const kept = holding(request(N, C));
      kept(0, options, shown);
      // float64, back to float32 (the heat map kept from before), a reduction in between, and again.
      const steps: Options[] = [
        { ...options, dtype: 'float64' },
        { ...options, dtype: 'float32' },
        { ...options, dtype: 'float32', reduction: 'mean' },
        { ...options, dtype: 'float64', reduction: 'mean' },
        { ...options, dtype: 'float32', reduction: 'mean' },
      ];
      for (const o of steps) {
        for (const element of [1, 2]) {
          const fresh = holding(request(N, C))(element, o, shown);
          const answer = kept(element, o, shown);
          const what = `${o.dtype} ${o.reduction} sample ${element}`;
          expect(answer.result.dtype, what).toBe(o.dtype);
          expect(numbers(answer), what).toEqual(numbers(fresh));
          expect(answer.heatMap, what).toEqual(fresh.heatMap);
        }
      }
    });
  }

  it('answers a dtype switch under another reduction (both made ahead) as a fresh computation does', () => {
    const kept = holding(request(N, C));
    kept(0, base, shown);
    // The panel makes the other dtype ahead, then the other reductions in the dtype on show: each
    // step changes the dtype and the reduction at once against the one before.
    for (const o of [
      { ...base, dtype: 'float64' },
      { ...base, dtype: 'float32', reduction: 'sum' },
      { ...base, dtype: 'float64', reduction: 'none' },
      { ...base, dtype: 'float32', reduction: 'none' },
      { ...base, dtype: 'float64', reduction: 'mean' },
      { ...base, dtype: 'float32', reduction: 'sum', labelSmoothing: 0.1 },
      { ...base, dtype: 'float64', reduction: 'mean', labelSmoothing: 0.1 },
    ] as Options[]) {
      for (const element of [2, 1]) {
        const fresh = holding(request(N, C))(element, o, shown);
        const answer = kept(element, o, shown);
        const what = `${JSON.stringify(o)} sample ${element}`;
        expect(answer.result.dtype, what).toBe(o.dtype);
        expect(answer.result.reduction, what).toBe(o.reduction);
        expect(numbers(answer), what).toEqual(numbers(fresh));
        expect(answer.heatMap ?? null, what).toEqual(fresh.heatMap ?? null);
      }
    }
  });

  it('computes anew after a dtype switch when another option changed too', () => {
    const kept = holding(request(N, C));
    kept(0, base, shown);
    // The other dtype under other options must not be taken for the swap.
    for (const o of [
      { ...base, dtype: 'float64', labelSmoothing: 0.1 },
      { ...base, dtype: 'float32', labelSmoothing: 0.2 },
      { ...base, dtype: 'float64', labelSmoothing: 0.2, ignoreIndex: 3 },
    ] as Options[]) {
      const fresh = holding(request(N, C))(1, o, shown);
      const answer = kept(1, o, shown);
      expect(numbers(answer), JSON.stringify(o)).toEqual(numbers(fresh));
      expect(answer.heatMap).toEqual(fresh.heatMap);
    }
  });

  it('answers the next sample from what it computed ahead, and never after the options, page or shift changed', () => {
    const source = request(N, C);
    let ids = 0;
    const message = (element: number, options: Options, view: PanelDataParams['shown'] = shown): PanelDataParams => ({
      key: 'k',
      version: 1,
      pairId: 1,
      element,
      options,
      shown: view,
    });
    const fresh = (m: PanelDataParams) =>
      numbers(
        panelAnswer(
          panelComputation(source, m, undefined, () => 1),
          m,
        ),
      );
    for (const [label, options, view] of [
      ['the same options', base, shown],
      ['another reduction', { ...base, reduction: 'sum' }, shown],
      ['another dtype', { ...base, dtype: 'float64' }, shown],
      ['another ε', { ...base, labelSmoothing: 0.1 }, shown],
      ['another page', base, { classStart: 120, shift: 0 }],
      ['another shift', base, { classStart: null, shift: 100 }],
    ] as [string, Options, NonNullable<PanelDataParams['shown']>][]) {
      const first = panelComputation(source, message(1, base), undefined, () => ++ids);
      panelAnswer(first, message(1, base));
      prefetchShown(first, message(1, base), 2);
      expect(prefetchedElement(first)).toBe(2);
      const m = message(2, options, view);
      const panel = panelComputation(source, m, first, () => ++ids);
      const answer = panelAnswer(panel, m);
      expect(numbers(answer), label).toEqual(fresh(m));
      // Taken when it served this answer: the same computation, page and shift.
      expect(prefetchedElement(first), label).toBe(label === 'the same options' ? null : 2);
    }
  });

  it("takes the shown sample's row in the other dtype, made ahead, for a dtype switch, with a fresh computation's numbers", () => {
    const source = request(N, C);
    let ids = 0;
    const message = (options: Options): PanelDataParams => ({
      key: 'k',
      version: 1,
      pairId: 1,
      element: 3,
      options,
      shown,
    });
    for (const [from, to] of [
      ['float32', 'float64'],
      ['float64', 'float32'],
    ] as const) {
      for (const options of [base, { ...base, labelSmoothing: 0.05, weight }] as Options[]) {
        const m = message({ ...options, dtype: from });
        const first = panelComputation(source, m, undefined, () => ++ids);
        panelAnswer(first, m);
        prefetchOtherRow(first, m, 3);
        const key = `1|${to}|logits|3`;
        const row = first.shownRows.get(key);
        expect(row, `${from} → ${to}: the row made ahead`).toBeDefined();
        const to2 = message({ ...options, dtype: to });
        const swapped = panelComputation(source, to2, first, () => ++ids);
        expect(swapped.main, 'the dtypes swap roles').toBe(first.other);
        const answer = panelAnswer(swapped, to2);
        // Taken, not made again (a new row would replace it).
        expect(swapped.shownRows.get(key)).toBe(row);
        expect(numbers(answer), `${from} → ${to}`).toEqual(
          numbers(
            panelAnswer(
              panelComputation(source, to2, undefined, () => 1),
              to2,
            ),
          ),
        );
      }
    }
  });

  it('a service answers the sample after the last one as a fresh service does', async () => {
    const kept = holding(request(N, C));
    for (const element of [0, 1, 2, 4, 5]) {
      const answer = kept(element, base, shown);
      await new Promise((resolve) => setImmediate(resolve));
      expect(numbers(answer), `sample ${element}`).toEqual(numbers(holding(request(N, C))(element, base, shown)));
    }
  });

  it("builds a sample's shown columns as the host does from the full breakdown", () => {
    const ask = holding(request(N, C));
    for (const reduction of ['mean', 'sum'] as Reduction[]) {
      const options = { ...base, reduction };
      for (const element of [0, 3, 4]) {
        const part = ask(element, options, { classStart: 120, shift: 7 });
        const full = ask(element, options);
        const rows = sampleFromWire(full.breakdown!);
        const view = buildSampleView(rows, {
          dtype: 'float32',
          inputKind: 'logits',
          labelSmoothing: 0,
          reduction,
          denominator: full.result.denominator,
          classStart: 120,
          pageSize: classPageSize,
        });
        expect(part.shown!.sample, `${reduction} sample ${element}`).toEqual(view);
        expect(part.shown!.stability).toEqual(buildStability(rows.logits, view.classIndices, 7));
      }
    }
  });
});
