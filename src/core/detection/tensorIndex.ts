/**
 * Indexing and reshaping arrays as numpy and torch do: integer and slice indexing (a row is a
 * view of its array), advanced indexing with integer arrays (`p[range(n), y]`, `x[[0, 1], y]`),
 * `gather`, mxnet's `pick`, indexed assignment (`out[i] = v`, `t[np.arange(n), y] = 1`),
 * transposes, `stack`/`cat`, `argmax`, and the softmax transforms made concrete. An element picked
 * at a class chosen by a target row becomes a term (terms.ts) that says so.
 */
import { classOf } from './classPicks';
import { pickTerm, rowClass, type Cls, type Term } from './terms';
import { affordable } from './computeBudget';
import { computed, kindOf, libOf, maxComputed, maxTermed, operandAt, rootOf, rounder, type Arg } from './tensorMath';
import { broadcastIndex, broadcastShape } from './broadcast';
import { logElementwise, softmaxClasses, type ArrayValue, type Value } from './values';
import type { Operand } from './terms';
import { joinedNarrow } from './narrowInts';
import { maskFlats, maskPartOf, maskPick, type MaskPart } from './maskPicks';

/** One part of an index, as evaluated. `op`/`ops`: where each index number came from (a target's row). */
export type IndexPart =
  | { k: 'int'; value: number; op: Operand }
  /**
   * `shape`: the index array's own shape when it is not 1-D (numpy broadcasts index arrays);
   * `narrow`: a torch tensor of 32, 16 or 8 bits, which torch refuses as an index (narrowInts.ts).
   */
  | { k: 'array'; values: number[]; ops: Operand[]; shape?: number[]; narrow?: boolean }
  | { k: 'slice'; start: number | null; stop: number | null; step: number | null }
  | MaskPart;

/** A value with its pending softmax / log_softmax made concrete (values and terms). */
export function materialise(a: ArrayValue): ArrayValue {
  if (a.transform === null || !a.data) return a;
  const dtype = a.dtype ?? (libOf(a) === 'numpy' ? 'float64' : 'float32');
  const soft = softmaxClasses(a.data, a.shape, dtype, a.transform === 'log_softmax');
  const data =
    a.transform === 'log_of_softmax' ? logElementwise(softmaxClasses(a.data, a.shape, dtype, false), dtype) : soft;
  const log = a.transform !== 'softmax';
  const base: ArrayValue = { ...a, transform: null };
  let terms: (Term | null)[] | null = null;
  if (data.length <= maxTermed) {
    terms = new Array<Term | null>(data.length);
    for (let k = 0; k < data.length; k++) {
      const x = operandAt(base, k);
      terms[k] =
        x && 'raw' in x
          ? log
            ? { t: 'logp', src: x.raw.root, r: x.raw.r, c: x.raw.c, via: 'softmax', hand: false, neg: false }
            : { t: 'p', src: x.raw.root, r: x.raw.r, c: x.raw.c, via: 'softmax', hand: false, at: null }
          : null;
    }
  }
  const out = computed(base, data, a.shape.slice(), libOf(a), dtype, terms);
  out.name = a.name;
  return out;
}

/** A view of `a` from flat `offset`, with `shape` (a row, an element). */
function viewOf(a: ArrayValue, offset: number, shape: number[], size: number): ArrayValue {
  const data = (a.data as Float64Array).subarray(offset, offset + size);
  const scalar = shape.length === 0 && libOf(a) === 'list';
  const out: ArrayValue = {
    ...a,
    data,
    shape,
    container: scalar ? 'scalar' : a.container,
    name: null,
    fresh: false,
    transform: null,
    oneHot: undefined,
  };
  if (a.terms) out.terms = a.terms.slice(offset, offset + size);
  else {
    const r = rootOf(a);
    out.view = r ? { root: r.root, offset: r.offset + offset } : null;
  }
  return out;
}

function normalised(i: number, size: number): number | null {
  const j = i < 0 ? i + size : i;
  return Number.isInteger(j) && j >= 0 && j < size ? j : null;
}

function sliceRange(p: { start: number | null; stop: number | null; step: number | null }, size: number): number[] {
  const step = p.step ?? 1;
  if (step === 0) return [];
  const clamp = (v: number | null, dflt: number): number => {
    if (v === null) return dflt;
    const x = v < 0 ? v + size : v;
    return step > 0 ? Math.min(Math.max(x, 0), size) : Math.min(Math.max(x, -1), size - 1);
  };
  const start = clamp(p.start, step > 0 ? 0 : size - 1);
  const stop = clamp(p.stop, step > 0 ? size : -1);
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

/** A slice that visits every index of an axis of `size`, in order (`:`, `0:`, `::1`, `:size`). */
function wholeAxis(p: { start: number | null; stop: number | null; step: number | null }, size: number): boolean {
  const r = sliceRange(p, size);
  return (p.step ?? 1) === 1 && r.length === size && (size === 0 || r[0] === 0);
}

/** The element at flat `f` of `a`, picked at class `cls` when `pick` (terms say which row's class it is). */
function pickedTerm(a: ArrayValue, f: number, cls: Cls | null): Term | null {
  const x = operandAt(a, f);
  if (cls === null) return x && 'term' in x ? x.term : null;
  return pickTerm(x, cls);
}

/** `a[parts]`; null when the form is not modelled or an index is out of range (IndexError). */
/** torch refuses index tensors of 32, 16 or 8 bits ("tensors used as indices must be long, byte or bool"). */
const refusedIndex = (a: ArrayValue, parts: IndexPart[]): boolean =>
  libOf(a) === 'torch' && parts.some((p) => p.k === 'array' && p.narrow);

export function getItem(a0: ArrayValue, parts: IndexPart[]): ArrayValue | null {
  const a = materialise(a0);
  if (!a.data || a.data.length > maxComputed) return null;
  const shape = a.shape;
  if (parts.length > shape.length || refusedIndex(a, parts)) return null;
  if (parts.some((p) => p.k === 'mask'))
    return parts.length === 1 ? maskPick(a, parts[0] as MaskPart, (f, s) => gathered(a, f, s, null)) : null;
  if (libOf(a) === 'list' && (parts.length !== 1 || parts[0].k === 'array')) return null;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, x) => p * x, 1));
  const arrays = parts.filter((p) => p.k === 'array') as Extract<IndexPart, { k: 'array' }>[];
  const classAxis = shape.length - 1;
  const pickAt = (axis: number, value: number, op: Operand): Cls | null => {
    if (axis !== classAxis || shape.length > 2) return null;
    const cls = classOf(op, value);
    if (!cls) return null;
    // A class written as a constant picks only in an array of probabilities / log-probabilities.
    return cls.tgt !== null || a.terms ? cls : null;
  };
  if (arrays.length === 0) {
    // Basic indexing: integers and slices.
    let offset = 0;
    const dims: number[][] = [];
    const outShape: number[] = [];
    let cls: Cls | null = null;
    let contiguous = true;
    for (let i = 0; i < shape.length; i++) {
      const p = parts[i];
      // `x[i, :]` is `x[i]`: a slice over a whole axis, in order, keeps the view as a missing part does.
      if (!p || (p.k === 'slice' && wholeAxis(p, shape[i]))) {
        dims.push([...Array(shape[i]).keys()]);
        outShape.push(shape[i]);
        continue;
      }
      if (p.k === 'int') {
        const j = normalised(p.value, shape[i]);
        if (j === null) return null;
        offset += j * strides[i];
        cls = pickAt(i, j, p.op) ?? cls;
        dims.push([j]);
        if (dims.some((d, k) => k < i && d.length !== 1)) contiguous = false;
      } else if (p.k === 'slice') {
        const r = sliceRange(p, shape[i]);
        dims.push(r);
        outShape.push(r.length);
        contiguous = false;
      }
    }
    const size = outShape.reduce((p, x) => p * x, 1);
    if (contiguous && cls === null) return viewOf(a, offset, outShape, size);
    const flats = flatPositions(dims, strides);
    return gathered(a, flats, outShape, cls ? flats.map(() => cls) : null);
  }
  // Advanced indexing: integer arrays (broadcast with integers) on the leading axes.
  if (arrays.some((p) => p.shape)) return broadcastPick(a, parts, strides, pickAt);
  const n = arrays[0].values.length;
  if (arrays.some((p) => p.values.length !== n) || parts.some((p) => p.k === 'slice')) return null;
  if (parts.length === 1) {
    const p = arrays[0];
    const rowSize = strides[0];
    const flats: number[] = [];
    const clss: (Cls | null)[] = [];
    for (let k = 0; k < n; k++) {
      const j = normalised(p.values[k], shape[0]);
      if (j === null) return null;
      for (let e = 0; e < rowSize; e++) flats.push(j * rowSize + e);
      if (shape.length === 1) clss.push(pickAt(0, j, p.ops[k]));
    }
    const outShape = [n, ...shape.slice(1)];
    return gathered(a, flats, outShape, shape.length === 1 ? clss : null, a.site.synthetic ? p : null);
  }
  if (parts.length !== 2 || shape.length !== 2) return null;
  const flats: number[] = [];
  const clss: (Cls | null)[] = [];
  for (let k = 0; k < n; k++) {
    const [p, q] = parts as Exclude<IndexPart, { k: 'slice' | 'mask' }>[];
    const rv = p.k === 'int' ? p.value : p.values[k];
    const cv = q.k === 'int' ? q.value : q.values[k];
    const i = normalised(rv, shape[0]);
    const j = normalised(cv, shape[1]);
    if (i === null || j === null) return null;
    flats.push(i * strides[0] + j);
    clss.push(pickAt(1, j, q.k === 'int' ? q.op : q.ops[k]));
  }
  return gathered(a, flats, [n], clss);
}

/**
 * `a[rows, cols]` on a 2-D array where an index array is not 1-D (`y[np.arange(1), t]` with `t` of
 * shape (1, 1) or (1, C)): the index arrays broadcast together and the result takes their shape.
 */
function broadcastPick(
  a: ArrayValue,
  parts: IndexPart[],
  strides: number[],
  pickAt: (axis: number, value: number, op: Operand) => Cls | null,
): ArrayValue | null {
  if (parts.length !== 2 || a.shape.length !== 2 || parts.some((p) => p.k === 'slice')) return null;
  const [p, q] = parts as Exclude<IndexPart, { k: 'slice' | 'mask' }>[];
  const shapeOf = (x: typeof p): number[] => (x.k === 'int' ? [] : (x.shape ?? [x.values.length]));
  const out = broadcastShape(shapeOf(p), shapeOf(q));
  if (!out) return null;
  const size = out.reduce((m, x) => m * x, 1);
  if (!affordable(size)) return null;
  const ip = broadcastIndex(shapeOf(p), out);
  const iq = broadcastIndex(shapeOf(q), out);
  const flats: number[] = [];
  const clss: (Cls | null)[] = [];
  for (let k = 0; k < size; k++) {
    const rv = p.k === 'int' ? p.value : p.values[ip[k]];
    const cv = q.k === 'int' ? q.value : q.values[iq[k]];
    const i = normalised(rv, a.shape[0]);
    const j = normalised(cv, a.shape[1]);
    if (i === null || j === null) return null;
    flats.push(i * strides[0] + j);
    clss.push(pickAt(1, j, q.k === 'int' ? q.op : q.ops[iq[k]]));
  }
  return gathered(a, flats, out, clss);
}

function flatPositions(dims: number[][], strides: number[]): number[] {
  let out = [0];
  dims.forEach((d, i) => {
    const next: number[] = [];
    for (const base of out) for (const j of d) next.push(base + j * strides[i]);
    out = next;
  });
  return out;
}

/** A new array of `a`'s elements at `flats`, picked at `clss` where given. */
export function gathered(
  a: ArrayValue,
  flats: number[],
  shape: number[],
  clss: (Cls | null)[] | null,
  indexSite: { ops: Operand[] } | null = null,
): ArrayValue {
  const src = a.data as Float64Array;
  const data = new Float64Array(flats.length);
  flats.forEach((f, k) => (data[k] = src[f]));
  let terms: (Term | null)[] | null = null;
  if ((a.terms || clss?.some((c) => c)) && flats.length <= maxTermed)
    terms = flats.map((f, k) => pickedTerm(a, f, clss ? clss[k] : null));
  const lib = libOf(a) === 'list' ? 'python' : libOf(a);
  const out = computed(a, data, shape, lib, kindOf(a), terms);
  // Picks of softmax probabilities remember them: an ε added after the pick is added to them (3.87).
  if (terms && a.terms?.every((t) => t?.t === 'p')) out.pickedFrom = a;
  // Rows of a constructed array (`np.eye(C)[labels]`) are about the labels.
  const first = indexSite?.ops[0];
  if (first && 'raw' in first) out.site = first.raw.root.site;
  return out;
}

/** `a[parts] = value` as a new array (the caller rebinds the name); null when not modelled. */
export function setItem(a0: ArrayValue, parts: IndexPart[], value: Arg): ArrayValue | null {
  const a = materialise(a0);
  if (!a.data || libOf(a) === 'list' || a.data.length > maxComputed || refusedIndex(a, parts)) return null;
  const shape = a.shape;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, x) => p * x, 1));
  let flats: number[];
  const arrays = parts.filter((p) => p.k === 'array') as Extract<IndexPart, { k: 'array' }>[];
  if (parts.length > shape.length) return null;
  const masked = parts.length === 1 && parts[0].k === 'mask' ? maskFlats(parts[0], shape) : null;
  if (parts.some((p) => p.k === 'mask') && !masked) return null;
  if (masked) flats = masked.flats;
  else if (arrays.length === 0) {
    const dims: number[][] = [];
    for (let i = 0; i < shape.length; i++) {
      const p = parts[i];
      if (!p) dims.push([...Array(shape[i]).keys()]);
      else if (p.k === 'int') {
        const j = normalised(p.value, shape[i]);
        if (j === null) return null;
        dims.push([j]);
      } else if (p.k === 'slice') dims.push(sliceRange(p, shape[i]));
    }
    flats = flatPositions(dims, strides);
  } else {
    const n = arrays[0].values.length;
    if (parts.length !== shape.length || parts.some((p) => p.k === 'slice')) return null;
    flats = [];
    for (let k = 0; k < n; k++) {
      let f = 0;
      for (let i = 0; i < parts.length; i++) {
        const p = parts[i] as Exclude<IndexPart, { k: 'slice' | 'mask' }>;
        const j = normalised(p.k === 'int' ? p.value : (p.values[k] ?? NaN), shape[i]);
        if (j === null) return null;
        f += j * strides[i];
      }
      flats.push(f);
    }
  }
  const isArr = 'site' in value;
  const vData = isArr ? value.data : null;
  if (isArr && (!vData || (vData.length !== 1 && vData.length !== flats.length))) return null;
  const kind = kindOf(a);
  const round = rounder(kind);
  const data = new Float64Array(a.data);
  flats.forEach((f, k) => {
    const v = isArr ? (vData as Float64Array)[vData!.length === 1 ? 0 : k] : value.num;
    data[f] = round(v);
  });
  let terms: (Term | null)[] | null = null;
  if ((a.terms || (isArr && value.terms)) && data.length <= maxTermed) {
    terms = a.terms ? a.terms.slice() : new Array<Term | null>(data.length).fill(null);
    flats.forEach((f, k) => {
      const x = isArr ? operandAt(value, vData!.length === 1 ? 0 : k) : null;
      (terms as (Term | null)[])[f] = x && 'term' in x ? x.term : null;
    });
  }
  const out = computed(a, data, shape.slice(), libOf(a), kind, terms);
  out.site = a.site;
  return out;
}

/** torch's `x.gather(dim, index)` (and mxnet's `pick` along the last axis, index shape (N)). */
export function gather(a0: ArrayValue, dim: number, index: ArrayValue, pick: boolean): ArrayValue | null {
  const a = materialise(a0);
  // torch's gather takes int64 indices only ("gather(): Expected dtype int64 for index").
  if (!a.data || !index.data || (!pick && index.narrowInt)) return null;
  // One sample's row: `log_probs.gather(0, t)` with a 0-d or 1-D index picks along it (§3.230).
  if (a.shape.length === 1 && !pick) return gatherRow(a, dim, index);
  if (a.shape.length !== 2) return null;
  const d = dim < 0 ? dim + 2 : dim;
  const [N, C] = a.shape;
  const ishape = index.shape;
  if (pick ? ishape.length !== 1 || ishape[0] !== N : ishape.length !== 2 || d !== 1 || ishape[0] !== N) return null;
  const per = pick ? 1 : ishape[1];
  const flats: number[] = [];
  const clss: (Cls | null)[] = [];
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < per; j++) {
      const k = i * per + j;
      const c = index.data[k];
      if (!Number.isInteger(c) || c < 0 || c >= C) return null;
      flats.push(i * C + c);
      clss.push(classOf(operandAt(index, k), c));
    }
  }
  return gathered(a, flats, pick ? [N] : [N, per], clss);
}

/** `row.gather(0, index)` on a 1-D tensor: its elements at the index's positions, in the index's shape. */
function gatherRow(a: ArrayValue, dim: number, index: ArrayValue): ArrayValue | null {
  const C = a.shape[0];
  if ((dim !== 0 && dim !== -1) || index.shape.length > 1 || !index.data) return null;
  const flats: number[] = [];
  const clss: (Cls | null)[] = [];
  for (let k = 0; k < index.data.length; k++) {
    const c = index.data[k];
    if (!Number.isInteger(c) || c < 0 || c >= C) return null;
    flats.push(c);
    clss.push(classOf(operandAt(index, k), c));
  }
  return gathered(a, flats, index.shape.slice(), clss);
}

/** A transpose (`.T`, `.t()`, `.permute(...)`, `.transpose(a, b)`): the elements reordered. */
export function permuted(a0: ArrayValue, perm: number[]): ArrayValue | null {
  const a = materialise(a0);
  const s = a.shape;
  if (!a.data || perm.length !== s.length) return null;
  const strides = s.map((_, i) => s.slice(i + 1).reduce((p, x) => p * x, 1));
  const outShape = perm.map((p) => s[p]);
  const dims = perm.map((p) => [...Array(s[p]).keys()].map((j) => j * strides[p]));
  let flats = [0];
  for (const d of dims) {
    const next: number[] = [];
    for (const b of flats) for (const j of d) next.push(b + j);
    flats = next;
  }
  const out = gathered(a, flats, outShape, null);
  out.site = a.site;
  return out;
}

/**
 * torch's `x.expand(*sizes)`: dimensions of size 1 repeated to the size asked, new leading dimensions
 * added, -1 keeping a size (torch makes a view; its numbers are these). Null where torch raises (a size
 * that is neither the existing one nor -1 over a dimension longer than 1, -1 for a new dimension, fewer
 * sizes than dimensions) and for results beyond the computed limit.
 */
export function expanded(a0: ArrayValue, sizes: number[]): ArrayValue | null {
  const a = materialise(a0);
  const s = a.shape;
  const lead = sizes.length - s.length;
  if (!a.data || lead < 0) return null;
  const shape: number[] = [];
  let size = 1;
  for (let i = 0; i < sizes.length; i++) {
    const want = sizes[i];
    const have = i < lead ? null : s[i - lead];
    let d: number;
    if (have === null) d = want;
    else if (want === -1 || want === have) d = have;
    else if (have === 1) d = want;
    else return null;
    if (!Number.isInteger(d) || d < 0) return null;
    size *= d;
    if (size > maxComputed) return null;
    shape.push(d);
  }
  if (!affordable(size)) return null;
  const out = gathered(a, Array.from(broadcastIndex(s, shape)), shape, null);
  out.site = a.site;
  return out;
}

/** `torch.stack` / `np.stack` (new axis 0) or `torch.cat` / `np.concatenate` (axis 0) of arrays. */
export function stacked(items: ArrayValue[], cat: boolean): ArrayValue | null {
  if (items.length === 0) return null;
  const parts = items.map(materialise);
  const first = parts[0];
  const inner = first.shape;
  if (
    parts.some(
      (p) =>
        !p.data ||
        (cat
          ? p.shape.length !== inner.length || p.shape.slice(1).join() !== inner.slice(1).join()
          : p.shape.join() !== inner.join()),
    )
  )
    return null;
  const total = parts.reduce((s, p) => s + (p.data as Float64Array).length, 0);
  if (!affordable(total)) return null;
  const data = new Float64Array(total);
  let at = 0;
  const terms: (Term | null)[] = [];
  let tagged = false;
  for (const p of parts) {
    data.set(p.data as Float64Array, at);
    for (let k = 0; k < (p.data as Float64Array).length; k++) {
      const x = operandAt(p, k);
      const t = x && 'term' in x ? x.term : null;
      if (t) tagged = true;
      terms.push(t);
    }
    at += (p.data as Float64Array).length;
  }
  const shape = cat ? [parts.reduce((s, p) => s + (p.shape[0] ?? 1), 0), ...inner.slice(1)] : [parts.length, ...inner];
  const lib = parts.some((p) => libOf(p) === 'torch') ? 'torch' : 'numpy';
  const out = computed(first, data, shape, lib, kindOf(first), tagged && total <= maxTermed ? terms : null);
  out.narrowInt = out.narrowInt && joinedNarrow(parts);
  return out;
}

/** `argmax` over `axis` (null: flattened). Over the classes of a target's rows, its class indices. */
/** Whether `x` wins over the best so far: torch and numpy rank NaN above every number (the first NaN wins). */
const beats = (x: number, best: number): boolean => (x !== x ? best === best : x > best);

export function argmax(a0: ArrayValue, axis: number | null, keepdim: boolean): ArrayValue | null {
  const a = materialise(a0);
  if (!a.data) return null;
  const s = a.shape;
  const lib = libOf(a) === 'list' ? 'numpy' : libOf(a);
  if (axis === null || s.length <= 1) {
    let best = 0;
    for (let k = 1; k < a.data.length; k++) if (beats(a.data[k], a.data[best])) best = k;
    return { ...computed(a, Float64Array.of(best), [], lib, 'int', null), narrowInt: undefined };
  }
  const d = axis < 0 ? axis + s.length : axis;
  if (s.length !== 2 || d !== 1) return null;
  const [N, C] = s;
  const data = new Float64Array(N);
  const terms: (Term | null)[] = [];
  for (let i = 0; i < N; i++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (beats(a.data[i * C + c], a.data[i * C + best])) best = c;
    data[i] = best;
    const x = operandAt(a, i * C);
    terms.push(x && 'raw' in x && rowClass(x.raw.root, 0) ? { t: 'cls', tgt: x.raw.root, r: x.raw.r } : null);
  }
  return { ...computed(a, data, keepdim ? [N, 1] : [N], lib, 'int', terms), narrowInt: undefined };
}

/** One part of a subscript, as evaluated: an integer, integers (a list, `range`, an array), a slice. */
export function indexPart(v: Value): IndexPart | null {
  switch (v.kind) {
    case 'number':
      return Number.isInteger(v.value) ? { k: 'int', value: v.value, op: null } : null;
    case 'slice':
      return { k: 'slice', start: v.start, stop: v.stop, step: v.step };
    case 'sequence': {
      const values = v.items.map((x) => (x.kind === 'number' && Number.isInteger(x.value) ? x.value : null));
      if (values.some((x) => x === null)) return null;
      return { k: 'array', values: values as number[], ops: values.map(() => null) };
    }
    case 'array': {
      const mask = maskPartOf(v.array);
      if (mask) return mask;
      const a = materialise(v.array);
      const d = a.data;
      if (!d || d.length > maxComputed || !d.every(Number.isInteger)) return null;
      if (a.shape.length === 0) return { k: 'int', value: d[0], op: operandAt(a, 0) };
      const ops = Array.from(d, (_, k) => operandAt(a, k));
      const narrow = a.container === 'tensor' && a.narrowInt !== undefined ? { narrow: true } : {};
      if (a.shape.length !== 1) return { k: 'array', values: Array.from(d), ops, shape: [...a.shape], ...narrow };
      return { k: 'array', values: Array.from(d), ops, ...narrow };
    }
    default:
      return null;
  }
}
