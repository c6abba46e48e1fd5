/**
 * Text taken from files (names, claims, messages quoting code, paths) is shown to people in a
 * terminal or a CI log. A control character there is an instruction, not text: ESC[2K erases a
 * line, OSC 0 retitles the window, OSC 8 makes a link, a bare CR or a newline forges a line
 * (in a GitHub log, a whole `::error` annotation). Everything printed for people goes through
 * {@link terminalSafe} one line at a time.
 */

/** C0 controls, DEL, C1 controls (8-bit CSI is U+009B), line/paragraph separators, bidi overrides and isolates. */
const unsafe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const named: Record<number, string> = {
  0x09: '\\t',
  0x0a: '\\n',
  0x0d: '\\r',
  0x1b: '\\e',
};

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  const name = named[code];
  if (name) return name;
  return code <= 0xff ? '\\x' + code.toString(16).padStart(2, '0') : '\\u{' + code.toString(16) + '}';
}

/**
 * One line of human-readable output with every control character written as an escape:
 * ESC as `\e`, tab/CR/LF as `\t`/`\r`/`\n`, other C0/C1 controls as `\xHH`, separators and bidi
 * controls as `\u{HHHH}`. The result holds no character a terminal acts on, and no line break.
 */
export function terminalSafe(text: string): string {
  unsafe.lastIndex = 0;
  return unsafe.test(text) ? text.replace(unsafe, escapeChar) : text;
}

/** The message part of a GitHub Actions workflow command (`::error …::MESSAGE`). */
export function githubData(text: string): string {
  return terminalSafe(text).replace(/%/g, '%25');
}

/** A property value of a workflow command (`file=VALUE`): `,` and `:` end a property, so they are escaped too. */
export function githubProperty(text: string): string {
  return githubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Writes lines for people, each made {@link terminalSafe}, in chunks of about 64 KB (call `flush` at the end of a file). */
export class SafeLineWriter {
  private parts: string[] = [];
  private length = 0;

  constructor(private readonly out: (text: string) => void) {}

  line(text: string): void {
    const safe = terminalSafe(text);
    this.parts.push(safe, '\n');
    this.length += safe.length + 1;
    if (this.length >= 1 << 16) this.flush();
  }

  flush(): void {
    if (!this.parts.length) return;
    const text = this.parts.join('');
    this.parts = [];
    this.length = 0;
    this.out(text);
  }
}
