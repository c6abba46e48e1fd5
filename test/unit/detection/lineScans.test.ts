/**
 * The page checks that try their pattern only at line starts (a bare number on its own line, a
 * `def` whose body lost its indentation) must answer exactly as the multiline expression searching
 * the whole text: on texts built from the characters those expressions look at, every kind of
 * line break included, both answers agree.
 */
import { describe, expect, it } from 'vitest';
import { hasFlatDef, lostBodyIndentation } from '../../../src/core/detection/pageIndentation';
import { blanked } from '../../../src/core/detection/lines';
import { hasNumberLine } from '../../../src/core/detection/pageOutputs';
import { randomTexts } from './randomTexts';

const texts = (pieces: string[], seed: number, count: number): string[] => randomTexts(pieces, seed, count, 14);

const breaks = ['\n', '\r', '\r\n', '\u2028', '\u2029'];

describe('line-start scans agree with the whole-text expressions', () => {
  it('a number alone on its line', () => {
    const pieces = [...breaks, ' ', '\t', '-', '.', '1', '25', 'e', 'E', '+', 'x', 'print(a)', '0.5', '1e-3'];
    const whole = /^[ \t]*-?(?:\d+\.\d*|\.\d+|\d+(?=[eE]))(?:[eE][-+]?\d+)?[ \t]*$/m;
    let found = 0;
    const all = texts(pieces, 7, 20000);
    for (const t of all) {
      const expected = whole.test(t);
      if (expected) found++;
      expect(hasNumberLine(t), JSON.stringify(t)).toBe(expected);
    }
    expect(found).toBeGreaterThan(1000);
    expect(all.length - found).toBeGreaterThan(1000);
  });

  it('a def line followed by a line at its own column', () => {
    const pieces = ['\n', '\r\n', '\r', '\u2028', ' ', '  ', '\t', 'def ', 'def f(y):', 'd', ':', 'return y', 'x'];
    const whole = /^([ \t]*)def[ \t][^\n]*:[ \t]*\r?\n\1(?![ \t])\S/m;
    let found = 0;
    const all = texts(pieces, 11, 20000);
    for (const t of all) {
      const expected = whole.test(t);
      if (expected) found++;
      expect(hasFlatDef(t), JSON.stringify(t)).toBe(expected);
    }
    expect(found).toBeGreaterThan(300);
    expect(all.length - found).toBeGreaterThan(1000);
    // The page check itself: a flattened body is found, an indented one is not.
    expect(lostBodyIndentation('def f(y):\nreturn y\n')).toEqual([[10, 4]]);
    expect(lostBodyIndentation('def f(y):\n    return y\n')).toEqual([]);
  });

  it('blanked: every character but a line break a space, as one replacement per character gives', () => {
    const pieces = [...breaks, '\n\n', ' ', '\t', 'x', 'def f():', '\ud83d\ude00', '\ud83d', 'é', '', '>>> '];
    for (const t of texts(pieces, 23, 20000)) expect(blanked(t), JSON.stringify(t)).toBe(t.replace(/[^\r\n]/g, ' '));
    expect(blanked('a\r\nb\u2028c')).toBe(' \r\n   ');
  });
});
