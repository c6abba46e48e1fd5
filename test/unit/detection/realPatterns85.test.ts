/**
 * d2l's later chapter sources (docs/detection.md 3.295, 4.81): `%%tab` cell magics read as framework
 * tabs, d2l's jax module, and the scratch `cross_entropy` helper followed in jax's tab, in snippets
 * written for this project by test/fixtures/realpatterns85/gen_realpatterns85.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns85', "d2l's %%tab cells and jax module", {
  least: { snippets: 6, negatives: 3, wrongClaims: 3 },
  exhaustive: true,
});

const md = (text: string) => analyzeText(text, { fileName: 'page.md' });
const cellOf = (tab: string, ...lines: string[]) => ['```{.python .input}', `%%tab ${tab}`, ...lines, '```', ''];
const helper = [
  'def cross_entropy(y_hat, y):',
  '    return -d2l.reduce_mean(d2l.log(y_hat[list(range(len(y_hat))), y]))',
  '',
];

describe("d2l's %%tab cells", () => {
  it('binds each tab to its own imports: the tensorflow tab does not lend its arrays to jax', () => {
    const doc = md(
      [
        ...cellOf('jax', 'from d2l import jax as d2l'),
        ...cellOf('mxnet, jax', 'y = d2l.tensor([0, 2])', 'y_hat = d2l.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])'),
        ...cellOf('tensorflow', 'import tensorflow as tf', 'y_hat = tf.constant([[0.9, 0.05, 0.05], [0.1, 0.1, 0.8]])'),
        ...cellOf('mxnet, jax', ...helper, 'cross_entropy(y_hat, y)'),
      ].join('\n'),
    );
    const numbered = doc.pairs.filter((p) => p.loss !== null);
    expect(numbered.map((p) => [p.call?.line, p.logits.line])).toEqual([[23, 9]]);
    expect(numbered[0].loss).toBeCloseTo(1.497866, 5);
  });

  it('reads an unknown framework name or an unparsed marker as one program (no tabs)', () => {
    const page = (tab: string) =>
      md(
        [
          ...cellOf('jax', 'from d2l import jax as d2l'),
          ...cellOf(tab, 'y = d2l.tensor([0, 2])', 'y_hat = d2l.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])'),
          ...cellOf('jax', ...helper, 'cross_entropy(y_hat, y)'),
        ].join('\n'),
      );
    // One program still follows the helper: the names are bound in document order.
    expect(page('theano').pairs.filter((p) => p.loss !== null)).toHaveLength(1);
    expect(page('jax; mxnet').pairs.filter((p) => p.loss !== null)).toHaveLength(1);
  });

  it("maps only d2l's jax names it knows: another name stays unknown", () => {
    const doc = md(
      [
        ...cellOf('jax', 'from d2l import jax as d2l'),
        ...cellOf('jax', 'y = d2l.tensor([0, 2])', 'y_hat = d2l.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])'),
        ...cellOf(
          'mxnet, jax',
          'def f(y_hat, y):',
          '    return -d2l.nanmean(d2l.log(y_hat[[0, 1], y]))',
          '',
          'f(y_hat, y)',
        ),
      ].join('\n'),
    );
    expect(doc.pairs.filter((p) => p.loss !== null)).toEqual([]);
  });

  it('reads a page of 200,000 characters of tab markers in bounded time (hang guard)', () => {
    const start = Date.now();
    md('```{.python .input}\n' + '%%tab '.repeat(40_000) + '\n```\n' + '%%tab jax,'.repeat(20_000));
    md(Array(5000).fill(cellOf('mxnet, jax', 'x = 1').join('\n')).join('\n'));
    expect(Date.now() - start).toBeLessThan(20_000);
  }, 60_000);
});
