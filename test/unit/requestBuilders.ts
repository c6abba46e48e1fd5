/**
 * Loss requests the kernel and worker tests build from numbers: an (N, C) batch of float logits
 * with class-index targets, the other options torch's defaults unless a test overrides them.
 */
import { livePairId, type PanelDataParams } from '../../src/protocol/worker';
import { defaultOptions, type LossRequest } from '../../src/core/types';

/**
 * An (N, C) request with index targets; `options` replaces any of the defaults. Float32Array
 * logits stay float32, as a live float32 input reaches the worker.
 */
export function indexRequest(
  logits: Float64Array | Float32Array,
  shape: [number, number],
  targets: ArrayLike<number>,
  options: Partial<LossRequest> = {},
): LossRequest {
  return {
    input: { data: logits, shape, integral: false },
    target: { data: Float64Array.from(targets), shape: [shape[0]], integral: true },
    weight: null,
    ignoreIndex: -100,
    reduction: 'mean',
    labelSmoothing: 0,
    dtype: 'float32',
    inputKind: 'logits',
    ...options,
  };
}

/**
 * (N, C) logits spread over a few units by `value(i)` for flat index i, with the targets
 * `target(n)`: inputs with no pattern a kernel or page logic could lean on.
 */
export function syntheticRequest(
  N: number,
  C: number,
  value: (i: number) => number,
  target: (n: number) => number,
  options: Partial<LossRequest> = {},
): LossRequest {
  const data = new Float64Array(N * C);
  for (let i = 0; i < data.length; i++) data[i] = value(i);
  return indexRequest(
    data,
    [N, C],
    Array.from({ length: N }, (_, n) => target(n)),
    options,
  );
}

/** The panel's options at torch's defaults (float32 logits), as a panel request carries them. */
export const defaultPanelOptions: PanelDataParams['options'] = { ...defaultOptions, weight: null };

/** The panel's request for sample 1 of the held live pair `live:1` at the defaults; `extra` overrides. */
export function livePanelParams(extra: Partial<PanelDataParams> = {}): PanelDataParams {
  return {
    key: 'live:1',
    version: 1,
    pairId: livePairId,
    element: 1,
    options: defaultPanelOptions,
    shown: { classStart: null, shift: 0 },
    ...extra,
  };
}
