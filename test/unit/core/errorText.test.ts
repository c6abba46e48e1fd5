/**
 * Loss Inspector's own error sentences reach a Korean user in Korean: every ErrorDetail id has an
 * English sentence and a Korean translation of it in l10n/bundle.l10n.ko.json, with its values;
 * torch's own RuntimeError text comes without a detail and stays in English as torch prints it.
 */
import { describe, expect, it } from 'vitest';
import { errorText } from '../../../src/core/errorText';
import { computeLoss } from '../../../src/core/kernel';
import { errorDetailIds, type ErrorDetail } from '../../../src/core/types';
import { englishL10n } from '../../../src/editor/format';
import { errorInfoProblem } from '../../../src/protocol/worker';
import { indexRequest } from '../requestBuilders';
import { koreanBundle, koreanL10n } from '../koreanL10n';

const bundle = koreanBundle;

/** One detail of every id, with values that show up in the text (the key type makes the table complete). */
const samples: { [I in ErrorDetail['id']]: Extract<ErrorDetail, { id: I }> } = {
  analysis_gone: { id: 'analysis_gone', version: 41 },
  version_not_held: { id: 'version_not_held', version: 42 },
  no_pair: { id: 'no_pair', pair: 43 },
  sample_out_of_range: { id: 'sample_out_of_range', sample: 44, count: 45 },
  edit_out_of_range: { id: 'edit_out_of_range', offset: 46, removed: 47, length: 48 },
  selection_no_array: { id: 'selection_no_array', role: 'target' },
  selection_unreadable: { id: 'selection_unreadable', role: 'logits', reason: 'ragged rows' },
  no_request: { id: 'no_request' },
  malformed_request: { id: 'malformed_request', problem: 'params is not an object' },
  cancelled: { id: 'cancelled' },
  deadline_exceeded: { id: 'deadline_exceeded', ms: 5000 },
  worker_out_of_memory: { id: 'worker_out_of_memory', limitMb: 512 },
  worker_failed: { id: 'worker_failed', reason: 'boom' },
  worker_exited: { id: 'worker_exited', exitCode: 49 },
  input_too_large: { id: 'input_too_large', elements: 2000001, limit: 2000000 },
  empty_input: { id: 'empty_input' },
  log_probs_smoothing: { id: 'log_probs_smoothing' },
  log_probs_probabilities: { id: 'log_probs_probabilities' },
};

/** The values of a detail that its sentence must show (numbers and words, not the role). */
function values(detail: ErrorDetail): string[] {
  return Object.entries(detail)
    .filter(([k]) => k !== 'id' && k !== 'role')
    .map(([k, v]) => (k === 'ms' ? String(Number(v) / 1000) : String(v)));
}

const hangul = /[가-힣]/;

describe('worker error texts', () => {
  it('lists every detail id once', () => {
    expect([...errorDetailIds].sort()).toEqual(Object.keys(samples).sort());
    expect(new Set(errorDetailIds).size).toBe(errorDetailIds.length);
  });

  for (const id of errorDetailIds) {
    it(`${id}: has an English text and a Korean one, both with the values`, () => {
      const detail = samples[id];
      const english = errorText({ message: 'unused', detail }, englishL10n);
      expect(english).not.toBe('unused');
      expect(english).not.toMatch(/\{\d+\}/);
      expect(english).not.toMatch(hangul);
      const asked: string[] = [];
      const korean = errorText({ message: 'unused', detail }, koreanL10n(asked));
      expect(asked).toHaveLength(1);
      expect(bundle, `no Korean for ${JSON.stringify(asked[0])}`).toHaveProperty([asked[0]!]);
      expect(korean).toMatch(hangul);
      expect(korean).not.toMatch(/\{\d+\}/);
      for (const v of values(detail)) {
        expect(english).toContain(v);
        expect(korean).toContain(v);
      }
      // What the worker sends passes the wire's check; a detail with a stray or wrong field does not.
      expect(errorInfoProblem({ code: 'internal', message: english, detail }, 'error')).toBeNull();
      expect(errorInfoProblem({ code: 'internal', message: english, detail: { ...detail, extra: 1 } }, 'e')).toMatch(
        /extra/,
      );
    });
  }

  it('refuses a detail of an unknown id or with a value of the wrong type', () => {
    expect(errorInfoProblem({ code: 'internal', message: 'x', detail: { id: 'nope' } }, 'e')).toMatch(/no known id/);
    expect(errorInfoProblem({ code: 'internal', message: 'x', detail: { id: 'no_pair', pair: '3' } }, 'e')).toMatch(
      /pair/,
    );
    expect(
      errorInfoProblem({ code: 'internal', message: 'x', detail: { id: 'selection_no_array', role: 'input' } }, 'e'),
    ).toMatch(/role/);
    expect(errorInfoProblem({ code: 'internal' }, 'e')).toMatch(/code, message/);
  });

  it("words the kernel's own refusal in Korean and keeps torch's RuntimeError in English", () => {
    // No rows is torch's to compute (nan); no classes is Loss Inspector's refusal.
    const noRows = computeLoss(indexRequest(new Float64Array(0), [0, 4], []));
    expect(noRows.ok && noRows.result.loss).toBeNaN();
    const empty = computeLoss(indexRequest(new Float64Array(0), [2, 0], [0, 0]));
    expect(empty.ok).toBe(false);
    if (empty.ok) return;
    expect(empty.error.detail).toEqual({ id: 'empty_input' });
    expect(errorText(empty.error, koreanL10n([]))).toMatch(hangul);

    const outOfBounds = computeLoss(indexRequest(Float64Array.of(1, 2, 3), [1, 3], [7]));
    expect(outOfBounds.ok).toBe(false);
    if (outOfBounds.ok) return;
    expect(outOfBounds.error.detail).toBeUndefined();
    expect(errorText(outOfBounds.error, koreanL10n([]))).toBe('Target 7 is out of bounds.');
  });
});
