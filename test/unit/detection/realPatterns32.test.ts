/**
 * Class indices of 32, 16 or 8 bits by every road that reaches a torch loss (docs/detection.md 3.46),
 * in snippets written for this project by test/fixtures/realpatterns32/gen_realpatterns32.py (numbers
 * and torch's error messages from torch 1.13). Before, only `dtype=torch.int32` and `.int()` were
 * known to be narrow: numpy int32 arrays through torch.from_numpy / as_tensor / tensor,
 * `.type(torch.IntTensor)`, `.char()`, int32 arithmetic, a filled `torch.zeros(dtype=torch.int32)`,
 * cat of int32 parts and formulas indexing with an int32 tensor all gave a number where torch raises.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns32', 'narrow integer class indices', {
  least: { snippets: 12, negatives: 5, wrongClaims: 5 },
  exhaustive: true,
});

const dir = path.resolve(__dirname, '../../fixtures/realpatterns32');
const errors = JSON.parse(readFileSync(path.join(dir, 'errors.json'), 'utf8')) as {
  errors: { file: string; line: number; message: string }[];
};

describe("torch's error where torch raises", () => {
  it('lists every loss call of the generator that raises "expected scalar type"', () => {
    expect(errors.errors.length).toBeGreaterThanOrEqual(12);
  });
  for (const e of errors.errors)
    it(`${e.file}:${e.line} gives "${e.message}"`, () => {
      const doc = analyzeText(readFileSync(path.join(dir, e.file), 'utf8'), { fileName: path.basename(e.file) });
      const p = doc.pairs.find((x) => x.call?.line === e.line);
      expect(p, JSON.stringify(doc.pairs.map((x) => x.call?.line))).toBeDefined();
      expect(p?.loss).toBeNull();
      expect(p?.error).toEqual({ code: 'narrow_int_target', message: e.message });
    });
});

const py = (target: string, extra: string[] = []) =>
  analyzeText(
    [
      'import numpy as np',
      'import torch',
      'import torch.nn.functional as F',
      'x = torch.tensor([[0.7, -0.4, 1.3], [2.2, 0.5, -1.0]])',
      ...extra,
      `t = ${target}`,
      'loss = F.cross_entropy(x, t)',
    ].join('\n') + '\n',
    { fileName: 't.py' },
  ).pairs.find((p) => p.call?.line === 6 + extra.length);

describe('the width of an integer array', () => {
  it('is decided by the named dtype wherever numpy or torch takes one', () => {
    for (const [t, width] of [
      ["torch.from_numpy(np.array([2, 0], dtype='int16'))", 'Short'],
      ['torch.as_tensor(np.array([2, 0], np.int8))', 'Char'],
      ["torch.tensor([2, 0]).type('torch.cuda.IntTensor')", 'Int'],
      ['torch.tensor([2, 0]).to(dtype=torch.short)', 'Short'],
      ["torch.tensor(np.array([2, 0]).astype('i4'))", 'Int'],
      ['torch.zeros_like(torch.tensor([2, 0]), dtype=torch.int32) + 1', 'Int'],
    ])
      expect(py(t)?.error?.message, t).toBe(`expected scalar type Long but found ${width}`);
  });

  it('is int64 again after a conversion, a Python list, or a wider operand', () => {
    for (const t of [
      'torch.from_numpy(np.array([2, 0], dtype=np.int32)).long()',
      'torch.tensor(np.array([2, 0], dtype=np.int32).tolist())',
      "torch.tensor(np.array([2, 0], dtype='int32'), dtype=torch.long)",
      'torch.from_numpy(np.array([2, 0], dtype=np.int32).astype(np.int64))',
      'torch.IntTensor([2, 0]) + torch.LongTensor([0, 0])',
      'torch.IntTensor([2, 0]).to(torch.tensor([0, 1]))',
      'torch.argmax(torch.IntTensor([[0, 0, 5], [3, 1, 1]]), dim=1)',
      'torch.IntTensor([2, 0]).sum(0, keepdim=True).repeat(2)',
    ])
      expect(py(t)?.error ?? null, t).toBeNull();
  });

  it('follows torch: a 0-d int64 tensor beside an int32 array with dimensions does not widen it', () => {
    expect(py('torch.IntTensor([2, 0]) + torch.tensor(0)')?.error?.code).toBe('narrow_int_target');
    expect(py('torch.IntTensor([2, 0]) + torch.tensor([0])')?.error ?? null).toBeNull();
  });

  it('keeps its width through a device move given by name, and takes another tensor’s dtype', () => {
    expect(py('torch.IntTensor([2, 0]).to(device)', ["device = torch.device('cpu')"])?.error?.code).toBe(
      'narrow_int_target',
    );
    expect(py('torch.tensor([2, 0]).to(x)')?.error?.message).toBe('expected scalar type Long but found Float');
  });
});

describe("OneFlow's tensor functions read as torch's (3.47)", () => {
  const flow = (lines: string[]) =>
    analyzeText(['import oneflow as flow', 'import oneflow.nn.functional as OF', ...lines].join('\n') + '\n', {
      fileName: 'f.py',
    }).pairs;
  const w = 'w = flow.tensor([[1.4, -0.2, 0.3], [-0.5, 0.9, 2.1]])';
  const c = 'c = flow.tensor([0, 2], dtype=flow.int64)';

  it('gives flow.log_softmax into a OneFlow loss the number of the loss on the raw scores, and keeps OneFlow as its library', () => {
    const [viaLogSoftmax] = flow([w, c, 'l = flow.nn.NLLLoss()(flow.log_softmax(w, dim=1), c)']);
    const [direct] = flow([w, c, 'l = flow.nn.CrossEntropyLoss()(w, c)']);
    expect(direct.loss).not.toBeNull();
    expect(viaLogSoftmax.loss).toBe(direct.loss);
    expect(viaLogSoftmax.recogniser).toBe('oneflow.nn.NLLLoss');
    expect(viaLogSoftmax.library).toBe('oneflow');
  });

  it('reads OneFlow modules and functions only where they are torch’s, not every oneflow path', () => {
    const [module] = flow([w, c, 'sm = flow.nn.LogSoftmax(dim=1)', 'l = OF.nll_loss(sm(w), c)']);
    expect(module.loss).not.toBeNull();
    // A OneFlow function this page does not list stays unknown: no number.
    expect(
      flow([w, c, 'l = flow.nn.NLLLoss()(flow.special_log_softmax(w, dim=1), c)']).filter((p) => p.loss !== null),
    ).toEqual([]);
  });
});
