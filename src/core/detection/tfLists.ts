/**
 * TensorFlow (Python) converts a plain Python list it is given into a tensor, as
 * `tf.convert_to_tensor` does, so TF 1.x demos often skip `tf.constant`:
 * - beside a TensorFlow tensor (`labels * tf.log(p)`) the list takes that tensor's dtype
 *   (a list of integers beside a float32 tensor becomes float32; a list with a fraction beside an
 *   integer tensor raises, and the dtype rule of tensorMath.ts then refuses it);
 * - as the argument of a float function (`tf.nn.softmax(logits)`) a list with a fraction in it
 *   becomes float32; a list of integers only becomes int32, which that function refuses, so such a
 *   value is not known (never a softmax TensorFlow would not compute).
 * Anything else (a list beside numpy, a tuple, a list already converted) is left as it is.
 */
import { libOf } from './tensorMath';
import { besideTensor } from './tfOperands';
import { unknown, type ArrayValue, type Value } from './values';
import { libraryPath } from './recognisers/paths';

/** A plain Python list written with numbers (not a tuple, not yet a tensor). */
function plainList(v: Value): ArrayValue | null {
  if (v.kind !== 'array') return null;
  const a = v.array;
  const list = libOf(a) === 'list' && a.container === 'list' && a.site.constructorName === 'list';
  return list && a.transform === null && a.data && a.shape.length > 0 ? a : null;
}

/** Every number of the list as written is an integer (TensorFlow makes int32 of it). */
function integral(a: ArrayValue): boolean {
  return a.site.integral && !a.derived;
}

/** The list as the tensor TensorFlow makes of it, with this dtype (null: int32). */
function asTfTensor(a: ArrayValue, dtype: 'float32' | 'float64' | null): ArrayValue {
  const integerTensor = dtype === null;
  return { ...a, container: 'tensor', dtype, integerTensor, strictDtype: true, tensorOf: 'tensorflow' };
}

/** A TensorFlow tensor: made by its constructor, or computed from one (whose numbers it is read from). */
export function isTfTensor(a: ArrayValue): boolean {
  if (a.container !== 'tensor') return false;
  return (
    a.tensorOf === 'tensorflow' ||
    a.strictDtype === true ||
    /^(?:tensorflow\.|keras\.backend\.)/.test(a.site.constructorName ?? '')
  );
}

const isTf = (v: Value): v is Extract<Value, { kind: 'array' }> => v.kind === 'array' && isTfTensor(v.array);

/** The operands of `l op r` with a plain list beside a TensorFlow tensor converted as TensorFlow does. */
export function tfListOperands(l: Value, r: Value): [Value, Value] {
  const convert = (side: Value, other: Value): Value => {
    const a = plainList(side);
    return a && isTf(other) ? { kind: 'array', array: besideTensor(a, other.array) as ArrayValue } : side;
  };
  return [convert(l, r), convert(r, l)];
}

/** The argument of a TensorFlow float function (softmax): a plain list becomes float32, or unknown when all integers. */
export function tfFloatArgument(path: string, v: Value): Value {
  const a = libraryPath(path).startsWith('tf.') ? plainList(v) : null;
  if (!a) return v;
  if (integral(a)) return unknown;
  return { kind: 'array', array: asTfTensor(a, 'float32') };
}
