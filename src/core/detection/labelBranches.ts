/**
 * A binary log loss written as a branch on the sample's label (docs/detection.md 3.163):
 *
 *     if y == 1:          (or `if y:`, or `if y == 0:` with the branches the other way)
 *         return -np.log(p)
 *     else:
 *         return -np.log(1 - p)
 *
 * followed with y an element of a target array and p the element of the probabilities at the same
 * position. The branch the replay took returns −log p or −log(1 − p); with the label known (0 or 1)
 * that is exactly y · log p + (1 − y) · log(1 − p) negated, so the value becomes that sample's binary
 * log-likelihood term (binaryTerms.ts), and a list of such calls reduces to the loss it computes.
 * Only the shape where the label decides the branch: the branch for 1 must take log p, the branch
 * for 0 log(1 − p), of the same sample; anything else keeps the value as it was (no term, no pair).
 */
import type { Evaluation } from './evaluation';
import type { Node } from './expr';
import { flatOf, type Raw } from './binaryTerms';
import { operandAt } from './tensorMath';
import { clipSources } from './clipSources';
import { clipped } from './clipSources';
import { rowClass } from './termRoots';
import type { ArrayValue, Term, Value } from './values';

/** `y == 1` / `1 == y` / `y == 0`, or `y` alone (true for 1): the label's node and the number it is compared with. */
function labelTest(n: Node): { label: Node; k: number } | null {
  if (n.type === 'name' || n.type === 'subscript') return { label: n, k: 1 };
  if (n.type !== 'binary' || n.op !== '==') return null;
  const { left: l, right: r } = n;
  if (r.type === 'number' && (r.value === 0 || r.value === 1)) return { label: l, k: r.value };
  if (l.type === 'number' && (l.value === 0 || l.value === 1)) return { label: r, k: l.value };
  return null;
}

/**
 * The value a branch returned, as the sample's binary log-likelihood term when the `if` is
 * `if y == K: … else: …` on a label element known here; `value` unchanged otherwise.
 */
export function labelBranch(
  ev: Evaluation,
  tests: { cond: (() => Node) | null }[],
  taken: number,
  value: Value,
): Value {
  if (tests.length !== 2 || tests[1].cond !== null || !tests[0].cond) return value;
  if (value.kind !== 'array' || value.array.shape.length !== 0 || !value.array.terms) return value;
  const test = labelTest(tests[0].cond());
  if (!test) return value;
  const y = ev.evaluate(test.label);
  if (y.kind !== 'array' || y.array.shape.length !== 0 || y.array.data?.length !== 1) return value;
  const label = y.array.data[0];
  if (label !== 0 && label !== 1) return value;
  // The branch taken must be the one the label decides (the first when y == K).
  if ((taken === 0) !== (label === test.k)) return value;
  const yAt = operandAt(y.array, 0);
  const term = value.array.terms[0];
  if (!yAt || !('raw' in yAt) || !term) return value;
  const ll = sampleTerm(wholeClip(term), label, yAt.raw);
  return ll ? { kind: 'array', array: { ...value.array, terms: [ll] } } : value;
}

/** −log p (label 1) or −log(1 − p) (label 0) of the label's own sample, as its binary log-likelihood. */
function sampleTerm(term: Term, label: number, y: Raw): Term | null {
  const ok =
    label === 1
      ? term.t === 'logp' && term.via === 'given' && term.masked === undefined && !term.src.plusOf
      : term.t === 'logcmp' && term.eps === undefined;
  if (!ok || (term.t !== 'logp' && term.t !== 'logcmp')) return null;
  const at = flatOf(term.src, term.r, term.c);
  if (y.root === term.src || at !== flatOf(y.root, y.r, y.c) || size(y.root.shape) !== size(term.src.shape))
    return null;
  return {
    t: 'll',
    src: term.src,
    r: at,
    via: 'given',
    form: 'formula.binary_log_loss',
    tgt: y.root,
    c: -1,
    probs: true,
    neg: term.neg,
  };
}

/** Clipped arrays made for whole roots, one per root and bounds: every sample's term shares it. */
const wholes = new WeakMap<ArrayValue, Map<string, ArrayValue>>();

/**
 * A term on a clip of one element (`p = np.clip(p, eps, 1 - eps)` inside the function) as the same
 * term on the clip of the whole array it came from, at that element: the numbers are the same (one
 * clip, elementwise), and the samples of a list then share one source, so their mean is one loss.
 */
function wholeClip(term: Term): Term {
  if ((term.t !== 'logp' && term.t !== 'logcmp') || term.src.shape.length !== 0 || !term.src.clippedTo) return term;
  const from = term.src.data && clipSources.get(term.src.data);
  if (!from) return term;
  const { lo, hi } = term.src.clippedTo;
  const key = `${lo}:${hi}`;
  const known = wholes.get(from.root) ?? new Map<string, ArrayValue>();
  wholes.set(from.root, known);
  const whole = known.get(key) ?? clipped(from.root, lo, hi);
  if (!whole) return term;
  known.set(key, whole);
  const rc = whole.shape.length === 0 ? { r: -1, c: 0 } : rowClass(whole, from.offset);
  return rc ? { ...term, src: whole, ...rc } : term;
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
