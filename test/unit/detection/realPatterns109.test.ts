/**
 * Keras 3's own test harness and modules (its era, its assertAlmostEqual), the course labs' logistic cost over
 * rows (`np.dot(X[i], w) + b`, the lab helper's sigmoid) and expected-output Markdown cells under a notebook's
 * code cell (docs/detection.md 3.413-3.416), in snippets written for this project by
 * test/fixtures/realpatterns109/gen_realpatterns109.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { expectedOutputs } from '../../../src/core/detection/notebookCells';
import { kerasThreeModules } from '../../../src/core/detection/recognisers/kerasBinary';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns109', 'Keras 3 tests, logistic costs over rows, expected-output cells', {
  least: { snippets: 12, negatives: 5, wrongClaims: 5 },
  exhaustive: true,
});

describe('Keras 3 named by its own modules', () => {
  it('takes `keras.src.testing` and `keras.ops`, never Keras 2.13-2.15’s `testing_infra`', () => {
    expect(kerasThreeModules('from keras.src import testing\n')).toBe(true);
    expect(kerasThreeModules('from keras.src import backend, testing\n')).toBe(true);
    expect(kerasThreeModules('from keras import ops\n')).toBe(true);
    expect(kerasThreeModules('class T(keras.src.testing.TestCase):\n')).toBe(true);
    expect(kerasThreeModules('from keras.src.testing_infra import test_combinations\n')).toBe(false);
    expect(kerasThreeModules('from mylib import ops\nfrom keras import layers\n')).toBe(false);
  });

  it('stays linear on a hostile line of imports', () => {
    const text = 'from keras import x '.repeat(10_000);
    const t0 = Date.now();
    expect(kerasThreeModules(text)).toBe(false);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

describe('expected-output cells', () => {
  it('reads the heading’s own value and the short lines under it, up to prose, HTML or a fence', () => {
    expect(expectedOutputs('**Expected Output**: 0.25').map((o) => o.text)).toEqual(['0.25']);
    expect(expectedOutputs('**Salida esperada**\n\nCosto: 0.5\n\nCosto: 0.7\n').map((o) => o.text)).toEqual([
      'Costo: 0.5',
      'Costo: 0.7',
    ]);
    expect(expectedOutputs('期待される出力:\n0.125\n<table>\n0.9').map((o) => o.text)).toEqual(['0.125']);
    expect(expectedOutputs('Some text first\n**Expected Output**: 0.25')).toEqual([]);
    expect(expectedOutputs('**Output of the model**: 0.25')).toEqual([]);
  });

  it('binds only to the code cell right above it', () => {
    const nb = (cells: object[]) =>
      analyzeText(JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }), { fileName: 'lab.ipynb' });
    const code = {
      cell_type: 'code',
      metadata: {},
      outputs: [],
      source:
        'import torch\nimport torch.nn.functional as F\nprint(F.cross_entropy(torch.tensor([[1.0, 0.0]]), torch.tensor([0])))',
    };
    const expected = { cell_type: 'markdown', metadata: {}, source: '**Expected Output**: tensor(0.4133)' };
    const between = { cell_type: 'markdown', metadata: {}, source: 'Now the check.' };
    expect(nb([code, expected]).claims.map((c) => [c.text, c.status])).toEqual([['tensor(0.4133)', 'wrong']]);
    expect(nb([code, between, expected]).claims).toEqual([]);
  });

  it('stays linear on a hostile cell', () => {
    const cell = '**Expected Output**:\n' + '0.5\n'.repeat(50_000);
    const t0 = Date.now();
    expect(expectedOutputs(cell)).toHaveLength(50_000);
    expect(Date.now() - t0).toBeLessThan(2000);
    const long = '**Expected Output**:' + ' '.repeat(200_000) + 'x';
    expect(expectedOutputs(long)).toEqual([]);
  });
});
