/**
 * Values printed by Python's self-documenting f-strings (`print(f"{loss=}")` writes
 * `loss=tensor(0.4921)`), read where printed values are read: a comment beside or under the print,
 * a comment block under a run of such prints (each line by its label), a Markdown output block
 * (docs/detection.md 3.31), in snippets written for this project by
 * test/fixtures/realpatterns19/gen_realpatterns19.py, whose numbers are torch's.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { selfDocumentedLabel } from '../../../src/core/detection/printLabels';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns19', 'self-documenting f-string prints, on generated snippets', {
  least: { snippets: 2, negatives: 1, wrongClaims: 3 },
  exhaustive: true,
});

const head = [
  'import torch',
  'import torch.nn.functional as F',
  'x = torch.tensor([[0.5, 1.5, -0.5], [1.0, 0.0, 2.0]])',
  'y = torch.tensor([1, 2])',
];
const scan = (lines: string[], fileName = 't.py') => analyzeText(lines.join('\n') + '\n', { fileName });
const claims = (lines: string[]) => scan(lines).claims.map((c) => `${c.line}:${c.status}`);

describe('self-documenting f-strings', () => {
  it('reads the label Python writes before the value', () => {
    expect(selfDocumentedLabel('print(f"{loss=}")')).toBe('loss=');
    expect(selfDocumentedLabel("print(f'{loss.item()=:.4f}')")).toBe('loss.item()=');
    expect(selfDocumentedLabel('print(f"mean {d[\'a\']=!r}")')).toBe("mean d['a']=");
    expect(selfDocumentedLabel('print(f"{ loss = }")')).toBe(' loss = ');
    for (const plain of ['print(f"{loss}")', 'print(f"{a==b}")', 'print(f"{a!=b}")', 'print("loss=", loss)'])
      expect(selfDocumentedLabel(plain), plain).toBeNull();
  });

  it('binds a comment only to the print whose label it repeats', () => {
    const lines = [...head, 'one = F.cross_entropy(x, y)', 'two = F.cross_entropy(x, y, reduction="sum")'];
    // `# one=…` right under the print of `two` is not about `two`.
    const swapped = scan([
      ...lines,
      'print(f"{one=}")',
      'print(f"{two=}")',
      '# one=tensor(9.1111)',
      '# two=tensor(9.2222)',
    ]);
    expect(swapped.claims.map((c) => [c.line, c.pairId])).toEqual([
      [9, swapped.pairs[0].id],
      [10, swapped.pairs[1].id],
    ]);
    expect(claims([...lines, 'print(f"{two=}")', '# one=tensor(9.1111)'])).toEqual([]);
  });

  it('gives prints with the same label their lines in order', () => {
    const doc = scan([
      ...head,
      'loss = F.cross_entropy(x, y)',
      'print(f"{loss=}")',
      'print(f"{loss=}")',
      '# loss=tensor(0.1111)',
      '# loss=tensor(0.2222)',
    ]);
    expect(doc.claims.map((c) => c.text)).toEqual(['tensor(0.1111)', 'tensor(0.2222)']);
  });

  it("reads a notebook's stored output line by the print's label", () => {
    const source = [...head, 'loss = F.cross_entropy(x, y)', 'print(f"{loss.shape=}")', 'print(f"{loss=}")'];
    const cell = (shown: string) =>
      JSON.stringify({
        cells: [
          {
            cell_type: 'code',
            metadata: {},
            source: source.map((l) => l + '\n'),
            outputs: [{ output_type: 'stream', name: 'stdout', text: ['loss.shape=torch.Size([])\n', shown] }],
          },
        ],
        metadata: {},
        nbformat: 4,
        nbformat_minor: 5,
      });
    const computed = analyzeText(cell('loss=tensor(0.1)\n'), { fileName: 'n.ipynb' }).pairs[0].loss as number;
    const shown = `loss=tensor(${computed.toFixed(4)})\n`;
    expect(analyzeText(cell(shown), { fileName: 'n.ipynb' }).claims.map((c) => c.status)).toEqual(['holds']);
    // Another expression's line is not this print's value.
    const other = `lossy=tensor(${computed.toFixed(4)})\n`;
    expect(analyzeText(cell(other), { fileName: 'n.ipynb' }).claims).toEqual([]);
  });

  it('reads no block across a blank line or another statement', () => {
    const lines = [...head, 'a = F.cross_entropy(x, y)', 'b = F.cross_entropy(x, y, reduction="sum")'];
    expect(claims([...lines, 'print(f"{a=}")', '', 'print(f"{b=}")', '# a=tensor(0.5000)'])).toEqual([]);
    expect(claims([...lines, 'print(f"{a=}")', 'c = 1', 'print(f"{b=}")', '# a=tensor(0.5000)'])).toEqual([]);
  });
});
