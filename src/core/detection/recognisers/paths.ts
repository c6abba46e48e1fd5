/**
 * One spelling for the many import paths of the same library function: `tensorflow.keras.losses`,
 * `tf.keras.losses`, `keras.src.losses` and TF 2's `tf.losses` alias are all `keras.losses`;
 * `optax.losses._classification` and `optax._src.loss` are `optax`; torch has no `nn.losses`, so
 * an unbound `nn.losses.cross_entropy` is MLX's. Entries register the canonical forms only.
 */

const prefixes: [string, string][] = [
  ['tensorflow.', 'tf.'],
  ['tf.compat.v2.', 'tf.'],
  ['tf.compat.v1.', 'tf.v1.'],
  ['tf.python.framework.constant_op.', 'tf.'],
  ['tf.python.ops.losses.losses.', 'tf.v1.losses.'],
  ['tf.python.ops.losses.losses_impl.', 'tf.v1.losses.'],
  ['tf.python.keras.', 'keras.'],
  ['tf.keras.', 'keras.'],
  ['tf_keras.', 'keras.'],
  ['keras._tf_keras.keras.', 'keras.'],
  ['keras.src.', 'keras.'],
  ['keras.api.', 'keras.'],
  ['keras.losses.losses.', 'keras.losses.'],
  ['keras.backend.numpy_backend.', 'keras.backend.'],
  ['tf.math.', 'tf.'],
  ['optax.losses._classification.', 'optax.'],
  ['optax._src.loss.', 'optax.'],
  ['optax._src.losses.', 'optax.'],
  ['optax.losses.', 'optax.'],
  ['braintools.metric._classification.', 'braintools.metric.'],
  ['torch.nn.losses.', 'mlx.nn.losses.'],
  ['mlx.nn.losses.losses.', 'mlx.nn.losses.'],
  ['sklearn.metrics._classification.', 'sklearn.metrics.'],
  ['flow.', 'oneflow.'],
  ['oneflow.compatible.single_client.experimental.', 'oneflow.'],
  ['oneflow.experimental.', 'oneflow.'],
  ['oneflow.nn.modules.loss.', 'oneflow.nn.'],
  ['paddle.nn.layer.loss.', 'paddle.nn.'],
  ['paddle.nn.loss.', 'paddle.nn.'],
  ['paddle.nn.functional.loss.', 'paddle.nn.functional.'],
  ['chainer.functions.loss.softmax_cross_entropy.', 'chainer.functions.'],
  ['chainer.variable.', 'chainer.'],
  ['dezero.core_simple.', 'dezero.'],
  ['dezero.core.', 'dezero.'],
  ['mindspore.nn.loss.loss.', 'mindspore.nn.'],
  ['mindspore.nn.loss.', 'mindspore.nn.'],
  ['mindspore.ops.function.nn_func.', 'mindspore.ops.'],
  ['mindspore.ops.function.', 'mindspore.ops.'],
  ['mindspore.common.tensor.', 'mindspore.'],
  ['megengine.functional.loss.', 'megengine.functional.nn.'],
  ['megengine.tensor.', 'megengine.'],
  ['mxnet.ndarray.', 'mxnet.nd.'],
  ['mxnet.gluon.loss.loss.', 'mxnet.gluon.loss.'],
  ['classy_vision.losses.soft_target_cross_entropy_loss.', 'classy_vision.losses.'],
  ['tinygrad.tensor.', 'tinygrad.'],
];

/** Functions of TF 1's `tf.losses` that Keras has no function of the same name for. */
const tfV1Only = new Set([
  'softmax_cross_entropy',
  'sparse_softmax_cross_entropy',
  'sigmoid_cross_entropy',
  'log_loss',
]);

/**
 * Packages that copy DeZero's module layout (`dazero`, `my_dezero`, `dezero_study`: the framework of
 * "Deep Learning from Scratch 3" rebuilt by its readers) are read as DeZero.
 */
const dezeroClone = /^(?:dazero|[A-Za-z_]\w*dezero\w*|dezero\w+)\./i;

/** The canonical spelling of a library path (unchanged when no rule applies). */
export function libraryPath(path: string): string {
  let p = dezeroClone.test(path) ? 'dezero.' + path.slice(path.indexOf('.') + 1) : path;
  // A few rounds: `tensorflow.keras.` becomes `tf.keras.`, then `keras.`.
  for (let round = 0; round < 3; round++) {
    let changed = false;
    for (const [from, to] of prefixes) {
      if (p.startsWith(from)) {
        p = to + p.slice(from.length);
        changed = true;
      }
    }
    if (!changed) break;
  }
  // TF 1's weighted losses: names Keras never had, so `tf.losses.X` is `tf.compat.v1.losses.X`.
  if (p.startsWith('tf.losses.') && tfV1Only.has(p.slice('tf.losses.'.length))) return 'tf.v1.' + p.slice(3);
  // TF 2's `tf.losses` and `tf.metrics` are Keras's (tfjs spells its functions in camelCase).
  if ((p.startsWith('tf.losses.') || p.startsWith('tf.metrics.')) && /_|^[A-Z]/.test(p.slice(p.lastIndexOf('.') + 1)))
    p = 'keras.' + p.slice(3);
  return p;
}
