/**
 * Integer widths that decide whether torch takes an array as class indices. torch 1.13's own
 * losses refuse 32-, 16- and 8-bit signed targets ("expected scalar type Long but found Int"); int64
 * and uint8 are taken. A width is set where the code names it (a torch or numpy dtype, a typed
 * constructor such as `torch.IntTensor`, `.int()`, `.astype('i4')`), carried by every operation
 * that keeps the dtype (a view, an index, a fill, torch.from_numpy / torch.tensor / np.array of an
 * array), and decided by the library's promotion rule where two arrays meet (int32 + int → int32,
 * int32 + an int64 array → int64). Operations that make int64 whatever their input (a sum, argmax,
 * one_hot) clear it. uint8 is not tracked: it is taken as class indices, as int64 is.
 */
import type { CallNode, Evaluation } from './evaluation';
import type { Node } from './expr';
import { canonical } from './names';
import type { ArrayValue, Value } from './values';

export type NarrowInt = 'Int' | 'Short' | 'Char';

const widths: Record<NarrowInt, number> = { Char: 8, Short: 16, Int: 32 };

// numpy's names (numpy.intc and numpy.int_ differ: intc is C's int, 32 bits; int_ is 64 on Linux).
const namespaced = new Map<string, NarrowInt>([
  ['torch.int32', 'Int'],
  ['torch.int', 'Int'],
  ['torch.int16', 'Short'],
  ['torch.short', 'Short'],
  ['torch.int8', 'Char'],
  ['numpy.int32', 'Int'],
  ['numpy.intc', 'Int'],
  ['numpy.int16', 'Short'],
  ['numpy.short', 'Short'],
  ['numpy.int8', 'Char'],
  ['numpy.byte', 'Char'],
]);

// Strings numpy reads as a dtype (`dtype='int32'`, `.astype('i4')`; 'i' is C's int).
const strings = new Map<string, NarrowInt>([
  ['int32', 'Int'],
  ['i4', 'Int'],
  ['<i4', 'Int'],
  ['i', 'Int'],
  ['intc', 'Int'],
  ['int16', 'Short'],
  ['i2', 'Short'],
  ['<i2', 'Short'],
  ['short', 'Short'],
  ['int8', 'Char'],
  ['i1', 'Char'],
]);

/** torch's typed tensor classes (`torch.IntTensor`, `torch.cuda.LongTensor`) and what each holds. */
const tensorTypes = new Map<string, NarrowInt | 'Long' | 'Byte' | 'float32' | 'float64'>([
  ['IntTensor', 'Int'],
  ['ShortTensor', 'Short'],
  ['CharTensor', 'Char'],
  ['LongTensor', 'Long'],
  ['ByteTensor', 'Byte'],
  ['FloatTensor', 'float32'],
  ['DoubleTensor', 'float64'],
]);

function typedTensor(name: string): NarrowInt | 'Long' | 'Byte' | 'float32' | 'float64' | null {
  const m = /^torch\.(?:cuda\.)?(\w+Tensor)$/.exec(name);
  return m ? (tensorTypes.get(m[1]) ?? null) : null;
}

/** The dtype a torch typed-tensor name stands for (`torch.IntTensor`, `'torch.cuda.FloatTensor'`), or null. */
export function typedTensorDtype(name: string): 'float32' | 'float64' | 'int' | null {
  const t = typedTensor(name);
  return t === 'float32' || t === 'float64' ? t : t ? 'int' : null;
}

/**
 * The narrow integer dtype a value names: `torch.int32`, `torch.short`, `np.int32`, `np.intc`,
 * `'int16'`, `'i4'`, `torch.IntTensor` (or `'torch.IntTensor'`, as `.type()` takes it); else null.
 */
export function narrowNamed(v: Value): NarrowInt | null {
  const name = v.kind === 'namespace' ? v.path : v.kind === 'string' ? v.value : '';
  if (!name) return null;
  const typed = typedTensor(name);
  if (typed) return typed === 'Int' || typed === 'Short' || typed === 'Char' ? typed : null;
  return (v.kind === 'namespace' ? namespaced.get(name) : strings.get(name)) ?? null;
}

/** The wider of two narrow widths (undefined stands for int64: always the wider). */
function wider(a: NarrowInt | undefined, b: NarrowInt | undefined): NarrowInt | undefined {
  if (!a || !b) return undefined;
  return widths[a] >= widths[b] ? a : b;
}

/**
 * The width of an integer result of `a op b` (torch and numpy 1.x agree on these): a Python number
 * brings no width of its own; a 0-d array beside an array with dimensions takes that array's width;
 * two of the same standing give the wider, int64 (undefined) winning.
 */
export function promotedNarrow(
  a: ArrayValue | { num: number },
  b: ArrayValue | { num: number },
): NarrowInt | undefined {
  const arr = (x: ArrayValue | { num: number }): x is ArrayValue => 'site' in x && x.container !== 'scalar';
  if (!arr(a)) return arr(b) ? b.narrowInt : undefined;
  if (!arr(b)) return a.narrowInt;
  const zeroA = a.shape.length === 0;
  const zeroB = b.shape.length === 0;
  if (zeroA !== zeroB) return zeroA ? b.narrowInt : a.narrowInt;
  return wider(a.narrowInt, b.narrowInt);
}

/** The width of arrays joined by cat / stack / concatenate: every part's, widest; int64 if any is. */
export function joinedNarrow(parts: ArrayValue[]): NarrowInt | undefined {
  let out: NarrowInt | undefined = parts[0]?.narrowInt;
  for (const p of parts.slice(1)) out = wider(out, p.narrowInt);
  return out;
}

/** numpy's signed integer scalar types and their widths (null: int64). uint8 is left out: its promotion with the signed types is not tracked. */
const numpyIntScalars = new Map<string, NarrowInt | null>([
  ['numpy.int64', null],
  ['numpy.int_', null],
  ['numpy.longlong', null],
  // The narrow ones are the dtype names above: the same names make the scalars.
  ...[...namespaced].filter(([name]) => name.startsWith('numpy.')),
]);

const ranges: Record<NarrowInt, number> = { Char: 2 ** 7, Short: 2 ** 15, Int: 2 ** 31 };

/**
 * `np.int32(2)` written as an element of a list: the number and its width (null: int64), when the
 * argument is a whole number the type holds; else null. torch.tensor and np.array of a list of such
 * elements take their type (the widest; a Python int or an np.int64 among them makes it int64), so
 * `torch.tensor([np.int32(0), np.int32(2)])` is int32, which torch's losses refuse as class indices.
 * Arithmetic on the scalars (`np.int32(2) * np.int32(3)`) is not read here: no list is made of it.
 */
export function numpyIntElement(ev: Evaluation, node: Node): { value: number; narrow: NarrowInt | null } | null {
  if (node.type !== 'call' || node.args.length !== 1 || node.keywords.length) return null;
  const fn = ev.evaluate(node.callee);
  if (fn.kind !== 'namespace') return null;
  const narrow = numpyIntScalars.get(canonical(fn.path));
  if (narrow === undefined) return null;
  const v = ev.evaluate((node as CallNode).args[0]);
  if (v.kind !== 'number' || !Number.isInteger(v.value)) return null;
  const bound = narrow ? ranges[narrow] : 2 ** 53;
  return v.value >= -bound && v.value < bound ? { value: v.value, narrow } : null;
}

/** The width of a list of such elements and Python ints: the widest, or int64 (undefined) if any element is. */
export function listNarrow(widths: (NarrowInt | null)[]): NarrowInt | undefined {
  let out: NarrowInt | undefined = widths[0] ?? undefined;
  for (const w of widths.slice(1)) out = wider(out, w ?? undefined);
  return out;
}
