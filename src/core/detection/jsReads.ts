/**
 * JavaScript reads of a tensor's numbers (docs/detection.md 3.140): tfjs's `t.get(i, j)` (the 0.x API:
 * one element, a JavaScript number), `t.dataSync()` (a flat Float32Array of every element),
 * `t.arraySync()` (nested arrays of the tensor's shape) and mlx-node's `t.toFloat32()` (a flat
 * Float32Array). Each element read from them is the tensor's element as stored (a float32 value kept
 * in a double), and what JavaScript computes with it afterwards (`Math.log(v[0]) * w[0]`) is double
 * arithmetic: the values are handed on as float64 numbers equal to the stored ones. Each element keeps
 * what it is (its view and its term, terms.ts), so a cross-entropy written out over them is read as
 * the same formula written over the tensors in Python.
 */
import type { CallNode, Evaluation } from './evaluation';
import { getItem, materialise, type IndexPart } from './tensorIndex';
import { kindOf, rounder } from './tensorMath';
import type { ArrayValue, Value } from './values';

/** Containers of a library's tensor in JavaScript (a plain array or typed array has no such method). */
const isTensor = (a: ArrayValue): boolean => a.container === 'tensor' || a.container === 'tf';

/** The same elements as doubles equal to the stored ones, in `shape`, held as `container`. */
function asNumbers(
  a: ArrayValue,
  shape: number[],
  container: ArrayValue['container'],
  tfjs: boolean,
): ArrayValue | null {
  if (!a.data || a.integerTensor) return null;
  // A tfjs tensor made from JavaScript numbers is float32, whole numbers included.
  const round = tfjs ? Math.fround : rounder(kindOf(a));
  const data = Float64Array.from(a.data, round);
  // Reshaped, the elements still are where they were: a value that was its own source points at it.
  const view = a.view === undefined && shape.join() !== a.shape.join() ? { root: a, offset: 0 } : a.view;
  return { ...a, data, shape, container, dtype: 'float64', derived: true, view };
}

/** `t.get(...)`, `t.dataSync()`, `t.arraySync()`, `t.toFloat32()` of a tensor; null for anything else. */
export function jsTensorRead(ev: Evaluation, receiver: ArrayValue, name: string, call: CallNode): Value | null {
  if (ev.python || !isTensor(receiver) || call.keywords.length) return null;
  const a = materialise(receiver);
  const size = a.data?.length ?? 0;
  const tfjs = a.container === 'tf';
  switch (name) {
    case 'get': {
      // tfjs 0.x: one index per axis; an index out of range reads past the buffer (not modelled).
      const at = call.args.map((n) => ev.evaluate(n));
      if (at.length !== a.shape.length || a.shape.length === 0) return null;
      const parts: IndexPart[] = [];
      for (let k = 0; k < at.length; k++) {
        const v = at[k];
        if (v.kind !== 'number' || !Number.isInteger(v.value) || v.value < 0 || v.value >= a.shape[k]) return null;
        parts.push({ k: 'int', value: v.value, op: null });
      }
      // Indexed as the tensor it is (a tfjs tensor of written numbers is held as their list).
      const picked = getItem(tfjs ? { ...a, container: 'tensor' } : a, parts);
      const one = picked && asNumbers(picked, [], 'scalar', tfjs);
      return one ? { kind: 'array', array: one } : null;
    }
    case 'dataSync':
    case 'toFloat32': {
      if (call.args.length) return null;
      const flat = asNumbers(a, [size], 'typed', tfjs);
      return flat ? { kind: 'array', array: flat } : null;
    }
    case 'arraySync': {
      if (call.args.length || a.shape.length === 0) return null;
      const nested = asNumbers(a, a.shape.slice(), 'list', tfjs);
      return nested ? { kind: 'array', array: nested } : null;
    }
    default:
      return null;
  }
}
