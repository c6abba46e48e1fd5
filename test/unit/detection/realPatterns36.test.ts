/**
 * Printed forms from the nineteenth unseen set (docs/detection.md 3.62-3.66), in snippets written for
 * this project by test/fixtures/realpatterns36/gen_realpatterns36.py (numbers from torch 1.13): code in
 * Jekyll/Hugo `highlight` tags, torch's deprecated `size_average` / `reduce` flags, NaN constants and
 * argmax over NaN, a comment listing several tensors after the last of several statements, and a
 * console session kept in `#` comments (read as no code at all before). Before,
 * a template block was prose (no pair), `reduce=False` gave the mean where torch gives one loss per row
 * (a wrong number), argmax skipped NaN where torch picks it (a wrong number), `torch.nan` was no
 * number, and the first tensor of such a comment was judged against the last statement.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns36', 'template code blocks, legacy reduction flags, NaN argmax', {
  least: { snippets: 5, negatives: 3, wrongClaims: 4 },
  exhaustive: true,
});

const py = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 't.py' });
const head = ['import numpy as np', 'import torch', 'import torch.nn as nn', 'import torch.nn.functional as F'];
const x = 'torch.tensor([[1.0, 2.0, 0.5], [0.3, 0.2, 0.1]])';
const y = 'torch.tensor([0, 2])';

describe('legacy reduction flags', () => {
  // torch 1.13: per row [1.4644, 1.2019]; their mean 1.3332, their sum 2.6663.
  const rows = [1.4643688201904297, 1.2019429206848145];
  it('reads reduce=False as one loss per row and size_average=False as the sum, over reduction=', () => {
    const cases: [string, number | number[]][] = [
      [`F.cross_entropy(${x}, ${y}, reduce=False)`, rows],
      [`F.cross_entropy(${x}, ${y}, size_average=False)`, rows[0] + rows[1]],
      [`F.cross_entropy(${x}, ${y}, reduction='none', size_average=True)`, (rows[0] + rows[1]) / 2],
      [`F.cross_entropy(${x}, ${y}, reduction='mean', reduce=False, size_average=False)`, rows],
      [`nn.CrossEntropyLoss(None, False)(${x}, ${y})`, rows[0] + rows[1]],
      [`nn.NLLLoss(reduce=False)(F.log_softmax(${x}, dim=1), ${y})`, rows],
    ];
    for (const [call, want] of cases) {
      const pair = py([...head, `l = ${call}`]).pairs[0];
      expect(pair, call).toBeDefined();
      if (Array.isArray(want)) {
        expect(pair.losses?.length, call).toBe(2);
        want.forEach((w, k) => expect(pair.losses?.[k], call).toBeCloseTo(w, 4));
      } else expect(pair.loss, call).toBeCloseTo(want, 4);
    }
  });

  it('gives no number for a flag whose value is not known', () => {
    const pair = py([...head, 'flag = config.reduce', `l = F.cross_entropy(${x}, ${y}, reduce=flag)`]).pairs[0];
    expect(pair.loss).toBeNull();
    expect(pair.unverified).toMatch(/reduce=flag/);
  });
});

describe('NaN', () => {
  it('reads torch.nan, math.nan, np.nan and float("nan") as NaN', () => {
    for (const nan of ['torch.nan', 'np.nan', "float('nan')", 'float("NaN")']) {
      const pair = py([
        ...head,
        `t = torch.full((2, 3), ${nan}).argmax(1)`,
        `l = F.cross_entropy(torch.tensor([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]]), t)`,
      ]).pairs[0];
      // argmax of all-NaN rows is 0: the classes [0, 0].
      expect(pair?.loss, nan).toBeCloseTo((2.40760596 + 0.40760596) / 2, 5);
    }
  });

  it('ranks NaN above every number in argmax, the first NaN winning', () => {
    const pair = py([
      ...head,
      "t = torch.tensor([[1.0, float('nan'), 3.0, float('nan')]]).argmax(1)",
      'l = F.cross_entropy(torch.tensor([[0.0, 0.0, 5.0, 0.0]]), t)',
    ]).pairs[0];
    // class 1 (the first NaN), not 2 (the largest number).
    expect(pair.loss).toBeCloseTo(-Math.log(1 / (3 + Math.exp(5))), 4);
  });

  it('gives no index for a NaN under TensorFlow argmax', () => {
    const res = analyzeText(
      [
        'import tensorflow as tf',
        "t = tf.argmax(tf.constant([[1.0, float('nan')]]), axis=1)",
        'l = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=t, logits=tf.constant([[0.5, 2.0]]))',
      ].join('\n') + '\n',
      { fileName: 't.py' },
    );
    expect(res.pairs.every((p) => p.loss === null && (p.losses ?? null) === null)).toBe(true);
  });
});

describe('a console session in comments', () => {
  it('judges a prompt comment only as the session does, never as a lone comment of a pair above', () => {
    const res = analyzeText(
      readFileSync(join(__dirname, '../../fixtures/realpatterns36/snippets/session_in_comments.py'), 'utf8'),
      { fileName: 's.py' },
    );
    const wrong = res.claims.filter((c) => c.status === 'wrong').map((c) => [c.line, c.text]);
    expect(wrong).toEqual([[13, 'tensor(2.2072)']]);
  });
});
