/**
 * An ε added to softmax probabilities after they are picked (docs/detection.md 3.87):
 * `-np.mean(np.log(probs[np.arange(n), y] + 1e-12))` with `probs` a softmax the code computed.
 */
import { sameRoot } from './termRoots';
import type { Cls, Term, TermOf } from './terms';
import { withArray, type ArrayValue } from './values';

/**
 * `probs[rows, t] + ε` with `probs` a whole array of softmax probabilities the code computed (3.87): the
 * same elements picked from `probs + ε`, a source of given probabilities computed elementwise from the
 * code's own probabilities, so that the log of the sum is a negative log-likelihood of `probs + ε`
 * (torch's NLLLoss of log(p + ε)), never a softmax cross-entropy of the logits.
 */
export function softmaxPickPlusNumber(
  arr: ArrayValue,
  num: { num: number; integer: boolean },
  add: (probs: ArrayValue, n: { num: number; integer: boolean }) => ArrayValue | null,
): (Term | null)[] | null {
  const probs = arr.pickedFrom;
  const first = arr.terms?.[0];
  if (!probs?.data || !probs.terms || first?.t !== 'p') return null;
  const src = first.src;
  if (probs.shape.length !== src.shape.length || probs.shape.some((s, i) => s !== src.shape[i])) return null;
  const picks = arr.terms as (Term | null)[];
  if (!picks.every((t) => t !== null && t.t === 'p' && sameRoot(t.src, src) && t.at !== null)) return null;
  const plain = withArray(probs, { terms: undefined, view: undefined, pickedFrom: undefined });
  const shifted = add(plain, num);
  if (!shifted || shifted.terms || !shifted.data) return null;
  const root = withArray(shifted, { name: probs.name, view: undefined });
  return picks.map((t) => {
    const p = t as TermOf<'p'>;
    return { t: 'x', src: root, r: p.r, c: p.c, at: p.at as Cls };
  });
}
