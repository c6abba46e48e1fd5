/**
 * A live read's notes and progress messages reach a Korean user in Korean: the bridge reports a
 * stable id and its values (src/live/session.ts), the host words them with vscode.l10n from
 * l10n/bundle.l10n.ko.json (src/live/liveNoteText.ts). Fails when a Korean string is missing, when a
 * sentence drops a value, or when a note id has no sample here.
 */
import { describe, expect, it } from 'vitest';
import { liveNoteText, progressText, pullLabelText } from '../../../src/live/liveNoteText';
import { liveNoteIds, pullLabelIds, type LiveNote, type PullLabel } from '../../../src/live/session';
import { englishL10n } from '../../../src/editor/format';
import { hangul, koreanBundle, koreanL10n } from '../koreanL10n';

const bundle = koreanBundle;

/** Notes of every id, with values that show up in the text; both counts where the wording differs. */
const samples: { [I in LiveNote['id']]: Extract<LiveNote, { id: I }>[] } = {
  paused_before: [{ id: 'paused_before', frameLine: 41, callLine: 57 }],
  widened: [{ id: 'widened', name: 'out.logits', dtype: 'bfloat16' }],
  device: [{ id: 'device', name: 'logits', device: 'cuda:1' }],
  requires_grad: [{ id: 'requires_grad', name: 'scores' }],
  not_contiguous: [{ id: 'not_contiguous', name: 'x.T' }],
  flat: [{ id: 'flat', name: 'flatLogits', shape: '2, 10' }],
  first_rows: [
    { id: 'first_rows', count: 1, rows: '17', positions: 64, by: 'torch' },
    { id: 'first_rows', count: 3, rows: '17, 4, 60', positions: 64, by: 'torch' },
    { id: 'first_rows', count: 1, rows: '9', positions: 512, by: 'own_function' },
    { id: 'first_rows', count: 2, rows: '9, 300', positions: 512, by: 'own_function' },
  ],
  over_budget_first: [
    { id: 'over_budget_first', name: 'logits', mib: '196.3', budgetMib: '64.0', count: 1 },
    { id: 'over_budget_first', name: 'logits', mib: '196.3', budgetMib: '64.0', count: 4 },
  ],
  over_budget_steps: [{ id: 'over_budget_steps', name: 'lm_logits', mib: '1570.6', budgetMib: '64.0', top: 8 }],
  over_budget_reduced: [{ id: 'over_budget_reduced', name: 'y_hat', mib: '412.5', budgetMib: '32.0', top: 5 }],
};

const labels: { [I in PullLabel['id']]: Extract<PullLabel, { id: I }>[] } = {
  tensor: [
    { id: 'tensor', name: 'logits', shape: [64, 50257], dtype: 'float32' },
    { id: 'tensor', name: 'xs', shape: [2, 10], dtype: null },
  ],
  rows: [
    { id: 'rows', count: 5, name: 'logits' },
    { id: 'rows', count: null, name: null },
  ],
  row_losses: [{ id: 'row_losses' }],
  values: [{ id: 'values' }],
};

const values = (o: object) =>
  Object.entries(o)
    .filter(([k, v]) => k !== 'id' && k !== 'by' && k !== 'count' && v !== null)
    .map(([, v]) => (Array.isArray(v) ? v.join(', ') : String(v)));

describe('live notes in the user’s language', () => {
  it('has a sample of every note id and every pull label id', () => {
    expect(Object.keys(samples).sort()).toEqual([...liveNoteIds].sort());
    expect(Object.keys(labels).sort()).toEqual([...pullLabelIds].sort());
  });

  for (const id of liveNoteIds) {
    it(`${id}: an English sentence and its Korean translation, each with its values`, () => {
      const english = new Set<string>();
      for (const note of samples[id]) {
        const asked: string[] = [];
        const en = liveNoteText(note, englishL10n);
        const ko = liveNoteText(note, koreanL10n(asked));
        expect(asked.length).toBeGreaterThan(0);
        for (const m of asked) expect(bundle[m], `no Korean for "${m}"`).toBeTruthy();
        expect(ko).toMatch(hangul);
        expect(en).not.toMatch(hangul);
        for (const v of values(note)) {
          expect(en).toContain(v);
          expect(ko).toContain(v);
        }
        english.add(en);
      }
      // A count of one and of several, by torch or by our own function, read differently.
      expect(english.size).toBe(samples[id].length);
    });
  }

  it('keeps the counts in the sentences that have them', () => {
    const several = liveNoteText(samples.first_rows[1]!, koreanL10n());
    expect(several).toContain('3');
    expect(liveNoteText(samples.first_rows[1]!, englishL10n)).toMatch(/^The first 3 rows read \(17, 4, 60/);
    expect(liveNoteText(samples.first_rows[0]!, englishL10n)).toMatch(/^The first row read \(17,/);
  });
});

describe('live progress in the user’s language', () => {
  for (const id of pullLabelIds) {
    it(`${id}: what a pull reads`, () => {
      for (const label of labels[id]) {
        const en = pullLabelText(label, englishL10n);
        const ko = pullLabelText(label, koreanL10n());
        for (const v of values(label)) {
          expect(en).toContain(v);
          expect(ko).toContain(v);
        }
        // The program's own words (a tensor's expression, shape and dtype) are not translated.
        if (id === 'tensor') expect(ko).toBe(en);
        else expect(ko).toMatch(hangul);
      }
    });
  }

  it('words a pull, a step of the reduction in the program, and a pull without a label', () => {
    const ko = koreanL10n();
    expect(progressText({ done: 3, total: 8, label: labels.tensor[0] }, ko)).toBe('logits (64, 50257) float32');
    const step = progressText({ done: 48, total: 64, reducing: true }, ko);
    expect(step).toMatch(hangul);
    expect(step).toContain('48');
    expect(step).toContain('64');
    expect(progressText({ done: 48, total: 64, reducing: true }, englishL10n)).toBe(
      'the loss of every row, computed in the program: 48 of 64 samples',
    );
    expect(progressText({ done: 1, total: 2 }, ko)).toMatch(hangul);
  });
});
