/**
 * Value evaluation for arrays: constructors (`torch.tensor`, `np.array`, `tf.tensor2d`,
 * `new Float32Array`), dtype conversions (`.float()`, `.double()`, `.long()`, `.to(dtype)`),
 * wrappers that keep the values (`.cuda()`, `.detach()`), reshapes, softmax-type transforms over
 * the class dimension, and arithmetic with a number. What is not modelled returns an opaque array
 * (still tied to its literal) or unknown, never made-up values.
 */
import { isTfTensor } from './tfLists';
import type { DType } from '../types';
import { argumentValue, opaqueCall, type CallNode, type Evaluation } from './evaluation';
import type { Node } from './expr';
import { displayName, dtypeNames } from './names';
import { truncatedToIntegers } from './intCasts';
import { materialise } from './tensorIndex';
import { jsTensorRead } from './jsReads';
import { narrowNamed, typedTensorDtype, type NarrowInt } from './narrowInts';
import { tensorMethod } from './tensorMethods';
import { maskMethod } from './maskPicks';
import { libraryConstructed, libraryDtype, takesDtypeSecond } from './recognisers/constructors';
import { libraryPath } from './recognisers/paths';
import { shapeFor, shapedMaker, typedDataShape } from './shapedArrays';
import { tinygradAxis, tinygradMethod } from './recognisers/tinygrad';
import {
  inDtype,
  inHalf,
  isLossy,
  unknown,
  unknownLossy,
  siteArray,
  withArray,
  type ArrayTransform,
  type ArrayValue,
  type Value,
} from './values';

/** The array a literal site holds, as written (before any constructor). */
export function literalArray(ev: Evaluation, siteId: number): ArrayValue {
  return siteArray(ev.ctx.sites[siteId]);
}

/** The half-precision dtype a value names (`torch.float16`, `torch.half`, `'bfloat16'`, `np.float16`), or null. */
export function halfNamed(v: Value): 'float16' | 'bfloat16' | null {
  const name = v.kind === 'namespace' ? v.path : v.kind === 'string' ? v.value : '';
  const last = name.slice(name.lastIndexOf('.') + 1);
  if (last === 'bfloat16' || last === 'BFloat16Tensor') return 'bfloat16';
  return last === 'float16' || last === 'half' || last === 'HalfTensor' ? 'float16' : null;
}

/** The dtype a value names (`torch.float64`, `'float32'`, `np.int64`), or null. */
export function dtypeNamed(v: Value): DType | 'int' | null {
  if (v.kind === 'namespace') return dtypeNames.get(v.path) ?? libraryDtype(v.path) ?? null;
  if (v.kind === 'string') return dtypeNames.get(v.value) ?? null;
  return null;
}

/**
 * softmax / log_softmax over `dim` (torch's implicit dim when null; -2 marks scipy's default
 * axis). Only the class dimension is modelled, once: anything else is an opaque array.
 */
export function transformed(a: ArrayValue, kind: 'softmax' | 'log_softmax', dim: number | null): Value {
  const nd = a.shape.length;
  // torch's implicit dim (_get_softmax_dim): 0 for 0-, 1- and 3-D inputs, else 1.
  const d =
    dim === null
      ? nd === 0 || nd === 1 || nd === 3
        ? 0
        : 1
      : dim === -2
        ? nd === 1
          ? 0
          : 1
        : dim < 0
          ? dim + nd
          : dim;
  const classDim = nd === 1 ? 0 : 1;
  if (d !== classDim) return { kind: 'opaqueArray', from: a, why: `${kind} over dimension ${d} is not modelled` };
  const base = a.transform !== null ? materialise(a) : a;
  return { kind: 'array', array: withArray(base, { transform: kind, name: a.name }) };
}

/** `torch.log(p)` / `np.log(p)` of softmax output: log-probabilities as the code computes them. */
export function logOfSoftmax(a: ArrayValue): Value | null {
  if (a.transform !== 'softmax') return null;
  const transform: ArrayTransform = 'log_of_softmax';
  return { kind: 'array', array: withArray(a, { transform, name: a.name }) };
}

/** A method called on an array value. */
export function arrayMethod(
  ev: Evaluation,
  receiver: ArrayValue,
  name: string,
  call: CallNode,
  rebind: (v: ArrayValue) => void,
): Value {
  const a = receiver;
  const read = jsTensorRead(ev, a, name, call);
  if (read) return read;
  const masked = maskMethod(a, name, call);
  if (masked) return masked;
  // TensorFlow 1.x: `t.eval()` runs t in the default session and gives its numbers as an ndarray.
  if (name === 'eval' && isTfTensor(a) && call.args.length === 0 && call.keywords.every((k) => k.name === 'session'))
    return { kind: 'array', array: { ...a, container: 'ndarray' } };
  if (a.tensorOf === 'tinygrad') {
    const axis = name === 'log_softmax' || name === 'softmax' ? tinygradAxis(ev, call) : undefined;
    if (axis !== undefined) return axis === null ? unknown : transformed(a, name as 'softmax', axis);
    const loss = tinygradMethod(ev, name, call);
    if (loss) return loss;
  }
  switch (name) {
    case 'float':
      return retyped(a, 'float32');
    case 'half':
      return halved(retyped(a, 'float32'), 'float16');
    case 'bfloat16':
      return halved(retyped(a, 'float32'), 'bfloat16');
    case 'double':
      return retyped(a, 'float64');
    case 'long':
      return retyped(a, 'int');
    case 'int':
    case 'short':
    case 'char':
      if (a.container !== 'tensor') return retyped(a, 'int');
      return narrowed(retyped(a, 'int'), name === 'int' ? 'Int' : name === 'short' ? 'Short' : 'Char');
    case 'to':
    case 'type':
    case 'astype':
      return converted(ev, a, name, call);
    case 'detach':
    case 'clone':
      return { kind: 'array', array: a.gradLeaf ? { ...a, gradLeaf: undefined } : a };
    case 'requires_grad_':
      // `.requires_grad_(False)` only; anything else (no argument, True, a name) may set it.
      return { kind: 'array', array: { ...a, gradLeaf: !knownFalse(ev, call.args[0]) || undefined } };
    case 'cuda':
    case 'cpu':
    case 'contiguous':
    case 'copy':
      return { kind: 'array', array: a };
    case 'numpy':
      // The same numbers, now with numpy's arithmetic.
      return { kind: 'array', array: a.container === 'tensor' ? { ...a, container: 'ndarray' } : a };
    case 'tolist':
      // Python ints: whatever width the array had, torch.tensor of them is int64.
      return { kind: 'array', array: a.narrowInt ? { ...a, narrowInt: undefined } : a };
    case 'log':
      if (a.transform === 'softmax') return logOfSoftmax(a) as Value;
      return (
        tensorMethod(ev, a, name, call, rebind) ?? { kind: 'opaqueArray', from: a, why: '`.log()` is not modelled' }
      );
    case 'log_softmax':
    case 'softmax': {
      const d = argumentValue(ev, call, { position: 0, keyword: 'dim' });
      return transformed(a, name, d.kind === 'number' ? d.value : null);
    }
    case 'view':
    case 'reshape':
    case 'unsqueeze':
    case 'squeeze':
    case 'flatten':
      return reshaped(ev, a, name, call);
    default: {
      const v = tensorMethod(ev, a, name, call, rebind);
      if (v) return v;
      opaqueCall(ev, call, false);
      return { kind: 'opaqueArray', from: a, why: `\`.${name}()\` is not modelled` };
    }
  }
}

/**
 * `.to(…)`, `.type(…)`, `.astype(…)`: to a dtype named (`torch.int32`, `'i4'`, `torch.IntTensor`),
 * to another array's dtype (`.to(other)`), or left as it is (a device, something not read).
 */
function converted(ev: Evaluation, a: ArrayValue, name: string, call: CallNode): Value {
  const kw = call.keywords.find((k) => k.name === 'dtype');
  let arg = kw ? ev.evaluate(kw.value) : argumentValue(ev, call, { position: 0 });
  // `.to(device, torch.int32)`: the dtype second.
  if (!kw && name === 'to' && !dtypeOf(arg) && call.args[1]) arg = ev.evaluate(call.args[1]);
  const dt = dtypeOf(arg);
  const half = halfNamed(arg);
  if (!dt && half) return halved(retyped(a, 'float32'), half);
  if (dt) return narrowed(halved(retyped(a, dt), half), narrowNamed(arg));
  if (name === 'to' && arg.kind === 'array' && a.container === 'tensor' && arg.array.container === 'tensor') {
    const o = arg.array;
    if (o.halfPrecision) return halved(retyped(a, 'float32'), o.halfPrecision);
    return o.integerTensor ? narrowed(retyped(a, 'int'), o.narrowInt ?? null) : retyped(a, o.dtype ?? 'float32');
  }
  return { kind: 'array', array: a };
}

/** The dtype a value names, typed tensor classes (`torch.LongTensor`, `'torch.FloatTensor'`) among them. */
function dtypeOf(v: Value): DType | 'int' | null {
  const typed =
    v.kind === 'namespace' || v.kind === 'string' ? typedTensorDtype(v.kind === 'string' ? v.value : v.path) : null;
  return typed ?? dtypeNamed(v);
}

/**
 * The converted array marked as held in half precision (`half`), its numbers rounded to it as torch
 * stores them (so that `.half().float()` computes on the rounded values), or no longer so (null).
 */
function halved(v: Value, half: 'float16' | 'bfloat16' | null): Value {
  if (v.kind !== 'array' || (v.array.halfPrecision ?? null) === half) return v;
  if (!half) return { kind: 'array', array: { ...v.array, halfPrecision: undefined } };
  const data = v.array.data ? inHalf(v.array.data, half) : null;
  return { kind: 'array', array: { ...v.array, halfPrecision: half, data, derived: true, view: undefined } };
}

/** The converted integer array marked as a narrow torch integer tensor (`narrow`), or left as it is (null). */
function narrowed(v: Value, narrow: NarrowInt | null): Value {
  return narrow && v.kind === 'array' && v.array.integerTensor
    ? { kind: 'array', array: { ...v.array, narrowInt: narrow } }
    : v;
}

/** The array converted to another dtype. */
export function retyped(a: ArrayValue, dt: DType | 'int'): Value {
  if (dt === 'int')
    return truncatedToIntegers(
      withArray(a, {
        integerTensor: true,
        halfPrecision: undefined,
        narrowInt: undefined,
        dtype: null,
        dtypeSource: 'explicit',
        name: a.name,
        view: a.terms ? a.view : undefined,
      }),
    );
  // float32 → float64 keeps the float32-rounded values (torch.tensor([0.1]).double() is not 0.1).
  const data = a.dtype === 'float32' && dt === 'float64' && a.data ? inDtype(a.data, 'float32') : a.data;
  return {
    kind: 'array',
    array: withArray(a, {
      integerTensor: false,
      halfPrecision: undefined,
      narrowInt: undefined,
      dtype: dt,
      dtypeSource: 'explicit',
      name: a.name,
      data,
      derived: a.derived || data !== a.data,
      // Converted numbers are a source of their own (unless a formula's terms describe them).
      view: a.terms ? a.view : undefined,
    }),
  };
}

function reshaped(ev: Evaluation, a: ArrayValue, name: string, call: CallNode): Value {
  const total = a.data ? a.data.length : -1;
  let shape: number[] | null = null;
  // `x.flatten(1)` keeps the dimensions before its start: only the whole flatten is modelled.
  if (name === 'flatten') shape = call.args.length || call.keywords.length ? null : [total];
  else if (name === 'squeeze') {
    const d = argumentValue(ev, call, { position: 0, keyword: 'dim' });
    shape =
      d.kind === 'number'
        ? a.shape.filter((s, i) => !(s === 1 && (i === d.value || i === d.value + a.shape.length)))
        : a.shape.filter((s) => s !== 1);
  } else if (name === 'unsqueeze') {
    const d = argumentValue(ev, call, { position: 0, keyword: 'dim' });
    if (d.kind === 'number') {
      const at = d.value < 0 ? d.value + a.shape.length + 1 : d.value;
      shape = a.shape.slice();
      shape.splice(at, 0, 1);
    }
  } else {
    let dims: number[];
    const values = call.args.map((x) => ev.evaluate(x));
    const only = values.length === 1 ? values[0] : null;
    if (only?.kind === 'sequence') dims = only.items.map((x) => (x.kind === 'number' ? x.value : NaN));
    else if (only?.kind === 'array' && only.array.data) {
      dims = Array.from(only.array.data);
      ev.ctx.usedSites.add(only.array.site.id);
    } else dims = values.map((x) => (x.kind === 'number' ? x.value : NaN));
    const known = dims.filter((x) => x !== -1).reduce((p, x) => p * x, 1);
    if (dims.every((x) => Number.isInteger(x)) && dims.filter((x) => x === -1).length <= 1 && total >= 0) {
      shape = dims.map((x) => (x === -1 ? total / known : x));
    }
  }
  if (!shape || shape.reduce((p, x) => p * x, 1) !== total || shape.some((s) => !Number.isInteger(s) || s < 0))
    return { kind: 'opaqueArray', from: a, why: `the shape of \`.${name}(…)\` is not known` };
  return { kind: 'array', array: withArray(a, { shape, name: a.name }) };
}

/** tf.oneHot(indices, depth), and Python's tf.one_hot(indices, depth) / jax.nn.one_hot(x, num_classes). */
export function oneHot(ev: Evaluation, call: CallNode): Value {
  let x = argumentValue(ev, call, { position: 0 });
  // TF1's `tf.one_hot(pos, depth)` of one Python integer: a 0-d index, one one-hot row.
  if (x.kind === 'number' && x.integer && ev.python && call.args[0]) x = numberArray(ev, call.args[0], x.value, true);
  const keyword = call.keywords.some((k) => k.name === 'num_classes') ? 'num_classes' : 'depth';
  const depth = argumentValue(ev, call, { position: 1, keyword });
  if (x.kind !== 'array' || depth.kind !== 'number') return unknown;
  return { kind: 'array', array: withArray(x.array, { oneHot: depth.value, name: x.array.name }) };
}

/** Constructors whose argument may be one Python number: a 0-d array of it. */
const zeroDimConstructors = /^(torch\.(tensor|as_tensor)|numpy\.(array|asarray)|tf\.(constant|convert_to_tensor))$/;

/** A 0-d array of a number written at `arg` (`torch.tensor(1)`, `tf.constant(pos)`). */
export function numberArray(ev: Evaluation, arg: Node, value: number, integer: boolean): Value {
  const site = ev.ctx.syntheticSite(arg.start, arg.end, Float64Array.of(value), [], integer, 'number');
  return { kind: 'array', array: { ...literalArray(ev, site.id), fresh: true } };
}

/** A Python `False` (or 0) written there: the only argument that surely leaves requires_grad off. */
function knownFalse(ev: Evaluation, n: Node | undefined): boolean {
  if (!n) return false;
  const v = ev.evaluate(n);
  return v.kind === 'number' && v.value === 0;
}

/** torch.tensor(...), np.array(...), tf.tensor2d(...), new Float32Array(...): `path` is canonical. */
export function constructed(ev: Evaluation, path: string, call: CallNode): Value {
  const keyword =
    path.startsWith('torch') || path.startsWith('paddle') ? 'data' : path.startsWith('numpy') ? 'object' : undefined;
  let src = argumentValue(ev, call, { position: 0, keyword });
  // `torch.tensor(1)`, `np.array(0.5)`: a 0-d array of a number written in the call.
  // (`torch.Tensor(3)` and `torch.LongTensor(3)` are sizes, not data.)
  // (`tf.constant(0.5, shape=[2, 3])` fills a shape: only a number given alone, or with its dtype, is 0-d.)
  const lib = libraryPath(path);
  const alone = !lib.startsWith('tf.') || (call.args.length === 1 && call.keywords.every((k) => k.name === 'dtype'));
  // tfjs's `tf.scalar(0.4)`: a 0-d float32 tensor of the number (3.240).
  const zeroDim = ev.python ? alone && zeroDimConstructors.test(lib) : lib === 'tf.scalar';
  if (src.kind === 'number' && zeroDim) {
    const arg = call.args[0] ?? call.keywords[0]?.value;
    src = numberArray(ev, arg, src.value, src.integer);
  }
  // A Float32Array of a sequence of numbers ([a, b]): not an array literal.
  if (src.kind !== 'array') return isLossy(src) ? unknownLossy : unknown;
  const a = materialise(src.array);
  let dtype: DType | null = a.dtype;
  let integer = a.integerTensor;
  let source: ArrayValue['dtypeSource'] = 'constructor';
  let container: ArrayValue['container'] = a.container;
  let shape = a.shape;
  const kwDtype = call.keywords.find((k) => k.name === 'dtype');
  let explicit: DType | 'int' | null = kwDtype ? dtypeNamed(ev.evaluate(kwDtype.value)) : null;
  // numpy, paddle.to_tensor, mindspore.Tensor and megengine.tensor take the dtype second too.
  if ((path.startsWith('numpy.') || takesDtypeSecond(path)) && !explicit && call.args[1])
    explicit = dtypeNamed(ev.evaluate(call.args[1]));
  const fromList = a.container === 'list' || a.container === 'json';
  switch (path) {
    case 'torch.tensor':
    case 'torch.as_tensor':
      container = 'tensor';
      if (fromList) {
        integer = a.site.integral && !a.derived;
        dtype = integer ? null : 'float32';
      }
      break;
    case 'torch.Tensor':
    case 'torch.FloatTensor':
    case 'torch.cuda.FloatTensor':
    case 'torch.HalfTensor':
    case 'torch.BFloat16Tensor':
    case 'torch.cuda.HalfTensor':
      container = 'tensor';
      integer = false;
      dtype = 'float32';
      break;
    case 'torch.DoubleTensor':
    case 'torch.cuda.DoubleTensor':
      container = 'tensor';
      integer = false;
      dtype = 'float64';
      break;
    case 'torch.LongTensor':
    case 'torch.IntTensor':
    case 'torch.ShortTensor':
    case 'torch.ByteTensor':
    case 'torch.CharTensor':
    case 'torch.cuda.LongTensor':
    case 'torch.cuda.IntTensor':
      container = 'tensor';
      integer = true;
      dtype = null;
      break;
    case 'torch.from_numpy':
      container = 'tensor';
      if (fromList) {
        integer = a.site.integral;
        dtype = integer ? null : 'float64';
      }
      break;
    case 'numpy.array':
    case 'numpy.asarray':
    case 'numpy.asanyarray':
    case 'numpy.ascontiguousarray':
      container = 'ndarray';
      if (fromList) {
        integer = a.site.integral && !a.derived;
        dtype = integer ? null : 'float64';
      }
      break;
    case 'tf.tensor':
    case 'tf.tensor1d':
    case 'tf.tensor2d':
    case 'tf.tensor3d':
    case 'tf.tensor4d':
    case 'tf.scalar': {
      container = 'tf';
      const flat = path === 'tf.tensor1d' || path === 'tf.scalar';
      const dt = argumentValue(ev, call, { position: flat ? 1 : 2 });
      integer = dt.kind === 'string' && /int|bool/.test(dt.value);
      dtype = integer ? null : 'float32';
      if (dt.kind === 'string') source = 'explicit';
      const sh = flat ? unknown : argumentValue(ev, call, { position: 1 });
      if (sh.kind === 'array' && sh.array.data) {
        ev.ctx.usedSites.add(sh.array.site.id);
        const dims = Array.from(sh.array.data);
        if (dims.reduce((p, x) => p * x, 1) === (a.data?.length ?? -1)) shape = dims;
      }
      break;
    }
    default: {
      const made = shapedMaker(path);
      if (made !== undefined) {
        // Flat data and its shape beside it (shapedArrays.ts).
        const sh = a.shape.length === 1 ? shapeFor(ev, path, call, a.data?.length ?? -1) : 'the data is not flat';
        if (typeof sh === 'string') return { kind: 'opaqueArray', from: a, why: sh };
        if (made === 'int' && a.data?.some((x) => !Number.isInteger(x)))
          return { kind: 'opaqueArray', from: a, why: 'an integer array of fractions' };
        [shape, container, integer, source] = [sh, 'tensor', made === 'int', 'explicit'];
        dtype = made === 'int' ? null : made;
        break;
      }
      const lib = libraryConstructed(path, a, fromList);
      if (lib) {
        ({ container, integer, dtype } = lib);
        const given = typedDataShape(ev, path, call, a);
        if (typeof given === 'string') return { kind: 'opaqueArray', from: a, why: given };
        shape = given ?? shape;
        break;
      }
      // Typed arrays and Array.from.
      container = path === 'Array.from' ? a.container : 'typed';
      integer = !path.startsWith('Float') && path !== 'Array.from';
      dtype = integer ? null : path.startsWith('Float64') ? 'float64' : path === 'Array.from' ? a.dtype : 'float32';
      break;
    }
  }
  // `tf.constant([...9 numbers], shape=[3, 3])`: the values are laid out in that shape. A shape this
  // does not fit (a fill, a broadcast) or cannot read is not guessed.
  const shapeKw = call.keywords.find((k) => k.name === 'shape');
  if (shapeKw) {
    const sh = ev.evaluate(shapeKw.value);
    const dims = sh.kind === 'array' && sh.array.data ? Array.from(sh.array.data) : null;
    if (!dims || dims.reduce((p, x) => p * x, 1) !== (a.data?.length ?? -1))
      return { kind: 'opaqueArray', from: a, why: 'the shape= argument of this constructor is not modelled' };
    if (sh.kind === 'array') ev.ctx.usedSites.add(sh.array.site.id);
    shape = dims;
  }
  let data = a.data;
  if (explicit) {
    source = 'explicit';
    // A float32 source converted to float64 keeps its float32-rounded values.
    if (explicit === 'float64' && a.dtype === 'float32' && data && !fromList) data = inDtype(data, 'float32');
    integer = explicit === 'int';
    dtype = explicit === 'int' ? null : explicit;
  }
  let out: ArrayValue = { ...a, data, container, dtype, integerTensor: integer, dtypeSource: source, shape };
  // `torch.LongTensor([0.5])`, `np.array([1.7], dtype=int)`: the numbers are truncated toward zero
  // (torch's and numpy's rule; other libraries' integer arrays keep theirs).
  if (integer && /^(?:torch|numpy)\./.test(path)) {
    const dn = kwDtype ? ev.evaluate(kwDtype.value) : unknown;
    const uint8 = dn.kind === 'namespace' ? /uint8$/.test(dn.path) : dn.kind === 'string' && dn.value === 'uint8';
    const cast = truncatedToIntegers(out, /ByteTensor$/.test(path) || uint8);
    if (cast.kind !== 'array') return cast;
    out = cast.array;
  }
  const half = /(?:^|\.)(?:Half|BFloat16)Tensor$/.test(path)
    ? path.endsWith('HalfTensor')
      ? 'float16'
      : 'bfloat16'
    : halfNamed(kwDtype ? ev.evaluate(kwDtype.value) : call.args[1] && explicit ? ev.evaluate(call.args[1]) : unknown);
  out.halfPrecision = half ?? (explicit ? undefined : a.halfPrecision);
  // A narrow integer dtype (`dtype=torch.int32`, `dtype=np.int32`, `torch.IntTensor`): a typed class
  // or an explicit dtype decides it; else torch and numpy keep the source's, other libraries clear it.
  const named = kwDtype ? ev.evaluate(kwDtype.value) : call.args[1] && explicit ? ev.evaluate(call.args[1]) : unknown;
  out.narrowInt =
    !integer || !/^(?:torch|numpy)\./.test(path)
      ? undefined
      : typedTensorDtype(path)
        ? (narrowNamed({ kind: 'namespace', path }) ?? undefined)
        : explicit
          ? (narrowNamed(named) ?? undefined)
          : a.narrowInt;
  if (half && out.data) {
    out.data = inHalf(out.data, half);
    out.derived = true;
  }
  if (/^(?:tf|tensorflow)\./.test(path)) out.strictDtype = true;
  // `torch.tensor(..., requires_grad=True)`: a leaf that torch will not let the code change in place.
  const grad = path.startsWith('torch.') ? call.keywords.find((k) => k.name === 'requires_grad') : undefined;
  out.gradLeaf = grad && !knownFalse(ev, grad.value) ? true : undefined;
  out.tensorOf = path.startsWith('torch.')
    ? 'torch'
    : /^(?:tf|tensorflow)\./.test(path)
      ? 'tensorflow'
      : lib === 'tinygrad.Tensor'
        ? 'tinygrad'
        : undefined;
  // The constructed array is a source of its own; a formula's terms stay with its numbers.
  if (!a.terms) out.view = undefined;
  if (a.fresh) {
    const site = a.site;
    site.constructorName = displayName(path);
    site.dtype = dtype;
    site.dtypeSource = source;
    site.isIntegerTensor = integer;
    ev.ctx.setSiteSpan(site, call.start, call.end);
    if (shape !== site.shape) site.shape = shape;
  }
  return { kind: 'array', array: out };
}
