/**
 * JavaScript / TypeScript losses the blind sets missed (docs/detection.md 3.418-3.422): information content
 * written as the log of a reciprocal (`q * Math.log2(1 / p)`, in bits), summed by a `reduce` over a helper
 * named like a loss; an exercise table's solution kept in a template literal and called from its cases' strings
 * (3.419); micrograd `Value` graphs with every operation known (3.420), in snippets written for this project by test/fixtures/realpatterns110/gen_realpatterns110.py.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { codeStrings } from '../../../src/core/detection/jsCodeStrings';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns110', 'JavaScript losses the blind sets missed', {
  least: { snippets: 5, negatives: 4, wrongClaims: 2 },
  exhaustive: true,
});

const js = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'check.js' });
const numbers = (lines: string[]) => js(lines).pairs.map((p) => p.loss);

describe('the log of a reciprocal (3.418)', () => {
  it('reads log(1 / p) as −log p of the probability inverted, and nothing else divided', () => {
    const ce = 'const ce = (t, p) => t.reduce((s, tk, k) => s + tk * Math.log2(1 / p[k]), 0);';
    expect(numbers([ce, 'console.log(ce([0, 1], [0.5, 0.5]));'])).toEqual([1]);
    // 2 / p is not a reciprocal; 1 / p without a log is no term.
    const two = 'const ce = (t, p) => t.reduce((s, tk, k) => s + tk * Math.log2(2 / p[k]), 0);';
    expect(numbers([two, 'console.log(ce([0, 1], [0.5, 0.5]));']).filter((v) => v !== null)).toEqual([]);
    const noLog = 'const ce = (t, p) => t.reduce((s, tk, k) => s + tk / p[k], 0);';
    expect(numbers([noLog, 'console.log(ce([0, 1], [0.5, 0.5]));']).filter((v) => v !== null)).toEqual([]);
  });

  it('keeps a helper named like a loss as one term only inside a caller; called alone it has no number', () => {
    const helper = 'const crossEntropyTerm = (q, p) => q * Math.log2(1 / p);';
    const alone = js([helper, 'console.log(crossEntropyTerm(0.5, 0.25));', 'const v = crossEntropyTerm(0.5, 0.25);']);
    expect(alone.pairs.filter((p) => p.loss !== null)).toEqual([]);
  });

  it('reads a long chain of reciprocals in bounded time (hang guard)', () => {
    const probs = Array(20_000).fill('0.5').join(', ');
    const t0 = Date.now();
    const doc = js([
      'const ce = (t, p) => t.reduce((s, tk, k) => s + tk * Math.log2(1 / p[k]), 0);',
      `console.log(ce([${probs}], [${probs}]));`,
      `const x = ${'Math.log2(1 / '.repeat(2000)}0.5${')'.repeat(4000)};`,
    ]);
    expect(doc.pairs.length).toBeLessThanOrEqual(1);
    expect(Date.now() - t0).toBeLessThan(30_000);
  }, 60_000);
});

describe('a solution kept in a template literal, called from strings (3.419)', () => {
  const solution =
    'const t = { solution: `function lossOf(y, p) {\n  return -(y * Math.log(p) + (1 - y) * Math.log(1 - p));\n}`,';

  it('reads the template and the first calling string of a line, and nothing before the template', () => {
    const programs = codeStrings(
      ["before: 'lossOf(1, 0.5)',", solution, "  input: 'lossOf(1, 0.8)', again: 'lossOf(0, 0.8)',", '};'].join('\n'),
    );
    expect(programs).toHaveLength(1);
    const lines = programs[0].split('\n').map((l) => l.trim());
    expect(lines[0]).toBe('');
    expect(lines[1]).toBe('function lossOf(y, p) {');
    expect(lines[4]).toBe('lossOf(1, 0.8)');
  });

  it('skips quotes in comments and templates that do not open with a definition', () => {
    const text = [
      "// it's `function lossOf(y, p) {` in prose",
      'const s = `see function lossOf(y, p)`;',
      "x('lossOf(1, 0.8)');",
    ];
    expect(codeStrings(text.join('\n'))).toEqual([]);
  });

  it('scans many backticks, quotes and definitions in bounded time (hang guard)', () => {
    const t0 = Date.now();
    expect(codeStrings('`'.repeat(200_000))).toEqual([]);
    expect(codeStrings("'".repeat(200_000) + '`function f(){}`')).toEqual([]);
    const many = '`' + 'function f(a) { return a; }\n'.repeat(20_000) + '`\n' + "'f(1)',\n".repeat(20_000);
    expect(codeStrings(many)).toHaveLength(1);
    const doc = analyzeText('const a = [\n' + "`function f(a) { return a; }`,\n'f(1)',\n".repeat(2_000) + '];\n', {
      fileName: 'many.ts',
    });
    expect(doc.pairs.filter((p) => p.loss !== null)).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(30_000);
  }, 60_000);
});

describe('micrograd Value graphs (3.420)', () => {
  const head = ["const { Value } = require('micrograd');", 'const t = [0, 1];', 'const p = [0.25, 0.75];'];
  const sum = (op: string) =>
    `const loss = p.map((q, k) => new Value(-t[k]).mul(new Value(q)${op}.log())).reduce((a, b) => a.add(b), new Value(0));`;

  it('reads the known operations and refuses an unknown one', () => {
    expect(numbers([...head, sum('')])).toEqual([-Math.log(0.75)]);
    expect(numbers([...head, sum('.tanh()')]).filter((v) => v !== null)).toEqual([]);
    expect(numbers([...head, sum('.pow(2)')])).toEqual([]);
  });

  it('reads nothing when the file defines Value, or a number that is not a Value calls a method', () => {
    expect(numbers(['class Value { constructor(d) { this.data = d; } }', ...head.slice(1), sum('')])).toEqual([]);
    const plain =
      'const loss = p.map((q, k) => new Value(-t[k]).mul(q.log())).reduce((a, b) => a.add(b), new Value(0));';
    expect(numbers([...head, plain]).filter((v) => v !== null)).toEqual([]);
  });

  it('reads a long chain of operations in bounded time (hang guard)', () => {
    const t0 = Date.now();
    const chain = `const x = new Value(0.5)${'.neg()'.repeat(20_000)};`;
    expect(numbers([...head, chain, 'new Value('.repeat(50_000)])).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(30_000);
  }, 60_000);
});
