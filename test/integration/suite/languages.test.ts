// The other supported languages: a Markdown tutorial, a JavaScript typed array, a JSON file.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  codeOf,
  dec4,
  getExtension,
  hoverUntil,
  inlayHints,
  inside,
  openFixture,
  ourLenses,
  reference,
  waitFor,
  withSetting,
} from '../helpers';

async function lensesOf(file: string, count: number) {
  const { document } = await openFixture(file);
  const lenses = await waitFor(`${count} lenses on ${file}`, async () => {
    const l = await ourLenses(document);
    return l.length >= count ? l : undefined;
  });
  return { document, lenses };
}

suite('languages', () => {
  suiteSetup(closeAllEditors);

  test('Markdown tutorial: a lens per pair (one spans two code blocks), outputs verified', async () => {
    const ref = reference['tutorial.md'];
    const { document, lenses } = await lensesOf('tutorial.md', 2);
    assert.equal(document.languageId, 'markdown');
    assert.deepEqual(
      lenses.map((l) => l.title),
      [`cross-entropy ${dec4(ref.first.loss)} · Inspect`, `cross-entropy ${dec4(ref.batch.loss)} · Inspect`],
    );
    const hover = await hoverUntil(document, inside(document, 'tensor(1.5345)', 0, 3), 'CrossEntropyLoss');
    assert.ok(
      hover.includes(`mean = (${ref.batch.losses.map(dec4).join(' + ')}) / 2 = ${dec4(ref.batch.loss)}`),
      hover,
    );
    assert.deepEqual(
      vscode.languages.getDiagnostics(document.uri).filter((d) => codeOf(d) === 'claim_mismatch'),
      [],
    );
  });

  test('Markdown tutorial: the output blocks get ✓ on their own lines, inline and in the gutter', async () => {
    const ref = reference['tutorial.md'];
    const { document } = await lensesOf('tutorial.md', 2);
    // The lines of the fenced output blocks, not the code that printed them.
    const lineOf = (text: string) =>
      document
        .getText()
        .split('\n')
        .findIndex((l) => l.trim() === text);
    const firstOut = lineOf(ref.first.printed);
    const batchOut = lineOf(ref.batch.printed);
    assert.ok(firstOut > 0 && batchOut > firstOut, `${firstOut}, ${batchOut}`);
    const marks = await waitFor('✓ on both output lines', async () => {
      const h = (await inlayHints(document)).filter((x) => /^[✓✗?] /.test(x.label));
      return h.some((x) => x.line === firstOut) && h.some((x) => x.line === batchOut) ? h : undefined;
    });
    for (const [line, printed] of [
      [firstOut, ref.first.printed],
      [batchOut, ref.batch.printed],
    ] as const) {
      const mark = marks.find((x) => x.line === line)!;
      assert.ok(mark.label.startsWith('✓') && mark.label.includes(printed), JSON.stringify(mark));
    }
    assert.ok(!marks.some((x) => x.label.startsWith('✗')), JSON.stringify(marks));
    const gutter = (getExtension().exports as { services: { gutter: GutterProbe } }).services.gutter;
    await withSetting('claimGutter', true, async () => {
      const lines = await waitFor('gutter marks', () => gutter.marked(document.uri));
      assert.ok(lines.holds.includes(firstOut) && lines.holds.includes(batchOut), JSON.stringify(lines));
      assert.deepEqual(lines.wrong, []);
    });
  });

  test('JavaScript typed arrays: Float32Array logits and an Int32Array target', async () => {
    const ref = reference['typed_arrays.js'];
    const { document, lenses } = await lensesOf('typed_arrays.js', 1);
    assert.equal(document.languageId, 'javascript');
    assert.equal(lenses[0].title, `cross-entropy ${dec4(ref.loss)} · Inspect`);
    const hover = await hoverUntil(document, inside(document, '0.9983'), 'softmax');
    for (const p of ref.softmax[0]) assert.ok(hover.includes(dec4(p)), `softmax ${dec4(p)} missing:\n${hover}`);
  });

  test('JSON logits and labels (float64 numbers)', async () => {
    const ref = reference['logits_labels.json'];
    const { document, lenses } = await lensesOf('logits_labels.json', 1);
    assert.equal(document.languageId, 'json');
    assert.equal(lenses[0].title, `cross-entropy ${dec4(ref.loss)} · Inspect`);
    const hover = await hoverUntil(document, inside(document, '"labels"', 0, 12), '−log p');
    ref.pTarget.forEach((p, i) =>
      assert.ok(hover.includes(`| ${i} | ${ref.target[i]} | ${dec4(p)} | ${dec4(ref.losses[i])} |`), hover),
    );
  });
});

interface GutterProbe {
  marked(uri: vscode.Uri): { holds: number[]; wrong: number[] } | undefined;
}
