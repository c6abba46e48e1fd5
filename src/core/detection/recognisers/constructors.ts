/**
 * Tensor constructors of the libraries other than torch and numpy, and their dtype rules:
 * - `tf.constant` / `tf.convert_to_tensor` / `tf.Variable`: Python floats become float32, integers
 *   int32; a numpy array keeps its dtype (float64 stays float64);
 * - `mx.array` (MLX), `jnp.array` / `jnp.asarray` (JAX without x64): floats are float32;
 * - `flow.tensor` (OneFlow), `mindspore.Tensor` and `paddle.to_tensor` (its dtype also second): Python floats become float32, numpy arrays keep
 *   their dtype;
 * - Keras 2's `backend.variable`: float32 (floatx), integers too.
 * An explicit `dtype=` wins (arrays.ts reads it); the dtype names are below. Also the names an
 * unbound alias stands for (`mx`, `jnp`, `K`, tfjs's `tensor2d` imported by name or compiled to
 * `tfjs_core_1.tensor2d`).
 */
import type { DType } from '../../types';
import type { ArrayValue } from '../values';
import { shapedHelperAlias, shapedMaker } from '../shapedArrays';
import { libraryPath } from './paths';

interface ConstructorRule {
  /** Float numpy arrays keep their dtype (else they become float32). */
  keepsNumpyDtype: boolean;
  /** Everything becomes float32, integers too (Keras's floatx). */
  floatx?: boolean;
}

const rules = new Map<string, ConstructorRule>([
  ['tf.constant', { keepsNumpyDtype: true }],
  ['tf.convert_to_tensor', { keepsNumpyDtype: true }],
  ['tf.Variable', { keepsNumpyDtype: true }],
  // Keras 3: Python floats become floatx (float32), integers int32; numpy arrays keep their dtype.
  ['keras.ops.convert_to_tensor', { keepsNumpyDtype: true }],
  ['mlx.core.array', { keepsNumpyDtype: false }],
  ['jax.numpy.array', { keepsNumpyDtype: false }],
  ['jax.numpy.asarray', { keepsNumpyDtype: false }],
  ['oneflow.tensor', { keepsNumpyDtype: true }],
  ['oneflow.Tensor', { keepsNumpyDtype: true }],
  ['mindspore.Tensor', { keepsNumpyDtype: true }],
  // MegEngine: Python floats and float64 numpy arrays become float32 (its default float dtype).
  ['megengine.tensor', { keepsNumpyDtype: false }],
  ['megengine.Tensor', { keepsNumpyDtype: false }],
  // PaddlePaddle: Python floats become float32 (the default dtype), integers int64.
  ['paddle.to_tensor', { keepsNumpyDtype: true }],
  // tf.keras 2 / Keras 2 `backend.variable(value, dtype=None)`: a variable of floatx (float32).
  ['keras.backend.variable', { keepsNumpyDtype: false, floatx: true }],
  // Its `backend.constant(value, dtype=None)` is `tf.constant(value, dtype=floatx())` (3.223).
  ['keras.backend.constant', { keepsNumpyDtype: false, floatx: true }],
  // mxnet `nd.array(source, dtype=None)`: float32 unless the source is an NDArray, integers too.
  ['mxnet.nd.array', { keepsNumpyDtype: false, floatx: true }],
  // tinygrad `Tensor(data)`: Python floats become float32 (its default float), integers int32.
  ['tinygrad.Tensor', { keepsNumpyDtype: true }],
]);

/** Is this (raw) path one of these constructors? */
export function isLibraryConstructor(path: string): boolean {
  return rules.has(libraryPath(path)) || shapedMaker(path) !== undefined;
}

/** Container and dtype of an array made by a library constructor (before an explicit dtype=). */
export function libraryConstructed(
  path: string,
  a: ArrayValue,
  fromList: boolean,
): { container: ArrayValue['container']; integer: boolean; dtype: DType | null } | null {
  const rule = rules.get(libraryPath(path));
  if (!rule) return null;
  if (rule.floatx) return { container: 'tensor', integer: false, dtype: 'float32' };
  if (fromList) {
    const integer = a.site.integral && !a.derived;
    return { container: 'tensor', integer, dtype: integer ? null : 'float32' };
  }
  if (a.integerTensor) return { container: 'tensor', integer: true, dtype: null };
  const dtype: DType = rule.keepsNumpyDtype
    ? (a.dtype ?? (a.container === 'ndarray' ? 'float64' : 'float32'))
    : 'float32';
  return { container: 'tensor', integer: false, dtype };
}

/** dtype names of these libraries (canonical paths). */
export const libraryDtypes = new Map<string, DType | 'int'>([
  ['tf.float32', 'float32'],
  ['tf.float64', 'float64'],
  ['tf.double', 'float64'],
  ['tf.float16', 'float32'],
  ['tf.half', 'float32'],
  ['tf.bfloat16', 'float32'],
  ['tf.int32', 'int'],
  ['tf.int64', 'int'],
  ['tf.int16', 'int'],
  ['tf.int8', 'int'],
  ['tf.uint8', 'int'],
  ['mlx.core.float32', 'float32'],
  ['mlx.core.float16', 'float32'],
  ['mlx.core.bfloat16', 'float32'],
  ['mlx.core.float64', 'float64'],
  ['mlx.core.int32', 'int'],
  ['mlx.core.int64', 'int'],
  ['mlx.core.uint32', 'int'],
  ['jax.numpy.float32', 'float32'],
  ['jax.numpy.float64', 'float64'],
  ['jax.numpy.int32', 'int'],
  ['jax.numpy.int64', 'int'],
  ['oneflow.float32', 'float32'],
  ['oneflow.float', 'float32'],
  ['oneflow.float64', 'float64'],
  ['oneflow.double', 'float64'],
  ['oneflow.int32', 'int'],
  ['oneflow.int64', 'int'],
  ['oneflow.long', 'int'],
  ['mindspore.float32', 'float32'],
  ['paddle.float32', 'float32'],
  ['paddle.float64', 'float64'],
  ['paddle.int64', 'int'],
  ['paddle.int32', 'int'],
  ['mindspore.float64', 'float64'],
  ['mindspore.int32', 'int'],
  ['mindspore.int64', 'int'],
  ['megengine.float32', 'float32'],
  ['megengine.int32', 'int'],
]);

/** Constructors that take the dtype second (`Tensor(data, mindspore.float32)`). */
const dtypeSecond = new Set(['paddle.to_tensor', 'mindspore.Tensor', 'megengine.tensor', 'megengine.Tensor']);

/** Does this (raw) constructor path take its dtype as the second positional argument? */
export function takesDtypeSecond(path: string): boolean {
  return dtypeSecond.has(libraryPath(path));
}

/** Wrappers that hold an array unchanged: Chainer's and DeZero's `Variable(x)`, `as_variable(x)`. */
const wrappers = new Set(['chainer.Variable', 'chainer.as_variable', 'dezero.Variable', 'dezero.as_variable']);

/** Is this (raw) path a wrapper that keeps its array's numbers and dtype? */
export function isVariableWrapper(path: string): boolean {
  return wrappers.has(libraryPath(path));
}

/** The dtype a library's dtype constant names, or undefined. */
export function libraryDtype(path: string): DType | 'int' | undefined {
  return libraryDtypes.get(libraryPath(path));
}

const pyAliases = new Map<string, string>([
  ['keras', 'keras'],
  ['K', 'keras.backend'],
  ['tensorflow', 'tf'],
  // TensorFlow's own tests build tensors with `constant_op.constant` (tensorflow.python.framework).
  ['constant_op', 'tf'],
  ['mx', 'mlx.core'],
  ['jnp', 'jax.numpy'],
  ['jax', 'jax'],
  ['optax', 'optax'],
  ['flow', 'oneflow'],
  ['oneflow', 'oneflow'],
  ['sklearn', 'sklearn'],
  ['mge', 'megengine'],
  // MindSpore's API pages write `mindspore.float32` with the import left out (docs/detection.md 3.111).
  ['mindspore', 'mindspore'],
  // FastEstimator's docstrings call `fe.backend.…` without the import (`import fastestimator as fe`).
  ['fe', 'fastestimator'],
]);

/**
 * torch's loss classes used bare, their `from torch.nn import …` in a cell or block not shown (a
 * notebook's first cell, the import block of d2l's other tab). Read as torch's (marked as assumed)
 * only where every use in the document constructs one (`NLLLoss()`, `CrossEntropyLoss(reduction=…)`)
 * and the document defines no function or class of that name: an article's own `NLLLoss(logs,
 * targets)` defined in an earlier block is called with the tensors, and stays unknown.
 */
const bareLossClasses = new Map([
  ['CrossEntropyLoss', 'torch.nn.CrossEntropyLoss'],
  ['NLLLoss', 'torch.nn.NLLLoss'],
  ['BCELoss', 'torch.nn.BCELoss'],
  ['BCEWithLogitsLoss', 'torch.nn.BCEWithLogitsLoss'],
]);

let bareChecked: { text: string; torch: Map<string, boolean> } = { text: '', torch: new Map() };

function bareLossClass(id: string, text: string): string | undefined {
  const path = bareLossClasses.get(id);
  if (path === undefined) return undefined;
  if (bareChecked.text !== text) bareChecked = { text, torch: new Map() };
  let torch = bareChecked.torch.get(id);
  if (torch === undefined) {
    const defined = new RegExp(`^[ \\t]*(?:async[ \\t]+)?(?:def|class)[ \\t]+${id}\\b`, 'm').test(text);
    const uses = [...text.matchAll(new RegExp(`(?<![\\w.])${id}\\b(\\s*\\()?`, 'g'))];
    // A construction: no argument, or keywords only (`NLLLoss(reduction='sum')`).
    const constructs = (at: number) => /^\s*(?:\)|[A-Za-z_]\w*\s*=(?!=))/.test(text.slice(at, at + 200));
    torch = !defined && uses.length > 0 && uses.every((m) => m[1] !== undefined && constructs(m.index + m[0].length));
    bareChecked.torch.set(id, torch);
  }
  return torch ? path : undefined;
}

const jsFunctions = new Set([
  'tensor',
  'tensor1d',
  'tensor2d',
  'tensor3d',
  'tensor4d',
  'scalar',
  'oneHot',
  'zeros',
  'ones',
]);

/** Libraries with a `Tensor(data, dtype)` constructor that their examples call unbound. */
const tensorLibraries: [RegExp, string][] = [
  [/\bmindspore\b/, 'mindspore.Tensor'],
  [/\boneflow\b/, 'oneflow.Tensor'],
  [/\bmegengine\b/, 'megengine.Tensor'],
  [/\btinygrad\b/, 'tinygrad.Tensor'],
];
let lastTensorDoc: { doc: string; path: string | undefined } = { doc: '', path: undefined };

/**
 * A page that names no library but calls a loss method that only tinygrad's Tensor has on a name
 * made by `Tensor(…)` (`t = Tensor([...])` then `t.sparse_categorical_crossentropy(Y)`,
 * `t.cross_entropy(Y)`, `t.log_softmax().nll_loss(Y)`), or on an expression rooted at `Tensor` or at such a
 * name (`Tensor([[…]], device="X86").sparse_categorical_crossentropy(…)`, `Tensor.stack(t[0], t[2]).…`,
 * docs/detection.md 3.364): torch's tensors have none of these methods.
 */
function tinygradOnly(doc: string): boolean {
  const names = new Set<string>();
  for (const m of doc.matchAll(/^[ \t]*([A-Za-z_]\w*)[ \t]*=[ \t]*Tensor\(/gm)) names.add(m[1]);
  if (names.size === 0 && !/\bTensor[.(]/.test(doc)) return false;
  // One pass over the text, the receiver checked against the names `Tensor(…)` made; a receiver ending in `)`
  // is walked back (at most `reach` characters each: linear) to the name its expression starts with.
  const calls =
    /(\b[A-Za-z_]\w*|[)\]])\.(?:sparse_categorical_crossentropy\(|cross_entropy\(|log_softmax\([^()\n]*\)\.nll_loss\()/g;
  for (const m of doc.matchAll(calls)) {
    const chained = m[1] === ')' || m[1] === ']';
    const root = chained ? receiverRoot(doc, m.index) : m[1];
    if (root !== undefined && (names.has(root) || (root === 'Tensor' && chained))) return true;
  }
  return false;
}

const reach = 400;

/** The name an expression ending with the `)` at `close` starts with (`Tensor` of `Tensor.stack(a, b)`). */
function receiverRoot(doc: string, close: number): string | undefined {
  let i = close;
  const stop = Math.max(0, close - reach);
  while (i >= stop) {
    const c = doc[i];
    if (c === ')' || c === ']') {
      let depth = 0;
      for (; i >= stop; i--) {
        const d = doc[i];
        if (d === ')' || d === ']') depth++;
        else if ((d === '(' || d === '[') && --depth === 0) break;
      }
      if (i < stop) return undefined;
      i--;
      continue;
    }
    const word = /[A-Za-z_0-9]/.test(c);
    if (!word) return undefined;
    let j = i;
    while (j > stop && /[A-Za-z_0-9]/.test(doc[j - 1])) j--;
    if (doc[j - 1] === '.') {
      i = j - 2;
      continue;
    }
    return doc.slice(j, i + 1);
  }
  return undefined;
}

/**
 * An unbound `Tensor(…)`: a docstring example of MindSpore (OneFlow, MegEngine) leaves out
 * `from mindspore import Tensor`, and torch's `Tensor` is always imported or written `torch.Tensor`.
 * Read as the constructor of the one such library the document names (docs/detection.md 3.111);
 * none, or several, leave it unbound.
 */
function unboundTensor(doc: string): string | undefined {
  if (lastTensorDoc.doc !== doc) {
    const named = tensorLibraries.filter(([mention]) => mention.test(doc));
    const path =
      named.length === 1 ? named[0][1] : named.length === 0 && tinygradOnly(doc) ? 'tinygrad.Tensor' : undefined;
    lastTensorDoc = { doc, path };
  }
  return lastTensorDoc.path;
}

/**
 * The namespace an unbound name stands for in snippets that leave their imports out: Python's
 * usual aliases, and in JavaScript tfjs's functions imported by name, its module objects (`tfc`,
 * `tfl`) and the compiled module variables (`tfjs_core_1`, `tfjs_1`).
 */
export function libraryAlias(id: string, python: boolean, text?: string, doc?: string): string | undefined {
  if (python) {
    const path = pyAliases.get(id);
    if (path !== undefined) return path;
    if (id === 'Tensor') return doc || text ? unboundTensor(doc || text || '') : undefined;
    return text === undefined ? undefined : bareLossClass(id, text);
  }
  if (jsFunctions.has(id)) return `tf.${id}`;
  if (/^(?:tfc|tfl|tfjs\w*|tf_\d+|\w*tfjs\w*_\d+)$/.test(id)) return 'tf';
  if (id === 'mx') return 'mlx.core';
  return shapedHelperAlias(id);
}

/** The namespace a JavaScript module stands for: tfjs's packages are `tf`, MLX's node bindings `mlx`. */
export function jsModuleBase(module: string): string | null {
  if (module.startsWith('@tensorflow/')) return 'tf';
  if (module === '@frost-beta/mlx' || module === 'mlx' || module === '@mlx-node/core') return 'mlx';
  return null;
}
