/**
 * JSON output in pieces. `JSON.stringify` builds the whole text as one string, and V8 refuses
 * strings over ~2^29 characters ("Invalid string length"): a scan of a file with half a million
 * pairs passes that. {@link writeJson} hands the text to a sink in chunks instead, so the only
 * limit is the memory the value itself takes.
 */

/** Characters JSON.stringify leaves raw that terminals or editors act on: C1 controls, DEL, line/paragraph separators, bidi controls. */
const jsonUnsafe = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A string as a JSON string literal, like `JSON.stringify(s)` but with the characters above
 * escaped as `\uXXXX` too (the same value once parsed), so JSON output is safe to show raw.
 */
export function jsonString(s: string): string {
  const quoted = JSON.stringify(s);
  jsonUnsafe.lastIndex = 0;
  return jsonUnsafe.test(quoted)
    ? quoted.replace(jsonUnsafe, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
    : quoted;
}

/** Default chunk size handed to the sink, in characters. */
const defaultChunk = 1 << 16;

/**
 * Writes `value` as JSON to `sink`, in chunks of about `chunk` characters. The text is what
 * `JSON.stringify(value)` gives for plain data (objects, arrays, strings, finite numbers,
 * booleans, null; `undefined` members skipped, non-finite numbers as null; `toJSON` honoured),
 * with the extra string escapes of {@link jsonString}.
 */
export function writeJson(value: unknown, sink: (chunk: string) => void, chunk = defaultChunk): void {
  const w = new ChunkWriter(sink, chunk);
  w.value(value);
  w.flush();
}

class ChunkWriter {
  private parts: string[] = [];
  private length = 0;

  constructor(
    private readonly sink: (chunk: string) => void,
    private readonly chunk: number,
  ) {}

  private put(s: string): void {
    this.parts.push(s);
    this.length += s.length;
    if (this.length >= this.chunk) this.flush();
  }

  flush(): void {
    if (this.length === 0 && this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.length = 0;
    if (text) this.sink(text);
  }

  /** Writes one value (members that JSON leaves out of objects are skipped by the caller; in arrays they are null). */
  value(v: unknown): void {
    switch (typeof v) {
      case 'string':
        this.put(jsonString(v));
        return;
      case 'number':
        this.put(Number.isFinite(v) ? String(v) : 'null');
        return;
      case 'boolean':
        this.put(v ? 'true' : 'false');
        return;
      case 'bigint':
        throw new TypeError('Do not know how to serialize a BigInt');
      case 'undefined':
      case 'function':
      case 'symbol':
        this.put('null');
        return;
    }
    if (v === null) {
      this.put('null');
      return;
    }
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      this.value(toJSON.call(v));
      return;
    }
    if (Array.isArray(v)) {
      this.put('[');
      for (let i = 0; i < v.length; i++) {
        if (i > 0) this.put(',');
        this.value(v[i]);
      }
      this.put(']');
      return;
    }
    this.put('{');
    let first = true;
    for (const key of Object.keys(v as object)) {
      const member = (v as Record<string, unknown>)[key];
      const t = typeof member;
      if (t === 'undefined' || t === 'function' || t === 'symbol') continue;
      this.put(first ? jsonString(key) + ':' : ',' + jsonString(key) + ':');
      first = false;
      this.value(member);
    }
    this.put('}');
  }
}
