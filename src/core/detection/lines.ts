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
      this.next = -1;
      if (offset < this.offset / 2) {
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
    for (let i = this.offset - 1; i >= offset; i--) {
      const c = text.charCodeAt(i);
      if (c === 10) line--;
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) line--;
    }
    this.offset = offset;
    this.line = line;
    return line;
  }

  /** Offset of the first character of the line containing `offset`. */
  lineStartOf(offset: number): number {
    const text = this.text;
    let i = Math.min(offset, text.length);
    while (i > 0) {
      const c = text.charCodeAt(i - 1);
      if (c === 10 || c === 13) break;
      i--;
    }
    return i;
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
