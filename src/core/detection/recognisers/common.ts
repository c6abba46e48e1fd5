/**
 * What every library entry does with a call: read its operands (arrays written in the source,
 * possibly converted; anything else makes the pair unverified or no pair at all), read its options
 * as the library spells them, turn the arrays into the values the library receives, and record the
 * pair. The library's rule itself is computed later, by the analysis (src/core/libraries).
 */
import type { LibraryLossRequest, LibraryName } from '../../libraries/types';
import type { DType, LossRequest, NdArray, Reduction } from '../../types';
import { argumentNode, sourceOf, type ArgumentSlot, type CallNode, type Evaluation } from '../evaluation';
import type { Node } from '../expr';
import type { LibraryPairSpec, PairInput } from '../pairInput';
import type { LossCall } from '../types';
import { logElementwise, softmaxClasses, unknown, withArray, type ArrayValue, type Value } from '../values';
import { readNames } from '../nodeNames';
import type { LibraryMapping, Match } from './entry';

/** An array operand, and why its values are not known when they are not (an unmodelled step). */
export interface Operand {
  array: ArrayValue;
  why: string | null;
}

/** The array behind an argument value, or null when it does not come from a literal. */
export function operandOf(v: Value): Operand | null {
  if (v.kind === 'array') return { array: v.array, why: null };
  if (v.kind === 'opaqueArray') return { array: v.from, why: v.why };
  return null;
}

/** The argument node at a slot, unless the code passes nothing there (`None`, `null`, `undefined`). */
export function givenNode(call: CallNode, slot: ArgumentSlot): Node | undefined {
  const node = argumentNode(call, slot);
  if (!node) return undefined;
  if (node.type === 'name' && (node.id === 'undefined' || node.id === 'null' || node.id === 'None')) return undefined;
  return node;
}

/**
 * An option's value at a slot: undefined when the code does not pass it, null for `None` / `null`
 * / `undefined`, JavaScript's `true` / `false` as the numbers Python's `True` / `False` are.
 */
export function optionAt(ev: Evaluation, call: CallNode, slot: ArgumentSlot): Value | null | undefined {
  const node = argumentNode(call, slot);
  if (!node) return undefined;
  if (node.type === 'name') {
    if (node.id === 'None' || node.id === 'null' || node.id === 'undefined') return null;
    if (node.id === 'true' || node.id === 'false')
      return { kind: 'number', value: node.id === 'true' ? 1 : 0, integer: true };
  }
  const v = ev.evaluate(node);
  return v.kind === 'unknown' && v.none ? null : v;
}

/** A boolean from an option value: undefined when absent, or null when not known here. */
export function asBool(v: Value | null | undefined): boolean | null | undefined {
  if (v === undefined || v === null) return v === null ? false : undefined;
  return v.kind === 'number' ? v.value !== 0 : null;
}

/** A number from an option value: undefined when absent or None, null when not known here. */
export function asNumber(v: Value | null | undefined): number | null | undefined {
  if (v === undefined || v === null) return undefined;
  return v.kind === 'number' ? v.value : null;
}

/** A string (or a constant's canonical path) from an option value: undefined when absent, 'None' for None, null when unknown. */
export function asName(v: Value | null | undefined, canonical: (path: string) => string): string | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return 'None';
  if (v.kind === 'string') return v.value;
  if (v.kind === 'namespace') return canonical(v.path);
  return null;
}

/** A boolean option: true/True/1, false/False/0; undefined when the value is not known here. */
export function boolOf(ev: Evaluation, node: Node | undefined): boolean | undefined {
  if (!node) return undefined;
  if (node.type === 'name') {
    if (node.id === 'true' || node.id === 'True') return true;
    if (node.id === 'false' || node.id === 'False') return false;
  }
  const v = ev.evaluate(node);
  return v.kind === 'number' ? v.value !== 0 : undefined;
}

/** A number option; undefined when it is not a number known here. */
export function numberOf(ev: Evaluation, node: Node | undefined): number | undefined {
  if (!node) return undefined;
  const v = ev.evaluate(node);
  return v.kind === 'number' ? v.value : undefined;
}

/** A string option or a library constant's path (`'sum'`, `tf.keras.losses.Reduction.SUM`); undefined when unknown. */
export function nameOf(
  ev: Evaluation,
  node: Node | undefined,
  canonical: (path: string) => string,
): string | undefined {
  if (!node) return undefined;
  const v = ev.evaluate(node);
  if (v.kind === 'string') return v.value;
  if (v.kind === 'namespace') return canonical(v.path);
  return undefined;
}

/** The values a library receives for an array: softmax / log_softmax / one-hot applied as the code does. */
export function valuesOf(a: ArrayValue, dtype: DType): Float64Array | null {
  if (!a.data) return null;
  let data = a.data;
  if (a.transform === 'softmax' || a.transform === 'log_softmax')
    data = softmaxClasses(data, a.shape, a.dtype ?? dtype, a.transform === 'log_softmax');
  else if (a.transform === 'log_of_softmax')
    data = logElementwise(softmaxClasses(data, a.shape, a.dtype ?? dtype, false), a.dtype ?? dtype);
  if (a.oneHot !== undefined) {
    const depth = a.oneHot;
    const out = new Float64Array(data.length * depth);
    for (let i = 0; i < data.length; i++) {
      const k = data[i];
      if (Number.isInteger(k) && k >= 0 && k < depth) out[i * depth + k] = 1;
    }
    return out;
  }
  return data;
}

/** The shape a library receives (a one-hot encoding adds the class axis). */
export function shapeOf(a: ArrayValue): number[] {
  return a.oneHot !== undefined ? [...a.shape, a.oneHot] : a.shape;
}

/** (data, shape) with axis `axis` moved to the end (the libraries' class axis), or null for a bad axis. */
export function classAxisLast(
  data: Float64Array,
  shape: number[],
  axis: number,
): { data: Float64Array; shape: number[] } | null {
  const nd = shape.length;
  const a = axis < 0 ? axis + nd : axis;
  if (!Number.isInteger(a) || a < 0 || a >= nd) return null;
  if (a === nd - 1) return { data, shape };
  const outShape = [...shape.slice(0, a), ...shape.slice(a + 1), shape[a]];
  const inner = shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const outer = shape.slice(0, a).reduce((p, d) => p * d, 1);
  const C = shape[a];
  const out = new Float64Array(data.length);
  let k = 0;
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) for (let c = 0; c < C; c++) out[k++] = data[(o * C + c) * inner + i];
  return { data: out, shape: outShape };
}

/** An NdArray of values. */
export function nd(data: Float64Array, shape: number[]): NdArray {
  return { data, shape, integral: false };
}

/** The loss of an entry that is not a pair: no number, and why (a guessed callee says nothing). */
export function notAPair(ev: Evaluation, match: Match, node: Node | undefined): Value {
  if (match === 'guessed') return unknown;
  const what = node ? sourceOf(ev, node) : 'an argument';
  const loop = node ? perIteration(ev, node) : null;
  const why = loop
    ? `\`${what}\` takes a new value on each iteration of the \`for\` on line ${loop}: a value claimed inside the loop is not matched to one iteration`
    : `\`${what}\` is not an array written in this source`;
  return { kind: 'unknown', lossy: true, why };
}

/** The line of the module-level `for` whose loop names `node` reads, while its body is read the first time; else null. */
function perIteration(ev: Evaluation, node: Node): number | null {
  const header = ev.ctx.loopHeader;
  if (!header || !ev.topLevel) return null;
  const names = new Set<string>();
  readNames(node, names);
  for (const n of names) if (header.names.has(n)) return header.line;
  return null;
}

/** Everything a library entry knows about one loss, to record as a pair. */
export interface LibraryPairArgs {
  entry: { id: string; callKind: LossCall['kind']; mapping: LibraryMapping };
  call: CallNode;
  input: ArrayValue;
  target: ArrayValue;
  inputNode: Node | undefined;
  /** The library computation (null with `unverified` or `error`). */
  request: LibraryLossRequest | null;
  /** The same number as a torch kernel request, when the mapping is exact (for the torch breakdown). */
  torch?: LossRequest | null;
  unverified?: string;
  /** The library refuses these operands (its error, in its words). */
  error?: { code: string; message: string };
  /** The reduction in torch's three words (for display and for `.mean()` of a vector output). */
  reduction: Reduction;
  labelSmoothing: number;
  dtype: DType;
  dtypeExplicit: boolean;
  /** The dtype is a guess between versions (a Keras loss object: float32 in Keras 3, the inputs' in tf.keras 2). */
  dtypeAssumed?: boolean;
  /**
   * The library reduces float32 terms in float64 and returns a Python float (scikit-learn's log_loss
   * averages with np.average): a long print of it is no float32 value, and its digits past float32's
   * are the library's summation, so claims are judged to float32 precision as for an assumed dtype.
   */
  float64Reduction?: boolean;
  /** The mapping to torch in words, for this call (the entry's note, or a more specific one). */
  note?: string;
}

/** Records the pair and returns the loss value later statements refer to. */
export function libraryPair(ev: Evaluation, args: LibraryPairArgs): Value {
  const ctx = ev.ctx;
  const call = ctx.lossCallAt(args.entry.callKind, args.call.start, args.call.end, sourceOf(ev, args.call.callee));
  const library: LibraryPairSpec = {
    name: args.entry.mapping.library,
    mapping: args.note ?? args.entry.mapping.note,
    request: args.request,
    torch: args.torch ?? null,
    reduction: args.reduction,
    labelSmoothing: args.labelSmoothing,
    dtype: args.dtype,
    dtypeExplicit: args.dtypeExplicit,
    error: args.error ?? null,
  };
  if (args.dtypeAssumed || args.float64Reduction) library.dtypeAssumed = true;
  const pair: PairInput = {
    recogniser: args.entry.id,
    kind: args.entry.callKind,
    input: args.input,
    target: args.target,
    reads: args.entry.mapping.reads,
    options: {},
    call,
    inputSpan: args.inputNode ? [args.inputNode.start, args.inputNode.end] : undefined,
    library,
  };
  if (args.unverified !== undefined) pair.unverified = args.unverified;
  return { kind: 'loss', pair: ctx.addPair(pair) };
}

/** An array value for a list of labels that are not numbers (scikit-learn's string labels), on its own site. */
export function labelSite(ev: Evaluation, node: Node, indices: Float64Array): ArrayValue {
  const ctx = ev.ctx;
  const id = ctx.addSite(
    {
      end: node.end,
      shape: [indices.length],
      data: indices,
      integral: true,
      count: indices.length,
      error: null,
      tuple: false,
    },
    node.start,
    'labels',
  );
  const site = ctx.sites[id];
  site.isIntegerTensor = true;
  ctx.usedSites.add(id);
  return {
    site,
    data: indices,
    shape: [indices.length],
    integerTensor: true,
    dtype: null,
    dtypeSource: 'default',
    container: 'list',
    transform: null,
    name: node.type === 'name' ? node.id : null,
    fresh: false,
    derived: true,
  };
}

/** An array value with other data (the values the library sees), keeping its site. */
export function withData(a: ArrayValue, data: Float64Array, shape: number[]): ArrayValue {
  return withArray(a, { data, shape, name: a.name });
}

export type { LibraryName };
