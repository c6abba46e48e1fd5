/**
 * The panel's code paths run once on a small made-up pair in the worker's idle time, so that V8
 * has optimised them before the first big pair's answers need them. Measured on the (64, 50 257)
 * float32 pair of the UI speed test in a fresh worker: the next sample's shown columns made ahead
 * took 30, 12 and 10 ms the first three times (code not yet optimised) and 1.2–1.5 ms from then on;
 * a request arriving meanwhile waited for it, and the first dtype and ε answers paid the same.
 *
 * The made-up pair is computed by a service of its own (nothing it keeps is shared with the real
 * one), asked what the panel asks — a first answer, sample changes, a reduction, dtype and ε
 * change — with its work ahead run between the requests: each request, and each turn of its work
 * ahead, is one step of the {@link AheadTask} that {@link warmUpTask} gives, so a real request
 * waits for one of them (well under a millisecond) at most.
 */
import { livePairId, type PanelComputeOptions, type PanelDataParams } from '../protocol/worker';
import { defaultOptions, type LossRequest } from '../core/types';
import { AnalysisService } from './analysisService';
import type { AheadTask } from './workAhead';

/**
 * The made-up pair: small enough that a cold step takes a few ms at most (4096 classes took up to
 * 16 ms a step), in rounds enough that V8 optimises each loop.
 */
const warmN = 4;
const warmC = 1024;

/** Requests in the order the panel makes them, each after the work ahead of the one before. */
function script(): { element: number; options: Partial<PanelComputeOptions> }[] {
  const steps: { element: number; options: Partial<PanelComputeOptions> }[] = [];
  // Four rounds: V8 optimises a function after enough of its bytecode has run, and a round on 1024
  // classes runs each loop a few thousand times.
  for (let round = 0; round < 4; round++) {
    for (let element = 0; element < warmN; element++) steps.push({ element, options: {} });
    steps.push(
      { element: 0, options: { reduction: 'sum' } },
      { element: 0, options: { reduction: 'mean' } },
      { element: 0, options: { dtype: 'float64' } },
      { element: 1, options: { dtype: 'float64' } },
      { element: 1, options: { dtype: 'float32' } },
      { element: 1, options: { labelSmoothing: 0.1 } },
      { element: 2, options: { labelSmoothing: 0.2 } },
      { element: 2, options: { labelSmoothing: 0.2, dtype: 'float64' } },
      { element: 2, options: { labelSmoothing: 0 } },
    );
  }
  return steps;
}

function madeUpPair(): LossRequest {
  const data = new Float64Array(warmN * warmC);
  // Spread over a few units like real logits, with a repeated value now and then.
  for (let i = 0; i < data.length; i++) data[i] = Math.round(Math.sin(i * 0.37) * 400 + ((i * 13) % 17)) / 100;
  return {
    input: { data, shape: [warmN, warmC], integral: false },
    target: { data: Float64Array.from({ length: warmN }, (_, n) => (n * 977) % warmC), shape: [warmN], integral: true },
    ...defaultOptions,
    weight: null,
  };
}

/** Hooks for tests: each request's sample as it is asked, and the failure that ended a warm-up. */
export interface WarmUpHooks {
  onRequest?: (element: number) => void;
  onError?: (error: unknown) => void;
}

/**
 * The warm-up as one task of work ahead: a step is one request of the made-up pair or one turn of
 * its own work ahead. A failure ends it (a warm-up is a guess, never an answer).
 */
export function warmUpTask(hooks: WarmUpHooks = {}): AheadTask {
  const turns: (() => void)[] = [];
  const service = new AnalysisService({ ahead: { schedule: (turn) => turns.push(turn), turnMs: 0 } });
  const key = 'live:warm-up';
  let started = false;
  const steps = script();
  let at = 0;
  let heatMapId: number | undefined;
  let options: PanelComputeOptions = { ...defaultOptions, weight: null };
  const one = (): boolean => {
    if (!started) {
      started = true;
      service.holdLive({ key, version: 1, request: madeUpPair() });
      return false;
    }
    const turn = turns.shift();
    if (turn) {
      turn();
      return false;
    }
    const step = steps[at++];
    if (!step) return true;
    options = { ...options, ...step.options };
    hooks.onRequest?.(step.element);
    const params: PanelDataParams = {
      key,
      version: 1,
      pairId: livePairId,
      element: step.element,
      options,
      shown: { classStart: null, shift: 0, stability: false },
      ...(heatMapId !== undefined ? { heatMapId } : {}),
    };
    const answer = service.panelData(params);
    if (answer.heatMap) heatMapId = answer.heatMapId;
    return false;
  };
  return (enough) => {
    try {
      for (;;) {
        if (one()) return true;
        if (enough()) return false;
      }
    } catch (err) {
      hooks.onError?.(err);
      return true;
    }
  };
}
