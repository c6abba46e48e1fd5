/**
 * The ReLU of a small forward pass written by hand (docs/detection.md 3.216): `np.maximum(0, h)` /
 * `np.maximum(h, 0)`, `torch.relu(h)`, `F.relu(h)` and torch's `h.relu()`, each max(h, 0)
 * elementwise in the array's own dtype (a NaN stays NaN, as in both libraries). The result is a new
 * source array, not marked as a clip (it is no probability guard).
 *
 * Left out (no number): `np.maximum` of an integer array (numpy's result dtype then depends on the
 * number's type), of a Python list or of two arrays, ReLU of a half-precision tensor or of a
 * TensorFlow tensor, and `torch.relu` of anything but a torch tensor (torch raises for a list).
 */
import { argumentValue, type CallNode, type Evaluation } from './evaluation';
import { numberOf } from './filledArrays';
import { materialise } from './tensorIndex';
import { reluTerms } from './reluTerms';
import { computed, kindOf, libOf, rounder } from './tensorMath';
import { unknown, type ArrayValue, type Value } from './values';

const torchPaths = new Set(['torch.relu', 'torch.nn.functional.relu']);

/** `max(a, 0)` elementwise, or null when the array is not one this models. */
export function relu(a0: ArrayValue, lib: 'torch' | 'numpy'): ArrayValue | null {
  const a = materialise(a0);
  if (libOf(a) !== lib || a.halfPrecision || a.tensorOf === 'tensorflow' || a.strictDtype || !a.data) return null;
  if (lib === 'numpy' && kindOf(a) === 'int') return null;
  const round = rounder(kindOf(a));
  const data = new Float64Array(a.data.length);
  for (let k = 0; k < data.length; k++) {
    const x = round(a.data[k]);
    data[k] = x !== x || x >= 0 ? x : 0;
  }
  return computed(a, data, a.shape.slice(), lib, kindOf(a), reluTerms(a));
}

/** A ReLU call by its canonical path; undefined for any other path. */
export function reluCall(ev: Evaluation, path: string, call: CallNode): Value | undefined {
  if (torchPaths.has(path)) {
    if (call.args.length + call.keywords.length !== 1) return unknown;
    const v = argumentValue(ev, call, { position: 0, keyword: 'input' });
    const out = v.kind === 'array' ? relu(v.array, 'torch') : null;
    return out ? { kind: 'array', array: out } : unknown;
  }
  if (path !== 'numpy.maximum') return undefined;
  if (call.args.length !== 2 || call.keywords.length) return unknown;
  const [x, y] = call.args.map((n) => ev.evaluate(n));
  // One operand a zero, the other an ndarray.
  const zero = (v: Value) => (v.kind === 'number' ? numberOf(v) === 0 : false);
  const h = zero(x) && y.kind === 'array' ? y.array : zero(y) && x.kind === 'array' ? x.array : null;
  const out = h ? relu(h, 'numpy') : null;
  return out ? { kind: 'array', array: out } : unknown;
}
