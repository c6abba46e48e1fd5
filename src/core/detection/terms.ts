/**
 * What an element of a computed array is, as a step of a cross-entropy written by hand. Values are
 * computed as the code computes them (tensorMath.ts); these terms only say what each number is:
 * `exp(x[r, c])`, `Σ_c exp(x[r, c])`, a probability, a log-probability, `t · log p`, one row's
 * log-likelihood, or a sum or mean of those over rows. A pair is made only from a value whose
 * every element is a row's loss (or a reduction of them), so a formula is recognised from what it
 * computes, not from how it is spelled or what its function is called.
 *
 * Rows: `r` is the row of `src` (its first axis when it is (N, C)), or −1 for a (C) array (one
 * sample). Classes: `c` indexes the last axis. `src` and `tgt` are view roots (values.ts `view`).
 */
import { elementDot, joinDots } from './oneHotDots';
import {
  binaryLl,
  complementAt,
  flatOf,
  reciprocalAt,
  shiftedComplement,
  tail,
  type Operand,
  type Raw,
} from './binaryTerms';
import { classesOf, sameRoot } from './termRoots';
import { labelledLog } from './maskedSamples';
import { logitBinary, logitUnary, productTerm } from './logitTerms';
import { classWeightPick, negatedWeighted, scaledWeighted, sumWeighted, weightedTerm } from './classWeights';
import type { ArrayValue, Cls, FormulaForm, Term, TermOf, Via } from './values';

export { classesOf, rowClass, sameRoot } from './termRoots';
export { complementAt, type Operand, type Raw } from './binaryTerms';

export type { Cls, FormulaForm, Term, TermOf, Via } from './values';

/** One operand element of an elementwise operation. */

/** Rows align: the same row, or a one-sample source (r −1) against the only row of its target. */
function rowsAlign(r: number, cls: Cls): boolean {
  if (cls.tgt === null || r === cls.r) return true;
  return r === -1 && cls.tgt.data !== null && cls.tgt.data.length === 1;
}

function sameLl(a: TermOf<'ll'>, b: TermOf<'ll'>): boolean {
  return (
    sameRoot(a.src, b.src) &&
    a.via === b.via &&
    a.form === b.form &&
    a.probs === b.probs &&
    a.neg === b.neg &&
    a.eps === b.eps &&
    a.masked === b.masked &&
    sameRoot(a.tgt, b.tgt)
  );
}

/** A unary function applied to one element. */
export function unaryTerm(op: 'log' | 'log2' | 'exp' | 'neg' | 'abs' | 'log1p', x: Operand): Term | null {
  const logit = logitUnary(op, x);
  if (logit !== undefined) return logit;
  if (!x || 'num' in x || op === 'abs' || op === 'log1p') return null;
  if (op === 'log2') return log2Term(x);
  if ('raw' in x) {
    const { root, r, c } = x.raw;
    // log(1 / p): −log p of the element it inverts (information content, 3.418).
    const inv = op === 'log' ? reciprocalAt(x.raw) : null;
    if (inv) return { t: 'logp', src: inv.root, r: inv.r, c: inv.c, via: 'given', hand: false, neg: true };
    const labelled = op === 'log' ? labelledLog(x.raw) : null;
    if (labelled) return labelled;
    const of = op === 'log' ? complementAt(x.raw) : null;
    if (of) return { t: 'logcmp', src: of.root, r: of.r, c: of.c, neg: false };
    const shifted = op === 'log' ? shiftedComplement(x.raw) : null;
    if (shifted) return shifted;
    if (op === 'log') return { t: 'logp', src: root, r, c, via: 'given', hand: false, neg: false };
    if (op === 'exp') return { t: 'exp', src: root, r, c, at: null };
    return null;
  }
  const a = x.term;
  if (op === 'neg') {
    switch (a.t) {
      case 'logp':
      case 'tlogp':
      case 'red':
      case 'logcmp':
      case 'btail':
        return { ...a, neg: !a.neg };
      case 'bsum':
        return { t: 'bsum', parts: a.parts.map((b) => ({ ...b, neg: !b.neg })) };
      case 'll':
        return { ...a, neg: !a.neg, ...(a.elems ? { elems: a.elems.map((e) => ({ ...e, neg: !e.neg })) } : {}) };
      case 'wpick':
      case 'wll':
      case 'wred':
        return negatedWeighted(a);
      default:
        return null;
    }
  }
  if (op === 'exp') return a.t === 'x' ? { t: 'exp', src: a.src, r: a.r, c: a.c, at: a.at } : null;
  switch (a.t) {
    case 'sumexp':
      return { t: 'lse', src: a.src, r: a.r, fn: false };
    case 'x':
      // log of an element picked at the target's class: the log-likelihood of given probabilities.
      return llOf(a.src, a.r, 'given', a.at, 'formula.nll_of_probs', false);
    case 'p':
      if (a.at)
        return llOf(a.src, a.r, a.via, a.at, a.via === 'given' ? 'formula.nll_of_probs' : pickForm(a.hand), false);
      return { t: 'logp', src: a.src, r: a.r, c: a.c, via: a.via, hand: a.hand, neg: false };
    default:
      return null;
  }
}

/**
 * log₂ of given probabilities (an element, or one picked at the target's class): a cross-entropy
 * in bits. Only of numbers given as they are: log₂ of a softmax written out is not followed.
 */
function log2Term(x: { term: Term } | { raw: Raw }): Term | null {
  if ('raw' in x) {
    const inv = reciprocalAt(x.raw);
    const { root, r, c } = inv ?? x.raw;
    return { t: 'logp', src: root, r, c, via: 'bits', hand: false, neg: inv !== null };
  }
  const a = x.term;
  return a.t === 'x' ? llOf(a.src, a.r, 'bits', a.at, 'formula.cross_entropy_bits', false) : null;
}

/** The form of −log p[t] picked from a log-probability of `via`. */
function pickedForm(via: Via, hand: boolean): FormulaForm {
  if (via === 'bits') return 'formula.cross_entropy_bits';
  return via === 'given' ? 'formula.nll_of_probs' : pickForm(hand);
}

function pickForm(hand: boolean): FormulaForm {
  return hand ? 'formula.neg_log_softmax_pick' : 'formula.log_softmax_pick';
}

function llOf(src: ArrayValue, r: number, via: Via, at: Cls, form: FormulaForm, neg: boolean): TermOf<'ll'> {
  return { t: 'll', src, r, via, form, tgt: at.tgt, c: at.c, probs: false, neg };
}

/** The element at a picked class: what `x[r, target[r]]` is, given what `x[r, c]` is. */
export function pickTerm(x: Operand, cls0: Cls): Term | null {
  if (!x || 'num' in x) return null;
  // A class written as a number picks the element's own class: in a flat copy of (N, C) values
  // (`p.dataSync()[4]`) the index is not the class (docs/detection.md 3.140).
  const own = 'raw' in x ? x.raw.c : 'c' in x.term ? x.term.c : cls0.c;
  const cls = cls0.tgt === null && own >= 0 && own !== cls0.c ? { ...cls0, c: own } : cls0;
  if ('raw' in x) {
    const { root, r, c } = x.raw;
    return rowsAlign(r, cls) ? { t: 'x', src: root, r, c, at: cls } : classWeightPick(x.raw, cls);
  }
  const a = x.term;
  switch (a.t) {
    case 'exp':
    case 'p':
      return rowsAlign(a.r, cls) ? { ...a, at: cls } : null;
    case 'logp': {
      const ll = rowsAlign(a.r, cls) ? llOf(a.src, a.r, a.via, cls, pickedForm(a.via, a.hand), a.neg) : null;
      return ll && withMask(ll, a.masked);
    }
    default:
      return null;
  }
}

/** Two elements combined by an arithmetic operator (after broadcasting); `by`: the divisor's value for `/`. */
export function binaryTerm(op: string, a: Operand, b: Operand, by?: number): Term | null {
  const byClass = weightedTerm(op, a, b, by);
  const other = byClass === undefined ? logitBinary(op, a, b) : byClass; // class weights, or logitTerms.ts
  if (other !== undefined) return other;
  if (!a || !b) return null;
  const ta = 'term' in a ? a.term : null;
  const tb = 'term' in b ? b.term : null;
  if (!ta && !tb)
    return op === '*' && 'raw' in a && 'raw' in b ? (elementDot(a.raw, b.raw) ?? productTerm(a.raw, b.raw)) : null;
  switch (op) {
    case '/':
      if (ta?.t === 'exp' && tb?.t === 'sumexp' && sameRoot(ta.src, tb.src) && ta.r === tb.r)
        return { t: 'p', src: ta.src, r: ta.r, c: ta.c, via: 'softmax', hand: true, at: ta.at };
      if (ta && 'num' in b) return scaled(ta, 1 / b.num);
      // A count held in a 0-d array (`s / y.sum()`, torch's int64 sum): the number it holds.
      if (ta && 'raw' in b && b.raw.root.shape.length === 0 && b.raw.root.data?.length === 1)
        return scaled(ta, 1 / b.raw.root.data[0]);
      return null;
    case '*':
      if (ta && 'num' in b) return scaled(ta, b.num);
      if (tb && 'num' in a) return scaled(tb, a.num);
      if (ta && 'raw' in b && elementLog(ta)) return weighted(elementLog(ta) as TermOf<'logp'>, b.raw);
      // −y[i] · log p[i] (§3.178): y · log p, negated.
      if (ta?.t === 'negy' && tb && elementLog(tb)) return negatedWeight(elementLog(tb) as TermOf<'logp'>, ta);
      if (tb?.t === 'negy' && ta && elementLog(ta)) return negatedWeight(elementLog(ta) as TermOf<'logp'>, tb);
      if (tb && 'raw' in a && elementLog(tb)) return weighted(elementLog(tb) as TermOf<'logp'>, a.raw);
      if (ta?.t === 'logcmp' && 'raw' in b) return tail(ta, b.raw);
      if (tb?.t === 'logcmp' && 'raw' in a) return tail(tb, a.raw);
      return null;
    case '-':
      if (ta && tb && (tb.t === 'tlogp' || tb.t === 'btail') && (ta.t === 'll' || ta.t === 'red' || ta.t === 'pend'))
        return pending(ta, { ...tb, neg: !tb.neg });
      if (ta && tb && (ta.t === 'tlogp' || ta.t === 'btail') && (tb.t === 'tlogp' || tb.t === 'btail'))
        return binaryTerm('+', a, { term: { ...tb, neg: !tb.neg } });
      if (ta && tb && (ta.t === 'll' || ta.t === 'red') && (tb.t === 'll' || tb.t === 'red'))
        return accumulated(ta, { ...tb, neg: !tb.neg });
      if (ta && tb && (ta.t === 'bsum' || tb.t === 'bsum'))
        return binaryTerm('+', a, { term: unaryTerm('neg', b) ?? tb });
      if (ta?.t === 'lse' && tb?.t === 'x' && sameRoot(ta.src, tb.src) && ta.r === tb.r)
        return llOf(ta.src, ta.r, 'softmax', tb.at, lseForm(ta), true);
      if (ta?.t === 'x' && tb?.t === 'lse' && sameRoot(ta.src, tb.src) && ta.r === tb.r)
        return llOf(ta.src, ta.r, 'softmax', ta.at, lseForm(tb), false);
      // x − logsumexp(x) of the same row: a log-softmax written by hand, picked at the target later.
      if (tb?.t === 'lse' && 'raw' in a && sameRoot(a.raw.root, tb.src) && a.raw.r === tb.r)
        return { t: 'logp', src: tb.src, r: tb.r, c: a.raw.c, via: 'softmax', hand: true, neg: false };
      if (tb && 'num' in a && a.num === 0) return unaryTerm('neg', b);
      if (ta && 'num' in b && b.num === 0) return ta;
      return null;
    case '+':
      if (ta && tb && (tb.t === 'tlogp' || tb.t === 'btail') && (ta.t === 'll' || ta.t === 'red' || ta.t === 'pend'))
        return pending(ta, tb);
      if (ta?.t === 'pt' && tb?.t === 'pt') return joinDots([ta, tb]);
      if (ta?.t === 'tlogp' && tb?.t === 'tlogp') return joined(ta, tb);
      if (ta?.t === 'tlogp' && tb?.t === 'btail') return binaryLl(ta, tb);
      if (ta?.t === 'btail' && tb?.t === 'tlogp') return binaryLl(tb, ta);
      if (ta?.t === 'll' && tb?.t === 'bsum') return pairedSums(ta, tb);
      if (ta?.t === 'bsum' && tb?.t === 'll') return pairedSums(tb, ta);
      if (ta && tb && (ta.t === 'll' || ta.t === 'red') && (tb.t === 'll' || tb.t === 'red'))
        return accumulated(ta, tb);
      if (ta?.t === 'lse' && 'raw' in b) return unshifted(ta, b.raw);
      if (tb?.t === 'lse' && 'raw' in a) return unshifted(tb, a.raw);
      if (ta && 'num' in b && b.num === 0) return ta;
      if (tb && 'num' in a && a.num === 0) return tb;
      return null;
    default:
      return null;
  }
}

/**
 * `m + log Σ exp(x - m)`: log Σ exp(x) of row r, when the element added is the m that row was
 * shifted by (any number per row gives the same sum; the value itself is computed as written).
 */
function unshifted(l: TermOf<'lse'>, m: Raw): Term | null {
  const shift = l.src.shiftOf;
  const by = shift?.by.data;
  const md = m.root.data;
  if (!shift || !by || !md) return null;
  // The number added must be the one row r was shifted by (compared by value: `m[:, 0]` is a copy).
  const shifted = by.length === 1 ? by[0] : l.r >= 0 && l.r < by.length ? by[l.r] : NaN;
  const s = m.root.shape;
  const flat = s.length === 0 ? 0 : s.length === 1 ? m.c : s.length === 2 && s[1] === 1 ? m.r : -1;
  if (flat < 0 || flat >= md.length || md[flat] !== shifted) return null;
  return { t: 'lse', src: shift.root, r: l.r, fn: true };
}

function lseForm(l: TermOf<'lse'>): FormulaForm {
  return l.fn ? 'formula.logsumexp_minus_pick' : 'formula.log_sum_exp_minus_pick';
}

/** A term times a number: ±1 keeps or negates it; a loss times a number is a scaled sum (or a mean). */
function scaled(t: Term, m: number): Term | null {
  if (m === 1) return t;
  if (!Number.isFinite(m) || m === 0) return null;
  if (t.t === 'wll' || t.t === 'wred') return scaledWeighted(t, m);
  if (m < 0) {
    const n = unaryTerm('neg', { term: t });
    return n && scaled(n, -m);
  }
  if (t.t === 'll') return scaled(reduceRows([t]), m);
  if (t.t !== 'red') return null;
  const n = t.rows.length;
  const k = t.how === 'sum' ? m : t.how === 'mean' ? m / n : t.k * m;
  if (Math.abs(k * n - 1) < 1e-12) return { ...t, how: 'mean', k: 1 };
  if (Math.abs(k - 1) < 1e-15) return { ...t, how: 'sum', k: 1 };
  return { ...t, how: 'scaled', k };
}

/**
 * log p[r, c] as one element: a log-probability term, or the log of an element read at a class written
 * as a constant (`log(p[2])`, `Math.log(probs.get(2))`: a pick with no target array), which is the
 * same element; weighted by t[r, c] it is one term of Σ_c t·log p (docs/detection.md 3.140).
 */
function elementLog(t: Term): TermOf<'logp'> | null {
  if (t.t === 'logp') return t;
  if (t.t !== 'll' || t.tgt !== null || t.probs || t.elems || t.eps !== undefined || t.c < 0) return null;
  const lp: TermOf<'logp'> = {
    t: 'logp',
    src: t.src,
    r: t.r,
    c: t.c,
    via: t.via,
    hand: t.form === 'formula.neg_log_softmax_pick',
    neg: t.neg,
  };
  return t.masked === undefined ? lp : { ...lp, masked: t.masked };
}

/** log p[r, c] · t[r, c] with t an element of another array (the target probabilities). */
function weighted(lp: TermOf<'logp'>, t: Raw): Term | null {
  if (sameRoot(lp.src, t.root) || t.c !== lp.c) return null;
  if (t.r !== lp.r && !(lp.r === -1 && t.root.shape.length === 2 && t.root.shape[0] === 1)) return null;
  // A masked log's fill (p ≤ 0) counts only times a target of 0: the product is 0, as with any log p.
  const [pd, td] = [lp.src.data, t.root.data];
  if (lp.masked !== undefined && !((pd?.[flatOf(lp.src, lp.r, lp.c)] ?? 0) > 0) && td?.[flatOf(t.root, t.r, t.c)] !== 0)
    return null;
  const tgt = t.root.negatedOf ?? t.root;
  const neg = t.root.negatedOf ? !lp.neg : lp.neg;
  return withMask({ t: 'tlogp', src: lp.src, r: lp.r, cls: [lp.c], via: lp.via, hand: lp.hand, tgt, neg }, lp.masked);
}

function negatedWeight(lp: TermOf<'logp'>, y: TermOf<'negy'>): Term | null {
  const w = weighted(lp, { root: y.src, r: y.r, c: y.c });
  return w && unaryTerm('neg', { term: w });
}

/** A term of a masked log keeps its fill value (formulas.ts puts it in the breakdown's log-probabilities). */
function withMask<T extends TermOf<'tlogp'> | TermOf<'ll'>>(t: T, masked: number | undefined): T {
  return masked === undefined ? t : { ...t, masked };
}

function joined(a: TermOf<'tlogp'>, b: TermOf<'tlogp'>): Term | null {
  if (!sameRoot(a.src, b.src) || !sameRoot(a.tgt, b.tgt) || a.r !== b.r || a.neg !== b.neg || a.via !== b.via)
    return null;
  if (a.masked !== b.masked) return null;
  const seen = new Set(a.cls);
  if (b.cls.some((c) => seen.has(c))) return null;
  return completed({ ...a, cls: [...a.cls, ...b.cls] });
}

/**
 * A whole written t · log p (nothing more is added to it) that leaves out only classes whose target
 * is exactly 0, of probabilities given and positive there (so the full sum is finite and equal),
 * is the row's log-likelihood: `-log(p[0]) * t[0]` with t = [1, 0, 0].
 */
export function completedAlone(a: TermOf<'tlogp'>): Term {
  const C = classesOf(a.src);
  const have = new Set(a.cls);
  const td = a.tgt.data;
  const pd = a.src.data;
  if (a.via === 'softmax' || !td || !pd || td.length !== pd.length || C === 0) return a;
  const base = a.r < 0 ? 0 : a.r * C;
  for (let c = 0; c < C; c++) if (!have.has(c) && !(td[base + c] === 0 && pd[base + c] > 0)) return a;
  return completed({ ...a, cls: Array.from({ length: C }, (_, c) => c) });
}

/** A t · log p sum that covers every class is the row's log-likelihood. */
function completed(a: TermOf<'tlogp'>): Term {
  if (new Set(a.cls).size !== classesOf(a.src)) return a;
  return withMask<TermOf<'ll'>>(
    {
      t: 'll',
      src: a.src,
      r: a.r,
      via: a.via,
      form:
        a.via === 'bits'
          ? 'formula.cross_entropy_bits'
          : a.via === 'given'
            ? 'formula.onehot_sum_log_probs'
            : 'formula.onehot_sum_log_softmax',
      tgt: a.tgt,
      c: -1,
      probs: true,
      neg: a.neg,
    },
    a.masked,
  );
}

/** Σ over one group of elements (a row's classes, or the rows of a loss). */
export function sumTerms(terms: (Term | null)[]): Term | null {
  if (terms.length === 0) return null;
  const first = terms[0];
  if (!first) return null;
  if (terms.length === 1) return first.t === 'tlogp' ? completed(first) : first.t === 'pt' ? joinDots([first]) : first;
  switch (first.t) {
    case 'pt':
      return terms.every((t) => t?.t === 'pt') ? joinDots(terms as TermOf<'pt'>[]) : null;
    case 'wll':
    case 'wred':
      return sumWeighted(terms);
    case 'exp': {
      const seen = new Set<number>();
      for (const t of terms) {
        if (!t || t.t !== 'exp' || !sameRoot(t.src, first.src) || t.r !== first.r || seen.has(t.c)) return null;
        seen.add(t.c);
      }
      return seen.size === classesOf(first.src) ? { t: 'sumexp', src: first.src, r: first.r } : null;
    }
    case 'tlogp': {
      // A whole (C) or (N, C) array of t · log p: the rows' log-likelihoods, then their sum.
      const rows = new Map<number, Set<number>>();
      for (const t of terms) {
        if (!t || t.t !== 'tlogp' || !sameRoot(t.src, first.src) || !sameRoot(t.tgt, first.tgt)) return null;
        if (t.neg !== first.neg || t.via !== first.via || t.masked !== first.masked) return null;
        const cs = rows.get(t.r) ?? new Set<number>();
        for (const c of t.cls) {
          if (cs.has(c)) return null;
          cs.add(c);
        }
        rows.set(t.r, cs);
      }
      const C = classesOf(first.src);
      const lls: TermOf<'ll'>[] = [];
      for (const [r, cs] of rows) {
        // A row may leave out classes whose target is 0 (`… for k in range(n) if t[k] > 0`).
        const row =
          cs.size === C ? completed({ ...first, r, cls: [...cs] }) : completedAlone({ ...first, r, cls: [...cs] });
        if (row.t !== 'll') return null;
        lls.push(row);
      }
      // One row whose elements may each be a sample (a (1, m) array): kept for a binary partner sum.
      const single = terms.every((t) => (t as TermOf<'tlogp'>).cls.length === 1);
      if (lls.length === 1) return single ? { ...lls[0], elems: terms as TermOf<'tlogp'>[] } : lls[0];
      return sumTerms(lls);
    }
    case 'btail': {
      const parts = terms as TermOf<'btail'>[];
      const seen = new Set<number>();
      for (const t of parts) {
        if (!t || t.t !== 'btail' || !sameRoot(t.src, first.src) || !sameRoot(t.tgt, first.tgt)) return null;
        if (t.neg !== first.neg || t.r !== first.r || seen.has(t.c)) return null;
        seen.add(t.c);
      }
      return { t: 'bsum', parts };
    }
    case 'll': {
      const rows = new Set<number>();
      for (const t of terms) {
        if (!t || t.t !== 'll' || !sameLl(t, first) || rows.has(t.r)) return null;
        rows.add(t.r);
      }
      return reduceRows(terms as TermOf<'ll'>[]);
    }
    default:
      return null;
  }
}

/**
 * `Σ y·log p + Σ (1 − y)·log(1 − p)` written as two sums over one row of samples (two `np.dot`s):
 * each sample's two terms make its binary log-likelihood (as 3.17's per-element reading), then their sum.
 */
function pairedSums(a: TermOf<'ll'>, b: TermOf<'bsum'>): Term | null {
  const elems = a.elems;
  if (!elems || elems.length !== b.parts.length) return null;
  const lls: Term[] = [];
  for (const part of b.parts) {
    const e = elems.find((x) => x.r === part.r && x.cls[0] === part.c);
    const ll = e ? binaryLl(e, part) : null;
    if (!ll) return null;
    lls.push(ll);
  }
  return sumTerms(lls);
}

/**
 * `acc - y·log p - (1 − y)·log(1 − p)` as JavaScript and Python read it, `(acc - y·log p) - …` (3.376): the
 * running sum with the sample's first half pending, then, with its other half, the sum with that sample.
 */
function pending(a: TermOf<'ll'> | TermOf<'red'> | TermOf<'pend'>, b: TermOf<'tlogp'> | TermOf<'btail'>): Term | null {
  if (a.t !== 'pend') return { t: 'pend', acc: a, part: b };
  const ll = binaryTerm('+', { term: a.part }, { term: b });
  return ll?.t === 'll' && ll.form === 'formula.binary_log_loss' ? accumulated(a.acc, ll) : null;
}

/**
 * A running sum of row log-likelihoods (`total -= ll` in a loop, `ll0 + ll1`): the sum of the rows
 * of both, when they are rows of one formula (same arrays, form and sign) and no row is counted twice.
 */
function accumulated(a: TermOf<'ll'> | TermOf<'red'>, b: TermOf<'ll'> | TermOf<'red'>): Term | null {
  const ra = a.t === 'll' ? reduceRows([a]) : a;
  const rb = b.t === 'll' ? reduceRows([b]) : b;
  if (ra.how !== 'sum' || rb.how !== 'sum' || ra.k !== 1 || rb.k !== 1) return null;
  const same =
    sameRoot(ra.src, rb.src) &&
    ra.via === rb.via &&
    ra.form === rb.form &&
    ra.probs === rb.probs &&
    ra.neg === rb.neg &&
    ra.eps === rb.eps &&
    ra.masked === rb.masked &&
    sameRoot(ra.tgt, rb.tgt);
  if (!same) return null;
  const seen = new Set(ra.rows.map((r, i) => `${r}:${ra.classes[i]}`));
  if (rb.rows.some((r, i) => seen.has(`${r}:${rb.classes[i]}`))) return null;
  return { ...ra, rows: [...ra.rows, ...rb.rows], classes: [...ra.classes, ...rb.classes] };
}

function reduceRows(lls: TermOf<'ll'>[]): TermOf<'red'> {
  const f = lls[0];
  return {
    t: 'red',
    src: f.src,
    rows: lls.map((t) => t.r),
    classes: lls.map((t) => t.c),
    via: f.via,
    form: f.form,
    tgt: f.tgt,
    probs: f.probs,
    neg: f.neg,
    how: 'sum',
    k: 1,
    ...(f.eps !== undefined ? { eps: f.eps } : {}),
    ...(f.masked !== undefined ? { masked: f.masked } : {}),
  };
}

/** The mean of one group: its sum divided by its size (of N row losses, their mean). */
export function meanTerms(terms: (Term | null)[]): Term | null {
  const s = sumTerms(terms);
  return s && scaled(s, 1 / terms.length);
}

/** A term times a number (the arithmetic of `loss / n`, `-1 * ll`). */
export function scaledTerm(t: Term, m: number): Term | null {
  return scaled(t, m);
}
