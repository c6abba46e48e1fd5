// Console sessions as web pages paste them, in the real VS Code (docs/detection.md 3.15): a function
// whose body lost its indentation after the `...` prompts is followed, and a scikit-learn example
// flattened onto one line is read with its output. The lens shows the number the session computes
// (reference.json, from test/fixtures/integration/gen_reference.py), the hover repeats it, and the
// wrong printed value under the first call is a claim_mismatch diagnostic naming the right one.
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

const file = 'console_session.py';
const open = (): Promise<vscode.TextDocument> => openLibraryFixture(file);

suite('console sessions pasted from pages', () => {
  suiteSetup(closeAllEditors);

  for (const [name, call] of [
    ['onehot_ce', '>>> onehot_ce(np.array'],
    ['log_loss', 'log_loss(["no"'],
  ] as const)
    test(`${name}: the lens and the hover show the session's own number`, async () => {
      const document = await open();
      const at = inside(document, call, 0, call.length - 2);
      const value = dec4(libraryLoss(file, name));
      const lens = await waitFor(`the lens of ${name}`, async () =>
        (await ourLenses(document)).find((l) => l.line === at.line),
      );
      assert.ok(lens.title.endsWith(`= ${value} · Inspect`), lens.title);
      const hover = await hoverUntil(document, at, value);
      assert.ok(hover.includes(value), hover);
    });

  test('the wrong output under the followed function is a claim_mismatch naming the right value', async () => {
    const document = await open();
    const outputLine = inside(document, '0.4567', 0, 0).line;
    const d = await waitForDiagnostic(document.uri, 'claim_mismatch', (x) => codeOf(x) === 'claim_mismatch');
    assert.equal(d.range.start.line, outputLine);
    assert.ok(d.message.includes(dec4(libraryLoss(file, 'onehot_ce'))), d.message);
    // The flattened example's own output holds: no diagnostic for it.
    const all = vscode.languages.getDiagnostics(document.uri).filter((x) => codeOf(x) === 'claim_mismatch');
    assert.equal(all.length, 1, all.map((x) => x.message).join('\n'));
  });
});
