/**
 * Check for `ours-steps` (the kernel's `crossEntropySteps`: forward plus softmax and log-softmax
 * of every element, materialised): before it is timed, its arrays are compared with
 * `sampleBreakdown` (the per-sample path the hover uses) on the first rows, so the bench never
 * times a fast but wrong pass.
 */
import { crossEntropy, sampleBreakdown, type Prepared, type StepsResult } from '../../src/core/kernel/index';

function same(a: number, b: number): boolean {
  return a === b || (a !== a && b !== b);
}

/** One unit in the last place of `v` in the dtype. */
function ulp(v: number, f32: boolean): number {
  const a = Math.abs(v);
  if (a === 0 || !Number.isFinite(a)) return f32 ? 2 ** -149 : 2 ** -1074;
  return 2 ** (Math.floor(Math.log2(a)) - (f32 ? 23 : 52));
}

/**
 * logSoftmax and the loss must match exactly; softmax within one ulp (sampleBreakdown uses
 * Math.exp, the kernel's float32 path fastExpNonPositive; after rounding to float32 they agree
 * except in rare ties). Returns the first problem, or null.
 */
export function checkSteps(p: Prepared, steps: StepsResult, rows = 8): string | null {
  const forward = crossEntropy(p, false);
  if (!same(steps.loss, forward.loss)) return `loss ${steps.loss} ≠ crossEntropy ${forward.loss}`;
  const f32 = p.dtype === 'float32';
  const E = Math.min(p.N * p.S, rows);
  for (let e = 0; e < E; e++) {
    const b = sampleBreakdown(p, forward, e);
    const base = Math.floor(e / p.S) * p.C * p.S + (e % p.S);
    for (let c = 0; c < p.C; c++) {
      const i = base + c * p.S;
      if (!same(steps.logSoftmax[i], b.logSoftmax[c]))
        return `logSoftmax[${e}][${c}] ${steps.logSoftmax[i]} ≠ ${b.logSoftmax[c]}`;
      if (!(Math.abs(steps.softmax[i] - b.softmax[c]) <= ulp(b.softmax[c], f32)))
        return `softmax[${e}][${c}] ${steps.softmax[i]} vs ${b.softmax[c]}`;
    }
  }
  return null;
}
