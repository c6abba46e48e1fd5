/**
 * Complete PanelState snapshots for tests, built with the real builders from payloads the core
 * kernel computes for the torch fixture cases.
 */
import { buildHeatMap } from '../../../src/worker/heatMap';
import type { LossPayload } from '../../../src/protocol/worker';
import type { PairItem, PairSummary, PanelOptions, PanelState } from '../../../src/protocol/webview';
import { buildPanelState, defaultPanelView, type PanelView } from '../../../src/panel/panelState';
import { fixture, payloads, type TorchCase } from './fixture';

/** The options of a torch case, as the code would state them. */
export function optionsOf(c: TorchCase): PanelOptions {
  return {
    reduction: c.reduction,
    dtype: c.dtype,
    labelSmoothing: c.labelSmoothing,
    ignoreIndex: c.ignoreIndex,
    inputKind: 'logits',
    hasWeight: c.weight !== null,
    weight: c.weight,
  };
}

/** A pair summary for a torch case. */
export function pairOf(
  c: TorchCase,
  names: { logits?: string; target?: string; claim?: string | null } = {},
): PairSummary {
  const batched = c.shape.length > 1;
  return {
    id: 7,
    logitsName: names.logits ?? 'output',
    targetName: names.target ?? 'target',
    inputShape: c.shape,
    targetShape: [c.target.length],
    lossShape: batched ? [c.shape[0]] : [],
    N: batched ? c.shape[0] : 1,
    C: c.shape[c.shape.length - 1],
    S: 1,
    targetKind: 'indices',
    codeOptions: optionsOf(c),
    options: optionsOf(c),
    claimText: names.claim ?? null,
    claimOk: names.claim ? true : null,
  };
}

/** The snapshot for a torch case with sample `element` selected. */
export function stateFor(
  c: TorchCase,
  opts: {
    element?: number;
    other?: LossPayload | null;
    view?: Partial<PanelView>;
    locale?: 'en' | 'ko';
    names?: { logits?: string; target?: string; claim?: string | null };
    documentLabel?: string;
    probs?: ArrayLike<number> | null;
  } = {},
): PanelState {
  const { result, breakdown } = payloads(c, opts.element ?? 0);
  const pairs: PairItem[] = [
    { id: 7, label: `${opts.names?.logits ?? 'output'}, target`, line: 12, loss: result.loss, failed: false },
  ];
  return buildPanelState({
    locale: opts.locale ?? 'en',
    documentLabel: opts.documentLabel ?? 'seed_blog.py',
    decimals: 4,
    pairs,
    selectedPairId: 7,
    pair: pairOf(c, opts.names),
    result,
    otherResult: opts.other ?? null,
    breakdown,
    heatMap:
      opts.probs && result.N * result.S > 1
        ? buildHeatMap(opts.probs, result.N, result.C, result.S, result.losses, result.ignored)
        : null,
    view: { ...defaultPanelView, ...opts.view },
  });
}

/** The seed batch (2, 10) in float32 with the float64 totals beside it. */
export function seedBatchState(opts: Parameters<typeof stateFor>[1] = {}): PanelState {
  const other = payloads(fixture.seedBatch.float64).result;
  const softmax = Float64Array.from([...fixture.seedBatch.float32.softmax].map(Number));
  return stateFor(fixture.seedBatch.float32, { other, probs: softmax, ...opts });
}
