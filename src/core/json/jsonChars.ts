// The character-level helpers of parseJson.ts: a code-unit buffer for strings with escapes, and the
// character classes and messages of JSON's grammar.

/** A growable buffer of UTF-16 code units. */
export class CodeUnits {
  private units: Uint16Array;
  private length = 0;

  constructor(capacity: number) {
    this.units = new Uint16Array(capacity);
  }

  push(unit: number): void {
    if (this.length === this.units.length) {
      const grown = new Uint16Array(this.units.length * 2);
      grown.set(this.units);
      this.units = grown;
    }
    this.units[this.length++] = unit;
  }

  /** The text, code unit for code unit (a lone surrogate from `\uD800` stays one, as in JSON.parse). */
  text(): string {
    const pieces: string[] = [];
    for (let k = 0; k < this.length; k += 8192) {
      const end = Math.min(k + 8192, this.length);
      pieces.push(String.fromCharCode.apply(null, this.units.subarray(k, end) as unknown as number[]));
    }
    return pieces.join('');
  }
}

export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

export function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

export function isHex4(t: string, at: number): boolean {
  return (
    isHex(t.charCodeAt(at)) && isHex(t.charCodeAt(at + 1)) && isHex(t.charCodeAt(at + 2)) && isHex(t.charCodeAt(at + 3))
  );
}

/** The character code a one-letter escape (`\n`, `\"`, …) stands for. */
export function simpleEscape(c: number): number | undefined {
  switch (c) {
    case 0x22: // "
    case 0x5c: // \
    case 0x2f: // /
      return c;
    case 0x62: // b
      return 0x08;
    case 0x66: // f
      return 0x0c;
    case 0x6e: // n
      return 0x0a;
    case 0x72: // r
      return 0x0d;
    case 0x74: // t
      return 0x09;
    default:
      return undefined;
  }
}

export function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
}

/** A character for an error message, safe to print: `'x'`, or its code for control characters. */
export function describeChar(c: number): string {
  if (c < 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f)) return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${String.fromCharCode(c)}'`;
}
