/**
 * Printed forms the thirty-second unseen set (tutorial pages) showed unread or misread
 * (docs/detection.md 3.130-3.131), in snippets written for this project by
 * test/fixtures/realpatterns55/gen_realpatterns55.py: notebook cells rendered as Markdown page text
 * whose code keeps a blank line and ends with a bare name, prints under comment lines with their values
 * below a closing comment, and labelled prints with an assignment between them.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns55', 'notebook cells as Markdown page text, labelled prints', {
  least: { snippets: 6, negatives: 2, wrongClaims: 3 },
  exhaustive: true,
});

const md = (lines: string[]) => analyzeText(lines.join('\n') + '\n', { fileName: 'page.md' });

describe('a notebook cell rendered as Markdown page text', () => {
  it('keeps a blank line in its code when code goes on under it', () => {
    const doc = md([
      'In [1]:',
      'import numpy as np',
      'q = np.array([0.5, 0.25, 0.25])',
      '',
      'err = -np.sum(np.array([1, 0, 0]) * np.log(q))',
      'err',
      '',
      '0.6931471805599453',
    ]);
    expect(doc.pairs).toHaveLength(1);
    expect(doc.claims.map((c) => [c.line, c.status])).toEqual([[8, 'holds']]);
  });

  it('ends at a heading whose next line is prose', () => {
    const doc = md([
      'In [1]:',
      'import numpy as np',
      '',
      '# Result',
      'err = -np.sum(np.array([1, 0]) * np.log(np.array([0.5, 0.5])))',
    ]);
    // The heading is followed by code here, so the cell goes on and the loss is read.
    expect(doc.pairs).toHaveLength(1);
    const prose = md(['In [1]:', 'import numpy as np', '', '# Result', 'The value is err = 0.69 for two classes.']);
    expect(prose.pairs).toEqual([]);
  });
});
