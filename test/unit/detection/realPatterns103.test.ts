/**
 * Four spellings of a reviewer's mix of real pages (docs/detection.md 3.385–3.388): MLX's node bindings
 * in their own test files (the package imported by a relative path, `binaryCrossEntropy`, `undefined` in a
 * place), a written one-hot row whose probabilities do not sum to 1, a TeX alignment whose first row is on
 * its opening line, and an exercise page that clips its predictions before the log, in snippets written for
 * this project by test/fixtures/realpatterns103/gen_realpatterns103.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { plainTexSigns } from '../../../src/core/detection/texSigns';
import { readSemantics } from '../../../src/core/detection/problemProse';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns103', 'MLX node tests, slipped one-hot rows, TeX alignments, clipped predictions', {
  least: { snippets: 8, negatives: 5, wrongClaims: 3 },
  exhaustive: true,
});

const numbered = (text: string, fileName: string) =>
  analyzeText(text, { fileName })
    .pairs.filter((p) => p.loss !== null || (p.losses?.length ?? 0) > 0)
    .map((p) => p.call?.line);

describe('the MLX package under test', () => {
  const body = [
    'const scores = mx.array([[1.0, 2.0], [0.5, 0.1]]);',
    'const classes = mx.array([0, 1], mx.int32);',
    'const loss = nn.losses.crossEntropy(scores, classes);',
  ];
  it('is a relative import of both core and nn, in a file that builds mx.array', () => {
    expect(numbered(["import {core as mx, nn} from '..';", ...body].join('\n'), 'a.spec.ts')).toEqual([4]);
    expect(numbered(["import {core as mx, nn} from '../src';", ...body].join('\n'), 'a.spec.ts')).toEqual([4]);
  });
  it('is not a relative import of only one of them, or of a package', () => {
    expect(numbered(["import {nn} from '..';", ...body].join('\n'), 'a.spec.ts')).toEqual([]);
    expect(numbered(["import {core as mx, nn} from 'other-lib';", ...body].join('\n'), 'a.spec.ts')).toEqual([]);
  });
  it('reads null in a place as passed, undefined as the default', () => {
    const head = [
      "import {core as mx, nn} from '..';",
      'const x = mx.array([0.5, -0.5]);',
      'const y = mx.array([1, 0]);',
    ];
    const doc = (call: string) => analyzeText([...head, call].join('\n'), { fileName: 'b.spec.ts' }).pairs[0];
    expect(doc('const l = nn.losses.binaryCrossEntropy(x, y, undefined, undefined);').loss).toBeCloseTo(0.474077, 5);
    // null for withLogits is falsy: the inputs are read as probabilities, and -0.5 is none
    expect(doc('const l = nn.losses.binaryCrossEntropy(x, y, undefined, null);').loss).toBeNull();
  });
});

describe('TeX alignment signs', () => {
  it('keep the line length, blank the environment and break rows', () => {
    const line = '\\begin{aligned} -\\log(0.5)&=0.69\\\\ x \\end{aligned}';
    const plain = plainTexSigns(line);
    expect(plain).toHaveLength(line.length);
    expect(plain.trim().startsWith('-')).toBe(true);
    expect(plain).toContain(' |');
    // a row that goes on with the same chain (`\\ &= …`) is no new row
    expect(plainTexSigns('-\\log(0.5)&= 0.6931 \\\\ &= 0.69')).not.toContain('|');
    // other environments stay as written
    expect(plainTexSigns('\\begin{pmatrix} 1 \\end{pmatrix}')).toContain('\\begin{pmatrix}');
  });
});

describe('clipping before the log', () => {
  it('names probabilities only when the predictions are clipped for a log', () => {
    expect(readSemantics('Clip predictions to [1e-7, 1 - 1e-7] before computing the log.').probabilities).toBe(true);
    expect(readSemantics('Clip the gradients before the update.').probabilities).toBe(false);
    expect(readSemantics('Clip predictions. The log of the result is printed.').probabilities).toBe(false);
  });
  it('reads a long line without a period in linear time', () => {
    const long = 'clip predictions ' + 'x '.repeat(200_000) + 'log';
    const t0 = performance.now();
    readSemantics(long);
    plainTexSigns('\\begin{aligned'.repeat(20_000) + '\\\\'.repeat(20_000));
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
