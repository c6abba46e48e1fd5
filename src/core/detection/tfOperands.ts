/**
 * Operands of elementwise arithmetic as TensorFlow sees them (docs/detection.md 3.76): a Python list
 * beside a TensorFlow tensor becomes a tensor of that tensor's dtype (`[1, 0, 0] * tf.math.log(p)`),
 * and `tf.one_hot(labels, depth)` (kept as its indices until then) becomes its float32 rows. Kept
 * apart from tensorMath.ts, which calls them, so that neither imports the other.
 */
import type { ArrayValue } from './values';

type Operand = ArrayValue | { num: number; integer: boolean };

/** Largest one-hot array written out (tensorMath's bound on computed arrays). */
const maxDense = 4_000_000;

const isArrayValue = (x: Operand): x is ArrayValue => 'site' in x;

/** A Python list beside the TensorFlow tensor `like`: a tensor of `like`'s dtype; anything else as it is. */
export function besideTensor(x: Operand, like: ArrayValue): Operand {
  if (!isArrayValue(x) || x.container !== 'list') return x;
  const integer = like.integerTensor === true;
  return { ...x, container: 'tensor', strictDtype: true, integerTensor: integer, dtype: integer ? null : like.dtype };
}

/**
 * `tf.one_hot(labels, depth)` / `jax.nn.one_hot(…)` met by arithmetic (`one_hot(t, 3) * log p`): its
 * float32 rows, a source of its own (torch's `F.one_hot` is built whole in tensorCalls.ts).
 */
export function denseOneHot(x: Operand): Operand {
  if (!isArrayValue(x) || x.oneHot === undefined || !x.data) return x;
  const C = x.oneHot;
  const idx = x.data;
  if (!Number.isInteger(C) || C <= 0 || idx.length * C > maxDense) return x;
  const data = new Float64Array(idx.length * C);
  // An index outside [0, depth) is a row of zeros in TensorFlow and JAX.
  idx.forEach((c, k) => Number.isInteger(c) && c >= 0 && c < C && (data[k * C + c] = 1));
  return {
    site: x.site,
    data,
    shape: [...x.shape, C],
    integerTensor: false,
    dtype: 'float32',
    dtypeSource: x.dtypeSource,
    container: 'tensor',
    transform: null,
    name: null,
    fresh: false,
    derived: false,
  };
}
