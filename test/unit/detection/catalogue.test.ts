/**
 * The catalogue of loss recognisers: every entry states its mapping to torch, ids are unique,
 * and what the pairs report (`recogniser`) is an entry's id, so the editor and the CLI can say
 * which rule computed a loss.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { catalogue, formulaMappings, problemPageMappings } from '../../../src/core/detection';

describe('loss recogniser catalogue', () => {
  it('has unique ids and a full torch mapping for every entry', () => {
    const ids = catalogue.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of [
      ...catalogue.map((x) => x.mapping),
      ...Object.values(formulaMappings),
      ...Object.values(problemPageMappings),
    ]) {
      expect(['logits', 'log_probs']).toContain(e.reads);
      expect(['mean', 'sum', 'none']).toContain(e.defaultReduction);
      expect(e.classAxis.length).toBeGreaterThan(0);
    }
    for (const e of catalogue.filter((x) => x.mapping.library !== 'torch' && x.mapping.library !== 'user code'))
      expect(e.mapping.note, e.id).toBeTruthy();
  });

  it('names the entry each pair was recognised by', () => {
    const doc = analyzeText(
      [
        'import torch',
        'import torch.nn as nn',
        'import torch.nn.functional as F',
        'x = torch.tensor([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]])',
        'y = torch.tensor([1, 2])',
        'a = nn.CrossEntropyLoss()(x, y)',
        'b = F.nll_loss(torch.log(F.softmax(x, 1)), y, reduction="sum")',
        'c = F.cross_entropy(x, y)',
      ].join('\n'),
      { fileName: 'a.py' },
    );
    expect(doc.pairs.map((p) => p.recogniser)).toEqual([
      'torch.nn.CrossEntropyLoss',
      'torch.nn.functional.nll_loss',
      'torch.nn.functional.cross_entropy',
    ]);
    // torch: F.nll_loss(torch.log(F.softmax(x, 1)), y, reduction='sum') = 0.5739702582359314.
    expect(doc.pairs[1].loss).toBe(0.5739702582359314);
  });

  it('names an exercise page entry, with its note, for an example on a page', () => {
    const page = [
      '# Binary cross-entropy',
      'Mean loss of predicted probabilities.',
      '',
      'Input: y = [1, 0], p = [0.8, 0.3]',
      'Output: 0.2899',
    ];
    const doc = analyzeText(page.join('\n'), { fileName: 'problem.md' });
    expect(doc.pairs.map((p) => p.recogniser)).toEqual(['page.binary_probabilities']);
    expect(problemPageMappings['page.binary_probabilities'].note).toBeTruthy();
    // torch: F.binary_cross_entropy(tensor([0.8, 0.3], dtype=float64), tensor([1., 0.])) = 0.2899092476264711.
    expect(doc.pairs[0].loss).toBeCloseTo(0.2899092476264711, 14);
  });
});
