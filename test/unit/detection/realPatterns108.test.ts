/**
 * An MLX port's JavaScript tests and a page's `-log(p)` column (docs/detection.md 3.408-3.410): `import * as mx
 * from '../src'` with core's functions at the port's top, `mx.array(new Float32Array(flat), [r, c])`, the
 * losses' options in one trailing object, and a Markdown table headed `| Predicted p | -log(p) |`, in snippets
 * written for this project by test/fixtures/realpatterns108/gen_realpatterns108.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns108', "an MLX port's options objects and a -log(p) column", {
  least: { snippets: 7, negatives: 7, wrongClaims: 3 },
  exhaustive: true,
});

const ts = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'check.spec.ts' });
const md = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'check.md' });
const head = [
  "import * as mx from '../src';",
  'const z = mx.array(new Float32Array([1.0, 2.0, 0.5, 0.5]), [2, 2]);',
  'const k = mx.array(new Int32Array([0, 1]));',
];

describe("an MLX port's calls", () => {
  it('reads the shape beside typed data only when it holds the values', () => {
    const right = ts([...head, "const l = mx.nn.losses.cross_entropy(z, k, { reduction: 'none' });"]);
    expect(right.pairs[0].losses).toHaveLength(2);
    const short = ts([
      "import * as mx from '../src';",
      'const z = mx.array(new Float32Array([1.0, 2.0, 0.5]), [2, 2]);',
      'const k = mx.array(new Int32Array([0, 1]));',
      "const l = mx.nn.losses.cross_entropy(z, k, { reduction: 'none' });",
    ]);
    expect(short.pairs.filter((p) => p.loss !== null || (p.losses?.length ?? 0) > 0)).toEqual([]);
  });

  it('reads no options object in Python, and no object of computed names', () => {
    const py = analyzeText(
      [
        'import mlx.core as mx',
        'import mlx.nn as nn',
        'z = mx.array([[1.0, 2.0], [0.5, 0.5]])',
        'k = mx.array([0, 1])',
        "l = nn.losses.cross_entropy(z, k, {'reduction': 'mean'})",
      ].join('\n') + '\n',
      { fileName: 'check.py' },
    );
    expect(py.pairs.filter((p) => p.loss !== null)).toEqual([]);
    const computed = ts([...head, "const l = mx.nn.losses.cross_entropy(z, k, { [key]: 'mean' });"]);
    expect(computed.pairs.filter((p) => p.loss !== null || (p.losses?.length ?? 0) > 0)).toEqual([]);
  });

  it('reads a long options object and a long table in bounded time (hang guard)', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => `o${i}: ${i}`).join(', ');
    const doc = ts([...head, `const l = mx.nn.losses.cross_entropy(z, k, { ${many} });`]);
    expect(doc.pairs.filter((p) => p.loss !== null || (p.losses?.length ?? 0) > 0)).toEqual([]);
    const rows = Array.from({ length: 20_000 }, () => '| 0.5 | 0.693 |');
    const table = md(['The log loss of one example is -log(p):', '', '| p | -log(p) |', '|---|---|', ...rows]);
    expect(table.pairs.length).toBeLessThanOrEqual(64);
    const wide = md(['Log loss:', '', `| p | -log(p) |${' x |'.repeat(50_000)}`, '|---|---|', '| 0.5 | 0.693 |']);
    expect(wide.pairs).toEqual([]);
    const parens = md(['Log loss:', '', `| a ${'('.repeat(100_000)}) p | -log(p) |`, '|---|---|', '| 0.5 | 0.693 |']);
    expect(parens.pairs.length).toBeLessThanOrEqual(1);
  }, 60_000);
});
