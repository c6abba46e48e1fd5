/**
 * Cross-entropies worked as weighted sums of logs in page text (docs/detection.md 3.185): a bracket
 * left open before its `=`, a `\frac` mean of per-sample values (judged as written when a value was cut
 * short), soft targets written as weights, a class's weight before one log, a mean counting
 * repeated samples, and a sum of losses claimed above (3.186), in snippets written for this project by
 * test/fixtures/realpatterns70/gen_realpatterns70.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { expressionAt } from '../../../src/core/detection/workedTerms';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns70', 'worked weighted sums of logs', {
  least: { snippets: 8, negatives: 3, wrongClaims: 3 },
  exhaustive: true,
});

const page = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'notes.md' });

describe('the terms of a worked sum', () => {
  it('reads a one-hot row with a zero probability under a zero weight, and rejects one under the weight', () => {
    expect(expressionAt('-(0ln0.00 + 1*ln(0.9)) = 0.105', 0)?.terms).toEqual([{ p: 0.9, weight: 1 }]);
    expect(expressionAt('-(1ln0.00 + 0*ln(0.9)) = 0.105', 0)).toBeNull();
  });

  it('keeps the weights of a soft target and counts repeated samples', () => {
    expect(expressionAt('-(0.2 log(0.5) + 0.8 log(0.25))', 0)?.form).toBe('soft');
    const e = expressionAt('-ln 0.5 - 3 ln 0.9', 0);
    expect(e?.terms.map((t) => t.p)).toEqual([0.5, 0.9, 0.9, 0.9]);
    expect(e?.repeated).toBe(true);
  });

  it('does not take a whole-number weight before a single log (a deviance) or a soft row with negative weights', () => {
    expect(expressionAt('-2 log(0.8) = 0.446', 0)).toBeNull();
    expect(expressionAt('-(-0.5 log(0.5) + 1 log(0.4))', 0)).toBeNull();
  });
});

describe('a class weight before one log', () => {
  it('is torch’s weighted NLL of the one sample, summed', () => {
    const doc = page(['# Weighted loss', '', 'rare class: -1.25 · log(0.5) = 0.866']);
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].options.weight).toEqual([1.25]);
    expect(doc.pairs[0].loss).toBeCloseTo(-1.25 * Math.log(0.5), 12);
  });
});

describe('a sum of losses worked above', () => {
  it('carries the rounding of every term (a sum does not divide it as a mean does)', () => {
    // 1.8971 + 1.3863 + 0.1054 = 3.3888; the rounded terms add up to 3.40, 0.011 away.
    const lines = ['# Loss', '', 'a = -ln(0.15) = 1.90', 'b = -ln(0.25) = 1.39', 'c = -ln(0.9) = 0.11', ''];
    const doc = page([...lines, 'total = 1.90 + 1.39 + 0.11 = 3.40']);
    expect(doc.claims.map((c) => [c.line, c.status])).toEqual([
      [3, 'holds'],
      [4, 'holds'],
      [5, 'holds'],
      [7, 'holds'],
    ]);
  });

  it('is no pair when one of its numbers is not a loss claimed above', () => {
    const doc = page(['# Loss', '', 'a = -ln(0.5) = 0.693', 'b = -ln(0.8) = 0.223', '', 'sum = 0.693 + 0.25 = 0.943']);
    expect(doc.pairs.map((p) => p.call?.line)).toEqual([3, 4]);
    expect(doc.claims.map((c) => c.line)).toEqual([3, 4]);
  });
});

describe('bounded work', () => {
  it('reads a very long chain of repeated samples in bounded time (hang guard)', () => {
    const line = `loss = (-ln 0.9 ${Array(4000).fill('- 2 ln 0.9').join(' ')}) / 8001`;
    expect(page(['# Loss', '', line]).pairs).toEqual([]);
  }, 60_000);
});
