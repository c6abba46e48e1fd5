// Inline values (vscode.executeInlayHintProvider) and their three modes.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  dec4,
  inlayHints,
  openFixture,
  positionOf,
  reference,
  waitFor,
  withSetting,
} from '../helpers';

const ours = (hints: { line: number; label: string }[]) => hints.filter((h) => /^(CE|NLL)\b/.test(h.label));

suite('inlay hints', () => {
  suiteSetup(closeAllEditors);

  test('CE = <loss> on the loss line and on the print line of the seed', async () => {
    const ref = reference['seed.py'];
    const { document } = await openFixture('seed.py');
    const lossLine = positionOf(document, 'loss = criterion').line;
    const printLine = positionOf(document, 'print(loss)').line;
    const label = `CE = ${dec4(ref.loss)}`;
    const hints = await waitFor('inlay hints on the seed', async () => {
      const h = ours(await inlayHints(document));
      return h.some((x) => x.label === label) ? h : undefined;
    });
    assert.deepEqual(
      hints
        .filter((h) => h.label === label)
        .map((h) => h.line)
        .sort(),
      [lossLine, printLine].sort(),
      `hints: ${JSON.stringify(hints)}`,
    );
  });

  test("mode 'off' gives none; 'currentLine' only the cursor line; back to 'all'", async () => {
    const ref = reference['seed.py'];
    const { document, editor } = await openFixture('seed.py');
    const printLine = positionOf(document, 'print(loss)').line;
    const lossLine = positionOf(document, 'loss = criterion').line;
    const label = `CE = ${dec4(ref.loss)}`;
    await waitFor('hints in mode all', async () => ours(await inlayHints(document)).length === 2);

    await withSetting('inlineValues', 'off', async () => {
      await waitFor("no hints in mode 'off'", async () => ours(await inlayHints(document)).length === 0);
    });
    await withSetting('inlineValues', 'currentLine', async () => {
      editor.selection = new vscode.Selection(printLine, 2, printLine, 2);
      const onPrint = await waitFor("one hint on the cursor line in mode 'currentLine'", async () => {
        const h = ours(await inlayHints(document));
        return h.length === 1 && h[0].line === printLine ? h : undefined;
      });
      assert.equal(onPrint[0].label, label);
      editor.selection = new vscode.Selection(lossLine, 0, lossLine, 0);
      await waitFor('the hint to follow the cursor', async () => {
        const h = ours(await inlayHints(document));
        return h.length === 1 && h[0].line === lossLine;
      });
      editor.selection = new vscode.Selection(0, 0, 0, 0);
      await waitFor('no hint with the cursor on an import', async () => ours(await inlayHints(document)).length === 0);
    });
    await waitFor('hints back in mode all', async () => ours(await inlayHints(document)).length === 2);
  });

  test('the batch example shows the mean', async () => {
    const ref = reference['seed_batch.py'];
    const { document } = await openFixture('seed_batch.py');
    const hints = await waitFor('batch hints', async () => {
      const h = ours(await inlayHints(document));
      return h.length ? h : undefined;
    });
    assert.ok(
      hints.every((h) => h.label === `CE = ${dec4(ref.loss)}`),
      JSON.stringify(hints),
    );
  });
});
