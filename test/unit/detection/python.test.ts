/**
 * Python detection on small sources, against values recorded from real PyTorch by
 * reference.py (reference.json), plus the seed example file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { pythonRepr, type DocumentAnalysis, type PairAnalysis } from '../../../src/core/detection';

interface Ref {
  source: string;
  values: Record<string, number | number[][] | string>;
}
const reference = JSON.parse(readFileSync(join(__dirname, '../../fixtures/snippets/reference.json'), 'utf8')) as {
  python: Record<string, Ref>;
  other: Record<string, { value: number }>;
};

function analyze(name: string, extra = ''): { doc: DocumentAnalysis; ref: Ref } {
  const ref = reference.python[name];
  return { doc: analyzeText(ref.source + extra, { fileName: `${name}.py` }), ref };
}

function relClose(a: number | null, b: number, rel: number): void {
  expect(a).not.toBeNull();
  expect(Math.abs((a as number) - b), `${a} vs torch ${b}`).toBeLessThanOrEqual(rel * Math.abs(b));
}

function byResult(doc: DocumentAnalysis, name: string): PairAnalysis {
  const p = doc.pairs.find((x) => x.call?.resultName === name);
  expect(p, `pair assigned to ${name}; found ${doc.pairs.map((x) => x.call?.resultName).join(', ')}`).toBeDefined();
  return p as PairAnalysis;
}

describe('python detection (values from torch)', () => {
  it('log_softmax as a method, then nll_loss: computed on the logits', () => {
    const { doc, ref } = analyze('method_log_softmax');
    const p = byResult(doc, 'loss');
    expect(p.call?.kind).toBe('nll_loss');
    expect(p.inputTransform).toBe('log_softmax');
    expect(doc.findings.filter((f) => f.code === 'log_probs_expected')).toEqual([]);
    relClose(p.loss, ref.values.loss as number, 1e-6);
  });

  it('.double() makes the pair float64', () => {
    const { doc, ref } = analyze('double_method');
    const p = byResult(doc, 'loss');
    expect(p.dtype).toBe('float64');
    relClose(p.loss, ref.values.loss as number, 1e-12);
  });

  it('arithmetic on the logits in the call (temperature) is applied', () => {
    const { doc, ref } = analyze('temperature');
    relClose(byResult(doc, 'loss').loss, ref.values.loss as number, 1e-6);
  });

  it('.view(2, 3) reshapes, reduction= is read', () => {
    const { doc, ref } = analyze('view_unsqueeze');
    const p = byResult(doc, 'loss');
    expect(p.inputShape).toEqual([2, 3]);
    expect(p.options.reduction).toBe('sum');
    relClose(p.loss, ref.values.loss as number, 1e-6);
  });

  it('a positional weight and ignore_index', () => {
    const { doc, ref } = analyze('positional_weight');
    const p = byResult(doc, 'loss');
    expect(p.options.weight).toEqual([0.5, 1, 2]);
    expect(p.options.ignoreIndex).toBe(0);
    relClose(p.loss, ref.values.loss as number, 1e-6);
  });

  it('class bodies and self attributes do not disturb module-level pairs', () => {
    const { doc, ref } = analyze('self_attribute');
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].options.labelSmoothing).toBe(0.2);
    relClose(doc.pairs[0].loss, ref.values.loss as number, 1e-6);
  });

  it('function parameters shadow the module-level arrays', () => {
    const { doc, ref } = analyze('function_scope');
    expect(doc.pairs).toHaveLength(1);
    expect(doc.pairs[0].call?.line).toBe(7);
    relClose(doc.pairs[0].loss, ref.values.loss as number, 1e-6);
  });

  it('the formula with logsumexp, and as -log(softmax[t])', () => {
    const a = analyze('logsumexp_formula');
    const p = byResult(a.doc, 'loss');
    expect(p.call?.kind).toBe('formula');
    expect(p.dtype).toBe('float64');
    relClose(p.loss, a.ref.values.loss as number, 1e-12);
    const b = analyze('neglog_formula');
    const q = byResult(b.doc, 'loss');
    expect(q.call?.kind).toBe('formula');
    relClose(q.loss, b.ref.values.loss as number, 1e-12);
  });

  it('evaluates arithmetic over detected losses for claims', () => {
    const { ref } = analyze('scalar_arith');
    const total = ref.values.total as number;
    const { doc } = analyze(
      'scalar_arith',
      `print(total)  # ${pythonRepr(total)}\nprint(total * unknown_thing)  # 1.5\n`,
    );
    relClose(byResult(doc, 'a').loss, ref.values.a as number, 1e-6);
    relClose(byResult(doc, 'b').loss, ref.values.b as number, 1e-6);
    expect(doc.claims[0]).toMatchObject({ status: 'holds', pairId: null, expression: 'total' });
    relClose(doc.claims[0].computed, total, 1e-6);
    expect(doc.claims[1].status).toBe('unverified');
  });

  it('non-finite literals mask classes', () => {
    const { doc, ref } = analyze('nonfinite_literals');
    relClose(byResult(doc, 'loss').loss, ref.values.loss as number, 1e-6);
  });

  it("K-dim input with reduction='none' gives per-position losses", () => {
    const { doc, ref } = analyze('kdim_none');
    const p = byResult(doc, 'losses');
    expect(p.loss).toBeNull();
    const want = (ref.values.losses as number[][]).flat();
    expect(p.losses?.length).toBe(want.length);
    p.losses?.forEach((v, i) => relClose(v, want[i], 1e-6));
  });
});

describe('the seed example (examples/seed_blog.py)', () => {
  const text = readFileSync(join(__dirname, '../../../examples/seed_blog.py'), 'utf8');
  const doc = analyzeText(text, { fileName: 'seed_blog.py' });

  it('finds the three cases, the single sample, the formula, the batch and the two formula losses', () => {
    expect(doc.pairs.map((p) => p.call?.kind)).toEqual([
      'CrossEntropyLoss',
      'user_function',
      'NLLLoss',
      'CrossEntropyLoss',
      'formula',
      'CrossEntropyLoss',
      'formula',
      'formula',
    ]);
    const single = reference.other.seed_single.value;
    for (const i of [0, 1, 2, 3]) relClose(doc.pairs[i].loss, single, 1e-7);
    relClose(doc.pairs[5].loss, reference.other.seed_batch.value, 1e-7);
    expect(doc.pairs[4].dtype).toBe('float64');
    // Case 2 and 3 are computed from x through log_softmax.
    expect(doc.pairs[1].logits).toMatchObject({ name: 'x', argName: 'x_log' });
    expect(doc.pairs[2].options.inputKind).toBe('log_probs');
  });

  // The example must run under real PyTorch and print exactly what its comments claim.
  const python = '/usr/bin/python3';
  const hasTorch = existsSync(python) && spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!hasTorch)(
    'runs under torch and prints the values its comments claim',
    () => {
      const r = spawnSync(python, [join(__dirname, '../../../examples/seed_blog.py')], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const printed = r.stdout.trim().split('\n');
      expect(printed).toEqual(doc.claims.map((c) => c.text));
    },
    60_000,
  );

  it('every claim holds, including the averaged float64 one', () => {
    expect(doc.claims).toHaveLength(7);
    expect(doc.claims.map((c) => c.status)).toEqual(Array(7).fill('holds'));
    const avg = doc.claims[6];
    expect(avg).toMatchObject({ text: '2.351937720511233', pairId: null, expression: '(loss1 + loss2)/2' });
    expect(doc.findings).toEqual([]);
  });
});
