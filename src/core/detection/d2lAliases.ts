/**
 * d2l's framework aliases (docs/detection.md 4.36): `from d2l import torch as d2l` binds `d2l` to a
 * module whose `tensor`, `log`, `reduce_sum`, … are the framework's own functions, so that one
 * chapter's code runs under each framework. Mapped here to the path the framework's call has; the
 * names d2l's softmax and cross-entropy chapters use. MXNet's module is `mxnet.np`'s, which the
 * evaluator does not model: its names stay unknown (no number).
 */
const torchNames: Record<string, string> = {
  tensor: 'torch.tensor',
  log: 'torch.log',
  exp: 'torch.exp',
  reduce_sum: 'torch.sum',
  reduce_mean: 'torch.mean',
  arange: 'torch.arange',
  argmax: 'torch.argmax',
  matmul: 'torch.matmul',
  reshape: 'torch.reshape',
  zeros: 'torch.zeros',
  ones: 'torch.ones',
  concat: 'torch.cat',
  stack: 'torch.stack',
  float32: 'torch.float32',
  int32: 'torch.int32',
  int64: 'torch.int64',
};

const tfNames: Record<string, string> = {
  tensor: 'tensorflow.constant',
  log: 'tensorflow.math.log',
  exp: 'tensorflow.exp',
  reduce_sum: 'tensorflow.reduce_sum',
  reduce_mean: 'tensorflow.reduce_mean',
  arange: 'tensorflow.range',
  argmax: 'tensorflow.argmax',
  matmul: 'tensorflow.matmul',
  reshape: 'tensorflow.reshape',
  zeros: 'tensorflow.zeros',
  ones: 'tensorflow.ones',
  concat: 'tensorflow.concat',
  stack: 'tensorflow.stack',
  float32: 'tensorflow.float32',
  int32: 'tensorflow.int32',
  int64: 'tensorflow.int64',
};

/**
 * d2l's `jax` module (3.295): `tensor` is `jnp.array`, `log` `jnp.log`, …; its `reduce_sum`, `reduce_mean`,
 * `argmax` and `reshape` are lambdas calling the array's own method, which computes what `jnp.`'s does.
 */
const jaxNames: Record<string, string> = {
  tensor: 'jax.numpy.array',
  log: 'jax.numpy.log',
  exp: 'jax.numpy.exp',
  reduce_sum: 'jax.numpy.sum',
  reduce_mean: 'jax.numpy.mean',
  arange: 'jax.numpy.arange',
  argmax: 'jax.numpy.argmax',
  matmul: 'jax.numpy.matmul',
  reshape: 'jax.numpy.reshape',
  zeros: 'jax.numpy.zeros',
  ones: 'jax.numpy.ones',
  concat: 'jax.numpy.concatenate',
  stack: 'jax.numpy.stack',
  float32: 'jax.numpy.float32',
  int32: 'jax.numpy.int32',
  int64: 'jax.numpy.int64',
};

const modules: Record<string, Record<string, string>> = { torch: torchNames, tensorflow: tfNames, jax: jaxNames };

/** The framework's path for `d2l.torch.log`, `d2l.tensorflow.tensor`, `d2l.jax.log`, …; null for any other path. */
export function d2lAlias(path: string): string | null {
  const m = /^d2l\.(torch|tensorflow|jax)\.(\w+)$/.exec(path);
  if (!m) return null;
  const names = modules[m[1]];
  return Object.hasOwn(names, m[2]) ? names[m[2]] : null;
}
