/**
 * Fences are read by character codes (src/core/detection/markdown.ts) instead of a regex per line;
 * these pin what the regexes accepted: any `\s` before a fence or around a closing one, a closing
 * run at least as long as the opening one and of the same character.
 */
import { describe, expect, it } from 'vitest';
import { markdownBlocks } from '../../../src/core/detection/markdown';

const code = 'x = [1.0, 2.0]';

function blocks(text: string) {
  return markdownBlocks(text).map((b) => ({ language: b.language, content: text.slice(b.start, b.end) }));
}

describe('markdown fences', () => {
  it.each([
    ['spaces', '  '],
    ['a tab', '\t'],
    ['a no-break space', '\u00a0'],
    ['an em space', '\u2003'],
    ['an ideographic space', '\u3000'],
  ])('opens and closes a fence indented with %s', (_name, space) => {
    const text = `Intro\n${space}\`\`\`python\n${code}\n${space}\`\`\`${space}\nAfter\n`;
    expect(blocks(text)).toEqual([{ language: 'python', content: `${code}\n` }]);
  });

  it('closes only on a run of the same character at least as long as the opening one', () => {
    const text = ['````python', code, '```', '~~~~', code, '````', 'After'].join('\n');
    const [block] = markdownBlocks(text);
    expect(text.slice(block!.start, block!.end)).toBe([code, '```', '~~~~', code, ''].join('\n'));
  });

  it('does not take a backtick info string with a backtick in it for a fence', () => {
    expect(blocks('``` `x` ```\nplain text\n')).toEqual([]);
  });
});
