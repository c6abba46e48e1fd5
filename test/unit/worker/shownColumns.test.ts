/**
 * The panel's shown columns, built in the worker: a panelData request that names the class page and
 * the stability constant (`shown`) is answered with that page of the sample and the stability card,
 * not the sample's full rows; both guards refuse a malformed `shown` and say where.
 */
import { describe, expect, it } from 'vitest';
import { buildSampleView, buildStability } from '../../../src/core/shownSample';
import type { LossRequest } from '../../../src/core/types';
import { classPageSize, maxShownClasses } from '../../../src/protocol/webview';
import {
  livePairId,
  sampleFromWire,
  workerReplyProblem,
  workerRequestProblem,
  type PanelData,
  type PanelDataParams,
} from '../../../src/protocol/worker';
import { AnalysisService } from '../../../src/worker/analysisService';
import { syntheticRequest } from '../requestBuilders';
import { heldLivePanel } from './helpers';

const N = 3;
const C = 60;

/** Logits spread over a few units (no pattern the page logic could lean on), class targets. */
function wideRequest(): LossRequest {
  const targets = [7, 42, 59];
  return syntheticRequest(
    N,
    C,
    (i) => Math.sin(i * 1.7) * 3 + ((i * 7) % 11) / 5,
    (n) => targets[n],
    {
      labelSmoothing: 0.1,
    },
  );
}

const options: PanelDataParams['options'] = {
  reduction: 'mean',
  dtype: 'float32',
  labelSmoothing: 0.1,
  ignoreIndex: -100,
  weight: null,
  inputKind: 'logits',
};

function service() {
  const ask = heldLivePanel(wideRequest());
  return (element: number, shown?: PanelDataParams['shown']): PanelData => ask(element, options, shown);
}

const reply = (result: unknown) => ({ type: 'result', req: 1, method: 'panelData', result });

describe('panelData with shown columns', () => {
  it('answers with the page of the sample and its stability card instead of every class', () => {
    const ask = service();
    const full = ask(1);
    const part = ask(1, { classStart: 30, shift: 90 });
    expect(workerReplyProblem(reply(part))).toBeNull();
    expect(part.breakdown).toBeNull();
    const { sample, stability } = part.shown!;
    // The page from class 30, with the target (42) among it; the numbers are the full row's.
    expect(sample.classIndices).toEqual(Array.from({ length: classPageSize }, (_, i) => 30 + i));
    expect(sample.window).toEqual({ start: 30, size: classPageSize });
    const rows = sampleFromWire(full.breakdown!);
    sample.classIndices.forEach((c, j) => {
      expect(sample.softmax[j]).toBe(rows.softmax[c]);
      expect(sample.logits[j]).toBe(rows.logits[c]);
      expect(sample.grad![j]).toBe(rows.grad![c]);
    });
    let hidden = 0;
    for (let c = 0; c < C; c++) if (!sample.classIndices.includes(c)) hidden += rows.softmax[c]!;
    expect(sample.hiddenSoftmax).toBeCloseTo(hidden, 12);
    // The host's own builders over the full row give the same (they are the same code, in the core).
    const host = buildSampleView(rows, {
      dtype: 'float32',
      inputKind: 'logits',
      labelSmoothing: 0.1,
      reduction: 'mean',
      denominator: full.result.denominator,
      classStart: 30,
      pageSize: classPageSize,
    });
    expect(sample).toEqual(host);
    expect(stability).toEqual(buildStability(rows.logits, sample.classIndices, 90));
    // Shifted by 90 the float32 exponentials overflow: the card says so.
    expect(stability!.overflowCount).toBeGreaterThan(0);
  });

  it('pages the top classes with the target, and a log-probability input has no stability card', () => {
    const ask = service();
    const top = ask(2, { classStart: null, shift: 0 }).shown!;
    expect(top.sample.classIndices).toContain(59);
    expect(top.sample.classIndices.length).toBeLessThanOrEqual(classPageSize + 1);
    expect(top.stability?.classIndices).toEqual(top.sample.classIndices);
    const s = new AnalysisService();
    s.holdLive({ key: 'live:2', version: 1, request: { ...wideRequest(), inputKind: 'log_probs', labelSmoothing: 0 } });
    const logProbs = s.panelData({
      key: 'live:2',
      version: 1,
      pairId: livePairId,
      element: 0,
      options: { ...options, inputKind: 'log_probs', labelSmoothing: 0 },
      shown: { classStart: null, shift: 0 },
    });
    expect(workerReplyProblem(reply(logProbs))).toBeNull();
    expect(logProbs.shown!.stability).toBeNull();
  });

  it('leaves out the stability card the panel shows closed, and builds it once open', () => {
    const ask = service();
    const closed = ask(1, { classStart: null, shift: 90, stability: false });
    expect(workerReplyProblem(reply(closed))).toBeNull();
    expect(closed.shown!.stability).toBeNull();
    // The same columns as with the card.
    const open = ask(1, { classStart: null, shift: 90, stability: true });
    expect(closed.shown!.sample).toEqual(open.shown!.sample);
    expect(open.shown!.stability).toEqual(
      buildStability(ask(1).breakdown!.logits, open.shown!.sample.classIndices, 90),
    );
  });

  it('is refused in a request unless it is a class index or null and a finite shift', () => {
    const request = (shown: unknown) => ({
      type: 'request',
      req: 1,
      method: 'panelData',
      params: { key: 'k', version: 1, pairId: 0, element: 0, options, shown },
    });
    expect(workerRequestProblem(request({ classStart: null, shift: 0 }))).toBeNull();
    expect(workerRequestProblem(request({ classStart: 40, shift: -2.5 }))).toBeNull();
    expect(workerRequestProblem(request({ classStart: 40, shift: 0, stability: false }))).toBeNull();
    for (const bad of [
      null,
      'top',
      { classStart: -1, shift: 0 },
      { classStart: 1.5, shift: 0 },
      { classStart: '3', shift: 0 },
      { classStart: null },
      { classStart: null, shift: NaN },
      { classStart: null, shift: Infinity },
      { classStart: null, shift: 0, size: 500 },
      { classStart: null, shift: 0, stability: 'open' },
      { classStart: null, shift: 0, stability: 1 },
    ]) {
      expect(workerRequestProblem(request(bad)), JSON.stringify(bad)).toBe(
        'shown is not { classStart, shift, stability? }',
      );
    }
  });

  it('is refused in a reply that also carries the full rows, or whose columns do not agree', () => {
    const ask = service();
    const full = ask(0);
    const part = ask(0, { classStart: 10, shift: 0 });
    const { sample, stability } = part.shown!;
    const bad: [unknown, string][] = [
      [{ ...part, breakdown: full.breakdown }, 'breakdown is sent with shown'],
      [{ ...part, shown: { sample, stability, extra: 1 } }, 'shown has an unknown field "extra"'],
      [
        { ...part, shown: { sample: { ...sample, softmax: sample.softmax.slice(1) }, stability } },
        'shown.sample.softmax has',
      ],
      [
        { ...part, shown: { sample, stability: { ...stability!, classIndices: stability!.classIndices.slice(1) } } },
        'shown.stability',
      ],
      [
        { ...part, shown: { sample: { ...sample, classIndices: sample.classIndices.map((c) => c + C) }, stability } },
        'shown.sample.classIndices is not ascending below 60',
      ],
      [
        {
          ...part,
          shown: {
            sample: { ...sample, classIndices: Array.from({ length: maxShownClasses + 1 }, (_, i) => i) },
            stability: null,
          },
        },
        `shown.sample.classIndices has ${maxShownClasses + 1} entries`,
      ],
      [{ ...part, shown: { sample: { ...sample, loss: '0.5' }, stability } }, 'shown.sample.loss is not a number'],
    ];
    for (const [result, why] of bad) expect(workerReplyProblem(reply(result))).toContain(why);
  });
});
