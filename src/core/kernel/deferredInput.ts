/**
 * Float32 inputs whose float32 copy is made only when something reads `Prepared.x`. The wasm
 * forward (wasmForward.ts) reads the request's float64 array directly and rounds it to float32
 * itself, so `computeLoss` on a large float32 input never holds a second full copy of the input
 * (peak memory: the float64 source plus a few hundred KiB, instead of source + a float32 copy).
 * Reading `x` (the breakdown, steps, gradients, the scalar path) makes the copy then, once.
 */
import type { Floats, Prepared } from './prepare';

/** The float64 source of each Prepared whose `x` is still deferred. */
const sources = new WeakMap<Prepared, Float64Array>();

/**
 * Turns `p.x` into a getter that makes the float32 copy of `source` on first access. One shared
 * getter and setter (not closures per object), so V8 gives all such objects one hidden class.
 */
export function deferFloat32Copy(p: Prepared, source: Float64Array): void {
  sources.set(p, source);
  Object.defineProperty(p, 'x', { get: makeX, set: setX, enumerable: true, configurable: true });
}

function makeX(this: Prepared): Floats {
  const x = new Float32Array(sources.get(this) as Float64Array);
  setX.call(this, x);
  return x;
}

/** Replaces the getter by a plain data property and lets the float64 source go. */
function setX(this: Prepared, x: Floats): void {
  sources.delete(this);
  Object.defineProperty(this, 'x', { value: x, writable: true, enumerable: true, configurable: true });
}

/**
 * The float64 input of a Prepared whose float32 copy `x` has not been made yet, else null.
 * Reading it (unlike reading `x`) keeps the copy unmade.
 */
export function deferredSource(p: Prepared): Float64Array | null {
  return sources.get(p) ?? null;
}
