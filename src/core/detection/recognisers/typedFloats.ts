/**
 * The input of a pair made from Python or JavaScript floats typed into the source: float64, a plain
 * list, at a synthetic site over the expression that holds them. Shared by the hand-worked
 * recognisers (floatLse.ts, floatPicks.ts, negLogSigmoid.ts).
 */
import type { Evaluation } from '../evaluation';
import type { Node } from '../expr';
import type { PairInput } from '../pairInput';

/** The input of a pair made from Python floats typed into the source at `node` (float64, a plain list). */
export function typedFloats(ev: Evaluation, node: Node, logits: Float64Array, shape: number[]): PairInput['input'] {
  const site = ev.ctx.syntheticSite(node.start, node.end, logits, shape, false, 'number');
  return {
    site,
    data: logits,
    shape,
    integerTensor: false,
    dtype: 'float64',
    dtypeSource: 'default',
    container: 'list',
    transform: null,
    name: null,
    fresh: false,
    derived: false,
  };
}
