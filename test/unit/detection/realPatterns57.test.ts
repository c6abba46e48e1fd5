/**
 * Spellings the thirty-fourth unseen set (non-English tutorials, blog posts and answers) showed
 * missing (docs/detection.md 3.136-3.138), in snippets written for this project by
 * test/fixtures/realpatterns57/gen_realpatterns57.py: a comment label of the page's own words and a
 * colon under a print, worked negative logs with decimal commas (also mid-sentence, written as a
 * call), and a table of one-example binary cross-entropies under its formula.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns57', 'localized comment labels, decimal commas, worked BCE tables', {
  least: { snippets: 6, negatives: 4, wrongClaims: 3 },
  exhaustive: true,
});

const md = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'page.md' });
const judged = (doc: ReturnType<typeof md>) =>
  doc.claims.filter((c) => c.status === 'holds' || c.status === 'wrong').map((c) => [c.line, c.text, c.status]);

describe('a worked binary cross-entropy table', () => {
  const rows = (formula: string, header = '| case | y | ŷ | loss |') => [
    '# Loss',
    '',
    formula,
    '',
    header,
    '|---|---|---|---|',
    '| a | 1 | 0.9 | 0.105 |',
    '| b | 0 | 0.9 | 2.303 |',
  ];

  it('reads a label of 0 as −log(1 − ŷ) and shows the page spelling of the claim', () => {
    const doc = md(rows('L = -[y log(ŷ) + (1 - y) log(1 - ŷ)]'));
    expect(doc.pairs.map((p) => [p.call?.line, Number(p.loss?.toFixed(4))])).toEqual([
      [7, 0.1054],
      [8, 2.3026],
    ]);
    expect(judged(doc)).toEqual([
      [7, '0.105', 'holds'],
      [8, '2.303', 'holds'],
    ]);
  });

  it('needs the binary formula above it and a column headed by the prediction', () => {
    expect(md(rows('The loss of each example:')).pairs).toEqual([]);
    expect(md(rows('L = -[y log(ŷ) + (1 - y) log(1 - ŷ)]', '| case | y | score | loss |')).pairs).toEqual([]);
  });

  it('leaves a table alone when a prediction is not a probability', () => {
    const lines = rows('L = -[y log(ŷ) + (1 - y) log(1 - ŷ)]');
    lines[7] = '| b | 0 | 1.5 | 2.303 |';
    expect(md(lines).pairs).toEqual([]);
  });
});

describe('decimal commas in a worked log', () => {
  it('reads the comma as the point, and never a comma followed by a space', () => {
    expect(md(['# Loss', '', 'loss = -log(0,5) = 0,693']).pairs.map((p) => Number(p.loss?.toFixed(3)))).toEqual([
      0.693,
    ]);
    expect(md(['# Loss', '', 'loss = -log(0, 5) = 0,693']).pairs).toEqual([]);
  });
});
