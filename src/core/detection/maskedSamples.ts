/**
 * Which samples a pick by a label mask holds (docs/detection.md 3.214): `p[y == 1]` keeps the
 * probabilities of the samples labelled 1, `p[y == 0]` those labelled 0 (maskPicks.ts makes the
 * pick and records it here). The log of such an element, log p of a sample labelled 1, or the log
 * of `1 - p[y == 0]`'s element, log(1 − p) of a sample labelled 0, is exactly that sample's binary
 * log-likelihood y·log p + (1 − y)·log(1 − p), as labelBranches.ts reads a branch on the label.
 * Kept apart from maskPicks.ts so that terms.ts reads it without the array arithmetic.
 */
import { complementAt, flatOf, type Raw } from './binaryTerms';
import type { ArrayValue, Term } from './values';

/** A pick's elements: `src`'s elements at `flats` (src's own flat positions), of samples labelled `k` in `y`. */
export interface Picked {
  src: ArrayValue;
  flats: number[];
  y: ArrayValue;
  k: number;
}

/** By the pick's numbers (a fresh array of them), which a copy of the pick under a name keeps. */
const picks = new WeakMap<Float64Array, Picked>();

export function rememberPick(out: ArrayValue, picked: Picked): void {
  if (out.data) picks.set(out.data, picked);
}

/** The sample of its source that element `x` of a label pick is, with its label; null otherwise. */
function sampleOf(x: Raw): { src: ArrayValue; flat: number; y: ArrayValue; k: number } | null {
  const p = x.root.data ? picks.get(x.root.data) : undefined;
  if (!p) return null;
  const i = flatOf(x.root, x.r, x.c);
  return i >= 0 && i < p.flats.length ? { src: p.src, flat: p.flats[i], y: p.y, k: p.k } : null;
}

/** log of element `x` as a sample's binary log-likelihood, when the label mask makes it one; null otherwise. */
export function labelledLog(x: Raw): Term | null {
  const of = complementAt(x);
  const s = of ? sampleOf(of) : sampleOf(x);
  // log p of a sample labelled 1, or log(1 − p) of one labelled 0; log p of a 0 is no loss term.
  if (!s || s.k !== (of ? 0 : 1)) return null;
  return {
    t: 'll',
    src: s.src,
    r: s.flat,
    via: 'given',
    form: 'formula.binary_log_loss',
    tgt: s.y,
    c: -1,
    probs: true,
    neg: false,
  };
}
