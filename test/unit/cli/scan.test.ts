/** `loss-inspector scan` as a black box (spawns a freshly built CLI, cliBuild.ts). Reference losses: torch (reference.json). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCli, root, runCli } from './cliBuild';

const reference = JSON.parse(readFileSync(join(root, 'test/fixtures/snippets/reference.json'), 'utf8')) as {
  other: Record<string, { value: number }>;
};
const seedSingle = reference.other.seed_single.value;
const seedBatch = reference.other.seed_batch.value;

beforeAll(ensureCli);

describe('loss-inspector scan', () => {
  it('--json: the seed example, in the shape of docs/cli.md', () => {
    const r = runCli(['scan', '--json', 'examples/seed_blog.py']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.files).toHaveLength(1);
    const file = json.files[0];
    expect(file.path).toBe('examples/seed_blog.py');
    expect(file.errors).toEqual([]);
    expect(file.pairs).toHaveLength(8);
    const first = file.pairs[0];
    expect(first.logits).toMatchObject({ name: 'x', line: 14, shape: [1, 10] });
    expect(first.target).toMatchObject({ name: 'y', line: 15, shape: [1] });
    expect(first).toMatchObject({ reduction: 'mean', dtype: 'float32', printed: 'tensor(2.1438)' });
    expect(Math.abs(first.loss - seedSingle)).toBeLessThan(1e-7);
    expect(first.claims).toEqual([
      expect.objectContaining({ line: 19, text: 'tensor(2.1438)', value: 2.1438, holds: true }),
    ]);
    const batch = file.pairs[5];
    expect(batch.logits).toMatchObject({ name: 'output', line: 60, shape: [2, 10] });
    expect(Math.abs(batch.loss - seedBatch)).toBeLessThan(1e-7);
    expect(file.pairs[4]).toMatchObject({
      dtype: 'float64',
      call: expect.objectContaining({ kind: 'formula', result_name: 'loss' }),
    });
    // The averaged claim is over an expression, not one pair.
    expect(file.claims[6]).toMatchObject({
      text: '2.351937720511233',
      holds: true,
      pair: null,
      expression: '(loss1 + loss2)/2',
    });
  });

  it('human form: where, shapes, options, dtype, the loss as torch prints it and a per-sample table', () => {
    const r = runCli(['scan', 'examples/seed_blog.py']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('examples/seed_blog.py: 8 pairs, 7 claims');
    expect(r.out).toContain('examples/seed_blog.py:70');
    expect(r.out).toMatch(/logits\s+output\s+line 60\s+shape \[2, 10\]\s+torch\.Tensor float32/);
    expect(r.out).toContain('options  reduction=mean ignore_index=-100 label_smoothing=0 weight=none input=logits');
    expect(r.out).toContain('loss     tensor(2.3519)');
    expect(r.out).toMatch(/sample\s+target\s+logit\[target\]\s+logsumexp\s+p\[target\]\s+loss/);
    expect(r.out).toMatch(/\n\s+1\s+5\s+0\.3143\s+/);
  });

  it('a batch without rows: torch\'s nan (JSON "NaN"), and a line instead of an empty per-sample table', () => {
    // torch 1.13: CrossEntropyLoss()(torch.zeros(0, 4), torch.zeros(0, dtype=torch.long)) is tensor(nan).
    const json = JSON.parse(runCli(['scan', '--json', 'test/fixtures/workspace/empty_batch.py']).out);
    const [pair] = json.files[0].pairs;
    expect(pair).toMatchObject({ loss: 'NaN', printed: 'tensor(nan)', error: null, input_shape: [0, 4] });
    // The file's other pair has no classes at all (C = 0): that one is refused, this one is not.
    expect(json.files[0].findings.map((f: { code: string; pair: number }) => [f.code, f.pair])).toEqual([
      ['empty_input', 1],
    ]);
    const text = runCli(['scan', 'test/fixtures/workspace/empty_batch.py']).out;
    expect(text).toContain('loss     tensor(nan)');
    expect(text).toContain('none: the input [0, 4] has no rows, so the mean is 0/0 = nan');
    expect(text).not.toContain('logit[target]');
  });

  it('a binary pair shows its own options and calls probabilities probabilities (text and --json)', () => {
    const file = 'test/fixtures/realpatterns5/snippets/torch_modules.py';
    const r = runCli(['scan', file]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\n\s+probabilities\s+probs\s+line 5/);
    expect(r.out).toContain('options  reduction=mean weight=[0.5, 2] input=probabilities (a binary cross-entropy');
    expect(r.out).toMatch(/\n\s+logits\s+logits\s+line 7/);
    expect(r.out).toContain('pos_weight=[3, 0.5] input=logits');
    expect(r.out).not.toMatch(/ignore_index/);
    const pairs = JSON.parse(runCli(['scan', '--json', file]).out).files[0].pairs;
    expect(pairs.map((p: { input_role: string }) => p.input_role)).toEqual([
      'probabilities',
      'probabilities',
      'logits',
      'logits',
      'probabilities',
    ]);
    expect(pairs[0].binary).toEqual({
      reduction: 'mean',
      weight: [0.5, 2],
      pos_weight: null,
      from_logits: false,
      label_smoothing: 0,
    });
    expect(pairs[2].binary).toMatchObject({ pos_weight: [3, 0.5], from_logits: true });
    // The CLI contract keeps every field: CrossEntropyLoss's options object is still there.
    expect(pairs[0].options).toHaveProperty('ignore_index');
  });

  it('--dtype float64 computes every pair in float64', () => {
    const r = runCli(['scan', '--json', '--dtype', 'float64', 'examples/seed_blog.py']);
    const pairs = JSON.parse(r.out).files[0].pairs;
    expect(
      pairs.every(
        (p: { dtype: string; dtype_source: string }) => p.dtype === 'float64' && p.dtype_source === 'override',
      ),
    ).toBe(true);
  });

  it('notebooks carry the cell of every position', () => {
    const r = runCli(['scan', '--json', 'test/fixtures/detection/notebooks/seed_batch.ipynb']);
    const file = JSON.parse(r.out).files[0];
    expect(file.pairs[0].logits).toMatchObject({ cell: 2, line: 1 });
    expect(file.pairs[0].call).toMatchObject({ cell: 5, line: 2 });
    expect(file.claims[0]).toMatchObject({ cell: 5, source: 'output', holds: true });
  });

  it('reports files with no pairs, and errors with their line', () => {
    const r = runCli([
      'scan',
      '--json',
      'test/fixtures/detection/python/hostile_ragged.py',
      'test/fixtures/detection/json/config.json',
    ]);
    expect(r.code).toBe(0);
    const [ragged, config] = JSON.parse(r.out).files;
    expect(ragged.errors[0]).toMatchObject({ line: 5, code: 'ragged_array' });
    expect(config.pairs).toEqual([]);
  });

  it('exit 2 for usage and read errors', () => {
    expect(runCli(['scan']).code).toBe(2);
    expect(runCli(['scan', '--dtype', 'float16', 'examples/seed_blog.py']).code).toBe(2);
    expect(runCli(['scan', '--bogus', 'examples/seed_blog.py']).code).toBe(2);
    const missing = runCli(['scan', 'no/such/file.py']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no/such/file.py: cannot read: no such file');
  });
});

describe('scan: a loss assumed to be torch’s', () => {
  // Snippets that leave their imports out: F and torch are read as torch's, and the output says so.
  const dir = mkdtempSync(join(tmpdir(), 'li-assumed-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, lines: string[]) => {
    const p = join(dir, name);
    writeFileSync(p, lines.join('\n') + '\n');
    return p;
  };
  const call = file('call.py', [
    'x = [[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]]',
    'y = [1, 2]',
    'loss = F.cross_entropy(torch.tensor(x), torch.tensor(y))',
  ]);
  const formula = file('formula.py', [
    'x = torch.tensor([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]])',
    'y = torch.tensor([1, 2])',
    'loss = -torch.log(torch.softmax(x, 1))[range(2), y].mean()',
  ]);
  const imported = file('imported.py', [
    'import torch',
    'import torch.nn.functional as F',
    'x = torch.tensor([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]])',
    'y = torch.tensor([1, 2])',
    'a = F.cross_entropy(x, y)',
    'b = -torch.log(torch.softmax(x, 1))[range(2), y].mean()',
  ]);

  it('--json: `assumed` names the unbound name and what it was read as; none where the file imports it', () => {
    const r = runCli(['scan', '--json', call, formula, imported]);
    expect(r.code).toBe(0);
    const [c, f, i] = (JSON.parse(r.out) as { files: { pairs: Record<string, unknown>[] }[] }).files;
    expect(c.pairs).toHaveLength(1);
    expect(c.pairs[0].assumed).toEqual({ name: 'F', path: 'torch.nn.functional.cross_entropy' });
    expect(f.pairs).toHaveLength(1);
    expect(f.pairs[0]).toMatchObject({ recogniser: 'formula.log_softmax_pick' });
    expect(f.pairs[0].assumed).toEqual({ name: 'torch', path: 'torch.tensor' });
    expect(i.pairs).toHaveLength(2);
    for (const p of i.pairs) expect(p).not.toHaveProperty('assumed');
  });

  it('text: the pair line ends "(assumed torch)" and a line says why', () => {
    const r = runCli(['scan', call, formula, imported]);
    expect(r.code).toBe(0);
    const pairLines = r.out.split('\n').filter((l) => /^ {2}pair \d/.test(l));
    expect(pairLines).toHaveLength(4);
    expect(pairLines.map((l) => l.endsWith(' (assumed torch)'))).toEqual([true, true, false, false]);
    expect(r.out).toContain(
      '    assumed  F is not imported in this file: read as torch.nn.functional.cross_entropy.\n',
    );
    expect(r.out).toContain('    assumed  torch is not imported in this file: read as torch.tensor.\n');
    expect(r.out.match(/ {4}assumed {2}/g)).toHaveLength(2);
  });
});
