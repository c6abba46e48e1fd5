/**
 * Where a clip of one element came from: `np.clip(p, eps, 1 - eps)` of an element of an array known
 * here is a new 0-d array (tensorCalls.ts `clipped`); this side table keeps the element it clipped,
 * so a per-sample loss read from it (labelBranches.ts) still says which sample it is. Keyed by the
 * clip's numbers, which a name bound to it shares (the array value itself is copied as it is bound).
 */
import type { ArrayValue } from './values';

export const clipSources = new WeakMap<Float64Array, { root: ArrayValue; offset: number }>();
