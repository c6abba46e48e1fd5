/**
 * The panel of a loss the code reduces itself from an earlier pair's per-element losses
 * (`losses[mask].mean()`, `(v * m).sum() / m.sum()`, `np.sum(v)`): it has no kernel request of its
 * own, and the panel said "This pair has nothing to compute." Now the worker computes the earlier
 * pair's steps with reduction 'none' (the code options say so), and the origin card names the
 * reducing call with the pair's own number and how many elements it keeps.
 * Numbers: test/fixtures/realpatterns96 (torch 1.13): the masked mean 0.762850284576416.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { defaultOptions } from '../../../src/core/types';
import { codeOptions } from '../../../src/panel/panelDocument';
import { pairOrigin } from '../../../src/panel/pairOrigin';
import { englishL10n, inlineLabel, lensTitle, lossHoverMarkdown } from '../../../src/editor/format';
import { pairView } from '../../../src/editor/locate';
import { AnalysisService } from '../../../src/worker/analysisService';

const file = join(__dirname, '../../fixtures/realpatterns96/snippets/index_by_label_mask.py');
const text = readFileSync(file, 'utf8');
const expected = JSON.parse(readFileSync(join(__dirname, '../../fixtures/realpatterns96/expected.json'), 'utf8')) as {
  files: { file: string; pairs: { line: number; loss?: number; losses?: number[] }[] }[];
};
const truth = expected.files.find((f) => f.file === 'snippets/index_by_label_mask.py')!;
const maskedMean = truth.pairs.find((p) => p.line === 8)!.loss!;
const perToken = truth.pairs.find((p) => p.line === 6)!.losses!;

describe('a masked mean of per-token losses in the panel', () => {
  const analysis = analyzeText(text, { fileName: 'index_by_label_mask.py' });
  const pair = analysis.pairs.find((p) => p.call?.line === 8)!;
  const base = analysis.pairs.find((p) => p.call?.line === 6)!;

  it('says which pair it reduces, how, and how many elements the mask keeps', () => {
    expect(pair.loss).toBe(maskedMean);
    expect(pair.reduces).toEqual({
      pair: base.id,
      line: 6,
      how: 'mean',
      kept: perToken.filter((_, i) => i !== 2).length,
      of: perToken.length,
      masked: true,
      rows: false,
    });
    // A torch loss the code did not reduce has nothing to say here.
    expect(base.reduces).toBeUndefined();
  });

  it('its origin card names the reducing call with its own number, and the steps are the per-element losses', () => {
    const origin = pairOrigin(pair, englishL10n)!;
    expect(origin.loss).toBe(maskedMean);
    expect(origin.title).toMatch(/mean\(…\)$/);
    expect(origin.notes[0]).toContain('is the mean of the per-element losses of line 6 over the 5 of 6 elements');
    expect(origin.notes[1]).toBe("The steps below are those per-element losses, reduction='none'.");
    expect(origin.torchSteps).toBe(true);
    expect(codeOptions(pair).reduction).toBe('none');
    expect(codeOptions(base).reduction).toBe(base.options.reduction);
  });

  it('the worker answers its panel with the earlier pair’s per-token losses, where it threw before', () => {
    const service = new AnalysisService();
    const reply = service.analyze({ key: 'k', version: 1, text, languageId: 'python' }).analysis;
    const id = reply.pairs.find((p) => p.call?.line === 8)!.id;
    const data = service.panelData({
      key: 'k',
      version: 1,
      pairId: id,
      element: 0,
      options: { ...defaultOptions, weight: null, reduction: codeOptions(pair).reduction },
      shown: { classStart: null, shift: 0 },
    });
    const losses = Array.from(data.result.losses);
    expect(losses).toHaveLength(perToken.length);
    losses.forEach((v, i) => expect(Math.abs(v - perToken[i]!)).toBeLessThan(1e-6));
  });
});

describe("torch’s loss of one unbatched row under reduction='none'", () => {
  // torch 1.13: F.cross_entropy(torch.tensor([1.0, 2.0, 0.5]), torch.tensor(1), reduction='none') is tensor(0.4644),
  // a 0-d tensor: 0.4643687903881073 as float32 (realpatterns' generators compute such rows the same way).
  const text = [
    'import torch',
    'import torch.nn.functional as F',
    'x = torch.tensor([1.0, 2.0, 0.5])',
    'l = F.cross_entropy(x, torch.tensor(1), reduction="none")',
    'print(l)  # tensor(0.4644)',
  ].join('\n');
  const pair = analyzeText(text + '\n', { fileName: 'row.py' }).pairs[0]!;

  it('is one number on every surface, as torch prints it, not a list of one', () => {
    const view = pairView(pair, englishL10n);
    expect(lensTitle(view, 4, englishL10n)).toBe('cross-entropy 0.4644');
    expect(inlineLabel(view, 4, englishL10n)).toBe('CE = 0.4644');
    expect(lossHoverMarkdown(view, 4, englishL10n, { inspect: 'i', copy: 'c' })).toMatch(
      /^\*\*CrossEntropyLoss\*\*: `tensor\(0\.4644\)`/,
    );
    // No "none: 1 per-sample losses" line under the number: there is no list.
    expect(lossHoverMarkdown(view, 4, englishL10n, { inspect: 'i', copy: 'c' })).not.toMatch(/per-sample/);
  });

  it('a vector result is a count on the lens and in the hover alike, even when a total came with it', () => {
    const view = { ...pairView(pair, englishL10n), loss: 1.25, losses: [0.5, 0.75, 2.5], count: 3 };
    expect(lensTitle(view, 4, englishL10n)).toBe('cross-entropy 3 values');
    expect(lossHoverMarkdown(view, 4, englishL10n, { inspect: 'i', copy: 'c' })).toMatch(
      /^\*\*CrossEntropyLoss\*\*: `3 values`/,
    );
  });

  it('a batch of one row stays a vector of one, as torch prints tensor([…])', () => {
    const batch = analyzeText(
      text.replace('[1.0, 2.0, 0.5]', '[[1.0, 2.0, 0.5]]').replace('torch.tensor(1)', 'torch.tensor([1])') + '\n',
      {
        fileName: 'row.py',
      },
    ).pairs[0]!;
    expect(lensTitle(pairView(batch, englishL10n), 4, englishL10n)).toBe('cross-entropy 1 values');
  });
});
