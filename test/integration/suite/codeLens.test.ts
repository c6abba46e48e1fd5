// CodeLenses (vscode.executeCodeLensProvider): one per pair, with the loss and the Inspect command.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import { closeAllEditors, dec4, openFixture, ourLenses, positionOf, reference, waitFor } from '../helpers';

suite('codelens', () => {
  suiteSetup(closeAllEditors);

  for (const file of ['seed.py', 'seed_batch.py', 'wrong_claim.py'] as const) {
    test(`${file}: "cross-entropy <loss> · Inspect" above the pair, opening it by uri and pair id`, async () => {
      const ref = reference[file];
      const { document } = await openFixture(file);
      const lenses = await waitFor(`lenses on ${file}`, async () => {
        const l = await ourLenses(document);
        return l.length ? l : undefined;
      });
      assert.equal(lenses.length, 1, JSON.stringify(lenses));
      assert.equal(lenses[0].title, `cross-entropy ${dec4(ref.loss)} · Inspect`);
      assert.equal(lenses[0].line, positionOf(document, 'loss = criterion').line);
      const [args] = lenses[0].command?.arguments ?? [];
      assert.equal(args.uri, document.uri.toString());
      assert.equal(typeof args.pairId, 'number');
    });
  }

  test('a lens command runs (opens the panel on the pair) without error', async () => {
    const { document } = await openFixture('seed.py');
    const [lens] = await waitFor('a lens', async () => {
      const l = await ourLenses(document);
      return l.length ? l : undefined;
    });
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
  });
});
