/**
 * Matrix products of known arrays: `a @ b`, `torch.matmul`, `torch.mm`, `np.matmul`, `np.dot` of a
 * matrix (2-D) by a matrix or a vector, or of a vector by a matrix: the forward pass a demo writes by
 * hand before its loss (`logits = x @ w`, `anchors @ candidates.t()`). Each entry is Σ_k a[i,k]·b[k,j],
 * summed in float64 and rounded once to the result's dtype (float32 for torch's float tensors, so the
 * entry may differ from torch's BLAS in its last bit, far inside every tolerance).
 *
 * Left out (null, so the value stays unknown): batched (3-D and more) products, lists (Python has no
 * `@` for them), a half-precision operand, torch operands of different dtypes (torch refuses
 * `float32 @ int64`), TensorFlow tensors, and products above the size computed anywhere else.
 * Vector·vector and row·column sums are dotProducts.ts's (they keep what each product is).
 */
import { affordable } from './computeBudget';
import { computed, kindOf, libOf, maxComputed, type Kind } from './tensorMath';
import { materialise } from './tensorIndex';
import type { ArrayValue } from './values';

export function matrixProduct(a0: ArrayValue, b0: ArrayValue): ArrayValue | null {
  const [a, b] = [materialise(a0), materialise(b0)];
  const lib = libOf(a);
  if ((lib !== 'torch' && lib !== 'numpy') || libOf(b) !== lib) return null;
  if (a.tensorOf === 'tensorflow' || b.tensorOf === 'tensorflow' || a.halfPrecision || b.halfPrecision) return null;
  if (!a.data || !b.data || a.shape.length < 1 || a.shape.length > 2 || b.shape.length < 1 || b.shape.length > 2)
    return null;
  if (a.shape.length === 1 && b.shape.length === 1) return null;
  // A vector on the left is a row, on the right a column; that dimension is dropped from the result.
  const [m, n] = a.shape.length === 2 ? [a.shape[0], a.shape[1]] : [1, a.shape[0]];
  const [n2, p] = b.shape.length === 2 ? [b.shape[0], b.shape[1]] : [b.shape[0], 1];
  if (n !== n2 || m * n * p > maxComputed || !affordable(m * p)) return null;
  const [ka, kb] = [kindOf(a), kindOf(b)];
  let kind: Kind;
  if (lib === 'torch') {
    if (ka !== kb) return null;
    kind = ka;
  } else kind = ka === 'int' && kb === 'int' ? 'int' : 'float64';
  const data = new Float64Array(m * p);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a.data[i * n + k] * b.data[k * p + j];
      data[i * p + j] = kind === 'float32' ? Math.fround(s) : s;
    }
  const shape = a.shape.length === 2 && b.shape.length === 2 ? [m, p] : a.shape.length === 2 ? [m] : [p];
  return computed(a, data, shape, lib, kind, null);
}
