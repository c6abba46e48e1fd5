/**
 * Functions of these libraries that value evaluation models: softmax / log_softmax over an axis
 * (TensorFlow, JAX, MLX), and the means and sums that reduce a vector of per-example losses
 * (`tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(...))`, `mx.mean(...)`, `jnp.mean`).
 */
import type { CallNode } from '../evaluation';
import { libraryPath } from './paths';

export interface SoftmaxFunction {
  log: boolean;
  /** The axis when the code gives none: the last one, or every axis at once (MLX). */
  defaultAxis: -1 | 'all';
}

const softmaxes = new Map<string, SoftmaxFunction>([
  ['tf.nn.softmax', { log: false, defaultAxis: -1 }],
  ['tf.softmax', { log: false, defaultAxis: -1 }],
  ['tf.nn.log_softmax', { log: true, defaultAxis: -1 }],
  ['tf.log_softmax', { log: true, defaultAxis: -1 }],
  ['jax.nn.softmax', { log: false, defaultAxis: -1 }],
  ['jax.nn.log_softmax', { log: true, defaultAxis: -1 }],
  ['mlx.core.softmax', { log: false, defaultAxis: 'all' }],
  // tfjs's camel-case spelling, and mlx-node's `Activations` (the last axis; docs/detection.md 3.140).
  ['tf.logSoftmax', { log: true, defaultAxis: -1 }],
  ['mlx.Activations.softmax', { log: false, defaultAxis: -1 }],
  ['mlx.Activations.logSoftmax', { log: true, defaultAxis: -1 }],
  // Keras's activation functions (`tf.keras.activations.softmax(logits)`): the last axis unless `axis=` says (3.135).
  ['keras.activations.softmax', { log: false, defaultAxis: -1 }],
  ['keras.activations.log_softmax', { log: true, defaultAxis: -1 }],
]);

/** The softmax a (raw) path is, if any. */
export function librarySoftmax(path: string): SoftmaxFunction | undefined {
  return softmaxes.get(libraryPath(path));
}

/** A softmax layer object (`nn.LogSoftmax(dim=1)`), called later on an array. */
export interface SoftmaxModule {
  module: 'LogSoftmax' | 'Softmax';
  /** The keyword of its axis argument (first positional too). */
  keyword: string;
  /** Its axis when none is given (null: torch's implicit dim). */
  defaultDim: number | null;
}

const softmaxModules = new Map<string, SoftmaxModule>([
  ['torch.nn.LogSoftmax', { module: 'LogSoftmax', keyword: 'dim', defaultDim: null }],
  ['torch.nn.Softmax', { module: 'Softmax', keyword: 'dim', defaultDim: null }],
  ['paddle.nn.LogSoftmax', { module: 'LogSoftmax', keyword: 'axis', defaultDim: -1 }],
  ['paddle.nn.Softmax', { module: 'Softmax', keyword: 'axis', defaultDim: -1 }],
  // Keras's layer (3.76): `tf.keras.layers.Softmax()(x)`, the last axis unless `axis=` says otherwise.
  ['keras.layers.Softmax', { module: 'Softmax', keyword: 'axis', defaultDim: -1 }],
]);

/** The softmax layer a (canonical) path builds, if any. */
export function softmaxModule(path: string): SoftmaxModule | undefined {
  return softmaxModules.get(path) ?? softmaxModules.get(libraryPath(path));
}

const reducers = new Map<string, 'mean' | 'sum'>([
  ['tf.reduce_mean', 'mean'],
  ['tf.reduce_sum', 'sum'],
  ['jax.numpy.mean', 'mean'],
  ['jax.numpy.sum', 'sum'],
  ['mlx.core.mean', 'mean'],
  ['mlx.core.sum', 'sum'],
  ['numpy.mean', 'mean'],
  // `np.sum(losses)` of per-element losses: their sum, as `tf.reduce_sum` and `jnp.sum` (3.336).
  ['numpy.sum', 'sum'],
]);

/** The reduction a (raw) path applies to a vector of losses, if it is one of these functions. */
export function libraryReducer(path: string): 'mean' | 'sum' | undefined {
  return reducers.get(libraryPath(path));
}

const oneHots = new Set(['tf.one_hot', 'jax.nn.one_hot', 'keras.ops.one_hot']);

/**
 * `tf.one_hot(indices, depth)` / `jax.nn.one_hot(x, num_classes)` with nothing else: the one-hot
 * rows of those indices. Other options (on_value, off_value, axis, dtype) are not modelled.
 */
export function isLibraryOneHot(path: string, call: CallNode): boolean {
  if (!oneHots.has(libraryPath(path))) return false;
  return call.args.length <= 2 && call.keywords.every((k) => k.name === 'depth' || k.name === 'num_classes');
}

const lossModules = [
  'keras.losses.',
  'keras.metrics.',
  'optax.',
  'mlx.nn.losses.',
  'tf.nn.',
  'tf.losses.',
  'tf.metrics.',
];

/**
 * A function or class of a library's loss (or metric) module that the catalogue has no entry for
 * (`CategoricalFocalCrossentropy`, `optax.sigmoid_binary_cross_entropy`): its canonical path, so
 * that its operands are not proposed as a pair by their names; undefined for anything else.
 */
export function otherLibraryLoss(path: string): string | undefined {
  const p = libraryPath(path);
  return lossModules.some((m) => p.startsWith(m)) ? p : undefined;
}
