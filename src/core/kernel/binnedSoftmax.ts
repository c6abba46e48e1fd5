/**
 * The largest probability of each bin of classes of one sample, without materialising softmax:
 * what the panel's heat map shows (≤ 512 bins of a row), where the steps (crossEntropySteps)
 * would write the whole N·C softmax and log_softmax (for a float64 (64, 50 257) input a new
 * workspace of four 25 MB regions) to keep a few cells of each row.
 *
 * p is increasing in the logit within a row, so the bin's largest p is the p of its largest
 * logit, computed as the per-sample breakdown (breakdown.ts) and the steps compute p: the row's
 * statistics (rowStatistics, the forward's), x − max in the dtype, exp by the kernel's exp for
 * rows that run in wasm (else Math.exp rounded to the dtype), divided by Σexp in the dtype;
 * log_probs input: exp(x) in the dtype. That is the steps' p of that class to the bit; it is the
 * bin's largest steps' p too unless the kernel's float32 exp (within 1 ulp, EXP_F32X4_MAX_ULP) is
 * not monotonic between two of the bin's logits, and then within 1 ulp of it.
 * NaN: a cell is NaN only when every p of it is, as the heat map's max (a NaN logit makes the
 * whole row NaN through Σexp, as in the steps).
 */
import { rowStatistics, rowsInWasm } from './crossEntropy';
import type { Prepared } from './prepare';
import { softmaxScale } from './scalarRows';
import { wasmExp } from './wasmForward';

/**
 * Writes into out[0 … bins) (bins = colStart.length − 1) the largest p of sample e's classes
 * [colStart[j], colStart[j + 1]) (0 ≤ e < N·S; colStart increasing from 0 to C).
 */
export function binnedSoftmax(p: Prepared, e: number, colStart: readonly number[], out: Float64Array): void {
  const { C, S } = p;
  const f32 = p.dtype === 'float32';
  const round = f32 ? Math.fround : (v: number) => v;
  const bins = colStart.length - 1;
  const x = p.source;
  const base = Math.floor(e / S) * C * S + (e % S);
  // The bin's largest logit as the dtype holds it (NaN only when all of the bin is NaN).
  const top = f32 ? new Float32Array(bins) : new Float64Array(bins);
  for (let j = 0; j < bins; j++) {
    let m = NaN;
    for (let c = colStart[j], i = base + c * S; c < colStart[j + 1]; c++, i += S) {
      const v = x[i];
      if (v > m || m !== m) m = v;
    }
    top[j] = m; // float64 source → float32 rounds as the dtype copy does (monotonic)
  }
  if (p.inputKind !== 'logits') {
    for (let j = 0; j < bins; j++) out[j] = round(Math.exp(top[j]));
    return;
  }
  const r = rowStatistics(p, e);
  if (r.sumExp !== r.sumExp) {
    out.fill(NaN, 0, bins);
    return;
  }
  const sh = f32 ? new Float32Array(bins) : new Float64Array(bins);
  for (let j = 0; j < bins; j++) sh[j] = top[j] - r.max; // stored: rounded to the dtype
  const kernel = rowsInWasm(p) ? wasmExp(sh) : null;
  for (let j = 0; j < bins; j++) {
    const ex = kernel ? kernel[j] : round(Math.exp(sh[j]));
    out[j] = softmaxScale(ex, r.sumExp, S, f32);
  }
}
