/**
 * The binary log loss's steps at one element (terms.ts): log(1 − p) of a complement `1 - p`, with an
 * ε added after it, (1 − y) · log(1 − p), and y · log p + (1 − y) · log(1 − p) as one sample's
 * log-likelihood. Split from terms.ts; nothing here reads terms.ts.
 */
import { classesOf, rowClass, sameRoot } from './termRoots';
import type { ArrayValue, Term, TermOf } from './values';

/** An element of a value that is not a term: its place in a source array, or a plain number. */
/** What an arithmetic operand is to the term algebra: a term, an element of a literal, a number, or unknown. */
export type Operand = { term: Term } | { raw: Raw } | { num: number } | null;

export interface Raw {
  root: ArrayValue;
  r: number;
  c: number;
}

/**
 * The element a complement stands for: for an element of `1 - p` (values.ts `complementOf`), the
 * element of p it is one minus; null for any other element.
 */
export function complementAt(x: Raw): Raw | null {
  return linkedAt(x, x.root.complementOf);
}

/** For an element of `1 / p` (values.ts `reciprocalOf`), the element of p it is the reciprocal of. */
export function reciprocalAt(x: Raw): Raw | null {
  return linkedAt(x, x.root.reciprocalOf);
}

function linkedAt(x: Raw, of: { root: ArrayValue; offset: number } | undefined): Raw | null {
  if (!of) return null;
  const s = x.root.shape;
  const flat = s.length === 0 ? 0 : x.r < 0 ? x.c : x.r * s[s.length - 1] + x.c;
  const f = of.offset + flat;
  if (of.root.shape.length === 0) return f === 0 ? { root: of.root, r: -1, c: 0 } : null;
  const rc = rowClass(of.root, f);
  return rc ? { root: of.root, ...rc } : null;
}

/** log(1 − p + ε) at an element of `(1 - p) + eps` (values.ts `plusOf`): the complement, with its ε. */
export function shiftedComplement(x: Raw): Term | null {
  const plus = x.root.plusOf;
  if (!plus || !Number.isFinite(plus.by) || !plus.root.complementOf || plus.root.shape.length !== x.root.shape.length)
    return null;
  const f = plus.offset + flatOf(x.root, x.r, x.c);
  const rc = plus.root.shape.length === 0 ? (f === 0 ? { r: -1, c: 0 } : null) : rowClass(plus.root, f);
  const of = rc ? complementAt({ root: plus.root, ...rc }) : null;
  return of ? { t: 'logcmp', src: of.root, r: of.r, c: of.c, neg: false, eps: plus.by } : null;
}

/** Is `shifted` the source p + ε (the same p, the same ε)? */
function shiftedBy(shifted: ArrayValue, p: ArrayValue, eps: number): boolean {
  const plus = shifted.plusOf;
  return !!plus && plus.by === eps && plus.offset === 0 && sameRoot(plus.root, p);
}

/** Flat position of element (r, c) of a root (r −1: a (C) or 0-d root). */
export function flatOf(root: ArrayValue, r: number, c: number): number {
  return r < 0 ? c : r * classesOf(root) + c;
}

/** (1 − y) · log(1 − p) at one element: the complement target must be of another array than p. */
export function tail(l: TermOf<'logcmp'>, t: Raw): Term | null {
  const y = complementAt(t);
  if (!y || sameRoot(y.root, l.src) || y.r !== l.r || y.c !== l.c) return null;
  const eps = l.eps !== undefined ? { eps: l.eps } : {};
  return { t: 'btail', src: l.src, r: l.r, c: l.c, tgt: y.root, neg: l.neg, ...eps };
}

/**
 * y · log p + (1 − y) · log(1 − p) at the same element of the same p and y: one sample's binary
 * log-likelihood (its negation is the binary cross-entropy torch's BCELoss computes per element).
 */
export function binaryLl(a: TermOf<'tlogp'>, b: TermOf<'btail'>): Term | null {
  if (
    a.via !== 'given' ||
    a.masked !== undefined ||
    a.cls.length !== 1 ||
    a.cls[0] !== b.c ||
    a.r !== b.r ||
    a.neg !== b.neg
  )
    return null;
  // With ε inside both logs, y · log(p + ε) reads the source p + ε of the same p as the complement's.
  const eps = b.eps;
  if (eps === undefined ? !sameRoot(a.src, b.src) : !shiftedBy(a.src, b.src, eps)) return null;
  if (!sameRoot(a.tgt, b.tgt)) return null;
  return {
    ...(eps !== undefined ? { eps } : {}),
    t: 'll',
    src: b.src,
    r: flatOf(a.src, a.r, b.c),
    via: 'given',
    form: 'formula.binary_log_loss',
    tgt: a.tgt,
    c: -1,
    probs: true,
    neg: a.neg,
  };
}

/**
 * `-y[i]`: the negation of elements of a source that are not the whole source (a whole one is
 * tensorMath's `negatedOf`), each read as −y at its place, or null where an element is not one.
 */
export function negatedRaws(ops: ({ raw: Raw } | object | null)[]): (Term | null)[] | null {
  const out = ops.map((o): Term | null =>
    o && 'raw' in o ? { t: 'negy', src: o.raw.root, r: o.raw.r, c: o.raw.c } : null,
  );
  return out.some((t) => t !== null) ? out : null;
}
