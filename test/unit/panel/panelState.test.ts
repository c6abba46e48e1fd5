/**
 * The panel's pure builders against PyTorch: every expected number comes from
 * panelFixture.json, written by gen_panel_fixture.py with Debian's torch.
 */
import { describe, expect, it } from 'vitest';
import { hostToWebviewProblem, maxLabel, maxWeights } from '../../../src/protocol/webview';
import { buildHeatMap } from '../../../src/worker/heatMap';
import {
  buildPanelState,
  buildStability,
  defaultPanelView,
  freshView,
  lossPageOffset,
  selectClasses,
  shownRequest,
} from '../../../src/panel/panelState';
import { torchPrint } from '../../../src/core/torchPrint';
import { close, fixture, n, ns, payloads } from './fixture';
import { optionsOf, pairOf, seedBatchState, stateFor } from './states';

const valid = (state: unknown) => hostToWebviewProblem({ type: 'state', state });

describe('buildPanelState: the seed example', () => {
  const c = fixture.seedSingle.float32;
  const state = stateFor(c, { other: payloads(fixture.seedSingle.float64).result });

  it('passes the webview guard', () => {
    expect(valid(state)).toBeNull();
    expect(state.status).toBe('ready');
  });

  it('has every step of the sample as torch computes it (float32)', () => {
    const s = state.sample!;
    expect(s.classIndices).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(s.target).toBe(1);
    expect(s.max).toBe(n(c.max[0]));
    expect(s.argmax).toBe(3);
    expect(close(s.sumExp!, n(c.sumExp[0]))).toBe(true);
    ns(c.softmax).forEach((p, j) => expect(close(s.softmax[j], p, 1e-6)).toBe(true));
    ns(c.logSoftmax).forEach((lp, j) => expect(close(s.logSoftmax[j], lp, 1e-6)).toBe(true));
    ns(c.exp).forEach((e, j) => expect(close(s.exp![j], e, 1e-6)).toBe(true));
    ns(c.shifted).forEach((v, j) => expect(s.shifted![j]).toBe(v));
    expect(s.loss).toBe(n(c.loss));
    expect(s.q).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(s.qLogP[1]).toBe(n(c.loss));
    ns(c.grad).forEach((g, j) => expect(close(s.grad![j], g, 1e-6)).toBe(true));
    expect(s.hiddenSoftmax).toBe(0);
  });

  it('prints the loss as torch does, in float32 and float64', () => {
    expect(state.reduction!.float32!.torchPrint).toBe(c.print);
    expect(state.reduction!.float64!.torchPrint).toBe(fixture.seedSingle.float64.print);
    expect(state.reduction!.float64!.loss).toBe(n(fixture.seedSingle.float64.loss));
  });

  it('has no heat map for a single sample', () => {
    expect(state.heatMap).toBeNull();
  });
});

describe('buildPanelState: the seed batch', () => {
  const c = fixture.seedBatch.float32;

  it('reduction card: per-sample losses, mean, both dtypes', () => {
    const state = seedBatchState();
    expect(valid(state)).toBeNull();
    const r = state.reduction!;
    expect(r.losses).toEqual(ns(fixture.seedBatch.none32.losses));
    expect(r.count).toBe(2);
    expect(r.float32!.loss).toBe(n(c.loss));
    expect(r.float32!.denominator).toBe(2);
    expect(r.float32!.torchPrint).toBe('tensor(2.3519)');
    expect(r.float32!.torchPrint).toBe(c.print);
    expect(r.float64!.loss).toBe(n(fixture.seedBatch.float64.loss));
    expect(r.float64!.torchPrint).toBe(fixture.seedBatch.float64.print);
  });

  it('the gradient row divides by D = N for the mean', () => {
    const state = seedBatchState({ element: 1 });
    const s = state.sample!;
    expect(s.element).toBe(1);
    expect(s.target).toBe(5);
    expect(s.gradDenominator).toBe(2);
    ns(c.grad)
      .slice(10)
      .forEach((g, j) => expect(close(s.grad![j], g, 1e-6)).toBe(true));
  });

  it('sum and none print as torch does', () => {
    const sum = stateFor(fixture.seedBatch.sum32);
    expect(sum.reduction!.float32!.torchPrint).toBe(fixture.seedBatch.sum32.print);
    expect(sum.reduction!.float32!.torchPrint).toBe('tensor(4.7039)');
    expect(sum.sample!.gradDenominator).toBe(1);
    const none = stateFor(fixture.seedBatch.none32);
    expect(none.reduction!.float32!.torchPrint).toBe(fixture.seedBatch.none32.print);
  });

  it('weight and label smoothing: q, the contributions and the gradient', () => {
    const w = fixture.seedBatch.weightedSmoothed32;
    const state = stateFor(w, { element: 1 });
    expect(valid(state)).toBeNull();
    const s = state.sample!;
    expect(close(s.loss, n(w.losses[1]), 1e-6)).toBe(true);
    expect(close(state.reduction!.float32!.loss, n(w.loss), 1e-6)).toBe(true);
    expect(state.reduction!.float32!.torchPrint).toBe(w.print);
    // q = (1 − ε)·onehot + ε/C, and the loss is the sum of the class contributions.
    expect(s.q[5]).toBe(Math.fround(Math.fround(0.9) + Math.fround(0.01)));
    expect(s.q[0]).toBe(Math.fround(0.01));
    const total = s.contributions.reduce((a, b) => a + b, 0);
    expect(close(total, n(w.losses[1]), 1e-5)).toBe(true);
    expect(
      close(
        s.weightedTargetSum,
        w.weight!.reduce((a, wc, k) => a + wc * (k === 5 ? 0.91 : 0.01), 0),
        1e-6,
      ),
    ).toBe(true);
    ns(w.grad)
      .slice(10)
      .forEach((g, j) => expect(close(s.grad![j], g, 2e-6)).toBe(true));
  });

  it('ignored samples are flagged and left out of the denominator', () => {
    const ig = fixture.seedBatch.ignored32;
    const state = stateFor(ig, { element: 1 });
    expect(state.reduction!.ignored).toEqual([false, true]);
    expect(state.reduction!.ignoredCount).toBe(1);
    expect(state.reduction!.float32!.denominator).toBe(1);
    expect(state.reduction!.float32!.torchPrint).toBe(ig.print);
    expect(state.sample!.ignored).toBe(true);
    expect(state.sample!.qLogP.every((v) => v === 0)).toBe(true);
  });

  it('the heat map of a small batch holds torch softmax (4 significant digits)', () => {
    const state = seedBatchState();
    const h = state.heatMap!;
    expect([h.rows, h.cols, h.count, h.C]).toEqual([2, 10, 2, 10]);
    ns(c.softmax).forEach((p, i) => expect(Math.abs(h.values[i] - p)).toBeLessThanOrEqual(p * 5e-4));
    expect(h.rowLoss.map((v) => Math.abs(v - n(fixture.seedBatch.none32.losses[h.rowLoss.indexOf(v)])) < 1e-3)).toEqual(
      [true, true],
    );
    expect(h.rowPick).toEqual([0, 1]);
  });
});

describe('selectClasses and the step table for many classes', () => {
  const w = fixture.wide;
  const softmax = ns(w.softmax);

  it('top-k are the k most likely classes by torch softmax, plus the target', () => {
    for (let row = 0; row < 6; row++) {
      const p = softmax.slice(row * 50, row * 50 + 50);
      const target = w.target[row];
      const top = p
        .map((v, c) => [v, c])
        .sort((a, b) => b[0] - a[0])
        .slice(0, 20)
        .map(([, c]) => c);
      const picked = selectClasses(p, target, null, 20);
      const expected = [...new Set([...top, target])].sort((a, b) => a - b);
      expect(picked).toEqual(expected);
    }
  });

  it('a range window is consecutive and keeps the target', () => {
    expect(selectClasses(new Array(50).fill(0.02), 3, 20, 20)).toEqual([
      3,
      ...Array.from({ length: 20 }, (_, i) => 20 + i),
    ]);
    expect(selectClasses(new Array(50).fill(0.02), null, 45, 20)).toEqual(Array.from({ length: 20 }, (_, i) => 30 + i));
  });

  it('NaN counts as most likely, so a broken class is shown', () => {
    const p = new Array(30).fill(0.01);
    p[17] = NaN;
    expect(selectClasses(p, null, null, 3)).toContain(17);
  });

  it('hidden classes keep their share: shown p plus hidden p is one', () => {
    const state = stateFor(w, { element: 2 });
    expect(valid(state)).toBeNull();
    const s = state.sample!;
    expect(s.classIndices.length).toBeLessThanOrEqual(21);
    expect(s.classIndices).toContain(w.target[2]);
    const shown = s.softmax.reduce((a, b) => a + b, 0);
    expect(Math.abs(shown + s.hiddenSoftmax - 1)).toBeLessThan(1e-5);
    expect(s.window).toEqual({ start: null, size: 20 });
    const paged = stateFor(w, { element: 2, view: { classStart: 40 } }).sample!;
    expect(paged.window.start).toBe(40);
    expect(paged.classIndices.filter((k) => k >= 30)).toEqual(Array.from({ length: 20 }, (_, i) => 30 + i));
  });
});

describe('buildHeatMap binning', () => {
  const w = fixture.wide;
  const softmax = ns(w.softmax);
  const { result } = payloads(w);

  it('each cell is the max p of its samples and classes; rows pick their largest loss', () => {
    const h = buildHeatMap(softmax, 6, 50, 1, result.losses, null, { rows: 4, cols: 7 });
    expect(h.rowStart).toEqual([0, 1, 3, 4, 6]);
    expect(h.colStart).toEqual([0, 7, 14, 21, 28, 35, 42, 50]);
    for (let r = 0; r < 4; r++) {
      for (let j = 0; j < 7; j++) {
        let m = -Infinity;
        for (let e = h.rowStart[r]; e < h.rowStart[r + 1]; e++) {
          for (let k = h.colStart[j]; k < h.colStart[j + 1]; k++) m = Math.max(m, softmax[e * 50 + k]);
        }
        expect(Math.abs(h.values[r * 7 + j] - m)).toBeLessThanOrEqual(m * 5e-4);
      }
      const losses = ns(w.losses).slice(h.rowStart[r], h.rowStart[r + 1]);
      const mean = losses.reduce((a, b) => a + b, 0) / losses.length;
      expect(Math.abs(h.rowLoss[r] - mean)).toBeLessThanOrEqual(mean * 5e-4);
      expect(h.rowPick[r]).toBe(h.rowStart[r] + losses.indexOf(Math.max(...losses)));
    }
    expect(hostToWebviewProblem({ type: 'state', state: { ...seedBatchState(), heatMap: h } })).toBeNull();
  });

  it('stays within 256 × 512 cells for (64, 50257)', () => {
    const N = 64;
    const C = 50257;
    const probs = new Float32Array(N * C).fill(1 / C);
    probs[5 * C + 1234] = 0.9;
    const losses = new Float64Array(N).fill(10.8);
    const h = buildHeatMap(probs, N, C, 1, losses, null);
    expect(h.rows).toBe(64);
    expect(h.cols).toBe(512);
    const col = h.colStart.findIndex((s, j) => s <= 1234 && h.colStart[j + 1] > 1234);
    expect(h.values[5 * 512 + col]).toBe(Number(probs[5 * C + 1234].toPrecision(4)));
    expect(h.values[4 * 512 + col]).toBe(Number(Math.fround(1 / C).toPrecision(4)));
  });
});

describe('buildStability against torch (float32)', () => {
  const x = ns(fixture.seedSingle.float32.input);
  const classes = Array.from({ length: 10 }, (_, i) => i);
  for (const st of fixture.stability) {
    it(`k = ${st.shift}: naive ${Number.isFinite(n(st.naiveSum)) && n(st.naiveSum) > 0 ? 'fits' : 'breaks'}`, () => {
      const card = buildStability(x, classes, st.shift);
      expect(card.shiftedLogits).toEqual(ns(st.shiftedLogits));
      ns(st.naiveExp).forEach((e, j) => expect(close(card.naiveExp[j], e, 1e-6)).toBe(true));
      expect(close(card.naiveSum, n(st.naiveSum), 1e-6)).toBe(true);
      ns(st.naiveSoftmax).forEach((p, j) => expect(close(card.naiveSoftmax[j], p, 1e-6)).toBe(true));
      ns(st.stableSoftmax).forEach((p, j) => expect(close(card.stableSoftmax[j], p, 1e-6)).toBe(true));
      expect(card.overflowCount).toBe(ns(st.naiveExp).filter((e) => e === Infinity).length);
    });
  }
});

describe('the stability card while it is closed (the worker leaves it out)', () => {
  const c = fixture.seedBatch.float32;
  const full = stateFor(c, { view: { shift: 50 } });
  const input = {
    locale: 'en' as const,
    documentLabel: 'seed_blog.py',
    decimals: 4,
    pairs: [],
    selectedPairId: 7,
    pair: pairOf(c),
    result: payloads(c, 0).result,
    breakdown: null,
    shown: { sample: full.sample!, stability: null },
  };

  it('is a closed card naming its constant alone, which the webview guard accepts', () => {
    const closed = buildPanelState({ ...input, view: { ...defaultPanelView, shift: 50 } });
    expect(closed.stability).toMatchObject({ shift: 50, closed: true, classIndices: [], naiveExp: [] });
    expect(hostToWebviewProblem({ type: 'state', state: closed })).toBeNull();
    // Open, the worker computes it: a reply without one (log p input) has none.
    expect(buildPanelState({ ...input, view: { ...defaultPanelView, stability: true } }).stability).toBeNull();
    const logProbs = { ...input.shown, sample: { ...full.sample!, inputKind: 'log_probs' as const } };
    expect(buildPanelState({ ...input, shown: logProbs, view: defaultPanelView }).stability).toBeNull();
  });

  it('asks the worker for it only while open; a newly shown pair keeps it as the webview has it', () => {
    expect(shownRequest({ ...defaultPanelView, shift: 100 })).toEqual({
      classStart: null,
      shift: 100,
      stability: false,
    });
    expect(shownRequest({ ...defaultPanelView, shift: NaN, stability: true }).shift).toBe(0);
    expect(freshView({ classStart: 40, lossOffset: 200, shift: 100, stability: true })).toEqual({
      ...defaultPanelView,
      stability: true,
    });
    expect(freshView()).toEqual(defaultPanelView);
  });
});

describe('torchPrint', () => {
  for (const p of fixture.prints) {
    it(`prints ${JSON.stringify(p.text.slice(0, 40))}`, () => {
      const values = ns(p.values).map((v) => (p.dtype === 'float32' ? Math.fround(v) : v));
      expect(torchPrint(values, p.shape, p.dtype)).toBe(p.text);
    });
  }
});

describe('paging and sanitising', () => {
  it('lossPageOffset rounds to a page and follows the selected sample', () => {
    expect(lossPageOffset(10_000, null, 4321, 200)).toBe(4200);
    expect(lossPageOffset(10_000, 650, 0, 200)).toBe(600);
    expect(lossPageOffset(10_000, 99_999, 0, 200)).toBe(9800);
    expect(lossPageOffset(3, null, 2, 200)).toBe(0);
  });

  it('cuts what the guard would reject, so the snapshot is never dropped', () => {
    const c = fixture.seedSingle.float32;
    const { result, breakdown } = payloads(c);
    const long = 'x'.repeat(maxLabel * 3);
    const pair = pairOf(c, { logits: long });
    pair.options = { ...optionsOf(c), hasWeight: true, weight: new Array(maxWeights + 1).fill(1), labelSmoothing: 7 };
    const state = buildPanelState({
      locale: 'en',
      documentLabel: long,
      decimals: 99,
      pairs: [{ id: 7, label: long, line: 0, loss: null, failed: false }],
      selectedPairId: 7,
      pair,
      result,
      breakdown,
      view: defaultPanelView,
    });
    expect(valid(state)).toBeNull();
    expect(state.pair!.logitsName!.length).toBeLessThanOrEqual(maxLabel);
    expect(state.pair!.options.weight).toBeNull();
    expect(state.pair!.options.hasWeight).toBe(true);
    expect(state.decimals).toBe(12);
  });
});
