/**
 * "Copy as PyTorch" of a hand-written formula: torch's loss computes it again on the values the
 * formula's own arithmetic reads. For −log(p[y] + ε) those are the logs the formula takes, ε
 * included (so the copy gives the formula's number, not torch's NLLLoss of log p), and the copy must
 * call them logs: before, they were pasted under the code's name for the probabilities (`p =
 * torch.tensor([-2.30, …])`), with nothing saying a formula was computed again.
 */
import { describe, expect, it } from 'vitest';
import { exportOfInspection, formatBreakdown } from '../../../src/core/breakdownExport';
import { codeOptions } from '../../../src/panel/panelDocument';
import { panelExport } from '../../../src/panel/panelExport';
import type { PairSummary } from '../../../src/protocol/webview';
import { AnalysisService } from '../../../src/worker/analysisService';

function copyOf(lines: string[]): { text: string; service: AnalysisService } {
  const service = new AnalysisService();
  const { pairs } = service.analyze({ key: 'a', version: 1, text: lines.join('\n'), fileName: 'a.py' }).analysis;
  expect(pairs).toHaveLength(1);
  const pair = pairs[0];
  const inspection = service.inspect({ key: 'a', version: 1, pairId: pair.id, withData: true, topK: 0 });
  return {
    text: formatBreakdown('pytorch', exportOfInspection({ pair, inspection, file: 'a.py', decimals: 4 })),
    service,
  };
}

/** The numbers of the first `name = torch.tensor([...])` line. */
function tensorValues(text: string, name: string): number[] {
  const line = text.split('\n').find((l) => l.startsWith(`${name} = torch.tensor(`));
  expect(line, `no ${name} = torch.tensor(…) in\n${text}`).toBeDefined();
  return (line!.match(/-?\d+\.?\d*(e-?\d+)?(?=[,\]])/g) ?? []).map(Number);
}

const userFunction = [
  'import numpy as np',
  'def cross_entropy(p, y):',
  '    return -np.mean(np.log(p[np.arange(len(y)), y] + 1e-9))',
  'p = np.array([[0.1, 0.7, 0.2], [0.3, 0.3, 0.4]])',
  'y = np.array([1, 2])',
  'loss = cross_entropy(p, y)',
];

describe('a formula that takes the log of probabilities, with an epsilon', () => {
  const { text } = copyOf(userFunction);

  it('names the values as the logs the formula takes, never as the code’s p', () => {
    expect(text).not.toMatch(/^p = torch\.tensor/m);
    const logs = tensorValues(text, 'log_p');
    const p = [0.1, 0.7, 0.2, 0.3, 0.3, 0.4];
    expect(logs).toEqual(p.map((v) => Math.log(v + 1e-9)));
    expect(text).toContain('loss = criterion(log_p, y)');
  });

  it('says which formula it computes again, and that the number is the same up to rounding', () => {
    expect(text).toMatch(
      /^# The hand formula −log\(p\[y\] \+ 1e-9\), computed again with torch's NLLLoss: the same number up to rounding\n# log_p holds the logs the formula takes of p, as it computes them \(with any epsilon it adds\)\n/,
    );
    expect(text).toContain('print(loss)  # tensor(0.6365, dtype=torch.float64)');
  });
});

describe('a formula on logits', () => {
  it('keeps the code’s name and says torch’s CrossEntropyLoss computes it again', () => {
    const { text } = copyOf([
      'import numpy as np',
      'x = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])',
      'y = np.array([0, 1])',
      'loss = np.mean(np.log(np.sum(np.exp(x), axis=1)) - x[np.arange(2), y])',
    ]);
    expect(text.split('\n')[0]).toBe(
      "# The hand formula log Σ exp(x) − x[y], computed again with torch's CrossEntropyLoss: the same number up to rounding",
    );
    expect(tensorValues(text, 'x')).toEqual([2, 1, 0.1, 0.5, 2.5, 0.3]);
    expect(text).not.toContain('holds the logs');
  });
});

describe('torch’s own loss', () => {
  it('says nothing of a formula', () => {
    const { text } = copyOf([
      'import torch',
      'x = torch.tensor([[2.0, 1.0, 0.1]])',
      'y = torch.tensor([0])',
      'loss = torch.nn.functional.cross_entropy(x, y)',
    ]);
    expect(text).not.toContain('hand formula');
    expect(text).toMatch(/^x = torch\.tensor/m);
  });
});

describe('the panel’s copy of the same formula', () => {
  const service = new AnalysisService();
  const { analysis } = service.analyze({ key: 'a', version: 1, text: userFunction.join('\n'), fileName: 'a.py' });
  const pair = analysis.pairs[0];
  const code = { ...codeOptions(pair) };
  const copy = (options: typeof code) => {
    const data = service.panelData({ key: 'a', version: 1, pairId: pair.id, element: 0, options } as Parameters<
      AnalysisService['panelData']
    >[0]);
    const summary = {
      logitsName: 'p',
      targetName: 'y',
      options,
      codeOptions: code,
      claimText: null,
    } as unknown as PairSummary;
    return formatBreakdown(
      'pytorch',
      panelExport({
        file: 'a.py',
        pair,
        summary,
        data,
        breakdown: data.breakdown!,
        values: service.inspect({ key: 'a', version: 1, pairId: pair.id, withData: true, topK: 0 }).data!,
        decimals: 4,
      }),
    );
  };

  it('with the code’s options: the formula said, its logs named as logs', () => {
    const text = copy(code);
    expect(text).toMatch(/^# The hand formula −log\(p\[y\] \+ 1e-9\)/);
    expect(text).toContain('loss = criterion(log_p, y)');
  });

  it('with the panel’s own options: no claim of the formula’s number, the logs still named as logs', () => {
    const text = copy({ ...code, reduction: 'sum' });
    expect(text).not.toContain('the same number');
    expect(text).toContain('loss = criterion(log_p, y)');
    expect(text).toContain("reduction='sum'");
  });
});
