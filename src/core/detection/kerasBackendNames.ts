/**
 * Keras 2's backend functions that are TensorFlow's own under another name (docs/detection.md 3.223,
 * 4.62): `K.sum(x, axis, keepdims)` is `tf.reduce_sum(x, axis, keepdims)`, `K.mean` `tf.reduce_mean`,
 * `K.log` `tf.math.log`, `K.exp` `tf.exp` (Keras 2.x and tf.keras up to TF 2.15, `keras/backend.py`).
 */
const aliases: Record<string, string> = {
  sum: 'tensorflow.reduce_sum',
  mean: 'tensorflow.reduce_mean',
  log: 'tensorflow.math.log',
  exp: 'tensorflow.exp',
};

/** The TensorFlow path a Keras 2 backend function is (`keras.backend.sum` → `tensorflow.reduce_sum`), or null. */
export function kerasBackendAlias(path: string): string | null {
  const m = /^(?:tensorflow\.keras|tf\.keras|keras|tensorflow\.python\.keras|tf_keras)\.backend\.(\w+)$/.exec(path);
  return m && Object.hasOwn(aliases, m[1]) ? aliases[m[1]] : null;
}
