/**
 * The logistic function written out on one element, `1 / (1 + Math.exp(-z))` (docs/detection.md 3.326):
 * JavaScript helpers (`const sigmoid = (z) => 1 / (1 + Math.exp(-z))`) run over a row of logits, one
 * element at a time, in a `.map` callback or a loop, and so do Python's `math.exp` helpers. The number is
 * the code's own double; what it is, for a binary cross-entropy written around it (`y * Math.log(sigmoid(z))
 * + (1 - y) * Math.log(1 - sigmoid(z))`), is element k of σ(z): an array of its own made once per source
 * (so every call on the same element reads the same source), whose element the log and the complement
 * read as they read a probability given as a number (terms.ts). The pair is then the binary log loss of
 * those probabilities, computed as the code computes it.
 *
 * Only this shape: `1 / (1 + E)` or `1 / (E + 1)`, E = `Math.exp(-x)` / `math.exp(-x)` (or `np.exp(-x)`
 * of a float64 or plain-number source), x an element of an array source (a literal, a row of one); a
 * number bound by a literal stays a number (3.297 reads its helpers). Tensors (torch, tfjs, TensorFlow) and float32 numpy sources are left to
 * their own rules: their exp is not the double computed here.
 */
import type { Evaluation } from './evaluation';
import type { Node, NodeOf } from './expr';
import { rootOf } from './tensorMath';
import type { ArrayValue, Value } from './values';

/** Sources with more elements are not copied (a sigmoid of a long row is no hand-written loss's). */
const maxElements = 4096;

const doubleExps = new Set(['Math.exp', 'math.exp']);

/**
 * σ(root), one per source's numbers: a callback's receiver is read afresh for each element (a copy of
 * the same root, holding the same numbers), so the numbers, not the copy, say which source it is.
 */
const derived = new WeakMap<Float64Array, ArrayValue>();

const isOne = (n: Node): boolean => n.type === 'number' && n.value === 1;

/** The `-x` of `exp(-x)` in `1 + exp(-x)` / `exp(-x) + 1`, with the exp's callee; null for other shapes. */
function expOfNegated(n: Node): { callee: Node; x: Node } | null {
  if (n.type !== 'binary' || n.op !== '+') return null;
  const e = isOne(n.left) ? n.right : isOne(n.right) ? n.left : null;
  if (!e || e.type !== 'call' || e.args.length !== 1 || e.keywords.length || e.isNew) return null;
  const arg = e.args[0];
  return arg.type === 'unary' && arg.op === '-' && simple(arg.operand) ? { callee: e.callee, x: arg.operand } : null;
}

/**
 * A name, or a name subscripted by a name or a number (`z`, `z[i]`, `row[0]`): read once more here when
 * the division is not a sigmoid of an element, so only shapes that cost nothing to read twice are taken
 * (a nested `1 / (1 + exp(-(1 / (1 + …))))` is never read twice per level).
 */
function simple(n: Node): boolean {
  if (n.type === 'name') return true;
  return (
    n.type === 'subscript' &&
    n.object.type === 'name' &&
    (n.index.type === 'name' || (n.index.type === 'number' && n.index.integer))
  );
}

/** The source element x is: its root and flat offset; null when x is not one (or not a double's). */
function elementOf(x: Value, numpyExp: boolean): { root: ArrayValue; offset: number } | null {
  // A number bound by a literal stays a number: `-math.log(1 / (1 + math.exp(-x)))` of numbers is 3.297's.
  const a = x.kind === 'array' ? x.array : null;
  if (!a || a.terms || a.transform) return null;
  const at = rootOf(a);
  if (!at) return null;
  const root = at.root;
  // A whole ndarray (`sigmoid(z)` of numpy's z, 3.326): only numpy's exp takes one, and only all of a source.
  if (a.shape.length !== 0 && (!numpyExp || at.offset !== 0 || a.data?.length !== root.data?.length)) return null;
  if (root.terms || root.transform || root.complementOf || root.negatedOf || root.halfPrecision) return null;
  if (root.container === 'tensor' || root.container === 'tf' || root.tensorOf) return null;
  if (numpyExp && root.container === 'ndarray' && root.dtype !== 'float64' && !root.integerTensor) return null;
  if (!root.data || root.data.length > maxElements || at.offset >= root.data.length) return null;
  return { root, offset: at.offset };
}

/** The σ(source) arrays made here. */
const sigmoidRoots = new WeakSet<ArrayValue>();

/**
 * The items of a `.map` over a row, when each is element k of one σ(source) in order (`z.map((v) => 1 / (1 +
 * Math.exp(-v)))`, `z.map(sigmoid)` with an arrow helper): that σ(source) itself, as numpy's whole-array sigmoid
 * is; null otherwise.
 */
export function sigmoidRow(items: Value[]): ArrayValue | null {
  let root: ArrayValue | null = null;
  for (const [k, v] of items.entries()) {
    const view = v.kind === 'array' && v.array.shape.length === 0 ? v.array.view : null;
    if (!view || view.offset !== k || !sigmoidRoots.has(view.root) || (root !== null && view.root !== root))
      return null;
    root = view.root;
  }
  return root && root.shape.length === 1 && root.data?.length === items.length ? root : null;
}

function sigmoidRoot(root: ArrayValue): ArrayValue {
  const numbers = root.data as Float64Array;
  let s = derived.get(numbers);
  if (!s || s.site.id !== root.site.id || s.shape.length !== root.shape.length) {
    const data = Float64Array.from(root.data as Float64Array, (v) => 1 / (1 + Math.exp(-v)));
    s = {
      site: root.site,
      data,
      shape: root.shape.slice(),
      integerTensor: false,
      dtype: root.container === 'ndarray' ? 'float64' : root.dtype === null ? null : 'float64',
      dtypeSource: root.dtypeSource,
      container: root.container,
      transform: null,
      name: root.name,
      fresh: false,
      derived: true,
    };
    derived.set(numbers, s);
    sigmoidRoots.add(s);
  }
  return s;
}

/**
 * `1 / (1 + exp(-x))` of one element (see the header): the same double, as element k of σ(source);
 * null for any other division.
 */
export function sigmoidElement(ev: Evaluation, node: NodeOf<'binary'>): Value | null {
  if (node.op !== '/' || !isOne(node.left)) return null;
  const e = expOfNegated(node.right);
  if (!e) return null;
  const fn = ev.evaluate(e.callee);
  if (fn.kind !== 'namespace' || (!doubleExps.has(fn.path) && fn.path !== 'numpy.exp')) return null;
  return sigmoidSource(ev.evaluate(e.x), fn.path === 'numpy.exp');
}

/**
 * σ of x when x is an element (or, with numpy's exp, the whole) of a source: element k of σ(source), or
 * σ(source) itself; null otherwise. Also the course helper `sigmoid` of deeplearning.ai's labs
 * (`from lab_utils_common import sigmoid`: numpy's `1 / (1 + np.exp(-z))` after a clip to ±500, 3.415).
 */
export function sigmoidSource(x: Value, numpyExp = true): Value | null {
  const at = elementOf(x, numpyExp);
  if (!at) return null;
  const s = sigmoidRoot(at.root);
  if (x.kind === 'array' && x.array.shape.length !== 0) return { kind: 'array', array: s };
  const value = (s.data as Float64Array)[at.offset];
  // An element read as the source's elements are read (a number of a list, a scalar of an ndarray).
  const of = x.kind === 'array' ? x.array : null;
  const element: ArrayValue = {
    ...s,
    data: Float64Array.of(value),
    shape: [],
    container: of ? of.container : 'scalar',
    dtype: of && of.dtype !== null ? 'float64' : s.dtype,
    name: null,
    view: { root: s, offset: at.offset },
  };
  return { kind: 'array', array: element };
}
