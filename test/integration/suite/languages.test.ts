// The other supported languages: a Markdown tutorial, a JavaScript typed array, a JSON file.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  codeOf,
  dec4,
  hoverUntil,
  inside,
  openFixture,
  ourLenses,
  reference,
  waitFor,
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
