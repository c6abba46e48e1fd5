/**
 * Library functions computed on arrays, by canonical path: numpy, torch, Python's `math` and
 * builtins, mxnet's `nd` and d2l's aliases (exp/log and friends, sum/mean/max, dot, clip,
 * logsumexp, argmax, gather/pick, stack/cat, one_hot, zeros/ones/eye/arange/range). Each follows
 * its library's dtype rules (tensorMath.ts); a call whose form is not modelled returns
 * `undefined` and is left to the caller, which never invents a number.
 */
import { clipped } from './clipSources';
import { dotProduct } from './dotProducts';
import { einsumCall } from './einsum';
import { enumerated, zipped } from './iteration';
import { argumentNode, argumentValue, type CallNode, type Evaluation } from './evaluation';
import { argmax, gather, materialise, permuted, stacked } from './tensorIndex';
import {
  computed,
  kindOf,
  libOf,
  maxComputed,
  normaliseAxes,
  operandAt,
  reduceOp,
  rounder,
  unaryOp,
  type Kind,
  type Lib,
  type SumStyle,
  type UnaryFn,
} from './tensorMath';
import { rowClass, type Term } from './terms';
import { isVariableWrapper } from './recognisers/constructors';
import { libraryPath } from './recognisers/paths';
import { filledCall, filledPaths, numberOf } from './filledArrays';
import { fedPlaceholder, tfOperatorCall } from './tfFeeds';
import { reluCall } from './reluCalls';
import { isMask, maskCall, maskCount } from './maskPicks';
import { kerasBackendCall } from './kerasBackend';
import { sigmoidSource } from './sigmoidElements';
import { oneHotCall, toCategorical, toCategoricalPaths } from './oneHotCalls';
import { isLossy, unknown, unknownLossy, type ArrayValue, type Value } from './values';

/**
 * A Python list given to a TensorFlow function, as `tf.convert_to_tensor` makes it (3.76): float32
 * for numbers with a fraction, int32 for whole numbers (which TensorFlow's float functions reject).
 */
export function tfTensorOf(a: ArrayValue): ArrayValue {
  if (libOf(a) !== 'list' || a.container === 'typed' || a.container === 'tf') return a;
  const integer = a.site.integral && !a.derived;
  const dtype = integer ? null : 'float32';
  return { ...a, container: 'tensor', integerTensor: integer, dtype, dtypeSource: 'constructor', strictDtype: true };
}

/** The array behind a value for `lib`'s function (lists become ndarrays for numpy), materialised. */
function arrayArg(v: Value, lib: Lib, tf = false): ArrayValue | null {
  if (v.kind !== 'array') return null;
  const m = materialise(v.array);
  const a = tf ? tfTensorOf(m) : m;
  // TensorFlow's float functions reject an int32 tensor (`tf.math.log([1, 2])` raises).
  if (a !== m && a.integerTensor) return null;
  if (libOf(a) === 'list' && lib === 'numpy' && a.container !== 'typed' && a.container !== 'tf')
    return {
      ...a,
      container: 'ndarray',
      dtype: kindOf(a) === 'int' ? null : 'float64',
      integerTensor: kindOf(a) === 'int',
    };
  if (libOf(a) === 'list' && lib !== 'python') return null;
  return a;
}

const unaryFns: Record<string, [UnaryFn, Lib]> = {};
for (const [lib, prefix] of [
  ['numpy', 'numpy.'],
  ['torch', 'torch.'],
  ['python', 'math.'],
  ['torch', 'mxnet.nd.'],
  // jax.numpy keeps float32 as float32 (x64 off), as torch does.
  ['torch', 'jax.numpy.'],
] as const) {
  for (const fn of ['log', 'exp', 'sqrt', 'abs', 'log2', 'log10', 'log1p', 'square'] as const)
    unaryFns[prefix + fn] = [fn, lib];
}
// TensorFlow (Python): tf.constant makes a float32 tensor that computes as torch's does.
for (const fn of ['log', 'exp'] as const) {
  unaryFns[`tf.${fn}`] = [fn, 'torch'];
  unaryFns[`tf.math.${fn}`] = [fn, 'torch'];
}
// The logistic function: torch's (float32 stays float32) and scipy's expit (numpy's dtype rules).
for (const path of ['torch.sigmoid', 'torch.nn.functional.sigmoid', 'torch.special.expit'])
  unaryFns[path] = ['sigmoid', 'torch'];
unaryFns['scipy.special.expit'] = ['sigmoid', 'numpy'];
// TensorFlow's and Keras's logistic function on a float32 tensor, computed as torch's (as tf.nn.softmax is, 3.135).
for (const path of ['tf.sigmoid', 'tf.nn.sigmoid', 'tf.math.sigmoid', 'tf.keras.activations.sigmoid'])
  unaryFns[path] = ['sigmoid', 'torch'];
unaryFns['numpy.negative'] = ['neg', 'numpy'];
unaryFns['torch.neg'] = ['neg', 'torch'];
unaryFns['torch.negative'] = ['neg', 'torch'];
// JavaScript's Math of one element (a number read from an array or a tensor): doubles, as Python's math.
for (const fn of ['log', 'exp', 'sqrt', 'abs', 'log2', 'log10', 'log1p'] as const)
  unaryFns[`Math.${fn}`] = [fn, 'python'];
unaryFns['builtins.abs'] = ['abs', 'python'];
unaryFns['numpy.fabs'] = ['abs', 'numpy'];

/** torch's vectorised float32 loop (16 elements or more) may round a sigmoid up to 3 ulps apart. */
const maxScalarSigmoid = 15;

/**
 * The logistic function of an array under `lib`: torch computes small float32 tensors in float32
 * steps (reproduced exactly); from 16 elements its vectorised exp can round differently, so that
 * value is not given as a number (opaque, with the reason) rather than a few ulps off.
 */
export function sigmoidOf(a: ArrayValue, lib: Lib): Value {
  const out = unaryOp('sigmoid', a, lib);
  if (!out) return unknown;
  if (out.dtype === 'float32' && libOf(a) === 'torch' && (a.data?.length ?? 0) > maxScalarSigmoid)
    return {
      kind: 'opaqueArray',
      from: a,
      why: "torch's vectorised sigmoid of 16 or more float32 numbers is not reproduced exactly",
    };
  return { kind: 'array', array: out };
}

/** `math.log`, `np.log2`, …: an elementwise function of its one argument, with no other effect. */
export function isElementwiseFunction(path: string): boolean {
  return Object.hasOwn(unaryFns, path);
}

const reductions: Record<string, ['sum' | 'mean' | 'max' | 'min', SumStyle]> = {
  'numpy.sum': ['sum', 'numpy'],
  'numpy.mean': ['mean', 'numpy'],
  'numpy.average': ['mean', 'numpy'],
  'numpy.max': ['max', 'numpy'],
  'numpy.amax': ['max', 'numpy'],
  'numpy.min': ['min', 'numpy'],
  'numpy.amin': ['min', 'numpy'],
  'torch.sum': ['sum', 'torch'],
  'torch.mean': ['mean', 'torch'],
  'tf.reduce_sum': ['sum', 'torch'],
  'tf.math.reduce_sum': ['sum', 'torch'],
  'tf.reduce_mean': ['mean', 'torch'],
  'tf.math.reduce_mean': ['mean', 'torch'],
  'mxnet.nd.sum': ['sum', 'torch'],
  'mxnet.nd.mean': ['mean', 'torch'],
  // jax.numpy reduces float32 in float32 (x64 off), as torch does (d2l's jax tab, 3.295).
  'jax.numpy.sum': ['sum', 'torch'],
  'jax.numpy.mean': ['mean', 'torch'],
};

/** The keywords a reduction is read with; another (`where=`, `initial=`, `out=`) changes what it sums. */
const reductionKeywords = new Set(['axis', 'dim', 'keepdims', 'keepdim', 'dtype']);
const tfOneWords = new Set(['reduction_indices', 'keep_dims']);

/** `axis=` / `dim=` of a reduction (second positional), with keepdims; null for what is not modelled. */
export function reductionArgs(
  ev: Evaluation,
  call: CallNode,
  position: number,
  tf = false,
): { axis: number | number[] | null; keepdim: boolean } | null {
  // TensorFlow 1's `reduction_indices=` / `keep_dims=` (3.221): the old names of `axis=` / `keepdims=`.
  const words = (k: { name: string }) => reductionKeywords.has(k.name) || (tf && tfOneWords.has(k.name));
  if (!call.keywords.every(words)) return null;
  const named = (w: string) => call.keywords.some((k) => k.name === w);
  // Both names of one argument: TensorFlow raises.
  if (named('reduction_indices') && (named('axis') || call.args.length > position)) return null;
  if (named('keep_dims') && named('keepdims')) return null;
  const node =
    argumentNode(call, { position, keyword: 'axis' }) ??
    argumentNode(call, { position: -1, keyword: 'dim' }) ??
    (tf ? argumentNode(call, { position: -1, keyword: 'reduction_indices' }) : undefined);
  let axis: number | number[] | null = null;
  if (node) {
    const v = ev.evaluate(node);
    if (v.kind === 'number') axis = v.value;
    else if (v.kind === 'sequence' && v.items.every((x) => x.kind === 'number'))
      axis = v.items.map((x) => (x as { value: number }).value);
    else if (
      tf &&
      v.kind === 'array' &&
      v.array.shape.length === 1 &&
      Number.isInteger(v.array.data?.[0]) &&
      !v.array.transform
    )
      axis = [v.array.data?.[0] as number];
    else if (!(v.kind === 'unknown' && node.type === 'name' && node.id === 'None')) return null;
  }
  // TensorFlow reduces over the axes listed: one listed axis is that axis (`reduction_indices=[1]`).
  if (tf && Array.isArray(axis) && axis.length === 1) axis = axis[0];
  const kd =
    argumentNode(call, { position: -1, keyword: 'keepdims' }) ??
    argumentNode(call, { position: -1, keyword: 'keepdim' }) ??
    (tf ? argumentNode(call, { position: -1, keyword: 'keep_dims' }) : undefined);
  const keepdim = kd ? numberOf(ev.evaluate(kd)) === 1 : false;
  return { axis, keepdim };
}

/** A scalar result as a Python number when it is one (sum of a list of numbers). */
function asValue(a: ArrayValue | null, fallback: Value): Value {
  return a ? { kind: 'array', array: a } : fallback;
}

/** Python's `sum(iterable)`: left to right over the first axis, starting from 0. */
function builtinSum(a: ArrayValue): ArrayValue | null {
  if (!a.data) return null;
  if (a.shape.length === 1) return reduceOp(a, 'sum', 0, false, 'builtin');
  if (a.shape.length === 2) return reduceOp(a, 'sum', 0, false, 'builtin');
  return null;
}

/** log Σ exp over `axis`, shifted by the max (scipy's and torch's logsumexp). */
export function logSumExp(a: ArrayValue, axis: number | null, keepdim: boolean): ArrayValue | null {
  if (!a.data || a.data.length > maxComputed) return null;
  const max = reduceOp(a, 'max', axis, true, 'numpy');
  if (!max?.data) return null;
  const kind: Kind = kindOf(a) === 'int' ? (libOf(a) === 'torch' ? 'float32' : 'float64') : kindOf(a);
  const r = rounder(kind);
  const shape = a.shape;
  const axes = normaliseAxes(axis, shape.length);
  if (!axes || (shape.length === 2 && axes.length === 2)) return null;
  const classes = shape.length === 0 ? 1 : shape[shape.length - 1];
  if (shape.length === 2 && axes[0] !== 1) return null;
  const rows = shape.length === 2 ? shape[0] : 1;
  const data = new Float64Array(rows);
  const terms: (Term | null)[] = [];
  for (let n = 0; n < rows; n++) {
    const m = max.data[n];
    let s = 0;
    for (let c = 0; c < classes; c++) s += Math.exp(r(a.data[n * classes + c]) - m);
    data[n] = r(Math.log(s) + m);
    const x = operandAt(a, n * classes);
    terms.push(x && 'raw' in x && rowClass(x.raw.root, 0) ? { t: 'lse', src: x.raw.root, r: x.raw.r, fn: true } : null);
  }
  const outShape = shape.length === 2 ? (keepdim ? [rows, 1] : [rows]) : keepdim ? [1] : [];
  return computed(a, data, outShape, libOf(a) === 'list' ? 'numpy' : libOf(a), kind, terms);
}

/**
 * The value of a library call, or undefined when `path` is not one of these functions.
 * Arguments that are not arrays of the right kind give unknown (lossy when they carry a loss).
 */
export function libraryCall(ev: Evaluation, raw: string, call: CallNode): Value | undefined {
  // `import tensorflow as tf`: its math functions by their `tf.` names.
  const path = raw.startsWith('tensorflow.') ? 'tf.' + raw.slice(11) : raw;
  const first = (): Value =>
    argumentValue(ev, call, { position: 0, keyword: path.startsWith('torch') ? 'input' : undefined });
  const fallback = (v: Value): Value => (isLossy(v) ? unknownLossy : unknown);
  const tf1 = path.startsWith('tf.') ? (fedPlaceholder(ev, path, call) ?? tfOperatorCall(ev, path, call)) : null;
  if (tf1) return tf1;
  const backend = kerasBackendCall(ev, path, call);
  if (backend) return backend;
  if (toCategoricalPaths.has(libraryPath(path))) return toCategorical(ev, call);
  if (path === 'lab_utils_common.sigmoid' && call.args.length === 1 && !call.keywords.length) {
    // deeplearning.ai's course helper: z clipped to ±500, then numpy's 1 / (1 + e^−z) (sigmoidElements.ts).
    const v = first();
    const a = v.kind === 'array' ? arrayArg(v, 'numpy') : null;
    if (!a?.data || libOf(a) !== 'numpy' || a.data.some((z) => !(Math.abs(z) <= 500))) return fallback(v);
    return sigmoidSource(v) ?? sigmoidOf(a, 'numpy');
  }
  // `copy.deepcopy(crit)`: a loss module keeps no state between calls (ignite's metric does).
  if (path === 'copy.deepcopy' || path === 'copy.copy') {
    const v = first();
    if (v.kind === 'criterion' && !v.ignite && call.args.length === 1) return v;
  }
  const unary = unaryFns[path];
  if (unary) {
    const v = first();
    if (v.kind !== 'array') return undefined;
    const a = arrayArg(v, unary[1], path.startsWith('tf.'));
    if (!a) return fallback(v);
    if (unary[1] === 'python' && a.data?.length !== 1) return unknown;
    // JavaScript's Math of an array (not of one element read from it) is NaN, or a list's string;
    // a JavaScript `math` not imported is a ReferenceError, and so is a Python `Math`.
    if (path.startsWith('Math.') ? ev.python || a.shape.length !== 0 : !ev.python && path.startsWith('math.'))
      return unknown;
    if (unary[0] === 'sigmoid') return sigmoidOf(a, unary[1]);
    return asValue(unaryOp(unary[0], a, unary[1]), unknown);
  }
  if (path === 'numpy.ma.log') return maskedLog(first());
  if (path === 'tf.shape') {
    // `tf.shape(logits)[1]`: the sizes (a list's too, as TensorFlow converts it).
    const v = first();
    if (v.kind !== 'array') return fallback(v);
    return { kind: 'sequence', items: v.array.shape.map((n): Value => ({ kind: 'number', value: n, integer: true })) };
  }
  const red = reductions[path];
  if (red) {
    const v = first();
    const a = arrayArg(v, red[1] === 'numpy' ? 'numpy' : 'torch', path.startsWith('tf.'));
    if (!a) return v.kind === 'loss' ? undefined : fallback(v);
    if (red[0] === 'sum' && call.args.length === 1 && !call.keywords.length && isMask(a))
      return maskCount(a) ?? unknown;
    const args = reductionArgs(ev, call, 1, path.startsWith('tf.'));
    if (!args) return unknown;
    return asValue(reduceOp(a, red[0], args.axis, args.keepdim, red[1]), unknown);
  }
  const fill = filledPaths[path];
  if (fill) return filledCall(ev, call, fill[0], fill[1]);
  const rectified = reluCall(ev, path, call) ?? maskCall(path, call, (n) => ev.evaluate(n));
  if (rectified) return rectified;
  switch (path) {
    case 'builtins.sum': {
      const v = first();
      if (v.kind === 'sequence') return undefined;
      const a = v.kind === 'array' ? materialise(v.array) : null;
      return a ? asValue(builtinSum(a), unknown) : fallback(v);
    }
    case 'builtins.zip':
      return zipped(ev, call);
    case 'builtins.enumerate':
      return enumerated(ev, call);
    case 'builtins.len': {
      const v = first();
      if (v.kind === 'sequence') return { kind: 'number', value: v.items.length, integer: true };
      if (v.kind === 'array' && v.array.shape.length) return { kind: 'number', value: v.array.shape[0], integer: true };
      return unknown;
    }
    case 'builtins.list': {
      // `list(range(n))`: the same items; anything else is not read.
      const v = call.args.length === 1 && !call.keywords.length ? first() : unknown;
      return v.kind === 'sequence' ? v : unknown;
    }
    case 'builtins.range': {
      const nums = call.args.map((a) => numberOf(ev.evaluate(a)));
      if (nums.length === 0 || nums.length > 3 || nums.some((x) => x === null || !Number.isInteger(x))) return unknown;
      const [start, stop, step] =
        nums.length === 1
          ? [0, nums[0] as number, 1]
          : [nums[0] as number, nums[1] as number, (nums[2] ?? 1) as number];
      const n = step === 0 ? 0 : Math.max(0, Math.ceil((stop - start) / step));
      if (n > 100_000) return unknown;
      return {
        kind: 'sequence',
        items: Array.from(
          { length: n },
          (_, k) => ({ kind: 'number', value: start + k * step, integer: true }) as Value,
        ),
      };
    }
    case 'numpy.dot':
    case 'numpy.matmul':
    case 'numpy.inner':
    case 'torch.dot':
    case 'torch.matmul':
    case 'torch.mm': {
      const lib = path.startsWith('numpy') ? 'numpy' : 'torch';
      const a = arrayArg(first(), lib);
      const b = arrayArg(
        argumentValue(ev, call, { position: 1, keyword: path === 'torch.mm' ? 'mat2' : 'other' }),
        lib,
      );
      // torch.dot takes vectors only, np.inner of matrices is a @ b.T, torch.mm matrices only.
      const matrices = path !== 'torch.dot' && path !== 'numpy.inner';
      if (path === 'torch.mm' && (a?.shape.length !== 2 || b?.shape.length !== 2)) return unknown;
      return a && b ? asValue(dotProduct(a, b, matrices), unknown) : unknown;
    }
    case 'numpy.clip':
    case 'torch.clamp':
    case 'torch.clip': {
      const lib = path.startsWith('numpy') ? 'numpy' : 'torch';
      const a = arrayArg(first(), lib);
      if (!a) return unknown;
      // A bound given but not known (`K.epsilon()` after `set_epsilon`) is no clip-free number (§3.202).
      const bound = (position: number, keyword: string): number | null | undefined => {
        const node = argumentNode(call, { position, keyword });
        if (!node || (node.type === 'name' && node.id === 'None')) return null;
        return numberOf(ev.evaluate(node)) ?? undefined;
      };
      const lo = bound(1, lib === 'numpy' ? 'a_min' : 'min');
      const hi = bound(2, lib === 'numpy' ? 'a_max' : 'max');
      if (lo === undefined || hi === undefined) return unknown;
      return asValue(clipped(a, lo, hi), unknown);
    }
    case 'torch.max':
    case 'torch.min': {
      // With a dim: (values, indices); over every element: one value.
      const a = arrayArg(first(), 'torch');
      const args = reductionArgs(ev, call, 1);
      if (!a || !args || Array.isArray(args.axis)) return undefined;
      const how = path === 'torch.max' ? 'max' : 'min';
      const values = reduceOp(materialise(a), how, args.axis, args.keepdim, 'torch');
      return args.axis === null ? asValue(values, unknown) : valuesAndIndices(values);
    }
    case 'numpy.argmax':
    case 'torch.argmax':
    case 'tensorflow.argmax':
    case 'tensorflow.math.argmax':
    case 'tf.argmax':
    case 'tf.math.argmax': {
      const a = arrayArg(first(), path.startsWith('numpy') ? 'numpy' : 'torch');
      const args = reductionArgs(ev, call, 1);
      if (!a || !args || Array.isArray(args.axis)) return unknown;
      // TensorFlow's argmax without an axis reduces axis 0, never the flattened tensor.
      const tf = /^(?:tf|tensorflow)\./.test(path);
      // Where a NaN lands under TensorFlow's argmax is not documented: no index is invented for it.
      if (tf && materialise(a).data?.some((x) => x !== x)) return unknown;
      const axis = args.axis === null && tf ? 0 : args.axis;
      return asValue(argmax(a, axis, args.keepdim), unknown);
    }
    case 'torch.logsumexp':
    case 'scipy.special.logsumexp': {
      const a = arrayArg(first(), path.startsWith('scipy') ? 'numpy' : 'torch');
      const args = reductionArgs(ev, call, 1);
      if (!a || !args || Array.isArray(args.axis)) return unknown;
      return asValue(logSumExp(a, args.axis, args.keepdim), unknown);
    }
    case 'torch.gather': {
      const a = arrayArg(first(), 'torch');
      const dim = numberOf(argumentValue(ev, call, { position: 1, keyword: 'dim' }));
      const idx = arrayArg(argumentValue(ev, call, { position: 2, keyword: 'index' }), 'torch');
      return a && idx && dim !== null ? asValue(gather(a, dim, idx, false), unknown) : unknown;
    }
    case 'mxnet.nd.pick': {
      const a = arrayArg(first(), 'torch');
      const idx = arrayArg(argumentValue(ev, call, { position: 1, keyword: 'index' }), 'torch');
      const axis = argumentNode(call, { position: 2, keyword: 'axis' });
      if (axis && numberOf(ev.evaluate(axis)) !== -1 && numberOf(ev.evaluate(axis)) !== 1) return unknown;
      return a && idx ? asValue(gather(a, 1, idx, true), unknown) : unknown;
    }
    case 'torch.nn.functional.one_hot':
      return oneHotCall(ev, call);
    case 'torch.einsum':
    case 'numpy.einsum':
      return einsumCall(ev, call);
    case 'tinygrad.Tensor.stack':
      return tinygradStack(ev, call);
    case 'torch.stack':
    case 'torch.cat':
    case 'torch.concat':
    case 'numpy.stack':
    case 'numpy.concatenate':
    case 'numpy.array_stack': {
      const v = first();
      const dim = argumentNode(call, { position: 1, keyword: path.startsWith('torch') ? 'dim' : 'axis' });
      if (dim && numberOf(ev.evaluate(dim)) !== 0) return unknown;
      if (v.kind !== 'sequence' || v.items.some((x) => x.kind !== 'array')) return fallback(v);
      const items = v.items.map((x) => (x as { array: ArrayValue }).array);
      return asValue(stacked(items, !path.endsWith('stack')), unknown);
    }
    case 'tf.stack': {
      // TensorFlow's stack: axis 0, or the last axis of 1-D tensors (their stack on axis 0, transposed).
      const v = first();
      const axisNode = argumentNode(call, { position: 1, keyword: 'axis' });
      const axis = axisNode ? numberOf(ev.evaluate(axisNode)) : 0;
      if (v.kind !== 'sequence' || v.items.some((x) => x.kind !== 'array')) return fallback(v);
      const items = v.items.map((x) => (x as { array: ArrayValue }).array);
      const rows = stacked(items, false);
      if (!rows || axis === 0) return asValue(rows, unknown);
      const flat = items.every((a) => a.shape.length === 1);
      return flat && (axis === 1 || axis === -1) ? asValue(permuted(rows, [1, 0]), unknown) : unknown;
    }
    case 'torch.autograd.Variable':
    case 'torch.autograd.variable.Variable': {
      const v = first();
      return v.kind === 'array' ? v : fallback(v);
    }
    default: {
      if (!isVariableWrapper(path)) return undefined;
      const v = first();
      return v.kind === 'array' ? v : fallback(v);
    }
  }
}

/**
 * torch's `max(dim)` / `min(dim)`: the named tuple (values, indices). The indices are left unknown
 * (which of tied elements torch returns is not modelled), so only the values flow on.
 */
/**
 * tinygrad's `Tensor.stack(t0, t1, …, dim=0)` (its older `Tensor.stack([t0, t1], dim=0)`): the tensors stacked on
 * a new first axis, still tinygrad's (docs/detection.md 3.363); another dim is not modelled.
 */
function tinygradStack(ev: Evaluation, call: CallNode): Value {
  const dim = call.keywords.find((k) => k.name === 'dim')?.value;
  if (dim && numberOf(ev.evaluate(dim)) !== 0) return unknown;
  const given = call.args.map((a) => ev.evaluate(a));
  const items = given.length === 1 && given[0].kind === 'sequence' ? given[0].items : given;
  if (items.length === 0 || items.some((x) => x.kind !== 'array')) return unknown;
  const arrays = items.map((x) => (x as { array: ArrayValue }).array);
  const out = stacked(arrays, false);
  return out ? { kind: 'array', array: { ...out, container: 'tensor', tensorOf: 'tinygrad' } } : unknown;
}

export function valuesAndIndices(values: ArrayValue | null): Value {
  if (!values) return { kind: 'unknown', lossy: false };
  return {
    kind: 'sequence',
    items: [
      { kind: 'array', array: values },
      { kind: 'unknown', lossy: false },
    ],
    names: ['values', 'indices'],
  };
}

/**
 * `np.ma.log(p)`: the log where p > 0, the other elements masked (`.filled(0)` then puts 0 there).
 * Of positive numbers only it is `np.log(p)` with nothing masked, and that is what is computed;
 * with a masked element it is opaque until `.filled(v)` gives those elements a number
 * (evalSteps.ts `filledLog`): never a log of a non-positive number.
 */
function maskedLog(v: Value): Value {
  if (v.kind !== 'array') return isLossy(v) ? unknownLossy : unknown;
  const a = arrayArg(v, 'numpy');
  if (!a?.data) return unknown;
  if (a.data.some((x) => !(x > 0)))
    return {
      kind: 'opaqueArray',
      from: a,
      why: '`np.ma.log` masks its elements that are not positive (its value is known once `.filled(v)`)',
      maskedLog: true,
    };
  return asValue(unaryOp('log', a, 'numpy'), unknown);
}
