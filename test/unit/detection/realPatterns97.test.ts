/**
 * Worked cross-entropies of question and exam pages (docs/detection.md 3.355-3.357): binary rows with their
 * label written (`(1 - 1) log(1 - 0.85)`), brackets whose leading minus the page lost, and terms worked one
 * per line then summed, in bits or nats, in snippets written for this project by
 * test/fixtures/realpatterns97/gen_realpatterns97.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { termOfLine } from '../../../src/core/detection/workedTermLines';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns97', 'binary rows, lost minus signs and term lines of worked pages', {
  least: { snippets: 16, negatives: 8, wrongClaims: 6 },
  exhaustive: true,
});

const md = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'page.md' });
const judged = (lines: string[]) => md(lines).claims.map((c) => [c.text, c.status]);

describe('term lines', () => {
  it('reads a weight of 0 or 1, a natural or base-2 log, and the number the line comes to', () => {
    expect(termOfLine('  • 1 * log₂(0.3) ≈ -1.737')).toEqual({ weight: 1, p: 0.3, base: '2', text: '-1.737' });
    expect(termOfLine('Term 2: 1 * log₂(0.3) ≈ 1 * (-1.737) = -1.737')?.text).toBe('-1.737');
    expect(termOfLine('- 0 * ln(0.45) = 0')).toEqual({ weight: 0, p: 0.45, base: 'e', text: '0' });
    // a weight that is no label, a log of a number above 1, a positive number for a log: no term line
    expect(termOfLine('- 0.5 * log₂(0.5) = -0.5')).toBeNull();
    expect(termOfLine('- 1 * log(2.5) = 0.916')).toBeNull();
    expect(termOfLine('- 1 * log(0.5) = 0.693')).toBeNull();
    expect(termOfLine('- 0 * log(0.5) = -0.693')).toBeNull();
    expect(termOfLine('- 1 * log10(0.5) ≈ -0.301')).toBeNull();
  });

  it('sums only the run just above, and only when the sum takes every term in order', () => {
    const terms = ['Cross-entropy loss:', '', '- 1 * log(0.5) ≈ -0.693', '- 0 * log(0.5) = 0'];
    expect(judged([...terms, 'L = -((-0.693) + 0) = 0.693'])).toEqual([['0.693', 'holds']]);
    expect(judged([...terms, 'L = -((-0.693) + 0) = 0.739'])).toEqual([['0.739', 'wrong']]);
    expect(judged([...terms, 'L = -(0 + (-0.693)) = 0.693'])).toEqual([]);
    // the run is cut by more than a few lines of other words
    expect(judged([...terms, 'a', 'b', 'c', 'd', 'L = -((-0.693) + 0) = 0.693'])).toEqual([]);
  });
});

describe('a lost minus', () => {
  it('is read only at the start of an expression and with a positive number after it', () => {
    const head = ['Binary cross-entropy loss, label 1:', ''];
    expect(judged([...head, 'L = (1 log(0.5) + (1 - 1) log(1 - 0.5)) = 0.693'])).toEqual([['0.693', 'holds']]);
    expect(judged([...head, 'L = (1 log(0.5) + (1 - 1) log(1 - 0.5))'])).toEqual([]);
    expect(judged([...head, 'see (1 log(0.5) + (1 - 1) log(1 - 0.5)) = 0.693'])).toEqual([]);
  });
});

describe('bad input', () => {
  it('stays linear on long runs of the triggering prefixes', () => {
    const started = Date.now();
    md(['Cross-entropy loss:', '= (1 log(0.5) + '.repeat(12_500)]);
    md([
      'Cross-entropy loss:',
      ...Array<string>(20_000).fill('- 1 * log₂(0.5) = -1'),
      'L = -(' + '(-1) + '.repeat(25_000),
    ]);
    md(['Cross-entropy loss:', '- 1 * log(0.5) ≈ -0.693', 'L = -(' + '(-0.693) + '.repeat(18_000)]);
    md(['Cross-entropy loss:', ...Array<string>(12_000).fill('(1 - 1) log(1 - ')]);
    const run = ['- 1 * log(0.5) ≈ -0.693', '- 0 * log(0.5) = 0'];
    md(['Cross-entropy loss:', ...Array<string>(50).fill([...run, 'L = ' + '-((-0.693) + 0 '.repeat(240)].join('\n'))]);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
