/**
 * Forms the unseen sets fresh16-32 showed unread in Python pages computed with torch, numpy or
 * Python's math (docs/detection.md 3.144-3.147), in snippets written for this project by
 * test/fixtures/realpatterns59/gen_realpatterns59.py: never-run notebook cells (`In [None]:`) and
 * prints left open over several lines, written binary log terms with `1 - q`, torch's negative label
 * smoothing, values after an arrow, one print writing a value per line, MathJax's doubled equations
 * and function bodies a page left at the margin.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { undoubledLine } from '../../../src/core/detection/doubledMath';
import { withoutOutputArrows } from '../../../src/core/detection/outputArrows';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns59', 'never-run cells, arrows, per-line formats, doubled equations', {
  least: { snippets: 15, negatives: 4, wrongClaims: 8 },
  exhaustive: true,
});

describe('an output arrow on a line of code', () => {
  it('becomes a comment marker before a value and spaces before a comment, offsets kept', () => {
    const text = 'print(a) --> 0.5\nprint(b) --> # 0.25\nprint(c) -->\n';
    const out = withoutOutputArrows(text);
    expect(out).toBe('print(a) #   0.5\nprint(b)     # 0.25\nprint(c)    \n');
    expect(out).toHaveLength(text.length);
  });

  it('is left alone inside strings, triple-quoted ones across lines, and comments', () => {
    const text = "s = 'a --> b'\nt = '''x\n-->\n'''\n# y --> z\n";
    expect(withoutOutputArrows(text)).toBe(text);
  });
});

describe('a MathJax equation written twice, glued', () => {
  it('reads as one chain with the copies blanked', () => {
    const line = 'E=−ln(0.5)E=−ln(0.5)E=0.693E=0.693';
    const out = undoubledLine(line);
    expect(out).toHaveLength(line.length);
    expect(out.replace(/\s+/g, ' ').trim()).toBe('E=−ln(0.5) =0.693');
  });

  it('keeps a line whose equations are not each doubled', () => {
    for (const line of ['E=−ln(0.5)E=0.693', 'E=1E=1E=2', 'so E=1E=1E=2E=2']) expect(undoubledLine(line)).toBe(line);
  });
});

describe('one print writing one value per line', () => {
  it('is not split when a line holds two fields', () => {
    const doc = analyzeText(
      [
        '```python',
        'import torch',
        'import torch.nn.functional as F',
        'x = torch.tensor([[1.0, 0.0]])',
        'y = torch.tensor([0])',
        'l = F.cross_entropy(x, y)',
        "print('{} {}\\nend {}'.format(l, l, l))",
        '```',
        '',
        '```',
        'tensor(0.3133) tensor(0.3133)',
        'end tensor(0.9)',
        '```',
      ].join('\n') + '\n',
      { fileName: 'two.md' },
    );
    expect(doc.claims.filter((c) => c.status === 'wrong')).toEqual([]);
  });
});

describe('per-sample picks held by names, then added', () => {
  it('are not added when they pick from different arrays', () => {
    const doc = analyzeText(
      [
        'import torch',
        'import torch.nn.functional as F',
        'a = F.log_softmax(torch.tensor([[1.0, 0.0]]), dim=1)',
        'b = F.log_softmax(torch.tensor([[0.0, 2.0]]), dim=1)',
        'x = -a[0, 0]',
        'y = -b[0, 1]',
        'both = (x + y) / 2',
      ].join('\n') + '\n',
      { fileName: 'two_sources.py' },
    );
    expect(doc.pairs.map((p) => p.call?.line)).toEqual([5, 6]);
  });
});
