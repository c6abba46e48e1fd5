/**
 * How other libraries' pairs are named and whether "Copy as PyTorch" is offered for them, on the
 * generated library snippets (test/fixtures/libraries) and a tfjs file: the title is the library's
 * call with the options that change its meaning, and the snippet is offered exactly when torch's
 * CrossEntropyLoss / NLLLoss gives the library's number. Where it is offered, the snippet the copy
 * command writes (through the worker's inspect, as the editor does) is run by real PyTorch when
 * /usr/bin/python3 has it, and must print the library's number.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportOfInspection, formatBreakdown } from '../../../src/core/breakdownExport';
import type { PairAnalysis } from '../../../src/core/detection';
import { pairIdentity, torchExport } from '../../../src/core/libraryView';
import { pairTitle } from '../../../src/core/sharedText';
import { englishL10n } from '../../../src/editor/format';
import { AnalysisService } from '../../../src/worker/analysisService';

const fixtures = path.resolve(__dirname, '../../fixtures');

function analysed(file: string): { service: AnalysisService; pairs: PairAnalysis[]; key: string } {
  const service = new AnalysisService();
  const text = readFileSync(path.join(fixtures, file), 'utf8');
  const key = `file:${file}`;
  const reply = service.analyze({ key, version: 1, text, fileName: path.basename(file) });
  return { service, pairs: reply.analysis.pairs, key };
}

const at = (pairs: PairAnalysis[], line: number) => {
  const found = pairs.filter((p) => p.call?.line === line);
  expect(found, `one pair on line ${line}`).toHaveLength(1);
  return found[0];
};

describe('titles of library pairs', () => {
  it('name the call with the options that change what it computes', () => {
    const keras = analysed('libraries/snippets/keras.py').pairs;
    const title = (line: number) => {
      const id = pairIdentity(at(keras, line));
      return id.family === 'library' ? id.title : id.family;
    };
    expect(title(8)).toBe('keras.losses.CategoricalCrossentropy');
    expect(title(13)).toBe("keras.losses.CategoricalCrossentropy(reduction='sum')");
    expect(title(20)).toBe('keras.losses.CategoricalCrossentropy(from_logits=True)');
    expect(title(22)).toBe('keras.losses.CategoricalCrossentropy(label_smoothing=0.2)');
    expect(title(29)).toBe('keras.losses.SparseCategoricalCrossentropy(from_logits=True)');
    const sk = analysed('libraries/snippets/sklearn_log_loss.py').pairs;
    expect(pairIdentity(at(sk, 6))).toMatchObject({
      family: 'library',
      name: 'scikit-learn',
      title: 'sklearn.metrics.log_loss',
    });
    const tfjs = analysed('detection/javascript/tfjs.js').pairs;
    expect(pairIdentity(tfjs[0])).toMatchObject({ name: 'TensorFlow.js', title: 'tf.losses.softmaxCrossEntropy' });
  });

  it('name a numpy formula by its library and its form, and leave torch losses alone', () => {
    const service = new AnalysisService();
    const text = [
      'import numpy as np',
      'import torch',
      'x = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])',
      'y = np.array([0, 1])',
      'p = np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)',
      'loss = -np.mean(np.log(p[range(2), y]))',
      'out = torch.tensor([[2.0, 1.0, 0.1]])',
      'ce = torch.nn.CrossEntropyLoss()(out, torch.tensor([0]))',
    ].join('\n');
    const { pairs } = service.analyze({ key: 'np', version: 1, text, fileName: 'np.py' }).analysis;
    const formula = pairs.find((p) => p.call?.line === 6)!;
    expect(pairIdentity(formula)).toEqual({
      family: 'formula',
      library: 'numpy',
      name: 'numpy',
      words: '−log_softmax(x)[y]',
    });
    // The core gives the library and the formula; the surface's language writes the title.
    expect(pairTitle(pairIdentity(formula), englishL10n)).toBe('numpy formula −log_softmax(x)[y]');
    expect(torchExport(formula)).toEqual({ offered: true });
    expect(pairIdentity(pairs.find((p) => p.call?.line === 8)!)).toEqual({ family: 'torch' });
  });

  it('name a cross-entropy in bits as such, and offer no torch copy of it (torch gives nats)', () => {
    const service = new AnalysisService();
    const text = [
      'from math import log2',
      'def bits(t, q):',
      '    return -sum([t[k] * log2(q[k]) for k in range(len(t))])',
      'h = bits([0.5, 0.5], [0.25, 0.75])',
    ].join('\n');
    const { pairs } = service.analyze({ key: 'bits', version: 1, text, fileName: 'bits.py' }).analysis;
    const pair = pairs.find((p) => p.call?.line === 4)!;
    expect(pair.loss).toBeCloseTo(-(0.5 * Math.log2(0.25) + 0.5 * Math.log2(0.75)), 12);
    expect(pairIdentity(pair)).toMatchObject({ family: 'formula', name: 'Python' });
    expect(pairTitle(pairIdentity(pair), englishL10n)).toBe('Python formula −Σ y·log₂ q (bits)');
    expect(torchExport(pair)).toEqual({ offered: false, reason: 'bits' });
  });
});

/** Every pair of the files with whether Copy as PyTorch must be offered, and why not. */
const decisions: [file: string, line: number, expected: ReturnType<typeof torchExport>][] = [
  ['libraries/snippets/keras.py', 8, { offered: false, reason: 'probabilities' }],
  ['libraries/snippets/keras.py', 10, { offered: false, reason: 'probabilities' }],
  ['libraries/snippets/keras.py', 20, { offered: true }],
  ['libraries/snippets/keras.py', 27, { offered: false, reason: 'probabilities' }],
  ['libraries/snippets/keras.py', 29, { offered: true }],
  ['libraries/snippets/tf_nn.py', 5, { offered: true }],
  ['libraries/snippets/tf_nn.py', 7, { offered: true }],
  ['libraries/snippets/optax_losses.py', 6, { offered: true }],
  ['libraries/snippets/optax_losses.py', 10, { offered: true }],
  ['libraries/snippets/mlx_losses.py', 6, { offered: true }],
  ['libraries/snippets/mlx_losses.py', 7, { offered: true }],
  ['libraries/snippets/mlx_losses.py', 10, { offered: false, reason: 'weights' }],
  ['libraries/snippets/mlx_losses.py', 13, { offered: false, reason: 'other' }],
  ['libraries/snippets/sklearn_log_loss.py', 6, { offered: false, reason: 'probabilities' }],
  ['libraries/snippets/sklearn_log_loss.py', 12, { offered: false, reason: 'probabilities' }],
  ['detection/javascript/tfjs.js', 11, { offered: true }],
  // PaddlePaddle's losses copy torch's: its kernel gives the number, so the snippet is offered
  // (class weights, labels of shape (N, 1), sums, vectors, NLLLoss of log_softmax, ignore_index),
  // except where paddle's classes are not modelled (3-D inputs) or the loss is binary.
  ['realpatterns10/snippets/paddle_cross_entropy.py', 9, { offered: true }],
  ['realpatterns10/snippets/paddle_cross_entropy.py', 11, { offered: true }],
  ['realpatterns10/snippets/paddle_cross_entropy.py', 15, { offered: true }],
  ['realpatterns10/snippets/paddle_cross_entropy.py', 18, { offered: false, reason: 'no_number' }],
  ['realpatterns10/snippets/paddle_nll_layer.py', 8, { offered: true }],
  ['realpatterns10/snippets/paddle_nll_layer.py', 11, { offered: true }],
  ['realpatterns10/snippets/paddle_binary.py', 6, { offered: false, reason: 'binary' }],
];

describe('Copy as PyTorch for library pairs', () => {
  for (const [file, line, expected] of decisions)
    it(`${file}:${line} ${expected.offered ? 'is offered' : `is not offered (${expected.reason})`}`, () => {
      expect(torchExport(at(analysed(file).pairs, line))).toEqual(expected);
    });

  it('is not offered for a library pair without a number', () => {
    const { pairs } = analysed('libraries/snippets/refusals.py');
    expect(pairs.length).toBeGreaterThan(0);
    for (const p of pairs.filter((x) => x.library !== undefined))
      expect(torchExport(p)).toEqual({ offered: false, reason: 'no_number' });
  });
});

const python = '/usr/bin/python3';
const torchMissing = (() => {
  const r = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
  return r.status === 0 ? null : `no torch in ${python}`;
})();

describe.skipIf(!!torchMissing)('the snippets run in real PyTorch', () => {
  it('print the number of the library call they name, for every pair they are offered for', () => {
    const cases: { name: string; snippet: string; loss: number | null; losses: number[] | null }[] = [];
    for (const [file, line, expected] of decisions) {
      if (!expected.offered) continue;
      const { service, pairs, key } = analysed(file);
      const pair = at(pairs, line);
      const identity = pairIdentity(pair);
      const inspection = service.inspect({ key, version: 1, pairId: pair.id, withData: true, topK: 0 });
      const snippet = formatBreakdown(
        'pytorch',
        exportOfInspection({
          pair,
          inspection,
          file: path.basename(file),
          decimals: 4,
          origin: identity.family === 'library' ? identity.title : null,
        }),
      );
      expect(snippet.split('\n')[0]).toMatch(/^# The same number as \S+/);
      cases.push({ name: `${file}:${line}`, snippet, loss: pair.loss, losses: pair.losses });
    }
    expect(cases.length).toBeGreaterThanOrEqual(9);
    // One Python process runs every snippet (importing torch once) and prints each loss as JSON.
    const runner = [
      'import json, sys',
      'cases = json.load(sys.stdin)',
      'out = []',
      'for c in cases:',
      "    ns = {'print': lambda *a, **k: None}",
      "    exec(c['snippet'], ns)",
      "    out.append(ns['loss'].tolist())",
      'print(json.dumps(out))',
    ].join('\n');
    const r = spawnSync(python, ['-c', runner], { input: JSON.stringify(cases), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const results = JSON.parse(r.stdout) as (number | number[])[];
    results.forEach((torchValue, i) => {
      const c = cases[i];
      const ours = c.loss ?? c.losses;
      const a = Array.isArray(torchValue) ? torchValue : [torchValue];
      const b = Array.isArray(ours) ? ours : [ours];
      expect(a.length, c.name).toBe(b.length);
      a.forEach((v, k) =>
        expect(Math.abs(v - (b[k] as number)), `${c.name}[${k}]: torch ${v}, ours ${b[k]}`).toBeLessThan(2e-6),
      );
    });
  });
});
