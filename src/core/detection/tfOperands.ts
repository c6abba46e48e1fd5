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

/**
 * A Python list beside the TensorFlow tensor `like`: the tensor TensorFlow converts it to, of `like`'s
 * dtype; a list with a fraction beside an integer tensor becomes float32, which the dtype rule then
 * refuses (TensorFlow raises). Anything else as it is. The one conversion rule for both callers
 * (tensorMath's elementwise arithmetic and tfLists' operands).
 */
export function besideTensor(x: Operand, like: ArrayValue): Operand {
  if (!isArrayValue(x) || x.container !== 'list') return x;
  const integer = like.integerTensor === true;
  const fraction = !x.site.integral || x.derived;
  const dtype = integer ? (fraction ? 'float32' : null) : (like.dtype ?? 'float32');
  return { ...x, container: 'tensor', strictDtype: true, integerTensor: dtype === null, dtype, tensorOf: 'tensorflow' };
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
