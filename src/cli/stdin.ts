/**
 * Standard input, read incrementally and never past a byte cap: `compute < /dev/zero` must stop
 * at the cap, and `compute --batch` must answer each line as it arrives rather than at EOF.
 */

/** Any byte stream (process.stdin, or an array of buffers in tests). */
export type ByteSource = AsyncIterable<Buffer | Uint8Array | string>;

export type ReadAllResult = { ok: true; text: string } | { ok: false; tooLarge: true };

function asBuffer(chunk: Buffer | Uint8Array | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
}

/** All of `source` as UTF-8, or `tooLarge` as soon as it passes `maxBytes` (the rest is not read). */
export async function readAll(source: ByteSource, maxBytes: number): Promise<ReadAllResult> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const raw of source) {
    const chunk = asBuffer(raw);
    total += chunk.length;
    if (total > maxBytes) return { ok: false, tooLarge: true };
    chunks.push(chunk);
  }
  return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
}

/** One input line: its 1-based number and text (without the line break), or `tooLong` when it passed the cap. */
export type InputLine = { line: number; text: string } | { line: number; tooLong: true };

/**
 * The non-blank lines of `source` (LF or CRLF), each yielded as soon as its line break arrives.
 * Blank lines are skipped but counted. A line longer than `maxLineBytes` is not kept: the bytes
 * up to its line break are dropped and it is yielded as `tooLong`, so one huge line costs no memory.
 */
export async function* readLines(source: ByteSource, maxLineBytes: number): AsyncGenerator<InputLine> {
  let parts: Buffer[] = [];
  let length = 0;
  let tooLong = false;
  let line = 1;
  const finish = (): InputLine | undefined => {
    const n = line++;
    if (tooLong) {
      tooLong = false;
      return { line: n, tooLong: true };
    }
    let text = (parts.length === 1 ? parts[0] : Buffer.concat(parts)).toString('utf8');
    parts = [];
    length = 0;
    // CRLF: the CR may have arrived in an earlier chunk than the LF, so it is cut here.
    if (text.endsWith('\r')) text = text.slice(0, -1);
    return text.trim() === '' ? undefined : { line: n, text };
  };
  const take = (piece: Buffer): void => {
    if (tooLong) return;
    if (length + piece.length > maxLineBytes) {
      tooLong = true;
      parts = [];
      length = 0;
      return;
    }
    if (piece.length) {
      parts.push(piece);
      length += piece.length;
    }
  };
  for await (const raw of source) {
    const chunk = asBuffer(raw);
    let from = 0;
    for (let nl = chunk.indexOf(0x0a, from); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
      take(chunk.subarray(from, nl));
      from = nl + 1;
      const out = finish();
      if (out) yield out;
    }
    if (from < chunk.length) take(chunk.subarray(from));
  }
  if (length > 0 || tooLong) {
    const out = finish();
    if (out) yield out;
  }
}
