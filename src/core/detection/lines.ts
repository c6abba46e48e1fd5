/**
 * Offset → 1-based line, without building a line table: a 50 MB file of empty lines would need
 * a table larger than the file. Queries come mostly in increasing order, so a cursor that counts
 * line breaks forward (or backward) from the previous answer costs O(file) overall.
 * A line break is `\n`, `\r\n` or a lone `\r` (mixed endings are counted as an editor would).
 */
export class LineCounter {
  private offset = 0;
  private line = 1;
  /** Offset of the first `\n` at or after `offset` (Infinity: none), when known; -1 unknown. */
  private next = -1;
  private readonly hasCR: boolean;

  constructor(private readonly text: string) {
    this.hasCR = text.indexOf('\r') >= 0;
  }

  /** 1-based line of `offset` (clamped to the text). */
  lineAt(offset: number): number {
    const text = this.text;
    if (offset > text.length) offset = text.length;
    if (offset < 0) offset = 0;
    if (offset < this.offset) {
      if (offset < this.offset / 2) {
        this.next = -1;
        this.offset = 0;
        this.line = 1;
      } else return this.countBack(offset);
    }
    let line = this.line;
    let i = this.offset;
    if (!this.hasCR) {
      // `next` caches where the next line break after the cursor is, so many queries on one long
      // line do not each search to the end of the text.
      if (offset <= this.next) {
        this.offset = offset;
        return line;
      }
      for (;;) {
        const j = text.indexOf('\n', i);
        if (j < 0 || j >= offset) {
          this.next = j < 0 ? Infinity : j;
          break;
        }
        line++;
        i = j + 1;
      }
    } else {
      for (; i < offset; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) line++;
        else if (c === 13 && text.charCodeAt(i + 1) !== 10) line++;
      }
    }
    this.offset = offset;
    this.line = line;
    return line;
  }

  private countBack(offset: number): number {
    const text = this.text;
    let line = this.line;
    // The lowest `\n` passed is the first one at or after the new offset; with none passed, the
    // cached one still is (a step back on one long line must not forget it: O(n²) otherwise).
    let firstBreak = -1;
    for (let i = this.offset - 1; i >= offset; i--) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        line--;
        firstBreak = i;
      } else if (c === 13 && text.charCodeAt(i + 1) !== 10) line--;
    }
    if (firstBreak >= 0) this.next = firstBreak;
    this.offset = offset;
    this.line = line;
    return line;
  }

  /** The last {@link lineStartOf} answer: [offset asked, line start found]. */
  private startQuery = -1;
  private startFound = 0;

  /**
   * Offset of the first character of the line containing `offset`. Increasing queries on one line
   * (many `;`-separated statements) scan only the characters since the previous query: O(line).
   */
  lineStartOf(offset: number): number {
    const text = this.text;
    let i = Math.min(offset, text.length);
    const floor = this.startQuery >= 0 && this.startQuery <= i ? this.startQuery : 0;
    while (i > floor) {
      const c = text.charCodeAt(i - 1);
      if (c === 10 || c === 13) break;
      i--;
    }
    const found = i === floor && floor > 0 && this.startQuery >= 0 ? this.startFound : i;
    this.startQuery = Math.min(offset, text.length);
    this.startFound = found;
    return found;
  }
}

/**
 * End of the line that `pos` is on: the offset of its line break (`\n`, or `\r` when the text has
 * any), or the text's length. `hasCR` is `text.indexOf('\r') >= 0`, computed once by the caller.
 */
export function lineEnd(text: string, pos: number, hasCR: boolean): number {
  if (!hasCR) {
    const e = text.indexOf('\n', pos);
    return e < 0 ? text.length : e;
  }
  const len = text.length;
  while (pos < len) {
    const c = text.charCodeAt(pos);
    if (c === 10 || c === 13) break;
    pos++;
  }
  return pos;
}

/**
 * "line L, column C" (1-based, columns in UTF-16 units) of an offset, by one scan from the start:
 * for the rare message that must name a place (callers report it at most once per document).
 */
export function lineColumnText(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return `line ${line}, column ${end - lineStart + 1}`;
}

/** The finding for brackets nested deeper than `max` levels, at `offset`. */
export function nestingMessage(text: string, offset: number, max: number): string {
  return `nesting deeper than ${max} levels at ${lineColumnText(text, offset)}`;
}
