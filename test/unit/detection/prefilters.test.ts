/**
 * The cheap whole-text checks that let detection skip a pass (f-string rewriting, examples in
 * starred comments) must never skip one the pass's own regular expression would take: on texts
 * built from the characters those expressions look at, each check answers exactly as the
 * expression does on its own.
 */
import { describe, expect, it } from 'vitest';
import { hasCommentExamples } from '../../../src/core/detection/commentExamples';
import { hasPrintedFString } from '../../../src/core/detection/fstrings';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** Texts of pieces drawn at random: the spellings the expressions match, and near misses. */
function texts(pieces: string[], seed: number, count: number): string[] {
  const r = rng(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + Math.floor(r() * 12) }, () => pieces[Math.floor(r() * pieces.length)]).join(''),
  );
}

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
