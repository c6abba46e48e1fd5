/**
 * Prints that write the same label (`print('loss: ', loss)` twice, once per criterion) own the output
 * lines starting with it in order, when they run once each in that order (docs/detection.md 3.382):
 * all at one indentation, with no line between them that leaves their block (an `else:`, a `def` at
 * the margin, a dedent). A loop or a second call around them prints more lines than there are prints,
 * and branches print fewer, so a count that differs leaves the lines to no one.
 */

/** Lines longer than this between two prints are not scanned (a run of prints sits close together). */
const maxSpan = 20_000;

/** The indentation of the line holding offset `at` (spaces and tabs before its first character). */
function indentAt(text: string, at: number): { start: number; width: number } {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  let k = start;
  while (k < at && (text[k] === ' ' || text[k] === '\t')) k++;
  return { start, width: k - start };
}

/**
 * Whether the prints starting at `starts` (in document order, each at the start of its statement)
 * run once each in that order: same indentation, every non-blank, non-comment line between them at
 * least as deep, and none of them a `def`, `class` or `lambda` header at their depth.
 */
export function oneRun(text: string, starts: readonly number[]): boolean {
  if (starts.length < 2) return false;
  const first = indentAt(text, starts[0]);
  if (text.slice(first.start, starts[0]).trim() !== '') return false;
  const last = starts[starts.length - 1];
  if (last - starts[0] > maxSpan) return false;
  for (const s of starts) {
    const own = indentAt(text, s);
    if (own.width !== first.width || text.slice(own.start, s).trim() !== '') return false;
  }
  for (let k = first.start; k < last;) {
    const eol = text.indexOf('\n', k);
    const end = eol < 0 ? text.length : eol;
    const line = text.slice(k, end);
    const body = line.trimStart();
    if (body !== '' && !body.startsWith('#')) {
      const width = line.length - body.length;
      if (width < first.width) return false;
      if (width === first.width && /^(?:async\s+)?(?:def|class)\b/.test(body)) return false;
    }
    k = end + 1;
  }
  return true;
}
