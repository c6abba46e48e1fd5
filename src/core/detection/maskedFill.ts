/**
 * torch's `x.masked_fill(mask, value)` (and the in-place `masked_fill_`) with a mask written as a
 * literal of `True`/`False`: the elements where the mask is True become `value` (`float("-inf")` as
 * attention and contrastive code masks logits), the mask broadcast to x's shape. A mask that is not
 * a literal of booleans is not read: torch refuses integer masks, and this evaluator keeps booleans
 * as 0 and 1, so only the written words tell them apart.
 */
import { argumentValue, type CallNode, type Evaluation } from './evaluation';
import { broadcastIndex, broadcastShape } from './broadcast';
import { numberOf } from './filledArrays';
import { materialise } from './tensorIndex';
import { computed, kindOf, libOf } from './tensorMath';
import type { ArrayValue } from './values';

const booleanLiteral = /^[\s[\](),]*(?:(?:True|False)\b[\s[\](),]*)+$/;

/** The masked array, or null when the mask, the value or the shapes are not the ones read here. */
export function maskedFill(ev: Evaluation, a0: ArrayValue, call: CallNode): ArrayValue | null {
  const a = materialise(a0);
  const m = argumentValue(ev, call, { position: 0, keyword: 'mask' });
  const value = numberOf(argumentValue(ev, call, { position: 1, keyword: 'value' }));
  if (libOf(a) !== 'torch' || !a.data || m.kind !== 'array' || value === null) return null;
  const mask = m.array;
  const site = mask.site;
  const written = ev.ctx.text.slice(site.literalStart, site.literalEnd);
  const own = mask.view === undefined || (mask.view !== null && mask.view.root.site === site);
  if (!mask.data || mask.derived || mask.transform !== null || !own || !booleanLiteral.test(written)) return null;
  const shape = broadcastShape(a.shape, mask.shape);
  if (!shape || shape.length !== a.shape.length || shape.some((d, i) => d !== a.shape[i])) return null;
  const kind = kindOf(a);
  // An integer tensor filled with a fraction or an infinity: torch casts or refuses; not modelled.
  if (kind === 'int' && !Number.isInteger(value)) return null;
  const fill = kind === 'float32' ? Math.fround(value) : value;
  const at = broadcastIndex(mask.shape, shape);
  const data = a.data.map((x, k) => (mask.data![at[k]] ? fill : x));
  return computed(a, data, a.shape.slice(), 'torch', kind, null);
}
