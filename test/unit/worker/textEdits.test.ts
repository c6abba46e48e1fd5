/**
 * Edit batches applied in one pass give exactly what replaying them one copy at a time gives.
 */
import { describe, expect, it } from 'vitest';
import type { TextEdit } from '../../../src/protocol/worker';
import { applyEdits } from '../../../src/worker/textEdits';

function replay(text: string, edits: readonly TextEdit[]): string {
  for (const e of edits) text = text.slice(0, e.offset) + e.text + text.slice(e.offset + e.length);
  return text;
}

describe('applyEdits', () => {
  it('matches edit-by-edit replay on random batches (inserts, deletes, replacements, empty texts)', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let trial = 0; trial < 3000; trial++) {
      const base = 'abcdefghij'.slice(0, Math.floor(random() * 11));
      let text = base;
      const edits: TextEdit[] = [];
      for (let k = 0, n = 1 + Math.floor(random() * 6); k < n; k++) {
        const offset = Math.floor(random() * (text.length + 1));
        const length = Math.floor(random() * (text.length - offset + 1));
        const edit = { offset, length, text: ['', 'X', 'YZ', 'uvw'][Math.floor(random() * 4)]! };
        edits.push(edit);
        text = replay(text, [edit]);
      }
      expect(applyEdits(base, edits), JSON.stringify({ base, edits })).toBe(text);
    }
  });

  it('refuses an edit that reaches past the end of the text it applies to', () => {
    expect(() =>
      applyEdits('abc', [
        { offset: 1, length: 1, text: '' },
        { offset: 2, length: 1, text: 'x' },
      ]),
    ).toThrow(/reaches past the end/);
  });
});
