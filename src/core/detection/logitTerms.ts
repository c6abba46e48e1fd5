/**
 * The numerically stable binary cross-entropy with logits written by hand (docs/detection.md 3.425),
 * `max(x, 0) - x * z + log(1 + exp(-abs(x)))` elementwise (TensorFlow's documented form, torch's
 * `BCEWithLogitsLoss`): its three parts as terms of the element x[r, c] of a logits array, joined in
 * any order of addition once the product's two factors are the same element of x and of a target z.
 * The whole is one sample's loss (a `ll` of the form `formula.binary_logits_loss`, its flat position
 * as `r`), reduced as any row loss is (terms.ts). Values are the code's own arithmetic (tensorMath.ts);
 * these terms only say what each number is. Nothing here reads terms.ts (terms.ts calls in).
 */
import { flatOf, type Operand, type Raw } from './binaryTerms';
import { sameRoot } from './termRoots';
import type { ArrayValue, Term, TermOf } from './values';

/** Parts of the stable form: max(x, 0), −x·z, log(1 + e^−|x|). */
const RELU = 1;
const XZ = 2;
const SOFT = 4;

const at = (x: Raw): { src: ArrayValue; r: number; c: number } => ({ src: x.root, r: x.r, c: x.c });

/** max(x[r, c], 0) of a logits array (`np.maximum(x, 0)`, `torch.relu(x)`, `x.clamp(min=0)`). */
export function reluTerm(x: Operand): Term | null {
  return x && 'raw' in x ? { t: 'bwl', ...at(x.raw), tgt: null, parts: RELU } : null;
}

/** The full form as one sample's loss; a part of it as it is. */
function closed(t: TermOf<'bwl'>): Term {
  if (t.parts !== (RELU | XZ | SOFT) || !t.tgt) return t;
  return {
    t: 'll',
    src: t.src,
    r: flatOf(t.src, t.r, t.c),
    via: 'given',
    form: 'formula.binary_logits_loss',
    tgt: t.tgt,
    c: -1,
    probs: false,
    neg: true,
  };
}

/**
 * `abs`, `neg`, `exp`, `log`, `log1p` of a step of the form: the term, null when the result is no
 * step, undefined when the operand is none of them (terms.ts reads it then).
 */
export function logitUnary(op: string, x: Operand): Term | null | undefined {
  if (!x || 'num' in x) return op === 'abs' || op === 'log1p' ? null : undefined;
  if ('raw' in x) return op === 'abs' ? { t: 'absx', ...at(x.raw), neg: false } : op === 'log1p' ? null : undefined;
  const a = x.term;
  if (a.t === 'absx') {
    if (op === 'neg') return { ...a, neg: !a.neg };
    return op === 'exp' && a.neg ? { t: 'enabs', src: a.src, r: a.r, c: a.c } : null;
  }
  if (a.t === 'enabs') return op === 'log1p' ? { t: 'bwl', src: a.src, r: a.r, c: a.c, tgt: null, parts: SOFT } : null;
  if (a.t === 'onepe') return op === 'log' ? { t: 'bwl', src: a.src, r: a.r, c: a.c, tgt: null, parts: SOFT } : null;
  if (a.t === 'bwl' || a.t === 'xz') return null;
  return op === 'abs' || op === 'log1p' ? null : undefined;
}

/** Two source arrays of one shape, neither with terms: their product may be the x·z of the form. */
export function mayBeLogitProduct(a: ArrayValue | undefined, b: ArrayValue | undefined): boolean {
  if (!a || !b || a.terms || b.terms || sameRoot(a, b) || a.shape.length === 0) return false;
  return a.shape.length === b.shape.length && a.shape.every((n, i) => n === b.shape[i]);
}

/** x[r, c]·z[r, c]: either factor may be the logits, which the other parts decide. */
export function productTerm(a: Raw, b: Raw): Term | null {
  if (sameRoot(a.root, b.root) || a.r !== b.r || a.c !== b.c) return null;
  const same = a.root.shape.length === b.root.shape.length && a.root.shape.every((n, i) => n === b.root.shape[i]);
  return same ? { t: 'xz', a, b } : null;
}

/** The target of x·z for a part of x[r, c]: the factor that is not x, when one factor is. */
function targetOf(t: TermOf<'bwl'>, p: TermOf<'xz'>): ArrayValue | null {
  const isX = (e: Raw): boolean => sameRoot(e.root, t.src) && e.r === t.r && e.c === t.c;
  if (isX(p.a) && !isX(p.b)) return p.b.root;
  if (isX(p.b) && !isX(p.a)) return p.a.root;
  return null;
}

/** Two parts of one element added: the union of their parts, when they do not overlap. */
function joined(a: TermOf<'bwl'>, b: TermOf<'bwl'>): Term | null {
  if (!sameRoot(a.src, b.src) || a.r !== b.r || a.c !== b.c || (a.parts & b.parts) !== 0) return null;
  if (a.tgt && b.tgt && !sameRoot(a.tgt, b.tgt)) return null;
  return closed({ ...a, tgt: a.tgt ?? b.tgt, parts: a.parts | b.parts });
}

/**
 * `+` and `-` of steps of the form (`1 + exp(-|x|)`, `max(x, 0) - x * z`, … `+ log(1 + exp(-|x|))`): the
 * term, null when the result is no step, undefined when neither operand is one (terms.ts reads it then).
 */
export function logitBinary(op: string, a: Operand, b: Operand): Term | null | undefined {
  const ta = a && 'term' in a ? a.term : null;
  const tb = b && 'term' in b ? b.term : null;
  const mine = (t: Term | null): boolean =>
    !!t && (t.t === 'bwl' || t.t === 'xz' || t.t === 'enabs' || t.t === 'onepe');
  if (!mine(ta) && !mine(tb)) return undefined;
  if (op === '+') {
    if (ta?.t === 'enabs' && b && 'num' in b && b.num === 1) return { ...ta, t: 'onepe' };
    if (tb?.t === 'enabs' && a && 'num' in a && a.num === 1) return { ...tb, t: 'onepe' };
    if (ta?.t === 'bwl' && tb?.t === 'bwl') return joined(ta, tb);
    return null;
  }
  if (op === '-' && ta?.t === 'bwl' && tb?.t === 'xz' && (ta.parts & XZ) === 0) {
    const z = targetOf(ta, tb);
    if (!z || (ta.tgt && !sameRoot(ta.tgt, z))) return null;
    return closed({ ...ta, tgt: z, parts: ta.parts | XZ });
  }
  return null;
}
