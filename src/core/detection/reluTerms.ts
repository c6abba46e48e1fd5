/**
 * max(x, 0) as terms (logitTerms.ts): what `np.maximum(x, 0)`, `torch.relu(x)` and `x.clamp(min=0)` of a
 * source array are element by element, the first part of the stable binary cross-entropy with logits
 * (docs/detection.md 3.425). Apart from logitTerms.ts, which terms.ts (and so tensorMath.ts) imports.
 */
import { reluTerm } from './logitTerms';
import { maxTermed, operandAt } from './tensorMath';
import type { ArrayValue, Term } from './values';

/** max(x, 0) of every element of a source array (no terms of its own), or null. */
export function reluTerms(a: ArrayValue): (Term | null)[] | null {
  const n = a.data?.length ?? 0;
  if (a.terms || n === 0 || n > maxTermed) return null;
  const out = Array.from({ length: n }, (_, k) => reluTerm(operandAt(a, k)));
  return out.some((t) => t !== null) ? out : null;
}
