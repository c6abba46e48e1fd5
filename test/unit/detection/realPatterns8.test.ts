/**
 * Exercise pages about a loss (docs/detection.md, 3.20), written for this project by
 * test/fixtures/realpatterns8/gen_realpatterns8.py with numbers from torch's own functions in
 * float64: worked examples (`Input:` / `Output:`, JSON inputs, a call with an arrow, a docstring)
 * whose semantics the page's prose states. Pages that leave the semantics open give a pair without
 * a number; the negatives (MSE, accuracy, softmax pages, a formula without numbers, an output that
 * is a list, a chain without a target) give no pair with a number and no judged claim.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeNotebook } from '../../../src/core/analysis';
import { snippetFixtureSuite, type ExpectedFile } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns8', 'exercise pages on generated fixtures', {
  least: { snippets: 12, negatives: 6, wrongClaims: 4 },
  exhaustive: true,
  close: (actual, truth) => Math.abs(actual - truth) <= 1e-12 * Math.max(1, Math.abs(truth)),
});

describe('an exercise page in a notebook Markdown cell', () => {
  const dir = path.resolve(__dirname, '../../fixtures/realpatterns8');
  const file = 'snippets/binary_logits.md';
  const truth = (
    JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as { files: ExpectedFile[] }
  ).files.find((f) => f.file === file)!;
  const page = readFileSync(path.join(dir, file), 'utf8');

  it('gives the same pair and claim as the page, in the cell', () => {
    const doc = analyzeNotebook([
      { kind: 'markdown', source: page },
      { kind: 'code', source: 'x = 1\n' },
    ]);
    const pair = doc.pairs.find((p) => p.call?.line === truth.pairs[0].line);
    expect(pair?.cell).toBe(0);
    expect(Math.abs(pair!.loss! - truth.pairs[0].loss!)).toBeLessThan(1e-12);
    const claim = doc.claims.find((c) => c.line === truth.claims[0].line);
    expect([claim?.cell, claim?.status]).toEqual([0, truth.claims[0].status]);
  });
});
