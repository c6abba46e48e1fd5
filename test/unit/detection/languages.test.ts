/**
 * JavaScript/TypeScript, JSON, Markdown and notebooks, and the tokenizer's rule that strings and
 * comments are never code. Loss values come from torch (reference.json).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeNotebook, analyzeText } from '../../../src/core/analysis';
import { detectLanguage } from '../../../src/core/detection';

const reference = JSON.parse(readFileSync(join(__dirname, '../../fixtures/snippets/reference.json'), 'utf8')) as {
  other: Record<string, { value: number }>;
};
const ref = (name: string): number => reference.other[name].value;

function close(a: number | null | undefined, b: number, rel: number): void {
  expect(a).not.toBeNull();
  expect(Math.abs((a as number) - b), `${a} vs torch ${b}`).toBeLessThanOrEqual(rel * Math.abs(b));
}

describe('language selection', () => {
  it('uses the language id, else the extension, else Python', () => {
    expect(detectLanguage({ languageId: 'typescriptreact' })).toBe('typescript');
    expect(detectLanguage({ languageId: 'jupyter' })).toBe('ipynb');
    expect(detectLanguage({ fileName: 'a/b/notes.MD' })).toBe('markdown');
    expect(detectLanguage({ fileName: 'x.mjs' })).toBe('javascript');
    expect(detectLanguage({ fileName: 'data.jsonc' })).toBe('json');
    expect(detectLanguage({ fileName: 'noext' })).toBe('python');
  });
});

describe('strings and comments are never code', () => {
  it('Python: prefixes, triple quotes, f-strings, comments', () => {
    const src = [
      'import torch',
      'doc = """',
      'logits = torch.tensor([[9.0, 9.0]])',
      '"""',
      "s = rb'[1.0, 2.0]' + f\"{x} [3.0, 4.0]\" + u'''[5.0]'''",
      '# labels = torch.tensor([0])',
      "t = 'it\\'s [6.0, 7.0]'",
      'logits = torch.tensor([[1.0, 2.0, 0.5]])',
      'labels = torch.tensor([1])',
    ].join('\n');
    const doc = analyzeText(src, { fileName: 'a.py' });
    expect(doc.arrays.map((a) => [a.name, a.line])).toEqual([
      ['logits', 8],
      ['labels', 9],
    ]);
    expect(doc.pairs).toHaveLength(1);
  });

  it('JavaScript: template literals with ${}, regex literals, block comments', () => {
    const src = [
      'const re = /[0-9]+\\/[1, 2]/g;',
      'const s = `row ${[1, 2].length} [3.0, 4.0] ${`nested [5]`}`;',
      '/* const logits = [[9.0, 9.0]]; */',
      'const half = 10 / 2 / [1].length;',
      'const logits = [[0.1, 2.0, -1.0], [1.5, 0.5, 0.0]];',
      'const labels = [1, 0];',
    ].join('\n');
    const doc = analyzeText(src, { fileName: 'a.js' });
    expect(doc.arrays.filter((a) => a.name === 'logits' || a.name === 'labels').map((a) => a.line)).toEqual([5, 6]);
    expect(doc.pairs).toHaveLength(1);
    close(doc.pairs[0].loss, ref('js_object_props'), 1e-6);
  });
});

describe('JavaScript / TypeScript', () => {
  it('reads object properties as names', () => {
    const src = 'export const batch = {\n  logits: [[0.1, 2.0, -1.0], [1.5, 0.5, 0.0]],\n  labels: [1, 0],\n};\n';
    const doc = analyzeText(src, { fileName: 'batch.ts' });
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].logits).toMatchObject({ name: 'logits', line: 2 });
    expect(doc.pairs[0].dtype).toBe('float32');
    close(doc.pairs[0].loss, ref('js_object_props'), 1e-6);
  });

  it('new Float32Array / tf.tensor2d set the constructor and dtype', () => {
    const src =
      'const logits = tf.tensor2d([0.1, 2.0, -1.0, 1.5, 0.5, 0.0], [2, 3]);\nconst labels = new Int32Array([1, 0]);\n';
    const doc = analyzeText(src, { fileName: 'a.js' });
    const site = doc.arrays.find((a) => a.name === 'logits');
    expect(site).toMatchObject({ constructorName: 'tf.tensor2d', dtype: 'float32', shape: [2, 3] });
    expect(doc.pairs).toHaveLength(1);
    close(doc.pairs[0].loss, ref('js_object_props'), 1e-6);
  });
});

describe('JSON', () => {
  it('a request-like object: options, dtype and a claimed loss next to the data', () => {
    const value = ref('json_request');
    const src = JSON.stringify(
      {
        input: [
          [0.1, 2.0, -1.0],
          [1.5, 0.5, 0.0],
        ],
        target: [1, 0],
        reduction: 'sum',
        label_smoothing: 0.1,
        dtype: 'float64',
        expected_loss: value,
      },
      null,
      2,
    );
    const doc = analyzeText(src, { fileName: 'case.json' });
    expect(doc.pairs).toHaveLength(1);
    const p = doc.pairs[0];
    expect(p).toMatchObject({ dtype: 'float64', options: { reduction: 'sum', labelSmoothing: 0.1 } });
    close(p.loss, value, 1e-12);
    expect(doc.claims).toHaveLength(1);
    expect(doc.claims[0]).toMatchObject({ status: 'holds', pairId: 0 });
  });

  it('reports malformed JSON with its line, and keeps what it read', () => {
    const doc = analyzeText(
      '{\n  "logits": [[0.1, 2.0, -1.0], [1.5, 0.5, 0.0]],\n  "labels": [1, 0],\n  "x": [1, 2\n',
      { fileName: 'bad.json' },
    );
    expect(doc.findings.some((f) => f.code === 'parse_error')).toBe(true);
    expect(doc.arrays.map((a) => a.name)).toEqual(['logits', 'labels']);
  });
});

describe('Markdown', () => {
  it('a pycon transcript: prompts are code, the lines after them are output', () => {
    const md = [
      '# Demo',
      '',
      '```pycon',
      '>>> import torch',
      '>>> import torch.nn.functional as F',
      '>>> x = torch.tensor([[1.0, 0.5, -0.5]])',
      '>>> F.cross_entropy(x, torch.tensor([2]))',
      'tensor(2.1041)',
      '```',
      '',
    ].join('\n');
    const doc = analyzeText(md, { fileName: 't.md' });
    expect(doc.pairs).toHaveLength(1);
    close(doc.pairs[0].loss, ref('pycon'), 1e-6);
    expect(doc.claims).toHaveLength(1);
    expect(doc.claims[0]).toMatchObject({ line: 8, text: 'tensor(2.1041)', source: 'output' });
    expect(doc.claims[0].status).toBe(Math.abs(ref('pycon') - 2.1041) <= 5e-5 ? 'holds' : 'wrong');
  });

  it('an `Out:` line after a block, and prose numbers are ignored', () => {
    const md = [
      'The loss was 0.5 last time [1, 2, 3].',
      '',
      '```python',
      'import torch',
      'import torch.nn.functional as F',
      'print(F.cross_entropy(torch.tensor([[1.0, 0.5, -0.5]]), torch.tensor([2])))',
      '```',
      '',
      'Out: tensor(9.9999)',
      '',
    ].join('\n');
    const doc = analyzeText(md, { fileName: 't.md' });
    expect(doc.arrays).toHaveLength(2);
    expect(doc.claims).toHaveLength(1);
    expect(doc.claims[0]).toMatchObject({ line: 9, status: 'wrong' });
    const fix = doc.findings.find((f) => f.code === 'claim_mismatch')?.fix;
    expect(fix && md.slice(fix.start, fix.end)).toBe('tensor(9.9999)');
  });
});

describe('notebooks through analyzeNotebook', () => {
  it('cells form one program; stored outputs are claims; positions are cell-relative', () => {
    const doc = analyzeNotebook([
      { kind: 'markdown', source: '# Title with [1.0, 2.0]' },
      { kind: 'code', source: 'import torch\nimport torch.nn.functional as F' },
      { kind: 'code', source: 'x = torch.tensor([[0.25, 0.5, 0.75, 1.0]])\ny = torch.tensor([3])', outputs: [] },
      {
        kind: 'code',
        source: 'loss = F.cross_entropy(x, y)\nprint("loss:", loss)\nloss.item()',
        outputs: ['loss: tensor(1.0500)\n', '1.0500164031982422'],
      },
    ]);
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].logits).toMatchObject({ cell: 2, line: 1 });
    expect(doc.pairs[0].call).toMatchObject({ cell: 3, line: 1 });
    close(doc.pairs[0].loss, ref('notebook_api'), 1e-6);
    expect(doc.claims.map((c) => [c.cell, c.line, c.text, c.status])).toEqual([
      [3, 2, 'tensor(1.0500)', 'holds'],
      [3, 3, '1.0500164031982422', 'holds'],
    ]);
  });

  it('a notebook that is not JSON is a parse error, not a crash', () => {
    const doc = analyzeText('{"cells": [', { fileName: 'broken.ipynb' });
    expect(doc.findings[0].code).toBe('parse_error');
  });
});
