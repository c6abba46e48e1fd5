/**
 * Arrays a call fills (`zeros`, `ones`, `full`, `eye`, `arange`, `zeros_like`, `ones_like`, in
 * torch and numpy) with the dtype its `dtype=` names or the library's default, and the numbers and
 * shapes such calls take as arguments.
 */
import { argumentNode, argumentValue, type CallNode, type Evaluation } from './evaluation';
import { narrowNamed, type NarrowInt } from './narrowInts';
import { affordable } from './computeBudget';
import { computed, kindOf, libOf, type Kind, type Lib } from './tensorMath';
import { unknown, type ArrayValue, type Value } from './values';

/** A number a value stands for (a Python number, or a one-element array), else null. */
export function numberOf(v: Value): number | null {
  if (v.kind === 'number') return v.value;
  if (v.kind === 'array' && v.array.data?.length === 1 && v.array.transform === null) return v.array.data[0];
  return null;
}

/** Integers of a shape argument: `(2, 3)`, `[2, 3]`, `2, 3` as separate arguments. */
export function dimsOf(values: Value[]): number[] | null {
  const one = values.length === 1 ? values[0] : null;
  let dims: (number | null)[];
  if (one?.kind === 'sequence') dims = one.items.map(numberOf);
  else if (one?.kind === 'array' && one.array.data && one.array.shape.length === 1) dims = Array.from(one.array.data);
  else dims = values.map(numberOf);
  return dims.every((d) => d !== null && Number.isInteger(d) && d >= 0) ? (dims as number[]) : null;
}

/** A filled array (`zeros`, `ones`, `full`, `eye`, `arange`) at the call's span, with its own site. */
function filled(
  ev: Evaluation,
  call: CallNode,
  lib: Lib,
  kind: Kind,
  shape: number[],
  fill: (k: number) => number,
): Value {
  const size = shape.reduce((p, x) => p * x, 1);
  if (!affordable(size)) return unknown;
  const data = new Float64Array(size);
  for (let k = 0; k < size; k++) data[k] = fill(k);
  const name = ev.ctx.text.slice(call.start, Math.min(call.end, call.start + 40)).split('(')[0];
  const site = ev.ctx.syntheticSite(call.start, call.end, data, shape, kind === 'int', name);
  const base = { site } as ArrayValue;
  const out = computed(base, data, shape, lib, kind, null);
  out.derived = false;
  out.dtypeSource = 'constructor';
  out.narrowInt = (kind === 'int' && narrowArg(ev, call)) || undefined;
  return { kind: 'array', array: out };
}

/** The narrow width a call's dtype= names (`dtype=torch.int32`): undefined for another, null without one. */
function narrowArg(ev: Evaluation, call: CallNode): NarrowInt | undefined | null {
  const node = argumentNode(call, { position: -1, keyword: 'dtype' });
  return node ? (narrowNamed(ev.evaluate(node)) ?? undefined) : null;
}

/** The dtype keyword of a constructor (`dtype=torch.long`), or the library's default. */
function dtypeArg(ev: Evaluation, call: CallNode, lib: Lib, dflt: Kind): Kind {
  const node = argumentNode(call, { position: -1, keyword: 'dtype' });
  if (!node) return dflt;
  const v = ev.evaluate(node);
  const path = v.kind === 'namespace' ? v.path : v.kind === 'string' ? v.value : '';
  if (/int|long|short|bool|uint/.test(path)) return 'int';
  if (/64|double/.test(path) || (lib === 'numpy' && /^(builtins\.)?float$/.test(path))) return 'float64';
  return path ? 'float32' : dflt;
}

export const filledPaths: Record<
  string,
  [Lib, 'zeros' | 'ones' | 'full' | 'eye' | 'arange' | 'zeros_like' | 'ones_like']
> = {
  'torch.zeros': ['torch', 'zeros'],
  'torch.ones': ['torch', 'ones'],
  'torch.full': ['torch', 'full'],
  'torch.eye': ['torch', 'eye'],
  'torch.arange': ['torch', 'arange'],
  'torch.zeros_like': ['torch', 'zeros_like'],
  'torch.ones_like': ['torch', 'ones_like'],
  'numpy.zeros': ['numpy', 'zeros'],
  'numpy.ones': ['numpy', 'ones'],
  'numpy.full': ['numpy', 'full'],
  'numpy.eye': ['numpy', 'eye'],
  'numpy.identity': ['numpy', 'eye'],
  'numpy.arange': ['numpy', 'arange'],
  'numpy.zeros_like': ['numpy', 'zeros_like'],
  'numpy.ones_like': ['numpy', 'ones_like'],
  // TensorFlow keeps float32 as float32, as torch does.
  'tf.zeros_like': ['torch', 'zeros_like'],
  'tf.ones_like': ['torch', 'ones_like'],
  // PaddlePaddle's fills are float32 unless a dtype says otherwise (its default dtype), as torch's.
  'paddle.zeros': ['torch', 'zeros'],
  'paddle.ones': ['torch', 'ones'],
};

export function filledCall(ev: Evaluation, call: CallNode, lib: Lib, what: string): Value {
  const fdflt: Kind = lib === 'torch' ? 'float32' : 'float64';
  if (what === 'zeros_like' || what === 'ones_like') {
    const like = argumentValue(ev, call, { position: 0, keyword: 'input' });
    if (like.kind !== 'array') return unknown;
    const kind = dtypeArg(ev, call, lib, kindOf(like.array));
    const v = what === 'zeros_like' ? 0 : 1;
    const out = computed(
      like.array,
      new Float64Array(like.array.shape.reduce((p, x) => p * x, 1)).fill(v),
      like.array.shape.slice(),
      libOf(like.array) === 'list' ? lib : libOf(like.array),
      kind,
      null,
    );
    const narrow = narrowArg(ev, call);
    return { kind: 'array', array: narrow === null ? out : { ...out, narrowInt: narrow } };
  }
  if (what === 'arange') {
    const values = call.args.map((a) => ev.evaluate(a));
    const nums = values.map(numberOf);
    if (nums.length === 0 || nums.some((x) => x === null)) return unknown;
    const [start, stop, step] =
      nums.length === 1 ? [0, nums[0] as number, 1] : [nums[0] as number, nums[1] as number, (nums[2] ?? 1) as number];
    const n = Math.max(0, Math.ceil((stop - start) / step));
    // `arange(6.0)` is a float array: a number written with a point counts, not only its value.
    const integral = values.every((v) => v.kind === 'number' && v.integer && Number.isInteger(v.value));
    return filled(ev, call, lib, dtypeArg(ev, call, lib, integral ? 'int' : fdflt), [n], (k) => start + k * step);
  }
  if (what === 'eye') {
    const n = numberOf(argumentValue(ev, call, { position: 0, keyword: lib === 'torch' ? 'n' : 'N' }));
    if (n === null || !Number.isInteger(n)) return unknown;
    return filled(ev, call, lib, dtypeArg(ev, call, lib, fdflt), [n, n], (k) => (Math.floor(k / n) === k % n ? 1 : 0));
  }
  const shapeArgs = what === 'full' ? call.args.slice(0, 1) : lib === 'numpy' ? call.args.slice(0, 1) : call.args;
  const dims = dimsOf(shapeArgs.map((a) => ev.evaluate(a)));
  if (!dims) return unknown;
  let value = what === 'ones' ? 1 : 0;
  let integerFill = false;
  if (what === 'full') {
    const fv = argumentValue(ev, call, { position: 1, keyword: 'fill_value' });
    const f = numberOf(fv);
    if (f === null) return unknown;
    value = f;
    // `torch.full((2,), 1.0)` is float32, `torch.full((2,), 1)` int64: as the number is written.
    integerFill = fv.kind === 'number' && fv.integer && Number.isInteger(f);
  }
  const kind = dtypeArg(ev, call, lib, what === 'full' && integerFill && lib === 'torch' ? 'int' : fdflt);
  return filled(ev, call, lib, kind, dims, () => value);
}
