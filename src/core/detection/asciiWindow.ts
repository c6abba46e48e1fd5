/**
 * A window of the source text as bytes, for the literal parser's hot loop: indexing a Uint8Array
 * is 2–3× faster in V8 than `charCodeAt` on a string, and parsing millions of numbers is the cost
 * of a big literal. Only ASCII text goes in a window, so byte `i` is code unit `start + i` (no
 * UTF-8 offset arithmetic); a window ends early at the first non-ASCII character.
 *
 * `bytes[end - start]` and the byte after it are 0, a sentinel that is no digit, sign, separator
 * or bracket: a reader stops there as at any other character it does not take. Where the window
 * ends only because of its size (`soft`), the reader asks for {@link cover} at the number it was
 * reading and goes on. Windows move forward with the reader and double while it keeps reading
 * past their end, so each character is encoded about once: linear in the text.
 */
// The core layer sees no DOM or Node types; TextEncoder is in every runtime it runs in (Node's
// workers and CLI, browsers), so only the one method used is declared.
declare const TextEncoder: new () => { encodeInto(text: string, into: Uint8Array): { read: number; written: number } };
const encoder = new TextEncoder();
const nonAsciiPattern = /[^\x00-\x7f]/g;
const firstSpan = 4096;
const maxSpan = 1 << 20;

export class AsciiWindow {
  bytes = new Uint8Array(firstSpan + 2);
  /** The text range [start, end) held in {@link bytes}. */
  start = 0;
  end = 0;
  /** The window ends at its size limit, not at a non-ASCII character or the text's end. */
  soft = false;
  private span = firstSpan;
  /**
   * -1 while no character outside ASCII has been met: the encoder finds the first one (it writes
   * more bytes than it reads characters), so an ASCII text is never searched apart from encoding it.
   * From then on, the offset of the next one at or after the last search (text length if none),
   * found with a search that starts where the last one stopped: each character is searched once.
   */
  private nonAscii = -1;

  constructor(private readonly text: string) {}

  /**
   * Whether a window holding more of the text from `pos` on can be made: not when the window
   * already starts there at its largest size (a number longer than that is read from the string).
   */
  canGrowAt(pos: number): boolean {
    return this.soft && !(pos === this.start && this.span >= maxSpan);
  }

  /**
   * Makes the window start at `pos` (an ASCII character). A window grown from the end of the last
   * one (a reader that ran off its soft end) is twice its size, up to 1 M characters; one that
   * starts elsewhere starts small, so a literal parsed far from the last costs little to cover.
   */
  cover(pos: number): void {
    const text = this.text;
    this.span = this.soft && pos >= this.start && pos <= this.end ? Math.min(this.span * 2, maxSpan) : firstSpan;
    if (this.nonAscii >= 0 && this.nonAscii < pos) {
      nonAsciiPattern.lastIndex = pos;
      const found = nonAsciiPattern.exec(text);
      this.nonAscii = found === null ? text.length : found.index;
    }
    let end = Math.min(pos + this.span, this.nonAscii >= 0 ? this.nonAscii : text.length);
    let length = end - pos;
    if (this.bytes.length < length + 2) this.bytes = new Uint8Array(Math.max(length + 2, this.bytes.length * 2));
    const done = encoder.encodeInto(text.substring(pos, end), this.bytes);
    if (done.written !== length || done.read !== length) {
      // Not all ASCII (the first time: before, the search above keeps the span ASCII): the window
      // ends at the first character outside it.
      let i = 0;
      while (text.charCodeAt(pos + i) < 0x80) i++;
      this.nonAscii = pos + i;
      end = pos + i;
      length = i;
    }
    this.soft = end < text.length && end !== this.nonAscii;
    this.bytes[length] = 0;
    this.bytes[length + 1] = 0;
    this.start = pos;
    this.end = end;
  }
}
