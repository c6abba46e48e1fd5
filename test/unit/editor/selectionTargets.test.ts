import { describe, expect, it } from 'vitest';
import type { ArraySite } from '../../../src/core/detection';
import { classTargetShape, targetCandidates, typedTarget } from '../../../src/editor/selectionTargets';

function site(id: number, shape: number[], integral: boolean, extra: Partial<ArraySite> = {}): ArraySite {
  return {
    id,
    name: `a${id}`,
    start: 0,
    end: 0,
    line: 1,
    endLine: 1,
    literalStart: 0,
    literalEnd: 0,
    shape,
    integral,
    dtype: integral ? null : 'float32',
    dtypeSource: 'default',
    constructorName: 'torch.tensor',
    isIntegerTensor: false,
    ...extra,
  } as ArraySite;
}

describe('Inspect Selection targets', () => {
  it('expects (N, d…) for (N, C, d…) logits and a scalar for one row', () => {
    expect(classTargetShape([2, 10])).toEqual([2]);
    expect(classTargetShape([10])).toEqual([]);
    expect(classTargetShape([2, 3, 4])).toEqual([2, 4]);
  });

  it('offers only integer arrays of a shape torch accepts, never the logits or float arrays', () => {
    const logits = site(0, [2, 10], false);
    const arrays = [
      logits,
      site(1, [2, 10], false), // other logits
      site(2, [2], true), // fits
      site(3, [3], true), // wrong batch size
      site(4, [2], false), // floats
      site(5, [2], false, { isIntegerTensor: true }), // LongTensor written with floats
    ];
    expect(targetCandidates(logits.shape, arrays, logits.id).map((a) => a.id)).toEqual([2, 5]);
    expect(
      targetCandidates([10], [site(6, [1], true), site(7, [], true), site(8, [2], true)]).map((a) => a.id),
    ).toEqual([6, 7]);
  });

  it('reads a typed class index, or one per sample, within 0..C-1', () => {
    expect(typedTarget('3', [10])).toBe('[3]');
    expect(typedTarget('1, 5', [2, 10])).toBe('[1, 5]');
    expect(typedTarget('[1, 5]', [2, 10])).toBe('[1, 5]');
    expect(typedTarget('10', [10])).toBeNull();
    expect(typedTarget('1', [2, 10])).toBeNull();
    expect(typedTarget('x', [10])).toBeNull();
    expect(typedTarget('-1', [10])).toBeNull();
  });
});
