/**
 * Applying a batch of edits to a held text in one pass. Replaying k edits on an n-character text
 * one string copy at a time costs O(n·k) (10 MB × a few hundred keystrokes); here the edits
 * rearrange a list of pieces (slices of the old text and inserted strings), and the new text is
 * built once at the end: O(n + k·p) for p pieces (p ≤ 2k + 1).
 */
import { KernelError } from '../core/errors';
import type { TextEdit } from '../protocol/worker';

/** `src.slice(start, end)`, not yet copied. */
interface Piece {
  src: string;
  start: number;
  end: number;
}

/**
 * The text after `edits`, applied in order (each offset refers to the text after the previous
 * edits). Throws `invalid_request` when an edit reaches past the end of the text it applies to.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  if (edits.length === 0) return text;
  let pieces: Piece[] = text.length ? [{ src: text, start: 0, end: text.length }] : [];
  let length = text.length;
  for (const edit of edits) {
    const { offset, length: removed } = edit;
    if (offset + removed > length) {
      throw new KernelError(
        'invalid_request',
        `An edit at ${offset} (${removed} characters) reaches past the end of the text (${length}).`,
        { id: 'edit_out_of_range', offset, removed, length },
      );
    }
    pieces = splice(pieces, offset, removed, edit.text);
    length += edit.text.length - removed;
  }
  let out = '';
  for (const p of pieces) out += p.src.slice(p.start, p.end);
  return out;
}

/** The pieces with `removed` characters at `offset` replaced by `insert`. */
function splice(pieces: Piece[], offset: number, removed: number, insert: string): Piece[] {
  const out: Piece[] = [];
  const cutEnd = offset + removed;
  let inserted = false;
  const addInsert = (): void => {
    if (!inserted && insert.length) out.push({ src: insert, start: 0, end: insert.length });
    inserted = true;
  };
  let pos = 0;
  for (const p of pieces) {
    const pStart = pos;
    const pEnd = pos + (p.end - p.start);
    pos = pEnd;
    // What lies before the cut, then the insertion, then what lies after the cut.
    if (pStart < offset) out.push({ src: p.src, start: p.start, end: p.start + (Math.min(pEnd, offset) - pStart) });
    if (pEnd > cutEnd) {
      addInsert();
      out.push({ src: p.src, start: p.start + (Math.max(pStart, cutEnd) - pStart), end: p.end });
    }
  }
  addInsert();
  return out;
}
