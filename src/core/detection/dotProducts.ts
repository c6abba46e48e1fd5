/**
 * `np.dot` / `np.matmul` / `torch.dot` of two vectors, or of a (1, m) row and an (m, 1) column (the
 * course notebooks' `np.dot(Y, np.log(A).T)`): the sum of the products, with what each product is
 * (terms.ts), so that a dot of targets and log-probabilities is read as the sum it writes.
 */
import { matrixProduct } from './matrixProducts';
import { materialise } from './tensorIndex';
import { binaryOp, reduceOp } from './tensorMath';
import type { ArrayValue } from './values';

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
  const prod = binaryOp('*', a, b);
  return prod && reduceOp(prod, 'sum', null, false, 'builtin');
}

/** A (1, m) or (m, 1) array as its m elements, still elements of the same source. */
function flatRow(a0: ArrayValue): ArrayValue {
  const a = materialise(a0);
  const view = a.terms || a.view === null ? a.view : (a.view ?? { root: a, offset: 0 });
  return { ...a, shape: [a.data?.length ?? 0], view };
}
