/**
 * d2l's later chapter sources (docs/detection.md 3.295, 4.81): `%%tab` cell magics read as framework
 * tabs, d2l's jax module, and the scratch `cross_entropy` helper followed in jax's tab; DeZero copied
 * under another package's name (3.296); −log σ(x) helpers averaged by hand (3.297), in snippets written for this project by
 * test/fixtures/realpatterns85/gen_realpatterns85.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { asDezero, dezeroClonePackage } from '../../../src/core/detection/dezeroClones';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns85', "d2l's %%tab cells and jax module", {
  least: { snippets: 13, negatives: 6, wrongClaims: 5 },
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

describe("DeZero's copies under another name", () => {
  it("reads P as DeZero only where the file imports DeZero's test helpers from P.utils", () => {
    expect(dezeroClonePackage('from mynn.utils import gradient_check\n')).toBe('mynn');
    expect(dezeroClonePackage('x = 1\n  from a.b.utils import (array_allclose,\n')).toBe('a.b');
    expect(dezeroClonePackage('from mynn.utils import accuracy\n')).toBeNull();
    expect(dezeroClonePackage('from mynn.helpers import gradient_check\n')).toBeNull();
    expect(dezeroClonePackage('# from mynn.utils import gradient_check\n')).toBeNull();
    expect(dezeroClonePackage('from torch.utils import gradient_check\n')).toBeNull();
    expect(dezeroClonePackage('from chainer.utils import array_allclose\n')).toBeNull();
    expect(asDezero('mynn.functions.softmax_cross_entropy', 'mynn')).toBe('dezero.functions.softmax_cross_entropy');
    expect(asDezero('mynnx.functions.softmax_cross_entropy', 'mynn')).toBe('mynnx.functions.softmax_cross_entropy');
    expect(asDezero('mynn', 'mynn')).toBe('dezero');
    expect(asDezero('other.functions.f', null)).toBe('other.functions.f');
  });

  it('finds the package in bounded time on 200,000 characters of a triggering prefix (hang guard)', () => {
    const start = Date.now();
    expect(dezeroClonePackage('from ' + 'a.'.repeat(100_000) + 'x import y\n')).toBeNull();
    expect(dezeroClonePackage('from a.utils import ' + 'g'.repeat(200_000))).toBeNull();
    expect(dezeroClonePackage('from a.utils import\n'.repeat(10_000))).toBeNull();
    md('```python\n' + 'from p.utils import gradient_check\nimport p.functions as F\n'.repeat(5000) + '```\n');
    expect(Date.now() - start).toBeLessThan(20_000);
  }, 60_000);
});

describe('−log σ(x) helpers averaged by hand', () => {
  const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'check.py' });
  const head = ['import math', 'def sigmd(x):', '    return -math.log(1 / (1 + math.exp(-x)))'];

  it('is BCE with logits of the numbers written, labels 1, mean over the calls', () => {
    const doc = py([...head, 'm = (sigmd(1.1) + sigmd(-2.2) + sigmd(0.3)) / 3']);
    expect(doc.pairs).toHaveLength(1);
    const sp = (x: number) => Math.log(1 + Math.exp(-x));
    expect(doc.pairs[0].loss).toBeCloseTo((sp(1.1) + sp(-2.2) + sp(0.3)) / 3, 12);
  });

  it('needs the body to be exactly −log σ(x) of its one parameter', () => {
    for (const body of [
      '    return -math.log(1 / (1 + math.exp(x)))',
      '    return -math.log(2 / (1 + math.exp(-x)))',
      '    return math.log(1 / (1 + math.exp(-x)))',
      '    return -math.log(1 / (2 + math.exp(-x)))',
    ])
      expect(py(['import math', 'def sigmd(x):', body, 'm = (sigmd(1.1) + sigmd(2.2)) / 2']).pairs).toEqual([]);
    const twoParams = ['import math', 'def sigmd(x, y=0):', '    return -math.log(1 / (1 + math.exp(-x)))'];
    expect(py([...twoParams, 'm = (sigmd(1.1) + sigmd(2.2)) / 2']).pairs).toEqual([]);
  });

  it('reads a sum of thousands of calls in bounded time (hang guard)', () => {
    const start = Date.now();
    const long = py([...head, `m = (${Array(20_000).fill('sigmd(1.0)').join(' + ')}) / 20000`]);
    expect(long.pairs).toEqual([]);
    py([...head, 'm = (' + 'sigmd('.repeat(40_000) + ') / 2']);
    expect(Date.now() - start).toBeLessThan(30_000);
  }, 60_000);
});
