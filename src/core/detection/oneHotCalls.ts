/**
 * One-hot rows built by a call: torch's `F.one_hot` (int64) and Keras's `to_categorical` (float32),
 * each with its library's checks; anything it does not model is `unknown`, never a guess.
 */
import { argumentValue, type CallNode, type Evaluation } from './evaluation';
import { numberOf } from './filledArrays';
import { affordable } from './computeBudget';
import { computed, kindOf, maxComputed } from './tensorMath';
import { unknown, type Value } from './values';

/** `F.one_hot(t, num_classes)`: an int64 (N, C) tensor. */
export function oneHotCall(ev: Evaluation, call: CallNode): Value {
  const t = argumentValue(ev, call, { position: 0, keyword: 'tensor' });
  // torch's one_hot takes int64 only ("one_hot is only applicable to index tensor").
  if (t.kind !== 'array' || !t.array.data || kindOf(t.array) !== 'int' || t.array.narrowInt) return unknown;
  const idx = t.array.data;
  let C = numberOf(argumentValue(ev, call, { position: 1, keyword: 'num_classes' })) ?? -1;
  if (C === -1) C = idx.reduce((m, x) => Math.max(m, x), -1) + 1;
  if (!Number.isInteger(C) || C <= 0 || idx.some((x) => !(x >= 0 && x < C)) || idx.length * C > maxComputed)
    return unknown;
  const data = new Float64Array(idx.length * C);
  idx.forEach((c, k) => (data[k * C + c] = 1));
  const out = computed({ ...t.array, narrowInt: undefined }, data, [...t.array.shape, C], 'torch', 'int', null);
  out.derived = false;
  return { kind: 'array', array: out };
}

/** Keras's `utils.to_categorical` under its import paths (tf.keras 2, Keras 2's np_utils, Keras 3). */
export const toCategoricalPaths = new Set(['keras.utils.to_categorical', 'keras.utils.np_utils.to_categorical']);

/**
 * `to_categorical(y, num_classes=None)`: float32 one-hot rows of integer class indices (a trailing
 * dimension of 1 dropped first, as Keras does). Another dtype, or indices that are not whole numbers
 * in [0, num_classes), are not modelled.
 */
export function toCategorical(ev: Evaluation, call: CallNode): Value {
  const y = argumentValue(ev, call, { position: 0, keyword: 'y' });
  if (y.kind !== 'array' || !y.array.data || call.keywords.some((k) => k.name === 'dtype') || call.args.length > 2)
    return unknown;
  const idx = y.array.data;
  const given = argumentValue(ev, call, { position: 1, keyword: 'num_classes' });
  const C = given.kind === 'number' ? given.value : idx.reduce((m, x) => Math.max(m, x), -1) + 1;
  if (!Number.isInteger(C) || C <= 0 || idx.some((x) => !Number.isInteger(x) || x < 0 || x >= C)) return unknown;
  if (!affordable(idx.length * C)) return unknown;
  const shape = y.array.shape.length > 1 && y.array.shape.at(-1) === 1 ? y.array.shape.slice(0, -1) : y.array.shape;
  const data = new Float64Array(idx.length * C);
  idx.forEach((c, k) => (data[k * C + c] = 1));
  const out = computed({ ...y.array, narrowInt: undefined }, data, [...shape, C], 'numpy', 'float32', null);
  out.derived = false;
  return { kind: 'array', array: out };
}
