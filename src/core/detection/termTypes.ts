/**
 * What an element of a computed array is, as a step of a cross-entropy written by hand (terms.ts builds
 * them, tensorMath.ts carries them on the arrays it computes). Kept apart from values.ts so that the
 * algebra can grow without that file's length.
 */
import type { FormulaForm } from './formulaForms';
// values.ts re-exports these types: its ArrayValue is named inline, so no import line runs back to it.
type ArrayValue = import('./values').ArrayValue;

/** How the loss of a row was written (formulaForms.ts). */
export type { FormulaForm };

/** Where the probabilities come from: a softmax of logits `src`, or `src` itself (already probabilities). */
/** `bits`: probabilities given, their log taken in base 2 (`log2(q)`: a cross-entropy in bits). */
export type Via = 'softmax' | 'given' | 'bits';

/** How a picked element's class was chosen: by row `r` of the target `tgt`, or written as a constant (`tgt` null). */
export interface Cls {
  tgt: ArrayValue | null;
  r: number;
  c: number;
}

export type Term =
  | { t: 'exp'; src: ArrayValue; r: number; c: number; at: Cls | null }
  | { t: 'sumexp'; src: ArrayValue; r: number }
  /** log Σ_c exp(x[r, c]); `fn`: a logsumexp function (shifted by the max), not log(sum(exp)). */
  | { t: 'lse'; src: ArrayValue; r: number; fn: boolean }
  /** A logit picked at a class. */
  | { t: 'x'; src: ArrayValue; r: number; c: number; at: Cls }
  /** `hand`: a softmax written out as exp(x) / Σ exp(x). */
  | { t: 'p'; src: ArrayValue; r: number; c: number; via: Via; hand: boolean; at: Cls | null }
  /** `masked`: numpy's masked log, the element `masked` (the fill value) where p ≤ 0 (`np.ma.log(p).filled(0)`). */
  | { t: 'logp'; src: ArrayValue; r: number; c: number; via: Via; hand: boolean; neg: boolean; masked?: number }
  /** log(1 − p[r, c]), the log of the complement of a given probability; `eps`: log(1 − p[r, c] + eps). */
  | { t: 'logcmp'; src: ArrayValue; r: number; c: number; neg: boolean; eps?: number }
  /** −y[r, c] of an element of a source (`-y[i]`, docs §3.178): weighs a log as y does, negated. */
  | { t: 'negy'; src: ArrayValue; r: number; c: number }
  /** (1 − y[r, c]) · log(1 − p[r, c]): the second half of a binary log loss, y an element of `tgt`. */
  | { t: 'btail'; src: ArrayValue; r: number; c: number; tgt: ArrayValue; neg: boolean; eps?: number }
  /** t[r, c] · log p[r, c] summed over the classes `cls` (distinct). */
  | {
      t: 'tlogp';
      src: ArrayValue;
      r: number;
      cls: number[];
      via: Via;
      hand: boolean;
      tgt: ArrayValue;
      neg: boolean;
      masked?: number;
    }
  /**
   * Row r's log-likelihood log p[r, target] (or Σ_c t·log p); `neg`: its negation, the row's loss.
   * `c`: the target class (−1 for probability targets `probs`). For `formula.binary_log_loss`
   * every element of `src` is a sample: `r` is its flat position, `c` is −1.
   */
  | {
      t: 'll';
      src: ArrayValue;
      r: number;
      via: Via;
      form: FormulaForm;
      tgt: ArrayValue | null;
      c: number;
      probs: boolean;
      neg: boolean;
      /** Σ_k t_k·log p_k over one row of samples (`np.dot(Y, np.log(A).T)`): its terms, for 3.19's pairing. */
      elems?: Extract<Term, { t: 'tlogp' }>[];
      /** A binary log loss with ε inside both logs: log(p + eps) and log(1 − p + eps). */
      eps?: number;
      /** Of a masked log: the fill value where p ≤ 0 (the logp term's `masked`). */
      masked?: number;
    }
  /** Σ_k (1 − y_k)·log(1 − p_k) over one row of samples (`np.dot(1 - Y, np.log(1 - A).T)`). */
  | { t: 'bsum'; parts: Extract<Term, { t: 'btail' }>[] }
  /** `acc - y·log p`, a running sum with half a sample added, read on to `- (1 − y)·log(1 − p)` (3.376). */
  | { t: 'pend'; acc: Extract<Term, { t: 'll' | 'red' }>; part: Extract<Term, { t: 'tlogp' | 'btail' }> }
  /** A sum or mean of row log-likelihoods (`scaled`: the sum divided by `k`, which is not the row count). */
  | {
      t: 'red';
      src: ArrayValue;
      rows: number[];
      classes: number[];
      via: Via;
      form: FormulaForm;
      tgt: ArrayValue | null;
      probs: boolean;
      neg: boolean;
      how: 'sum' | 'mean' | 'scaled';
      k: number;
      eps?: number;
      masked?: number;
    }
  /**
   * p[r, c] · t[r, c] summed over the classes `cls` (distinct), t's row one-hot with its 1 at `hot`
   * (oneHotDots.ts): once every class is in, the sum is p[r, hot].
   */
  | { t: 'pt'; src: ArrayValue; tgt: ArrayValue; r: number; cls: number[]; hot: number }
  /** A class index taken from row r of the target `tgt` (the argmax of a one-hot row). */
  | { t: 'cls'; tgt: ArrayValue; r: number }
  /**
   * Element c of a one-axis array `src` read at row r's class of the target `tgt` (`w[t]`, `w[y[i]]`):
   * a class weight for that row once it multiplies the row's loss (classWeights.ts); `neg`: −w[c].
   */
  | { t: 'wpick'; src: ArrayValue; c: number; tgt: ArrayValue; r: number; neg: boolean }
  /** Row `ll.r`'s log-likelihood times w[ll.c], `w` a float array of one weight per class; `wt` that weight. */
  | { t: 'wll'; ll: Extract<Term, { t: 'll' }>; w: ArrayValue; wt: number }
  /**
   * Σ_r w[c_r]·ll_r over distinct rows of one formula (`rows`, with their weights `wts`), as a sum or
   * divided by Σ_r w[c_r] (`mean`): torch's cross-entropy with `weight=w` and that reduction.
   */
  | { t: 'wred'; rows: Extract<Term, { t: 'll' }>[]; w: ArrayValue; wts: number[]; how: 'sum' | 'mean' }
  /** |x[r, c]| of a logits array (logitTerms.ts); `neg`: −|x[r, c]|. */
  | { t: 'absx'; src: ArrayValue; r: number; c: number; neg: boolean }
  /** e^−|x[r, c]|, then 1 + e^−|x[r, c]| (`onepe`). */
  | { t: 'enabs' | 'onepe'; src: ArrayValue; r: number; c: number }
  /** a[r, c]·b[r, c], elements of two arrays of one shape: x·z once one factor is known to be the logits. */
  | { t: 'xz'; a: { root: ArrayValue; r: number; c: number }; b: { root: ArrayValue; r: number; c: number } }
  /**
   * Parts of max(x, 0) − x·z + log(1 + e^−|x|) at x[r, c] (a bit mask: 1 the max, 2 the product with z[r, c]
   * of `tgt`, 4 the log); all three make one sample's loss (`ll`, `formula.binary_logits_loss`).
   */
  | { t: 'bwl'; src: ArrayValue; r: number; c: number; tgt: ArrayValue | null; parts: number };

export type TermOf<K extends Term['t']> = Extract<Term, { t: K }>;
