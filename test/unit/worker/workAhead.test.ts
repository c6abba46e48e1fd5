/**
 * After a panel answer on a big pair the worker works ahead — the other dtype left for later, the
 * next sample, each dtype's row statistics — a step (one row here) per turn of the event loop
 * (workAhead.ts, rowStatsKept.ts). Driven by a fake scheduler, one step per turn, these tests show
 * that a request arriving mid-way is answered without waiting for the rest, that one needing a
 * half-made result finishes it with no row made twice, and that every answer is the one an
 * unsliced computation gives, to the bit. Rows are counted with the kernel's own counter.
 */
import { describe, expect, it } from 'vitest';
import { wasmKernelStats } from '../../../src/core/kernel/wasmForward';
import type { PanelData, PanelDataParams } from '../../../src/protocol/worker';
import { AnalysisService } from '../../../src/worker/analysisService';
import { otherLaterMinElements, panelComputation, stepSpareHeatMap } from '../../../src/worker/panelCompute';
import { buildHeatMapOf, HeatMapBuilder, type BinnedRow } from '../../../src/worker/heatMap';
import { WorkAhead } from '../../../src/worker/workAhead';
import { defaultPanelOptions, livePanelParams, syntheticRequest } from '../requestBuilders';

const N = 16;
/** One row per step (2^15 elements a step), and big enough to leave the other dtype for later. */
const C = otherLaterMinElements / N;

const source = () =>
  syntheticRequest(
    N,
    C,
    (i) => Math.sin(i * 0.37) * 7 + ((i * 13) % 17) / 4,
    (n) => (n === 5 ? -100 : (n * 4099) % C),
  );

const params = livePanelParams;

/** A service holding the big pair whose work ahead runs only when the test says, one step per turn. */
function held(): { service: AnalysisService; turns: (n?: number, until?: () => boolean) => number } {
  const queue: (() => void)[] = [];
  const service = new AnalysisService({ ahead: { schedule: (turn) => queue.push(turn), turnMs: 0 } });
  service.holdLive({ key: 'live:1', version: 1, request: source() });
  return {
    service,
    /** Runs up to `n` turns (all when absent), or until `until()` holds; returns how many ran. */
    turns(n = Infinity, until = () => false) {
      let ran = 0;
      while (ran < n && queue.length > 0 && !until()) {
        queue.shift()!();
        ran++;
      }
      return ran;
    },
  };
}

/** The same answer from a service that computes everything at once (nothing ahead). */
function unsliced(extra: Partial<PanelDataParams>): PanelData {
  const service = new AnalysisService({ ahead: { schedule: () => {} } });
  service.holdLive({ key: 'live:1', version: 1, request: source() });
  return service.panelData(params(extra));
}

/** The parts of an answer that carry numbers (ids are per service). */
function numbers(d: PanelData) {
  return {
    result: d.result,
    otherResult: d.otherResult,
    shown: d.shown,
    rowLoss: d.heatMap?.rowLoss ?? d.heatMapRows?.rowLoss,
  };
}

const rows = () => wasmKernelStats().wasmRows;

describe('the panel’s work ahead, a few rows per turn', () => {
  it('takes a turn per row, and answers a request that arrives mid-pass at once', () => {
    // Made first: the kernel's row counter counts every service's rows.
    const whole = numbers(unsliced({}));
    const third = numbers(unsliced({ element: 3 }));
    const { service, turns } = held();
    const first = service.panelData(params({ otherLater: true }));
    expect(first.otherPending).toBe(true);
    const r0 = rows();
    // Three turns: three of the other dtype's rows, and the pass is not done.
    expect(turns(3)).toBe(3);
    expect(rows() - r0).toBe(3);
    // The host's request for the rest finishes that pass: the 13 rows left, none again.
    const rest = service.panelData(params());
    expect(rows() - r0).toBe(N);
    expect(rest.otherResult).not.toBeNull();
    expect(numbers(rest)).toEqual(whole);
    // Then the next sample, the float64 heat map, and main's rows (the other dtype's statistics came
    // with its pass): stopped after two of those.
    const before = rows();
    turns(Infinity, () => rows() - before === 2);
    const k = rows() - before;
    expect(k).toBe(2);
    // A sample change now is answered without a row of that pass.
    const at = rows();
    const next = service.panelData(params({ element: 3 }));
    expect(rows() - at).toBe(0);
    expect(next.shown?.sample.element).toBe(3);
    expect(numbers(next)).toEqual(third);
    // The pass goes on where it stopped, one row per turn.
    expect(turns()).toBeGreaterThanOrEqual(N - k);
    expect(rows() - before).toBe(N);
  });

  it('finishes a half-made pass for an ε change, with the numbers of one made at once', () => {
    const smoothed = { ...defaultPanelOptions, labelSmoothing: 0.1 };
    const other = { ...defaultPanelOptions, labelSmoothing: 0.3 };
    const want = numbers(unsliced({ options: smoothed }));
    const wantOther = numbers(unsliced({ options: other }));
    const { service, turns } = held();
    service.panelData(params());
    // The next sample and the float64 heat map, then five of main's rows.
    const r0 = rows();
    turns(Infinity, () => rows() - r0 === 5);
    const k = rows() - r0;
    expect(k).toBe(5);
    const at = rows();
    const answer = service.panelData(params({ options: smoothed }));
    // Main's rows left, and the other dtype's statistics in one pass (none were made for it yet).
    expect(rows() - at).toBe(N - k + N);
    expect(numbers(answer)).toEqual(want);
    // Another ε: no pass at all.
    const again = rows();
    expect(numbers(service.panelData(params({ options: other })))).toEqual(wantOther);
    expect(rows() - again).toBe(0);
  });

  it('switches the dtype mid-way through the other dtype’s pass with the numbers of one made at once', () => {
    const f64 = { ...defaultPanelOptions, dtype: 'float64' as const };
    const want = numbers(unsliced({ options: f64 }));
    const { service, turns } = held();
    service.panelData(params({ otherLater: true }));
    turns(7);
    const at = rows();
    const answer = service.panelData(params({ options: f64 }));
    expect(rows() - at).toBe(N - 7);
    expect(numbers(answer)).toEqual(want);
  });
});

describe('the other dtype’s heat map, built ahead', () => {
  it('is the map a dtype switch builds, made an element per step, and the switch takes it', () => {
    const src = source();
    const f64 = params({ options: { ...defaultPanelOptions, dtype: 'float64' } });
    const fresh = panelComputation(src, f64, undefined, () => 1);
    let ids = 0;
    const m = params();
    const panel = panelComputation(src, m, undefined, () => ++ids);
    let steps = 1;
    while (
      !stepSpareHeatMap(
        panel,
        m,
        () => ++ids,
        () => true,
      )
    )
      steps++;
    // An element per step, then its 16 × 512 cells rounded 4096 per step.
    expect(steps).toBe(N + 2);
    const spare = panel.spareHeatMap!;
    expect(spare.heatMap).toEqual(fresh.heatMap);
    const swapped = panelComputation(src, f64, panel, () => ++ids);
    expect(swapped.heatMap).toBe(spare.heatMap);
    expect(swapped.heatMapId).toBe(spare.heatMapId);
    // Nothing is built again once it is kept.
    expect(
      stepSpareHeatMap(
        panel,
        m,
        () => ++ids,
        () => true,
      ),
    ).toBe(true);
  });
});

describe('HeatMapBuilder', () => {
  it('builds the map buildHeatMapOf builds, with steps that end inside a bin of rows', () => {
    // 1000 elements in 256 rows of 3 or 4; 8192 classes, four elements a step.
    const count = 1000;
    const C = 8192;
    const cells: BinnedRow = (e, colStart, out) => {
      for (let j = 0; j + 1 < colStart.length; j++)
        out[j] = e % 97 === 3 && j === 7 ? NaN : Math.abs(Math.sin(e * 0.13 + j * 0.71));
    };
    const losses = Float64Array.from({ length: count }, (_, e) => (e % 5) + e / 1000);
    const ignored = Uint8Array.from({ length: count }, (_, e) => (e % 11 === 0 ? 1 : 0));
    const builder = new HeatMapBuilder(cells, count, C, losses, ignored);
    let steps = 1;
    while (!builder.step(() => true)) steps++;
    // Four elements per step, then the 256 × 512 cells rounded 4096 per step.
    expect(steps).toBe(count / 4 + (256 * 512) / 4096);
    const map = builder.finish();
    expect(map).toEqual(buildHeatMapOf(cells, count, C, losses, ignored));
    // Each cell from the elements of its rows, binned here row by row.
    const one = new Float64Array(map.cols);
    for (let r = 0; r < map.rows; r++) {
      const want = new Array<number>(map.cols).fill(NaN);
      for (let e = map.rowStart[r]!; e < map.rowStart[r + 1]!; e++) {
        cells(e, map.colStart, one);
        one.forEach((v, j) => {
          if (v > want[j]! || Number.isNaN(want[j])) want[j] = v;
        });
      }
      const got = map.values.slice(r * map.cols, (r + 1) * map.cols);
      expect(got, `row ${r}`).toEqual(want.map((v) => (Number.isFinite(v) && v !== 0 ? Number(v.toPrecision(4)) : v)));
    }
  });
});

describe('WorkAhead', () => {
  it('runs tasks in order a step per turn, drops them when no longer wanted, and survives a throwing task', () => {
    const queue: (() => void)[] = [];
    const ahead = new WorkAhead({ schedule: (turn) => queue.push(turn), turnMs: 0 });
    const log: string[] = [];
    const counter = (name: string, steps: number) => {
      let n = 0;
      return () => {
        log.push(`${name}${++n}`);
        return n >= steps;
      };
    };
    let wanted = true;
    ahead.start(
      [
        counter('a', 2),
        () => {
          throw new Error('broken');
        },
        counter('b', 3),
      ],
      () => wanted,
    );
    queue.shift()!();
    queue.shift()!();
    queue.shift()!();
    queue.shift()!();
    expect(log).toEqual(['a1', 'a2', 'b1']);
    wanted = false;
    queue.shift()!();
    expect(log).toEqual(['a1', 'a2', 'b1']);
    expect(ahead.pending).toBe(false);
    expect(queue).toHaveLength(0);
  });

  it('says how long the turn a request was handled right after ran, and nothing after idle time', () => {
    const queue: (() => void)[] = [];
    let clock = 100;
    const ahead = new WorkAhead({ schedule: (turn) => queue.push(turn), turnMs: 5, now: () => clock });
    // Steps of 3 ms: a turn stops after the second.
    ahead.start(
      [
        () => {
          clock += 3;
          return false;
        },
      ],
      () => true,
    );
    queue.shift()!();
    expect(ahead.waitedFor()).toBe(6);
    // Asked once per turn.
    expect(ahead.waitedFor()).toBe(0);
    queue.shift()!();
    clock += 1.5;
    expect(ahead.waitedFor()).toBe(0);
  });
});
