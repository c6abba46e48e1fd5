// docs/detection.md 3.19 in the real VS Code: a Sigmoid module written before torch's BCELoss, and a
// binary log loss summed by a loop over zip() in a user's function. The lens shows the number each
// computes (reference.json, from test/fixtures/integration/gen_reference.py: torch's own BCELoss of
// its own sigmoid, the loop's own Python arithmetic), the hover repeats it, and the wrong printed
// value under the BCELoss is a claim_mismatch diagnostic naming the right one.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  codeOf,
  dec4,
  hoverUntil,
  inside,
  libraryLoss,
  openLibraryFixture,
  ourLenses,
  waitFor,
  waitForDiagnostic,
} from '../helpers';

const file = 'sigmoid_losses.py';
const open = (): Promise<vscode.TextDocument> => openLibraryFixture(file);

suite('sigmoid before BCELoss, loops over zip', () => {
  suiteSetup(closeAllEditors);

  for (const [name, code] of [
    ['after_sigmoid', 'nn.BCELoss()(act(scores)'],
    ['looped', 'summed([1, 0, 1]'],
  ] as const)
    test(`${name}: the lens and the hover show the loss the code computes`, async () => {
      const document = await open();
      const at = inside(document, code, 0, 2);
      const value = dec4(libraryLoss(file, name));
      const lens = await waitFor(`the lens of ${name}`, async () =>
        (await ourLenses(document)).find((l) => l.line === at.line),
      );
      assert.ok(lens.title.endsWith(`= ${value} · Inspect`), lens.title);
      const hover = await hoverUntil(document, at, value);
      assert.ok(hover.includes(value), hover);
    });

  test('the wrong printed BCELoss of a sigmoid is a claim_mismatch naming the right value', async () => {
    const document = await open();
    const claimLine = inside(document, '0.6445', 0, 0).line;
    const d = await waitForDiagnostic(document.uri, 'claim_mismatch', (x) => codeOf(x) === 'claim_mismatch');
    assert.equal(d.range.start.line, claimLine);
    assert.ok(d.message.includes(dec4(libraryLoss(file, 'after_sigmoid'))), d.message);
  });
});
