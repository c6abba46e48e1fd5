/**
 * Methods and attributes of arrays computed as numpy and torch do: `.sum(1)`, `.mean()`, `.log()`,
 * `.exp()`, `.gather(1, i)`, `.t()` / `.T`, `.argmax(1)`, `.clamp(...)`, `.item()`, in-place
 * builders (`.scatter_(1, i, 1)`, `.fill_(v)`, `.zero_()`), `.masked_fill(mask, v)` (maskedFill.ts), torch's
 * `.expand(…)` / `.expand_as(y)` / `.repeat(…)`, and
 * `.shape`, `.size`, `.ndim`,
 * `.dtype`. Conversions, reshapes and softmax methods stay in arrays.ts.
 */
import { argumentValue, type CallNode, type Evaluation } from './evaluation';
import { logSumExp, reductionArgs, sigmoidOf, valuesAndIndices } from './tensorCalls';
import { clipped } from './clipSources';
import { dimsOf, numberOf } from './filledArrays';
import { argmax, expanded, gather, getItem, materialise, permuted, setItem } from './tensorIndex';
import { tiled } from './tensorTile';
import { computed, kindOf, libOf, reduceOp, rounder, unaryOp } from './tensorMath';
import { maskedFill } from './maskedFill';
import { relu } from './reluCalls';
import { dotProduct } from './dotProducts';
import type { ArrayValue, Value } from './values';

const dtypePaths: Record<string, Record<string, string>> = {
  torch: { int: 'torch.int64', float32: 'torch.float32', float64: 'torch.float64' },
  numpy: { int: 'numpy.int64', float32: 'numpy.float32', float64: 'numpy.float64' },
};

function array(a: ArrayValue | null): Value | undefined {
  return a ? { kind: 'array', array: a } : { kind: 'unknown', lossy: false };
}

/** An attribute of an array that is a value (not a method); undefined for anything else. */
export function tensorAttribute(a: ArrayValue, name: string, python = true): Value | undefined {
  const lib = libOf(a);
  switch (name) {
    case 'length':
      // A JavaScript array's length: its first axis.
      if (python || a.shape.length === 0 || a.container !== 'list') return undefined;
      return { kind: 'number', value: a.shape[0], integer: true };
    case 'T':
      if (lib !== 'torch' && lib !== 'numpy') return undefined;
      return array(permuted(a, [...a.shape.keys()].reverse()));
    case 'shape':
      return { kind: 'sequence', items: a.shape.map((s) => ({ kind: 'number', value: s, integer: true }) as Value) };
    case 'ndim':
      return { kind: 'number', value: a.shape.length, integer: true };
    case 'size':
      // numpy's `.size` is a number; torch's is a method.
      return lib === 'numpy' ? { kind: 'number', value: a.shape.reduce((p, x) => p * x, 1), integer: true } : undefined;
    case 'dtype': {
      const table = dtypePaths[lib === 'numpy' ? 'numpy' : 'torch'];
      return { kind: 'namespace', path: table[kindOf(a)] };
    }
    default:
      return undefined;
  }
}

/**
 * A method call on an array; undefined when the method is not one of these (arrays.ts decides).
 * `rebind` is called with the result of an in-place method (`scatter_`, `fill_`, `zero_`).
 */
export function tensorMethod(
  ev: Evaluation,
  a0: ArrayValue,
  name: string,
  call: CallNode,
  rebind: (v: ArrayValue) => void,
): Value | undefined {
  const lib = libOf(a0);
  if (lib === 'list' || lib === 'python') return undefined;
  const a = materialise(a0);
  const style = lib === 'numpy' ? 'numpy' : 'torch';
  switch (name) {
    case 'filled':
      // A masked array's `.filled(v)`: only `np.ma.log` of positive numbers (nothing masked) is
      // modelled, and a plain ndarray has no `.filled`, so the numbers are the same.
      return lib === 'numpy' ? { kind: 'array', array: a0 } : undefined;
    case 'sum':
    case 'mean':
    case 'max':
    case 'min': {
      const args = reductionArgs(ev, call, 0);
      if (!args) return { kind: 'unknown', lossy: false };
      // torch's max(dim) returns (values, indices).
      if ((name === 'max' || name === 'min') && lib === 'torch' && args.axis !== null)
        return valuesAndIndices(reduceOp(a, name, args.axis, args.keepdim, style));
      return array(reduceOp(a, name, args.axis, args.keepdim, style));
    }
    case 'logsumexp': {
      // torch's method (numpy arrays have none); the dim is required, as torch requires it.
      const args = reductionArgs(ev, call, 0);
      if (lib !== 'torch' || !args || args.axis === null || Array.isArray(args.axis)) return undefined;
      return array(logSumExp(a, args.axis, args.keepdim));
    }
    case 'log':
    case 'exp':
    case 'abs':
    case 'sqrt':
    case 'neg':
    case 'square':
    case 'log2':
    case 'log10':
    case 'log1p':
      return array(unaryOp(name, a, lib));
    case 'sigmoid':
      // `x.sigmoid()` is a torch tensor's method only (an ndarray has none).
      return lib === 'torch' ? sigmoidOf(a, lib) : undefined;
    case 'item': {
      if (a.data?.length !== 1) return { kind: 'unknown', lossy: false };
      const data = Float64Array.of(rounder(kindOf(a))((a.data as Float64Array)[0]));
      const out: ArrayValue = { ...a, data, shape: [], container: 'scalar', dtype: a.integerTensor ? null : 'float64' };
      return array(out);
    }
    case 'gather': {
      const dim = numberOf(argumentValue(ev, call, { position: 0, keyword: 'dim' }));
      const idx = argumentValue(ev, call, { position: 1, keyword: 'index' });
      if (dim === null || idx.kind !== 'array') return { kind: 'unknown', lossy: false };
      return array(gather(a, dim, materialise(idx.array), false));
    }
    case 'pick': {
      const idx = argumentValue(ev, call, { position: 0, keyword: 'index' });
      if (idx.kind !== 'array') return { kind: 'unknown', lossy: false };
      return array(gather(a, 1, materialise(idx.array), true));
    }
    case 'expand':
    case 'expand_as': {
      // torch's broadcast view: singleton dimensions repeated, new leading ones added, -1 kept.
      if (lib !== 'torch') return undefined;
      const sizes = name === 'expand' ? sizesOf(ev, call) : call.args[0] ? shapeOf(ev.evaluate(call.args[0])) : null;
      if (!sizes || call.keywords.length) return { kind: 'unknown', lossy: false };
      return array(expanded(a, sizes));
    }
    case 'repeat': {
      // torch's tiling (tensorTile.ts); numpy's element-wise `.repeat` is another thing.
      if (lib !== 'torch') return undefined;
      const sizes = sizesOf(ev, call);
      if (!sizes || call.keywords.length) return { kind: 'unknown', lossy: false };
      return array(tiled(a, sizes));
    }
    case 't':
      return a.shape.length < 2 ? { kind: 'array', array: a } : array(permuted(a, [1, 0]));
    case 'transpose':
    case 'permute': {
      const nums = dimsOf(call.args.map((x) => ev.evaluate(x)));
      if (!nums) return { kind: 'unknown', lossy: false };
      let perm: number[];
      if (name === 'permute' || (lib === 'numpy' && nums.length === a.shape.length)) perm = nums;
      else if (nums.length === 2) {
        perm = [...a.shape.keys()];
        [perm[nums[0]], perm[nums[1]]] = [perm[nums[1]], perm[nums[0]]];
      } else if (nums.length === 0) perm = [...a.shape.keys()].reverse();
      else return { kind: 'unknown', lossy: false };
      return array(permuted(a, perm));
    }
    case 'argmax': {
      const args = reductionArgs(ev, call, 0);
      if (!args || Array.isArray(args.axis)) return { kind: 'unknown', lossy: false };
      return array(argmax(a, args.axis, args.keepdim));
    }
    case 'dot': {
      // numpy's `h.dot(W)` is `np.dot(h, W)` (cs231n's forward passes); torch's method takes vectors only.
      const b = argumentValue(ev, call, { position: 0, keyword: 'b' });
      if (lib !== 'numpy' || call.args.length !== 1 || b.kind !== 'array' || libOf(b.array) !== 'numpy')
        return undefined;
      return array(dotProduct(a, materialise(b.array)));
    }
    case 'relu':
      return lib === 'torch' && call.args.length === 0 ? array(relu(a, 'torch')) : undefined;
    case 'clamp':
    case 'clip': {
      const lo = numberOf(argumentValue(ev, call, { position: 0, keyword: lib === 'numpy' ? 'a_min' : 'min' }));
      const hi = numberOf(argumentValue(ev, call, { position: 1, keyword: lib === 'numpy' ? 'a_max' : 'max' }));
      if (lo === null && hi === null) return { kind: 'unknown', lossy: false };
      return array(clipped(a, lo, hi));
    }
    case 'size': {
      if (call.args.length === 0)
        return { kind: 'sequence', items: a.shape.map((s) => ({ kind: 'number', value: s, integer: true }) as Value) };
      const d = numberOf(ev.evaluate(call.args[0]));
      const i = d === null ? -1 : d < 0 ? d + a.shape.length : d;
      return i >= 0 && i < a.shape.length ? { kind: 'number', value: a.shape[i], integer: true } : undefined;
    }
    case 'dim':
    case 'ndimension':
      return { kind: 'number', value: a.shape.length, integer: true };
    case 'numel':
      return { kind: 'number', value: a.shape.reduce((p, x) => p * x, 1), integer: true };
    case 'scatter_':
    case 'scatter': {
      const out = scattered(ev, a, call);
      if (out && name === 'scatter_') rebind(out);
      return array(out);
    }
    case 'masked_fill':
    case 'masked_fill_': {
      const out = maskedFill(ev, a, call);
      if (out && name === 'masked_fill_') rebind(out);
      return array(out);
    }
    case 'fill_':
    case 'zero_': {
      const v = name === 'zero_' ? 0 : numberOf(argumentValue(ev, call, { position: 0, keyword: 'value' }));
      if (v === null || !a.data) return { kind: 'unknown', lossy: false };
      const out = computed(a, new Float64Array(a.data.length).fill(v), a.shape.slice(), lib, kindOf(a), null);
      rebind(out);
      return array(out);
    }
    default:
      return undefined;
  }
}

/** The shape of an array value (`y` in `x.expand_as(y)`), else null. */
function shapeOf(v: Value): number[] | null {
  return v.kind === 'array' ? v.array.shape.slice() : null;
}

/** `x.expand(5, 2)`, `x.expand((5, 2))`, `x.expand([5, -1])`: the sizes as integers (-1 allowed), else null. */
function sizesOf(ev: Evaluation, call: CallNode): number[] | null {
  const values = call.args.map((x) => ev.evaluate(x));
  const one = values.length === 1 ? values[0] : null;
  let dims: (number | null)[];
  if (one?.kind === 'sequence') dims = one.items.map(numberOf);
  else if (one?.kind === 'array' && one.array.shape.length === 1 && one.array.data) dims = Array.from(one.array.data);
  else dims = values.map(numberOf);
  return dims.length > 0 && dims.every((d) => d !== null && Number.isInteger(d)) ? (dims as number[]) : null;
}

/** `x.scatter_(1, index, value)` on a 2-D array: `x[i, index[i, j]] = value` (a one-hot builder). */
function scattered(ev: Evaluation, a: ArrayValue, call: CallNode): ArrayValue | null {
  const dim = numberOf(argumentValue(ev, call, { position: 0, keyword: 'dim' }));
  const idx = argumentValue(ev, call, { position: 1, keyword: 'index' });
  const val = argumentValue(ev, call, { position: 2, keyword: 'value' });
  const v = numberOf(val.kind === 'unknown' ? argumentValue(ev, call, { position: -1, keyword: 'src' }) : val);
  if ((dim !== 1 && dim !== -1) || idx.kind !== 'array' || v === null || a.shape.length !== 2) return null;
  const index = materialise(idx.array);
  // torch's scatter takes int64 indices only ("scatter(): Expected dtype int64 for index").
  if (!index.data || index.shape.length !== 2 || index.shape[0] > a.shape[0] || index.narrowInt) return null;
  const rows: number[] = [];
  const cols: number[] = [];
  const per = index.shape[1];
  for (let i = 0; i < index.shape[0]; i++)
    for (let j = 0; j < per; j++) {
      rows.push(i);
      cols.push(index.data[i * per + j]);
    }
  return setItem(
    a,
    [
      { k: 'array', values: rows, ops: rows.map(() => null) },
      { k: 'array', values: cols, ops: cols.map(() => null) },
    ],
    { num: v, integer: Number.isInteger(v) },
  );
}

/** Re-exported for the evaluator: `a[parts]`. */
export { getItem };
