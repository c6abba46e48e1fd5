/**
 * The class an index picks (`p[r, y[r]]`, `p[0, 2]`): from a target's row when the index is an integer
 * target array or a term that says so, else a constant class. Used by tensorIndex.ts beside terms.ts.
 */
import type { Operand } from './binaryTerms';
import type { Cls } from './values';

/**
 * A class index used to pick: from a target's row (an integer target array, or a term that says
 * so), or a constant. `f`: the element's flat position in its root.
 */
export function classOf(index: Operand, value: number): Cls | null {
  if (!Number.isInteger(value)) return null;
  if (!index || 'num' in index) return { tgt: null, r: -1, c: value };
  if ('raw' in index) {
    const { root } = index.raw;
    if (!root.integerTensor && !(root.site.integral && root.dtype === null)) return { tgt: null, r: -1, c: value };
    const r = root.shape.length === 2 && root.shape[1] === 1 ? index.raw.r : index.raw.c;
    return { tgt: root, r: root.shape.length === 0 ? -1 : r, c: value };
  }
  return index.term.t === 'cls' ? { tgt: index.term.tgt, r: index.term.r, c: value } : null;
}
