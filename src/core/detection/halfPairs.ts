/**
 * Pairs on half-precision arrays (float16, bfloat16). Every library computes a loss of such arrays
 * in that precision (torch 2.x's CPU kernels round each element's loss to float16, TF and numpy
 * keep float16 throughout), while the kernel here computes float32 or float64: its number differs
 * from the printed one in the fourth digit (fresh29 04: `F.binary_cross_entropy` on float16 tensors
 * prints 0.2027587890625, float32 gives 0.2027337). So a pair whose input or target is half
 * precision gets no number, whatever recognised it; the cross-entropy path says it in torch's words
 * first (recognise.ts), mxnet in its own (recognisers/mxnet.ts).
 */
import type { PairInput } from './pairInput';

/** Why a pair on half-precision arrays has no number, or undefined when neither operand is one. */
export function halfPrecisionReason(pair: PairInput, text: string): string | undefined {
  const inputHalf = pair.input.halfPrecision;
  const half = inputHalf ?? pair.target.halfPrecision;
  if (!half) return undefined;
  const span = inputHalf ? pair.inputSpan : undefined;
  const written = span ? text.slice(span[0], span[1]) : '';
  const name =
    written && written.length <= 80 && !written.includes('\n')
      ? written
      : ((inputHalf ? pair.input.name : pair.target.name) ?? (inputHalf ? 'the input' : 'the target'));
  return `\`${name}\` is ${half}: the loss is computed in ${half}, whose roundings are not reproduced here, and the float32 number would not be the one printed`;
}
