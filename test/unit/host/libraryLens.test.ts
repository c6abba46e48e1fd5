/**
 * The CodeLens title and the hover of another library's pair, through the editor's own view model
 * (`pairView`, with the vscode stand-in): the call is named with its options and value, and the
 * hover links "Copy as PyTorch" only when torch's loss gives the library's number.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { englishL10n, lensTitle, lossHoverMarkdown } from '../../../src/editor/format';
import { pairView } from '../../../src/editor/locate';

describe('lenses and hovers of library pairs', () => {
  const analyse = (source: string) => {
    return pairView(analyzeText(source, { fileName: 'k.py' }).pairs[0]);
  };
  const probabilities = [
    'import tensorflow as tf',
    'y_true = [[0, 1, 0], [0, 0, 1]]',
    'y_pred = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]',
    'loss = tf.keras.losses.CategoricalCrossentropy()(y_true, y_pred)',
  ].join('\n');
  const logits = [
    'import tensorflow as tf',
    'labels = [2, 0]',
    'scores = [[0.2, 1.1, 2.5], [1.4, 0.3, -0.6]]',
    'loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, scores)',
  ].join('\n');

  it('the lens names the call and its value', async () => {
    const p = analyse(logits);
    expect(lensTitle(p, 4, englishL10n)).toBe(
      `keras.losses.SparseCategoricalCrossentropy(from_logits=True) = ${p.loss!.toFixed(4)}`,
    );
    expect(lensTitle(analyse(probabilities), 4, englishL10n)).toBe('keras.losses.CategoricalCrossentropy = 1.1769');
  });

  it('the hover offers Copy as PyTorch only when torch gives the same number, and says why not', async () => {
    const links = { inspect: 'command:open', copy: 'command:copy' };
    const exact = lossHoverMarkdown(analyse(logits), 4, englishL10n, links);
    expect(exact).toMatch(/^\*\*keras\\\.losses\\\.SparseCategoricalCrossentropy\\\(from\\_logits=True\\\)\*\*/);
    expect(exact).toContain('(command:copy)');
    const clipped = lossHoverMarkdown(analyse(probabilities), 4, englishL10n, links);
    expect(clipped).not.toContain('command:copy');
    expect(clipped).toContain('No "Copy as PyTorch": this library takes probabilities');
  });
});
