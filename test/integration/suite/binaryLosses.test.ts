// The binary log loss in the real VS Code (docs/detection.md 3.17): −(y·log p + (1 − y)·log(1 − p))
// written with numpy, and torch's BCELoss on literal tensors. The lens shows the number each computes
// (reference.json, from test/fixtures/integration/gen_reference.py: numpy's own value, torch's own
// BCELoss), the hover repeats it, and the wrong printed value under the BCELoss is a claim_mismatch
// diagnostic naming the right one.
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

const file = 'binary_losses.py';
const open = (): Promise<vscode.TextDocument> => openLibraryFixture(file);

suite('binary log losses', () => {
  suiteSetup(closeAllEditors);

  for (const [name, code] of [
    ['by_hand', '-np.mean(labels'],
    ['bce', 'nn.BCELoss()(probs'],
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

  test('the wrong printed BCELoss is a claim_mismatch naming the right value', async () => {
    const document = await open();
    const claimLine = inside(document, '0.4567', 0, 0).line;
    const d = await waitForDiagnostic(document.uri, 'claim_mismatch', (x) => codeOf(x) === 'claim_mismatch');
    assert.equal(d.range.start.line, claimLine);
    assert.ok(d.message.includes(dec4(libraryLoss(file, 'bce'))), d.message);
  });
});
