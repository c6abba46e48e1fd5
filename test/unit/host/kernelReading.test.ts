/**
 * NLLLoss of log_softmax(x) is torch's cross_entropy of x: the kernel keeps x and reads it as logits.
 * The panel (its options start from the code's) and "Copy as PyTorch" compute on those same values,
 * so they must read them as the kernel does; read as the call does (log-probabilities), they gave
 * NLLLoss of the raw logits, another number than the pair's.
 */
import { describe, expect, it } from 'vitest';
import { exportOfInspection } from '../../../src/core/breakdownExport';
import { codeOptions } from '../../../src/panel/panelDocument';
import { AnalysisService } from '../../../src/worker/analysisService';

const sources: [string, string[]][] = [
  [
    'torch',
    [
      'import torch',
      'import torch.nn.functional as F',
      'x = torch.tensor([[0.3, 1.2, -0.4], [1.0, 0.1, 2.0]])',
      'y = torch.tensor([1, 2])',
      'loss = F.nll_loss(F.log_softmax(x, dim=1), y)',
    ],
  ],
  [
    'PaddlePaddle',
    [
      'import paddle',
      'x = paddle.to_tensor([[0.3, 1.2, -0.4], [1.0, 0.1, 2.0]])',
      'y = paddle.to_tensor([1, 2])',
      'logp = paddle.nn.LogSoftmax(axis=1)(x)',
      'loss = paddle.nn.NLLLoss()(logp, y)',
    ],
  ],
];

describe('the values the kernel computes on are read as the kernel reads them', () => {
  for (const [name, lines] of sources)
    it(`${name}: the panel's options and the copy's give the pair's own number`, () => {
      const service = new AnalysisService();
      const { pairs } = service.analyze({ key: name, version: 1, text: lines.join('\n'), fileName: 'a.py' }).analysis;
      expect(pairs).toHaveLength(1);
      const pair = pairs[0];
      expect(pair.options.inputKind).toBe('log_probs');
      expect(pair.loss).not.toBeNull();
      const options = codeOptions(pair);
      expect(options.inputKind).toBe('logits');
      const panel = service.panelData({
        key: name,
        version: 1,
        pairId: pair.id,
        element: 0,
        options: { ...options, dtype: 'float32' },
      } as Parameters<AnalysisService['panelData']>[0]);
      expect(panel.result.loss).toBe(pair.loss);
      const inspection = service.inspect({ key: name, version: 1, pairId: pair.id, withData: true, topK: 0 });
      const e = exportOfInspection({ pair, inspection, file: 'a.py', decimals: 4 });
      expect(e.options.inputKind).toBe('logits');
    });
});
