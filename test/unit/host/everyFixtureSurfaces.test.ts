/**
 * What the editor's surfaces write for every pair of every detection fixture (test/fixtures/realpatterns*):
 * the CodeLens title, the inline value and the hover's first line, through the editor's own view model
 * (`pairView`, with the vscode stand-in), must show the number the fixture's generator computed with
 * torch (expected.json) — a scalar as that number at the lens's 4 decimals, a per-sample vector as its
 * count and its first values. The analyzer's side is each folder's own unit test; this one checks that
 * the three surfaces agree with it and with each other for every family, which the integration sweep
 * (everyFixture.test.ts) checks in the real VS Code for one pair per folder.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/core/analysis';
import { englishL10n, inlineLabel, lensTitle, lossHoverMarkdown } from '../../../src/editor/format';
import { pairView } from '../../../src/editor/locate';

interface Expected {
  files: {
    file: string;
    negative?: boolean;
    pairs: { line: number; name: string; loss?: number; losses?: number[]; unverified?: boolean }[];
  }[];
}

const root = join(__dirname, '..', '..', 'fixtures');
const folders = readdirSync(root)
  .filter((d) => /^realpatterns\d+$/.test(d))
  .sort((a, b) => Number(a.slice(12)) - Number(b.slice(12)));
const links = { inspect: 'command:open', copy: 'command:copy' };

/** The lens's and the inline value's writing of `v` at 4 decimals (fixed notation in this range). */
const fixed4 = (v: number): string | null => (Math.abs(v) >= 1e-4 && Math.abs(v) < 1e8 ? v.toFixed(4) : null);

/** The number the hover's first line gives (`**title**: \`tensor(0.5108, dtype=torch.float64)\``). */
function hoverNumber(md: string): number {
  const first = md.split('\n')[0]!;
  const value = /`[^`]*`\s*$/.exec(first)?.[0] ?? '';
  const m = /-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/i.exec(value.replace(/\u2212/g, '-'));
  return m ? Number(m[0]) : NaN;
}

describe.each(folders)('%s: the lens, inline value and hover of every pair', (folder) => {
  const expected = JSON.parse(readFileSync(join(root, folder, 'expected.json'), 'utf8')) as Expected;
  const files = expected.files.filter((f) => !f.negative && !f.file.endsWith('.ipynb') && f.pairs.length > 0);
  let total = 0;

  it.each(files.map((f) => [f.file, f] as const))('%s', (file, f) => {
    const text = readFileSync(join(root, folder, file), 'utf8');
    const analysis = analyzeText(text, { fileName: file });
    let checked = 0;
    for (const e of f.pairs) {
      // A line of several pairs (a loop's passes, a parametrized test's cases) shows its first: the lens is one per line.
      if (e.unverified || f.pairs.find((x) => x.line === e.line) !== e) continue;
      const pair = analysis.pairs.find((p) => p.call?.line === e.line);
      // The folder's own test says whether the analyzer finds it; here only what is shown.
      if (!pair) continue;
      const view = pairView(pair, englishL10n);
      const where = `${folder}/${file}:${e.line} (${e.name})`;
      const lens = lensTitle(view, 4, englishL10n);
      const inline = inlineLabel(view, 4, englishL10n);
      const hover = lossHoverMarkdown(view, 4, englishL10n, links);
      if (typeof e.loss === 'number') {
        const shown = fixed4(e.loss);
        if (shown === null) continue;
        expect(lens, where).toContain(shown.replace('-', '\u2212'));
        expect(inline, where).toContain(shown.replace('-', '\u2212'));
        const h = hoverNumber(hover);
        expect(Math.abs(h - e.loss), `${where}: hover ${hover.split('\n')[0]}`).toBeLessThanOrEqual(
          5e-5 + 1e-6 * Math.abs(e.loss),
        );
        checked++;
      } else if (e.losses && e.losses.length > 1) {
        expect(lens, where).toContain(`${e.losses.length} values`);
        const first = fixed4(e.losses[0]!);
        if (first !== null) expect(inline, where).toContain(first.replace('-', '\u2212'));
        checked++;
      }
    }
    total += checked;
  });

  // Runs after the files (in order): a folder whose every pair went unchecked would make this test vacuous.
  it('checked at least one pair of the folder', () => {
    expect(total).toBeGreaterThan(0);
  });
});
