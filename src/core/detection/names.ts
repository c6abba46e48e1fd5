/**
 * The names detection knows: modules and their usual aliases, tensor constructors, dtype
 * spellings, keywords that start Python statements, and the names that make a statement worth
 * reading at all. Tables only; what they mean is in the stages that use them.
 */
import type { DType } from '../types';
import { d2lAlias } from './d2lAliases';
import { HashSet } from './hashSet';
import { libraryJsHotNames, libraryPyHotNames } from './recognisers/names';
import { hashName } from './tokens';
import { kerasBackendAlias } from './kerasBackendNames';

/**
 * Keyword tables by name hash are {@link HashSet}s, asked for every statement and every bracket after
 * a name: a few array reads the JIT inlines, not a call into the engine's Set per question.
 */

/** Keywords that open a compound statement (its body is a block). */
export const compoundHeadHashes = new HashSet(
  [
    'if',
    'elif',
    'else',
    'for',
    'while',
    'with',
    'try',
    'except',
    'finally',
    'def',
    'class',
    'async',
    'match',
    'case',
  ].map(hashName),
);
/** Keywords that start a Python statement that is not an assignment or expression. */
export const pyStatementHashes = new HashSet(
  [
    'import',
    'from',
    'return',
    'yield',
    'if',
    'elif',
    'while',
    'for',
    'with',
    'else',
    'try',
    'except',
    'finally',
    'assert',
    'del',
    'pass',
    'global',
    'nonlocal',
    'raise',
    'break',
    'continue',
    'match',
    'case',
    'lambda',
  ].map(hashName),
);
export const defHash = hashName('def');
export const classHash = hashName('class');
export const asyncHash = hashName('async');
export const importHash = hashName('import');
export const fromHash = hashName('from');

/** Names people give a loss function they call (`criterion(x, y)`). */
export const lossFnName =
  /^(?:loss_?fn|loss_?func(?:tion)?|criterion|ce_?loss|xent|loss_?function|cross_?entropy(?:_?loss)?)$/i;
/** A name that says it holds a loss (a claim on it is a claim about a loss). */
export const lossyName = /loss|nll|xent|entropy/i;

/** Methods of a loss (or of arithmetic over losses) that keep its value (mxnet's `asscalar` / `asnumpy` too). */
export const keepsValue = new Set([
  ...['item', 'detach', 'cpu', 'numpy', 'clone', 'tolist', 'float', 'double'],
  ...['asscalar', 'asnumpy'],
]);

/** Tensor constructors (canonical paths). */
export const constructors = new Set([
  'torch.tensor',
  'torch.as_tensor',
  'torch.Tensor',
  'torch.FloatTensor',
  'torch.DoubleTensor',
  'torch.LongTensor',
  'torch.IntTensor',
  'torch.ShortTensor',
  'torch.ByteTensor',
  'torch.CharTensor',
  'torch.HalfTensor',
  'torch.BFloat16Tensor',
  'torch.cuda.FloatTensor',
  'torch.cuda.DoubleTensor',
  'torch.cuda.LongTensor',
  'torch.cuda.IntTensor',
  'torch.cuda.HalfTensor',
  'torch.from_numpy',
  'numpy.array',
  'numpy.asarray',
  'numpy.asanyarray',
  'numpy.ascontiguousarray',
  'tf.tensor',
  'tf.tensor1d',
  'tf.tensor2d',
  'tf.tensor3d',
  'tf.tensor4d',
  'tf.scalar',
  'Float32Array',
  'Float64Array',
  'Int32Array',
  'Int16Array',
  'Int8Array',
  'Uint8Array',
  'Uint16Array',
  'Uint32Array',
  'Float32Array.from',
  'Float64Array.from',
  'Int32Array.from',
  'Float32Array.of',
  'Float64Array.of',
  'BigInt64Array',
  'BigInt64Array.from',
  'BigInt64Array.of',
  'Array.from',
  'torch.as_tensor',
]);

export const dtypeNames = new Map<string, DType | 'int'>([
  ['torch.float64', 'float64'],
  ['torch.double', 'float64'],
  ['torch.float32', 'float32'],
  ['torch.float', 'float32'],
  ['torch.float16', 'float32'],
  ['torch.half', 'float32'],
  ['torch.bfloat16', 'float32'],
  ['torch.long', 'int'],
  ['torch.int64', 'int'],
  ['torch.int', 'int'],
  ['torch.int32', 'int'],
  ['torch.int16', 'int'],
  ['torch.int8', 'int'],
  ['torch.uint8', 'int'],
  ['torch.short', 'int'],
  ['numpy.float64', 'float64'],
  ['numpy.double', 'float64'],
  ['numpy.float_', 'float64'],
  ['numpy.float32', 'float32'],
  ['numpy.single', 'float32'],
  ['numpy.float16', 'float32'],
  ['numpy.half', 'float32'],
  ['numpy.int64', 'int'],
  ['numpy.int32', 'int'],
  ['numpy.int_', 'int'],
  ['numpy.intc', 'int'],
  ['numpy.longlong', 'int'],
  ['numpy.int16', 'int'],
  ['numpy.int8', 'int'],
  ['numpy.uint8', 'int'],
  ['numpy.short', 'int'],
  ['numpy.byte', 'int'],
  ['builtins.float', 'float64'],
  ['builtins.int', 'int'],
  ['float64', 'float64'],
  ['double', 'float64'],
  ['f8', 'float64'],
  ['float', 'float64'],
  ['float32', 'float32'],
  ['single', 'float32'],
  ['f4', 'float32'],
  ['float16', 'float32'],
  ['half', 'float32'],
  ['int64', 'int'],
  ['int32', 'int'],
  ['long', 'int'],
  ['int', 'int'],
  ['i8', 'int'],
  ['i4', 'int'],
  // numpy's one-letter codes (`.astype('f')`): C float, double, int, long.
  ['f', 'float32'],
  ['d', 'float64'],
  ['i', 'int'],
  ['l', 'int'],
  ['int16', 'int'],
  ['uint8', 'int'],
  ['int8', 'int'],
  ['intc', 'int'],
  ['short', 'int'],
  ['i2', 'int'],
  ['i1', 'int'],
  ['<i4', 'int'],
  ['<i2', 'int'],
  ['<i8', 'int'],
]);

/** Names that mean something without an import (common aliases in snippets). */
export const defaultNames = new Map<string, string>([
  ['torch', 'torch'],
  ['nn', 'torch.nn'],
  ['F', 'torch.nn.functional'],
  ['np', 'numpy'],
  ['numpy', 'numpy'],
  ['math', 'math'],
  ['tf', 'tf'],
  ['scipy', 'scipy'],
  // PyTorch 0.3's wrapper, written bare in pages that copy a forum answer without its imports (3.169).
  ['Variable', 'torch.autograd.Variable'],
  ['print', 'builtins.print'],
  ['sum', 'builtins.sum'],
  ['float', 'builtins.float'],
  ['int', 'builtins.int'],
  ['round', 'builtins.round'],
  ['len', 'builtins.len'],
  ['range', 'builtins.range'],
  // `list(range(len(q)))`, d2l's row index in its later editions (3.207).
  ['list', 'builtins.list'],
  ['zip', 'builtins.zip'],
  ['enumerate', 'builtins.enumerate'],
  ['abs', 'builtins.abs'],
  ['max', 'builtins.max'],
  ['min', 'builtins.min'],
  ['Float32Array', 'Float32Array'],
  ['Float64Array', 'Float64Array'],
  ['Int32Array', 'Int32Array'],
  ['Int16Array', 'Int16Array'],
  ['Int8Array', 'Int8Array'],
  ['Uint8Array', 'Uint8Array'],
  ['Uint16Array', 'Uint16Array'],
  ['Uint32Array', 'Uint32Array'],
  ['BigInt64Array', 'BigInt64Array'],
  ['Array', 'Array'],
  ['console', 'console'],
  ['Math', 'Math'],
  ['display', 'builtins.print'],
]);

/**
 * Names that make a statement worth analysing before anything is bound: functions of torch /
 * numpy / tfjs that detection models, and printing. A statement using none of them (and no bound
 * name, literal or claim) cannot matter.
 */
export const hotNames = [
  'print',
  'display',
  'console',
  // `Math.log(Math.exp(a) + Math.exp(b)) - a` over plain numbers (recognisers/floatLse.ts, 3.226).
  'Math',
  'Float32Array',
  'Float64Array',
  'Int32Array',
  'Int16Array',
  'Int8Array',
  'Uint8Array',
  'Uint16Array',
  'Uint32Array',
  'require',
  'tensor',
  'tensor1d',
  'tensor2d',
  'tensor3d',
  'tensor4d',
  'softmaxCrossEntropy',
  'oneHot',
  // `np.log`, `math.log`, and JavaScript's `Math.log` of a loss written out over numbers (3.238).
  'log',
  ...libraryJsHotNames,
];
/** Python only: in JavaScript these are everyday identifiers. */
export const pyHotNames = [
  // Calls that may change data a later loss reads (changes.ts).
  'exec',
  'eval',
  'setattr',
  'delattr',
  'sum',
  'float',
  'round',
  'Tensor',
  'FloatTensor',
  'DoubleTensor',
  'LongTensor',
  'IntTensor',
  'ShortTensor',
  'ByteTensor',
  'CharTensor',
  'HalfTensor',
  'BFloat16Tensor',
  'as_tensor',
  'from_numpy',
  'array',
  'asarray',
  'asanyarray',
  'ascontiguousarray',
  'CrossEntropyLoss',
  'NLLLoss',
  'LogSoftmax',
  'Softmax',
  'Sigmoid',
  'sigmoid',
  'expit',
  'cross_entropy',
  'nll_loss',
  'log_softmax',
  'softmax',
  'exp',
  'logsumexp',
  // TF 1's placeholders, read as the numbers their only feed gives them (tfFeeds.ts).
  'placeholder',
  // Arrays made by a call rather than written (targets built as zeros + assignments, eye/one_hot).
  'zeros',
  'ones',
  'full',
  'eye',
  'identity',
  'arange',
  'zeros_like',
  'ones_like',
  'one_hot',
  'stack',
  'cat',
  'Variable',
  'range',
  ...libraryPyHotNames,
];
export const allHotNames = new Set([...hotNames, ...pyHotNames]);

/**
 * OneFlow's tensor functions and modules that are torch's (OneFlow's API mirrors torch's, names,
 * arguments and defaults; its tensors compute as torch's float32 ones): read by torch's paths. Its
 * losses keep their own entries (recognisers/oneflow.ts), its constructors their own rule.
 */
const oneflowAsTorch = new Set(
  [
    ...['log_softmax', 'softmax', 'log', 'exp', 'sum', 'mean', 'neg', 'sigmoid', 'gather', 'logsumexp'],
    ...['cat', 'concat', 'stack', 'argmax', 'max', 'min', 'clamp', 'clip', 'zeros', 'ones', 'eye', 'arange'],
    ...['nn.functional.log_softmax', 'nn.functional.softmax', 'nn.functional.one_hot', 'nn.functional.sigmoid'],
    ...['nn.LogSoftmax', 'nn.Softmax', 'nn.Sigmoid'],
  ].map((f) => 'oneflow.' + f),
);

/** Canonical module path: aliases of the same thing compare equal. */
export function canonical(path: string): string {
  // TF 1's API kept in TF 2 (`import tensorflow.compat.v1 as tf`): names whose v1 meaning is TF 2's.
  if (path.startsWith('tensorflow.compat.v1.') && tfV1AsTf.has(path.slice(21))) return 'tensorflow.' + path.slice(21);
  if (oneflowAsTorch.has(path)) return 'torch.' + path.slice(8);
  if (path.startsWith('torch.nn.modules.loss.')) return 'torch.nn.' + path.slice(22);
  if (path.startsWith('torch.nn.modules.activation.')) return 'torch.nn.' + path.slice(28);
  if (path.startsWith('@tensorflow/'))
    return 'tf' + path.slice(path.indexOf('.') >= 0 ? path.indexOf('.') : path.length);
  if (path === 'torch.special.log_softmax') return 'torch.log_softmax';
  if (path === 'torch.special.softmax') return 'torch.softmax';
  if (path.startsWith('np.')) return 'numpy.' + path.slice(3);
  // An MLX port's index: core's functions at its top, `nn` beside them (jsStatements.ts, 3.408).
  if (path.startsWith('mlx.flat.')) return (/^mlx\.flat\.nn(?:\.|$)/.test(path) ? 'mlx.' : 'mlx.core.') + path.slice(9);
  if (path.startsWith('d2l.')) return d2lAlias(path) ?? path;
  if (path.includes('.backend.')) return kerasBackendAlias(path) ?? path;
  return path;
}

/**
 * Names of `tensorflow.compat.v1` that are the same functions (or dtypes) as `tensorflow.`'s, read by
 * the same entries (docs/detection.md 3.95). Its `losses`, `metrics` and the `nn` cross-entropies keep
 * their own (TF 1) paths, and every other name stays unknown.
 */
const tfV1AsTf = new Set([
  'constant',
  'convert_to_tensor',
  'placeholder',
  'Session',
  'InteractiveSession',
  'log',
  'exp',
  'reduce_sum',
  'reduce_mean',
  'multiply',
  'add',
  'subtract',
  'divide',
  'one_hot',
  'argmax',
  // constructors and element-wise functions with the same arguments in both APIs (3.330)
  'ones_like',
  'zeros_like',
  'ones',
  'zeros',
  'cast',
  'reshape',
  'stack',
  'concat',
  'clip_by_value',
  'sigmoid',
  'nn.sigmoid',
  'math.sigmoid',
  'float32',
  'float64',
  'int32',
  'int64',
  'nn.softmax',
  'nn.log_softmax',
  'math.log',
  'math.exp',
  'math.reduce_sum',
  'math.reduce_mean',
  'math.multiply',
]);

/** How a canonical path is written in messages (`np.array`). */
export function displayName(path: string): string {
  // A test helper read by its name (shapedArrays.ts), mlx-node's array class.
  if (path.startsWith('shaped.')) return path.slice(7);
  if (path.startsWith('mlx.MxArray.')) return path.slice(4);
  return path.startsWith('numpy.') ? 'np.' + path.slice(6) : path;
}

/** Names after which `[`/`(` starts a value, not a subscript/call; `/` starts a regex in JS. */
const pyKeywords = new Set([
  'return',
  'in',
  'and',
  'or',
  'not',
  'is',
  'if',
  'else',
  'elif',
  'yield',
  'lambda',
  'await',
  'assert',
  'del',
  'for',
  'while',
  'print',
  'from',
  'import',
  'with',
  'as',
  'raise',
  'except',
]);
const jsKeywords = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
  'export',
  'default',
  'extends',
]);

/** Hashes of the names after which a bracket starts a value (tokenizer.ts). */
export const pyKeywordHashes = new HashSet([...pyKeywords].map(hashName));
export const jsKeywordHashes = new HashSet([...jsKeywords].map(hashName));
/** TS `x as T` / `x satisfies T` continue a statement across a line break. */
export const hashAs = hashName('as');
export const hashSatisfies = hashName('satisfies');

/** The user-code entry a function's name says it is (`nll_loss`, `cross_entropy`), if any. */
export function userLoss(name: string): 'user.nll' | 'user.cross_entropy' | null {
  if (/nll/i.test(name)) return 'user.nll';
  if (/cross_?entropy|ce_?loss|xent/i.test(name)) return 'user.cross_entropy';
  return null;
}
