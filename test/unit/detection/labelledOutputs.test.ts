/**
 * A page shows what a block of code printed as plain lines under it: `print("Loss:", loss.item())`,
 * then `Loss: 2.1438183784484863`. A line that starts with the print's own words and a value is that
 * print's output (page text without fences, and after a fenced block). The printed values are what
 * torch 1.13 printed for the seed article's row (`/usr/bin/python3`, F.cross_entropy and
 * F.nll_loss(F.log_softmax(x, 1), t) of the row below with target 1).
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';

const row = '[[0.8982, 0.805, 0.6393, 0.9983, 0.5731, 0.0469, 0.556, 0.1476, 0.8404, 0.5544]]';
const code = [
  'import torch',
  'import torch.nn.functional as F',
  `x = torch.tensor(${row})`,
  't = torch.tensor([1])',
  'loss = F.cross_entropy(x, t)',
];

function claimsOf(lines: string[], fileName = 'page.md') {
  return analyzeText(lines.join('\n') + '\n', { fileName }).claims.map((c) => ({
    line: c.line,
    text: c.text,
    status: c.status,
  }));
}

describe('labelled values printed under page code', () => {
  it('page text without fences: the line starting with the print’s label is its output', () => {
    const page = ['The loss of one row:', '', ...code, 'print("Cross entropy:", loss.item())', '', 'Cross entropy: %s'];
    expect(claimsOf(page.map((l) => l.replace('%s', '2.1438183784484863')))).toEqual([
      { line: 10, text: '2.1438183784484863', status: 'holds' },
    ]);
    expect(claimsOf(page.map((l) => l.replace('%s', '2.3438183784484863')))).toEqual([
      { line: 10, text: '2.3438183784484863', status: 'wrong' },
    ]);
  });

  it('after a fenced block, and for each of several labelled prints in order', () => {
    const page = [
      '```python',
      ...code,
      'print("CE:", loss.item())',
      "print(f'nll = {F.nll_loss(F.log_softmax(x, 1), t).item():.4f}')",
      '```',
      '',
      'CE: 2.1438183784484863',
      'nll = 2.1438',
    ];
    expect(claimsOf(page)).toEqual([
      { line: 11, text: '2.1438183784484863', status: 'holds' },
      { line: 12, text: '2.1438', status: 'holds' },
    ]);
    const wrong = page.map((l) => (l === 'nll = 2.1438' ? 'nll = 2.4138' : l));
    expect(claimsOf(wrong).map((c) => c.status)).toEqual(['holds', 'wrong']);
  });

  it('reads nothing when the line does not start with the label, or has no value after it', () => {
    const base = ['```python', ...code, 'print("Cross entropy:", loss.item())', '```', ''];
    for (const line of ['Cross entropy: as computed above, about 2.3', 'Loss: 2.3438183784484863'])
      expect(claimsOf([...base, line])).toEqual([]);
    // A sentence that names the loss and gives a number is the page's claim (docs/detection.md 3.122).
    expect(claimsOf([...base, 'The cross entropy is 2.3'])).toEqual([{ line: 10, text: '2.3', status: 'wrong' }]);
  });

  it('a print without words before its value is left to the other rules', () => {
    const page = ['```python', ...code, 'print("%.4f" % loss.item())', '```', '', 'Result 2.3438'];
    expect(claimsOf(page)).toEqual([]);
  });
});
