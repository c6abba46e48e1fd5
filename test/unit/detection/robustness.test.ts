/**
 * Hostile input: unclosed brackets, ragged arrays, 100 000 levels of nesting, a 50 MB file,
 * binary garbage, mixed line endings and a BOM. The analyser returns what it can, with findings
 * for the rest, and never throws or hangs. Plus a property-based fuzz test over generated and
 * mutated sources; each test's timeout is the hang guard.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeNotebook, analyzeText } from '../../../src/core/analysis';
import { type DocumentAnalysis } from '../../../src/core/detection';

const fixtures = join(__dirname, '../../fixtures/detection');
const kinds = ['python', 'javascript', 'typescript', 'json', 'markdown', 'ipynb'] as const;
const extension: Record<string, string> = {
  python: 'py',
  javascript: 'js',
  typescript: 'ts',
  json: 'json',
  markdown: 'md',
  ipynb: 'ipynb',
};

/**
 * Analyses; the result must be well-formed. Time is not asserted here (speed belongs to
 * `npm run bench`): each test's timeout is the hang guard.
 */
function bounded(text: string, fileName: string): DocumentAnalysis {
  const doc = analyzeText(text, { fileName });
  expect(
    Array.isArray(doc.arrays) && Array.isArray(doc.pairs) && Array.isArray(doc.claims) && Array.isArray(doc.findings),
  ).toBe(true);
  for (const f of doc.findings) {
    expect(f.line).toBeGreaterThanOrEqual(1);
    expect(f.start).toBeLessThanOrEqual(f.end);
  }
  for (const p of doc.pairs) expect(p.loss === null || typeof p.loss === 'number').toBe(true);
  return doc;
}

const pair =
  'import torch\nlogits = torch.tensor([[1.0, 2.0, 0.5]])\nlabels = torch.tensor([0])\nloss = torch.nn.functional.cross_entropy(logits, labels)\nprint(loss)  # tensor(1.4640)\n';

describe('hostile input', () => {
  it('a stray closer inside a JS block does not unbalance the brackets opened before it', () => {
    // `f(` opens, `{` starts a function body, a stray `)` inside it, `}` ends it; `f(` stays unclosed.
    const doc = bounded('f(function () { ) }\nconst logits = [[1, 2], [3, 4]];\n', 'stray.ts');
    const parse = doc.findings.filter((f) => f.code === 'parse_error');
    expect(parse.length).toBeGreaterThan(0);
    for (const f of parse) {
      expect(typeof f.start).toBe('number');
      expect(f.message).not.toContain('undefined');
    }
  });

  it('100 000 levels of nesting, closed or not, in every language', () => {
    const deep = '['.repeat(100_000) + '1' + ']'.repeat(100_000);
    for (const kind of kinds) {
      bounded(`x = ${deep}\n` + pair, `deep.${extension[kind]}`);
      bounded('x = ' + '['.repeat(100_000) + '\n' + pair, `open.${extension[kind]}`);
      bounded('f' + '('.repeat(100_000) + 'a' + ')'.repeat(100_000), `parens.${extension[kind]}`);
      bounded('{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000), `objects.${extension[kind]}`);
    }
    // Nesting is capped: a clear finding where it goes too deep, no 100 000-dimensional array,
    // and the pair below is still found.
    const doc = bounded(`deep = ${deep}\n` + pair, 'deep.py');
    expect(doc.arrays.every((a) => a.shape.length <= 1000)).toBe(true);
    expect(doc.findings.find((f) => f.code === 'parse_error')?.message).toBe(
      'nesting deeper than 1000 levels at line 1, column 1008',
    );
    expect(doc.pairs).toHaveLength(1);
    // In JSON the object is the first level; in JavaScript `{` at the start of a statement is a block.
    for (const [kind, column] of [
      ['javascript', 1010],
      ['json', 1009],
    ] as const) {
      const other = bounded(`{"deep": ${deep}}`, `deep.${extension[kind]}`);
      expect(other.findings.map((f) => f.message)).toContain(
        `nesting deeper than 1000 levels at line 1, column ${column}`,
      );
    }
  });

  it('an unclosed bracket is a parse error at its line; what came before still counts', () => {
    const doc = bounded(pair + 'broken = torch.tensor([[1.0, 2.0],\n    [3.0\n', 'u.py');
    expect(doc.pairs).toHaveLength(1);
    expect(doc.findings.find((f) => f.code === 'parse_error')?.line).toBe(6);
  });

  it('a ragged array is reported in torch words, and gives no loss', () => {
    const doc = bounded(
      'import torch\nlogits = torch.tensor([[1.0, 2.0], [3.0]])\nlabels = torch.tensor([0, 1])\nloss = torch.nn.CrossEntropyLoss()(logits, labels)\n',
      'r.py',
    );
    expect(doc.findings.find((f) => f.code === 'ragged_array')).toMatchObject({ line: 2 });
    expect(doc.findings.find((f) => f.code === 'ragged_array')?.message).toContain(
      'expected sequence of length 2 at dim 1 (got 1)',
    );
    expect(doc.pairs).toEqual([]);
  });

  it('binary garbage in every language', () => {
    let seed = 12345;
    const bytes: string[] = [];
    for (let i = 0; i < 2_000_000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      bytes.push(String.fromCharCode((seed >>> 16) & 0xff));
    }
    const garbage = bytes.join('');
    for (const kind of kinds) bounded(garbage, `g.${extension[kind]}`);
  });

  it('a BOM and mixed line endings keep lines right', () => {
    const text =
      '\ufeffimport torch\r\n# café\rlogits = torch.tensor([[1.0,\r\n 2.0, 0.5]])\nlabels = torch.tensor([0])\r\nloss = torch.nn.functional.cross_entropy(logits, labels)\rprint(loss)  # tensor(1.4640)\n';
    const doc = bounded(text, 'bom.py');
    expect(doc.arrays.map((a) => [a.name, a.line, a.endLine])).toEqual([
      ['logits', 3, 4],
      ['labels', 5, 5],
    ]);
    expect(doc.pairs[0].call?.line).toBe(6);
    expect(doc.claims[0].line).toBe(7);
  });

  it('a 50 MB file', () => {
    const block =
      pair +
      'x = "unterminated\n' +
      'y = [1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5]\n'.repeat(200) +
      '\x00\x01\x02]]]))}}\n';
    const text = block.repeat(Math.ceil(50_000_000 / block.length)).slice(0, 50_000_000);
    const doc = bounded(text, 'big.py');
    expect(doc.pairs.length).toBeGreaterThan(100);
  }, 180_000); // a hang guard, generous for a busy machine

  // Statements a real file repeats by the thousand, each of which once searched the whole text
  // again (a pair inferred from names looked for a call taking both; an unbound call looked for its
  // library's name): 400 KB took 17.7 s of CPU, 1 MB about two minutes. Linear, they take about a
  // second each; the timeout is the hang guard.
  it('thousands of repeated statements: no search of the whole text per statement', () => {
    const units: [string, string, number?][] = [
      [
        'x = torch.autograd.Variable(torch.FloatTensor([[3.0, 4.0], [6.0, 9.0]]))\ntarget = torch.LongTensor([1, 0])\n',
        'many.py',
      ],
      ['score = log_loss( y_seen, p_seen )\nprint(score)\n', 'many.py'],
      ['with self.cached_session():\n    loss = losses.softmax_cross_entropy(labels, logits, weights)\n', 'many.py'],
      ['const out = tf.tensor2d([[0.1, 0.9]]);\nconst labels = tf.tensor1d([1]);\n', 'many.js'],
      // Short lines that each ask for a million computed numbers: the document's budget stops them.
      ['y = torch.tensor(np.ones(1000000))\n', 'many.py'],
      // A metric read after each update: every read looked at every use of its name in the text.
      [
        'm = tf.keras.metrics.BinaryCrossentropy()\nm.update_state([[0, 1]], [[0.6, 0.4]])\nprint(m.result().numpy())\n',
        'many.py',
      ],
      // A call of a helper the page never defines: each asked whether a later `def` defines it (2 MB).
      ['\nIn [6]:\nloss = loss_fn(pred, target)\n', 'many.md', 2_000_000],
    ];
    for (const [unit, name, size = 1_000_000] of units) {
      const started = performance.now();
      const doc = bounded(unit.repeat(Math.ceil(size / unit.length)), name);
      // A hang guard, 30 times what a busy machine takes (the search per statement took minutes).
      expect(performance.now() - started, unit).toBeLessThan(30_000);
      expect(doc.findings.every((f) => f.code !== 'parse_error')).toBe(true);
    }
  }, 90_000);

  it('analyzeNotebook with hostile cells', () => {
    const doc = analyzeNotebook([
      { kind: 'code', source: '['.repeat(100_000) },
      { kind: 'code', source: pair, outputs: ['tensor(1.4640)\n', '\u0000\uffff'] },
      { kind: 'code', source: '"""never closed' },
    ]);
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].call?.cell).toBe(1);
  });
});

describe('fuzz (fast-check)', () => {
  const seeds = readdirSync(fixtures, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.(py|js|mjs|ts|json|md|ipynb)$/.test(d.name))
    .map((d) => readFileSync(join(d.parentPath ?? d.path, d.name), 'utf8'))
    .filter((t) => t.length < 20_000);
  const pieces = [
    '[',
    ']',
    '(',
    ')',
    '{',
    '}',
    ',',
    '.',
    '-',
    '1',
    '2.5',
    'e',
    '1e400',
    '#',
    '//',
    '/*',
    '*/',
    '"',
    "'",
    '"""',
    '`',
    '${',
    '\\',
    '\n',
    '\r',
    '\r\n',
    ' ',
    'torch.tensor(',
    'np.array(',
    'criterion(',
    'F.cross_entropy(',
    'nn.CrossEntropyLoss(',
    'print(',
    'loss',
    'logits',
    'labels',
    '=',
    ':',
    '# tensor(2.1438)',
    'float("inf")',
    '```python\n',
    '```\n',
    '>>> ',
    'def f(',
    'class ',
    'import torch\n',
    '\ufeff',
    '\u0000',
    'ü',
  ];

  const generated = fc.array(fc.constantFrom(...pieces), { maxLength: 400 }).map((p) => p.join(''));
  const mutated = fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.array(fc.tuple(fc.nat(), fc.nat(200), fc.constantFrom(...pieces)), { maxLength: 8 }),
    )
    .map(([text, edits]) => {
      let t = text;
      for (const [at, del, insert] of edits) {
        const i = t.length ? at % t.length : 0;
        t = t.slice(0, i) + insert + t.slice(i + del);
      }
      return t;
    });

  it('never throws or hangs on generated and mutated sources (≤ 20 KB, 2 s each)', () => {
    fc.assert(
      fc.property(
        fc.oneof(generated, mutated, fc.string({ maxLength: 2000 }), fc.fullUnicodeString({ maxLength: 500 })),
        fc.constantFrom(...kinds),
        (text, kind) => {
          const t = text.slice(0, 20_000);
          bounded(t, `fuzz.${extension[kind]}`);
        },
      ),
      { numRuns: 400, seed: 20241126 },
    );
  }, 120_000);

  it('mutations that only touch comments or whitespace do not change the seed results', () => {
    const seed = readFileSync(join(__dirname, '../../../examples/seed_blog.py'), 'utf8');
    const base = analyzeText(seed, { fileName: 's.py' });
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('  ', '\t', '# note [1, 2] tensor(0.0000)', '\n'), { maxLength: 5 }),
        (extra) => {
          // Appended after the code: nothing above may change.
          const doc = analyzeText(seed + '\n' + extra.join(''), { fileName: 's.py' });
          expect(doc.pairs.map((p) => p.loss)).toEqual(base.pairs.map((p) => p.loss));
          expect(doc.claims.map((c) => c.status)).toEqual(base.claims.map((c) => c.status));
        },
      ),
      { numRuns: 50, seed: 7 },
    );
  });
});
