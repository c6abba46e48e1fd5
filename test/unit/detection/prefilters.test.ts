/**
 * The cheap whole-text checks that let detection skip a pass (f-string rewriting, examples in
 * starred comments) must never skip one the pass's own regular expression would take: on texts
 * built from the characters those expressions look at, each check answers exactly as the
 * expression does on its own.
 */
import { describe, expect, it } from 'vitest';
import { hasCommentExamples } from '../../../src/core/detection/commentExamples';
import { hasPrintedFString } from '../../../src/core/detection/fstrings';
import { randomTexts } from './randomTexts';

const texts = (pieces: string[], seed: number, count: number): string[] => randomTexts(pieces, seed, count, 12);

describe('whole-text prefilters agree with the expressions they guard', () => {
  it('hasPrintedFString: a printed f-string in any prefix case and quote, and nothing else', () => {
    const pieces = [
      'print(',
      'log(',
      'write(',
      ' ',
      'f',
      'F',
      'r',
      'R',
      'rf',
      'b',
      '"',
      "'",
      '"""',
      'x',
      '\n',
      ')',
      '{z}',
    ];
    const printed = /\b(?:print|display|info|debug|warning|warn|log|write)\(\s*[fF][rR]?(['"])(?!\1\1)/;
    let found = 0;
    for (const t of texts(pieces, 3, 20000)) {
      const expected = printed.test(t);
      if (expected) found++;
      expect(hasPrintedFString(t), JSON.stringify(t)).toBe(expected);
    }
    // The generated texts hold both answers, many times.
    expect(found).toBeGreaterThan(100);
    expect(hasPrintedFString('print(FR"{loss:.4f}")')).toBe(true);
    expect(hasPrintedFString('print("f")')).toBe(false);
  });

  it('hasCommentExamples: a starred line opening a fence or a prompt, whatever else the text holds', () => {
    const pieces = [' * ', '*', ' ', '\t', '\n', '\r', '\u2028', '```', '``', '~~~', '>>>', '>>', 'x', '/**'];
    const example = /^[ \t]*\*[ \t]+(?:`{3,}|~{3,}|>>>)/m;
    let found = 0;
    for (const t of texts(pieces, 5, 20000)) {
      const expected = example.test(t);
      if (expected) found++;
      expect(hasCommentExamples(t), JSON.stringify(t)).toBe(expected);
    }
    expect(found).toBeGreaterThan(100);
  });
});
