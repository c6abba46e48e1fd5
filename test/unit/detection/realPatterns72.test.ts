/**
 * Cross-entropies worked by hand on pages in other languages (docs/detection.md 3.193-3.195): a label
 * `H` the page names as the cross-entropy, one-hot rows after `H`, the weight 1 written before one log,
 * a bracket mid-sentence inside `\( \)` with decimal commas, remarks after the result, and the loss's
 * words in Turkish, Russian, Portuguese, Polish, Indonesian and Vietnamese, in snippets written for this
 * project by test/fixtures/realpatterns72/gen_realpatterns72.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { lineWords } from '../../../src/core/detection/workedWords';
import { workedLogsInLine } from '../../../src/core/detection/workedLogs';
import { plainTexSigns } from '../../../src/core/detection/texSigns';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns72', 'worked cross-entropies on pages in other languages', {
  least: { snippets: 12, negatives: 5, wrongClaims: 4 },
  exhaustive: true,
});

const md = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'page.md' });
const pairs = (lines: string[]) => md(lines).pairs.map((p) => [p.call?.line, Number(p.loss?.toFixed(4))]);

describe('the label H', () => {
  it('blocks unless the words before it name the loss, the page named its H so, or the row is one-hot', () => {
    expect(lineWords('H = −log(0.5) = 0.693', false).hBlocked).toBe(3);
    expect(lineWords('Kreuzentropie: H = −log(0.5) = 0.693', false)).toMatchObject({
      hBlocked: Infinity,
      hNamed: true,
    });
    expect(lineWords('H = −log(0.5) = 0.693', true).hBlocked).toBe(Infinity);
    expect(workedLogsInLine('H = −log(0.5) = 0.693')).toEqual([]);
    expect(workedLogsInLine('H = −(0·log 0.3 + 1·log 0.5 + 0·log 0.2) = 0.693')).toHaveLength(1);
    // A point mass is an entropy too: no pair.
    expect(workedLogsInLine('H = −(1·log 1 + 0·log 0.5) = 0')).toEqual([]);
  });

  it('keeps an entropy named in another language blocked after the page named its H', () => {
    const page = ['Kreuzentropie: H = −log(0.9) = 0.105', '', 'Entropie der Münze: H = −log(0.5) = 0.693'];
    expect(pairs(page)).toEqual([[1, 0.1054]]);
    for (const words of ['Энтропия монеты:', "L'entropie d'une pièce :", 'La entropía de la moneda:', 'Entropi:'])
      expect(lineWords(`${words} H = −log(0.5) = 0.693`, true).blocked).toBeLessThan(Infinity);
    for (const words of ['Кросс-энтропия:', 'Entropie croisée :', 'Entropía cruzada:', 'Çapraz entropi:'])
      expect(lineWords(`${words} L = −log(0.5) = 0.693`, false).blocked).toBe(Infinity);
  });
});

describe('the forms of 3.194-3.195', () => {
  it('reads the weight 1 before one log as the sample, and no other whole number', () => {
    expect(workedLogsInLine('L = −1⋅log(0.75) = 0.288')[0]?.value).toBeCloseTo(0.28768, 5);
    expect(workedLogsInLine('L = −2⋅log(0.75) = 0.575')).toEqual([]);
    expect(workedLogsInLine('L = −1⋅log(0.75) − 1⋅log(0.5) = 0.98')).toEqual([]);
  });

  it('ends the chain before a remark in parentheses, not before arithmetic', () => {
    expect(workedLogsInLine('L = −log(0.3) = 1.204 (großer Fehler)')[0]?.claim?.text).toBe('1.204');
    expect(workedLogsInLine('L = −log(0.3) = 1.204 (0.1 + 2)')).toEqual([]);
  });

  it('opens a bracket mid-sentence only after the words for the loss, with \\( \\) as spaces', () => {
    expect(plainTexSigns('als \\(- (1 \\cdot \\log 0,9) = 0,105\\).')).toBe('als   - (1     ·  log 0,9) = 0,105  .');
    const cells = pairs(['La entropía cruzada es \\(- (1 \\cdot \\log 0,9) = 0,105\\), pequeña.']);
    expect(cells).toEqual([[1, 0.1054]]);
    expect(
      pairs(['La entropía cruzada.', '', 'Luego calculamos la cuenta de ayer otra vez −(1 · log 0,9) = 0,105 aquí.']),
    ).toEqual([]);
  });

  it('reads a page that names its loss only in Turkish, Polish or Ukrainian', () => {
    expect(pairs(['Çapraz entropi kaybı:', '', 'L = -log(0.5) = 0.693'])).toEqual([[3, 0.6931]]);
    expect(pairs(['Funkcja straty:', '', 'L = -log(0.5) = 0.693'])).toEqual([[3, 0.6931]]);
    expect(pairs(['Функція втрат:', '', 'L = -log(0.5) = 0.693'])).toEqual([[3, 0.6931]]);
    expect(pairs(['Ein Beispiel:', '', 'L = -log(0.5) = 0.693'])).toEqual([]);
  });
});

describe('bad input', () => {
  it('reads long runs of the new forms in bounded time (hang guard)', () => {
    const start = Date.now();
    md(['Kreuzentropie: H = −log(0.9) = 0.105', ...Array(20_000).fill('H = −1⋅log(0.9) = 0.105 (')]);
    md(['Kreuzentropie', '', 'x ' + '\\('.repeat(100_000)]);
    md(['Cross-entropy', '', '- (' + '1 · log 0,9 + '.repeat(20_000)]);
    md(['Kreuzentropie', '', 'H = ' + 'H = −(0·log 0.1 + '.repeat(12_000)]);
    workedLogsInLine('L = −log(0.3) = 1.204 ' + '('.repeat(200_000));
    lineWords('H ='.repeat(70_000), true);
    expect(Date.now() - start).toBeLessThan(30_000);
  }, 60_000);
});
