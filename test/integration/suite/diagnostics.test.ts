// Diagnostics (vscode.languages.getDiagnostics) from detection's findings, and the quick fix.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  codeOf,
  openFile,
  openFixture,
  reference,
  tempDir,
  waitFor,
  waitForDiagnostic,
  workspaceFolder,
} from '../helpers';

suite('diagnostics', () => {
  suiteSetup(closeAllEditors);

  test('a wrong claim: Warning claim_mismatch naming the right value, with an explanation link', async () => {
    const ref = reference['wrong_claim.py'];
    const { document } = await openFixture('wrong_claim.py');
    // The live diagnostic carries a link to its explanation (a workspace check's may be there first, then gives way).
    const d = await waitForDiagnostic(
      document.uri,
      'claim_mismatch',
      (x) => codeOf(x) === 'claim_mismatch' && typeof x.code === 'object',
    );
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(d.message.includes(ref.printed), `"${d.message}" does not name ${ref.printed}`);
    assert.equal(document.getText(d.range), 'tensor(2.5000)');
    assert.ok(
      typeof d.code === 'object' && String(d.code.target).includes('findings.md'),
      `the code links to its explanation: ${JSON.stringify(d.code)}`,
    );
    // The second claim on that file holds: no diagnostic for it, and the claim is reported once.
    await waitFor(
      'one claim_mismatch diagnostic',
      () => vscode.languages.getDiagnostics(document.uri).filter((x) => codeOf(x) === 'claim_mismatch').length === 1,
    );
  });

  test("target out of range: Error in torch's words", async () => {
    const { error } = reference['target_out_of_range.py'];
    const { document } = await openFixture('target_out_of_range.py');
    const d = await waitForDiagnostic(
      document.uri,
      'target_out_of_bounds',
      (x) => codeOf(x) === 'target_out_of_bounds',
    );
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(d.message.includes(error), `"${d.message}" does not contain torch's "${error}"`);
  });

  test('softmax applied twice: Information', async () => {
    const { document } = await openFixture('softmax_twice.py');
    const d = await waitForDiagnostic(
      document.uri,
      'softmax_applied_twice',
      (x) => codeOf(x) === 'softmax_applied_twice',
    );
    assert.equal(d.severity, vscode.DiagnosticSeverity.Information);
  });

  test('NLLLoss on raw logits: Information', async () => {
    const { document } = await openFixture('nll_raw_logits.py');
    const d = await waitForDiagnostic(document.uri, 'log_probs_expected', (x) => codeOf(x) === 'log_probs_expected');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Information);
  });

  test('an unverified claim: Hint', async () => {
    const { document } = await openFixture('unverifiable_claim.py');
    const d = await waitForDiagnostic(document.uri, 'claim_unverified', (x) => codeOf(x) === 'claim_unverified');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Hint);
    assert.ok(document.getText(d.range).includes('1.6729'), document.getText(d.range));
  });

  test('claims that hold give no diagnostic', async () => {
    const { document } = await openFixture('seed_batch.py');
    // Wait for the analysis through a lens, then check nothing was reported.
    await waitFor(
      'the batch analysis',
      async () =>
        (
          (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ??
          []
        ).length > 0,
    );
    const ours = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'Loss Inspector');
    assert.deepEqual(
      ours.map((d) => `${codeOf(d)}: ${d.message}`),
      [],
    );
  });

  suite('quick fix', () => {
    let dir = '';
    suiteSetup(() => {
      dir = tempDir();
    });
    suiteTeardown(async () => {
      await closeAllEditors();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('"Update to tensor(<right value>)" replaces the wrong claim, and the diagnostic goes away', async () => {
      const ref = reference['batch_wrong_claim.py'];
      // A copy outside the workspace: the fix edits it, the fixture stays as it is.
      const file = path.join(dir, 'batch_wrong_claim.py');
      fs.copyFileSync(path.join(workspaceFolder().uri.fsPath, 'batch_wrong_claim.py'), file);
      const { document } = await openFile(file);
      const d = await waitForDiagnostic(document.uri, 'claim_mismatch', (x) => codeOf(x) === 'claim_mismatch');
      const wrongText = document.getText(d.range);
      assert.notEqual(wrongText, ref.printed);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        document.uri,
        d.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const fix = actions.find((a) => a.title === `Update to ${ref.printed}`);
      assert.ok(fix, `no "Update to ${ref.printed}" among: ${actions.map((a) => a.title).join(', ')}`);
      assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
      assert.ok(fix.edit, 'the quick fix carries its edit');
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.ok(document.getText().includes(`print(loss) # ${ref.printed}`), document.getText());
      assert.ok(!document.getText().includes(wrongText));
      await waitFor(
        'the claim_mismatch diagnostic to disappear after re-analysis',
        () => !vscode.languages.getDiagnostics(document.uri).some((x) => codeOf(x) === 'claim_mismatch'),
      );
      // The extension never writes the file itself: the fix leaves an unsaved edit.
      assert.ok(document.isDirty);
      assert.ok(fs.readFileSync(file, 'utf8').includes(wrongText));
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });
  });
});
