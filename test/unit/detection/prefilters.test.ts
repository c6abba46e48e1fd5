/**
 * The cheap whole-text checks that let detection skip a pass (f-string rewriting, examples in
 * starred comments) must never skip one the pass's own regular expression would take: on texts
 * built from the characters those expressions look at, each check answers exactly as the
 * expression does on its own.
 */
import { describe, expect, it } from 'vitest';
import { printHead } from '../../../src/core/detection/printHead';
import { hasDirective } from '../../../src/core/detection/codeBlocks';
import { hasCommentExamples } from '../../../src/core/detection/commentExamples';
import { hasPrintedFString } from '../../../src/core/detection/fstrings';
import { mentionsRepr } from '../../../src/core/detection/pageOutputs';
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
    // One-line literals joined to the f-string (3.132) may come first: `print('' F"…")`.
    const printed =
      /\b(?:print|display|info|debug|warning|warn|log|write)\(\s*(?:(?:'[^'\\\n]*'|"[^"\\\n]*"|[fF][rR]?'[^'\\\n{]*'|[fF][rR]?"[^"\\\n{]*")(?!['"])\s*,?\s*)*[fF][rR]?(['"])(?!\1\1)/;
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

  it('hasDirective: `.. code`, `.. testcode` or `.. sourcecode` anywhere, found from `.. ` hits', () => {
    const pieces = ['.. ', '..', '.', ' ', 'code', 'cod', 'test', 'testcode', 'source', 'sourcecode', '::', 'x', '\n'];
    const directive = /\.\. (?:code|testcode|sourcecode)/;
    let found = 0;
    for (const t of texts(pieces, 13, 20000)) {
      const expected = directive.test(t);
      if (expected) found++;
      expect(hasDirective(t), JSON.stringify(t)).toBe(expected);
    }
    expect(found).toBeGreaterThan(1000);
  });

  it('mentionsRepr: `tensor(`, `Tensor` or `array(` anywhere', () => {
    const pieces = ['tensor', 'Tensor', 'ensor', 'tens', 'or', 'array', 'arr', 'ay', '(', 'e', 't', 'T', ' ', '\n'];
    const repr = /tensor\(|Tensor|array\(/;
    let found = 0;
    for (const t of texts(pieces, 17, 20000)) {
      const expected = repr.test(t);
      if (expected) found++;
      expect(mentionsRepr(t), JSON.stringify(t)).toBe(expected);
    }
    expect(found).toBeGreaterThan(1000);
  });

  it('printHead: a statement head read as `^print\\s*\\(` in place, within the statement and its first 2000 characters', () => {
    const pieces = ['print', 'prin', 't', '(', ' ', '\t', '\n', '\u00a0', '\u2003', '\u200b', '\ufeff', 'x', 'print('];
    const head = /^print\s*\(/;
    let found = 0;
    const all = texts(pieces, 19, 20000);
    all.forEach((t, k) => {
      // A statement from an offset into the text to an end before, at or past the text's.
      const start = k % 3;
      const end = start + (k % 11);
      const expected = head.test(t.slice(start, Math.min(end, start + 2000)));
      if (expected) found++;
      expect(printHead(t, start, end), JSON.stringify([t, start, end])).toBe(expected);
    });
    expect(found).toBeGreaterThan(300);
    // Only the first 2000 characters of a statement are its head.
    const long = `print${' '.repeat(1994)}(x)`;
    expect(printHead(long, 0, long.length)).toBe(true);
    expect(printHead(' ' + long.replace('print ', 'print  '), 1, long.length + 2)).toBe(false);
  });
});
