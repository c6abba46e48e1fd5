/**
 * The reductions of crossEntropy's per-element losses (torch's formulas, see crossEntropy in
 * crossEntropy.ts): mean divides by Σ w[target] (index targets) or N·d1·…·dK (probabilities);
 * with label smoothing the nll and smoothing parts are reduced apart and combined (smoothing.ts).
 */
import type { Reduction } from '../types';
import type { LossResult, ReductionSums } from './crossEntropy';
import type { Prepared } from './prepare';

const fround = Math.fround;
const identity = (v: number): number => v;

/** The result of a forward without label smoothing from its losses and running sums. */
export function reduce(
  p: Prepared,
  losses: Float64Array,
  ignored: Uint8Array | null,
  num: number,
  den: number,
): LossResult {
  return reduced(p, p.reduction, losses, ignored, { nll: num, smooth: 0, den, smoothDen: 0 });
}

/** The result of `p`'s forward under `reduction`, from its per-element losses and the running sums. */
export function reduced(
  p: Prepared,
  reduction: Reduction,
  losses: Float64Array,
  ignored: Uint8Array | null,
  sums: ReductionSums,
): LossResult {
  const round = p.dtype === 'float32' ? fround : identity;
  const mean = reduction === 'mean';
  if (p.targetKind === 'probabilities') {
    const E = p.N * p.S;
    // torch's −(q·w·log p).sum() over no element is −0 (printed `tensor(-0.)`); mean: nan.
    const numerator = E === 0 ? -0 : round(sums.nll);
    return {
      losses,
      ignored,
      numerator,
      denominator: mean ? E : 1,
      loss: mean ? round(numerator / E) : numerator,
      sums,
    };
  }
  if (p.labelSmoothing > 0 && p.targetKind === 'indices') {
    // (1 − ε)·reduce(nll) + (ε/C)·reduce(smooth), as torch combines the two reduced parts; the
    // smoothing part's mean divides by its own sum of the kept targets' weights (smoothing.ts).
    const d = round(sums.den);
    const nllR = mean ? round(round(sums.nll) / d) : round(sums.nll);
    const smoothR = mean ? round(sums.smooth / sums.smoothDen) : sums.smooth;
    const loss = round(round(round(1 - p.labelSmoothing) * nllR) + round(smoothR * round(p.labelSmoothing / p.C)));
    let num = 0;
    for (let e = 0; e < losses.length; e++) num += losses[e];
    return {
      losses,
      ignored,
      numerator: round(num),
      denominator: mean ? d : 1,
      loss: reduction === 'none' ? round(num) : loss,
      sums,
    };
  }
  const numerator = round(sums.nll);
  if (mean) {
    const denominator = round(sums.den);
    return { losses, ignored, numerator, denominator, loss: round(numerator / denominator), sums };
  }
  return { losses, ignored, numerator, denominator: 1, loss: numerator, sums };
}

/**
 * `res` (a forward of `p`) under another reduction, without a pass over the input: the per-element
 * losses do not depend on it. Null when `res` has no {@link LossResult.sums} (a gradient's result).
 * The losses and ignored flags are shared with `res`.
 */
export function reReduce(p: Prepared, res: LossResult, reduction: Reduction): LossResult | null {
  return res.sums ? reduced(p, reduction, res.losses, res.ignored, res.sums) : null;
}
