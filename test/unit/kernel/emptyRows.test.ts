/**
 * A batch without rows (N = 0, or a zero extent d_i with C > 0) is torch's to compute: nan for
 * mean (0/0), 0 for sum (−0 with probability targets: torch's −(q·log p).sum() of nothing), an empty
 * tensor of the loss's shape for none, an empty gradient. The values themselves are checked
 * against torch in torchFixtures.test.ts (cases.json, family `empty`); here, what the fixtures
 * cannot say: every backend, the sign of zero, the fields around the loss, and the refusals.
 */
import { describe, expect, it } from 'vitest';
import { computeLoss, crossEntropySteps, prepare, reReduce } from '../../../src/core/kernel';
import { setKernelBackend } from '../../../src/core/kernel/wasmForward';
import { parseRequest } from '../../../src/core/request';
import { KernelError } from '../../../src/core/errors';
import type { LossRequest, Reduction } from '../../../src/core/types';

function request(fields: Record<string, unknown>): LossRequest {
  return parseRequest(JSON.stringify({ input: [], target: [], ...fields }));
}

const layouts = [
  { input_shape: [0, 5], target_shape: [0] },
  { input_shape: [3, 5, 0], target_shape: [3, 0] },
  { input_shape: [0, 5, 2, 2], target_shape: [0, 2, 2] },
  { input_shape: [2, 5, 2, 0, 1], target_shape: [2, 2, 0, 1] },
];

describe('a batch without rows', () => {
  for (const backend of ['scalar', 'wasm', 'auto'] as const) {
    for (const layout of layouts) {
      for (const kind of ['indices', 'probabilities', 'smoothed', 'log_probs'] as const) {
        it(`${backend}: ${JSON.stringify(layout.input_shape)} ${kind}: nan, 0, empty, as torch`, () => {
          setKernelBackend(backend);
          try {
            const fields = {
              ...layout,
              ...(kind === 'probabilities' ? { target_shape: layout.input_shape } : {}),
              ...(kind === 'smoothed' ? { label_smoothing: 0.1, weight: [1, 2, 3, 4, 5] } : {}),
              ...(kind === 'log_probs' ? { input_kind: 'log_probs' } : {}),
            };
            const expected: Record<Reduction, number> = {
              mean: NaN,
              sum: kind === 'probabilities' ? -0 : 0,
              // For none, `loss` is the sum the gradient differentiates.
              none: kind === 'probabilities' ? -0 : 0,
            };
            for (const reduction of ['mean', 'sum', 'none'] as const) {
              for (const dtype of ['float32', 'float64']) {
                for (const grad of [false, true]) {
                  const out = computeLoss(request({ ...fields, reduction, dtype }), { grad });
                  if (!out.ok) throw new Error(`${out.error.code}: ${out.error.message}`);
                  const { prepared, result } = out;
                  expect(prepared.N * prepared.S).toBe(0);
                  expect(result.losses.length).toBe(0);
                  expect(Object.is(result.loss, expected[reduction]), `${reduction} ${dtype}: ${result.loss}`).toBe(
                    true,
                  );
                  expect(prepared.lossShape).toEqual([layout.input_shape[0], ...layout.input_shape.slice(2)]);
                  if (grad) expect(result.grad?.length).toBe(0);
                }
              }
            }
          } finally {
            setKernelBackend('auto');
          }
        });
      }
    }
  }

  it('re-reduces and takes its steps without a row', () => {
    const out = computeLoss(request({ input_shape: [0, 4], target_shape: [0], reduction: 'mean' }));
    if (!out.ok) throw new Error(out.error.message);
    expect(reReduce(out.prepared, out.result, 'sum')?.loss).toBe(0);
    expect(reReduce(out.prepared, out.result, 'mean')?.loss).toBeNaN();
    const steps = crossEntropySteps(prepare(request({ input_shape: [0, 4], target_shape: [0] })), true);
    expect(steps.loss).toBeNaN();
    expect(steps.max.length + steps.softmax.length).toBe(0);
  });

  it('keeps torch’s shape checks', () => {
    const err = (fields: Record<string, unknown>) => {
      const out = computeLoss(request(fields));
      return out.ok ? null : `${out.error.code}: ${out.error.message}`;
    };
    expect(err({ input_shape: [0, 3], target: [1] })).toBe(
      'batch_size_mismatch: Expected input batch_size (0) to match target batch_size (1).',
    );
    expect(err({ input_shape: [0, 3], weight: [1, 1] })).toMatch(/^weight_size_mismatch: /);
    expect(err({ input_shape: [2, 3, 0], target: [[0], [1]] })).toMatch(/^target_shape_mismatch: /);
  });

  it('refuses an input without classes (C = 0), in its own words', () => {
    for (const shape of [[0], [2, 0], [0, 0], [2, 0, 3]]) {
      const target = Array.from({ length: shape.length > 1 ? shape[0]! : 0 }, () => -100);
      const out = computeLoss(request({ input_shape: shape, target }));
      expect(out.ok).toBe(false);
      if (!out.ok) {
        expect(out.error.code).toBe('empty_input');
        expect(out.error.message).toMatch(/no classes \(C = 0\)/);
      }
    }
  });

  it('counts the rows and classes an empty input spans against the element cap', () => {
    // (10⁹, 3, 0) has no element, but 10⁹ rows to walk and write out as empty lists.
    const huge = computeLoss(request({ input_shape: [1e9, 3, 0], target_shape: [1e9, 0] }));
    expect(huge.ok).toBe(false);
    if (!huge.ok) {
      expect(huge.error.code).toBe('input_too_large');
      expect(huge.error.detail).toEqual({ id: 'input_too_large', elements: 3e9, limit: 50_000_000 });
    }
    expect(() => prepare(request({ input_shape: [20, 3, 0], target_shape: [20, 0] }), 59)).toThrow(KernelError);
    expect(prepare(request({ input_shape: [20, 3, 0], target_shape: [20, 0] }), 60).N).toBe(20);
  });
});

describe('input_shape and target_shape in a request', () => {
  it('reshape the values in row-major order', () => {
    const r = parseRequest('{"input": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "input_shape": [2, 3], "target": [0, 2]}');
    expect(r.input.shape).toEqual([2, 3]);
    expect(Array.from(r.input.data)).toEqual([1, 2, 3, 4, 5, 6]);
    const same = computeLoss(parseRequest('{"input": [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], "target": [0, 2]}'));
    const out = computeLoss(r);
    expect(out.ok && same.ok && out.result.loss === same.result.loss).toBe(true);
  });

  it('read an empty target of the input’s shape as probabilities, any other as class indices', () => {
    expect(request({ input_shape: [0, 3], target_shape: [0, 3] }).target.integral).toBe(false);
    expect(request({ input_shape: [0, 3], target_shape: [0] }).target.integral).toBe(true);
    expect(parseRequest('{"input": [[[], []]], "target": [[]]}').target.integral).toBe(true);
  });

  it('are refused when they do not fit the values or are not a list of counts', () => {
    const problem = (text: string) => {
      try {
        parseRequest(text);
        return null;
      } catch (e) {
        return (e as KernelError).message;
      }
    };
    expect(problem('{"input": [1.0, 2.0], "input_shape": [3], "target": 0}')).toBe(
      '"input_shape" [3] holds 3 values, but "input" has 2.',
    );
    expect(problem('{"input": [], "target": [1], "target_shape": [0]}')).toBe(
      '"target_shape" [0] holds 0 values, but "target" has 1.',
    );
    for (const bad of ['[-1, 3]', '[1.5]', '"2,3"', '[[0, 3]]', '[1e12]'])
      expect(problem(`{"input": [], "input_shape": ${bad}, "target": []}`)).toBe(
        '"input_shape" must be a list of non-negative integers.',
      );
  });
});
