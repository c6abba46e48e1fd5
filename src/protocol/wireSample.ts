/**
 * A sample's breakdown on the worker wire: its per-class lists travel as transferred
 * Float64Arrays instead of structured-cloned lists of numbers.
 */
import type { SampleBreakdown } from '../core/types';

/** The per-class lists of a {@link SampleBreakdown}, which cross the worker boundary as Float64Arrays. */
export const wireLists = [
  'logits',
  'shifted',
  'exp',
  'softmax',
  'logSoftmax',
  'targetDistribution',
  'weight',
  'contributions',
  'grad',
] as const;
type WireList = (typeof wireLists)[number];

/** A {@link SampleBreakdown} whose per-class lists are Float64Arrays (null/absent stay so). */
export type WireSampleBreakdown = Omit<SampleBreakdown, WireList> & {
  [K in WireList]: SampleBreakdown[K] extends number[]
    ? Float64Array
    : SampleBreakdown[K] extends number[] | null
      ? Float64Array | null
      : Float64Array | undefined;
};

/** The worker's side: the lists as Float64Arrays. */
export function sampleToWire(b: SampleBreakdown): WireSampleBreakdown {
  const wire: Record<string, unknown> = { ...b };
  for (const k of wireLists) {
    const v = b[k];
    if (v) wire[k] = Float64Array.from(v);
  }
  return wire as WireSampleBreakdown;
}

/** The buffers of a wire sample's lists, to transfer rather than copy. */
export function wireSampleBuffers(w: WireSampleBreakdown): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const k of wireLists) {
    const v = w[k];
    if (v) out.push(v.buffer as ArrayBuffer);
  }
  return out;
}

/** The host's side: the lists as plain arrays again (a few milliseconds for 50 257 classes). */
export function sampleFromWire(w: WireSampleBreakdown): SampleBreakdown {
  const out: Record<string, unknown> = { ...w };
  for (const k of wireLists) {
    const v = w[k];
    if (v) out[k] = Array.from(v);
  }
  return out as unknown as SampleBreakdown;
}
