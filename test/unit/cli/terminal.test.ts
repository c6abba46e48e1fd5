import { describe, expect, it } from 'vitest';
import { SafeLineWriter, githubData, githubProperty, terminalSafe } from '../../../src/cli/terminal';

describe('terminalSafe', () => {
  it('writes ESC as \\e and other controls as escapes, so no sequence reaches the terminal', () => {
    expect(terminalSafe('logits\u001b[2K')).toBe('logits\\e[2K');
    expect(terminalSafe('\u001b]0;pwned\u0007')).toBe('\\e]0;pwned\\x07');
    expect(terminalSafe('\u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\')).toBe(
      '\\e]8;;http://evil\\e\\link\\e]8;;\\e\\',
    );
    expect(terminalSafe('a\tb\rc\nd\u0000e\u007f')).toBe('a\\tb\\rc\\nd\\x00e\\x7f');
    // 8-bit CSI, line separator, right-to-left override.
    expect(terminalSafe('\u009b2K\u2028\u202e')).toBe('\\x9b2K\\u{2028}\\u{202e}');
    expect(terminalSafe('tensor(2.1438) ✓ 한국어 ünïcödé \\ path')).toBe('tensor(2.1438) ✓ 한국어 ünïcödé \\ path');
  });

  it('leaves no character below U+0020 or in the C1 range, whatever the input', () => {
    let all = '';
    for (let c = 0; c < 0x300; c++) all += String.fromCharCode(c);
    expect(terminalSafe(all)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('SafeLineWriter escapes each line and ends it with one newline', () => {
    const out: string[] = [];
    const w = new SafeLineWriter((s) => out.push(s));
    w.line('a\nb');
    w.line('\u001b[2K');
    w.flush();
    expect(out.join('')).toBe('a\\nb\n\\e[2K\n');
  });
});

describe('GitHub workflow command escaping', () => {
  it('a message cannot end the annotation or start a new one', () => {
    expect(githubData('100% wrong\n::error file=x::forged')).toBe('100%25 wrong\\n::error file=x::forged');
    expect(githubData('\u001b[31mred')).toBe('\\e[31mred');
  });

  it('a property value cannot add properties', () => {
    expect(githubProperty('a,line=1:b%.py')).toBe('a%2Cline=1%3Ab%25.py');
  });
});
