/**
 * The binary cross-entropies of torch's API copies and their documentation's shapes (docs/detection.md
 * 3.360-3.364, 4.94-4.95): MegEngine's logits by default, Sphinx testcode/testoutput, OneFlow's and
 * MindSpore's signatures, unbound `ops` / `mint`, tinygrad's chained `Tensor(…)` and `Tensor.stack`, and a
 * docstring prompt importing several names; in snippets written for this project by
 * test/fixtures/realpatterns98/gen_realpatterns98.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { testOutputAfter } from '../../../src/core/detection/testOutputs';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns98', 'binary cross-entropies of torch copies, testoutput blocks', {
  least: { snippets: 9, negatives: 4, wrongClaims: 5 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'check.py' });
const numbers = (lines: string[]) => py(lines).pairs.map((p) => p.loss);

describe('MegEngine reads binary_cross_entropy on logits', () => {
  const head = [
    'import megengine.functional as F',
    'from megengine import tensor',
    'x = tensor([[0.0, 2.0]])',
    'y = tensor([[1.0, 0.0]])',
  ];
  it("gives torch's logits number by default, never torch's on probabilities", () => {
    const [v] = numbers([...head, 'l = F.nn.binary_cross_entropy(x, y)']);
    // mean of log(2) and 2 + log(1 + e^-2): torch's binary_cross_entropy_with_logits
    expect(v).toBeCloseTo((Math.log(2) + 2 + Math.log1p(Math.exp(-2))) / 2, 6);
  });
  it('keeps no number for a probability of 0 or 1 when with_logits=False', () => {
    expect(numbers([...head, 'l = F.nn.binary_cross_entropy(x, y, with_logits=False)'])).toEqual([null]);
  });
});

describe('testoutput blocks', () => {
  it('reads the lines of the block after a testcode body, an Outputs line between', () => {
    const text = [
      '    .. testcode::',
      '',
      '        print(1)',
      '',
      '    Outputs:',
      '',
      '    .. testoutput::',
      '',
      '        [0.5]',
      '        0.25',
      '    """',
    ].join('\n');
    const end = text.indexOf('print(1)') + 'print(1)'.length;
    expect(testOutputAfter(text, end)?.map((o) => o.text)).toEqual(['[0.5]', '0.25']);
  });
  it('reads nothing when other text stands between the blocks', () => {
    const text = [
      '        print(1)',
      '',
      '    Some words here.',
      '    More words.',
      '    .. testoutput::',
      '',
      '        [0.5]',
    ].join('\n');
    expect(testOutputAfter(text, 16)).toBeNull();
  });
  it('finishes quickly on long runs of directives, labels and output lines', () => {
    const t0 = Date.now();
    // The scanner alone, on 200,000 characters of each triggering prefix.
    expect(testOutputAfter('print(1)\n' + '.. testoutput::\n'.repeat(13000), 8)).toBeNull();
    expect(testOutputAfter('print(1)\n' + '\n'.repeat(200000), 8)).toBeNull();
    expect(testOutputAfter('print(1)\n.. testoutput::\n' + '    0.5\n'.repeat(25000), 8)).toHaveLength(25000);
    // And through the whole analysis: many testcode / testoutput pairs in one docstring.
    const pair = '    .. testcode::\n\n        print(1)\n\n    .. testoutput::\n\n        1\n';
    py(['def f():', '    """', pair.repeat(2000), '    """']);
    expect(Date.now() - t0).toBeLessThan(8000);
  });
});

describe('tinygrad receivers and stack', () => {
  it('finishes quickly on a long chain of closing brackets before a loss method', () => {
    const t0 = Date.now();
    py(['t = Tensor([[1.0, 2.0]])', 'x = ' + ')'.repeat(200000) + '.cross_entropy(Tensor([0]))']);
    py(['t = Tensor([[1.0, 2.0]])', ('a).sparse_categorical_crossentropy(' + ')]'.repeat(5)).repeat(12000)]);
    expect(Date.now() - t0).toBeLessThan(8000);
  });
  it('stacks only on dim 0', () => {
    const doc = py([
      'from tinygrad import Tensor',
      'a = Tensor([1.0, 0.0])',
      'b = Tensor([0.0, 1.0])',
      'l = Tensor.stack(a, b, dim=1).cross_entropy(Tensor([0, 1]))',
    ]);
    expect(doc.pairs.filter((p) => p.loss !== null)).toEqual([]);
  });
});

describe('doctest prompts importing a list of names', () => {
  it('finishes quickly on a very long import line', () => {
    const t0 = Date.now();
    py([
      'def f():',
      '    """',
      '    >>> from mindspore import ' + 'a, '.repeat(70000) + 'b',
      '    """',
      '    return a',
    ]);
    expect(Date.now() - t0).toBeLessThan(8000);
  });
});
