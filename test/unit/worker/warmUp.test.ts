/**
 * The worker runs the panel's code on a small made-up pair in its idle time once a pair with many
 * classes is analysed (warmUp.ts), so that V8 has optimised it before the big pair's first sample
 * change. These tests show that the warm-up runs only when nothing the panel queued is left, that a
 * new panel answer puts it off without dropping it, that it runs every request of its script
 * without an error, and that the real pair's answers are the same, to the bit, with or without it.
 */
import { describe, expect, it } from 'vitest';
import type { PanelData } from '../../../src/protocol/worker';
import { AnalysisService, warmUpMinClasses } from '../../../src/worker/analysisService';
import { WorkAhead } from '../../../src/worker/workAhead';
import { warmUpTask } from '../../../src/worker/warmUp';
import { defaultPanelOptions, livePanelParams, syntheticRequest } from '../requestBuilders';

/** A work-ahead queue whose turns run when the test says; `log` records what each task did. */
function queue(turnMs = 0) {
  const turns: (() => void)[] = [];
  const ahead = new WorkAhead({ schedule: (turn) => turns.push(turn), turnMs });
  const run = (n = Infinity) => {
    let ran = 0;
    while (ran < n && turns.length > 0) {
      turns.shift()!();
      ran++;
    }
    return ran;
  };
  return { ahead, run };
}

/** A task of `steps` steps that logs each one as `name` + its number. */
function counted(log: string[], name: string, steps: number) {
  let done = 0;
  return (enough: () => boolean) => {
    for (;;) {
      log.push(`${name}${++done}`);
      if (done >= steps) return true;
      if (enough()) return false;
    }
  };
}

describe('WorkAhead.whenIdle', () => {
  it('runs an idle task after the tasks start() queued, one step per turn', () => {
    const log: string[] = [];
    const { ahead, run } = queue();
    ahead.whenIdle(counted(log, 'idle', 3));
    ahead.start([counted(log, 'panel', 2)], () => true);
    run();
    expect(log).toEqual(['panel1', 'panel2', 'idle1', 'idle2', 'idle3']);
    expect(ahead.pending).toBe(false);
  });

  it('is put off, not dropped, by a start() mid-way, and not by one whose tasks are no longer wanted', () => {
    const log: string[] = [];
    const { ahead, run } = queue();
    ahead.whenIdle(counted(log, 'idle', 4));
    run(2);
    expect(log).toEqual(['idle1', 'idle2']);
    let wanted = true;
    ahead.start([counted(log, 'a', 2)], () => wanted);
    run(1);
    // Unwanted now: its second step is dropped, and the idle task goes on where it stopped.
    wanted = false;
    run();
    expect(log).toEqual(['idle1', 'idle2', 'a1', 'idle3', 'idle4']);
  });

  it('shares a turn’s budget: a turn that ends a queued task goes on with the idle one', () => {
    const log: string[] = [];
    const { ahead, run } = queue(Infinity);
    ahead.whenIdle(counted(log, 'idle', 2));
    ahead.start([counted(log, 'panel', 2)], () => true);
    expect(run(1)).toBe(1);
    expect(log).toEqual(['panel1', 'panel2', 'idle1', 'idle2']);
  });
});

describe('the warm-up on a made-up pair', () => {
  it('runs every request of its script without an error, a request or a turn of its own per step', () => {
    const errors: unknown[] = [];
    const requests: number[] = [];
    const task = warmUpTask({ onError: (err) => errors.push(err), onRequest: (e) => requests.push(e) });
    let steps = 1;
    while (!task(() => true)) steps++;
    expect(errors).toEqual([]);
    // Its script: four rounds of 4 samples and 9 option changes, its work ahead between them.
    expect(requests.length).toBe(4 * 13);
    expect(steps).toBeGreaterThan(requests.length);
  });

  it('reports a failure and ends', () => {
    const errors: unknown[] = [];
    let steps = 0;
    const task = warmUpTask({
      onError: (err) => errors.push(err),
      onRequest: () => {
        throw new Error('broken');
      },
    });
    while (!task(() => true)) steps++;
    expect(errors.map(String)).toEqual(['Error: broken']);
    expect(steps).toBeLessThan(4);
  });
});

describe('a service that warms up', () => {
  const big = () =>
    syntheticRequest(
      6,
      warmUpMinClasses,
      (i) => Math.cos(i * 0.11) * 5 + ((i * 7) % 13) / 3,
      (n) => (n * 613) % warmUpMinClasses,
    );
  const params = livePanelParams;
  /** A service with a fake scheduler holding `request`; `turns()` runs all queued turns and counts them. */
  function service(warmUp: boolean, request = big()) {
    const turns: (() => void)[] = [];
    const s = new AnalysisService({
      ...(warmUp ? { warmUp: () => warmUpTask() } : {}),
      ahead: { schedule: (turn) => turns.push(turn), turnMs: 0 },
    });
    s.holdLive({ key: 'live:1', version: 1, request });
    return {
      s,
      turns() {
        let ran = 0;
        while (turns.length > 0) {
          turns.shift()!();
          ran++;
        }
        return ran;
      },
    };
  }
  const numbers = (d: PanelData) => ({
    result: d.result,
    otherResult: d.otherResult,
    shown: d.shown,
    heatMap: d.heatMap,
    heatMapId: d.heatMapId,
  });

  it('queues it for a pair of many classes only, and once', () => {
    const small = syntheticRequest(
      2,
      warmUpMinClasses - 1,
      (i) => i % 5,
      () => 1,
    );
    expect(service(true, small).turns()).toBe(0);
    const warm = service(true);
    const ran = warm.turns();
    expect(ran).toBeGreaterThan(50);
    warm.s.holdLive({ key: 'live:2', version: 1, request: big() });
    expect(warm.turns()).toBe(0);
    expect(service(false).turns()).toBe(0);
  });

  it('gives the real pair the same answers, to the bit, warmed up or not', () => {
    const asks = [
      params(),
      params({ element: 2 }),
      params({ options: { ...defaultPanelOptions, dtype: 'float64' } }),
      params({ options: { ...defaultPanelOptions, labelSmoothing: 0.1 } }),
      params({ options: { ...defaultPanelOptions, labelSmoothing: 0.1, reduction: 'sum' } }),
    ];
    const warm = service(true);
    const cold = service(false);
    // The warm-up first (a panel opened later), then each answer with its work ahead done.
    warm.turns();
    for (const ask of asks) {
      expect(numbers(warm.s.panelData(ask))).toEqual(numbers(cold.s.panelData(ask)));
      warm.turns();
      cold.turns();
    }
  });
});
