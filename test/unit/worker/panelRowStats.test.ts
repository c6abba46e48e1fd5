/**
 * A label-smoothing change in the panel is computed from the rows' statistics kept for the pair
 * (panelCompute.ts RowStatsKept, keepRowStatsAhead) instead of a pass over the input in each dtype.
 * Its answers must be a fresh computation's, whatever came before (ε, weight, ignore_index, dtype,
 * targets out of range), and the kept statistics must serve only the options they were made for.
 */
import { describe, expect, it } from 'vitest';
import { wasmKernelStats } from '../../../src/core/kernel/wasmForward';
import type { LossRequest } from '../../../src/core/types';
import type { PanelData, PanelDataParams } from '../../../src/protocol/worker';
import {
  keepRowStatsAhead,
  panelAnswer,
  panelComputation,
  type PanelComputation,
} from '../../../src/worker/panelCompute';
import { defaultPanelOptions, syntheticRequest } from '../requestBuilders';

type Options = PanelDataParams['options'];
const base: Options = defaultPanelOptions;
const N = 7;
const C = 3000;

/** (N, C) logits the wasm kernel runs; one target ignored, and `bad` out of range. */
function request(bad = false): LossRequest {
  return syntheticRequest(
    N,
    C,
    (i) => Math.sin(i * 0.53) * 6 + ((i * 7) % 11) / 5,
    (n) => (n === 2 ? -100 : bad && n === 4 ? C + 3 : (n * 1013) % C),
  );
}

function message(options: Options, element = 1): PanelDataParams {
  return { key: 'k', version: 1, pairId: 1, element, options, shown: { classStart: null, shift: 0 } };
}

/** The parts of an answer that carry numbers (ids are per computation chain). */
function numbers(d: PanelData) {
  return {
    result: d.result,
    otherResult: d.otherResult,
    shown: d.shown,
    invalidTargets: d.invalidTargets,
    rowLoss: d.heatMap?.rowLoss ?? d.heatMapRows?.rowLoss,
  };
}

/** A chain of panel computations on one pair, as the worker keeps them. */
function chain(source: LossRequest) {
  let panel: PanelComputation | undefined;
  let ids = 0;
  return {
    ask(options: Options, ahead = false): { answer: PanelData; rows: number } {
      const rows0 = wasmKernelStats().wasmRows;
      panel = panelComputation(source, message(options), panel, () => ++ids);
      const rows = wasmKernelStats().wasmRows - rows0;
      const answer = panelAnswer(panel, message(options));
      if (ahead) {
        keepRowStatsAhead(panel, 'main');
        keepRowStatsAhead(panel, 'other');
      }
      return { answer, rows };
    },
  };
}

function fresh(source: LossRequest, options: Options): PanelData {
  const m = message(options);
  return panelAnswer(
    panelComputation(source, m, undefined, () => 1),
    m,
  );
}

describe('the panel computes a new ε from the kept row statistics', () => {
  const weight = Array.from({ length: C }, (_, c) => 0.3 + (c % 7) / 4);
  const paths: [string, Options[]][] = [
    ['ε up and down', [0.1, 0.2, 0, 0.1, 1].map((e) => ({ ...base, labelSmoothing: e }))],
    [
      'with a weight, then another ignore_index, then float64',
      [
        { ...base, weight, labelSmoothing: 0.1 },
        { ...base, weight, labelSmoothing: 0.3 },
        { ...base, weight, labelSmoothing: 0.3, ignoreIndex: (4 * 1013) % C },
        { ...base, weight, labelSmoothing: 0.05, ignoreIndex: (4 * 1013) % C },
        { ...base, weight, labelSmoothing: 0.05, ignoreIndex: (4 * 1013) % C, dtype: 'float64' },
        { ...base, labelSmoothing: 0.05, dtype: 'float64' },
        { ...base, labelSmoothing: 0.25, dtype: 'float64', reduction: 'sum' },
      ],
    ],
  ];
  for (const bad of [false, true]) {
    for (const [label, steps] of paths) {
      for (const ahead of [false, true]) {
        it(`answers as a fresh computation: ${label}${bad ? ', a target out of range' : ''}${ahead ? ', statistics made ahead' : ''}`, () => {
          const source = request(bad);
          const c = chain(source);
          c.ask(base, ahead);
          for (const o of steps) {
            const { answer } = c.ask(o, ahead);
            expect(numbers(answer), JSON.stringify(o)).toEqual(numbers(fresh(source, o)));
          }
        });
      }
    }
  }

  it('makes no pass over the input for an ε once the statistics are kept, and one per dtype for new options', () => {
    const c = chain(request());
    c.ask(base, true);
    expect(c.ask({ ...base, labelSmoothing: 0.1 }).rows).toBe(0);
    expect(c.ask({ ...base, labelSmoothing: 0.2 }).rows).toBe(0);
    expect(c.ask({ ...base, labelSmoothing: 0.2, dtype: 'float64' }).rows).toBe(0);
    // Another weight: the smoothing parts differ, so both dtypes are computed again (and kept).
    expect(c.ask({ ...base, labelSmoothing: 0.2, weight }).rows).toBe(2 * N);
    expect(c.ask({ ...base, labelSmoothing: 0.3, weight }).rows).toBe(0);
    // Another ignore_index likewise.
    expect(c.ask({ ...base, labelSmoothing: 0.3, weight, ignoreIndex: 5 }).rows).toBe(2 * N);
  });

  it('shows the same sample under another ε, weight or reduction from its kept row lists', () => {
    const source = request();
    let panel: PanelComputation | undefined;
    const rowsSeen: unknown[] = [];
    for (const o of [
      base,
      { ...base, labelSmoothing: 0.1 },
      { ...base, labelSmoothing: 0.1, weight },
      { ...base, labelSmoothing: 0.1, weight, reduction: 'sum' },
    ] as Options[]) {
      panel = panelComputation(source, message(o), panel, () => 1);
      const answer = panelAnswer(panel, message(o));
      expect(numbers(answer), JSON.stringify(o)).toEqual(numbers(fresh(source, o)));
      rowsSeen.push(panel.shownRows.get(`1|float32|logits|1`));
    }
    expect(rowsSeen[0]).toBeDefined();
    for (const row of rowsSeen) expect(row).toBe(rowsSeen[0]);
    // Another dtype is another row.
    panel = panelComputation(source, message({ ...base, dtype: 'float64' }), panel, () => 1);
    panelAnswer(panel, message({ ...base, dtype: 'float64' }));
    expect(panel.shownRows.get(`1|float64|logits|1`)).toBeDefined();
    expect(panel.shownRows.get(`1|float64|logits|1`)).not.toBe(rowsSeen[0]);
  });

  it('without statistics made ahead, the first ε makes them and the next one uses them', () => {
    const c = chain(request());
    c.ask(base);
    expect(c.ask({ ...base, labelSmoothing: 0.1 }).rows).toBe(2 * N);
    expect(c.ask({ ...base, labelSmoothing: 0.2 }).rows).toBe(0);
  });
});
