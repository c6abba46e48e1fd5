/**
 * Builds the demo's data with the real code: the core kernel computes the seed batch (and a
 * large batch for timing), the panel builders turn it into a PanelState, panelHtml writes the
 * shell. Bundled and run by build.mjs.
 */
import { computeLoss, sampleBreakdown } from '../../../src/core/kernel';
import type { DType, Reduction } from '../../../src/core/types';
import { panelHtml } from '../../../src/panel/panelHtml';
import { buildHeatMap } from '../../../src/worker/heatMap';
import { buildPanelState, coarsenHeatMap, defaultPanelView, type PanelView } from '../../../src/panel/panelState';
import { encodeHostMessage, type LiveBadge, type PairSummary, type PanelOptions } from '../../../src/protocol/webview';
import type { LossPayload } from '../../../src/protocol/worker';

export { panelHtml };
export { headerCheck } from '../headerFit';

const seedRows = [
  [0.8982, 0.805, 0.6393, 0.9983, 0.5731, 0.0469, 0.556, 0.1476, 0.8404, 0.5544],
  [0.9457, 0.0195, 0.9846, 0.3231, 0.1605, 0.3143, 0.9508, 0.2762, 0.7276, 0.4332],
];

function run(data: Float64Array, shape: number[], target: number[], dtype: DType, reduction: Reduction) {
  const outcome = computeLoss(
    {
      input: { data, shape, integral: false },
      target: { data: Float64Array.from(target), shape: [target.length], integral: true },
      weight: null,
      ignoreIndex: -100,
      reduction,
      labelSmoothing: 0,
      dtype,
      inputKind: 'logits',
    },
    { grad: true },
  );
  if (!outcome.ok) throw new Error(outcome.error.message);
  const { prepared: p, result: r } = outcome;
  const payload: LossPayload = {
    resultId: 1,
    loss: r.loss,
    losses: r.losses,
    numerator: r.numerator,
    denominator: r.denominator,
    ignored: r.ignored,
    grad: r.grad,
    dtype: p.dtype,
    reduction: p.reduction,
    targetKind: p.targetKind,
    inputShape: p.inputShape,
    lossShape: p.lossShape,
    N: p.N,
    C: p.C,
    S: p.S,
    kernelMs: 0,
  };
  return { p, r, payload };
}

/** Row-wise softmax in float64 (the heat map's colours). */
function softmaxRows(data: Float64Array, N: number, C: number): Float64Array {
  const out = new Float64Array(N * C);
  for (let n = 0; n < N; n++) {
    let max = -Infinity;
    for (let c = 0; c < C; c++) max = Math.max(max, data[n * C + c]);
    let sum = 0;
    for (let c = 0; c < C; c++) sum += out[n * C + c] = Math.exp(data[n * C + c] - max);
    for (let c = 0; c < C; c++) out[n * C + c] /= sum;
  }
  return out;
}

function options(reduction: Reduction): PanelOptions {
  return {
    reduction,
    dtype: 'float32',
    labelSmoothing: 0,
    ignoreIndex: -100,
    inputKind: 'logits',
    hasWeight: false,
    weight: null,
  };
}

/** The encoded `state` message of the seed batch, `element` selected, in `locale`. */
export function seedBatchMessage(
  opts: {
    element?: number;
    locale?: 'en' | 'ko';
    view?: Partial<PanelView>;
    hostile?: boolean;
    /** The header's states (see {@link headerStates}). */
    documentLabel?: string;
    status?: 'computing' | 'error';
    live?: LiveBadge;
  } = {},
): unknown {
  const data = Float64Array.from(seedRows.flat());
  const f32 = run(data, [2, 10], [1, 5], 'float32', 'mean');
  const f64 = run(data, [2, 10], [1, 5], 'float64', 'mean');
  const element = opts.element ?? 0;
  const hostile = !!opts.hostile;
  const pair: PairSummary = {
    id: 3,
    logitsName: hostile ? '<img src=x onerror=alert(1)>' : 'output',
    targetName: 'target',
    inputShape: [2, 10],
    targetShape: [2],
    lossShape: [2],
    N: 2,
    C: 10,
    S: 1,
    targetKind: 'indices',
    codeOptions: options('mean'),
    options: options('mean'),
    claimText: hostile ? '# tensor(2.3519) </script><script>alert(1)</script>' : '# tensor(2.3519)',
    claimOk: true,
  };
  const state = buildPanelState({
    locale: opts.locale ?? 'en',
    documentLabel: opts.documentLabel ?? 'seed_blog.py',
    decimals: 4,
    pairs: [
      { id: 0, label: 'x, y', line: 18, loss: 2.1438, failed: false },
      { id: 2, label: 'output, target', line: 40, loss: 2.1438, failed: false },
      {
        id: 3,
        label: hostile ? '<img src=x onerror=alert(1)>, target' : 'output, target',
        line: 64,
        loss: f32.r.loss,
        failed: false,
      },
    ],
    selectedPairId: 3,
    pair,
    result: f32.payload,
    otherResult: f64.payload,
    breakdown: sampleBreakdown(f32.p, f32.r, element),
    heatMap: buildHeatMap(softmaxRows(data, 2, 10), 2, 10, 1, f32.r.losses, f32.r.ignored),
    view: { ...defaultPanelView, ...opts.view },
    ...(opts.status ? { status: opts.status } : {}),
    ...(opts.live ? { live: opts.live } : {}),
  });
  return encodeHostMessage({ type: 'state', state });
}

/**
 * The header in each state a user meets, for the layout check at side-bar widths: a document's
 * pair while it computes, live reads (streaming, done, over the budget computing, moved on), in
 * English and Korean, and a file name longer than a 300 px side bar.
 */
export function headerStates(): Record<string, unknown> {
  const badge = (over: Partial<LiveBadge>): LiveBadge => ({
    frame: 'train_step',
    line: 42,
    paused: true,
    programLoss: { expression: 'loss', value: 2.1438, dtype: 'float32' },
    agrees: true,
    notes: [],
    ...over,
  });
  const streaming = badge({
    stream: { state: 'streaming', kind: 'pull', positions: 64, batchLoss: 10.8644, message: null },
  });
  const reducing = badge({
    programLoss: null,
    agrees: null,
    stream: { state: 'streaming', kind: 'reduce', positions: 2048, batchLoss: null, message: null },
    rowTerm: { position: 0, program: 10.87, ours: 10.87, agrees: true },
    rows: { total: 2048, read: [0], failed: null },
  });
  const done = badge({ stream: { state: 'done', kind: 'pull', positions: 64, batchLoss: 10.8644, message: null } });
  const moved = badge({ paused: false });
  const states: Record<string, unknown> = {};
  for (const locale of ['en', 'ko'] as const) {
    const k = locale === 'ko' ? '-ko' : '';
    states[`static-computing${k}`] = seedBatchMessage({ locale, status: 'computing' });
    states[`live-streaming${k}`] = seedBatchMessage({
      locale,
      status: 'computing',
      live: streaming,
      documentLabel: 'budget_step.py',
    });
    states[`live-reducing${k}`] = seedBatchMessage({
      locale,
      status: 'computing',
      live: reducing,
      documentLabel: 'budget_step.py',
    });
    states[`live-done${k}`] = seedBatchMessage({ locale, live: done, documentLabel: 'budget_step.py' });
    states[`live-moved${k}`] = seedBatchMessage({
      locale,
      status: 'error',
      live: moved,
      documentLabel: 'budget_step.py',
    });
  }
  states['long-name-computing'] = seedBatchMessage({
    status: 'computing',
    documentLabel: 'train_language_model_with_cross_entropy_and_label_smoothing_step.py',
  });
  return states;
}

/** The encoded `state` message of a random (N, C) batch: the scale test. */
export function largeBatchMessage(N: number, C: number): unknown {
  return largeBatchMessages(N, C, [5], false)[0];
}

/**
 * The encoded messages of a random (N, C) batch with each of `elements` selected in turn. With
 * `byId`, as the extension sends a sample change: the heat map once (`heatMap`, id 1) and then
 * snapshots naming it; else each snapshot carries the map.
 */
export function largeBatchMessages(N: number, C: number, elements: number[], byId: boolean): unknown[] {
  let seed = 7;
  const rand = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  // Like a trained head: small noise everywhere, a few confident classes per row, and the
  // target among them for most rows (so the heat map and the losses show some structure).
  const data = Float64Array.from({ length: N * C }, () => rand() * 4 - 2);
  const target = Array.from({ length: N }, (_, i) => (i * 7919) % C);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < 3; k++) data[n * C + Math.floor(rand() * C)] += 8 + rand() * 4;
    if (n % 4 !== 3) data[n * C + target[n]] += 9 + rand() * 6;
  }
  const run32 = run(data, [N, C], target, 'float32', 'mean');
  // As the extension does it: binned in the worker, then coarsened to the panel's cell budget by the host.
  const heatMap = coarsenHeatMap(buildHeatMap(softmaxRows(data, N, C), N, C, 1, run32.r.losses, run32.r.ignored));
  const pair: PairSummary = {
    id: 1,
    logitsName: 'logits',
    targetName: 'labels',
    inputShape: [N, C],
    targetShape: [N],
    lossShape: [N],
    N,
    C,
    S: 1,
    targetKind: 'indices',
    codeOptions: options('mean'),
    options: options('mean'),
    claimText: null,
    claimOk: null,
  };
  const states = elements.map((element) => {
    const state = buildPanelState({
      locale: 'en',
      documentLabel: 'lm_head.py',
      decimals: 4,
      pairs: [{ id: 1, label: 'logits, labels', line: 3, loss: run32.r.loss, failed: false }],
      selectedPairId: 1,
      pair,
      result: run32.payload,
      breakdown: sampleBreakdown(run32.p, run32.r, element),
      heatMap: byId ? null : heatMap,
      view: defaultPanelView,
    });
    return encodeHostMessage(byId ? { type: 'state', state, heatMapId: 1 } : { type: 'state', state });
  });
  return byId ? [encodeHostMessage({ type: 'heatMap', id: 1, heatMap }), ...states] : states;
}
