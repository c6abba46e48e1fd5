/**
 * Class weights in a cross-entropy written by hand (docs/detection.md 3.423), as torch's `weight=` applies
 * them: each row's loss times the weight of its class, summed, or divided by the sum of those weights
 * (`reduction='mean'`). Spellings: `w[t] * logp[range(n), t]` then `.sum() / w[t].sum()`, and the scalar
 * expansion `-(log(p[0, 1]) * w[1] + log(p[1, 0]) * w[0]) / (w[0] + w[1])`. A weight is an element of a
 * one-axis float array with one number per class, read at the row's own class (by the target's row, or
 * by the class written as a constant when the pick is written so); anything else is no weight here (a
 * per-sample weight, a mask, a target), and a divisor that is not the sum of the weights used makes no
 * loss. Terms only say what a number is: the value is the code's own arithmetic (tensorMath.ts).
 * Nothing here reads terms.ts (terms.ts calls in).
 */
import type { Operand, Raw } from './binaryTerms';
import { classesOf, sameRoot } from './termRoots';
import type { ArrayValue, Cls, Term, TermOf } from './values';

type Weighted = TermOf<'wll'> | TermOf<'wred'>;

/** A float array of one axis whose numbers can be class weights: finite, ≥ 0, not only 0s and 1s (a mask, a one-hot row). */
function weightsRoot(root: ArrayValue): boolean {
  const d = root.data;
  if (root.shape.length !== 1 || !d || d.length === 0 || root.integerTensor) return false;
  if (root.dtype === null && root.site.integral && !root.derived) return false;
  let other = false;
  for (const v of d) {
    if (!(v >= 0) || !Number.isFinite(v)) return false;
    if (v !== 0 && v !== 1) other = true;
  }
  return other;
}

/**
 * `w[t]`, `w[y[i]]`: element c of a one-axis array read at row r's class, where row r of a batch has
 * no element of its own in `w` (terms.ts `pickTerm`, when the rows do not align).
 */
export function classWeightPick(x: Raw, cls: Cls): Term | null {
  if (cls.tgt === null || cls.r < 0 || x.r !== -1 || x.c !== cls.c) return null;
  if (sameRoot(x.root, cls.tgt) || !weightsRoot(x.root)) return null;
  return { t: 'wpick', src: x.root, c: x.c, tgt: cls.tgt, r: cls.r, neg: false };
}

/** A row's loss a class weight can multiply: −log p[r, c] (or its log) at one class of a batch. */
function weighable(ll: TermOf<'ll'>, w: ArrayValue): boolean {
  if (ll.probs || ll.c < 0 || ll.r < 0 || ll.src.shape.length !== 2 || ll.via === 'bits') return false;
  if (ll.form === 'formula.binary_log_loss' || ll.eps !== undefined || ll.masked !== undefined || ll.elems)
    return false;
  return w.shape.length === 1 && w.shape[0] === classesOf(ll.src) && !sameRoot(w, ll.src) && !sameRoot(w, ll.tgt);
}

/** w[c] as the code holds it: float32 for a float32 tensor, else the number written. */
function weightAt(w: ArrayValue, c: number): number {
  const v = (w.data as Float64Array)[c];
  return w.dtype === 'float32' ? Math.fround(v) : v;
}

/** Row loss × weight element (either order of the product). */
function weigh(ll: TermOf<'ll'>, x: Operand): Term | null {
  if (!x || 'num' in x) return null;
  if ('raw' in x) {
    const { root, r, c } = x.raw;
    if (r !== -1 || c !== ll.c || !weightsRoot(root) || !weighable(ll, root)) return null;
    return { t: 'wll', ll, w: root, wt: weightAt(root, c) };
  }
  const p = x.term;
  if (p.t !== 'wpick' || p.r !== ll.r || p.c !== ll.c || !weighable(ll, p.src)) return null;
  if (ll.tgt !== null && !sameRoot(ll.tgt, p.tgt)) return null;
  return { t: 'wll', ll: p.neg ? { ...ll, neg: !ll.neg } : ll, w: p.src, wt: weightAt(p.src, p.c) };
}

function rowsOf(t: Weighted): { rows: TermOf<'ll'>[]; wts: number[] } | null {
  if (t.t === 'wll') return { rows: [t.ll], wts: [t.wt] };
  return t.how === 'sum' ? { rows: t.rows, wts: t.wts } : null;
}

/** Two rows of one formula: the same arrays, form and sign. */
function alike(a: TermOf<'ll'>, b: TermOf<'ll'>): boolean {
  return (
    sameRoot(a.src, b.src) &&
    a.via === b.via &&
    a.form === b.form &&
    a.neg === b.neg &&
    (a.tgt === null) === (b.tgt === null) &&
    (a.tgt === null || sameRoot(a.tgt, b.tgt))
  );
}

/** The sum of two weighted sums of rows, when no row is counted twice. */
function joined(a: Weighted, b: Weighted): Term | null {
  const x = rowsOf(a);
  const y = rowsOf(b);
  if (!x || !y || !sameRoot(a.w, b.w)) return null;
  const first = x.rows[0];
  const seen = new Set(x.rows.map((t) => t.r));
  for (const t of y.rows) {
    if (seen.has(t.r) || !alike(first, t)) return null;
    seen.add(t.r);
  }
  return { t: 'wred', rows: [...x.rows, ...y.rows], w: a.w, wts: [...x.wts, ...y.wts], how: 'sum' };
}

/** The negation of a class weight, a weighted row or a weighted sum. */
export function negatedWeighted<T extends Weighted | TermOf<'wpick'>>(t: T): T;
export function negatedWeighted(t: Weighted | TermOf<'wpick'>): Weighted | TermOf<'wpick'> {
  if (t.t === 'wpick') return { ...t, neg: !t.neg };
  if (t.t === 'wll') return { ...t, ll: { ...t.ll, neg: !t.ll.neg } };
  return { ...t, rows: t.rows.map((r) => ({ ...r, neg: !r.neg })) };
}

/** A weighted sum times m: ±1 keeps or negates it; divided by the sum of its weights, the weighted mean. */
export function scaledWeighted(t: Weighted, m: number): Term | null {
  if (m === 1) return t;
  if (!Number.isFinite(m) || m === 0) return null;
  if (m < 0) return scaledWeighted(negatedWeighted(t), -m);
  const s = rowsOf(t);
  if (!s) return null;
  const total = s.wts.reduce((p, v) => p + v, 0);
  const by = 1 / m;
  if (!(total > 0) || Math.abs(by - total) > 1e-6 * total) return null;
  return { t: 'wred', rows: s.rows, w: t.w, wts: s.wts, how: 'mean' };
}

/** Σ of weighted rows (`(w[t] * ll).sum()`); null when any element is not one. */
export function sumWeighted(terms: (Term | null)[]): Term | null {
  let acc: Term | null = null;
  for (const t of terms) {
    if (!t || (t.t !== 'wll' && t.t !== 'wred')) return null;
    acc = acc === null ? t : joined(acc as Weighted, t);
    if (!acc) return null;
  }
  return acc;
}

/**
 * Arithmetic with a class weight or a weighted row: its term, null when the result is nothing this
 * algebra names, undefined when neither operand is one (terms.ts reads it then). `by`: the divisor's
 * value for `/` (a count or a sum of weights the code computed: `w[t].sum()`, `w[0] + w[1]`).
 */
export function weightedTerm(op: string, a: Operand, b: Operand, by: number | undefined): Term | null | undefined {
  const ta = a && 'term' in a ? a.term : null;
  const tb = b && 'term' in b ? b.term : null;
  const wa = ta?.t === 'wll' || ta?.t === 'wred' ? ta : null;
  const wb = tb?.t === 'wll' || tb?.t === 'wred' ? tb : null;
  switch (op) {
    case '*': {
      const w = ta?.t === 'll' ? weigh(ta, b) : tb?.t === 'll' ? weigh(tb, a) : null;
      if (w) return w;
      if (wa && b && 'num' in b) return scaledWeighted(wa, b.num);
      if (wb && a && 'num' in a) return scaledWeighted(wb, a.num);
      return wa || wb ? null : undefined;
    }
    case '+':
    case '-':
      if (wa && wb) return joined(wa, op === '-' ? negatedWeighted(wb) : wb);
      // A running sum started at 0 (`total = 0.0`, then `total += w[y[i]] * ll`).
      if (wb && a && 'num' in a && a.num === 0) return op === '-' ? negatedWeighted(wb) : wb;
      if (wa && b && 'num' in b && b.num === 0) return wa;
      return wa || wb ? null : undefined;
    case '/':
      if (!wa) return wb ? null : undefined;
      return by === undefined ? null : scaledWeighted(wa, 1 / by);
    default:
      return undefined;
  }
}
