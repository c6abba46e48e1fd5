/** responseNumbers bounds what computeResponse writes: the bound compute checks before building an answer. */
import { describe, expect, it } from 'vitest';
import { computeLoss } from '../../../src/core/kernel';
import { parseRequest } from '../../../src/core/request';
import { computeResponse, responseNumbers } from '../../../src/core/response';

function countNumbers(v: unknown): number {
  if (typeof v === 'number') return 1;
  if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return 1;
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + countNumbers(x), 0);
  if (v && typeof v === 'object') return Object.values(v).reduce((n: number, x) => n + countNumbers(x), 0);
  return 0;
}

const requests = [
  '{"input": [0.5, 1.5, -2.0], "target": 2}',
  '{"input": [[0.5, 1.5, -2.0], [1, 2, 3]], "target": [2, 0], "reduction": "none"}',
  '{"input": [[0.5, 1.5, -2.0], [1, 2, 3]], "target": [[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]], "label_smoothing": 0.1, "weight": [1, 2, 3]}',
  '{"input": [[[1, 2], [3, 4], [5, 6]], [[1, 0], [0, 1], [2, 2]]], "target": [[0, 2], [1, -100]], "reduction": "none"}',
  '{"input": [[0.1], [0.2], [0.3], [0.4]], "target": [0, 0, 0, 0], "input_kind": "log_probs"}',
];

describe('responseNumbers', () => {
  for (const text of requests) {
    it(`is an upper bound, within 2×, for ${text.slice(0, 60)}…`, () => {
      for (const opts of [{}, { grad: true }, { steps: true }, { steps: true, grad: true }]) {
        const outcome = computeLoss(parseRequest(text), { grad: !!(opts as { grad?: boolean }).grad });
        if (!outcome.ok) throw new Error(outcome.error.message);
        const actual = countNumbers(computeResponse(outcome.prepared, outcome.result, opts));
        const bound = responseNumbers(outcome.prepared, opts);
        expect(actual, JSON.stringify(opts)).toBeLessThanOrEqual(bound);
        expect(actual * 2, JSON.stringify(opts)).toBeGreaterThanOrEqual(bound);
      }
    });
  }
});
