/**
 * `np.dot` / `np.matmul` / `torch.dot` of two vectors, or of a (1, m) row and an (m, 1) column (the
 * course notebooks' `np.dot(Y, np.log(A).T)`): the sum of the products, with what each product is
 * (terms.ts), so that a dot of targets and log-probabilities is read as the sum it writes.
 */
import { matrixProduct } from './matrixProducts';
import { getItem, materialise } from './tensorIndex';
import { binaryOp, libOf, reduceOp, rootOf } from './tensorMath';
import type { ArrayValue } from './values';

/** X @ w of a numpy matrix source and a vector source, made once per pair of sources (their numbers). */
const rowProducts = new WeakMap<Float64Array, WeakMap<Float64Array, ArrayValue>>();

/**
 * `np.dot(X[i], w)` (or `np.dot(w, X[i])`, `X[i] @ w`) of row i of a numpy matrix source X and a whole vector
 * source w: element i of X @ w, a view of that product made once per (X, w), so that a loop over the rows
 * (the course labs' `z_i = np.dot(X[i], w) + b`) reads one source element by element, as `(X @ w + b)[i]`
 * does. The number is the same sum, Σ_k X[i, k]·w[k] left to right in float64. null for other operands.
 */
function rowDot(row: ArrayValue, vec: ArrayValue): ArrayValue | null {
  if (libOf(row) !== 'numpy' || libOf(vec) !== 'numpy' || row.terms || vec.terms || row.transform || vec.transform)
    return null;
  const [r, v] = [rootOf(row), rootOf(vec)];
  if (!r || !v || row.shape.length !== 1 || vec.shape.length !== 1) return null;
  const [x, w, n] = [r.root, v.root, row.shape[0]];
  if (x.shape.length !== 2 || x.shape[1] !== n || r.offset % n !== 0 || x.terms || x.transform || !x.data) return null;
  if (w.shape.length !== 1 || w.shape[0] !== n || v.offset !== 0 || w.terms || w.transform || !w.data) return null;
  let byVector = rowProducts.get(x.data);
  if (!byVector) rowProducts.set(x.data, (byVector = new WeakMap()));
  let product = byVector.get(w.data);
  if (!product) {
    const made = matrixProduct(x, w);
    if (!made || made.terms || made.shape.length !== 1) return null;
    byVector.set(w.data, (product = made));
  }
  return getItem(product, [{ k: 'int', value: r.offset / n, op: null }]);
}

/** `np.dot(a, b)` / `a @ b`: Σ a·b left to right, for vectors and a row times a column; not other matrices. */
export function dotProduct(a: ArrayValue, b: ArrayValue, matrices = true): ArrayValue | null {
  // A (1, m) row times an (m, 1) column is the same sum, as a (1, 1) array.
  const [ra, cb] = [a.shape.length === 2 && a.shape[0] === 1, b.shape.length === 2 && b.shape[1] === 1];
  if (ra && cb && a.shape[1] === b.shape[0]) {
    const s = dotProduct(flatRow(a), flatRow(b));
    return s && { ...s, shape: [1, 1] };
  }
  // A matrix on either side (`x @ w`, `np.dot(x, w)`): a matrix product (matrixProducts.ts).
  if (matrices && (a.shape.length === 2 || b.shape.length === 2)) return matrixProduct(a, b);
  if (a.shape.length !== 1 || b.shape.length !== 1 || a.shape[0] !== b.shape[0]) return null;
  const element = rowDot(a, b) ?? rowDot(b, a);
  if (element) return element;
  const prod = binaryOp('*', a, b);
  return prod && reduceOp(prod, 'sum', null, false, 'builtin');
}

/** A (1, m) or (m, 1) array as its m elements, still elements of the same source. */
function flatRow(a0: ArrayValue): ArrayValue {
  const a = materialise(a0);
  const view = a.terms || a.view === null ? a.view : (a.view ?? { root: a, offset: 0 });
  return { ...a, shape: [a.data?.length ?? 0], view };
}
